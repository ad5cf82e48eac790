//! Building and supervising a child: program lookup, environment, streams,
//! attributes, signal forwarding, timeouts, and how it ended.

pub mod attrs;
pub mod env;
pub mod files;
pub mod launch;
pub mod pidfile;
pub mod signals;
pub mod stdio;
pub mod supervise;
pub mod witness;

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nix::libc;

use self::attrs::RlimitSetting;
use self::env::Env;
use self::files::{Opener, plain};
use self::launch::{Grouping, Launcher, Step, StepError};
use self::signals::{SignalFd, SignalSet, catchable};
use self::stdio::{Input, LineStyle, Output, Sink, StopSwitch, sink, sink_error, spawn_copier};
use self::supervise::{Supervisor, Timeout};

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
    /// `--argv0`: the name the program sees as its argv[0].
    pub argv0: Option<OsString>,
    pub new_group: bool,
    pub new_session: bool,
    pub nice: Option<i32>,
    pub rlimits: Vec<RlimitSetting>,
    pub die_with_parent: bool,
    pub umask: Option<u32>,
    /// Signal dispositions and mask for the child (env(1)'s options).
    pub ignore_signals: Vec<i32>,
    pub default_signals: Vec<i32>,
    pub block_signals: Vec<i32>,
    /// `--timeout` (None when absent or 0, which disables it, as in timeout(1)).
    pub timeout: Option<Timeout>,
    /// `--foreground`: the child stays in proctl's group and only it gets
    /// the timeout's signals.
    pub foreground: bool,
    pub preserve_status: bool,
    /// Color the prefixes (proctl's output is a terminal).
    pub color: bool,
    /// `--report` promises the program's own peak memory: start it with a
    /// fork (see `launch`), not the faster start sharing proctl's memory.
    pub own_peak_memory: bool,
}

/// Why the program could not be found.
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

/// Why a run failed before or without the program: exit status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// proctl itself failed (125).
    pub fn proctl(message: impl Into<String>) -> Failure {
        Failure {
            code: status::FAILED,
            message: message.into(),
        }
    }
}

impl From<LaunchError> for Failure {
    fn from(e: LaunchError) -> Failure {
        let (code, message) = e.status_and_message();
        Failure {
            code,
            message: message.to_string(),
        }
    }
}

/// Untrusted text (a program name, a path) as messages show it: escaped,
/// so that no control character reaches the terminal raw.
pub fn shown(text: impl AsRef<OsStr>) -> String {
    crate::render::escape::escape_bytes(text.as_ref().as_bytes()).into_owned()
}

/// Writes one diagnostic line to stderr. A broken or full stderr loses the
/// line; it never ends proctl (eprintln! would panic, and abort).
pub fn diag(message: &str) {
    let line = format!("proctl: {message}\n");
    // SAFETY: one write(2) of a live buffer to descriptor 2.
    unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
}

/// Finds PROGRAM as execvp would, in the child's PATH (names with a slash and
/// relative PATH entries are taken from the child's directory). One stat per
/// candidate: this runs on every start.
pub fn resolve_program(
    program: &OsStr,
    env: &Env,
    cwd: Option<&Path>,
) -> Result<PathBuf, LaunchError> {
    let name = shown(program);
    if program.is_empty() {
        // execvp("") fails with ENOENT, and env(1) says so (127).
        return Err(LaunchError::NotFound(
            "'': no such file (the program name is empty)".to_string(),
        ));
    }
    let in_child_dir = |path: &Path| match cwd {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    };
    if program.as_bytes().contains(&b'/') {
        let path = PathBuf::from(program);
        return match std::fs::metadata(in_child_dir(&path)) {
            Err(_) => Err(LaunchError::NotFound(format!("{name}: no such file"))),
            Ok(meta) if meta.is_dir() => Err(LaunchError::CannotExecute(format!(
                "{name}: is a directory"
            ))),
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
        // execvp tries a directory too, and execve refuses it (EACCES).
        denied |= meta.is_file() || meta.is_dir();
    }
    if denied {
        Err(LaunchError::CannotExecute(format!(
            "{name}: permission denied"
        )))
    } else {
        Err(LaunchError::NotFound(format!("{name}: command not found")))
    }
}

/// How the run ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The child's pid, if it started.
    pub pid: Option<i32>,
    pub started_at: jiff::Timestamp,
    pub ended_at: jiff::Timestamp,
    pub wall: Duration,
    /// The wait status, if the program ran.
    pub status: Option<i32>,
    pub timed_out: bool,
    pub user_cpu: Duration,
    pub system_cpu: Duration,
    pub max_rss_kib: i64,
    /// What went wrong in proctl (cannot start, cannot write output).
    pub error: Option<Failure>,
}

