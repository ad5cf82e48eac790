//! `proctl signal` (alias `kill`): choose processes, then deliver a signal
//! to exactly those, with escalation, waiting and a report.

use std::collections::HashSet;
use std::io::{BufRead, IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::cli::{ReportFormat, SignalArgs};
use crate::duration::parse_duration;
use crate::error::{Error, Exit, Result};
use crate::model::net::{Proto, parse_port, pids_on_port};
use crate::model::tree::Tree;
use crate::model::users::{NameCache, resolve_user};
use crate::model::{Needs, ProcSource, ProcessInfo};
use crate::render::escape::json_text;
use crate::render::escape_bytes;
use crate::select::{Pattern, Scope, Selection, parse_pid};
use crate::signal::deliver::{Handle, Outcome, Target, hold, send, send_to_group, wait_all};
use crate::signal::{Signal, names_line, parse_signal, table_text, translate};

/// A target named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Explicit {
    /// A pid, optionally with the start time it must still have.
    Pid { pid: i32, start_ticks: Option<u64> },
    /// A process group (`-PGID`); 0 is proctl's own group, -1 every process.
    Group(i32),
}

/// What `proctl signal` was asked to do.
#[derive(Debug)]
pub enum SignalMode {
    ListNames,
    Translate(String),
    Table,
    Send(Box<SendConfig>),
}

/// Delivery settings.
#[derive(Debug)]
pub struct SendConfig {
    pub signal: Signal,
    pub explicit: Vec<Explicit>,
    pub selection: Option<Selection>,
    pub older_than: Option<Duration>,
    pub newest: bool,
    pub oldest: bool,
    pub tree: Option<i32>,
    /// `--port`: the holders of this port.
    pub port: Option<(u16, Option<Proto>)>,
    pub force: bool,
    pub yes: bool,
    pub dry_run: bool,
    pub wait: bool,
    pub timeout: Option<Duration>,
    pub kill_after: Option<Duration>,
    pub verbose: bool,
    pub format: ReportFormat,
}

fn parse_target(text: &str) -> Result<Explicit> {
    let bad = || {
        Error::usage(format!(
            "invalid target '{text}': use PID, -PGID or PID@TICKS"
        ))
    };
    if let Some((pid, ticks)) = text.split_once('@') {
        let pid = parse_pid(pid, "pid").map_err(|_| bad())?;
        let ticks = ticks.parse().map_err(|_| bad())?;
        return Ok(Explicit::Pid {
            pid,
            start_ticks: Some(ticks),
        });
    }
    let n: i32 = text.parse().map_err(|_| bad())?;
    Ok(match n {
        n if n > 0 => Explicit::Pid {
            pid: n,
            start_ticks: None,
        },
        0 => Explicit::Group(0),
        -1 => Explicit::Group(-1),
        n => Explicit::Group(-n),
    })
}

