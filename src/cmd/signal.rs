//! `proctl signal` (alias `kill`): a plan of (target, signal) pairs built
//! and checked in full before anything is sent, then delivery to exactly
//! those targets, escalation, waiting and a report.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::cli::{ReportFormat, SignalArgs};
use crate::duration::parse_duration;
use crate::error::{Error, Exit, Result, warn};
use crate::model::ProcSource;
use crate::model::users::NameCache;
use crate::render::escape::json_text;
use crate::render::escape_bytes;
use crate::signal::deliver::{
    Handle, Outcome, Target, hold, send, send_queued, send_to_group, wait_all,
};
use crate::signal::tree::{TreeResult, descendants, signal_tree};
use crate::signal::{Signal, names_line, parse_signal, table_text, translate};
use crate::targets::{
    Chosen, Criteria, Explicit, Selectors, confirm, parse_target, resolve_named, select,
    self_and_ancestors,
};

/// What `proctl signal` was asked to do.
#[derive(Debug)]
pub enum SignalMode {
    ListNames,
    Translate(Vec<String>),
    Table,
    Send(Box<SendConfig>),
}

/// Delivery settings.
#[derive(Debug)]
pub struct SendConfig {
    pub signal: Signal,
    /// `--queue`: the value sent with the signal.
    pub value: Option<i32>,
    pub explicit: Vec<Explicit>,
    pub criteria: Option<Criteria>,
    pub tree: Option<i32>,
    pub force: bool,
    pub yes: bool,
    pub dry_run: bool,
    pub wait: bool,
    pub timeout: Option<Duration>,
    pub kill_after: Option<Duration>,
    pub verbose: bool,
    pub format: ReportFormat,
}

