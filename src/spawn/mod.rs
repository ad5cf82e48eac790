//! Building and supervising a child: program lookup, environment, streams,
//! attributes, signal forwarding, timeouts, and how it ended.

pub mod attrs;
pub mod env;
pub mod stdio;

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{SigSet, Signal as NixSignal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use rustix::event::{PollFd, PollFlags, Timespec, poll};

use self::attrs::ChildSetup;
use self::env::Env;
use self::stdio::{Input, LineStyle, Output, Sink, output_sink, spawn_copier};
use crate::signal::Signal;

/// Exit statuses of `spawn`, as timeout(1) and env(1) use them.
pub mod status {
    pub const TIMED_OUT: u8 = 124;
    pub const FAILED: u8 = 125;
    pub const CANNOT_EXECUTE: u8 = 126;
    pub const NOT_FOUND: u8 = 127;
}

/// Where stderr goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrTarget {
    Output(Output),
    /// Into whatever stdout is.
    Stdout,
}

/// Everything needed to start and supervise the child.
#[derive(Debug, Clone)]
pub struct SpawnPlan {
    /// The program as given, and the path it was found at.
    pub program: OsString,
    pub path: PathBuf,
    pub args: Vec<OsString>,
    pub env: Env,
    pub cwd: Option<PathBuf>,
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: ErrTarget,
    /// `--prefix`: the text put before each line.
    pub prefix: Option<String>,
    pub tee: Option<PathBuf>,
    pub new_group: bool,
    pub setup: ChildSetup,
    pub timeout: Option<Duration>,
    pub timeout_signal: Signal,
    pub kill_after: Option<Duration>,
    /// Color the prefixes (proctl's output is a terminal).
    pub color: bool,
}

/// Why the program could not be started.
#[derive(Debug)]
pub enum LaunchError {
    NotFound(String),
    CannotExecute(String),
    Failed(String),
}

impl LaunchError {
    /// The exit status and the one line explaining it.
    pub fn status_and_message(&self) -> (u8, &str) {
        match self {
            LaunchError::NotFound(m) => (status::NOT_FOUND, m),
            LaunchError::CannotExecute(m) => (status::CANNOT_EXECUTE, m),
            LaunchError::Failed(m) => (status::FAILED, m),
        }
    }
}

fn is_executable(meta: &std::fs::Metadata) -> bool {
    meta.is_file() && meta.permissions().mode() & 0o111 != 0
}

/// Finds PROGRAM as execvp would, in the child's PATH (names with a slash and
/// relative PATH entries are taken from the child's directory). One stat per
/// candidate: this runs on every start.
pub fn resolve_program(
    program: &OsStr,
    env: &Env,
    cwd: Option<&Path>,
) -> Result<PathBuf, LaunchError> {
    let name = program.to_string_lossy();
    let in_child_dir = |path: &Path| match cwd {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    };
    if program.as_bytes().contains(&b'/') {
        let path = PathBuf::from(program);
        return match std::fs::metadata(in_child_dir(&path)) {
            Err(_) => Err(LaunchError::NotFound(format!("{name}: no such file"))),
            Ok(meta) if !is_executable(&meta) => Err(LaunchError::CannotExecute(format!(
                "{name}: permission denied"
            ))),
            Ok(_) => Ok(path),
        };
    }
    let search = env
        .get(OsStr::new("PATH"))
        .cloned()
        .unwrap_or_else(|| OsString::from("/usr/local/bin:/usr/bin:/bin"));
    let mut denied = false;
    for dir in std::env::split_paths(&search) {
        let candidate = dir.join(program);
        let Ok(meta) = std::fs::metadata(in_child_dir(&candidate)) else {
            continue;
        };
        if is_executable(&meta) {
            return Ok(candidate);
        }
        denied |= meta.is_file();
    }
    if denied {
        Err(LaunchError::CannotExecute(format!(
            "{name}: permission denied"
        )))
    } else {
        Err(LaunchError::NotFound(format!("{name}: command not found")))
    }
}