impl SignalMode {
    /// Validates the arguments; nothing is read or sent yet.
    pub fn from_args(args: &SignalArgs) -> Result<SignalMode> {
        if args.list {
            return Ok(SignalMode::Table);
        }
        if let Some(which) = &args.list_names {
            return Ok(match which {
                Some(w) => SignalMode::Translate(w.clone()),
                None => SignalMode::ListNames,
            });
        }
        let signal = args
            .signal
            .as_deref()
            .map(parse_signal)
            .transpose()?
            .unwrap_or(Signal::TERM);
        let explicit = args
            .targets
            .iter()
            .map(|t| parse_target(t))
            .collect::<Result<Vec<_>>>()?;
        let mut sel = Selection::scope(Scope::All);
        if let Some(name) = &args.name {
            sel.pattern = Some(Pattern::new(name, true, args.exact, args.full)?);
        } else if args.full || args.exact {
            return Err(Error::usage("--full and --exact go with --name PATTERN"));
        }
        if let Some(user) = &args.user {
            sel.uids = vec![
                resolve_user(user).ok_or_else(|| Error::usage(format!("unknown user '{user}'")))?,
            ];
        }
        if let Some(p) = &args.parent {
            sel.ppids = vec![parse_pid(p, "parent pid")?];
        }
        if let Some(g) = &args.group {
            sel.pgids = vec![parse_pid(g, "process group")?];
        }
        if let Some(s) = &args.session {
            sel.sids = vec![parse_pid(s, "session")?];
        }
        let older_than = args.older_than.as_deref().map(parse_duration).transpose()?;
        let tree = args
            .tree
            .as_deref()
            .map(|t| parse_pid(t, "pid for --tree"))
            .transpose()?;
        let port = args.port.as_deref().map(parse_port).transpose()?;
        let has_selectors = sel.is_explicit()
            || older_than.is_some()
            || args.newest
            || args.oldest
            || port.is_some();
        if explicit.is_empty() && !has_selectors && tree.is_none() {
            return Err(Error::usage(
                "nothing to signal: give a PID or a selector such as --name, --user, --port or --tree",
            ));
        }
        Ok(SignalMode::Send(Box::new(SendConfig {
            signal,
            explicit,
            selection: has_selectors.then_some(sel),
            older_than,
            newest: args.newest,
            oldest: args.oldest,
            tree,
            port,
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
    name: Vec<u8>,
    euid: Option<u32>,
    signal: Signal,
    outcome: Outcome,
}

/// proctl and its ancestors: never chosen by a selector.
fn self_and_ancestors(source: &ProcSource) -> Vec<i32> {
    let mut chain = vec![std::process::id() as i32];
    while let Some(p) = chain
        .last()
        .and_then(|&pid| source.read_process(pid, Needs::STAT))
    {
        if p.ppid <= 0 || chain.contains(&p.ppid) {
            break;
        }
        chain.push(p.ppid);
    }
    chain
}

fn target_of(p: &ProcessInfo) -> Target {
    Target {
        pid: p.pid,
        start_ticks: p.start_ticks,
        name: p.name.clone(),
        euid: p.euid,
    }
}

/// Runs `proctl signal`.
pub fn run(mode: &SignalMode, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let config = match mode {
        SignalMode::ListNames => {
            out.write_all(names_line().as_bytes())?;
            return Ok(Exit::Success);
        }
        SignalMode::Translate(w) => {
            writeln!(out, "{}", translate(w)?)?;
            return Ok(Exit::Success);
        }
        SignalMode::Table => {
            out.write_all(table_text().as_bytes())?;
            return Ok(Exit::Success);
        }
        SignalMode::Send(config) => config,
    };
    let me = std::process::id() as i32;
    let protected = self_and_ancestors(source);
    let mut entries: Vec<Entry> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let mut groups: Vec<i32> = Vec::new();
    let refuse = |pid: i32| -> Option<String> {
        match pid {
            1 => Some("pid 1 is init; use --force".into()),
            p if p == me => Some("that is proctl itself; use --force".into()),
            _ => None,
        }
    };
    for e in &config.explicit {
        match *e {
            Explicit::Pid { pid, start_ticks } => {
                let reason = if config.force { None } else { refuse(pid) };
                match (Target::read(source, pid), reason) {
                    (None, _) => {
                        entries.push(entry(pid, None, config.signal, Outcome::NoSuchProcess))
                    }
                    (Some(t), Some(why)) => {
                        entries.push(entry(pid, Some(&t), config.signal, Outcome::Refused(why)))
                    }
                    (Some(t), None) if start_ticks.is_some_and(|s| s != t.start_ticks) => {
                        entries.push(entry(pid, Some(&t), config.signal, Outcome::Reused))
                    }
                    (Some(t), None) => targets.push(t),
                }
            }
            Explicit::Group(g) if (g == 0 || g == -1) && !config.force => {
                let why = if g == 0 {
                    "0 is proctl's own process group"
                } else {
                    "-1 is every process"
                };
                entries.push(entry(
                    if g == 0 { 0 } else { -1 },
                    None,
                    config.signal,
                    Outcome::Refused(format!("{why}; use --force")),
                ));
            }
            Explicit::Group(g) => groups.push(g),
        }
    }
    let mut selected_count = 0;
    if let Some(sel) = &config.selection {
        let needs = sel.needs();
        let snapshot = source
            .snapshot(needs, false)
            .map_err(|e| Error::Failed(format!("cannot read {}: {e}", source.root().display())))?;
        let mut sel = sel.clone();
        sel.exclude = protected.clone();
        if let Some((port, proto)) = config.port {
            sel.port_pids = Some(pids_on_port(source, port, proto));
        }
        if let Some(age) = config.older_than {
            let ticks = (age.as_secs_f64() * snapshot.system.hz as f64) as u64;
            sel.started_before = Some(snapshot.system.boot_ticks.saturating_sub(ticks));
        }
        let mut chosen: Vec<&ProcessInfo> = snapshot
            .processes
            .iter()
            .filter(|p| sel.matches(p))
            .collect();
        if config.newest {
            chosen = chosen
                .into_iter()
                .max_by_key(|p| (p.start_ticks, p.pid))
                .into_iter()
                .collect();
        } else if config.oldest {
            chosen = chosen
                .into_iter()
                .min_by_key(|p| (p.start_ticks, p.pid))
                .into_iter()
                .collect();
        }
        if chosen.is_empty() && config.explicit.is_empty() && config.tree.is_none() {
            eprintln!("proctl: no process matched");
            return Ok(Exit::Failure);
        }
        selected_count = chosen.len();
        targets.extend(chosen.into_iter().map(target_of));
    }
    let mut tree_targets = Vec::new();
    if let Some(root) = config.tree {
        match Target::read(source, root) {
            None => entries.push(entry(root, None, config.signal, Outcome::NoSuchProcess)),
            Some(t) if !config.force && (refuse(root).is_some() || protected.contains(&root)) => {
                let why =
                    refuse(root).unwrap_or_else(|| "an ancestor of proctl; use --force".into());
                entries.push(entry(root, Some(&t), config.signal, Outcome::Refused(why)));
            }
            Some(_) => {
                let subtree = subtree_of(source, root, &protected)?;
                selected_count += subtree.len();
                tree_targets = subtree;
            }
        }
    }
    let mut seen = HashSet::new();
    targets.retain(|t| seen.insert(t.pid));
    if selected_count > 1 && !config.yes && !config.dry_run && std::io::stdin().is_terminal() {
        let all: Vec<&Target> = targets.iter().chain(&tree_targets).collect();
        if !confirm(&all, config.signal)? {
            eprintln!("proctl: nothing sent");
            return Ok(Exit::Failure);
        }
    }
    if config.dry_run {
        for t in targets.iter().chain(&tree_targets) {
            entries.push(entry(t.pid, Some(t), config.signal, Outcome::Sent));
        }
        for &g in &groups {
            entries.push(entry(-g, None, config.signal, Outcome::Sent));
        }
        return report(config, &entries, out, true);
    }
    raise_fd_limit(targets.len() + tree_targets.len());
    let mut handles: Vec<Handle> = Vec::new();
    for t in &targets {
        match hold(source, t) {
            Ok(h) => handles.push(h),
            Err(o) => entries.push(entry(t.pid, Some(t), config.signal, o)),
        }
    }
    let mut sent: Vec<(Handle, Outcome)> = handles
        .into_iter()
        .map(|h| {
            let o = send(&h, config.signal);
            (h, o)
        })
        .collect();
    if !tree_targets.is_empty() {
        sent.extend(signal_tree(
            source,
            &tree_targets,
            config.signal,
            &mut entries,
        ));
    }
    for &g in &groups {
        entries.push(entry(
            -g,
            None,
            config.signal,
            send_to_group(g, config.signal),
        ));
    }
    finish(config, sent, &mut entries);
    report(config, &entries, out, false)
}

fn entry(pid: i32, t: Option<&Target>, signal: Signal, outcome: Outcome) -> Entry {
    Entry {
        pid,
        name: t.map(|t| t.name.clone()).unwrap_or_default(),
        euid: t.and_then(|t| t.euid),
        signal,
        outcome,
    }
}

/// PID and every descendant, parents before children, leaving out proctl
/// and its ancestors.
fn subtree_of(source: &ProcSource, root: i32, protected: &[i32]) -> Result<Vec<Target>> {
    let snapshot = source
        .snapshot(Needs::STAT, false)
        .map_err(|e| Error::Failed(format!("cannot read {}: {e}", source.root().display())))?;
    let procs = snapshot.processes;
    let tree = Tree::build(&procs);
    let Some(index) = procs.iter().position(|p| p.pid == root) else {
        return Ok(Vec::new());
    };
    Ok(tree
        .descendants(index)
        .into_iter()
        .map(|i| &procs[i])
        .filter(|p| !protected.contains(&p.pid))
        .map(target_of)
        .collect())
}

/// Signals a subtree so that no process escapes by forking or being
/// re-parented: every member is stopped with SIGSTOP first (parents before
/// children, then again for children forked meanwhile, until no new one
/// appears); then all get the signal, leaves first; then SIGCONT lets them
/// act on it (except for KILL and STOP). Processes that were stopped
/// before are left stopped.
fn signal_tree(
    source: &ProcSource,
    first: &[Target],
    signal: Signal,
    entries: &mut Vec<Entry>,
) -> Vec<(Handle, Outcome)> {
    let root = first[0].pid;
    let protected = self_and_ancestors(source);
    let mut held: Vec<(Handle, bool)> = Vec::new();
    let mut known: HashSet<i32> = HashSet::new();
    let mut batch: Vec<Target> = first.to_vec();
    while !batch.is_empty() {
        for t in batch.drain(..) {
            if !known.insert(t.pid) {
                continue;
            }
            match hold(source, &t) {
                Ok(h) => {
                    let was_stopped = source
                        .read_process(t.pid, Needs::STAT)
                        .is_some_and(|p| p.state == 'T');
                    let _ = send(&h, Signal::STOP);
                    held.push((h, was_stopped));
                }
                Err(o) => entries.push(entry(t.pid, Some(&t), signal, o)),
            }
        }
        batch = subtree_of(source, root, &protected)
            .unwrap_or_default()
            .into_iter()
            .filter(|t| !known.contains(&t.pid))
            .collect();
    }
    let outcomes: Vec<Outcome> = held.iter().rev().map(|(h, _)| send(h, signal)).collect();
    if signal != Signal::KILL && signal != Signal::STOP {
        for (h, was_stopped) in &held {
            if !was_stopped {
                let _ = send(h, Signal::CONT);
            }
        }
    }
    held.into_iter()
        .rev()
        .map(|(h, _)| h)
        .zip(outcomes)
        .collect()
}

/// Escalation and waiting after the signal went out.
fn finish(config: &SendConfig, sent: Vec<(Handle, Outcome)>, entries: &mut Vec<Entry>) {
    let started = Instant::now();
    let delivered: Vec<&Handle> = sent
        .iter()
        .filter(|(_, o)| *o == Outcome::Sent)
        .map(|(h, _)| h)
        .collect();
    let mut exited = vec![false; delivered.len()];
    if let Some(grace) = config.kill_after {
        exited = wait_all(&delivered, Some(grace));
        for (h, done) in delivered.iter().zip(&exited) {
            if !done {
                let _ = send(h, Signal::KILL);
            }
        }
    }
    if config.wait {
        let left = config.timeout.map(|t| t.saturating_sub(started.elapsed()));
        exited = wait_all(&delivered, left);
    }
    let mut k = 0;
    for (h, outcome) in &sent {
        let outcome = if *outcome == Outcome::Sent && config.wait {
            let done = exited[k];
            k += 1;
            if done {
                Outcome::Exited
            } else {
                Outcome::StillRunning
            }
        } else {
            if *outcome == Outcome::Sent {
                k += 1;
            }
            outcome.clone()
        };
        entries.push(entry(h.target.pid, Some(&h.target), config.signal, outcome));
    }
}

/// Lists the targets on stderr and asks; true when the answer is yes.
fn confirm(targets: &[&Target], signal: Signal) -> Result<bool> {
    let mut err = std::io::stderr().lock();
    for t in targets {
        writeln!(err, "  {:>7} {}", t.pid, escape_bytes(&t.name))?;
    }
    write!(
        err,
        "Send {signal} to these {} processes? [y/N] ",
        targets.len()
    )?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
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

fn describe(e: &Entry, names: &NameCache) -> String {
    let who = if e.pid < 0 || (e.pid == 0 && e.name.is_empty()) {
        format!("process group {}", -e.pid)
    } else if e.name.is_empty() {
        e.pid.to_string()
    } else {
        format!("{} ({})", e.pid, escape_bytes(&e.name))
    };
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
                    serde_json::json!({
                        "pid": e.pid,
                        "name": if e.name.is_empty() { serde_json::Value::Null } else { json_text(&e.name).into_owned().into() },
                        "signal": e.signal.name(),
                        "outcome": if dry_run { "would_send" } else { e.outcome.key() },
                    })
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
                    eprintln!("proctl: {}", describe(e, &names));
                } else if config.verbose {
                    writeln!(out, "{}", describe(e, &names))?;
                }
            }
        }
    }
    Ok(if ok { Exit::Success } else { Exit::Failure })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(
            parse_target("42").unwrap(),
            Explicit::Pid {
                pid: 42,
                start_ticks: None
            }
        );
        assert_eq!(
            parse_target("42@1000").unwrap(),
            Explicit::Pid {
                pid: 42,
                start_ticks: Some(1000)
            }
        );
        assert_eq!(parse_target("-42").unwrap(), Explicit::Group(42));
        assert_eq!(parse_target("0").unwrap(), Explicit::Group(0));
        assert_eq!(parse_target("-1").unwrap(), Explicit::Group(-1));
        for bad in ["x", "42@", "@5", "4 2", "0@5"] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }
}
