//! Who holds a path, with fuser(1)'s meaning: a file open on a descriptor,
//! or as the working directory, root, executable or a mapping; a directory
//! the same way; a mount point (or any path with `--mount`, fuser -m):
//! anything on that filesystem; a device node: open (any node of the same
//! device) or mapped. Files are matched by device and inode, not by name,
//! as fuser does, so a renamed or hard-linked file is still found.

use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::files::fdinfo_mode;
use super::maps::parse_maps;
use crate::error::{Error, Result};

/// How a path is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    /// This file: device and inode; for a device node also its device
    /// number (`char`/`block`), so any node of the device matches.
    Inode {
        dev: u64,
        ino: u64,
        rdev: Option<(bool, u64)>,
    },
    /// Anything on this filesystem (its device number).
    Filesystem { dev: u64 },
}

/// A validated `--holding` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldTarget {
    pub path: PathBuf,
    pub matcher: Matcher,
}

/// How a process holds a target (fuser's access letters, in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// Open on a descriptor, with its access mode when readable.
    Fd(i32, Option<&'static str>),
    Cwd,
    Root,
    Exe,
    Mmap,
}

impl How {
    /// `fd 3 r`, `cwd`, `root`, `exe`, `mmap`.
    pub fn text(&self) -> String {
        match self {
            How::Fd(fd, Some(mode)) => format!("fd {fd} {mode}"),
            How::Fd(fd, None) => format!("fd {fd}"),
            How::Cwd => "cwd".into(),
            How::Root => "root".into(),
            How::Exe => "exe".into(),
            How::Mmap => "mmap".into(),
        }
    }
}

/// One way one process holds one target (an index into the targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Held {
    pub target: usize,
    pub how: How,
}

/// The holders of the targets.
#[derive(Debug, Default)]
pub struct Holders {
    pub by_pid: BTreeMap<i32, Vec<Held>>,
    /// Processes whose descriptors or mappings could not be read.
    pub unreadable: Vec<i32>,
}

/// What `ps -o holds` prints: the ways joined by commas, each prefixed
/// with its path when more than one path was asked about.
pub fn describe(held: &[Held], targets: &[HoldTarget]) -> String {
    describe_each(held, targets).join(", ")
}

/// Each way a process holds the targets, apart (JSON's `holds` list: a
/// path may itself hold ", ").
pub fn describe_each(held: &[Held], targets: &[HoldTarget]) -> Vec<String> {
    held.iter()
        .map(|h| {
            if targets.len() > 1 {
                format!("{} {}", targets[h.target].path.display(), h.how.text())
            } else {
                h.how.text()
            }
        })
        .collect()
}

/// Undoes mountinfo's octal escapes (`\040` for a space).
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'\\'
            && i + 3 < field.len()
            && field[i + 1..i + 4]
                .iter()
                .all(|b| (b'0'..=b'7').contains(b))
        {
            out.push(
                (field[i + 1] - b'0') * 64 + (field[i + 2] - b'0') * 8 + (field[i + 3] - b'0'),
            );
            i += 4;
        } else {
            out.push(field[i]);
            i += 1;
        }
    }
    out
}

/// Whether `path` (absolute, canonical) is a mount point: listed in
/// mountinfo, or failing that on another device than its parent.
fn is_mount_point(proc_root: &Path, path: &Path, meta: &std::fs::Metadata) -> bool {
    if let Ok(info) = std::fs::read(proc_root.join("self/mountinfo")) {
        let wanted = path.as_os_str().as_bytes();
        return info.split(|&b| b == b'\n').any(|line| {
            line.split(|&b| b == b' ')
                .nth(4)
                .is_some_and(|mp| unescape(mp) == wanted)
        });
    }
    match path.parent().and_then(|p| std::fs::metadata(p).ok()) {
        Some(parent) => parent.dev() != meta.dev() || parent.ino() == meta.ino(),
        None => true,
    }
}

/// Validates `--holding` paths (before anything is done): each must exist.
/// A mount point, or any path with `mount`, selects its whole filesystem;
/// a block device with `mount` selects the filesystem mounted from it.
pub fn parse_targets(proc_root: &Path, paths: &[PathBuf], mount: bool) -> Result<Vec<HoldTarget>> {
    paths
        .iter()
        .map(|path| {
            let meta = std::fs::metadata(path).map_err(|e| {
                Error::usage(format!("cannot use --holding {}: {e}", path.display()))
            })?;
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            let t = meta.file_type();
            let matcher = if mount && t.is_block_device() {
                Matcher::Filesystem { dev: meta.rdev() }
            } else if mount || (t.is_dir() && is_mount_point(proc_root, &canonical, &meta)) {
                Matcher::Filesystem { dev: meta.dev() }
            } else {
                let rdev = (t.is_char_device() || t.is_block_device())
                    .then(|| (t.is_block_device(), meta.rdev()));
                Matcher::Inode {
                    dev: meta.dev(),
                    ino: meta.ino(),
                    rdev,
                }
            };
            Ok(HoldTarget {
                path: path.clone(),
                matcher,
            })
        })
        .collect()
}

fn matches_meta(m: &Matcher, meta: &std::fs::Metadata) -> bool {
    match *m {
        Matcher::Filesystem { dev } => meta.dev() == dev,
        Matcher::Inode { dev, ino, rdev } => {
            (meta.dev() == dev && meta.ino() == ino)
                || rdev.is_some_and(|(block, rdev)| {
                    let t = meta.file_type();
                    let same_kind = if block {
                        t.is_block_device()
                    } else {
                        t.is_char_device()
                    };
                    same_kind && meta.rdev() == rdev
                })
        }
    }
}

