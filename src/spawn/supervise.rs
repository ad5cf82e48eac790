//! The supervision loop: it sleeps in poll(2) on the signalfd until a
//! signal arrives or the timeout is due (never a busy loop), forwards
//! signals, follows the child's stops for job control, hands the terminal
//! to the child's group and takes it back, and reaps the child with its
//! resource usage.

use std::os::fd::RawFd;
use std::time::{Duration, Instant};

use nix::libc;
use rustix::event::{PollFd, PollFlags, Timespec, poll};

use super::signals::{Action, SignalFd, Situation, decide};
use super::witness::Witness;

/// timeout(1)'s settings.
#[derive(Debug, Clone)]
pub struct Timeout {
    pub after: Duration,
    pub signal: i32,
    pub kill_after: Option<Duration>,
    /// Say each signal sent (`--verbose`).
    pub verbose: bool,
}

/// Whom signals go to, and what the supervisor may do with the terminal.
pub struct Supervisor<'a> {
    pub pid: i32,
    /// The child's own process group (and session), if it has one.
    pub child_group: Option<i32>,
    /// A terminal whose foreground the child's group holds while it runs.
    pub terminal: Option<RawFd>,
    /// KILL whatever is left of the child's group when it ends.
    pub kill_group_at_end: bool,
    pub timeout: Option<Timeout>,
    /// The program's name, for `--verbose`.
    pub name: &'a str,
    pub signals: &'a SignalFd,
    /// With a child in proctl's group: tells a signal sent to the group.
    pub witness: Option<Witness>,
}

/// How the child ended.
#[derive(Debug, Clone, Copy)]
pub struct Ended {
    /// The wait status.
    pub status: i32,
    pub usage: libc::rusage,
    pub timed_out: bool,
}

