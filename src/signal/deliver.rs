//! Delivering signals to exactly the processes meant: each target is held
//! by a pidfd whose process has the start time seen at selection, so a pid
//! recycled in between is never signalled; and waiting for exits by
//! polling pidfds.

use std::fmt;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::io::Errno;
use rustix::process::{Pid, PidfdFlags, pidfd_open};

use super::Signal;
use crate::model::{Needs, ProcSource};

/// A process chosen for a signal: who it was when it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub pid: i32,
    /// Start time in clock ticks since boot, as read when it was selected.
    pub start_ticks: u64,
    pub name: Vec<u8>,
    pub euid: Option<u32>,
}

impl Target {
    /// The target for a process read from /proc.
    pub fn of(p: &crate::model::ProcessInfo) -> Target {
        Target {
            pid: p.pid,
            start_ticks: p.start_ticks,
            name: p.name.clone(),
            euid: p.euid,
        }
    }

    /// Reads a target by pid; `None` when there is no such process.
    pub fn read(source: &ProcSource, pid: i32) -> Option<Target> {
        let p = source.read_process(pid, Needs::STAT)?;
        Some(Target {
            pid,
            start_ticks: p.start_ticks,
            name: p.name,
            euid: p.euid,
        })
    }
}

/// The process a pid names and, when the pid is a thread of another
/// process, that thread's id: kill(2) given a thread id signals the whole
/// process, and so does proctl. The start time is the named task's own, so
/// that `PID@TICKS` checks what the user saw (a thread's row in `ps -L`).
pub fn read_named(source: &ProcSource, pid: i32) -> Option<(Target, Option<i32>, u64)> {
    let named = Target::read(source, pid)?;
    let tgid = thread_group(source, pid).unwrap_or(pid);
    if tgid == pid {
        let ticks = named.start_ticks;
        return Some((named, None, ticks));
    }
    let process = Target::read(source, tgid)?;
    Some((process, Some(pid), named.start_ticks))
}

/// The thread group (process) of a task id, from /proc/ID/status.
fn thread_group(source: &ProcSource, id: i32) -> Option<i32> {
    let status = std::fs::read(source.root().join(id.to_string()).join("status")).ok()?;
    status
        .split(|&b| b == b'\n')
        .find_map(|line| line.strip_prefix(b"Tgid:"))
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse().ok())
}

/// What happened to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Exited,
    StillRunning,
    /// It outlived the grace period and was sent KILL (and exited, when waited for).
    Killed,
    PermissionDenied,
    NoSuchProcess,
    /// The pid now belongs to another process than the one selected.
    Reused,
    Refused(String),
}

impl Outcome {
    /// Whether this outcome is a success.
    pub fn ok(&self) -> bool {
        matches!(self, Outcome::Sent | Outcome::Exited | Outcome::Killed)
    }

    /// The snake_case word for JSON.
    pub fn key(&self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Exited => "exited",
            Outcome::StillRunning => "still_running",
            Outcome::Killed => "killed",
            Outcome::PermissionDenied => "permission_denied",
            Outcome::NoSuchProcess => "no_such_process",
            Outcome::Reused => "pid_reused",
            Outcome::Refused(_) => "refused",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Refused(why) => write!(f, "refused ({why})"),
            other => f.write_str(&other.key().replace('_', " ")),
        }
    }
}

/// A target held for delivery.
#[derive(Debug)]
pub struct Handle {
    pub target: Target,
    /// `None` where the kernel has no pidfds (before Linux 5.3): kill(2) is used.
    pidfd: Option<OwnedFd>,
}

impl Handle {
    /// Whether the held process has not exited (a zombie has).
    pub fn is_alive(&self) -> bool {
        match &self.pidfd {
            Some(fd) => !exited(fd),
            None => alive_without_pidfd(self.target.pid),
        }
    }
}

