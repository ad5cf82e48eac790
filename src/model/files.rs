//! The open descriptors of a process (`show --files`): number, access mode,
//! kind and target, with sockets resolved to their protocol and addresses
//! (or unix name), pipes and unix sockets to the process at the other end,
//! deleted files marked and devices named.

use std::collections::{HashMap, HashSet};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use rayon::prelude::*;

use super::ProcessInfo;
use super::net::{Socket, read_sockets};
use super::unix::UnixSocket;
use super::unreadable::{Section, Unreadable};

/// The kind of an open file descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FdKind {
    Regular,
    Directory,
    Device,
    Pipe,
    Socket,
    AnonInode,
    Other,
}

impl FdKind {
    /// The words of the count line (plural).
    pub fn name(self) -> &'static str {
        match self {
            FdKind::Regular => "regular files",
            FdKind::Directory => "directories",
            FdKind::Device => "devices",
            FdKind::Pipe => "pipes",
            FdKind::Socket => "sockets",
            FdKind::AnonInode => "anonymous inodes",
            FdKind::Other => "other",
        }
    }

    /// The word of one descriptor's line and of JSON's `kind`.
    pub fn word(self) -> &'static str {
        match self {
            FdKind::Regular => "file",
            FdKind::Directory => "dir",
            FdKind::Device => "device",
            FdKind::Pipe => "pipe",
            FdKind::Socket => "socket",
            FdKind::AnonInode => "anon",
            FdKind::Other => "other",
        }
    }
}

/// A process at the other end of a pipe or unix socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub pid: i32,
    pub name: Vec<u8>,
    pub fd: i32,
}

/// What a socket descriptor is.
#[derive(Debug, Clone)]
pub enum SocketInfo {
    Inet(Socket),
    Unix(UnixSocket),
}

/// An open file descriptor.
#[derive(Debug, Clone)]
pub struct OpenFile {
    pub fd: i32,
    pub kind: FdKind,
    /// `r`, `w` or `rw`, from fdinfo's flags; `None` when unreadable.
    pub mode: Option<&'static str>,
    /// The link's text, without the kernel's " (deleted)".
    pub target: Vec<u8>,
    pub deleted: bool,
    /// `char` or `block`, major and minor, for a device.
    pub device: Option<(&'static str, u32, u32)>,
    pub inode: Option<u64>,
    pub socket: Option<SocketInfo>,
    pub peers: Vec<Peer>,
}

/// The descriptor links of a process, `(fd, link text)`, ascending.
pub fn fd_links(fd_dir: &Path) -> std::io::Result<Vec<(i32, Vec<u8>)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fd_dir)?.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        if let Ok(link) = std::fs::read_link(entry.path()) {
            out.push((fd, link.into_os_string().into_vec()));
        }
    }
    out.sort_by_key(|f| f.0);
    Ok(out)
}

/// The inode in a `pipe:[N]` or `socket:[N]` link.
pub fn link_inode(link: &[u8], prefix: &[u8]) -> Option<u64> {
    let inner = link
        .strip_prefix(prefix)?
        .strip_prefix(b":[")?
        .strip_suffix(b"]")?;
    std::str::from_utf8(inner).ok()?.parse().ok()
}

/// The access mode in an fdinfo file's `flags:` line (octal O_ flags).
pub fn fdinfo_mode(fdinfo: &[u8]) -> Option<&'static str> {
    let text = std::str::from_utf8(fdinfo).ok()?;
    let flags = text
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())?;
    Some(match flags & 3 {
        0 => "r",
        1 => "w",
        _ => "rw",
    })
}

fn classify(link: &[u8], meta: Option<&std::fs::Metadata>) -> FdKind {
    if let Some(m) = meta {
        let t = m.file_type();
        if t.is_fifo() {
            return FdKind::Pipe;
        }
        if t.is_socket() {
            return FdKind::Socket;
        }
        if t.is_char_device() || t.is_block_device() {
            return FdKind::Device;
        }
        if t.is_dir() {
            return FdKind::Directory;
        }
    }
    if link.starts_with(b"pipe:") {
        FdKind::Pipe
    } else if link.starts_with(b"socket:") {
        FdKind::Socket
    } else if link.starts_with(b"anon_inode:") {
        FdKind::AnonInode
    } else if link.starts_with(b"/") {
        FdKind::Regular
    } else {
        FdKind::Other
    }
}

