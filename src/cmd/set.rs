//! `proctl set`: change nice, affinity, policy, I/O priority, limits and
//! the OOM score of running processes. Every value is validated and every
//! target chosen before the first change; each target is held by a pidfd
//! checked against its start time, and checked again just before each
//! change, so that a recycled pid is never changed.

use std::io::{IsTerminal, Write};

use nix::errno::Errno;

use crate::adjust::apply::{Refusal, apply_to_thread, per_process, read, read_thread};
use crate::adjust::{Change, ChangeOptions, Value, parse_changes};
use crate::cli::{SetArgs, SetFormat};
use crate::error::{Exit, Result, warn};
use crate::model::ProcSource;
use crate::render::escape::json_text;
use crate::render::escape_bytes;
use crate::signal::deliver::{Handle, Outcome, Target, hold};
use crate::signal::tree::descendants;
use crate::targets::{
    Chosen, Criteria, Selectors, confirm, pid_targets, resolve_named, select, self_and_ancestors,
};

/// What `proctl set` was asked to do.
#[derive(Debug)]
pub struct SetConfig {
    pub pids: Vec<(i32, Option<u64>)>,
    pub criteria: Option<Criteria>,
    pub tree: Option<i32>,
    pub changes: Vec<Change>,
    pub yes: bool,
    pub dry_run: bool,
    pub verbose: bool,
    pub format: SetFormat,
}

impl SetConfig {
    /// Validates the arguments; nothing is read or changed yet.
    pub fn from_args(args: &SetArgs) -> Result<SetConfig> {
        let changes = parse_changes(&ChangeOptions {
            nice: args.nice.as_deref(),
            nice_by: args.nice_by.as_deref(),
            affinity: args.affinity.as_deref(),
            policy: args.policy.as_deref(),
            rt_priority: args.rt_priority.as_deref(),
            io: args.io.as_deref(),
            rlimits: &args.rlimit,
            oom_score_adj: args.oom_score_adj.as_deref(),
        })?;
        let pids = pid_targets(
            &args.targets,
            "target",
            "use PID or PID@TICKS (--pgroup selects a process group)",
        )?;
        let Selectors { criteria, tree } = Selectors::from_args(
            &args.select,
            args.tree.as_deref(),
            !pids.is_empty(),
            "nothing to change: give a PID or a selector such as --name, --user or --tree",
        )?;
        Ok(SetConfig {
            pids,
            criteria,
            tree,
            changes,
            yes: args.yes,
            dry_run: args.dry_run,
            verbose: args.verbose,
            format: args.format,
        })
    }
}

/// How one change of one process turned out.
#[derive(Debug)]
enum Verdict {
    Changed,
    /// Already the value asked for (every thread of it, where per thread).
    Unchanged,
    /// --dry-run: it would change.
    WouldChange,
    Failed(Outcome),
}

impl Verdict {
    /// The word JSON and the help use (README "proctl set").
    fn key(&self) -> &'static str {
        match self {
            Verdict::Changed => "changed",
            Verdict::Unchanged => "unchanged",
            Verdict::WouldChange => "would_change",
            Verdict::Failed(o) => outcome_key(o),
        }
    }
}

/// What happened to one change of one process.
#[derive(Debug)]
struct ChangeReport {
    what: &'static str,
    before: Option<Value>,
    /// The value after the change; with --dry-run, the value it would set.
    after: Option<Value>,
    outcome: Verdict,
    /// Why the kernel refused, when it did.
    why: Option<String>,
}

/// Everything that happened to one process.
#[derive(Debug)]
struct ProcessReport {
    pid: i32,
    name: Vec<u8>,
    changes: Vec<ChangeReport>,
    /// An outcome for the whole process (gone, reused) instead of changes.
    outcome: Option<Outcome>,
}

