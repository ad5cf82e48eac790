//! Signals for the procps personalities, always through a pidfd held on
//! the process that was chosen (its start time checked after opening), so
//! that a recycled pid is never signalled; with a raw signal number (procps
//! passes numbers such as 32 or 93 to the kernel, which answers EINVAL) and
//! an optional sigqueue(3) value (`-q`).
//!
//! This duplicates part of `signal::deliver` (hold, send), which takes only
//! the signals proctl itself accepts and has no queued value yet.

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;

use nix::libc;
use rustix::io::Errno;
use rustix::process::{Pid, PidfdFlags, pidfd_open};

use crate::model::read::from_stat;

/// A process held for delivery: a pidfd on it, or on kernels without pidfds
/// (before Linux 5.3) its pid, checked as late as possible.
#[derive(Debug)]
pub struct Held {
    pub pid: i32,
    fd: Option<OwnedFd>,
}

impl Held {
    /// The pidfd, when the kernel has them.
    pub fn pidfd(&self) -> Option<&OwnedFd> {
        self.fd.as_ref()
    }
}

/// The start time, in ticks since boot, of thread `tid` of process `tgid`.
fn task_start(root: &Path, tgid: i32, tid: i32) -> Option<u64> {
    let path = root
        .join(tgid.to_string())
        .join("task")
        .join(tid.to_string())
        .join("stat");
    let bytes = std::fs::read(path).ok()?;
    from_stat(&bytes, tgid, tid).map(|p| p.start_ticks)
}

/// Holds process `tgid`, chosen because its thread `tid` (the process itself
/// when equal) had start time `start_ticks`. A process that is gone, or
/// whose pid now names another, is ESRCH, as kill(2) would say.
pub fn hold(root: &Path, tgid: i32, tid: i32, start_ticks: u64) -> Result<Held, Errno> {
    let pid = Pid::from_raw(tgid).ok_or(Errno::SRCH)?;
    let fd = match pidfd_open(pid, PidfdFlags::empty()) {
        Ok(fd) => Some(fd),
        Err(Errno::NOSYS) => None,
        Err(e) => return Err(e),
    };
    // With the pidfd open, /proc/TGID is our process or, if ours is gone,
    // a newer one with another start time.
    match task_start(root, tgid, tid) {
        Some(t) if t == start_ticks => Ok(Held { pid: tgid, fd }),
        _ => Err(Errno::SRCH),
    }
}

/// Holds what `kill PID` names: the process, or for a thread id the
/// process the thread belongs to (kill(2) signals the whole process).
pub fn hold_pid(root: &Path, pid: i32) -> Result<Held, Errno> {
    let id = Pid::from_raw(pid).ok_or(Errno::SRCH)?;
    match pidfd_open(id, PidfdFlags::empty()) {
        Ok(fd) => Ok(Held { pid, fd: Some(fd) }),
        Err(Errno::NOSYS) => Ok(Held { pid, fd: None }),
        // Not a thread-group leader but a thread id (EINVAL before Linux
        // 6.9, ENOENT since).
        Err(Errno::INVAL | Errno::NOENT) => {
            let tgid = tgid_of(root, pid).ok_or(Errno::SRCH)?;
            let leader = Pid::from_raw(tgid).ok_or(Errno::SRCH)?;
            let fd = pidfd_open(leader, PidfdFlags::empty())?;
            // The thread must still belong to the process now held.
            if root.join(format!("{tgid}/task/{pid}")).exists() {
                Ok(Held {
                    pid: tgid,
                    fd: Some(fd),
                })
            } else {
                Err(Errno::SRCH)
            }
        }
        Err(e) => Err(e),
    }
}

/// What pidfd_open(2) says about a thread id that is not a process (as
/// procps's pidwait calls it on each match): `None` when it opens.
pub fn open_thread_error(tid: i32) -> Option<Errno> {
    let id = Pid::from_raw(tid)?;
    pidfd_open(id, PidfdFlags::empty()).err()
}

