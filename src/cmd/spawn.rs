//! `proctl spawn`: glue from the command line to a supervised child.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use crate::cli::SpawnArgs;
use crate::duration::parse_duration;
use crate::error::{Error, Exit, Result};
use crate::signal::{Signal, parse_signal};
use crate::spawn::attrs::{ChildSetup, parse_rlimit, parse_umask};
use crate::spawn::env::{Env, EnvOp, build_env, env_diff, parse_assignment};
use crate::spawn::stdio::{Input, Output, parse_input, parse_output};
use crate::spawn::{ErrTarget, SpawnPlan, report_json, resolve_program};

/// What `proctl spawn` was asked to do.
#[derive(Debug)]
pub struct SpawnConfig {
    pub argv: Vec<OsString>,
    pub dry_run: bool,
    pub detach: bool,
    pub pidfile: Option<PathBuf>,
    pub report: Option<PathBuf>,
    /// The plan, or why the program cannot be started (reported with 126/127).
    pub plan: std::result::Result<SpawnPlan, (u8, String)>,
    pub inherited: Env,
}

impl SpawnConfig {
    /// Validates everything before anything starts. `env_ops` are the
    /// `-e`, `--unset` and `--env-file` values in command-line order.
    pub fn from_args(
        args: &SpawnArgs,
        env_ops: Vec<(String, OsString)>,
        color: bool,
    ) -> Result<SpawnConfig> {
        let mut ops = Vec::new();
        for (id, value) in env_ops {
            ops.push(match id.as_str() {
                "env" => {
                    let (k, v) = parse_assignment(&value)?;
                    EnvOp::Set(k, v)
                }
                "unset" => EnvOp::Unset(value),
                _ => EnvOp::File(PathBuf::from(value)),
            });
        }
        let inherited: Env = std::env::vars_os().collect();
        let env = build_env(inherited.clone(), args.clear_env, &ops)?;
        if let Some(dir) = &args.cwd
            && !dir.is_dir()
        {
            return Err(Error::usage(format!(
                "no such directory for --cwd: {}",
                dir.display()
            )));
        }
        let stdin = match (&args.input, &args.stdin) {
            (Some(text), _) => Input::Text(text.as_encoded_bytes().to_vec()),
            (None, Some(s)) => parse_input(s),
            (None, None) if args.detach => Input::Null,
            (None, None) => Input::Inherit,
        };
        if let Input::File(path) = &stdin
            && std::fs::File::open(path).is_err()
        {
            return Err(Error::usage(format!(
                "cannot read --stdin file {}",
                path.display()
            )));
        }
        let stdout = args.stdout.as_deref().map_or(Output::Inherit, parse_output);
        let stderr = match args.stderr.as_deref() {
            Some("stdout") => ErrTarget::Stdout,
            Some(s) => ErrTarget::Output(parse_output(s)),
            None => ErrTarget::Output(Output::Inherit),
        };
        let rlimits = args
            .rlimit
            .iter()
            .map(|r| parse_rlimit(r))
            .collect::<Result<Vec<_>>>()?;
        if let Some(n) = args.nice
            && !(-20..=19).contains(&n)
        {
            return Err(Error::usage(format!("invalid --nice {n}: use -20 to 19")));
        }
        let umask = args.umask.as_deref().map(parse_umask).transpose()?;
        let timeout = args.timeout.as_deref().map(parse_duration).transpose()?;
        let kill_after = args.kill_after.as_deref().map(parse_duration).transpose()?;
        let timeout_signal = args
            .timeout_signal
            .as_deref()
            .map(parse_signal)
            .transpose()?
            .unwrap_or(Signal::TERM);
        let program = args.command[0].clone();
        let plan = resolve_program(&program, &env, args.cwd.as_deref())
            .map(|path| SpawnPlan {
                program: program.clone(),
                path,
                args: args.command[1..].to_vec(),
                env,
                cwd: args.cwd.clone(),
                stdin,
                stdout,
                stderr,
                prefix: args.prefix.clone(),
                tee: args.tee.clone(),
                new_group: args.new_group,
                setup: ChildSetup {
                    new_session: args.new_session,
                    nice: args.nice,
                    rlimits,
                    die_with_parent: args.die_with_parent.then(|| std::process::id() as i32),
                    umask,
                },
                timeout,
                timeout_signal,
                kill_after,
                color,
            })
            .map_err(|e| {
                let (code, msg) = e.status_and_message();
                (code, msg.to_string())
            });
        Ok(SpawnConfig {
            argv: args.command.clone(),
            dry_run: args.dry_run,
            detach: args.detach,
            pidfile: args.pidfile.clone(),
            report: args.report.clone(),
            plan,
            inherited,
        })
    }
}

/// Writes a file atomically: a temporary file in the same directory, renamed.
fn write_atomically(path: &PathBuf, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name()
            .map_or("pid".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// Runs `proctl spawn`.
pub fn run(config: &SpawnConfig, out: &mut dyn Write) -> Result<Exit> {
    let plan = match &config.plan {
        Ok(plan) => plan,
        Err((code, msg)) => {
            eprintln!("proctl: {msg}");
            return Ok(Exit::Child(*code));
        }
    };
    if config.dry_run {
        writeln!(out, "program: {}", plan.path.display())?;
        let args: Vec<String> = config
            .argv
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        writeln!(
            out,
            "argv: {}",
            serde_json::to_string(&args).map_err(std::io::Error::from)?
        )?;
        let cwd = plan
            .cwd
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        writeln!(out, "cwd: {}", cwd.display())?;
        for line in env_diff(&config.inherited, &plan.env) {
            writeln!(out, "env: {line}")?;
        }
        return Ok(Exit::Success);
    }
    if config.detach {
        let pid = plan.detach().map_err(|e| child_error(&e))?;
        if let Some(path) = &config.pidfile {
            write_atomically(path, &format!("{pid}\n")).map_err(|e| {
                Error::Failed(format!("cannot write pidfile {}: {e}", path.display()))
            })?;
        }
        writeln!(out, "{pid}")?;
        return Ok(Exit::Success);
    }
    out.flush()?;
    let outcome = match plan.run() {
        Ok(o) => o,
        Err(e) => {
            let (code, msg) = e.status_and_message();
            eprintln!("proctl: {msg}");
            return Ok(Exit::Child(code));
        }
    };
    let name = plan.program.to_string_lossy();
    if outcome.timed_out {
        eprintln!(
            "proctl: {name} timed out after {:.3}s (sent {})",
            plan.timeout.unwrap_or_default().as_secs_f64(),
            plan.timeout_signal
        );
    } else if let Some(sig) = std::os::unix::process::ExitStatusExt::signal(&outcome.status) {
        let sig_name = Signal::from_number(sig).map_or_else(|| sig.to_string(), Signal::name);
        eprintln!("proctl: {name} was killed by signal {sig} ({sig_name})");
    }
    if let Some(path) = &config.report {
        let tz = jiff::tz::TimeZone::system();
        let text = serde_json::to_string(&report_json(&config.argv, &outcome, &tz))
            .map_err(std::io::Error::from)?
            + "\n";
        if path.as_os_str() == "-" {
            out.write_all(text.as_bytes())?;
        } else {
            std::fs::write(path, text).map_err(|e| {
                Error::Failed(format!("cannot write report {}: {e}", path.display()))
            })?;
        }
    }
    Ok(Exit::Child(outcome.exit_status()))
}

fn child_error(e: &crate::spawn::LaunchError) -> Error {
    Error::Failed(e.status_and_message().1.to_string())
}
