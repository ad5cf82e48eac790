//! The terminal while the live view runs: raw mode, the alternate screen,
//! mouse reporting and a hidden cursor, all undone by one guard whose Drop
//! always runs, by a panic hook (so the panic message lands on the normal
//! screen), and after SIGTERM, SIGHUP, SIGINT or SIGQUIT, which only set a
//! flag that the event loop checks between events.

use std::io::{self, Stdout, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The signal that asked the view to end, 0 while none has.
static ENDING_SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn note_signal(signal: nix::libc::c_int) {
    // Only an atomic store: safe in a signal handler.
    ENDING_SIGNAL.store(signal, Ordering::SeqCst);
}

/// The signal that asked the view to end, if one did.
pub fn ending_signal() -> Option<i32> {
    match ENDING_SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        n => Some(n),
    }
}

/// The terminal in the live view's modes; dropping it restores the terminal.
pub struct TerminalGuard {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    /// Takes the terminal over.
    pub fn enter() -> io::Result<TerminalGuard> {
        install_handlers();
        enable_raw_mode()?;
        TAKEN.store(true, Ordering::SeqCst);
        // From here on, a failure still restores what was set.
        let guard_on_error = RestoreOnDrop;
        execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, Hide)?;
        let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        std::mem::forget(guard_on_error);
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

struct RestoreOnDrop;

impl Drop for RestoreOnDrop {
    fn drop(&mut self) {
        restore();
    }
}

/// Whether the terminal is in the live view's modes now.
static TAKEN: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was, once: leaving the alternate screen
/// again would move the cursor back to where it was saved (xterm's
/// `?1049l`), over what was printed since, such as a panic's message.
pub fn restore() {
    if !TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

fn install_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        let action = SigAction::new(
            SigHandler::Handler(note_signal),
            SaFlags::empty(),
            SigSet::empty(),
        );
        for signal in [
            Signal::SIGTERM,
            Signal::SIGHUP,
            Signal::SIGINT,
            Signal::SIGQUIT,
        ] {
            // SAFETY: the handler only stores into an atomic.
            let previous = unsafe { sigaction(signal, &action) };
            // A signal ignored by whoever started proctl (nohup) stays ignored.
            if let Ok(old) = previous
                && matches!(old.handler(), SigHandler::SigIgn)
            {
                // SAFETY: putting back the disposition that was there.
                let _ = unsafe { sigaction(signal, &old) };
            }
        }
    });
}
