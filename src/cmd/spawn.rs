//! `proctl spawn`: glue from the command line to a supervised child.
//!
//! Validate, then act: the command line is checked first (a bad value is
//! a usage error, exit 2, before anything else); then the environment,
//! the directory, the program and every file are checked or opened (a
//! failure is exit 125, or 126/127 for the program, with nothing started
//! or truncated); only then does the program start.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::SpawnArgs;
use crate::duration::parse_duration;
use crate::error::{Error, Exit, Result};
use crate::signal::parse_signal;
use crate::spawn::attrs::{parse_rlimit, parse_umask, rlimit_problem};
use crate::spawn::env::{Env, EnvOp, build_env, env_diff, parse_assignment};
use crate::spawn::files::{Opener, check_report_target};
use crate::spawn::signals::catchable;
use crate::spawn::stdio::{Input, Output, parse_input, parse_output};
use crate::spawn::supervise::Timeout;
use crate::spawn::{
    ErrTarget, Failure, Outcome, SpawnPlan, diag, pidfile, report_json, resolve_program, shown,
};

/// What `proctl spawn` was asked to do.
#[derive(Debug)]
pub struct SpawnConfig {
    pub argv: Vec<OsString>,
    pub dry_run: bool,
    pub detach: bool,
    pub pidfile: Option<PathBuf>,
    pub report: Option<PathBuf>,
    /// The plan, or why it cannot run (exit 125, 126 or 127 with a message).
    pub plan: std::result::Result<SpawnPlan, Failure>,
    pub inherited: Env,
}