fn matches_map(m: &Matcher, dev: u64, ino: u64) -> bool {
    match *m {
        Matcher::Filesystem { dev: d } => d == dev,
        Matcher::Inode { dev: d, ino: i, .. } => d == dev && i == ino,
    }
}

/// How one process holds the targets; `None` when its descriptors are not
/// readable (its other links may still have matched, and are kept).
fn process_holds(proc_root: &Path, pid: i32, targets: &[HoldTarget]) -> (Vec<Held>, bool) {
    let dir = proc_root.join(pid.to_string());
    let mut held = Vec::new();
    let mut unreadable = false;
    for (name, how) in [("cwd", How::Cwd), ("root", How::Root), ("exe", How::Exe)] {
        if let Ok(meta) = std::fs::metadata(dir.join(name)) {
            for (i, t) in targets.iter().enumerate() {
                if matches_meta(&t.matcher, &meta) {
                    held.push(Held { target: i, how });
                }
            }
        }
    }
    match std::fs::read_dir(dir.join("fd")) {
        Ok(entries) => {
            let mut fds: Vec<(i32, std::fs::Metadata)> = Vec::new();
            for e in entries.flatten() {
                let Some(fd) = e.file_name().to_str().and_then(|n| n.parse().ok()) else {
                    continue;
                };
                match std::fs::metadata(e.path()) {
                    Ok(meta) => fds.push((fd, meta)),
                    // The listing can be readable while the links are not
                    // (a process with capabilities this one lacks).
                    Err(e)
                        if matches!(e.raw_os_error(), Some(libc::EACCES) | Some(libc::EPERM)) =>
                    {
                        unreadable = true
                    }
                    Err(_) => {}
                }
            }
            fds.sort_by_key(|f| f.0);
            for (fd, meta) in fds {
                for (i, t) in targets.iter().enumerate() {
                    if matches_meta(&t.matcher, &meta) {
                        let mode = std::fs::read(dir.join("fdinfo").join(fd.to_string()))
                            .ok()
                            .and_then(|b| fdinfo_mode(&b));
                        held.push(Held {
                            target: i,
                            how: How::Fd(fd, mode),
                        });
                    }
                }
            }
        }
        Err(e) if e.raw_os_error() != Some(libc::ENOENT) => unreadable = true,
        Err(_) => {}
    }
    match std::fs::read(dir.join("maps")) {
        Ok(bytes) => {
            let mut mapped = vec![false; targets.len()];
            for m in parse_maps(&bytes).into_iter().filter(|m| m.inode != 0) {
                let dev = libc::makedev(m.major, m.minor);
                for (i, t) in targets.iter().enumerate() {
                    // fuser reports the executable's own mapping as `e`
                    // only (fuser(1), ACCESS); so does proctl.
                    let is_exe = held.contains(&Held {
                        target: i,
                        how: How::Exe,
                    });
                    if !mapped[i] && !is_exe && matches_map(&t.matcher, dev, m.inode) {
                        mapped[i] = true;
                        held.push(Held {
                            target: i,
                            how: How::Mmap,
                        });
                    }
                }
            }
        }
        Err(e) if e.raw_os_error() != Some(libc::ENOENT) => unreadable = true,
        Err(_) => {}
    }
    held.sort();
    (held, unreadable)
}

/// The processes among `pids` holding any target, read on all cores.
pub fn holders(proc_root: &Path, pids: &[i32], targets: &[HoldTarget]) -> Holders {
    let found: Vec<(i32, Vec<Held>, bool)> = pids
        .par_iter()
        .map(|&pid| {
            let (held, unreadable) = process_holds(proc_root, pid, targets);
            (pid, held, unreadable)
        })
        .collect();
    let mut out = Holders::default();
    for (pid, held, unreadable) in found {
        if unreadable {
            out.unreadable.push(pid);
        }
        if !held.is_empty() {
            out.by_pid.insert(pid, held);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_escapes() {
        assert_eq!(unescape(br"/mnt/a\040b"), b"/mnt/a b");
        assert_eq!(unescape(br"/plain"), b"/plain");
        assert_eq!(unescape(br"/end\04"), br"/end\04");
    }

    #[test]
    fn own_descriptor_and_cwd_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("held");
        let file = std::fs::File::create(&path).unwrap();
        let targets =
            parse_targets(Path::new("/proc"), std::slice::from_ref(&path), false).unwrap();
        let me = std::process::id() as i32;
        let found = holders(Path::new("/proc"), &[me], &targets);
        let held = &found.by_pid[&me];
        use std::os::fd::AsRawFd;
        assert!(
            held.contains(&Held {
                target: 0,
                how: How::Fd(file.as_raw_fd(), Some("w"))
            }),
            "{held:?}"
        );
        assert!(parse_targets(Path::new("/proc"), &[dir.path().join("nope")], false).is_err());
        let root = parse_targets(Path::new("/proc"), &[PathBuf::from("/")], false).unwrap();
        assert!(matches!(root[0].matcher, Matcher::Filesystem { .. }));
    }

    #[test]
    fn descriptions() {
        let t = |p: &str| HoldTarget {
            path: p.into(),
            matcher: Matcher::Filesystem { dev: 0 },
        };
        let held = [
            Held {
                target: 0,
                how: How::Fd(3, Some("r")),
            },
            Held {
                target: 1,
                how: How::Cwd,
            },
        ];
        assert_eq!(describe(&held[..1], &[t("/a")]), "fd 3 r");
        assert_eq!(describe(&held, &[t("/a"), t("/b")]), "/a fd 3 r, /b cwd");
    }
}
