//! Why a part of a process could not be read: the real reason, so that a
//! zombie or a kernel thread is not reported as "permission denied".

use std::io;

use super::ProcessInfo;

/// The reason a section of a process is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// EACCES or EPERM: not ours to read without privileges.
    PermissionDenied,
    /// A zombie has released its memory, files and executable.
    Zombie,
    /// A kernel thread has no executable, environment or user memory.
    KernelThread,
    /// The process exited while being read.
    Gone,
    /// The file does not exist (an older kernel, or not built in).
    NoSuchFile,
    /// Any other error, as the OS words it.
    Other(String),
}

impl Unreadable {
    /// Classifies an I/O error met while reading a file of process `p`.
    pub fn from_io(err: &io::Error, p: &ProcessInfo) -> Unreadable {
        match err.raw_os_error() {
            Some(libc::EACCES) | Some(libc::EPERM) => Unreadable::PermissionDenied,
            _ if p.is_kernel_thread() => Unreadable::KernelThread,
            _ if p.is_zombie() => Unreadable::Zombie,
            Some(libc::ESRCH) => Unreadable::Gone,
            Some(libc::ENOENT) => Unreadable::NoSuchFile,
            _ => Unreadable::Other(err.to_string()),
        }
    }

    /// The reason for a section that exists for no kernel thread or zombie
    /// even when reading it "works" (an empty environment, say).
    pub fn not_applicable(p: &ProcessInfo) -> Option<Unreadable> {
        if p.is_kernel_thread() {
            Some(Unreadable::KernelThread)
        } else if p.is_zombie() {
            Some(Unreadable::Zombie)
        } else {
            None
        }
    }

    /// The words of the text report.
    pub fn text(&self) -> String {
        match self {
            Unreadable::PermissionDenied => "permission denied".into(),
            Unreadable::Zombie => "none (zombie: no such file)".into(),
            Unreadable::KernelThread => "not applicable (kernel thread)".into(),
            Unreadable::Gone => "the process exited".into(),
            Unreadable::NoSuchFile => "no such file".into(),
            Unreadable::Other(e) => format!("unreadable: {e}"),
        }
    }

    /// The code in JSON's `unreadable` object.
    pub fn code(&self) -> &'static str {
        match self {
            Unreadable::PermissionDenied => "permission_denied",
            Unreadable::Zombie => "zombie",
            Unreadable::KernelThread => "kernel_thread",
            Unreadable::Gone => "exited",
            Unreadable::NoSuchFile => "no_such_file",
            Unreadable::Other(_) => "error",
        }
    }
}

/// A part of the report, or why it is missing.
pub type Section<T> = Result<T, Unreadable>;

/// Reads a file of a process directory, classifying a failure.
pub fn read_file(dir: &std::path::Path, name: &str, p: &ProcessInfo) -> Section<Vec<u8>> {
    std::fs::read(dir.join(name)).map_err(|e| Unreadable::from_io(&e, p))
}

/// Reads a symbolic link of a process directory, classifying a failure.
pub fn read_link(dir: &std::path::Path, name: &str, p: &ProcessInfo) -> Section<Vec<u8>> {
    use std::os::unix::ffi::OsStringExt;
    std::fs::read_link(dir.join(name))
        .map(|l| l.into_os_string().into_vec())
        .map_err(|e| Unreadable::from_io(&e, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_reasons() {
        let plain = ProcessInfo {
            state: 'S',
            ..ProcessInfo::default()
        };
        let zombie = ProcessInfo {
            state: 'Z',
            ..ProcessInfo::default()
        };
        let kthread = ProcessInfo {
            state: 'I',
            flags: 0x0020_0000,
            ..ProcessInfo::default()
        };
        let enoent = io::Error::from_raw_os_error(libc::ENOENT);
        let eacces = io::Error::from_raw_os_error(libc::EACCES);
        assert_eq!(Unreadable::from_io(&enoent, &zombie), Unreadable::Zombie);
        assert_eq!(
            Unreadable::from_io(&enoent, &kthread),
            Unreadable::KernelThread
        );
        assert_eq!(Unreadable::from_io(&enoent, &plain), Unreadable::NoSuchFile);
        assert_eq!(
            Unreadable::from_io(&eacces, &zombie),
            Unreadable::PermissionDenied
        );
    }
}