/// How the child ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub pid: i32,
    pub started_at: i64,
    pub wall: Duration,
    pub status: ExitStatus,
    pub timed_out: bool,
    pub user_cpu: Duration,
    pub system_cpu: Duration,
    pub max_rss_kib: i64,
}

impl Outcome {
    /// proctl's exit status for this outcome.
    pub fn exit_status(&self) -> u8 {
        if self.timed_out {
            status::TIMED_OUT
        } else if let Some(code) = self.status.code() {
            code as u8
        } else {
            128u8.wrapping_add(self.status.signal().unwrap_or(0) as u8)
        }
    }
}

fn own_stream(fd: std::os::fd::BorrowedFd<'_>) -> Box<dyn Write + Send> {
    match fd.try_clone_to_owned() {
        Ok(owned) => Box::new(std::io::BufWriter::with_capacity(
            64 * 1024,
            File::from(owned),
        )),
        Err(_) => Box::new(std::io::sink()),
    }
}

fn stdio_for(output: &Output, own: std::os::fd::BorrowedFd<'_>) -> Result<Stdio, LaunchError> {
    Ok(match output {
        Output::Inherit => Stdio::from(
            own.try_clone_to_owned()
                .map_err(|e| LaunchError::Failed(e.to_string()))?,
        ),
        Output::Null => Stdio::null(),
        Output::File { path, append } => Stdio::from(
            stdio::open_output(path, *append).map_err(|e| LaunchError::Failed(e.to_string()))?,
        ),
    })
}

fn paint(prefix: &str, color: bool, err: bool) -> Vec<u8> {
    let text = if err {
        format!("{prefix}!")
    } else {
        prefix.to_string()
    };
    let colored = match (color, err) {
        (true, true) => format!("\x1b[31m{text}\x1b[0m "),
        (true, false) => format!("\x1b[36m{text}\x1b[0m "),
        _ => format!("{text} "),
    };
    colored.into_bytes()
}

impl SpawnPlan {
    fn command(&self) -> Result<Command, LaunchError> {
        let mut cmd = Command::new(&self.path);
        cmd.arg0(&self.program)
            .args(&self.args)
            .env_clear()
            .envs(&self.env);
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        if self.new_group && !self.setup.new_session {
            cmd.process_group(0);
        }
        // Without a pre-exec hook std starts the child with posix_spawn,
        // which is much cheaper than fork for a short-lived program.
        if !self.setup.is_empty() {
            let setup = self.setup.clone();
            // SAFETY: the closure only makes system calls (setsid,
            // setpriority, setrlimit, prctl, umask) and allocates nothing.
            unsafe {
                cmd.pre_exec(move || setup.apply());
            }
        }
        Ok(cmd)
    }

    /// Starts the child in the background and returns its pid (`--detach`).
    pub fn detach(&self) -> Result<i32, LaunchError> {
        let mut plan = self.clone();
        plan.setup.new_session = true;
        let mut cmd = plan.command()?;
        cmd.stdin(Stdio::null());
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        let quiet = |o: &Output| {
            if *o == Output::Inherit {
                Output::Null
            } else {
                o.clone()
            }
        };
        cmd.stdout(stdio_for(&quiet(&self.stdout), stdout.as_fd())?);
        match &self.stderr {
            ErrTarget::Stdout => match quiet(&self.stdout) {
                Output::File { path, .. } => {
                    cmd.stderr(stdio_for(
                        &Output::File { path, append: true },
                        stderr.as_fd(),
                    )?);
                }
                _ => {
                    cmd.stderr(Stdio::null());
                }
            },
            ErrTarget::Output(o) => {
                cmd.stderr(stdio_for(&quiet(o), stderr.as_fd())?);
            }
        }
        let child = cmd.spawn().map_err(|e| launch_error(&self.program, e))?;
        Ok(child.id() as i32)
    }

