//! Starting the program: fork, set the child up, exec. A step that fails in
//! the child before exec comes back through a close-on-exec pipe as the
//! step and its errno, so that the message names what failed (a limit, the
//! directory) and the program never runs.
//!
//! Two ways to start, as posix_spawn and fork do. By default the child
//! shares proctl's memory until it execs (CLONE_VM | CLONE_VFORK, on a
//! stack of its own, proctl suspended meanwhile): no page tables copied
//! and no copy-on-write faults after, which is most of what a start costs
//! beyond the exec itself. With `--report` a plain fork instead: a child
//! sharing proctl's memory would count proctl's own peak RSS as its own
//! (the kernel folds the old memory's high-water mark into the process at
//! exec), and the report promises the program's own max RSS.

use std::ffi::{CString, OsString};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::libc;

use super::attrs::RlimitSetting;

/// Where the child goes: proctl's process group, a new group, or a new
/// session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Shared,
    NewGroup,
    NewSession,
}

/// A step of the child's set-up, named when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Session,
    Group,
    Stdio,
    Cwd,
    Nice,
    Rlimit(usize),
    DeathSignal,
    ParentGone,
    Exec,
}

impl Step {
    fn code(self) -> u32 {
        match self {
            Step::Session => 1,
            Step::Group => 2,
            Step::Stdio => 3,
            Step::Cwd => 4,
            Step::Nice => 5,
            Step::DeathSignal => 6,
            Step::ParentGone => 7,
            Step::Exec => 8,
            Step::Rlimit(i) => 100 + i as u32,
        }
    }

    fn from_code(code: u32) -> Step {
        match code {
            1 => Step::Session,
            2 => Step::Group,
            3 => Step::Stdio,
            4 => Step::Cwd,
            5 => Step::Nice,
            6 => Step::DeathSignal,
            7 => Step::ParentGone,
            n if n >= 100 => Step::Rlimit((n - 100) as usize),
            _ => Step::Exec,
        }
    }
}

/// A step that failed, with the system's error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepError {
    pub step: Step,
    pub errno: i32,
}

impl StepError {
    /// The system's text for the error.
    pub fn reason(&self) -> String {
        super::files::plain(&std::io::Error::from_raw_os_error(self.errno))
    }
}

/// The child that started: its pid, and set-up steps that failed without
/// stopping it (a niceness that could not be set, as nice(1) warns).
#[derive(Debug)]
pub struct Started {
    pub pid: i32,
    pub warnings: Vec<StepError>,
}

/// Everything the child does between fork and exec, prepared beforehand:
/// the child only makes system calls, it allocates nothing.
pub struct Launcher {
    path: CString,
    argv: Vec<CString>,
    envp: Vec<CString>,
    cwd: Option<CString>,
    /// Descriptors to put on 0, 1 and 2 (None: keep proctl's).
    pub stdio: [Option<RawFd>; 3],
    pub grouping: Grouping,
    /// A terminal whose foreground the child's new group takes.
    pub terminal: Option<RawFd>,
    pub nice: Option<i32>,
    pub rlimits: Vec<RlimitSetting>,
    /// The signal the child gets when proctl dies (PR_SET_PDEATHSIG).
    pub death_signal: Option<i32>,
    pub umask: Option<u32>,
    /// Signals set to be ignored, and set to their default action.
    pub ignore: Vec<i32>,
    pub default: Vec<i32>,
    /// Signals the program starts with blocked.
    pub block: Vec<i32>,
    /// Close inherited descriptors 3 and up (`--detach`).
    pub close_fds: bool,
    /// Fork rather than share proctl's memory until exec (see above).
    pub own_peak_memory: bool,
    /// Standard descriptors that were closed when proctl started.
    closed: [bool; 3],
}

fn c_string(bytes: &[u8]) -> std::io::Result<CString> {
    CString::new(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "an argument or variable holds a NUL byte",
        )
    })
}

