//! The live view's event loop: draw, wait for a key, a refresh or a
//! signal, apply it to the state, and carry out what the state asks
//! (signals through the pidfd-safe path, renice, details).

use std::time::{Duration, Instant};

use crossterm::event;

use super::draw::{Palette, draw};
use super::input::key_of;
use super::sample::Sampler;
use super::state::{Action, Key, TopState};
use super::terminal::{TerminalGuard, ask_stop, continued, ending_signal, stop_asked};
use super::timing::{Phase, Timing};
use crate::cmd::top::TopConfig;
use crate::error::{Error, Exit, Result};
use crate::model::ProcSource;
use crate::model::detail::{DetailOptions, read_detail};
use crate::render::Theme;
use crate::render::escape::escape_bytes;
use crate::render::show::{ShowOptions, write_text};
use crate::signal::Signal;
use crate::signal::deliver::{Outcome, Target, hold, send};
use crate::signal::tree::signal_tree;

/// The longest wait for an event before the end flag is looked at again
/// (a signal's handler cannot wake the wait itself).
const TICK: Duration = Duration::from_millis(250);

/// Runs the live view until the user quits or a signal ends it.
pub fn run(config: &TopConfig, mut sampler: Sampler) -> Result<Exit> {
    // Shared memory (statm) costs a file a process: read for the rows on
    // screen only.
    sampler.lazy_shared = true;
    // Read the first frame before taking the terminal over: a failure is
    // then an ordinary one-line error.
    let mut timing = Timing::from_env();
    let first = timing
        .time(Phase::Read, || {
            sampler.sample(config.view.threads, super::keys::needs(&config.view.keys))
        })
        .map_err(|e| read_error(&sampler, e))?;
    let tty = TtyWatch::open()?;
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    let mut state = timing.time(Phase::Rebuild, || {
        TopState::new(first, config.view.clone(), (size.width, size.height))
    });
    let palette = Palette {
        color: config.color,
    };
    let mut next_refresh = Instant::now() + state.delay;
    let panic_after = forced_panic_after();
    let mut draws = 0u64;
    // What the next draw follows (for PROCTL_TOP_TIMING).
    let mut drawing = "refresh";
    loop {
        // The size is asked for before each draw: a resize event read late
        // (or merged with others) must not leave the layout behind.
        let size = guard.terminal.size()?;
        if (size.width, size.height) != state.size {
            state.handle_key(Key::Resize {
                width: size.width,
                height: size.height,
            });
        }
        timing.time(Phase::Read, || {
            state.fill_shared(|p, page_kib| sampler.shared_kib(p, page_kib))
        });
        timing.time(Phase::Draw, || {
            guard.terminal.draw(|screen| draw(screen, &state, palette))
        })?;
        timing.frame_done(drawing);
        drawing = "key";
        draws += 1;
        if panic_after.is_some_and(|n| draws >= n) {
            panic!("PROCTL_TOP_PANIC_AFTER={draws}: a panic forced for the tests");
        }
        let action = loop {
            if let Some(signal) = ending_signal() {
                drop(guard);
                return Ok(Exit::Child(128u8.saturating_add(signal as u8)));
            }
            // A job-control stop, and the way back: the rows are as old as
            // the stop, so a new frame is read at once.
            if stop_asked() {
                guard.suspend()?;
                break Action::Refresh;
            }
            if continued() {
                // Stopped by SIGSTOP, which gave no warning.
                guard.resume()?;
                break Action::Refresh;
            }
            let now = Instant::now();
            if !state.paused && now >= next_refresh {
                break Action::Refresh;
            }
            let wait = if state.paused {
                TICK
            } else {
                next_refresh.saturating_duration_since(now).min(TICK)
            };
            // The wait is ours, not crossterm's: crossterm's poll spins
            // without end once the terminal has hung up (its loop only
            // looks at the clock when nothing is ready), and a signal would
            // not be noticed meanwhile.
            match tty.wait(wait) {
                Ok(Readiness::HungUp) => {
                    drop(guard);
                    return Ok(Exit::Child(128 + 1));
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
            // Keys, and resizes (crossterm hears SIGWINCH), ready now.
            if event::poll(Duration::ZERO)?
                && let Some(key) = key_of(event::read()?)
            {
                if key == Key::Suspend {
                    // Noted by the handler, acted on above.
                    ask_stop();
                    continue;
                }
                break timing.time(Phase::Rebuild, || state.handle_key(key));
            }
        };
        match action {
            Action::None => {}
            Action::Quit => return Ok(Exit::Success),
            Action::Refresh => {
                let needs = state.needs();
                match timing.time(Phase::Read, || sampler.sample(state.threads, needs)) {
                    Ok(frame) => timing.time(Phase::Rebuild, || state.apply_frame(frame)),
                    Err(e) => state.message = Some(read_error(&sampler, e).to_string()),
                }
                next_refresh = Instant::now() + state.delay;
                drawing = "refresh";
            }
            Action::Signal {
                target,
                signal,
                tree,
            } => {
                state.message = Some(deliver(sampler.source(), &target, signal, tree));
                // Show the outcome in the rows soon, not a whole delay later.
                next_refresh = Instant::now() + Duration::from_millis(200);
            }
            Action::Renice { target, nice } => {
                state.message = Some(renice(sampler.source(), &target, nice));
                next_refresh = Instant::now() + Duration::from_millis(200);
            }
            Action::Details(target) => match details(sampler.source(), &target) {
                Ok((title, lines)) => state.show_details(title, lines),
                Err(message) => state.message = Some(message),
            },
        }
    }
}

/// Debug builds only: `PROCTL_TOP_PANIC_AFTER=N` panics after the Nth
/// draw, so that the tests can check that a panic restores the terminal.
fn forced_panic_after() -> Option<u64> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var("PROCTL_TOP_PANIC_AFTER")
        .ok()?
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

/// The terminal the keys come from: stdin when it is one, else /dev/tty
/// (where crossterm reads them too).
struct TtyWatch {
    own: Option<std::fs::File>,
}

enum Readiness {
    Ready,
    Nothing,
    HungUp,
}

impl TtyWatch {
    fn open() -> std::io::Result<TtyWatch> {
        use std::io::IsTerminal;
        let own = if std::io::stdin().is_terminal() {
            None
        } else {
            Some(std::fs::File::open("/dev/tty")?)
        };
        Ok(TtyWatch { own })
    }

    /// Waits up to `wait` for input; an interrupting signal is an error of
    /// kind Interrupted.
    fn wait(&self, wait: Duration) -> std::io::Result<Readiness> {
        use rustix::event::{PollFd, PollFlags, Timespec, poll};
        use std::os::fd::AsFd;
        let stdin = std::io::stdin();
        let fd = match &self.own {
            Some(file) => file.as_fd(),
            None => stdin.as_fd(),
        };
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        let timeout = Timespec {
            tv_sec: wait.as_secs() as i64,
            tv_nsec: i64::from(wait.subsec_nanos()),
        };
        let ready = poll(&mut fds, Some(&timeout))?;
        let revents = fds[0].revents();
        Ok(
            if revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                Readiness::HungUp
            } else if ready > 0 {
                Readiness::Ready
            } else {
                Readiness::Nothing
            },
        )
    }
}

fn read_error(sampler: &Sampler, e: std::io::Error) -> Error {
    Error::Failed(format!(
        "cannot read {}: {e}",
        sampler.source().root().display()
    ))
}

/// Sends the signal to the process the user chose, only if it is still
/// that process (same start time), as `proctl signal` does.
fn deliver(source: &ProcSource, target: &Target, signal: Signal, tree: bool) -> String {
    let who = format!("PID {} ({})", target.pid, escape_bytes(&target.name));
    let handle = match hold(source, target) {
        Ok(h) => h,
        Err(outcome) => return format!("{signal} not sent to {who}: {outcome}"),
    };
    if !tree {
        return match send(&handle, signal) {
            Outcome::Sent => format!("{signal} sent to {who}"),
            outcome => format!("{signal} not sent to {who}: {outcome}"),
        };
    }
    let result = signal_tree(
        source,
        handle,
        signal,
        None,
        &crate::targets::self_and_ancestors(source),
    );
    let reached = result.reached.iter().filter(|(_, o)| o.ok()).count();
    let failed = result.reached.len() - reached + result.missed.len();
    if failed == 0 {
        format!("{signal} sent to the tree of {who}: {reached} processes")
    } else {
        format!("{signal} sent to the tree of {who}: {reached} processes, {failed} not reached")
    }
}

fn renice(source: &ProcSource, target: &Target, nice: i32) -> String {
    let who = format!("PID {}", target.pid);
    // The start time is checked just before: a pid reused in between
    // would be refused (setpriority(2) has no pidfd form).
    if let Err(outcome) = hold(source, target) {
        return format!("{who} not reniced: {outcome}");
    }
    let Some(pid) = rustix::process::Pid::from_raw(target.pid) else {
        return format!("{who} not reniced: no such process");
    };
    match rustix::process::setpriority_process(Some(pid), nice) {
        Ok(()) => format!("{who} reniced to {nice}"),
        Err(e) => format!("{who} not reniced: {e}"),
    }
}

/// The `proctl show` text of the target, line by line.
fn details(
    source: &ProcSource,
    target: &Target,
) -> std::result::Result<(String, Vec<String>), String> {
    let gone = || format!("PID {} has exited", target.pid);
    let detail_options = DetailOptions {
        threads: false,
        resolve_files: false,
        maps: false,
    };
    let detail = read_detail(source, target.pid, detail_options).ok_or_else(gone)?;
    if detail.info.start_ticks != target.start_ticks {
        return Err(gone());
    }
    let options = ShowOptions {
        threads: false,
        files: false,
        maps: false,
        env: false,
        show_secrets: false,
        theme: Theme::plain(),
    };
    let mut text = Vec::new();
    write_text(&mut text, &detail, &source.system_facts(), options).map_err(|e| e.to_string())?;
    let lines = String::from_utf8_lossy(&text)
        .lines()
        .map(str::to_string)
        .collect();
    let title = format!(
        " PID {} ({}): Up/Down/PgUp/PgDn scroll, Escape goes back ",
        target.pid,
        escape_bytes(&target.name)
    );
    Ok((title, lines))
}
