//! `proctl wait`: wait for any processes, named or selected as pidwait
//! selects them, to exit, by polling pidfds.

use std::io::Write;
use std::time::Duration;

use crate::cli::WaitArgs;
use crate::cmd::signal::{Explicit, parse_target};
use crate::duration::parse_duration;
use crate::error::{Error, Exit, Result, warn};
use crate::model::ProcSource;
use crate::render::escape_bytes;
use crate::signal::deliver::{Target, hold, read_named, wait_all};
use crate::targets::Criteria;

/// The processes to wait for and for how long.
#[derive(Debug)]
pub struct WaitConfig {
    /// Pids (or thread ids), each with the start time it must still have.
    pub pids: Vec<(i32, Option<u64>)>,
    pub criteria: Option<Criteria>,
    pub timeout: Option<Duration>,
    pub verbose: bool,
}

impl WaitConfig {
    /// Validates the arguments.
    pub fn from_args(args: &WaitArgs) -> Result<WaitConfig> {
        let pids = args
            .pids
            .iter()
            .map(|p| match parse_target(p) {
                Ok(Explicit::Pid { pid, start_ticks }) => Ok((pid, start_ticks)),
                _ => Err(Error::usage(format!(
                    "invalid pid '{p}': use PID or PID@TICKS"
                ))),
            })
            .collect::<Result<Vec<_>>>()?;
        let criteria = Criteria::from_args(&args.select)?;
        if pids.is_empty() && criteria.is_none() {
            return Err(Error::usage(
                "nothing to wait for: give a PID or a selector such as --name or --user",
            ));
        }
        Ok(WaitConfig {
            pids,
            criteria,
            timeout: args.timeout.as_deref().map(parse_duration).transpose()?,
            verbose: args.verbose,
        })
    }
}

/// Runs `proctl wait`.
pub fn run(config: &WaitConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let mut ok = true;
    let mut targets: Vec<Target> = Vec::new();
    let mut named = Vec::new();
    for &(pid, ticks) in &config.pids {
        match read_named(source, pid) {
            Some((t, _, start)) if ticks.is_none_or(|s| s == start) => named.push(t),
            Some(_) => {
                warn(format_args!(
                    "gone: pid {pid} now belongs to another process"
                ));
                ok = false;
            }
            None => {
                warn(format_args!("no such process: {pid}"));
                ok = false;
            }
        }
    }
    match &config.criteria {
        Some(criteria) => {
            let mut criteria = criteria.clone();
            criteria.pids.extend(named.iter().map(|t| t.pid));
            // Named pids that are all gone leave nothing to intersect with.
            if config.pids.is_empty() || !named.is_empty() {
                let snapshot = source.snapshot(criteria.needs(), false).map_err(|e| {
                    Error::Failed(format!("cannot read {}: {e}", source.root().display()))
                })?;
                let me = [std::process::id() as i32];
                for p in criteria.choose(source, &snapshot, &me) {
                    let named_one = named.iter().find(|t| t.pid == p.pid);
                    targets.push(named_one.cloned().unwrap_or(Target {
                        pid: p.pid,
                        start_ticks: p.start_ticks,
                        name: p.name.clone(),
                        euid: p.euid,
                    }));
                }
            }
            if targets.is_empty() {
                warn("no process matched");
                return Ok(Exit::Failure);
            }
        }
        None => targets = named,
    }
    let mut handles = Vec::new();
    for t in &targets {
        // A target gone before it could be held has exited: done.
        if let Ok(h) = hold(source, t) {
            handles.push(h);
        }
    }
    let refs: Vec<_> = handles.iter().collect();
    let exited = wait_all(&refs, config.timeout);
    for (h, done) in handles.iter().zip(&exited) {
        let who = format!("{} ({})", h.target.pid, escape_bytes(&h.target.name));
        if !done {
            warn(format_args!("still running: {who}"));
            ok = false;
        } else if config.verbose {
            writeln!(out, "{who} exited")?;
        }
    }
    Ok(if ok { Exit::Success } else { Exit::Failure })
}