impl SignalMode {
    /// Validates the arguments; nothing is read or sent yet.
    pub fn from_args(args: &SignalArgs) -> Result<SignalMode> {
        if args.list {
            return Ok(SignalMode::Table);
        }
        if let Some(which) = &args.list_names {
            return Ok(if which.is_empty() {
                SignalMode::ListNames
            } else {
                SignalMode::Translate(which.clone())
            });
        }
        let signal = match (&args.signal, &args.signal_number) {
            (Some(s), _) => parse_signal(s)?,
            (None, Some(n)) => {
                let number: i32 = n
                    .trim()
                    .parse()
                    .map_err(|_| Error::usage(format!("invalid signal number '{n}' for -n")))?;
                Signal::from_number(number)
                    .ok_or_else(|| Error::usage(format!("unknown signal number {n}")))?
            }
            (None, None) => Signal::TERM,
        };
        let value = args
            .queue
            .as_deref()
            .map(|v| {
                v.trim().parse::<i32>().map_err(|_| {
                    Error::usage(format!("invalid --queue value '{v}': expected an integer"))
                })
            })
            .transpose()?;
        let explicit = args
            .targets
            .iter()
            .map(|t| parse_target(t))
            .collect::<Result<Vec<_>>>()?;
        let Selectors { criteria, tree } = Selectors::from_args(
            &args.select,
            args.tree.as_deref(),
            !explicit.is_empty(),
            "nothing to signal: give a PID or a selector such as --name, --user, --port or --tree",
        )?;
        if value.is_some() && explicit.iter().any(|e| matches!(e, Explicit::Group(_))) {
            return Err(Error::usage(
                "--queue sends to processes, not to process groups (sigqueue(3))",
            ));
        }
        if args.timeout.is_some() && !args.wait {
            return Err(Error::usage("--timeout goes with --wait"));
        }
        Ok(SignalMode::Send(Box::new(SendConfig {
            signal,
            value,
            explicit,
            criteria,
            tree,
            force: args.force,
            yes: args.yes,
            dry_run: args.dry_run,
            wait: args.wait,
            timeout: args.timeout.as_deref().map(parse_duration).transpose()?,
            kill_after: args.kill_after.as_deref().map(parse_duration).transpose()?,
            verbose: args.verbose,
            format: args.format,
        })))
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
struct Entry {
    /// The pid, or minus the process group.
    pid: i32,
    /// The thread id the user named, when it was one.
    thread: Option<i32>,
    name: Vec<u8>,
    euid: Option<u32>,
    signal: Signal,
    outcome: Outcome,
}

impl Entry {
    fn new(pid: i32, t: Option<&Target>, signal: Signal, outcome: Outcome) -> Entry {
        Entry {
            pid,
            thread: None,
            name: t.map(|t| t.name.clone()).unwrap_or_default(),
            euid: t.and_then(|t| t.euid),
            signal,
            outcome,
        }
    }
}

/// Everything `run` will do, decided before the first signal.
struct Plan {
    processes: Vec<Chosen>,
    groups: Vec<i32>,
    tree: Option<Target>,
    /// Outcomes known already: refusals, missing and reused pids.
    settled: Vec<Entry>,
}

/// Why proctl will not signal this pid without --force.
fn refusal(pid: i32, force: bool) -> Option<String> {
    if force {
        return None;
    }
    match pid {
        1 => Some("pid 1 is init; use --force".into()),
        p if p == std::process::id() as i32 => Some("that is proctl itself; use --force".into()),
        _ => None,
    }
}

fn build_plan(config: &SendConfig, source: &ProcSource, protected: &[i32]) -> Result<Plan> {
    let mut plan = Plan {
        processes: Vec::new(),
        groups: Vec::new(),
        tree: None,
        settled: Vec::new(),
    };
    let signal = config.signal;
    let pids: Vec<(i32, Option<u64>)> = config
        .explicit
        .iter()
        .filter_map(|e| match *e {
            Explicit::Pid { pid, start_ticks } => Some((pid, start_ticks)),
            Explicit::Group(_) => None,
        })
        .collect();
    let (named_pids, settled) = resolve_named(source, &pids, |pid| refusal(pid, config.force));
    plan.settled.extend(
        settled
            .into_iter()
            .map(|s| Entry::new(s.pid, s.target.as_ref(), signal, s.outcome)),
    );
    let mut named_groups = Vec::new();
    for e in &config.explicit {
        match *e {
            Explicit::Pid { .. } => {}
            Explicit::Group(-1) if !config.force => plan.settled.push(Entry::new(
                -1,
                None,
                signal,
                Outcome::Refused("-1 is every process; use --force".into()),
            )),
            // 0 is proctl's own group: named by number in the report.
            Explicit::Group(0) => named_groups.push(nix::unistd::getpgrp().as_raw()),
            Explicit::Group(g) => named_groups.push(g),
        }
    }
    match &config.criteria {
        Some(criteria) => {
            let named = (!config.explicit.is_empty())
                .then_some((named_pids.as_slice(), named_groups.as_slice()));
            plan.processes = select(source, criteria, named, protected)?;
        }
        None => {
            plan.processes = named_pids;
            plan.groups = named_groups;
        }
    }
    if let Some(root) = config.tree {
        match Target::read(source, root) {
            None => plan
                .settled
                .push(Entry::new(root, None, signal, Outcome::NoSuchProcess)),
            Some(t) => {
                let why = refusal(root, config.force).or_else(|| {
                    (!config.force && protected.contains(&root))
                        .then(|| "an ancestor of proctl; use --force".to_string())
                });
                match why {
                    Some(why) => {
                        plan.settled
                            .push(Entry::new(root, Some(&t), signal, Outcome::Refused(why)))
                    }
                    None => plan.tree = Some(t),
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    plan.processes.retain(|p| seen.insert(p.target.pid));
    Ok(plan)
}

/// Runs `proctl signal`.
pub fn run(mode: &SignalMode, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let config = match mode {
        SignalMode::ListNames => {
            out.write_all(names_line().as_bytes())?;
            return Ok(Exit::Success);
        }
        SignalMode::Translate(words) => {
            // Every word is checked before anything is printed.
            let lines = words
                .iter()
                .map(|w| translate(w))
                .collect::<Result<Vec<_>>>()?;
            for line in lines {
                writeln!(out, "{line}")?;
            }
            return Ok(Exit::Success);
        }
        SignalMode::Table => {
            out.write_all(table_text().as_bytes())?;
            return Ok(Exit::Success);
        }
        SignalMode::Send(config) => config,
    };
    let protected = self_and_ancestors(source);
    let plan = build_plan(config, source, &protected)?;
    let mut entries = plan.settled.clone();
    let nothing = plan.processes.is_empty() && plan.groups.is_empty() && plan.tree.is_none();
    if nothing && entries.is_empty() {
        warn("no process matched");
        report(config, &entries, out, false)?;
        return Ok(Exit::Failure);
    }
    let may_ask = !config.yes
        && !config.dry_run
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal();
    let mut all: Vec<Target> = Vec::new();
    if may_ask {
        if config.criteria.is_some() {
            all.extend(plan.processes.iter().map(|p| p.target.clone()));
        }
        if let Some(root) = &plan.tree {
            all.push(root.clone());
            all.extend(descendants(source, root.pid, &protected));
        }
    }
    let question = format!("Send {} to these {} processes?", config.signal, all.len());
    if all.len() > 1 && !confirm(&all, &question)? {
        warn("nothing sent");
        return Ok(Exit::Failure);
    }
    if config.dry_run {
        for p in &plan.processes {
            let mut e = Entry::new(p.target.pid, Some(&p.target), config.signal, Outcome::Sent);
            e.thread = p.thread;
            entries.push(e);
        }
        for &g in &plan.groups {
            entries.push(Entry::new(-g, None, config.signal, Outcome::Sent));
        }
        if let Some(root) = &plan.tree {
            for t in descendants(source, root.pid, &protected).iter().rev() {
                entries.push(Entry::new(t.pid, Some(t), config.signal, Outcome::Sent));
            }
            entries.push(Entry::new(
                root.pid,
                Some(root),
                config.signal,
                Outcome::Sent,
            ));
        }
        return report(config, &entries, out, true);
    }
    raise_fd_limit(plan.processes.len() + if plan.tree.is_some() { 4096 } else { 0 });
    let deliver = |h: &Handle| match config.value {
        Some(v) => send_queued(h, config.signal, v),
        None => send(h, config.signal),
    };
    let mut sent: Vec<(Handle, Option<i32>, Outcome)> = Vec::new();
    for p in &plan.processes {
        match hold(source, &p.target) {
            Ok(h) => {
                let o = deliver(&h);
                sent.push((h, p.thread, o));
            }
            Err(o) => {
                let mut e = Entry::new(p.target.pid, Some(&p.target), config.signal, o);
                e.thread = p.thread;
                entries.push(e);
            }
        }
    }
    if let Some(root) = &plan.tree {
        match hold(source, root) {
            Ok(h) => {
                let TreeResult { reached, missed } =
                    signal_tree(source, h, config.signal, config.value, &protected);
                sent.extend(reached.into_iter().map(|(h, o)| (h, None, o)));
                for (t, o) in missed {
                    entries.push(Entry::new(t.pid, Some(&t), config.signal, o));
                }
            }
            Err(o) => entries.push(Entry::new(root.pid, Some(root), config.signal, o)),
        }
    }
    for &g in &plan.groups {
        entries.push(Entry::new(
            -g,
            None,
            config.signal,
            signal_group(g, config.signal),
        ));
    }
    finish(config, sent, &mut entries);
    report(config, &entries, out, false)
}

/// kill(2) to a process group. When proctl is in that group,
/// it blocks the signal for itself first, so that it lives to report: the
/// signal stays pending and is discarded when proctl exits. (STOP cannot be
/// blocked: proctl stops with its group, as kill(1) would.)
fn signal_group(group: i32, signal: Signal) -> Outcome {
    let own = nix::unistd::getpgrp().as_raw();
    if (group == own || group == -1)
        && let Ok(sig) = nix::sys::signal::Signal::try_from(signal.number())
    {
        let mut set = nix::sys::signal::SigSet::empty();
        set.add(sig);
        let _ = set.thread_block();
    }
    if group == -1 {
        return crate::signal::deliver::kill_raw(-1, signal);
    }
    send_to_group(group, signal)
}

/// Escalation and waiting after the signal went out; `--timeout` bounds
/// the whole of it, the grace period of `--kill-after` included.
fn finish(
    config: &SendConfig,
    sent: Vec<(Handle, Option<i32>, Outcome)>,
    entries: &mut Vec<Entry>,
) {
    let started = Instant::now();
    let deadline = config.timeout.map(|t| started + t);
    let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    let delivered: Vec<usize> = (0..sent.len())
        .filter(|&i| sent[i].2 == Outcome::Sent)
        .collect();
    let handles: Vec<&Handle> = delivered.iter().map(|&i| &sent[i].0).collect();
    let mut exited = vec![false; handles.len()];
    let mut killed = vec![false; handles.len()];
    if let Some(grace) = config.kill_after {
        let bounded = left().map_or(grace, |l| l.min(grace));
        exited = wait_all(&handles, Some(bounded));
        let grace_over = bounded == grace || started.elapsed() >= grace;
        if grace_over {
            for (k, h) in handles.iter().enumerate() {
                if !exited[k] && send(h, Signal::KILL) == Outcome::Sent {
                    killed[k] = true;
                    if config.format == ReportFormat::Text {
                        warn(format_args!(
                            "{} was still running after {}s: sent KILL",
                            who(h.target.pid, &h.target.name),
                            grace.as_secs_f64()
                        ));
                    }
                }
            }
        }
    }
    if config.wait {
        exited = wait_all(&handles, left());
    }
    let mut k_of = std::collections::HashMap::new();
    for (k, &i) in delivered.iter().enumerate() {
        k_of.insert(i, k);
    }
    for (i, (h, thread, outcome)) in sent.iter().enumerate() {
        let outcome = match k_of.get(&i) {
            Some(&k) if config.wait && !exited[k] => Outcome::StillRunning,
            Some(&k) if killed[k] => Outcome::Killed,
            Some(&k) if exited[k] => Outcome::Exited,
            _ => outcome.clone(),
        };
        let mut e = Entry::new(h.target.pid, Some(&h.target), config.signal, outcome);
        e.thread = *thread;
        entries.push(e);
    }
}

/// Lets proctl hold a pidfd for each of many targets.
fn raise_fd_limit(wanted: usize) {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE)
        && (soft as usize) < wanted + 64
    {
        let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
    }
}

fn who(pid: i32, name: &[u8]) -> String {
    if name.is_empty() {
        pid.to_string()
    } else {
        format!("{pid} ({})", escape_bytes(name))
    }
}

fn describe(e: &Entry, names: &NameCache) -> String {
    let mut who = if e.pid < 0 || (e.pid == 0 && e.name.is_empty()) {
        format!("process group {}", -e.pid)
    } else {
        who(e.pid, &e.name)
    };
    if let Some(tid) = e.thread {
        who = format!("{who}, the process of thread {tid}");
    }
    match &e.outcome {
        Outcome::PermissionDenied => match e.euid {
            Some(uid) => format!(
                "permission denied: {who} belongs to {}",
                names.user(uid).unwrap_or_else(|| uid.to_string())
            ),
            None => format!("permission denied: {who}"),
        },
        Outcome::NoSuchProcess => format!("no such process: {who}"),
        Outcome::Reused => format!(
            "gone: pid {} now belongs to another process; not signalled",
            e.pid
        ),
        Outcome::Refused(why) => format!("refused: {who}: {why}"),
        Outcome::StillRunning => format!("still running: {who}"),
        Outcome::Sent => format!("sent {} to {who}", e.signal),
        Outcome::Exited => format!("{who} exited"),
        Outcome::Killed => format!("{who} killed with KILL after the grace period"),
    }
}

fn report(
    config: &SendConfig,
    entries: &[Entry],
    out: &mut dyn Write,
    dry_run: bool,
) -> Result<Exit> {
    let names = NameCache::default();
    let ok = !entries.is_empty() && entries.iter().all(|e| e.outcome.ok());
    match config.format {
        ReportFormat::Json => {
            let rows: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| {
                    let outcome = if dry_run {
                        "would_send"
                    } else {
                        e.outcome.key()
                    };
                    let mut row = serde_json::json!({
                        "pid": e.pid,
                        "signal": e.signal.name(),
                        "outcome": outcome,
                    });
                    // No name when there is no such process (or it was
                    // reused): left out (docs/json.md).
                    if !e.name.is_empty() {
                        row["name"] = json_text(&e.name);
                    }
                    if let Some(tid) = e.thread {
                        row["tid"] = tid.into();
                    }
                    if let Outcome::Refused(why) = &e.outcome {
                        row["reason"] = why.clone().into();
                    }
                    row
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        ReportFormat::Text => {
            for e in entries {
                if dry_run {
                    let line = describe(e, &names).replacen("sent", "would send", 1);
                    writeln!(out, "{line}")?;
                } else if !e.outcome.ok() {
                    warn(describe(e, &names));
                } else if config.verbose {
                    writeln!(out, "{}", describe(e, &names))?;
                }
            }
        }
    }
    Ok(if ok { Exit::Success } else { Exit::Failure })
}
