//! pgrep's `-F FILE` and `-L` (pgrep(1)): the pid in a pidfile, read by
//! procps's rules, and whether the daemon that wrote it holds it locked.

use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;

use nix::libc;

/// `-F FILE`: the pid in it, by procps's rules (a regular, non-empty file;
/// with `-L` one that another process holds locked; digits first in its
/// first 11 bytes, followed by nothing or white space).
pub fn read_pidfile(path: &[u8], need_lock: bool) -> Option<i64> {
    use std::os::unix::ffi::OsStrExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOCTTY | libc::O_NONBLOCK)
        .open(std::ffi::OsStr::from_bytes(path))
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() < 1 {
        return None;
    }
    if need_lock && !is_locked(&file) {
        return None;
    }
    let mut buf = [0u8; 11];
    let mut n = 0;
    let mut handle = &file;
    while n < buf.len() {
        match handle.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        }
    }
    let text = &buf[..n];
    // strtoul: blanks, a sign, digits.
    let start = text
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))?;
    let rest = &text[start..];
    let sign_len = usize::from(matches!(rest.first(), Some(b'+' | b'-')));
    let digits = rest[sign_len..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let end = start + sign_len + digits;
    let mut value: u64 = 0;
    for &d in &rest[sign_len..sign_len + digits] {
        value = value.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
    }
    if rest[0] == b'-' {
        value = value.wrapping_neg();
    }
    // procps stores it in an int, so that 4294967297 is pid 1; proctl
    // takes a number that is no pid as an invalid pidfile instead.
    let pid = i32::try_from(value).ok().filter(|&p| p >= 1)?;
    match text.get(end) {
        None | Some(0 | b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') => Some(i64::from(pid)),
        Some(_) => None,
    }
}

/// Whether another process holds a lock on the file (flock or fcntl), as
/// a daemon that wrote its pidfile would.
fn is_locked(file: &std::fs::File) -> bool {
    let fd = file.as_raw_fd();
    // SAFETY: flock and fcntl on a descriptor we own.
    unsafe {
        if libc::flock(fd, libc::LOCK_SH | libc::LOCK_NB) == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EWOULDBLOCK)
        {
            return true;
        }
        let mut lock: libc::flock = std::mem::zeroed();
        lock.l_type = libc::F_RDLCK as libc::c_short;
        lock.l_whence = libc::SEEK_SET as libc::c_short;
        libc::fcntl(fd, libc::F_SETLK, &lock) == -1
            && matches!(
                std::io::Error::last_os_error().raw_os_error(),
                Some(libc::EACCES | libc::EAGAIN)
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pid_in(content: &[u8]) -> Option<i64> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pid");
        std::fs::write(&path, content).unwrap();
        read_pidfile(path.to_str().unwrap().as_bytes(), false)
    }

    #[test]
    fn procps_rules() {
        assert_eq!(pid_in(b"42\n"), Some(42));
        assert_eq!(pid_in(b"  42 trailing"), Some(42));
        assert_eq!(pid_in(b"+42"), Some(42));
        assert_eq!(pid_in(b"42\x00x"), Some(42));
        for bad in [
            &b"42x"[..],
            b"-5",
            b"0",
            b"",
            b"x",
            b"99999999999",
            b"4294967297",
        ] {
            assert_eq!(pid_in(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        // Unlocked: -L refuses it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pid");
        std::fs::write(&path, b"42").unwrap();
        assert_eq!(read_pidfile(path.to_str().unwrap().as_bytes(), true), None);
    }
}
