//! What the process needs before `main_with_args`, done here because the
//! binary starts at the C `main` rather than through Rust's runtime.
//!
//! Rust's runtime start-up reads /proc/self/maps to place the main thread's
//! stack guard: about a tenth of a millisecond on every start, which matters
//! for `proctl spawn`, a launcher measured against env(1). Of what that
//! runtime does, proctl relies on two things, done by [`prepare`]; and
//! `std::process::exit` flushes stdout as returning from `main` would.

use std::os::fd::IntoRawFd;

use nix::fcntl::{OFlag, open};
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::sys::stat::Mode;

/// Reopens closed standard descriptors on /dev/null, so that a file proctl
/// opens never becomes its stdin, stdout or stderr by accident; and ignores
/// SIGPIPE, so that writing to a closed pipe is an EPIPE error, which ends
/// proctl quietly (children start with SIGPIPE at its default again: std
/// resets it when spawning).
pub fn prepare() {
    for fd in 0..3 {
        // SAFETY: F_GETFD only reads the descriptor's flags; a closed
        // descriptor gives EBADF.
        let closed = unsafe { nix::libc::fcntl(fd, nix::libc::F_GETFD) } == -1;
        if closed {
            // The lowest free descriptor is this one; kept open for good, and
            // across exec (unlike std's files) so that children have it too.
            match open("/dev/null", OFlag::O_RDWR, Mode::empty()) {
                Ok(fd) => drop(fd.into_raw_fd()),
                Err(_) => break,
            }
        }
    }
    // SAFETY: SIG_IGN installs no handler code, and no other thread exists yet.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigIgn) };
}