    /// Starts the child, forwards signals, enforces the timeout, copies
    /// piped output, and waits for the end.
    pub fn run(&self) -> Result<Outcome, LaunchError> {
        let mut cmd = self.command()?;
        let stdout_fd = std::io::stdout();
        let stderr_fd = std::io::stderr();
        let piped = self.prefix.is_some() || self.tee.is_some();
        match &self.stdin {
            Input::Inherit => cmd.stdin(Stdio::inherit()),
            Input::Null => cmd.stdin(Stdio::null()),
            Input::File(path) => {
                let file = File::open(path).map_err(|e| {
                    LaunchError::Failed(format!("cannot open {}: {e}", path.display()))
                })?;
                cmd.stdin(Stdio::from(file))
            }
            Input::Text(_) => cmd.stdin(Stdio::piped()),
        };
        let mut sinks_out: Vec<Sink> = Vec::new();
        let mut sinks_err: Vec<Sink> = Vec::new();
        if piped {
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            let map = |e: crate::error::Error| LaunchError::Failed(e.to_string());
            let out_sink = output_sink(&self.stdout, own_stream(stdout_fd.as_fd())).map_err(map)?;
            let tee = match &self.tee {
                Some(path) => Some(stdio::sink(Box::new(std::io::BufWriter::new(
                    stdio::open_output(path, false).map_err(map)?,
                )))),
                None => None,
            };
            sinks_out.extend(out_sink.clone());
            sinks_out.extend(tee.clone());
            match &self.stderr {
                ErrTarget::Stdout => sinks_err = sinks_out.clone(),
                ErrTarget::Output(o) => {
                    sinks_err.extend(output_sink(o, own_stream(stderr_fd.as_fd())).map_err(map)?)
                }
            }
        } else {
            // A merged stderr shares stdout's open file, and so its offset.
            let out_file = match &self.stdout {
                Output::File { path, append } => Some(
                    stdio::open_output(path, *append)
                        .map_err(|e| LaunchError::Failed(e.to_string()))?,
                ),
                _ => None,
            };
            let failed = |e: std::io::Error| LaunchError::Failed(e.to_string());
            match &self.stderr {
                ErrTarget::Stdout => match &out_file {
                    Some(f) => cmd.stderr(Stdio::from(f.try_clone().map_err(failed)?)),
                    None => cmd.stderr(stdio_for(&self.stdout, stdout_fd.as_fd())?),
                },
                ErrTarget::Output(o) => cmd.stderr(stdio_for(o, stderr_fd.as_fd())?),
            };
            match out_file {
                Some(f) => cmd.stdout(Stdio::from(f)),
                None => cmd.stdout(stdio_for(&self.stdout, stdout_fd.as_fd())?),
            };
        }
        // Until the signalfd below takes over, the forwarded signals are
        // noted by a handler (and forwarded once it does), so they cannot
        // end proctl; the child starts with the default actions (exec
        // resets handlers) and no blocked signals.
        catch_forwarded_signals();
        let started = Instant::now();
        let started_at = jiff::Timestamp::now().as_second();
        let mut child = cmd.spawn().map_err(|e| launch_error(&self.program, e))?;
        let pid = child.id() as i32;
        let signals = forwarded_signals()?;
        let mut copiers = Vec::new();
        if let (Input::Text(text), Some(mut stdin)) = (&self.stdin, child.stdin.take()) {
            let text = text.clone();
            copiers.push(std::thread::spawn(move || stdin.write_all(&text)));
        }
        if piped {
            let name = self.prefix.as_ref().map(|p| {
                if p.is_empty() {
                    format!(
                        "[{}]",
                        Path::new(&self.program)
                            .file_name()
                            .unwrap_or(&self.program)
                            .to_string_lossy()
                    )
                } else {
                    p.clone()
                }
            });
            let style = |err: bool| LineStyle {
                prefix: name.as_ref().map(|n| paint(n, self.color, err)),
            };
            if let Some(out) = child.stdout.take() {
                copiers.push(spawn_copier(out, sinks_out, style(false)));
            }
            if let Some(err) = child.stderr.take() {
                copiers.push(spawn_copier(err, sinks_err, style(true)));
            }
        }
        let target = if self.new_group || self.setup.new_session {
            -pid
        } else {
            pid
        };
        let (status, timed_out) = self.supervise(&mut child, target, &signals);
        drop(signals);
        if self.new_group || self.setup.new_session {
            // Nothing of the group outlives proctl.
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(-pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        for c in copiers {
            let _ = c.join();
        }
        let usage =
            nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).ok();
        let tv = |t: nix::sys::time::TimeVal| {
            Duration::new(t.tv_sec() as u64, t.tv_usec() as u32 * 1000)
        };
        Ok(Outcome {
            pid,
            started_at,
            wall: started.elapsed(),
            status,
            timed_out,
            user_cpu: usage.map_or(Duration::ZERO, |u| tv(u.user_time())),
            system_cpu: usage.map_or(Duration::ZERO, |u| tv(u.system_time())),
            max_rss_kib: usage.map_or(0, |u| u.max_rss()),
        })
    }

    /// Waits on the child's pidfd and the signalfd: forwards signals, and
    /// sends the timeout signal and KILL when due.
    fn supervise(&self, child: &mut Child, target: i32, signals: &Forwarded) -> (ExitStatus, bool) {
        let pid = child.id() as i32;
        let pidfd = rustix::process::Pid::from_raw(pid).and_then(|p| {
            rustix::process::pidfd_open(p, rustix::process::PidfdFlags::empty()).ok()
        });
        let mut timed_out = false;
        let mut deadline = self.timeout.map(|t| Instant::now() + t);
        signals.forward_early(target);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return (status, timed_out);
            }
            let wait = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if wait == Some(Duration::ZERO) {
                if !timed_out {
                    timed_out = true;
                    send(target, self.timeout_signal);
                    deadline = self.kill_after.map(|k| Instant::now() + k);
                } else {
                    send(target, Signal::KILL);
                    deadline = None;
                }
                continue;
            }
            // Without a pidfd (Linux < 5.3), look again every 10 ms.
            let wait = if pidfd.is_none() {
                Some(wait.unwrap_or(Duration::MAX).min(Duration::from_millis(10)))
            } else {
                wait
            };
            let ts = wait.map(|w| Timespec {
                tv_sec: w.as_secs() as i64,
                tv_nsec: i64::from(w.subsec_nanos()),
            });
            let mut fds = vec![PollFd::new(&signals.fd, PollFlags::IN)];
            if let Some(fd) = &pidfd {
                fds.push(PollFd::new(fd, PollFlags::IN));
            }
            let _ = poll(&mut fds, ts.as_ref());
            if !fds[0].revents().is_empty() {
                signals.forward(pid, target);
            }
        }
    }
}

