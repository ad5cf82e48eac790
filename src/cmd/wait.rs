//! `proctl wait`: wait for any processes to exit, by polling pidfds.

use std::io::Write;
use std::time::Duration;

use crate::cli::WaitArgs;
use crate::duration::parse_duration;
use crate::error::{Exit, Result};
use crate::model::ProcSource;
use crate::render::escape_bytes;
use crate::select::parse_pid;
use crate::signal::deliver::{Target, hold, wait_all};

/// The pids to wait for and for how long.
#[derive(Debug)]
pub struct WaitConfig {
    pub pids: Vec<i32>,
    pub timeout: Option<Duration>,
    pub verbose: bool,
}

impl WaitConfig {
    /// Validates the arguments.
    pub fn from_args(args: &WaitArgs) -> Result<WaitConfig> {
        let pids = args
            .pids
            .iter()
            .map(|p| parse_pid(p, "pid"))
            .collect::<Result<_>>()?;
        Ok(WaitConfig {
            pids,
            timeout: args.timeout.as_deref().map(parse_duration).transpose()?,
            verbose: args.verbose,
        })
    }
}

/// Runs `proctl wait`.
pub fn run(config: &WaitConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let mut ok = true;
    let mut handles = Vec::new();
    for &pid in &config.pids {
        match Target::read(source, pid).map(|t| hold(source, &t)) {
            Some(Ok(h)) => handles.push(h),
            _ => {
                eprintln!("proctl: no such process: {pid}");
                ok = false;
            }
        }
    }
    let refs: Vec<_> = handles.iter().collect();
    let exited = wait_all(&refs, config.timeout);
    for (h, done) in handles.iter().zip(&exited) {
        let who = format!("{} ({})", h.target.pid, escape_bytes(&h.target.name));
        if !done {
            eprintln!("proctl: still running: {who}");
            ok = false;
        } else if config.verbose {
            writeln!(out, "{who} exited")?;
        }
    }
    Ok(if ok { Exit::Success } else { Exit::Failure })
}
