//! `proctl show` (alias `inspect`): everything about one process, each
//! process matching a pattern, or each process holding a path (--holding).

use std::io::Write;

use crate::cli::{ShowArgs, ShowFormat};
use crate::error::{Error, Exit, Result};
use crate::model::detail::{DetailOptions, read_detail};
use crate::model::holding::{HoldTarget, describe, describe_each, holders, parse_targets};
use crate::model::{Needs, ProcSource};
use crate::render::Theme;
use crate::render::show::{ShowOptions, to_json, write_text};
use crate::select::{Pattern, parse_pid};

/// What to show.
#[derive(Debug)]
pub struct ShowConfig {
    pub pid: Option<i32>,
    pub pattern: Option<Pattern>,
    pub holding: Vec<HoldTarget>,
    pub options: ShowOptions,
    pub format: ShowFormat,
}

impl ShowConfig {
    /// Validates the arguments (each --holding path must exist).
    pub fn from_args(args: &ShowArgs, source: &ProcSource, theme: Theme) -> Result<ShowConfig> {
        let target = args.target.as_deref().map(str::trim);
        let (pid, pattern) = match target {
            Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
                (Some(parse_pid(t, "pid")?), None)
            }
            Some("") => return Err(Error::usage("give a PID or a PATTERN")),
            Some(t) => (None, Some(Pattern::new(t, false, false, args.full)?)),
            None if args.holding.is_empty() => {
                return Err(Error::usage("give a PID, a PATTERN or --holding PATH"));
            }
            None => (None, None),
        };
        let holding = parse_targets(source.root(), &args.holding, args.mount)?;
        Ok(ShowConfig {
            pid,
            pattern,
            holding,
            options: ShowOptions {
                threads: args.threads,
                files: args.files,
                maps: args.maps,
                env: args.env,
                show_secrets: args.show_secrets,
                theme,
            },
            format: args.format,
        })
    }
}

/// Runs `proctl show`.
pub fn run(config: &ShowConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let me = source.own_pid();
    if let Some(pid) = config.pid
        && let Some(tgid) = thread_group_of(source.root(), pid)
    {
        // As `ps -p TID` finds nothing: showing the thread as if it were
        // a process would give its process's details under the thread's
        // id, a pid no other command knows.
        return Err(Error::Failed(format!(
            "no such process: {pid} is a thread of process {tgid} (proctl show {tgid} --threads lists it)"
        )));
    }
    let mut pids: Vec<i32> = match (config.pid, &config.pattern) {
        (Some(pid), _) => vec![pid],
        (None, Some(pattern)) => {
            let needs = if pattern.full {
                Needs::CMDLINE
            } else {
                Needs::STAT
            };
            source
                .snapshot(needs, false)
                .map_err(|e| {
                    Error::Failed(format!("cannot read {}: {e}", source.root().display()))
                })?
                .processes
                .into_iter()
                .filter(|p| Some(p.pid) != me && pattern.matches(p))
                .map(|p| p.pid)
                .collect()
        }
        (None, None) => source
            .pids()
            .map_err(|e| Error::Failed(format!("cannot read {}: {e}", source.root().display())))?
            .into_iter()
            .filter(|&p| Some(p) != me)
            .collect(),
    };
    let mut holds = std::collections::BTreeMap::new();
    if !config.holding.is_empty() {
        let found = holders(source.root(), &pids, &config.holding);
        pids.retain(|p| found.by_pid.contains_key(p));
        if !found.unreadable.is_empty() {
            // As `ports` does: one line, whoever runs proctl.
            crate::error::warn(crate::model::holding::unreadable_note(
                found.unreadable.len(),
            ));
        }
        holds = found.by_pid;
    }
    let system = source.system_facts();
    let opts = DetailOptions {
        threads: config.options.threads,
        resolve_files: config.options.files,
        maps: config.options.maps,
    };
    let details: Vec<_> = pids
        .iter()
        .filter_map(|&pid| read_detail(source, pid, opts))
        .collect();
    if details.is_empty() {
        // An array command prints an empty array when nothing matched.
        let array = config.pid.is_none() || !config.holding.is_empty();
        if config.format == ShowFormat::Json && array {
            out.write_all(b"[]\n")?;
        }
        return Err(Error::Failed(match config.pid {
            Some(pid) if config.holding.is_empty() => format!("no such process: {pid}"),
            _ => "no process matched".to_string(),
        }));
    }
    let held = |pid: i32| {
        holds
            .get(&pid)
            .map(|h| describe(h, &config.holding))
            .unwrap_or_default()
    };
    match config.format {
        ShowFormat::Json => {
            let objects: Vec<_> = details
                .iter()
                .map(|d| {
                    let mut v = to_json(d, &system, config.options);
                    if !config.holding.is_empty() {
                        // A list of ways, as `ps -o holds` gives it.
                        let ways = holds
                            .get(&d.info.pid)
                            .map(|h| describe_each(h, &config.holding));
                        v["holds"] = ways.unwrap_or_default().into();
                    }
                    v
                })
                .collect();
            let value = if config.pid.is_some() && config.holding.is_empty() {
                objects.into_iter().next().unwrap_or_default()
            } else {
                objects.into()
            };
            serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        ShowFormat::Text => {
            for (i, d) in details.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                if !config.holding.is_empty() {
                    writeln!(out, "Holding\n  {:<18} {}", "how", held(d.info.pid))?;
                }
                write_text(out, d, &system, config.options)?;
            }
        }
    }
    Ok(Exit::Success)
}

/// The process a thread id belongs to, when `pid` names a thread other
/// than its process's first: /proc has a directory for every thread id,
/// though listing /proc shows only processes (proc(5), /proc/PID/task).
fn thread_group_of(root: &std::path::Path, pid: i32) -> Option<i32> {
    let status = std::fs::read_to_string(root.join(pid.to_string()).join("status")).ok()?;
    let tgid: i32 = status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))?
        .trim()
        .parse()
        .ok()?;
    (tgid != pid).then_some(tgid)
}