fn tgid_of(root: &Path, tid: i32) -> Option<i32> {
    let status = std::fs::read_to_string(root.join(format!("{tid}/status"))).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// The part of the kernel's siginfo that sigqueue(3) fills (`_rt`).
#[repr(C)]
#[derive(Clone, Copy)]
struct QueuedFields {
    pid: libc::pid_t,
    uid: libc::uid_t,
    value: libc::sigval,
}

/// The kernel's siginfo fields after the preamble, 128 bytes in all.
#[repr(C)]
union Fields {
    rt: QueuedFields,
    _size: [libc::c_int; (128 - PREAMBLE) / 4],
}

/// si_signo, si_errno, si_code, padded to the union's alignment.
const PREAMBLE: usize = if cfg!(target_pointer_width = "64") {
    16
} else {
    12
};

#[repr(C)]
struct QueuedInfo {
    signo: libc::c_int,
    errno: libc::c_int,
    code: libc::c_int,
    fields: Fields,
}

const _: () = assert!(std::mem::size_of::<QueuedInfo>() == 128);

/// What sigqueue(3) sends: SI_QUEUE from this process with the value.
fn queued_info(signal: i32, value: i32) -> QueuedInfo {
    QueuedInfo {
        signo: signal,
        errno: 0,
        code: libc::SI_QUEUE,
        fields: Fields {
            rt: QueuedFields {
                pid: std::process::id() as libc::pid_t,
                // SAFETY: getuid cannot fail.
                uid: unsafe { libc::getuid() },
                value: libc::sigval {
                    sival_ptr: value as isize as *mut libc::c_void,
                },
            },
        },
    }
}

/// Sends signal number `signal` (any number; the kernel judges it) to the
/// held process, with a sigqueue value when `value` is given.
pub fn send(held: &Held, signal: i32, value: Option<i32>) -> Result<(), Errno> {
    let Some(fd) = &held.fd else {
        return send_raw(held.pid, signal, value);
    };
    let info = value.map(|v| queued_info(signal, v));
    let info_ptr = info
        .as_ref()
        .map_or(std::ptr::null(), |i| i as *const QueuedInfo);
    // SAFETY: pidfd_send_signal reads at most 128 bytes of siginfo from a
    // valid pointer (or none); the descriptor is a pidfd we own.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            signal,
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

/// kill(2), or sigqueue(3) with a value, by number: for process groups
/// (negative), 0 (our group) and -1 (every process), which no pidfd names.
pub fn send_raw(target: i32, signal: i32, value: Option<i32>) -> Result<(), Errno> {
    // SAFETY: plain system calls on integers.
    let rc = unsafe {
        match value {
            Some(v) => libc::sigqueue(
                target,
                signal,
                libc::sigval {
                    sival_ptr: v as isize as *mut libc::c_void,
                },
            ),
            None => libc::kill(target, signal),
        }
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(Errno::from_raw_os_error(
            std::io::Error::last_os_error().raw_os_error().unwrap_or(0),
        ))
    }
}

/// strerror(3)'s text for an error number, as procps prints it.
pub fn describe(e: Errno) -> String {
    nix::errno::Errno::from_raw(e.raw_os_error())
        .desc()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_start() -> u64 {
        task_start(
            Path::new("/proc"),
            std::process::id() as i32,
            std::process::id() as i32,
        )
        .expect("own stat")
    }

    #[test]
    fn a_process_with_another_start_time_is_never_held() {
        let me = std::process::id() as i32;
        let root = Path::new("/proc");
        let held = hold(root, me, me, own_start()).expect("this process");
        assert_eq!(held.pid, me);
        assert!(held.pidfd().is_some());
        // The same pid with another start time: a recycled pid.
        assert_eq!(hold(root, me, me, own_start() + 1).err(), Some(Errno::SRCH));
        assert_eq!(send(&held, 0, None), Ok(()));
        assert_eq!(send(&held, 99, None), Err(Errno::INVAL));
    }

    #[test]
    fn thread_ids_name_their_process() {
        let me = std::process::id() as i32;
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            tx.send(rustix::thread::gettid().as_raw_nonzero().get())
                .unwrap();
            let _ = stop_rx.recv();
        });
        let tid = rx.recv().unwrap();
        let held = hold_pid(Path::new("/proc"), tid).expect("a thread of this process");
        assert_eq!(held.pid, me);
        assert_eq!(send(&held, 0, Some(7)), Ok(()));
        stop_tx.send(()).unwrap();
        thread.join().unwrap();
        assert_eq!(
            hold_pid(Path::new("/proc"), i32::MAX).err(),
            Some(Errno::SRCH)
        );
    }
}
