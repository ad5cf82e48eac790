//! Delivering signals to exactly the processes meant: each target is held
//! by a pidfd whose process has the start time seen at selection, so a pid
//! recycled in between is never signalled; and waiting for exits by
//! polling pidfds.

use std::fmt;
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::io::Errno;
use rustix::process::{Pid, PidfdFlags, pidfd_open, pidfd_send_signal};

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

/// What happened to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    Exited,
    StillRunning,
    PermissionDenied,
    NoSuchProcess,
    /// The pid now belongs to another process than the one selected.
    Reused,
    Refused(String),
}

impl Outcome {
    /// Whether this outcome is a success.
    pub fn ok(&self) -> bool {
        matches!(self, Outcome::Sent | Outcome::Exited)
    }

    /// The snake_case word for JSON.
    pub fn key(&self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Exited => "exited",
            Outcome::StillRunning => "still_running",
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

/// Opens a pidfd for the target and checks that its process is still the
/// one selected (same start time).
pub fn hold(source: &ProcSource, target: &Target) -> Result<Handle, Outcome> {
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

/// Sends a signal through the handle.
pub fn send(handle: &Handle, signal: Signal) -> Outcome {
    let result = match (&handle.pidfd, signal.number()) {
        (Some(fd), 0) => {
            return if exited(fd) {
                Outcome::NoSuchProcess
            } else {
                Outcome::Sent
            };
        }
        (Some(fd), n) => pidfd_send_signal(fd, to_rustix(n)),
        (None, n) => match Pid::from_raw(handle.target.pid) {
            Some(pid) if n == 0 => rustix::process::test_kill_process(pid),
            Some(pid) => rustix::process::kill_process(pid, to_rustix(n)),
            None => Err(Errno::SRCH),
        },
    };
    outcome_of(result)
}

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
