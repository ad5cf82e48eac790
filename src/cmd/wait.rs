//! `proctl wait`: wait for any processes, named or selected as pidwait
//! selects them, to exit, by polling pidfds.

use std::io::Write;
use std::time::Duration;

use crate::cli::{ReportFormat, WaitArgs};
use crate::duration::parse_duration;
use crate::error::{Exit, Result, warn};
use crate::model::ProcSource;
use crate::render::escape_bytes;
use crate::signal::deliver::{Outcome, Target, hold, wait_all};
use crate::targets::{Criteria, Selectors, pid_targets, resolve_named, select};

/// The processes to wait for and for how long.
#[derive(Debug)]
pub struct WaitConfig {
    /// Pids (or thread ids), each with the start time it must still have.
    pub pids: Vec<(i32, Option<u64>)>,
    pub criteria: Option<Criteria>,
    pub timeout: Option<Duration>,
    pub verbose: bool,
    pub format: ReportFormat,
}

impl WaitConfig {
    /// Validates the arguments.
    pub fn from_args(args: &WaitArgs) -> Result<WaitConfig> {
        let pids = pid_targets(&args.pids, "pid", "use PID or PID@TICKS")?;
        let Selectors { criteria, .. } = Selectors::from_args(
            &args.select,
            None,
            !pids.is_empty(),
            "nothing to wait for: give a PID or a selector such as --name or --user",
        )?;
        Ok(WaitConfig {
            pids,
            criteria,
            timeout: args.timeout.as_deref().map(parse_duration).transpose()?,
            verbose: args.verbose,
            format: args.format,
        })
    }
}

/// Runs `proctl wait`.
pub fn run(config: &WaitConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let json = config.format == ReportFormat::Json;
    // What became of each process, for JSON: pid, name, outcome.
    let mut report: Vec<(i32, Vec<u8>, &'static str)> = Vec::new();
    let (named, settled) = resolve_named(source, &config.pids, |_| None);
    let mut ok = settled.is_empty();
    for s in settled {
        report.push((s.pid, Vec::new(), s.outcome.key()));
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
                if json {
                    write_report(out, &report)?;
                }
                return Ok(Exit::Failure);
            }
            chosen.into_iter().map(|c| c.target).collect()
        }
        None => named.into_iter().map(|c| c.target).collect(),
    };
    let mut handles = Vec::new();
    for t in &targets {
        // A target gone before it could be held has exited: done.
        match hold(source, t) {
            Ok(h) => handles.push(h),
            Err(_) => report.push((t.pid, t.name.clone(), "exited")),
        }
    }
    let refs: Vec<_> = handles.iter().collect();
    let exited = wait_all(&refs, config.timeout);
    for (h, done) in handles.iter().zip(&exited) {
        let who = format!("{} ({})", h.target.pid, escape_bytes(&h.target.name));
        let outcome = if *done { "exited" } else { "still_running" };
        report.push((h.target.pid, h.target.name.clone(), outcome));
        if !done {
            warn(format_args!("still running: {who}"));
            ok = false;
        } else if config.verbose && !json {
            writeln!(out, "{who} exited")?;
        }
    }
    if json {
        write_report(out, &report)?;
    }
    Ok(if ok { Exit::Success } else { Exit::Failure })
}

/// The JSON report: the words of `signal`'s outcomes (docs/json.md).
fn write_report(out: &mut dyn Write, report: &[(i32, Vec<u8>, &str)]) -> Result<()> {
    let rows: Vec<serde_json::Value> = report
        .iter()
        .map(|(pid, name, outcome)| {
            let mut row = serde_json::json!({"pid": pid, "outcome": outcome});
            // Left out for a process that does not exist or was reused.
            if !name.is_empty() {
                row["name"] = crate::render::escape::json_text(name);
            }
            row
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}