impl Launcher {
    /// Prepares to run `path` with `argv` (whose first item is the name the
    /// program sees) in `env`.
    pub fn new(
        path: &Path,
        argv: &[OsString],
        env: &super::env::Env,
        cwd: Option<&Path>,
    ) -> std::io::Result<Launcher> {
        let argv = argv
            .iter()
            .map(|a| c_string(a.as_bytes()))
            .collect::<std::io::Result<Vec<_>>>()?;
        let envp = env
            .iter()
            .map(|(k, v)| {
                let mut pair = k.as_bytes().to_vec();
                pair.push(b'=');
                pair.extend_from_slice(v.as_bytes());
                c_string(&pair)
            })
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(Launcher {
            path: c_string(path.as_os_str().as_bytes())?,
            argv,
            envp,
            cwd: cwd
                .map(|d| c_string(d.as_os_str().as_bytes()))
                .transpose()?,
            stdio: [None; 3],
            grouping: Grouping::Shared,
            terminal: None,
            nice: None,
            rlimits: Vec::new(),
            death_signal: None,
            umask: None,
            ignore: Vec::new(),
            default: Vec::new(),
            block: Vec::new(),
            close_fds: false,
            own_peak_memory: false,
            closed: std::array::from_fn(|fd| crate::startup::closed_at_start(fd as RawFd)),
        })
    }

    /// Forks and execs; returns once the program runs (or a step failed,
    /// and then nothing runs: the child is reaped).
    pub fn spawn(&self) -> Result<Started, StepError> {
        let fail = |errno: i32| StepError {
            step: Step::Exec,
            errno,
        };
        let argv = pointers(&self.argv);
        let envp = pointers(&self.envp);
        // execvp's fallback for a file without `#!`: /bin/sh runs it, with
        // the path as its script (the C library documents this for execvp).
        let sh = c"/bin/sh";
        let mut sh_argv = vec![sh.as_ptr(), self.path.as_ptr()];
        sh_argv.extend(argv.iter().skip(1));
        let mut block = empty_set();
        for &s in &self.block {
            // SAFETY: `block` is an initialised set; an invalid number only fails.
            unsafe { libc::sigaddset(&mut block, s) };
        }
        let mut fds = [0; 2];
        // SAFETY: pipe2 writes two descriptors into `fds`.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(fail(errno()));
        }
        // SAFETY: both descriptors were just created and are owned here.
        let (reader, writer) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let call = ChildCall {
            launcher: self,
            report: writer.as_raw_fd(),
            parent: std::process::id() as i32,
            argv: &argv,
            envp: &envp,
            sh_argv: &sh_argv,
            block: &block,
        };
        let pid = if self.own_peak_memory {
            // SAFETY: proctl has no other thread at this point (copiers
            // start after), and the child only makes async-signal-safe
            // system calls on data prepared above before it execs or exits.
            match unsafe { libc::fork() } {
                // SAFETY: see above; never returns.
                0 => unsafe { call.run() },
                pid => pid,
            }
        } else {
            start_sharing_memory(&call)
        };
        if pid < 0 {
            return Err(fail(errno()));
        }
        drop(writer);
        let records = read_records(reader);
        let mut warnings = Vec::new();
        for (fatal, error) in records {
            if fatal {
                let mut status = 0;
                // SAFETY: reaps the child that stopped before exec.
                unsafe { libc::waitpid(pid, &mut status, 0) };
                return Err(error);
            }
            warnings.push(error);
        }
        Ok(Started { pid, warnings })
    }
}

/// What the child needs, prepared by the parent before the start.
struct ChildCall<'a> {
    launcher: &'a Launcher,
    /// The write end of the pipe that carries failed steps.
    report: RawFd,
    parent: i32,
    argv: &'a [*const libc::c_char],
    envp: &'a [*const libc::c_char],
    sh_argv: &'a [*const libc::c_char],
    block: &'a libc::sigset_t,
}

