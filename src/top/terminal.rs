//! The terminal while the live view runs: raw mode, the alternate screen,
//! mouse reporting and a hidden cursor, all undone by one guard whose Drop
//! always runs, by a panic hook (so the panic message lands on the normal
//! screen), and after SIGTERM, SIGHUP, SIGINT or SIGQUIT, which only set a
//! flag that the event loop checks between events. A job-control stop
//! (SIGTSTP, or Ctrl+Z, which raw mode delivers as a key) gives the
//! terminal back before stopping and takes it again on SIGCONT, as top and
//! htop do; after SIGSTOP, which cannot be caught, SIGCONT repairs it.

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

/// Set by SIGTSTP: a job-control stop was asked for.
static STOP_ASKED: AtomicBool = AtomicBool::new(false);
/// Set by SIGCONT: the process was stopped, and the shell may have used
/// the terminal meanwhile.
static CONTINUED: AtomicBool = AtomicBool::new(false);

extern "C" fn note_stop(_: nix::libc::c_int) {
    STOP_ASKED.store(true, Ordering::SeqCst);
}

extern "C" fn note_continue(_: nix::libc::c_int) {
    CONTINUED.store(true, Ordering::SeqCst);
}

/// Whether a stop was asked for since the last call.
pub fn stop_asked() -> bool {
    STOP_ASKED.swap(false, Ordering::SeqCst)
}

/// Whether the process was continued since the last call.
pub fn continued() -> bool {
    CONTINUED.swap(false, Ordering::SeqCst)
}

/// Ctrl+Z: asks for a stop as the terminal would (raw mode turned its
/// SIGTSTP off); nothing happens when SIGTSTP is ignored (started by a
/// shell without job control, which could never continue proctl).
pub fn ask_stop() {
    let _ = nix::sys::signal::raise(Signal::SIGTSTP);
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

impl TerminalGuard {
    /// Gives the terminal back and stops, as SIGTSTP's default action
    /// does; once continued, takes the terminal again.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
        // SAFETY: the default disposition, for the one raise below; ours
        // is put back after it.
        let ours = unsafe { sigaction(Signal::SIGTSTP, &default) };
        let _ = nix::sys::signal::raise(Signal::SIGTSTP);
        // Here once continued (or at once, in an orphaned process group,
        // where the kernel does not stop on SIGTSTP).
        if let Ok(ours) = ours {
            // SAFETY: the handler that was there, which only stores into
            // an atomic.
            let _ = unsafe { sigaction(Signal::SIGTSTP, &ours) };
        }
        self.resume()
    }

    /// Takes the terminal again after a stop: the shell had it meanwhile,
    /// set its own modes and drew over the screen, so the modes are set
    /// again and the screen cleared for a whole redraw (ratatui otherwise
    /// draws only what changed since its last frame).
    pub fn resume(&mut self) -> io::Result<()> {
        CONTINUED.store(false, Ordering::SeqCst);
        // Continued in the background (`kill -CONT`, `bg`), setting the
        // modes stops proctl again (SIGTTOU) until `fg`, and the call then
        // ends with EINTR, SIGCONT's handler having run.
        loop {
            match enable_raw_mode() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        }
        TAKEN.store(true, Ordering::SeqCst);
        execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, Hide)?;
        // Not Terminal::clear: it asks the terminal where the cursor is
        // and waits for the answer, which a shell that has the terminal
        // meanwhile reads as typed text.
        let size = self.terminal.size()?;
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
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
        let stop = SigAction::new(
            SigHandler::Handler(note_stop),
            SaFlags::empty(),
            SigSet::empty(),
        );
        let cont = SigAction::new(
            SigHandler::Handler(note_continue),
            SaFlags::empty(),
            SigSet::empty(),
        );
        for (signal, action) in [
            (Signal::SIGTERM, &action),
            (Signal::SIGHUP, &action),
            (Signal::SIGINT, &action),
            (Signal::SIGQUIT, &action),
            (Signal::SIGTSTP, &stop),
            (Signal::SIGCONT, &cont),
        ] {
            // SAFETY: the handlers only store into an atomic.
            let previous = unsafe { sigaction(signal, action) };
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