/// env(1)'s signal lists: `SIG[,SIG...]`, or every catchable signal when
/// empty (`--ignore-signal` alone).
fn signal_list(values: &[String], option: &str) -> Result<Vec<i32>> {
    let mut out = Vec::new();
    for v in values {
        if v.is_empty() {
            out.extend(catchable());
            continue;
        }
        for name in v.split(',') {
            let sig =
                parse_signal(name).map_err(|e| Error::usage(format!("invalid {option}: {e}")))?;
            let n = sig.number();
            if n == 0 {
                return Err(Error::usage(format!(
                    "invalid {option} '{name}': 0 is not a signal (it only tests a pid)"
                )));
            }
            if n == nix::libc::SIGKILL || n == nix::libc::SIGSTOP {
                return Err(Error::usage(format!(
                    "invalid {option} '{name}': KILL and STOP cannot be changed"
                )));
            }
            out.push(n);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

impl SpawnConfig {
    /// Checks the command line (usage errors), then what the run needs
    /// (runtime failures, kept in `plan`). `env_ops` are the `-e`,
    /// `--unset` and `--env-file` values in command-line order.
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
                "unset" => {
                    // env(1) refuses these too: no variable has such a name.
                    if value.is_empty() || value.as_encoded_bytes().contains(&b'=') {
                        return Err(Error::usage(format!(
                            "invalid --unset '{}': a variable name has no '=' and is not empty",
                            shown(&value)
                        )));
                    }
                    EnvOp::Unset(value)
                }
                _ => EnvOp::File(PathBuf::from(value)),
            });
        }
        for (option, value, forms) in [
            ("--stdin", &args.stdin, "inherit, null or FILE"),
            ("--stdout", &args.stdout, "inherit, null, FILE or +FILE"),
            (
                "--stderr",
                &args.stderr,
                "inherit, null, FILE, +FILE or stdout",
            ),
        ] {
            if value.as_deref() == Some("") {
                return Err(Error::usage(format!("invalid {option} '': use {forms}")));
            }
        }
        let stdin = match (&args.input, &args.stdin) {
            (Some(text), _) => Input::Text(text.as_encoded_bytes().to_vec()),
            (None, Some(s)) => parse_input(s),
            (None, None) if args.detach => Input::Null,
            (None, None) => Input::Inherit,
        };
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
        let after = args.timeout.as_deref().map(parse_duration).transpose()?;
        let kill_after = args.kill_after.as_deref().map(parse_duration).transpose()?;
        let timeout_signal = args
            .timeout_signal
            .as_deref()
            .map(|name| {
                parse_signal(name)
                    .map_err(|e| Error::usage(format!("invalid --timeout-signal: {e}")))
            })
            .transpose()?
            .map_or(nix::libc::SIGTERM, |s| s.number());
        let ignore_signals = signal_list(&args.ignore_signal, "--ignore-signal")?;
        let default_signals = signal_list(&args.default_signal, "--default-signal")?;
        let block_signals = signal_list(&args.block_signal, "--block-signal")?;
        // timeout(1): a duration of 0 disables the timeout, and so a
        // --kill-after of 0 the KILL.
        let timeout = after.filter(|d| !d.is_zero()).map(|after| Timeout {
            after,
            signal: timeout_signal,
            kill_after: kill_after.filter(|d| !d.is_zero()),
            verbose: args.verbose,
        });
        let program = args.command[0].clone();
        let inherited: Env = std::env::vars_os().collect();
        let plan = (|| -> std::result::Result<SpawnPlan, Failure> {
            // Checked here, not only in the child before exec: by then the
            // output files are truncated.
            if let Some(problem) = rlimit_problem(&rlimits) {
                return Err(Failure::proctl(problem));
            }
            let env = build_env(inherited.clone(), args.clear_env, &ops)
                .map_err(|e| Failure::proctl(e.to_string()))?;
            if let Some(dir) = &args.cwd
                && !dir.is_dir()
            {
                return Err(Failure::proctl(format!(
                    "cannot change to directory {}: no such directory",
                    shown(dir)
                )));
            }
            let path = resolve_program(&program, &env, args.cwd.as_deref())?;
            Ok(SpawnPlan {
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
                argv0: args.argv0.clone(),
                new_group: args.new_group,
                new_session: args.new_session,
                nice: args.nice,
                rlimits,
                die_with_parent: args.die_with_parent,
                umask,
                ignore_signals,
                default_signals,
                block_signals,
                timeout,
                foreground: args.foreground,
                preserve_status: args.preserve_status,
                color,
                own_peak_memory: args.report.is_some(),
            })
        })();
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

/// The argv line of `--dry-run`: a JSON-style list of the arguments as
/// messages show them (escaped, so no control character goes out raw).
fn argv_line(argv: &[OsString]) -> String {
    let items: Vec<String> = argv
        .iter()
        .map(|a| format!("\"{}\"", shown(a).replace('"', "\\\"")))
        .collect();
    format!("argv: [{}]", items.join(","))
}

fn dry_run(config: &SpawnConfig, out: &mut dyn Write) -> Result<Exit> {
    let plan = match &config.plan {
        Ok(plan) => plan,
        Err(f) => {
            // What can be shown is; then why it would not run.
            writeln!(out, "{}", argv_line(&config.argv))?;
            out.flush()?;
            diag(&f.message);
            return Ok(Exit::Child(f.code));
        }
    };
    let mut extra: Vec<(&Path, &str)> = Vec::new();
    if let Some(report) = &config.report {
        extra.push((report, "--report file"));
    }
    let report_target = match &config.report {
        Some(report) if report.exists() => {
            check_report_target(report, None).map_err(Failure::proctl)
        }
        _ => Ok(()),
    };
    if let Some(pidfile) = &config.pidfile {
        extra.push((pidfile, "--pidfile"));
    }
    if let Err(f) = report_target.and_then(|()| plan.check_files(&extra)) {
        writeln!(out, "{}", argv_line(&config.argv))?;
        out.flush()?;
        diag(&f.message);
        return Ok(Exit::Child(f.code));
    }
    writeln!(out, "program: {}", shown(&plan.path))?;
    // What the program will see: argv[0] is --argv0's when given.
    let mut argv = config.argv.clone();
    if let (Some(first), Some(name)) = (argv.first_mut(), &plan.argv0) {
        *first = name.clone();
    }
    writeln!(out, "{}", argv_line(&argv))?;
    let cwd = plan
        .cwd
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    writeln!(out, "cwd: {}", shown(&cwd))?;
    for line in env_diff(&config.inherited, &plan.env) {
        writeln!(out, "env: {line}")?;
    }
    Ok(Exit::Success)
}

/// Where the report goes, opened before anything starts.
enum ReportTo {
    Nowhere,
    Stdout,
    File(std::fs::File),
}

impl ReportTo {
    fn open(path: Option<&Path>) -> std::result::Result<ReportTo, Failure> {
        Ok(match path {
            None => ReportTo::Nowhere,
            Some(p) if p.as_os_str() == "-" => ReportTo::Stdout,
            Some(p) => {
                // Its own opener: a later failure (an output file) is
                // still reported in it, so it is not undone with them.
                let mut opener = Opener::default();
                let file = opener
                    .output(p, false, "--report file")
                    .map_err(Failure::proctl)?;
                check_report_target(p, Some(&file)).map_err(Failure::proctl)?;
                ReportTo::File(file)
            }
        })
    }

    fn write(
        &mut self,
        config: &SpawnConfig,
        outcome: &Outcome,
        out: &mut dyn Write,
    ) -> Result<()> {
        if matches!(self, ReportTo::Nowhere) {
            return Ok(());
        }
        let tz = jiff::tz::TimeZone::system();
        let text = serde_json::to_string(&report_json(&config.argv, outcome, &tz))
            .map_err(std::io::Error::from)?
            + "\n";
        match self {
            ReportTo::Nowhere => {}
            ReportTo::Stdout => out
                .write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| {
                    Error::Failed(format!(
                        "cannot write report to stdout: {}",
                        crate::spawn::files::plain(&e)
                    ))
                })?,
            ReportTo::File(f) => {
                // Emptied only when it is a regular file: a pipe or a
                // terminal (`--report /dev/stderr`) has nothing to truncate,
                // as O_TRUNC is ignored for them.
                let is_file = f.metadata().is_ok_and(|m| m.is_file());
                let emptied = if is_file { f.set_len(0) } else { Ok(()) };
                let written = emptied.and_then(|()| f.write_all(text.as_bytes()));
                written.map_err(|e| {
                    Error::Failed(format!(
                        "cannot write report: {}",
                        crate::spawn::files::plain(&e)
                    ))
                })?;
            }
        }
        Ok(())
    }
}