impl Outcome {
    /// A run that failed before or at the start: no child, no usage.
    pub(crate) fn failed(
        started_at: jiff::Timestamp,
        started: Instant,
        failure: Failure,
    ) -> Outcome {
        Outcome {
            pid: None,
            started_at,
            ended_at: jiff::Timestamp::now(),
            wall: started.elapsed(),
            status: None,
            timed_out: false,
            user_cpu: Duration::ZERO,
            system_cpu: Duration::ZERO,
            max_rss_kib: 0,
            error: Some(failure),
        }
    }

    /// The exit code, if the program exited.
    pub fn code(&self) -> Option<i32> {
        self.status
            .filter(|&s| libc::WIFEXITED(s))
            .map(|s| libc::WEXITSTATUS(s))
    }

    /// The signal that killed the program, if one did.
    pub fn signal(&self) -> Option<i32> {
        self.status
            .filter(|&s| libc::WIFSIGNALED(s))
            .map(|s| libc::WTERMSIG(s))
    }

    /// Whether the program dumped core.
    pub fn core_dumped(&self) -> bool {
        self.status.is_some_and(|s| libc::WCOREDUMP(s))
    }

    /// proctl's exit status, as timeout(1) computes it: 124 after a
    /// timeout, unless the KILL of `--kill-after` ended the program (137)
    /// or `--preserve-status`; else the program's code or 128+N; 125 when
    /// proctl failed (a write error included).
    pub fn exit_status(&self, preserve_status: bool) -> u8 {
        if let Some(f) = &self.error {
            return f.code;
        }
        let own = match (self.code(), self.signal()) {
            (Some(code), _) => code as u8,
            (None, Some(sig)) => 128u8.wrapping_add(sig as u8),
            (None, None) => status::FAILED,
        };
        if self.timed_out && !preserve_status && self.signal() != Some(libc::SIGKILL) {
            status::TIMED_OUT
        } else {
            own
        }
    }
}

fn duration_of(t: libc::timeval) -> Duration {
    Duration::new(t.tv_sec.max(0) as u64, (t.tv_usec.max(0) as u32) * 1000)
}

/// The descriptors the child gets, opened before it starts.
struct Streams {
    stdin: Option<File>,
    stdout: Option<File>,
    stderr: Option<File>,
    tee: Option<File>,
}

impl SpawnPlan {
    /// Opens every file the run needs (the report is the caller's); nothing
    /// is truncated until [`Opener::commit`].
    fn open_streams(&self, opener: &mut Opener, detach: bool) -> Result<Streams, String> {
        let stdin = match &self.stdin {
            Input::File(path) => Some(opener.input(path, "--stdin file")?),
            Input::Null => Some(opener.input(Path::new("/dev/null"), "/dev/null")?),
            Input::Inherit if detach => Some(opener.input(Path::new("/dev/null"), "/dev/null")?),
            _ => None,
        };
        let mut out = |o: &Output, what: &str| -> Result<Option<File>, String> {
            Ok(match o {
                Output::File { path, append } => Some(opener.output(path, *append, what)?),
                Output::Null => Some(opener.output(Path::new("/dev/null"), true, what)?),
                Output::Inherit if detach => {
                    Some(opener.output(Path::new("/dev/null"), true, what)?)
                }
                Output::Inherit => None,
            })
        };
        let stdout = out(&self.stdout, "--stdout file")?;
        let stderr = match &self.stderr {
            ErrTarget::Output(o) => out(o, "--stderr file")?,
            ErrTarget::Stdout => None,
        };
        let tee = match &self.tee {
            Some(path) => Some(opener.output(path, false, "--tee file")?),
            None => None,
        };
        Ok(Streams {
            stdin,
            stdout,
            stderr,
            tee,
        })
    }

