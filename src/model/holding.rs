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
use super::maps::parse_line as parse_map_line;
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

/// The one line said when some processes could not be looked into
/// (`ps`, `show`, `signal` with `--holding`).
pub fn unreadable_note(count: usize) -> String {
    let whose = if count == 1 {
        "1 process".to_string()
    } else {
        format!("{count} processes")
    };
    let verb = if count == 1 { "it" } else { "they" };
    format!(
        "the descriptors or mappings of {whose} cannot be read without privileges; {verb} may hold the path too"
    )
}

/// What `show --holding` prints: the ways joined by commas, each prefixed
/// with its path when more than one path was asked about.
pub fn describe(held: &[Held], targets: &[HoldTarget]) -> String {
    describe_each(held, targets).join(", ")
}

/// Each way a process holds the targets, apart, as `ps -o holds` and
/// JSON's `holds` list them: `fd 3 r`, `cwd`, prefixed with the path when
/// more than one path was asked about (a path may itself hold ", ").
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

/// What matching needs of a linked file: stat(2)'s device, inode, type
/// and device number.
#[derive(Debug, Clone, Copy)]
struct Linked {
    dev: u64,
    ino: u64,
    mode: u32,
    rdev: u64,
}

impl Linked {
    // stat's field types differ between architectures; on some these
    // casts change nothing.
    #[allow(clippy::unnecessary_cast)]
    fn of(st: &rustix::fs::Stat) -> Linked {
        Linked {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            mode: st.st_mode as u32,
            rdev: st.st_rdev as u64,
        }
    }

    fn matches(&self, m: &Matcher) -> bool {
        match *m {
            Matcher::Filesystem { dev } => self.dev == dev,
            Matcher::Inode { dev, ino, rdev } => {
                (self.dev == dev && self.ino == ino)
                    || rdev.is_some_and(|(block, rdev)| {
                        let kind = if block { libc::S_IFBLK } else { libc::S_IFCHR };
                        self.mode & libc::S_IFMT == kind && self.rdev == rdev
                    })
            }
        }
    }
}

fn matches_map(m: &Matcher, dev: u64, ino: u64) -> bool {
    match *m {
        Matcher::Filesystem { dev: d } => d == dev,
        Matcher::Inode { dev: d, ino: i, .. } => d == dev && i == ino,
    }
}

fn denied(e: rustix::io::Errno) -> bool {
    e == rustix::io::Errno::ACCESS || e == rustix::io::Errno::PERM
}

/// A whole /proc file through a descriptor, in few reads (the size /proc
/// reports is 0, which makes `std::fs::read` probe in small steps).
fn read_all(file: rustix::fd::OwnedFd) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::from(file);
    let mut buf = Vec::with_capacity(16 * 1024);
    loop {
        if buf.capacity() - buf.len() < 4096 {
            buf.reserve(buf.capacity());
        }
        let len = buf.len();
        let room = buf.capacity() - len;
        buf.resize(len + room, 0);
        match file.read(&mut buf[len..]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(buf);
            }
            Ok(n) => buf.truncate(len + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => return Err(e),
        }
    }
}

/// The access mode of descriptor `name` in the `fd` directory: /proc gives
/// each fd link the owner's read and write bits of the file's open mode
/// (the kernel's proc fd inode), which costs one lstat where fdinfo costs
/// an open, a read and a close; fdinfo when neither bit is set (O_PATH).
fn fd_mode(
    fd_dir: rustix::fd::BorrowedFd<'_>,
    name: &std::ffi::CStr,
    fdinfo: impl FnOnce() -> Option<&'static str>,
) -> Option<&'static str> {
    let st = rustix::fs::statat(fd_dir, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW).ok()?;
    match (st.st_mode & 0o400 != 0, st.st_mode & 0o200 != 0) {
        (true, true) => Some("rw"),
        (true, false) => Some("r"),
        (false, true) => Some("w"),
        (false, false) => fdinfo(),
    }
}

fn check(linked: Linked, how: How, targets: &[HoldTarget], held: &mut Vec<Held>) {
    for (i, t) in targets.iter().enumerate() {
        if linked.matches(&t.matcher) {
            held.push(Held { target: i, how });
        }
    }
}