/// Runs `proctl set`.
pub fn run(config: &SetConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let protected = self_and_ancestors(source);
    let (named, settled) = resolve_named(source, &config.pids, |_| None);
    let mut reports: Vec<ProcessReport> = settled
        .into_iter()
        .map(|s| ProcessReport {
            pid: s.pid,
            name: s.target.map(|t| t.name).unwrap_or_default(),
            changes: Vec::new(),
            outcome: Some(s.outcome),
        })
        .collect();
    let mut chosen: Vec<Chosen> = match &config.criteria {
        Some(criteria) => {
            let named_ones = (!config.pids.is_empty()).then_some((named.as_slice(), &[][..]));
            select(source, criteria, named_ones, &protected)?
        }
        None => named,
    };
    if let Some(root) = config.tree {
        match Target::read(source, root) {
            Some(t) => {
                chosen.push(Chosen {
                    target: t,
                    thread: None,
                });
                chosen.extend(
                    descendants(source, root, &protected)
                        .into_iter()
                        .map(|t| Chosen {
                            target: t,
                            thread: None,
                        }),
                );
            }
            None => reports.push(ProcessReport {
                pid: root,
                name: Vec::new(),
                changes: Vec::new(),
                outcome: Some(Outcome::NoSuchProcess),
            }),
        }
    }
    let mut seen = std::collections::HashSet::new();
    chosen.retain(|c| seen.insert(c.target.pid));
    if chosen.is_empty() && reports.is_empty() {
        warn("no process matched");
        report(config, &reports, out)?;
        return Ok(Exit::Failure);
    }
    let several = (config.criteria.is_some() || config.tree.is_some()) && chosen.len() > 1;
    if several
        && !config.yes
        && !config.dry_run
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        let targets: Vec<Target> = chosen.iter().map(|c| c.target.clone()).collect();
        let what: Vec<&str> = config.changes.iter().map(Change::what).collect();
        let question = format!(
            "Change {} of these {} processes?",
            what.join(", "),
            targets.len()
        );
        if !confirm(&targets, &question)? {
            warn("nothing changed");
            return Ok(Exit::Failure);
        }
    }
    let root = source.root().to_path_buf();
    for c in &chosen {
        let t = &c.target;
        if config.dry_run {
            reports.push(ProcessReport {
                pid: t.pid,
                name: t.name.clone(),
                changes: config
                    .changes
                    .iter()
                    .map(|ch| {
                        let before = read(&root, t.pid, ch);
                        let alters = if per_process(ch) {
                            ch.alters(before.as_ref())
                        } else {
                            source
                                .task_ids(t.pid)
                                .into_iter()
                                .any(|tid| ch.alters(read_thread(&root, t.pid, tid, ch).as_ref()))
                        };
                        let target = ch.target(before.as_ref());
                        let conflict = target.as_ref().and_then(Value::conflict);
                        // A refused change leaves the value as it is.
                        let after = match conflict {
                            Some(_) => before.clone(),
                            None => target,
                        };
                        ChangeReport {
                            what: ch.what(),
                            outcome: match &conflict {
                                Some(why) => Verdict::Failed(Outcome::Refused(why.clone())),
                                None if alters => Verdict::WouldChange,
                                None => Verdict::Unchanged,
                            },
                            why: conflict,
                            after,
                            before,
                        }
                    })
                    .collect(),
                outcome: None,
            });
            continue;
        }
        match hold(source, t) {
            Ok(handle) => reports.push(change_one(source, &handle, &config.changes)),
            Err(o) => reports.push(ProcessReport {
                pid: t.pid,
                name: t.name.clone(),
                changes: Vec::new(),
                outcome: Some(o),
            }),
        }
    }
    report(config, &reports, out)
}

/// Makes every change to one held process, thread by thread where the
/// kernel keeps the setting per thread, including threads started meanwhile.
fn change_one(source: &ProcSource, handle: &Handle, changes: &[Change]) -> ProcessReport {
    let pid = handle.target.pid;
    let root = source.root();
    let mut reports = Vec::new();
    for change in changes {
        let before = read(root, pid, change);
        let mut result: std::result::Result<(), Refusal> = Ok(());
        // Applied even where it alters nothing, so that a change the
        // caller may not make fails as it would otherwise.
        let mut alters = false;
        if per_process(change) {
            alters = change.alters(before.as_ref());
            result = guarded(handle, || apply_to_thread(root, pid, pid, change));
        } else {
            let mut done = std::collections::HashSet::new();
            // Threads started while we change the others are changed too.
            for _ in 0..16 {
                let fresh: Vec<i32> = source
                    .task_ids(pid)
                    .into_iter()
                    .filter(|t| done.insert(*t))
                    .collect();
                if fresh.is_empty() {
                    break;
                }
                for tid in fresh {
                    alters |= change.alters(read_thread(root, pid, tid, change).as_ref());
                    match guarded(handle, || apply_to_thread(root, pid, tid, change)) {
                        // A thread that ended meanwhile needs no change.
                        Err(Refusal::Os(Errno::ESRCH)) if tid != pid && handle.is_alive() => {}
                        Err(e) => result = result.and(Err(e)),
                        Ok(()) => {}
                    }
                }
            }
        }
        let (outcome, why) = match result {
            Ok(()) if alters => (Verdict::Changed, None),
            Ok(()) => (Verdict::Unchanged, None),
            Err(Refusal::Os(Errno::EPERM | Errno::EACCES)) => (
                Verdict::Failed(Outcome::PermissionDenied),
                Some(format!("needs {}", change.capability())),
            ),
            Err(Refusal::Os(Errno::ESRCH)) => (Verdict::Failed(Outcome::NoSuchProcess), None),
            Err(Refusal::Os(e)) => (
                Verdict::Failed(Outcome::Refused(e.desc().to_string())),
                Some(e.desc().to_string()),
            ),
            Err(Refusal::Values(why)) => {
                (Verdict::Failed(Outcome::Refused(why.clone())), Some(why))
            }
        };
        reports.push(ChangeReport {
            what: change.what(),
            before,
            after: read(root, pid, change),
            outcome,
            why,
        });
    }
    ProcessReport {
        pid,
        name: handle.target.name.clone(),
        changes: reports,
        outcome: None,
    }
}