    /// What `--dry-run` can check of the files without touching them:
    /// stdin readable, each output (and `extra` ones: report, pidfile)
    /// writable, or creatable in its directory.
    pub fn check_files(&self, extra: &[(&Path, &str)]) -> Result<(), Failure> {
        use nix::unistd::{AccessFlags, access};
        let fail = |what: &str, path: &Path, e: nix::errno::Errno| {
            Failure::proctl(format!(
                "cannot open {what} {}: {}",
                shown(path),
                plain(&std::io::Error::from(e))
            ))
        };
        if let Input::File(path) = &self.stdin {
            access(path.as_path(), AccessFlags::R_OK).map_err(|e| fail("--stdin file", path, e))?;
        }
        let mut outputs: Vec<(&Path, &str)> = Vec::new();
        if let Output::File { path, .. } = &self.stdout {
            outputs.push((path, "--stdout file"));
        }
        if let ErrTarget::Output(Output::File { path, .. }) = &self.stderr {
            outputs.push((path, "--stderr file"));
        }
        if let Some(path) = &self.tee {
            outputs.push((path, "--tee file"));
        }
        outputs.extend(extra.iter().filter(|(p, _)| p.as_os_str() != "-"));
        for (path, what) in outputs {
            let checked = if path.exists() {
                access(path, AccessFlags::W_OK)
            } else {
                let dir = path
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                access(dir, AccessFlags::W_OK | AccessFlags::X_OK)
            };
            checked.map_err(|e| fail(what, path, e))?;
        }
        Ok(())
    }

    fn launcher(&self) -> Result<Launcher, Failure> {
        let mut argv = vec![self.argv0.clone().unwrap_or_else(|| self.program.clone())];
        argv.extend(self.args.iter().cloned());
        let mut l = Launcher::new(&self.path, &argv, &self.env, self.cwd.as_deref())
            .map_err(|e| Failure::proctl(plain(&e)))?;
        l.nice = self.nice;
        l.rlimits = self.rlimits.clone();
        // --die-with-parent: KILL. A timeout's signal otherwise, as
        // timeout(1) arranges, so that killing proctl does not leave the
        // program running unbounded.
        l.death_signal = if self.die_with_parent {
            Some(libc::SIGKILL)
        } else {
            self.timeout.as_ref().map(|t| t.signal).filter(|&s| s != 0)
        };
        l.umask = self.umask;
        // Signals proctl ignores or handles for itself go back to what they
        // were when it started (ignored stays ignored), then env(1)'s
        // options apply.
        for s in [libc::SIGPIPE, libc::SIGCHLD] {
            if crate::startup::ignored_at_start(s) {
                l.ignore.push(s);
            } else {
                l.default.push(s);
            }
        }
        l.default.extend(&self.default_signals);
        l.default.retain(|s| !self.ignore_signals.contains(s));
        l.ignore.retain(|s| !self.default_signals.contains(s));
        l.ignore.extend(&self.ignore_signals);
        l.block = self.block_signals.clone();
        l.own_peak_memory = self.own_peak_memory;
        Ok(l)
    }

    fn grouping(&self) -> Grouping {
        if self.new_session {
            Grouping::NewSession
        } else if self.new_group || (self.timeout.is_some() && !self.foreground) {
            // timeout(1) signals the program's whole group, so that
            // grandchildren stop too; --foreground opts out.
            Grouping::NewGroup
        } else {
            Grouping::Shared
        }
    }

