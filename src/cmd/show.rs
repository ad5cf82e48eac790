//! `proctl show` (alias `inspect`): everything about one process, or each
//! process matching a pattern.

use std::io::Write;

use crate::cli::{ShowArgs, TreeFormat};
use crate::error::{Error, Exit, Result};
use crate::model::detail::read_detail;
use crate::model::{Needs, ProcSource};
use crate::render::Theme;
use crate::render::show::{ShowOptions, to_json, write_text};
use crate::select::{Pattern, parse_pid};

/// What to show.
#[derive(Debug)]
pub struct ShowConfig {
    pub pid: Option<i32>,
    pub pattern: Option<Pattern>,
    pub options: ShowOptions,
    pub format: TreeFormat,
}

impl ShowConfig {
    /// Validates the arguments.
    pub fn from_args(args: &ShowArgs, theme: Theme) -> Result<ShowConfig> {
        let target = args.target.trim();
        let (pid, pattern) = if !target.is_empty() && target.bytes().all(|b| b.is_ascii_digit()) {
            (Some(parse_pid(target, "pid")?), None)
        } else if target.is_empty() {
            return Err(Error::usage("give a PID or a PATTERN"));
        } else {
            (None, Some(Pattern::new(target, false, false, args.full)?))
        };
        Ok(ShowConfig {
            pid,
            pattern,
            options: ShowOptions {
                threads: args.threads,
                files: args.files,
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
    let pids: Vec<i32> = match (config.pid, &config.pattern) {
        (Some(pid), _) => vec![pid],
        (None, Some(pattern)) => {
            let needs = if pattern.full {
                Needs::CMDLINE
            } else {
                Needs::STAT
            };
            let me = std::process::id() as i32;
            source
                .snapshot(needs, false)
                .map_err(|e| {
                    Error::Failed(format!("cannot read {}: {e}", source.root().display()))
                })?
                .processes
                .into_iter()
                .filter(|p| p.pid != me && pattern.matches(p))
                .map(|p| p.pid)
                .collect()
        }
        (None, None) => Vec::new(),
    };
    let system = source.system_facts();
    let details: Vec<_> = pids
        .iter()
        .filter_map(|&pid| read_detail(source, pid, config.options.threads))
        .collect();
    if details.is_empty() {
        return Err(Error::Failed(match config.pid {
            Some(pid) => format!("no such process: {pid}"),
            None => "no process matched".to_string(),
        }));
    }
    match config.format {
        TreeFormat::Json => {
            let objects: Vec<_> = details
                .iter()
                .map(|d| to_json(d, &system, config.options))
                .collect();
            let value = if config.pid.is_some() {
                objects.into_iter().next().unwrap_or_default()
            } else {
                objects.into()
            };
            serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        TreeFormat::Text => {
            for (i, d) in details.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                write_text(out, d, &system, config.options)?;
            }
        }
    }
    Ok(Exit::Success)
}