/// Opens a pidfd for the target and checks that its process is still the
/// one selected (same start time).
pub fn hold(source: &ProcSource, target: &Target) -> Result<Handle, Outcome> {
    // A fixture tree's pids were never checked against the live processes
    // with those numbers: nothing read from one is acted on.
    if !source.is_live() {
        return Err(Outcome::Refused(
            "read from a fixture tree, not /proc".into(),
        ));
    }
    let pid = Pid::from_raw(target.pid).ok_or(Outcome::NoSuchProcess)?;
    let pidfd = match pidfd_open(pid, PidfdFlags::empty()) {
        Ok(fd) => Some(fd),
        Err(Errno::NOSYS) => None,
        Err(Errno::SRCH) => return Err(Outcome::NoSuchProcess),
        Err(Errno::PERM | Errno::ACCESS) => return Err(Outcome::PermissionDenied),
        Err(_) => return Err(Outcome::NoSuchProcess),
    };
    // The pidfd now pins one process; /proc/PID is that process or a
    // newer one only if ours has already gone.
    match source.read_process(target.pid, Needs::STAT) {
        Some(now) if now.start_ticks == target.start_ticks => Ok(Handle {
            target: target.clone(),
            pidfd,
        }),
        Some(_) => Err(Outcome::Reused),
        None => Err(Outcome::NoSuchProcess),
    }
}

/// Sends a signal through the handle. Signal 0 sends nothing but checks,
/// as kill(2) does, that the process exists (a zombie does) and that proctl
/// may signal it.
pub fn send(handle: &Handle, signal: Signal) -> Outcome {
    deliver(handle, signal, None)
}

/// Sends a signal with an integer value, as sigqueue(3) does.
pub fn send_queued(handle: &Handle, signal: Signal, value: i32) -> Outcome {
    deliver(handle, signal, Some(value))
}

fn deliver(handle: &Handle, signal: Signal, value: Option<i32>) -> Outcome {
    let n = signal.number();
    let result = match &handle.pidfd {
        Some(fd) => {
            let info = value.map(|v| QueueInfo::new(n, v));
            let info_ptr = info
                .as_ref()
                .map_or(std::ptr::null(), |i| i as *const QueueInfo);
            // SAFETY: pidfd_send_signal(2) reads a siginfo of 128 bytes when
            // the pointer is not null; QueueInfo is laid out as the kernel's.
            let rc = unsafe {
                nix::libc::syscall(
                    nix::libc::SYS_pidfd_send_signal,
                    fd.as_raw_fd(),
                    n,
                    info_ptr,
                    0,
                )
            };
            if rc == 0 {
                Ok(())
            } else {
                Err(Errno::from_raw_os_error(
                    std::io::Error::last_os_error().raw_os_error().unwrap_or(0),
                ))
            }
        }
        None => match (Pid::from_raw(handle.target.pid), value) {
            (None, _) => Err(Errno::SRCH),
            (Some(pid), Some(v)) => {
                // SAFETY: sigqueue(3) with a plain integer value.
                let rc = unsafe {
                    nix::libc::sigqueue(
                        pid.as_raw_nonzero().get(),
                        n,
                        nix::libc::sigval {
                            sival_ptr: v as isize as *mut nix::libc::c_void,
                        },
                    )
                };
                if rc == 0 {
                    Ok(())
                } else {
                    Err(Errno::from_raw_os_error(
                        std::io::Error::last_os_error().raw_os_error().unwrap_or(0),
                    ))
                }
            }
            (Some(pid), None) if n == 0 => rustix::process::test_kill_process(pid),
            (Some(pid), None) => rustix::process::kill_process(pid, to_rustix(n)),
        },
    };
    outcome_of(result)
}

/// The siginfo that sigqueue(3) sends (si_code SI_QUEUE), laid out as the
/// kernel's 128-byte `siginfo_t` on 64-bit Linux.
#[repr(C)]
struct QueueInfo {
    signo: i32,
    errno: i32,
    code: i32,
    #[cfg(target_pointer_width = "64")]
    _align: i32,
    pid: i32,
    uid: u32,
    value: usize,
    _rest: [u8; QUEUE_INFO_REST],
}

#[cfg(target_pointer_width = "64")]
const QUEUE_INFO_REST: usize = 128 - 32;
#[cfg(not(target_pointer_width = "64"))]
const QUEUE_INFO_REST: usize = 128 - 24;

impl QueueInfo {
    fn new(signo: i32, value: i32) -> QueueInfo {
        QueueInfo {
            signo,
            errno: 0,
            code: nix::libc::SI_QUEUE,
            #[cfg(target_pointer_width = "64")]
            _align: 0,
            pid: std::process::id() as i32,
            uid: nix::unistd::getuid().as_raw(),
            value: value as isize as usize,
            _rest: [0; QUEUE_INFO_REST],
        }
    }
}

const _: () = assert!(std::mem::size_of::<QueueInfo>() == 128);