/// Runs a change only while the held process is still alive, so that a
/// pid freed and reused meanwhile is never touched.
fn guarded(
    handle: &Handle,
    f: impl FnOnce() -> std::result::Result<(), Refusal>,
) -> std::result::Result<(), Refusal> {
    if !handle.is_alive() {
        return Err(Errno::ESRCH.into());
    }
    f()
}

fn outcome_key(o: &Outcome) -> &'static str {
    match o {
        Outcome::Sent => "changed",
        other => other.key(),
    }
}

fn report(config: &SetConfig, reports: &[ProcessReport], out: &mut dyn Write) -> Result<Exit> {
    let ok = !reports.is_empty()
        && reports.iter().all(|r| {
            r.outcome.is_none()
                && r.changes
                    .iter()
                    .all(|c| !matches!(c.outcome, Verdict::Failed(_)))
        });
    match config.format {
        SetFormat::Json => {
            let rows: Vec<serde_json::Value> = reports
                .iter()
                .map(|r| {
                    let changes: Vec<serde_json::Value> = r
                        .changes
                        .iter()
                        .map(|c| {
                            let mut change = serde_json::json!({
                                "what": c.what,
                                "before": c.before.as_ref().map(Value::to_json),
                                "after": c.after.as_ref().map(Value::to_json),
                                "outcome": c.outcome.key(),
                            });
                            // Left out when the change needed none.
                            if let Some(why) = &c.why {
                                change["reason"] = why.clone().into();
                            }
                            change
                        })
                        .collect();
                    let mut row = serde_json::json!({"pid": r.pid, "changes": changes});
                    // Left out when there is no such process.
                    if !r.name.is_empty() {
                        row["name"] = json_text(&r.name);
                    }
                    if let Some(o) = &r.outcome {
                        row["outcome"] = outcome_key(o).into();
                    }
                    row
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        SetFormat::Text => {
            for r in reports {
                let who = if r.name.is_empty() {
                    r.pid.to_string()
                } else {
                    format!("{} ({})", r.pid, escape_bytes(&r.name))
                };
                if let Some(o) = &r.outcome {
                    warn(match o {
                        Outcome::Reused => format!(
                            "gone: pid {} now belongs to another process; not changed",
                            r.pid
                        ),
                        Outcome::PermissionDenied => format!("permission denied: {who}"),
                        _ => format!("no such process: {who}"),
                    });
                    continue;
                }
                for c in &r.changes {
                    let shown = |v: &Option<Value>| {
                        v.as_ref().map_or("unknown".to_string(), Value::to_string)
                    };
                    let (before, after) = (shown(&c.before), shown(&c.after));
                    match &c.outcome {
                        Verdict::WouldChange => writeln!(
                            out,
                            "would change {} of {who} (now {before}, would be {after})",
                            c.what
                        )?,
                        Verdict::Unchanged if config.dry_run => writeln!(
                            out,
                            "{} of {who} is already {before}, nothing to change",
                            c.what
                        )?,
                        Verdict::Unchanged if config.verbose => {
                            writeln!(out, "{who}: {} {before} (unchanged)", c.what)?;
                        }
                        Verdict::Changed if config.verbose => {
                            writeln!(out, "{who}: {} {before} -> {after}", c.what)?;
                        }
                        Verdict::Changed | Verdict::Unchanged => {}
                        Verdict::Failed(o) => {
                            let why = c
                                .why
                                .as_deref()
                                .map(|w| format!(": {w}"))
                                .unwrap_or_default();
                            // The value now, when it can be read.
                            let still = c
                                .after
                                .as_ref()
                                .map(|v| format!(" (still {v})"))
                                .unwrap_or_default();
                            warn(format_args!(
                                "{}: {} of {who} not changed{still}{why}",
                                outcome_key(o).replace('_', " "),
                                c.what
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(if ok { Exit::Success } else { Exit::Failure })
}
