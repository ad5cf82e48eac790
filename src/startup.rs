//! What the process needs before `main_with_args`, done here because the
//! binary starts at the C `main` rather than through Rust's runtime.
//!
//! Rust's runtime start-up reads /proc/self/maps to place the main thread's
//! stack guard: about a tenth of a millisecond on every start, which matters
//! for `proctl spawn`, a launcher measured against env(1). Of what that
//! runtime does, proctl relies on two things, done by [`prepare`]; and
//! `std::process::exit` flushes stdout as returning from `main` would.

use std::os::fd::IntoRawFd;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::fcntl::{OFlag, open};
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::sys::stat::Mode;

static CLOSED_AT_START: [AtomicBool; 3] = [const { AtomicBool::new(false) }; 3];
static PIPE_WAS_IGNORED: AtomicBool = AtomicBool::new(false);
static CHLD_WAS_IGNORED: AtomicBool = AtomicBool::new(false);

/// Reopens closed standard descriptors on /dev/null, so that a file proctl
/// opens never becomes its stdin, stdout or stderr by accident; ignores
/// SIGPIPE, so that writing to a closed pipe is an EPIPE error, which ends
/// proctl quietly; and sets SIGCHLD to its default, because a parent that
/// ignores it would have the kernel reap proctl's children before proctl
/// can wait for them. What the two were before is remembered
/// ([`ignored_at_start`]): `spawn` keeps ignored signals ignored in its
/// child, as exec does (POSIX exec: "signals set to be ignored ... shall be
/// set to be ignored by the new process image").
pub fn prepare() {
    for fd in 0..3 {
        // SAFETY: F_GETFD only reads the descriptor's flags; a closed
        // descriptor gives EBADF.
        let closed = unsafe { nix::libc::fcntl(fd, nix::libc::F_GETFD) } == -1;
        if closed {
            CLOSED_AT_START[fd as usize].store(true, Ordering::Relaxed);
            // The lowest free descriptor is this one; kept open for good, and
            // across exec (unlike std's files) so that children have it too.
            match open("/dev/null", OFlag::O_RDWR, Mode::empty()) {
                Ok(fd) => drop(fd.into_raw_fd()),
                Err(_) => break,
            }
        }
    }
    // SAFETY: SIG_IGN and SIG_DFL install no handler code, and no other
    // thread exists yet.
    let pipe = unsafe { signal(Signal::SIGPIPE, SigHandler::SigIgn) };
    PIPE_WAS_IGNORED.store(matches!(pipe, Ok(SigHandler::SigIgn)), Ordering::Relaxed);
    // SAFETY: as above.
    let chld = unsafe { signal(Signal::SIGCHLD, SigHandler::SigDfl) };
    CHLD_WAS_IGNORED.store(matches!(chld, Ok(SigHandler::SigIgn)), Ordering::Relaxed);
}

/// Whether standard descriptor `fd` (0, 1 or 2) was closed when proctl
/// started ([`prepare`] put /dev/null there): `spawn` closes it again for
/// its child, which meets the closed stream as it would under env(1).
pub fn closed_at_start(fd: i32) -> bool {
    usize::try_from(fd)
        .ok()
        .and_then(|i| CLOSED_AT_START.get(i))
        .is_some_and(|c| c.load(Ordering::Relaxed))
}

/// Standard output as proctl found it: when descriptor 1 was closed at
/// start ([`prepare`] put /dev/null there only so that no file proctl
/// opens takes it), writes fail with EBADF, as they would have, so that
/// `ps aux >&-` fails as procps's does instead of writing into
/// /dev/null and succeeding.
pub struct StandardOutput<W> {
    inner: W,
    closed: bool,
}

impl<W> StandardOutput<W> {
    pub fn new(inner: W) -> StandardOutput<W> {
        StandardOutput {
            inner,
            closed: closed_at_start(1),
        }
    }
}

impl<W: std::io::Write> std::io::Write for StandardOutput<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Err(std::io::Error::from_raw_os_error(nix::libc::EBADF));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        self.inner.flush()
    }
}

/// Whether signal `signo` was ignored when proctl started. Only SIGPIPE and
/// SIGCHLD are changed by [`prepare`]; any other signal's disposition is
/// still the inherited one and is read as it is now.
pub fn ignored_at_start(signo: i32) -> bool {
    match signo {
        nix::libc::SIGPIPE => PIPE_WAS_IGNORED.load(Ordering::Relaxed),
        nix::libc::SIGCHLD => CHLD_WAS_IGNORED.load(Ordering::Relaxed),
        _ => {
            let mut old = std::mem::MaybeUninit::<nix::libc::sigaction>::zeroed();
            // SAFETY: a null new action only reads the current one into `old`.
            let rc = unsafe { nix::libc::sigaction(signo, std::ptr::null(), old.as_mut_ptr()) };
            // SAFETY: sigaction filled `old` when it returned 0.
            rc == 0 && unsafe { old.assume_init() }.sa_sigaction == nix::libc::SIG_IGN
        }
    }
}
