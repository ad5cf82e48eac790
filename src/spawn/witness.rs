//! A witness of signals sent to proctl's process group.
//!
//! A child sharing proctl's group gets a signal sent to the group from the
//! kernel, so proctl must not forward it; one sent to proctl alone it must.
//! Nothing in a signal's siginfo tells the two apart (both are SI_USER
//! from the sender's pid). The witness, a tiny process in the same group
//! with every signal blocked, does: it gets a copy of every signal sent to
//! the group, and none of those sent to proctl alone. It takes them one
//! at a time (sigwaitinfo, so real-time signals that queue are each
//! counted) and counts them in memory it shares with proctl. The kernel
//! signals a group's members newest first, so the witness (newer than
//! proctl) has its copy before proctl is told. It shares proctl's memory
//! (no page tables to copy) and runs only system calls on a stack of its
//! own.
//!
//! A copy stands for a group signal only when it is fresh and from the
//! same sender as proctl's: a signal sent to the witness alone (it is a
//! process anyone can name) must not swallow a later one sent to proctl.
//! The witness is named `group-witness`, so that `pkill proctl` and
//! `killall proctl` do not hit it beside proctl; `pkill -f` still can (it
//! shares proctl's memory, so its command line), and then the signal
//! looks group-wide and is not forwarded: a known limit, in the README.
//! If it dies, proctl reaps it and forwards every signal from then on.

use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use nix::libc;

/// How many recent copies of each signal are kept.
const RING: usize = 16;
/// How old a copy may be and still stand for the signal proctl got.
const FRESH: Duration = Duration::from_secs(2);

/// One copy the witness took: who sent it, and when (CLOCK_MONOTONIC).
struct Copy {
    sender: AtomicI32,
    at_ns: AtomicU64,
}

/// The copies of each signal, written by the witness only.
static COPIES: [[Copy; RING]; 65] = [const {
    [const {
        Copy {
            sender: AtomicI32::new(0),
            at_ns: AtomicU64::new(0),
        }
    }; RING]
}; 65];
/// How many copies of each signal the witness has taken in all.
static TAKEN: [AtomicU32; 65] = [const { AtomicU32::new(0) }; 65];

/// The witness process; killed and reaped when dropped.
pub struct Witness {
    pid: i32,
    /// Per signal and slot: 1 + the copy number matched there, so that a
    /// copy is matched once.
    matched: Box<[[u32; RING]; 65]>,
    /// Copies of each signal taken before it started.
    first: [u32; 65],
    /// It died and was reaped.
    gone: bool,
}

fn monotonic_ns() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a raw system call filling `t` (no errno, no vDSO data).
    unsafe { libc::syscall(libc::SYS_clock_gettime, libc::CLOCK_MONOTONIC, &mut t) };
    (t.tv_sec as u64) * 1_000_000_000 + t.tv_nsec as u64
}

