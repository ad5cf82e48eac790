//! The live view's event loop: draw, wait for a key, a refresh or a
//! signal, apply it to the state, and carry out what the state asks
//! (signals through the pidfd-safe path, renice, details).

use std::time::{Duration, Instant};

use crossterm::event;

use super::draw::{Palette, draw};
use super::input::key_of;
use super::sample::Sampler;
use super::state::{Action, TopState};
use super::terminal::{TerminalGuard, ending_signal};
use crate::cmd::top::TopConfig;
use crate::error::{Error, Exit, Result};
use crate::model::ProcSource;
use crate::model::detail::read_detail;
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
    // Read the first frame before taking the terminal over: a failure is
    // then an ordinary one-line error.
    let first = sampler
        .sample(config.view.threads)
        .map_err(|e| read_error(&sampler, e))?;
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    let mut state = TopState::new(first, config.view.clone(), (size.width, size.height));
    let palette = Palette {
        color: config.color,
    };
    let mut next_refresh = Instant::now() + state.delay;
    loop {
        guard
            .terminal
            .draw(|screen| draw(screen, &state, palette))?;
        let action = loop {
            if let Some(signal) = ending_signal() {
                drop(guard);
                return Ok(Exit::Child(128u8.saturating_add(signal as u8)));
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
            if event::poll(wait)?
                && let Some(key) = key_of(event::read()?)
            {
                break state.handle_key(key);
            }
        };
        match action {
            Action::None => {}
            Action::Quit => return Ok(Exit::Success),
            Action::Refresh => {
                match sampler.sample(state.threads) {
                    Ok(frame) => state.apply_frame(frame),
                    Err(e) => state.message = Some(read_error(&sampler, e).to_string()),
                }
                next_refresh = Instant::now() + state.delay;
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
    let result = signal_tree(source, handle, signal, None, &own_lineage(source));
    let reached = result.reached.iter().filter(|(_, o)| o.ok()).count();
    let failed = result.reached.len() - reached + result.missed.len();
    if failed == 0 {
        format!("{signal} sent to the tree of {who}: {reached} processes")
    } else {
        format!("{signal} sent to the tree of {who}: {reached} processes, {failed} not reached")
    }
}

/// proctl and its ancestors: never part of a tree it signals.
fn own_lineage(source: &ProcSource) -> Vec<i32> {
    let mut pids = vec![std::process::id() as i32];
    while let Some(p) = pids
        .last()
        .and_then(|&pid| source.read_process(pid, crate::model::Needs::STAT))
    {
        if p.ppid <= 0 || pids.contains(&p.ppid) {
            break;
        }
        pids.push(p.ppid);
    }
    pids
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
    let detail = read_detail(source, target.pid, false).ok_or_else(gone)?;
    if detail.info.start_ticks != target.start_ticks {
        return Err(gone());
    }
    let options = ShowOptions {
        threads: false,
        files: false,
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