/// The signals proctl forwards, blocked and read through a signalfd.
struct Forwarded {
    fd: SignalFd,
    mask: SigSet,
}

const FORWARDED: [NixSignal; 9] = [
    NixSignal::SIGINT,
    NixSignal::SIGTERM,
    NixSignal::SIGHUP,
    NixSignal::SIGQUIT,
    NixSignal::SIGUSR1,
    NixSignal::SIGUSR2,
    NixSignal::SIGWINCH,
    NixSignal::SIGCONT,
    NixSignal::SIGTSTP,
];

/// Signals that arrived before the signalfd took over, one bit each.
static EARLY_SIGNALS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

extern "C" fn note_signal(signo: nix::libc::c_int) {
    if (0..64).contains(&signo) {
        EARLY_SIGNALS.fetch_or(1 << signo, std::sync::atomic::Ordering::SeqCst);
    }
}

fn catch_forwarded_signals() {
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, sigaction};
    let action = SigAction::new(
        SigHandler::Handler(note_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for s in FORWARDED {
        // SAFETY: the handler only sets a bit in an atomic: async-signal-safe.
        let _ = unsafe { sigaction(s, &action) };
    }
}

/// Blocks the forwarded signals (in this thread and the threads it starts
/// later) and opens a signalfd that receives them.
fn forwarded_signals() -> Result<Forwarded, LaunchError> {
    let mut mask = SigSet::empty();
    for s in FORWARDED {
        mask.add(s);
    }
    let failed = |e: nix::Error| LaunchError::Failed(format!("cannot handle signals: {e}"));
    mask.thread_block().map_err(failed)?;
    let fd = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)
        .map_err(failed)?;
    Ok(Forwarded { fd, mask })
}

