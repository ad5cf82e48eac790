//! Opening every file `spawn` names before anything starts: the stdin
//! file, output files, the tee file and the report. Files are opened
//! without truncation and truncated only once all opened; files created on
//! the way are removed again when a later one fails, so a failure touches
//! nothing.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Files opened in one go.
#[derive(Default)]
pub struct Opener {
    created: Vec<PathBuf>,
    to_truncate: Vec<File>,
}

impl Opener {
    /// Opens a file to read.
    pub fn input(&mut self, path: &Path, what: &str) -> Result<File, String> {
        File::open(path).map_err(|e| self.failed(what, path, e))
    }

    /// Opens a file to write: appended to, or truncated when
    /// [`Opener::commit`] runs.
    pub fn output(&mut self, path: &Path, append: bool, what: &str) -> Result<File, String> {
        let mut opts = OpenOptions::new();
        opts.write(true)
            .append(append)
            .custom_flags(nix::libc::O_CLOEXEC);
        let file = match opts.clone().create_new(true).open(path) {
            Ok(f) => {
                self.created.push(path.to_path_buf());
                f
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                opts.open(path).map_err(|e| self.failed(what, path, e))?
            }
            Err(e) => return Err(self.failed(what, path, e)),
        };
        if !append && let Ok(copy) = file.try_clone() {
            self.to_truncate.push(copy);
        }
        Ok(file)
    }

    /// Checks that a file can be created in `path`'s directory (for a
    /// pidfile written later, atomically).
    pub fn check_directory(&mut self, path: &Path, what: &str) -> Result<(), String> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        nix::unistd::access(
            dir,
            nix::unistd::AccessFlags::W_OK | nix::unistd::AccessFlags::X_OK,
        )
        .map_err(|e| self.failed(what, path, std::io::Error::from(e)))
    }

    /// Every file opened: truncate those that are not appended to.
    pub fn commit(self) {
        for f in &self.to_truncate {
            let _ = f.set_len(0);
        }
    }

    /// Undoes what was created, and says what failed.
    fn failed(&mut self, what: &str, path: &Path, e: std::io::Error) -> String {
        for p in self.created.drain(..) {
            let _ = std::fs::remove_file(p);
        }
        self.to_truncate.clear();
        format!("cannot open {what} {}: {}", super::shown(path), plain(&e))
    }
}

/// Refuses a report file on one of the kernel's own filesystems (/proc,
/// /sys, cgroups, debugfs, ...): their files take only their own
/// commands, so writing the report would fail after the program ran.
/// `path` is the file as named; `file` the open file when there is one
/// (`/dev/stderr` is then the terminal or pipe it stands for).
pub fn check_report_target(path: &Path, file: Option<&File>) -> Result<(), String> {
    use nix::sys::statfs::{
        CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC, DEBUGFS_MAGIC, PROC_SUPER_MAGIC, SECURITYFS_MAGIC,
        SYSFS_MAGIC, TRACEFS_MAGIC, fstatfs, statfs,
    };
    let kernel_own = [
        PROC_SUPER_MAGIC,
        SYSFS_MAGIC,
        CGROUP_SUPER_MAGIC,
        CGROUP2_SUPER_MAGIC,
        DEBUGFS_MAGIC,
        TRACEFS_MAGIC,
        SECURITYFS_MAGIC,
    ];
    let fs = match file {
        Some(f) => fstatfs(f),
        None => statfs(path),
    };
    match fs {
        Ok(fs) if kernel_own.contains(&fs.filesystem_type()) => Err(format!(
            "cannot write --report file {}: a file of the kernel's own filesystems takes no report",
            super::shown(path)
        )),
        _ => Ok(()),
    }
}

/// An I/O error's text without std's " (os error N)".
pub use crate::error::plain;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_failure_touches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("keep");
        std::fs::write(&keep, "precious").unwrap();
        let new = dir.path().join("new");
        let mut opener = Opener::default();
        opener.output(&keep, false, "--stdout").unwrap();
        opener.output(&new, false, "--tee").unwrap();
        let err = opener
            .output(&dir.path().join("no/such/file"), false, "--stderr")
            .unwrap_err();
        assert!(err.starts_with("cannot open --stderr "), "{err}");
        assert!(err.ends_with("No such file or directory"), "{err}");
        assert_eq!(std::fs::read_to_string(&keep).unwrap(), "precious");
        assert!(!new.exists());
    }

    #[test]
    fn commit_truncates_all_but_appended_files() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "old").unwrap();
        std::fs::write(&b, "old").unwrap();
        let mut opener = Opener::default();
        opener.output(&a, false, "a").unwrap();
        opener.output(&b, true, "b").unwrap();
        opener.commit();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old");
    }

    #[test]
    fn no_report_into_proc_or_sys() {
        let version = Path::new("/proc/version");
        let err = check_report_target(version, None).unwrap_err();
        assert!(err.contains("/proc/version"), "{err}");
        let file = File::open(version).unwrap();
        assert!(check_report_target(version, Some(&file)).is_err());
        let dir = tempfile::tempdir().unwrap();
        let fine = dir.path().join("r.json");
        assert!(check_report_target(&fine, Some(&File::create(&fine).unwrap())).is_ok());
    }
}