impl Supervisor<'_> {
    fn target(&self) -> i32 {
        self.child_group.map_or(self.pid, |g| -g)
    }

    fn send(&self, signo: i32) {
        // SAFETY: kill(2) with a pid or a negated group.
        unsafe { libc::kill(self.target(), signo) };
    }

    /// Runs until the child ends.
    pub fn run(&mut self) -> Ended {
        let start = Instant::now();
        let mut deadline = self.timeout.as_ref().map(|t| start + t.after);
        let mut timed_out = false;
        loop {
            if let Some(ended) = self.check_child(timed_out) {
                return ended;
            }
            if let Some(due) = deadline
                && Instant::now() >= due
            {
                deadline = self.fire(&mut timed_out);
                continue;
            }
            let wait = deadline.map(|d| {
                let w = d.saturating_duration_since(Instant::now());
                Timespec {
                    tv_sec: w.as_secs() as i64,
                    tv_nsec: i64::from(w.subsec_nanos()),
                }
            });
            let mut fds = [PollFd::new(self.signals, PollFlags::IN)];
            let _ = poll(&mut fds, wait.as_ref());
            while let Some(arrival) = self.signals.read() {
                let mut situation = Situation {
                    own_pid: std::process::id() as i32,
                    shared_group: self.child_group.is_none(),
                    sent_to_group: false,
                };
                // A signal sent to the shared group reached the child
                // already (the witness has a copy); SIGCHLD may say the
                // witness died (it is then reaped, and no longer asked).
                if let Some(w) = self.witness.as_mut() {
                    if arrival.signo == libc::SIGCHLD {
                        w.reap_if_gone();
                    } else {
                        situation.sent_to_group = w.sent_to_group(arrival.signo, arrival.sender);
                    }
                }
                match decide(&arrival, &situation) {
                    Action::ChildChanged | Action::Drop => {}
                    Action::Forward => {
                        if arrival.signo == libc::SIGCONT {
                            self.give_terminal();
                        }
                        self.send(arrival.signo);
                    }
                }
            }
        }
    }

    /// The timeout is due: timeout(1)'s signal, then CONT so that a
    /// stopped group gets it; then KILL after `--kill-after`.
    fn fire(&self, timed_out: &mut bool) -> Option<Instant> {
        let t = self.timeout.as_ref()?;
        let signal = if *timed_out { libc::SIGKILL } else { t.signal };
        if t.verbose {
            let name = crate::signal::Signal::from_number(signal)
                .map_or_else(|| signal.to_string(), |s| s.name());
            super::diag(&format!("sending signal {name} to command '{}'", self.name));
        }
        self.send(signal);
        if signal != libc::SIGKILL && signal != libc::SIGCONT {
            self.send(libc::SIGCONT);
        }
        if *timed_out {
            None
        } else {
            *timed_out = true;
            t.kill_after.map(|k| Instant::now() + k)
        }
    }

    /// Looks at the child without blocking: its end (reaped, with its
    /// resource usage), or a stop, which proctl follows (the shell sees
    /// the job stopped).
    fn check_child(&self, timed_out: bool) -> Option<Ended> {
        let mut info = std::mem::MaybeUninit::<libc::siginfo_t>::zeroed();
        // SAFETY: waitid on our own child; WNOWAIT leaves it a zombie, so
        // its pid (and group id) cannot be reused before the group is killed.
        let rc = unsafe {
            libc::waitid(
                libc::P_PID,
                self.pid as libc::id_t,
                info.as_mut_ptr(),
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: zero-initialised; waitid fills it when a child is ready.
        let exited = rc == 0 && unsafe { info.assume_init().si_pid() } == self.pid;
        if exited {
            self.take_terminal();
            if self.kill_group_at_end
                && let Some(group) = self.child_group
            {
                // SAFETY: the group still exists: its leader is a zombie.
                unsafe { libc::kill(-group, libc::SIGKILL) };
            }
            return Some(self.reap(0, timed_out));
        }
        let mut status = 0;
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: wait4 on our own child with valid out-pointers.
        let rc = unsafe {
            libc::wait4(
                self.pid,
                &mut status,
                libc::WUNTRACED | libc::WCONTINUED | libc::WNOHANG,
                usage.as_mut_ptr(),
            )
        };
        if rc != self.pid {
            return None;
        }
        if libc::WIFSTOPPED(status) {
            // Only job control's stops: a STOP from a debugger or a script
            // is the child's business, and proctl must stay awake to see
            // the child end.
            if matches!(
                libc::WSTOPSIG(status),
                libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
            ) {
                self.follow_stop();
            }
            return None;
        }
        if libc::WIFCONTINUED(status) {
            return None;
        }
        self.take_terminal();
        Some(Ended {
            status,
            // SAFETY: wait4 filled it for the child it reaped.
            usage: unsafe { usage.assume_init() },
            timed_out,
        })
    }

    fn reap(&self, flags: i32, timed_out: bool) -> Ended {
        let mut status = 0;
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        loop {
            // SAFETY: wait4 on our own child that has exited.
            let rc = unsafe { libc::wait4(self.pid, &mut status, flags, usage.as_mut_ptr()) };
            if rc == self.pid
                || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted
            {
                break;
            }
        }
        Ended {
            status,
            // SAFETY: zero-initialised, filled by wait4.
            usage: unsafe { usage.assume_init() },
            timed_out,
        }
    }

    /// The child stopped (Ctrl+Z, or a TSTP proctl forwarded): proctl takes
    /// the terminal back and stops too, so the shell sees its job stop.
    /// When continued, the SIGCONT that woke it is read from the signalfd
    /// and forwarded, giving the terminal back first.
    fn follow_stop(&self) {
        // The stop may be over already: a `fg` or `bg` typed just as the
        // child stopped continues proctl's group before proctl follows,
        // and its CONT is either still unread in the signalfd or was
        // forwarded and woke the child. Stopping now would leave the job
        // stopped after `fg` (nothing would continue proctl again).
        if continue_pending() || !is_stopped(self.pid) {
            return;
        }
        self.take_terminal();
        // SAFETY: stops this process; returns once it is continued.
        unsafe { libc::kill(libc::getpid(), libc::SIGSTOP) };
    }

    /// Gives the terminal's foreground to the child's group, if proctl's
    /// group holds it now (it does not after `bg`).
    fn give_terminal(&self) {
        if let (Some(tty), Some(group)) = (self.terminal, self.child_group) {
            // SAFETY: terminal calls on a descriptor proctl holds; SIGTTOU
            // is blocked, so a background caller is not stopped.
            unsafe {
                if libc::tcgetpgrp(tty) == libc::getpgrp() {
                    libc::tcsetpgrp(tty, group);
                }
            }
        }
    }

    /// Takes the terminal's foreground back for proctl's group, if the
    /// child's group holds it.
    fn take_terminal(&self) {
        if let (Some(tty), Some(group)) = (self.terminal, self.child_group) {
            // SAFETY: as in give_terminal.
            unsafe {
                if libc::tcgetpgrp(tty) == group {
                    libc::tcsetpgrp(tty, libc::getpgrp());
                }
            }
        }
    }
}

/// Whether a SIGCONT waits in proctl's pending set (blocked for the
/// signalfd, it stays there until read).
fn continue_pending() -> bool {
    let mut set = std::mem::MaybeUninit::<libc::sigset_t>::zeroed();
    // SAFETY: sigpending fills the set it is given; sigismember reads it.
    unsafe {
        libc::sigpending(set.as_mut_ptr()) == 0
            && libc::sigismember(set.as_ptr(), libc::SIGCONT) == 1
    }
}

/// Whether the child is stopped now (state T in /proc/PID/stat); if it
/// cannot be read, as stopped, as wait4 said.
fn is_stopped(pid: i32) -> bool {
    let Ok(stat) = std::fs::read(format!("/proc/{pid}/stat")) else {
        return true;
    };
    let state = stat
        .iter()
        .rposition(|&b| b == b')')
        .and_then(|close| stat.get(close + 2));
    state.is_none_or(|&s| s == b'T')
}

/// proctl's controlling terminal among its standard descriptors, whoever
/// holds its foreground now: started in the background (`&`), proctl
/// hands it to the child's group once `fg` gives it to proctl's.
pub fn controlling_terminal() -> Option<RawFd> {
    // SAFETY: getsid and tcgetsid only read.
    let session = unsafe { libc::getsid(0) };
    (0..3).find(|&fd| unsafe { libc::isatty(fd) == 1 && libc::tcgetsid(fd) == session })
}

/// A terminal among proctl's standard descriptors whose foreground group
/// is proctl's own: the one the child's new group should take over.
pub fn foreground_terminal() -> Option<RawFd> {
    // SAFETY: getpgrp and tcgetpgrp only read.
    let own = unsafe { libc::getpgrp() };
    (0..3).find(|&fd| unsafe { libc::isatty(fd) == 1 && libc::tcgetpgrp(fd) == own })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_child_is_seen_stopped_and_a_continued_one_not() {
        let mut child = std::process::Command::new("sleep")
            .arg("60")
            .spawn()
            .expect("start sleep");
        let pid = child.id() as i32;
        let wait_state = |stopped: bool| {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            while is_stopped(pid) != stopped {
                assert!(std::time::Instant::now() < deadline, "never {stopped}");
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        };
        wait_state(false);
        // SAFETY: signals our own child.
        unsafe { libc::kill(pid, libc::SIGSTOP) };
        wait_state(true);
        // SAFETY: as above.
        unsafe { libc::kill(pid, libc::SIGCONT) };
        wait_state(false);
        let _ = child.kill();
        let _ = child.wait();
        // Not pending here: this test thread blocks no CONT.
        assert!(!continue_pending());
    }
}