    /// Starts the child in the background (`--detach`): a new session,
    /// stdin from /dev/null, outputs to their files or /dev/null, and no
    /// descriptor of proctl's above 2. Returns its pid once it runs; the
    /// caller has opened and checked everything else.
    pub fn detach(&self, opener: &mut Opener) -> Result<i32, Failure> {
        let streams = self.open_streams(opener, true).map_err(Failure::proctl)?;
        let mut l = self.launcher()?;
        l.grouping = Grouping::NewSession;
        l.close_fds = true;
        l.stdio[0] = streams.stdin.as_ref().map(AsRawFd::as_raw_fd);
        l.stdio[1] = streams.stdout.as_ref().map(AsRawFd::as_raw_fd);
        l.stdio[2] = match self.stderr {
            ErrTarget::Stdout => Some(1),
            ErrTarget::Output(_) => streams.stderr.as_ref().map(AsRawFd::as_raw_fd),
        };
        std::mem::take(opener).commit();
        let started = l.spawn().map_err(|e| self.step_failure(e))?;
        self.warn(&started.warnings);
        Ok(started.pid)
    }

    /// What a failed set-up step means for the user.
    fn step_failure(&self, e: StepError) -> Failure {
        let name = shown(&self.program);
        let reason = e.reason();
        match e.step {
            Step::Rlimit(i) => {
                let r = self.rlimits.get(i);
                let limit = r.map_or("?", |r| r.name);
                Failure::proctl(format!("cannot set --rlimit {limit}: {reason}"))
            }
            Step::Cwd => Failure::proctl(format!(
                "cannot change to directory {}: {reason}",
                shown(self.cwd.as_deref().unwrap_or(Path::new("?")))
            )),
            // env(1): 127 when the program does not exist, else 126.
            Step::Exec if e.errno == libc::ENOENT => Failure {
                code: status::NOT_FOUND,
                message: format!("{name}: {reason}"),
            },
            Step::Exec => Failure {
                code: status::CANNOT_EXECUTE,
                message: format!("{name}: {reason}"),
            },
            Step::Session => Failure::proctl(format!("cannot start a new session: {reason}")),
            Step::Group => Failure::proctl(format!("cannot start a new process group: {reason}")),
            Step::Stdio => Failure::proctl(format!("cannot set up the standard streams: {reason}")),
            Step::Nice => Failure::proctl(format!("cannot set niceness: {reason}")),
            Step::DeathSignal | Step::ParentGone => {
                Failure::proctl(format!("cannot arrange --die-with-parent: {reason}"))
            }
        }
    }

    fn warn(&self, warnings: &[StepError]) {
        for w in warnings {
            if w.step == Step::Nice {
                // nice(1) warns and runs the program anyway.
                diag(&format!("warning: cannot set niceness: {}", w.reason()));
            }
        }
    }