extern "C" fn witness_main(_: *mut libc::c_void) -> libc::c_int {
    // SAFETY: plain system calls; every signal is blocked (inherited), so
    // only the KILL of the parent's death or of Drop ends the loop. Raw
    // syscalls: this process shares proctl's thread-local storage, so it
    // must not go through wrappers that might set errno there.
    unsafe {
        // It got a copy of proctl's descriptors: holding a pipe's end would
        // keep the child from seeing its end of file or a closed pipe.
        libc::syscall(
            libc::SYS_close_range,
            0 as libc::c_uint,
            libc::c_uint::MAX,
            0 as libc::c_uint,
        );
        libc::syscall(libc::SYS_prctl, libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        libc::syscall(
            libc::SYS_prctl,
            libc::PR_SET_NAME,
            c"group-witness".as_ptr(),
        );
        let mut all = std::mem::MaybeUninit::<libc::sigset_t>::zeroed().assume_init();
        libc::sigfillset(&mut all);
        let mut info = std::mem::MaybeUninit::<libc::siginfo_t>::zeroed().assume_init();
        loop {
            let n = libc::syscall(
                libc::SYS_rt_sigtimedwait,
                &all as *const libc::sigset_t,
                &mut info as *mut libc::siginfo_t,
                std::ptr::null::<libc::timespec>(),
                8 as libc::c_long,
            );
            if (1..=64).contains(&n) {
                let n = n as usize;
                let k = TAKEN[n].load(Ordering::Relaxed);
                let copy = &COPIES[n][k as usize % RING];
                copy.sender.store(info.si_pid(), Ordering::Relaxed);
                copy.at_ns.store(monotonic_ns(), Ordering::Relaxed);
                TAKEN[n].store(k.wrapping_add(1), Ordering::SeqCst);
            }
        }
    }
}

impl Witness {
    /// Starts one (signals must already be blocked in the calling thread).
    pub fn start() -> Option<Witness> {
        const STACK: usize = 16 * 1024;
        // Leaked on purpose: the witness may run on it until it is reaped.
        let stack: &'static mut [u8] = Box::leak(vec![0u8; STACK].into_boxed_slice());
        // SAFETY: the top of a live, 16-byte aligned region (stacks grow down).
        let top = unsafe { stack.as_mut_ptr().add(STACK - 64) };
        let top = (top as usize & !15) as *mut libc::c_void;
        // SAFETY: the child runs witness_main on its own stack and touches
        // nothing else of the shared memory.
        let pid = unsafe {
            libc::clone(
                witness_main,
                top,
                libc::CLONE_VM | libc::SIGCHLD,
                std::ptr::null_mut(),
            )
        };
        (pid > 0).then(|| Witness {
            pid,
            matched: Box::new([[0; RING]; 65]),
            first: std::array::from_fn(|i| TAKEN[i].load(Ordering::SeqCst)),
            gone: false,
        })
    }

    /// Matches a fresh copy of `signo` from `sender` not matched before.
    fn match_copy(&mut self, n: usize, sender: i32) -> bool {
        let taken = TAKEN[n].load(Ordering::SeqCst);
        let now = monotonic_ns();
        let oldest = taken
            .saturating_sub(RING as u32)
            .max(self.first[n])
            .min(taken);
        for k in oldest..taken {
            let slot = k as usize % RING;
            let copy = &COPIES[n][slot];
            let fresh =
                now.saturating_sub(copy.at_ns.load(Ordering::Relaxed)) <= FRESH.as_nanos() as u64;
            if self.matched[n][slot] != k + 1
                && fresh
                && copy.sender.load(Ordering::Relaxed) == sender
            {
                self.matched[n][slot] = k + 1;
                return true;
            }
        }
        false
    }

    /// Whether this copy of `signo` that proctl got from `sender` was sent
    /// to the whole group: the witness has a fresh copy from the same
    /// sender, not matched before, taken now or about to be.
    pub fn sent_to_group(&mut self, signo: i32, sender: i32) -> bool {
        let Ok(n) = usize::try_from(signo) else {
            return false;
        };
        if !(1..=64).contains(&n) || self.gone {
            return false;
        }
        // The kernel gave the witness its copy first; it may still be
        // pending there, or taken and not yet written down (a few
        // instructions while it runs).
        for _ in 0..10_000 {
            if self.match_copy(n, sender) {
                return true;
            }
            if !self.pending(signo) && !self.running() {
                return self.match_copy(n, sender);
            }
            std::thread::yield_now();
        }
        false
    }

    /// Reaps the witness if it died (someone killed it): from then on
    /// every signal is taken as sent to proctl alone.
    pub fn reap_if_gone(&mut self) {
        if self.gone {
            return;
        }
        // SAFETY: waitpid on our own child, without blocking.
        let rc = unsafe { libc::waitpid(self.pid, std::ptr::null_mut(), libc::WNOHANG) };
        if rc == self.pid {
            self.gone = true;
        }
    }

    /// Whether `signo` waits in the witness, not yet taken.
    fn pending(&self, signo: i32) -> bool {
        let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", self.pid)) else {
            return false;
        };
        status
            .lines()
            .filter_map(|l| l.strip_prefix("ShdPnd:"))
            .filter_map(|v| u64::from_str_radix(v.trim(), 16).ok())
            .any(|mask| mask & (1u64 << (signo - 1)) != 0)
    }

    /// Whether the witness is running rather than waiting for a signal.
    fn running(&self) -> bool {
        std::fs::read_to_string(format!("/proc/{}/stat", self.pid))
            .ok()
            .and_then(|s| {
                s.rsplit(')')
                    .next()
                    .map(|r| r.trim_start().starts_with('R'))
            })
            .unwrap_or(false)
    }
}

impl Drop for Witness {
    fn drop(&mut self) {
        if self.gone {
            return;
        }
        // SAFETY: our own child, not reaped yet; KILL, then reap it. Not
        // left to init: in a container whose pid 1 does not reap (no
        // --init), every run would leave a zombie behind.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, std::ptr::null_mut(), 0);
        }
    }
}