/// The descriptors (in the `fd` directory `fd_dir`) that hold a target,
/// by number, and whether some could not be read.
fn fd_holds(
    proc_root: &Path,
    pid: i32,
    fd_dir: rustix::fd::OwnedFd,
    targets: &[HoldTarget],
) -> rustix::io::Result<(Vec<Held>, bool)> {
    use rustix::fs::{AtFlags, statat};
    let mut unreadable = false;
    let mut entries = rustix::fs::Dir::new(fd_dir)?;
    let mut names = Vec::new();
    for e in entries.by_ref() {
        names.push(e?.file_name().to_owned());
    }
    let fd_dir = entries.fd()?;
    let mut fds: Vec<(i32, Linked, std::ffi::CString)> = Vec::new();
    for name in names {
        let Some(fd) = name.to_str().ok().and_then(|n| n.parse().ok()) else {
            continue;
        };
        match statat(fd_dir, &name, AtFlags::empty()) {
            Ok(st) => fds.push((fd, Linked::of(&st), name)),
            // The listing can be readable while the links are not (a
            // process with capabilities this one lacks).
            Err(e) if denied(e) => unreadable = true,
            Err(_) => {}
        }
    }
    fds.sort_by_key(|f| f.0);
    let mut held = Vec::new();
    for (fd, linked, name) in fds {
        let before = held.len();
        check(linked, How::Fd(fd, None), targets, &mut held);
        if held.len() > before {
            let mode = fd_mode(fd_dir, &name, || {
                let info = proc_root.join(format!("{pid}/fdinfo/{fd}"));
                std::fs::read(info).ok().and_then(|b| fdinfo_mode(&b))
            });
            for h in &mut held[before..] {
                h.how = How::Fd(fd, mode);
            }
        }
    }
    Ok((held, unreadable))
}

/// How one process holds the targets, and whether its descriptors or
/// mappings could not be read (its other links may still have matched,
/// and are kept). Every lookup is relative to one descriptor of the
/// process's directory: no walk through /proc for each link.
fn process_holds(proc_root: &Path, pid: i32, targets: &[HoldTarget]) -> (Vec<Held>, bool) {
    use rustix::fs::{AtFlags, CWD, Mode, OFlags, openat, statat};
    let mut held = Vec::new();
    let mut unreadable = false;
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let Ok(dir) = openat(
        CWD,
        proc_root.join(pid.to_string()),
        OFlags::PATH | dir_flags,
        Mode::empty(),
    ) else {
        return (held, false);
    };
    for (name, how) in [(c"cwd", How::Cwd), (c"root", How::Root), (c"exe", How::Exe)] {
        if let Ok(st) = statat(&dir, name, AtFlags::empty()) {
            check(Linked::of(&st), how, targets, &mut held);
        }
    }
    match openat(&dir, c"fd", dir_flags, Mode::empty()) {
        Ok(fd_dir) => match fd_holds(proc_root, pid, fd_dir, targets) {
            Ok((fds, denied_some)) => {
                held.extend(fds);
                unreadable |= denied_some;
            }
            Err(_) => unreadable = true,
        },
        Err(e) if e != rustix::io::Errno::NOENT => unreadable = true,
        Err(_) => {}
    }
    // fuser reports the executable's own mapping as `e` only (fuser(1),
    // ACCESS); so does proctl. When every target is held that way the
    // mappings cannot add anything and are not read (most processes, for
    // `--holding /`).
    let mut done: Vec<bool> = (0..targets.len())
        .map(|i| {
            held.contains(&Held {
                target: i,
                how: How::Exe,
            })
        })
        .collect();
    if done.iter().all(|d| *d) {
        held.sort();
        return (held, unreadable);
    }
    let maps = openat(
        &dir,
        c"maps",
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(std::io::Error::from)
    .and_then(read_all);
    match maps {
        Ok(bytes) => {
            for m in bytes.split(|&b| b == b'\n').filter_map(parse_map_line) {
                if done.iter().all(|d| *d) {
                    break;
                }
                if m.inode == 0 {
                    continue;
                }
                let dev = libc::makedev(m.major, m.minor);
                for (i, t) in targets.iter().enumerate() {
                    if !done[i] && matches_map(&t.matcher, dev, m.inode) {
                        done[i] = true;
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
