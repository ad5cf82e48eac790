//! The signals proctl takes over while it supervises: every one it can
//! catch is blocked and read from a signalfd, then forwarded to the child
//! or handled, so that none can end proctl and orphan the child.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use nix::libc;

/// Every signal a process can catch: 1 to 31 but KILL and STOP, and the
/// real-time ones the C library leaves to programs.
pub fn catchable() -> impl Iterator<Item = i32> {
    (1..=31)
        .filter(|&s| s != libc::SIGKILL && s != libc::SIGSTOP)
        .chain(libc::SIGRTMIN()..=libc::SIGRTMAX())
}

/// A set of signals.
#[derive(Clone, Copy)]
pub struct SignalSet(libc::sigset_t);

impl SignalSet {
    /// No signal.
    pub fn empty() -> SignalSet {
        let mut set = std::mem::MaybeUninit::<libc::sigset_t>::zeroed();
        // SAFETY: sigemptyset initialises the set.
        unsafe {
            libc::sigemptyset(set.as_mut_ptr());
            SignalSet(set.assume_init())
        }
    }

    /// These signals.
    pub fn of(signals: impl IntoIterator<Item = i32>) -> SignalSet {
        let mut set = SignalSet::empty();
        for s in signals {
            // SAFETY: the set is initialised; a bad number only fails.
            unsafe { libc::sigaddset(&mut set.0, s) };
        }
        set
    }

    /// Blocks the set in the calling thread (and the threads it starts).
    pub fn block(&self) {
        // SAFETY: a valid set; the old mask is not needed.
        unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &self.0, std::ptr::null_mut()) };
    }
}

/// What a signalfd read says about one signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub signo: i32,
    /// si_code: SI_USER for kill(2), SI_KERNEL for the terminal's keys, ...
    pub code: i32,
    /// The sender, for signals sent by a process.
    pub sender: i32,
}

/// A non-blocking signalfd for a set of (blocked) signals.
pub struct SignalFd(OwnedFd);

impl SignalFd {
    /// Opens it.
    pub fn new(set: &SignalSet) -> std::io::Result<SignalFd> {
        // SAFETY: a valid set; -1 asks for a new descriptor.
        let fd = unsafe { libc::signalfd(-1, &set.0, libc::SFD_NONBLOCK | libc::SFD_CLOEXEC) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: a new descriptor, owned here.
        Ok(SignalFd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// The next pending signal, if any.
    pub fn read(&self) -> Option<Arrival> {
        let mut info = std::mem::MaybeUninit::<libc::signalfd_siginfo>::zeroed();
        let size = std::mem::size_of::<libc::signalfd_siginfo>();
        // SAFETY: reads at most one record into a buffer of its size.
        let n = unsafe { libc::read(self.0.as_raw_fd(), info.as_mut_ptr().cast(), size) };
        if n != size as isize {
            return None;
        }
        // SAFETY: the kernel filled the whole record.
        let info = unsafe { info.assume_init() };
        Some(Arrival {
            signo: info.ssi_signo as i32,
            code: info.ssi_code,
            sender: info.ssi_pid as i32,
        })
    }
}

impl AsFd for SignalFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

/// What to do with a signal that arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Send it to the child (or its group).
    Forward,
    /// The child already has it, or it is proctl's own doing.
    Drop,
    /// The child changed state (SIGCHLD): look at it.
    ChildChanged,
}

/// Where proctl and its child stand when a signal arrives.
#[derive(Debug, Clone, Copy)]
pub struct Situation {
    pub own_pid: i32,
    /// The child is in proctl's process group.
    pub shared_group: bool,
    /// The witness has it pending too: it was sent to proctl's whole group.
    pub sent_to_group: bool,
}

/// si_code of a signal the kernel generated (the terminal's Ctrl+C, ^\, ^Z).
const SI_KERNEL: i32 = 0x80;

/// Decides what to do with a signal; pure, so it is unit-tested.
///
/// The terminal's keys go to its whole foreground group: a child sharing
/// proctl's group got the signal already; so did it when the signal was
/// sent to the group (the witness says so). Any other signal is forwarded,
/// whoever sent it: a child (or grandchild) that signals its parent means
/// proctl, and proctl stands for the program, as timeout(1) forwards it.
/// SIGPIPE that proctl's own writes raise is no one's signal.
pub fn decide(a: &Arrival, s: &Situation) -> Action {
    if a.signo == libc::SIGCHLD {
        return Action::ChildChanged;
    }
    if a.signo == libc::SIGPIPE && a.sender == s.own_pid {
        return Action::Drop;
    }
    if a.code == SI_KERNEL {
        return if s.shared_group {
            Action::Drop
        } else {
            Action::Forward
        };
    }
    if s.shared_group && s.sent_to_group {
        return Action::Drop;
    }
    Action::Forward
}

#[cfg(test)]
mod tests {
    use super::*;

    fn situation(shared: bool) -> Situation {
        Situation {
            own_pid: 100,
            shared_group: shared,
            sent_to_group: false,
        }
    }

    fn arrival(signo: i32, code: i32, sender: i32) -> Arrival {
        Arrival {
            signo,
            code,
            sender,
        }
    }

    #[test]
    fn terminal_keys_reach_a_child_in_the_same_group_once() {
        let ctrl_c = arrival(libc::SIGINT, SI_KERNEL, 0);
        assert_eq!(decide(&ctrl_c, &situation(true)), Action::Drop);
        assert_eq!(decide(&ctrl_c, &situation(false)), Action::Forward);
    }

    #[test]
    fn kill_from_outside_is_forwarded() {
        let term = arrival(libc::SIGTERM, libc::SI_USER, 7);
        assert_eq!(decide(&term, &situation(true)), Action::Forward);
        assert_eq!(decide(&term, &situation(false)), Action::Forward);
    }

    #[test]
    fn a_signal_from_the_child_or_its_group_is_forwarded() {
        // `kill -TERM $PPID` in the program means proctl, which stands for
        // the program (timeout(1) forwards it too).
        let from_child = arrival(libc::SIGTERM, libc::SI_USER, 101);
        assert_eq!(decide(&from_child, &situation(false)), Action::Forward);
        assert_eq!(decide(&from_child, &situation(true)), Action::Forward);
        let from_grandchild = arrival(libc::SIGUSR1, libc::SI_USER, 102);
        assert_eq!(decide(&from_grandchild, &situation(false)), Action::Forward);
    }

    #[test]
    fn a_signal_to_the_shared_group_is_not_sent_twice() {
        let mut s = situation(true);
        s.sent_to_group = true;
        let usr1 = arrival(libc::SIGUSR1, libc::SI_USER, 7);
        assert_eq!(decide(&usr1, &s), Action::Drop);
        s.shared_group = false;
        assert_eq!(decide(&usr1, &s), Action::Forward);
    }

    #[test]
    fn own_sigpipe_and_sigchld() {
        let pipe = arrival(libc::SIGPIPE, libc::SI_USER, 100);
        assert_eq!(decide(&pipe, &situation(true)), Action::Drop);
        let chld = arrival(libc::SIGCHLD, 1, 101);
        assert_eq!(decide(&chld, &situation(true)), Action::ChildChanged);
    }

    #[test]
    fn catchable_excludes_kill_and_stop() {
        let all: Vec<i32> = catchable().collect();
        assert!(!all.contains(&libc::SIGKILL) && !all.contains(&libc::SIGSTOP));
        assert!(all.contains(&libc::SIGALRM) && all.contains(&libc::SIGRTMIN()));
    }
}