/// Runs `proctl spawn`.
pub fn run(config: &SpawnConfig, out: &mut dyn Write) -> Result<Exit> {
    if config.dry_run {
        return dry_run(config, out);
    }
    let mut report = match ReportTo::open(config.report.as_deref()) {
        Ok(r) => r,
        Err(f) => {
            diag(&f.message);
            return Ok(Exit::Child(f.code));
        }
    };
    let started = std::time::Instant::now();
    let started_at = jiff::Timestamp::now();
    let plan = match &config.plan {
        Ok(plan) => plan,
        Err(f) => return finish_failed(config, &mut report, out, started_at, started, f.clone()),
    };
    if config.detach {
        return detach(config, plan, out);
    }
    out.flush()?;
    let mut opener = Opener::default();
    let outcome = plan.run(&mut opener);
    let name = shown(&plan.program);
    if let Some(f) = &outcome.error {
        diag(&f.message);
    } else if !outcome.timed_out
        && let Some(sig) = outcome.signal()
        // Like bash, say nothing of a Ctrl+C or of a pipeline member that
        // met a closed pipe.
        && sig != nix::libc::SIGPIPE
        && sig != nix::libc::SIGINT
    {
        let sig_name =
            crate::signal::Signal::from_number(sig).map_or_else(|| sig.to_string(), |s| s.name());
        let core = if outcome.core_dumped() {
            ", core dumped"
        } else {
            ""
        };
        diag(&format!(
            "{name} was killed by signal {sig} ({sig_name}{core})"
        ));
    }
    if let Err(e) = report.write(config, &outcome, out) {
        diag(&e.to_string());
        return Ok(Exit::Child(crate::spawn::status::FAILED));
    }
    Ok(Exit::Child(outcome.exit_status(plan.preserve_status)))
}

fn finish_failed(
    config: &SpawnConfig,
    report: &mut ReportTo,
    out: &mut dyn Write,
    started_at: jiff::Timestamp,
    started: std::time::Instant,
    f: Failure,
) -> Result<Exit> {
    diag(&f.message);
    let code = f.code;
    let outcome = Outcome::failed(started_at, started, f);
    if let Err(e) = report.write(config, &outcome, out) {
        diag(&e.to_string());
    }
    Ok(Exit::Child(code))
}

/// `--detach`: checks the pidfile (its directory, and no live process in
/// it), starts the daemon, writes the pidfile, prints the pid.
fn detach(config: &SpawnConfig, plan: &SpawnPlan, out: &mut dyn Write) -> Result<Exit> {
    let mut opener = Opener::default();
    if let Some(path) = &config.pidfile {
        if let Some((pid, since)) = pidfile::live_process(path) {
            diag(&format!(
                "{}: process {pid} is running (started {since}); not starting another",
                shown(path)
            ));
            return Ok(Exit::Failure);
        }
        if let Err(message) = opener.check_directory(path, "--pidfile") {
            diag(&message);
            return Ok(Exit::Child(crate::spawn::status::FAILED));
        }
    }
    let pid = match plan.detach(&mut opener) {
        Ok(pid) => pid,
        Err(f) => {
            diag(&f.message);
            return Ok(Exit::Child(f.code));
        }
    };
    if let Some(path) = &config.pidfile
        && let Err(e) = pidfile::write(path, pid)
    {
        // Checked above, so this is rare; an untracked daemon is worse
        // than none.
        // SAFETY: kill(2) on the daemon just started.
        unsafe { nix::libc::kill(pid, nix::libc::SIGKILL) };
        diag(&format!(
            "cannot write pidfile {}: {}",
            shown(path),
            crate::spawn::files::plain(&e)
        ));
        return Ok(Exit::Child(crate::spawn::status::FAILED));
    }
    if let Err(e) = writeln!(out, "{pid}").and_then(|()| out.flush()) {
        // The caller cannot learn the pid: stop the daemon rather than
        // leave one nobody asked to track running (and say so).
        // SAFETY: kill(2) on the daemon just started.
        unsafe { nix::libc::kill(pid, nix::libc::SIGKILL) };
        if let Some(path) = &config.pidfile {
            let _ = std::fs::remove_file(path);
        }
        diag(&format!(
            "cannot write the pid to stdout: {}; process {pid} was stopped",
            crate::spawn::files::plain(&e)
        ));
        return Ok(Exit::Child(crate::spawn::status::FAILED));
    }
    Ok(Exit::Success)
}
