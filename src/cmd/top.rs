//! `proctl top`: the command line checked into a plain config, then the
//! live view or the batch frames.

use std::io::Write;
use std::time::Duration;

use regex::bytes::Regex;

use crate::cli::{TopArgs, TopFormat};
use crate::duration::parse_duration;
use crate::error::{Error, Exit, Result, closest};
use crate::model::ProcSource;
use crate::render::Theme;
use crate::select::parse_pid;
use crate::terminal::Terminal;
use crate::top::batch::{self, BatchFormat};
use crate::top::columns::{self, Shown};
use crate::top::keys::KeyColumn;
use crate::top::sample::Sampler;
use crate::top::state::{MIN_DELAY, Selection, TopState, ViewOptions};
use crate::top::timing::{Phase, Timing};

/// Everything `proctl top` was asked for, validated.
#[derive(Debug, Clone)]
pub struct TopConfig {
    /// Frames on stdout instead of the live view.
    pub batch: Option<BatchFormat>,
    pub iterations: Option<u64>,
    pub view: ViewOptions,
    pub color: bool,
}

impl TopConfig {
    /// Checks every option before anything is read or drawn.
    pub fn from_args(args: &TopArgs, term: &Terminal, theme: Theme) -> Result<TopConfig> {
        let iterations = args
            .iterations
            .as_deref()
            .map(|n| {
                n.trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        Error::usage(format!(
                            "invalid --iterations '{n}': expected a positive number"
                        ))
                    })
            })
            .transpose()?;
        let batch = match (args.format, args.batch || !term.is_tty) {
            (Some(TopFormat::Json), _) => Some(BatchFormat::Json),
            (Some(TopFormat::Ndjson), _) => Some(BatchFormat::Ndjson),
            (Some(TopFormat::Text), _) | (None, true) => Some(BatchFormat::Text),
            (None, false) => None,
        };
        let delay = match &args.delay {
            Some(text) => parse_duration(text)?,
            None => Duration::from_secs(1),
        };
        // A live view refreshing faster than this would cost a core; batch
        // frames may come back to back.
        if batch.is_none() && delay < MIN_DELAY {
            return Err(Error::usage(format!(
                "invalid --delay '{}': the live view needs at least 0.1s",
                args.delay.as_deref().unwrap_or_default()
            )));
        }
        let mut pids = Vec::new();
        for list in &args.pid {
            for item in list.split(',') {
                pids.push(parse_pid(item, "pid")?);
            }
        }
        let uid = args
            .user
            .as_deref()
            .map(|u| {
                crate::model::users::resolve_user(u.trim())
                    .ok_or_else(|| Error::usage(format!("unknown user '{u}'")))
            })
            .transpose()?;
        let pattern = args
            .match_pattern
            .as_deref()
            .map(|p| {
                Regex::new(p).map_err(|e| {
                    let why = e.to_string();
                    let last = why.lines().last().unwrap_or("").trim().to_string();
                    Error::usage(format!("invalid regex '{p}': {last}"))
                })
            })
            .transpose()?;
        let (keys, request) = crate::top::keys::parse_lists(&args.fields)?;
        let sort = match &args.sort {
            Some(key) => sort_column(key.trim(), &keys)?,
            None => Shown::top("%CPU"),
        };
        Ok(TopConfig {
            batch,
            iterations,
            view: ViewOptions {
                selection: Selection { pids, uid, pattern },
                sort,
                keys,
                request,
                reverse: false,
                tree: args.tree,
                threads: args.threads,
                delay,
            },
            color: theme.enabled(),
        })
    }
}

/// The `--sort` column: one of top's, else a key of `-o` (top's own
/// spellings win: `rss` is RES).
fn sort_column(key: &str, keys: &[KeyColumn]) -> Result<Shown> {
    if let Some(i) = columns::lookup(key) {
        return Ok(Shown::Top(i));
    }
    if let Some(k) = keys.iter().find(|k| k.spec.key == key) {
        return Ok(Shown::Key(k.clone()));
    }
    let known: Vec<&str> = columns::keys()
        .chain(keys.iter().map(|k| k.spec.key))
        .collect();
    let hint = closest(key, known.iter().copied())
        .map(|k| format!(" (did you mean '{k}'?)"))
        .unwrap_or_default();
    Err(Error::usage(format!(
        "unknown sort key '{key}'{hint}; use one of: {}",
        known.join(", ")
    )))
}

/// Runs `proctl top`.
pub fn run(config: &TopConfig, source: ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let mut sampler = Sampler::new(source);
    match config.batch {
        Some(format) => run_batch(config, format, &mut sampler, out),
        None => crate::top::live::run(config, sampler),
    }
}

fn run_batch(
    config: &TopConfig,
    format: BatchFormat,
    sampler: &mut Sampler,
    out: &mut dyn Write,
) -> Result<Exit> {
    let mut state: Option<TopState> = None;
    let mut frames = 0u64;
    let mut timing = Timing::from_env();
    while config.iterations.is_none_or(|n| frames < n) {
        if frames > 0 {
            std::thread::sleep(config.view.delay);
        }
        let needs = crate::top::keys::needs(&config.view.keys);
        let frame = timing
            .time(Phase::Read, || sampler.sample(config.view.threads, needs))
            .map_err(|e| {
                Error::Failed(format!(
                    "cannot read {}: {e}",
                    sampler.source().root().display()
                ))
            })?;
        let current = timing.time(Phase::Rebuild, || match state.take() {
            Some(mut s) => {
                s.apply_frame(frame);
                s
            }
            None => TopState::new(frame, config.view.clone(), (0, 0)),
        });
        timing.time(Phase::Draw, || {
            batch::write_frame(out, &current, format, frames)
        })?;
        state = Some(current);
        timing.frame_done("batch");
        frames += 1;
        // Each frame is seen as soon as it is made (a pipe is not line-buffered).
        out.flush()?;
    }
    batch::finish(out, format, frames)?;
    Ok(Exit::Success)
}