impl Forwarded {
    /// Forwards the signals noted before the signalfd existed; where they
    /// came from is unknown, so they are treated as sent to proctl alone.
    fn forward_early(&self, target: i32) {
        let bits = EARLY_SIGNALS.swap(0, std::sync::atomic::Ordering::SeqCst);
        for signo in (1..64).filter(|n| bits & (1 << n) != 0) {
            if let Some(sig) = Signal::from_number(signo) {
                send(target, sig);
            }
            if signo == nix::libc::SIGTSTP {
                let _ = nix::sys::signal::raise(NixSignal::SIGSTOP);
            }
        }
    }

    /// Forwards what arrived. A signal the terminal sent to the whole
    /// foreground group (si_code SI_KERNEL) already reached a child that
    /// shares proctl's group, so it is not sent twice; one sent to proctl
    /// alone (kill -INT) is. After a TSTP, proctl stops itself too.
    fn forward(&self, child: i32, target: i32) {
        const SI_KERNEL: i32 = 0x80;
        let own_group = nix::unistd::getpgrp().as_raw();
        while let Ok(Some(info)) = self.fd.read_signal() {
            let signo = info.ssi_signo as i32;
            let child_group = nix::unistd::getpgid(Some(nix::unistd::Pid::from_raw(child)))
                .map(|p| p.as_raw())
                .ok();
            let child_got_it = info.ssi_code == SI_KERNEL && child_group == Some(own_group);
            if !child_got_it && let Some(sig) = Signal::from_number(signo) {
                send(target, sig);
            }
            if signo == nix::libc::SIGTSTP {
                let _ = nix::sys::signal::raise(NixSignal::SIGSTOP);
            }
        }
    }
}

impl Drop for Forwarded {
    fn drop(&mut self) {
        let _ = self.mask.thread_unblock();
    }
}

fn send(target: i32, signal: Signal) {
    let _ = crate::signal::deliver::kill_raw(target, signal);
}

fn launch_error(program: &OsStr, e: std::io::Error) -> LaunchError {
    let name = program.to_string_lossy();
    match e.kind() {
        std::io::ErrorKind::NotFound => LaunchError::NotFound(format!("{name}: command not found")),
        std::io::ErrorKind::PermissionDenied => {
            LaunchError::CannotExecute(format!("{name}: permission denied"))
        }
        _ if e.raw_os_error() == Some(nix::libc::ENOEXEC) => {
            LaunchError::CannotExecute(format!("{name}: cannot execute: {e}"))
        }
        _ => LaunchError::Failed(format!("cannot start {name}: {e}")),
    }
}

/// The `--report` object.
pub fn report_json(argv: &[OsString], o: &Outcome, tz: &jiff::tz::TimeZone) -> serde_json::Value {
    serde_json::json!({
        "argv": argv.iter().map(|a| crate::render::escape::json_text(a.as_bytes()).into_owned()).collect::<Vec<_>>(),
        "pid": o.pid,
        "started_at": crate::columns::format_iso8601(o.started_at, tz),
        "wall_seconds": o.wall.as_secs_f64(),
        "user_cpu_seconds": o.user_cpu.as_secs_f64(),
        "system_cpu_seconds": o.system_cpu.as_secs_f64(),
        "max_rss_kib": o.max_rss_kib,
        "exit_code": o.status.code(),
        "signal": o.status.signal().and_then(Signal::from_number).map(Signal::name),
        "timed_out": o.timed_out,
    })
}
