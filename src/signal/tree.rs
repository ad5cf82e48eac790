//! Signalling a process and all its descendants so that none escapes.
//!
//! A descendant could fork, or be re-parented away when its parent dies,
//! between the moment the tree is read and the moment the signal arrives.
//! So the descendants are frozen first with STOP (their parents are in the
//! tree too, so only proctl sees those stops), re-reading the tree until no
//! new process appears; then every member gets the signal, leaves first and
//! the root last; then CONT resumes exactly the processes proctl stopped,
//! so that they act on the signal. The root itself is never stopped: its
//! parent, often a shell, would see it stop and take the terminal back.
//!
//! A stop signal (STOP, TSTP, TTIN, TTOU) leaves the tree stopped, and
//! processes that were stopped before keep being stopped. Signal 0 freezes
//! nothing: it only checks every member.

use std::collections::HashSet;

use super::Signal;
use super::deliver::{Handle, Outcome, Target, hold, send, send_queued};
use crate::model::tree::Tree;
use crate::model::{Needs, ProcSource};

/// The signals whose default action stops a process (signal(7)).
pub fn is_stop_signal(signal: Signal) -> bool {
    matches!(signal.number(), 19..=22)
}

/// The descendants of `root` now, parents before children, without the
/// processes in `exclude` (proctl and its ancestors).
pub fn descendants(source: &ProcSource, root: i32, exclude: &[i32]) -> Vec<Target> {
    let Ok(snapshot) = source.snapshot(Needs::STAT, false) else {
        return Vec::new();
    };
    let procs = snapshot.processes;
    let tree = Tree::build(&procs);
    let Some(index) = procs.iter().position(|p| p.pid == root) else {
        return Vec::new();
    };
    tree.descendants(index)
        .into_iter()
        .map(|i| &procs[i])
        .filter(|p| p.pid != root && !exclude.contains(&p.pid))
        .map(|p| Target {
            pid: p.pid,
            start_ticks: p.start_ticks,
            name: p.name.clone(),
            euid: p.euid,
        })
        .collect()
}

/// What happened to each member of the tree: the handles that were
/// reached with their outcome, and the members that could not be held.
pub struct TreeResult {
    pub reached: Vec<(Handle, Outcome)>,
    pub missed: Vec<(Target, Outcome)>,
}

/// Signals `root` (already held) and all its descendants.
pub fn signal_tree(
    source: &ProcSource,
    root: Handle,
    signal: Signal,
    value: Option<i32>,
    exclude: &[i32],
) -> TreeResult {
    let freeze = signal.number() != 0;
    let mut members: Vec<(Handle, bool)> = Vec::new();
    let mut missed = Vec::new();
    let mut known: HashSet<i32> = HashSet::from([root.target.pid]);
    loop {
        let fresh: Vec<Target> = descendants(source, root.target.pid, exclude)
            .into_iter()
            .filter(|t| known.insert(t.pid))
            .collect();
        if fresh.is_empty() {
            break;
        }
        for t in fresh {
            match hold(source, &t) {
                Ok(h) => {
                    let stopped_before = source
                        .read_process(t.pid, Needs::STAT)
                        .is_some_and(|p| p.state == 'T' || p.state == 't');
                    let stopped_by_us =
                        freeze && !stopped_before && send(&h, Signal::STOP) == Outcome::Sent;
                    members.push((h, stopped_by_us));
                }
                // It exited on its own between the reading and now.
                Err(Outcome::NoSuchProcess) => missed.push((t, Outcome::Exited)),
                Err(o) => missed.push((t, o)),
            }
        }
        if !freeze {
            break;
        }
    }
    let deliver = |h: &Handle| match value {
        Some(v) => send_queued(h, signal, v),
        None => send(h, signal),
    };
    let mut reached: Vec<(Handle, Outcome)> = Vec::with_capacity(members.len() + 1);
    let mut to_resume = Vec::new();
    for (h, stopped_by_us) in members.into_iter().rev() {
        let outcome = match deliver(&h) {
            // A member that exits on its own meanwhile is not a failure.
            Outcome::NoSuchProcess => Outcome::Exited,
            o => o,
        };
        if stopped_by_us {
            to_resume.push(reached.len());
        }
        reached.push((h, outcome));
    }
    let root_outcome = deliver(&root);
    reached.push((root, root_outcome));
    let resume = signal != Signal::KILL && signal != Signal::CONT && !is_stop_signal(signal);
    if resume {
        for i in to_resume {
            let _ = send(&reached[i].0, Signal::CONT);
        }
    }
    TreeResult { reached, missed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_signals() {
        for n in [19, 20, 21, 22] {
            assert!(is_stop_signal(Signal::from_number(n).unwrap()));
        }
        for n in [0, 9, 15, 18] {
            assert!(!is_stop_signal(Signal::from_number(n).unwrap()));
        }
    }
}