/// Lists the descriptors of a process with modes, kinds and devices (no
/// socket or peer resolution: see [`resolve`]).
pub fn list_files(proc_root: &Path, pid: i32, p: &ProcessInfo) -> Section<Vec<OpenFile>> {
    let dir = proc_root.join(pid.to_string());
    let links = fd_links(&dir.join("fd")).map_err(|e| Unreadable::from_io(&e, p))?;
    if links.is_empty()
        && let Some(reason) = Unreadable::not_applicable(p)
    {
        return Err(reason);
    }
    Ok(links
        .into_iter()
        .map(|(fd, link)| {
            let meta = std::fs::metadata(dir.join("fd").join(fd.to_string())).ok();
            let kind = classify(&link, meta.as_ref());
            let (target, deleted) = match link.strip_suffix(b" (deleted)") {
                Some(t) if link.starts_with(b"/") => (t.to_vec(), true),
                _ => (link, false),
            };
            let device = meta.as_ref().and_then(|m| {
                let t = m.file_type();
                let kind = if t.is_char_device() {
                    "char"
                } else if t.is_block_device() {
                    "block"
                } else {
                    return None;
                };
                let rdev = m.rdev();
                Some((kind, libc::major(rdev), libc::minor(rdev)))
            });
            let mode = std::fs::read(dir.join("fdinfo").join(fd.to_string()))
                .ok()
                .and_then(|b| fdinfo_mode(&b));
            OpenFile {
                fd,
                kind,
                mode,
                target,
                deleted,
                device,
                inode: meta.as_ref().map(|m| m.ino()),
                socket: None,
                peers: Vec::new(),
            }
        })
        .collect())
}

/// Which (pid, fd) hold each of the wanted pipe or socket inodes, read from
/// every process's descriptors on all cores.
pub fn inode_holders(
    proc_root: &Path,
    pids: &[i32],
    wanted: &HashSet<u64>,
) -> HashMap<u64, Vec<(i32, i32)>> {
    let found: Vec<(u64, i32, i32)> = pids
        .par_iter()
        .flat_map_iter(|&pid| {
            let links = fd_links(&proc_root.join(pid.to_string()).join("fd")).unwrap_or_default();
            links
                .into_iter()
                .filter_map(|(fd, link)| {
                    let ino =
                        link_inode(&link, b"pipe").or_else(|| link_inode(&link, b"socket"))?;
                    wanted.contains(&ino).then_some((ino, pid, fd))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut map: HashMap<u64, Vec<(i32, i32)>> = HashMap::new();
    for (ino, pid, fd) in found {
        map.entry(ino).or_default().push((pid, fd));
    }
    map
}

/// Resolves sockets to their tables and finds the processes at the other
/// end of pipes and unix sockets.
pub fn resolve(files: &mut [OpenFile], source: &super::ProcSource, pid: i32, unix: &[UnixSocket]) {
    let socket_inodes: HashSet<u64> = files
        .iter()
        .filter(|f| f.kind == FdKind::Socket)
        .filter_map(|f| link_inode(&f.target, b"socket"))
        .collect();
    if !socket_inodes.is_empty() {
        let inet: HashMap<u64, Socket> = read_sockets(source.root(), true, true)
            .into_iter()
            .filter(|s| socket_inodes.contains(&s.inode))
            .map(|s| (s.inode, s))
            .collect();
        let unix: HashMap<u64, &UnixSocket> = unix
            .iter()
            .filter(|s| socket_inodes.contains(&s.inode))
            .map(|s| (s.inode, s))
            .collect();
        for f in files.iter_mut() {
            let Some(ino) = link_inode(&f.target, b"socket") else {
                continue;
            };
            f.socket = inet
                .get(&ino)
                .cloned()
                .map(SocketInfo::Inet)
                .or_else(|| unix.get(&ino).map(|u| SocketInfo::Unix((*u).clone())));
        }
    }
    // The inode to look for at the other end: a pipe's own inode (both
    // ends share it), a unix socket's peer inode.
    let other_end = |f: &OpenFile| -> Option<u64> {
        match (&f.socket, f.kind) {
            (Some(SocketInfo::Unix(u)), _) => u.peer,
            (_, FdKind::Pipe) => link_inode(&f.target, b"pipe"),
            _ => None,
        }
    };
    let wanted: HashSet<u64> = files.iter().filter_map(other_end).collect();
    if wanted.is_empty() {
        return;
    }
    let pids = source.pids().unwrap_or_default();
    let holders = inode_holders(source.root(), &pids, &wanted);
    let mut names: HashMap<i32, Vec<u8>> = HashMap::new();
    for f in files.iter_mut() {
        let Some(ino) = other_end(f) else { continue };
        for &(holder, fd) in holders.get(&ino).into_iter().flatten() {
            if holder == pid && fd == f.fd {
                continue;
            }
            let name = names
                .entry(holder)
                .or_insert_with(|| {
                    source
                        .read_process(holder, super::Needs::STAT)
                        .map(|p| p.name)
                        .unwrap_or_default()
                })
                .clone();
            f.peers.push(Peer {
                pid: holder,
                name,
                fd,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_modes() {
        assert_eq!(link_inode(b"pipe:[77]", b"pipe"), Some(77));
        assert_eq!(link_inode(b"socket:[9]", b"socket"), Some(9));
        assert_eq!(link_inode(b"socket:[9]", b"pipe"), None);
        assert_eq!(
            fdinfo_mode(b"pos:\t0\nflags:\t0100002\nmnt_id:\t1\n"),
            Some("rw")
        );
        assert_eq!(fdinfo_mode(b"pos:\t0\nflags:\t02000001\n"), Some("w"));
        assert_eq!(fdinfo_mode(b"flags:\t0100000\n"), Some("r"));
    }
}