/// Starts the child sharing proctl's memory and suspends proctl until it
/// execs or exits (posix_spawn's way); returns its pid, or -1.
fn start_sharing_memory(call: &ChildCall) -> i32 {
    extern "C" fn entry(arg: *mut libc::c_void) -> libc::c_int {
        // SAFETY: `arg` is the ChildCall below, alive while the parent is
        // suspended; `run` never returns.
        unsafe { (*(arg as *const ChildCall)).run() }
    }
    const STACK: usize = 64 * 1024;
    // Only reserved: the pages the child's few frames touch are faulted in.
    let mut stack = Vec::<u8>::with_capacity(STACK);
    // SAFETY: the top of the reserved region, 16-byte aligned (stacks grow
    // down); the region outlives the child's use of it (CLONE_VFORK).
    let top = unsafe { stack.as_mut_ptr().add(STACK) };
    let top = (top as usize & !15) as *mut libc::c_void;
    let mut all = empty_set();
    let mut before = empty_set();
    // SAFETY: plain signal-mask calls on initialised sets. Every signal is
    // blocked across the start so that no handler of proctl's runs in the
    // child on the shared memory; the child sets its own mask before exec.
    unsafe {
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut before);
    }
    // SAFETY: the child runs `entry` on its own stack; proctl is suspended
    // until it execs or exits, so nothing else touches the shared memory.
    let pid = unsafe {
        libc::clone(
            entry,
            top,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            call as *const ChildCall as *mut libc::c_void,
        )
    };
    let error = errno();
    // SAFETY: restores the mask saved above.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &before, std::ptr::null_mut()) };
    drop(stack);
    if pid < 0 {
        // SAFETY: gives the caller the clone's errno back.
        unsafe { *libc::__errno_location() = error };
    }
    pid
}

impl ChildCall<'_> {
    /// The child's side. Only system calls; any failure is written to
    /// `report` and ends the child before the program runs.
    unsafe fn run(&self) -> ! {
        let ChildCall {
            launcher,
            report,
            parent,
            argv,
            envp,
            sh_argv,
            block,
        } = *self;
        // SAFETY (whole function): plain system calls on prepared data.
        unsafe {
            let fatal = |step: Step| -> ! {
                send_record(report, true, step, errno());
                libc::_exit(127)
            };
            match launcher.grouping {
                Grouping::Shared => {}
                Grouping::NewGroup => {
                    if libc::setpgid(0, 0) != 0 {
                        fatal(Step::Group);
                    }
                }
                Grouping::NewSession => {
                    if libc::setsid() < 0 {
                        fatal(Step::Session);
                    }
                }
            }
            if let Some(tty) = launcher.terminal {
                // Signals are blocked here, so a background group may take
                // the terminal without SIGTTOU; the parent does not wait
                // for this, the child does it before exec, as shells do.
                libc::tcsetpgrp(tty, libc::getpid());
            }
            // A stream closed when proctl started stays closed for the
            // program, and so does one merged into it (`--stderr stdout`).
            let closed = |fd: RawFd| {
                (0..3).contains(&fd)
                    && launcher.closed[fd as usize]
                    && launcher.stdio[fd as usize].is_none()
            };
            for (target, fd) in launcher.stdio.iter().enumerate() {
                if closed(target as RawFd) || fd.is_some_and(closed) {
                    libc::close(target as RawFd);
                    continue;
                }
                if let Some(fd) = *fd {
                    if fd == target as RawFd {
                        libc::fcntl(fd, libc::F_SETFD, 0);
                    } else if libc::dup2(fd, target as RawFd) < 0 {
                        fatal(Step::Stdio);
                    }
                }
            }
            if let Some(dir) = &launcher.cwd
                && libc::chdir(dir.as_ptr()) != 0
            {
                fatal(Step::Cwd);
            }
            if let Some(mask) = launcher.umask {
                libc::umask(mask as libc::mode_t);
            }
            if let Some(n) = launcher.nice
                && libc::setpriority(libc::PRIO_PROCESS, 0, n) != 0
            {
                send_record(report, false, Step::Nice, errno());
            }
            for (i, r) in launcher.rlimits.iter().enumerate() {
                let mut cur = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                let resource = r.resource;
                if libc::getrlimit(resource, &mut cur) != 0 {
                    fatal(Step::Rlimit(i));
                }
                let new = libc::rlimit {
                    rlim_cur: r.soft.unwrap_or(cur.rlim_cur),
                    rlim_max: r.hard.unwrap_or(cur.rlim_max),
                };
                if new.rlim_cur > new.rlim_max {
                    libc::_exit(send_einval(report, i));
                }
                if libc::setrlimit(resource, &new) != 0 {
                    fatal(Step::Rlimit(i));
                }
            }
            if let Some(signal) = launcher.death_signal {
                if libc::prctl(libc::PR_SET_PDEATHSIG, signal) != 0 {
                    fatal(Step::DeathSignal);
                }
                // The parent may have died before the death signal was armed.
                if libc::getppid() != parent {
                    *libc::__errno_location() = libc::ESRCH;
                    fatal(Step::ParentGone);
                }
            }
            if launcher.close_fds {
                // Marked close-on-exec rather than closed, so that the
                // report pipe still works until exec.
                const CLOSE_RANGE_CLOEXEC: libc::c_uint = 1 << 2;
                libc::syscall(
                    libc::SYS_close_range,
                    3 as libc::c_uint,
                    libc::c_uint::MAX,
                    CLOSE_RANGE_CLOEXEC,
                );
            }
            for &s in &launcher.default {
                libc::signal(s, libc::SIG_DFL);
            }
            for &s in &launcher.ignore {
                libc::signal(s, libc::SIG_IGN);
            }
            libc::sigprocmask(libc::SIG_SETMASK, block, std::ptr::null_mut());
            libc::execve(launcher.path.as_ptr(), argv.as_ptr(), envp.as_ptr());
            if errno() == libc::ENOEXEC {
                libc::execve(sh_argv[0], sh_argv.as_ptr(), envp.as_ptr());
            }
            fatal(Step::Exec)
        }
    }
}