    /// Starts the child, forwards signals, enforces the timeout, copies
    /// piped output, and waits for the end. `opener` holds the files the
    /// caller opened; they are committed (truncated) just before the start.
    pub fn run(&self, opener: &mut Opener) -> Outcome {
        let started = Instant::now();
        let started_at = jiff::Timestamp::now();
        // Every catchable signal is blocked from here on and read from the
        // signalfd; one that arrives before the child exists waits there
        // and is forwarded once it does.
        SignalSet::of(catchable()).block();
        let fail = |f: Failure| Outcome::failed(started_at, started, f);
        let signals = match SignalFd::new(&SignalSet::of(catchable())) {
            Ok(fd) => fd,
            Err(e) => {
                return fail(Failure::proctl(format!(
                    "cannot handle signals: {}",
                    plain(&e)
                )));
            }
        };
        // Started before any pipe exists, so that it holds none even for
        // the moment before it closes its copies of proctl's descriptors.
        let witness = if self.grouping() == Grouping::Shared {
            witness::Witness::start()
        } else {
            None
        };
        let streams = match self.open_streams(opener, false) {
            Ok(s) => s,
            Err(message) => return fail(Failure::proctl(message)),
        };
        let mut l = match self.launcher() {
            Ok(l) => l,
            Err(f) => return fail(f),
        };
        let piped = self.prefix.is_some() || self.tee.is_some();
        let pipe = stdio::pipe;
        let mut child_ends: Vec<OwnedFd> = Vec::new();
        let mut input = None;
        l.stdio[0] = match (&self.stdin, &streams.stdin) {
            (Input::Text(_), _) => match pipe() {
                Ok((r, w)) => {
                    input = Some(w);
                    let fd = r.as_raw_fd();
                    child_ends.push(r);
                    Some(fd)
                }
                Err(e) => return fail(Failure::proctl(format!("cannot make a pipe: {e}"))),
            },
            (_, Some(f)) => Some(f.as_raw_fd()),
            _ => None,
        };
        let mut out_pipe = None;
        let mut err_pipe = None;
        if piped {
            for (slot, target) in [(&mut out_pipe, 1), (&mut err_pipe, 2)] {
                match pipe() {
                    Ok((r, w)) => {
                        l.stdio[target] = Some(w.as_raw_fd());
                        child_ends.push(w);
                        *slot = Some(r);
                    }
                    Err(e) => return fail(Failure::proctl(format!("cannot make a pipe: {e}"))),
                }
            }
        } else {
            l.stdio[1] = streams.stdout.as_ref().map(AsRawFd::as_raw_fd);
            l.stdio[2] = match self.stderr {
                // A merged stderr shares stdout's open file, and its offset.
                ErrTarget::Stdout => Some(1),
                ErrTarget::Output(_) => streams.stderr.as_ref().map(AsRawFd::as_raw_fd),
            };
        }
        let grouping = self.grouping();
        l.grouping = grouping;
        let new_group = grouping == Grouping::NewGroup;
        // The child takes the foreground at once only from a proctl that
        // holds it; the supervisor hands it over later too (after `fg`).
        l.terminal = if new_group {
            supervise::foreground_terminal()
        } else {
            None
        };
        let terminal = if new_group {
            supervise::controlling_terminal()
        } else {
            None
        };
        std::mem::take(opener).commit();
        let launched = l.spawn();
        drop(child_ends);
        let child = match launched {
            Ok(c) => c,
            Err(e) => return fail(self.step_failure(e)),
        };
        self.warn(&child.warnings);
        let pid = child.pid;
        if let (Input::Text(text), Some(w)) = (&self.stdin, input) {
            // Not joined: a program that never reads its stdin must not
            // keep proctl waiting.
            let text = text.clone();
            std::thread::spawn(move || File::from(w).write_all(&text));
        }
        let stop = match StopSwitch::new() {
            Ok(s) => s,
            Err(e) => {
                // SAFETY: our own child, which must not outlive a failed start.
                unsafe { libc::kill(pid, libc::SIGKILL) };
                return fail(Failure::proctl(format!("cannot make a pipe: {e}")));
            }
        };
        let (copiers, sinks) = self.start_copiers(out_pipe, err_pipe, &streams, &stop);
        let mut supervisor = Supervisor {
            pid,
            child_group: (grouping != Grouping::Shared).then_some(pid),
            terminal,
            kill_group_at_end: self.new_group || self.new_session,
            timeout: self.timeout.clone(),
            name: &shown(&self.program),
            signals: &signals,
            witness,
        };
        let ended = supervisor.run();
        drop(supervisor);
        if ended.timed_out {
            // timeout(1)'s work is done: a grandchild that survived it may
            // hold the pipes for good, so copy what is there and finish.
            stop.stop();
        }
        for c in copiers {
            let _ = c.join();
        }
        let error = sinks.iter().find_map(sink_error).map(Failure::proctl);
        Outcome {
            pid: Some(pid),
            started_at,
            ended_at: jiff::Timestamp::now(),
            wall: started.elapsed(),
            status: Some(ended.status),
            timed_out: ended.timed_out,
            user_cpu: duration_of(ended.usage.ru_utime),
            system_cpu: duration_of(ended.usage.ru_stime),
            max_rss_kib: ended.usage.ru_maxrss,
            error,
        }
    }

