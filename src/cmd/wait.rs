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
use crate::signal::deliver::{Outcome, Target, hold, wait_all};
use crate::targets::{Criteria, resolve_named, select};

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
    let (named, settled) = resolve_named(source, &config.pids, |_| None);
    let mut ok = settled.is_empty();
    for s in settled {
        match s.outcome {
            Outcome::Reused => warn(format_args!(
                "gone: pid {} now belongs to another process",
                s.pid
            )),
            _ => warn(format_args!("no such process: {}", s.pid)),
        }
    }
    let targets: Vec<Target> = match &config.criteria {
        Some(criteria) => {
            let me = [std::process::id() as i32];
            let named = (!config.pids.is_empty()).then_some((named.as_slice(), &[][..]));
            let chosen = select(source, criteria, named, &me)?;
            if chosen.is_empty() {
                warn("no process matched");
                return Ok(Exit::Failure);
            }
            chosen.into_iter().map(|c| c.target).collect()
        }
        None => named.into_iter().map(|c| c.target).collect(),
    };
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
