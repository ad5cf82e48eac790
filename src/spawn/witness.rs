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

use std::sync::atomic::{AtomicU32, Ordering};

use nix::libc;

/// Copies of each signal the witness took, written by the witness.
static SEEN: [AtomicU32; 65] = [const { AtomicU32::new(0) }; 65];

/// The witness process; killed and reaped when dropped.
pub struct Witness {
    pid: i32,
    /// Copies of each signal proctl has matched with one the witness took.
    claimed: [u32; 65],
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
        let mut all = std::mem::MaybeUninit::<libc::sigset_t>::zeroed().assume_init();
        libc::sigfillset(&mut all);
        loop {
            let n = libc::syscall(
                libc::SYS_rt_sigtimedwait,
                &all as *const libc::sigset_t,
                std::ptr::null_mut::<libc::siginfo_t>(),
                std::ptr::null::<libc::timespec>(),
                8 as libc::c_long,
            );
            if (1..=64).contains(&n) {
                SEEN[n as usize].fetch_add(1, Ordering::SeqCst);
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
            claimed: std::array::from_fn(|i| SEEN[i].load(Ordering::SeqCst)),
        })
    }

    fn counted(&mut self, signo: usize) -> bool {
        if SEEN[signo].load(Ordering::SeqCst) > self.claimed[signo] {
            self.claimed[signo] += 1;
            return true;
        }
        false
    }

    /// Whether this copy of `signo` that proctl got was sent to the whole
    /// group: the witness has a copy not yet matched, counted or still
    /// pending (then it is matched now and counted later).
    pub fn sent_to_group(&mut self, signo: i32) -> bool {
        let Ok(n) = usize::try_from(signo) else {
            return false;
        };
        if !(1..=64).contains(&n) {
            return false;
        }
        if self.counted(n) {
            return true;
        }
        if self.pending(signo) {
            self.claimed[n] += 1;
            return true;
        }
        // Taken but not yet counted: the witness is between its system
        // call and the count, a few instructions, while it runs.
        for _ in 0..10_000 {
            if self.counted(n) {
                return true;
            }
            if !self.running() {
                return self.counted(n);
            }
            std::thread::yield_now();
        }
        false
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

    /// Its pid.
    pub fn pid(&self) -> i32 {
        self.pid
    }
}

impl Drop for Witness {
    fn drop(&mut self) {
        // SAFETY: our own child; KILL, then reap it.
        unsafe {
            libc::kill(self.pid, libc::SIGKILL);
            libc::waitpid(self.pid, std::ptr::null_mut(), 0);
        }
    }
}