/// Sends a signal to a process group with kill(2) (no pidfd names a group).
pub fn send_to_group(pgid: i32, signal: Signal) -> Outcome {
    let result = match Pid::from_raw(pgid) {
        Some(group) if signal.number() == 0 => rustix::process::test_kill_process_group(group),
        Some(group) => rustix::process::kill_process_group(group, to_rustix(signal.number())),
        None => Err(Errno::SRCH),
    };
    outcome_of(result)
}

/// kill(2) to a pid (positive) or a process group (negative), any signal.
pub fn kill_raw(target: i32, signal: Signal) -> Outcome {
    let result = match (Pid::from_raw(target.abs()), target < 0, signal.number()) {
        (None, _, _) => Err(Errno::SRCH),
        (Some(p), false, 0) => rustix::process::test_kill_process(p),
        (Some(p), true, 0) => rustix::process::test_kill_process_group(p),
        (Some(p), false, n) => rustix::process::kill_process(p, to_rustix(n)),
        (Some(p), true, n) => rustix::process::kill_process_group(p, to_rustix(n)),
    };
    outcome_of(result)
}

fn outcome_of(result: rustix::io::Result<()>) -> Outcome {
    match result {
        Ok(()) => Outcome::Sent,
        Err(Errno::PERM) => Outcome::PermissionDenied,
        Err(_) => Outcome::NoSuchProcess,
    }
}

fn to_rustix(n: i32) -> rustix::process::Signal {
    // SAFETY: `n` comes from `Signal`, which only holds 1..=31 and the
    // C library's SIGRTMIN..=SIGRTMAX, never the numbers it reserves.
    unsafe { rustix::process::Signal::from_raw_unchecked(n) }
}

fn exited(fd: &OwnedFd) -> bool {
    let mut fds = [PollFd::new(fd, PollFlags::IN)];
    let zero = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    matches!(poll(&mut fds, Some(&zero)), Ok(n) if n > 0)
}

/// Waits until every handle's process has exited (a zombie counts), or the
/// timeout passes. Returns, for each handle, whether it exited.
pub fn wait_all(handles: &[&Handle], timeout: Option<Duration>) -> Vec<bool> {
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut done: Vec<bool> = handles
        .iter()
        .map(|h| h.pidfd.as_ref().is_some_and(exited))
        .collect();
    loop {
        let pending: Vec<usize> = (0..handles.len()).filter(|&i| !done[i]).collect();
        if pending.is_empty() {
            return done;
        }
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if left == Some(Duration::ZERO) {
            return done;
        }
        let with_fd: Vec<usize> = pending
            .iter()
            .copied()
            .filter(|&i| handles[i].pidfd.is_some())
            .collect();
        if with_fd.len() < pending.len() {
            // No pidfds: look at /proc between short pauses.
            for &i in &pending {
                if handles[i].pidfd.is_none() && !alive_without_pidfd(handles[i].target.pid) {
                    done[i] = true;
                }
            }
            std::thread::sleep(
                left.unwrap_or(Duration::from_millis(20))
                    .min(Duration::from_millis(20)),
            );
            continue;
        }
        // poll(2) takes at most this many descriptors at once here.
        let chunk: Vec<usize> = with_fd.into_iter().take(1000).collect();
        let mut fds: Vec<PollFd> = chunk
            .iter()
            .map(|&i| {
                PollFd::from_borrowed_fd(
                    handles[i].pidfd.as_ref().expect("has pidfd").as_fd(),
                    PollFlags::IN,
                )
            })
            .collect();
        let wait = left.map(|l| Timespec {
            tv_sec: l.as_secs() as i64,
            tv_nsec: i64::from(l.subsec_nanos()),
        });
        match poll(&mut fds, wait.as_ref()) {
            Ok(_) | Err(Errno::INTR) => {}
            Err(_) => return done,
        }
        for (k, fd) in fds.iter().enumerate() {
            if !fd.revents().is_empty() {
                done[chunk[k]] = true;
            }
        }
    }
}

fn alive_without_pidfd(pid: i32) -> bool {
    matches!(std::fs::read(format!("/proc/{pid}/stat")), Ok(stat) if !is_zombie(&stat))
}

fn is_zombie(stat: &[u8]) -> bool {
    let close = stat.iter().rposition(|&b| b == b')');
    close
        .and_then(|c| stat.get(c + 2))
        .is_some_and(|&s| s == b'Z' || s == b'X')
}