    fn start_copiers(
        &self,
        out_pipe: Option<OwnedFd>,
        err_pipe: Option<OwnedFd>,
        streams: &Streams,
        stop: &Arc<StopSwitch>,
    ) -> (Vec<std::thread::JoinHandle<()>>, Vec<Sink>) {
        let own = |fd: RawFd, what: &str| -> Option<Sink> {
            if crate::startup::closed_at_start(fd) {
                // What writing to it would have said, had startup not put
                // /dev/null there.
                return Some(sink(Box::new(ClosedStream), what));
            }
            // SAFETY: 1 and 2 are open (startup reopens closed ones).
            let dup = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) }
                .try_clone_to_owned()
                .ok()?;
            Some(sink(
                Box::new(std::io::BufWriter::with_capacity(
                    64 * 1024,
                    File::from(dup),
                )),
                what,
            ))
        };
        let file = |f: &Option<File>, what: &str| -> Option<Sink> {
            let f = f.as_ref()?.try_clone().ok()?;
            Some(sink(
                Box::new(std::io::BufWriter::with_capacity(64 * 1024, f)),
                what,
            ))
        };
        let mut out_sinks: Vec<Sink> = Vec::new();
        match &self.stdout {
            Output::Inherit => out_sinks.extend(own(1, "stdout")),
            Output::Null => {}
            Output::File { path, .. } => out_sinks.extend(file(&streams.stdout, &shown(path))),
        }
        if let Some(path) = &self.tee {
            out_sinks.extend(file(&streams.tee, &shown(path)));
        }
        let err_sinks: Vec<Sink> = match &self.stderr {
            ErrTarget::Stdout => out_sinks.clone(),
            ErrTarget::Output(Output::Inherit) => own(2, "stderr").into_iter().collect(),
            ErrTarget::Output(Output::Null) => Vec::new(),
            ErrTarget::Output(Output::File { path, .. }) => {
                file(&streams.stderr, &shown(path)).into_iter().collect()
            }
        };
        let name = self.prefix.as_ref().map(|p| {
            if p.is_empty() {
                format!(
                    "[{}]",
                    shown(
                        Path::new(&self.program)
                            .file_name()
                            .unwrap_or(&self.program)
                    )
                )
            } else {
                p.clone()
            }
        });
        let style = |err: bool| LineStyle {
            prefix: name.as_ref().map(|n| paint(n, self.color, err)),
        };
        let mut all: Vec<Sink> = out_sinks.clone();
        all.extend(err_sinks.iter().cloned());
        let mut copiers = Vec::new();
        if let Some(p) = out_pipe {
            copiers.push(spawn_copier(p, stop.clone(), out_sinks, style(false)));
        }
        if let Some(p) = err_pipe {
            copiers.push(spawn_copier(p, stop.clone(), err_sinks, style(true)));
        }
        (copiers, all)
    }
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

/// A standard stream that was closed when proctl started: every write
/// fails as it would have (EBADF).
struct ClosedStream;

impl Write for ClosedStream {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::from_raw_os_error(libc::EBADF))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The `--report` object.
pub fn report_json(argv: &[OsString], o: &Outcome, tz: &jiff::tz::TimeZone) -> serde_json::Value {
    let time = |t: jiff::Timestamp| crate::columns::format_iso8601(t.as_second(), tz);
    let signal_name = |n: i32| crate::signal::Signal::from_number(n).map(|s| s.name());
    let mut report = serde_json::json!({
        "args": argv.iter().map(|a| crate::render::escape::json_text(a.as_bytes())).collect::<Vec<_>>(),
        "start_time": time(o.started_at),
        "end_time": time(o.ended_at),
        "elapsed_seconds": o.wall.as_secs_f64(),
        "user_cpu_seconds": o.user_cpu.as_secs_f64(),
        "system_cpu_seconds": o.system_cpu.as_secs_f64(),
        "peak_rss_kib": o.max_rss_kib,
        "core_dumped": o.core_dumped(),
        "timed_out": o.timed_out,
    });
    // Each only when it happened (docs/json.md): the exit code when the
    // child exited, the signal when one ended it, the error when proctl
    // failed; the pid when a child was started.
    let optional = [
        ("pid", o.pid.map(serde_json::Value::from)),
        ("exit_code", o.code().map(serde_json::Value::from)),
        // null: a signal proctl has no name for.
        ("signal", o.signal().map(|n| signal_name(n).into())),
        ("error", o.error.as_ref().map(|f| f.message.clone().into())),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            report[key] = value;
        }
    }
    report
}