/// A soft limit above the hard one once the unchanged side is filled in:
/// setrlimit's own EINVAL, reported for that limit.
unsafe fn send_einval(report: RawFd, i: usize) -> i32 {
    send_record(report, true, Step::Rlimit(i), libc::EINVAL);
    127
}

fn pointers(strings: &[CString]) -> Vec<*const libc::c_char> {
    strings
        .iter()
        .map(|s| s.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

fn empty_set() -> libc::sigset_t {
    let mut set = std::mem::MaybeUninit::<libc::sigset_t>::zeroed();
    // SAFETY: sigemptyset initialises the set.
    unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        set.assume_init()
    }
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// One record: fatal flag, step, errno; one write, smaller than PIPE_BUF,
/// so it arrives whole.
fn send_record(fd: RawFd, fatal: bool, step: Step, errno: i32) {
    let mut buf = [0u8; 12];
    buf[..4].copy_from_slice(&u32::from(fatal).to_ne_bytes());
    buf[4..8].copy_from_slice(&step.code().to_ne_bytes());
    buf[8..].copy_from_slice(&errno.to_ne_bytes());
    // SAFETY: writes 12 bytes from a live buffer.
    unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
}

/// Reads the child's records until exec closes the pipe.
fn read_records(reader: OwnedFd) -> Vec<(bool, StepError)> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let mut file = std::fs::File::from(reader);
    let _ = file.read_to_end(&mut bytes);
    bytes
        .chunks_exact(12)
        .map(|r| {
            let word = |i: usize| [r[i], r[i + 1], r[i + 2], r[i + 3]];
            let fatal = u32::from_ne_bytes(word(0)) != 0;
            let step = Step::from_code(u32::from_ne_bytes(word(4)));
            let errno = i32::from_ne_bytes(word(8));
            (fatal, StepError { step, errno })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip() {
        for step in [
            Step::Session,
            Step::Group,
            Step::Stdio,
            Step::Cwd,
            Step::Nice,
            Step::Rlimit(0),
            Step::Rlimit(7),
            Step::DeathSignal,
            Step::ParentGone,
            Step::Exec,
        ] {
            assert_eq!(Step::from_code(step.code()), step);
        }
    }
}
