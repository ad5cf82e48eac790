//! Sockets from /proc/net (TCP, UDP, IPv4 and IPv6) and which processes
//! hold them, found through the socket inodes in /proc/PID/fd.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::SocketAddr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use procfs::FromReadSI;
use procfs::net::{TcpNetEntries, TcpState, UdpNetEntries, UdpState};
use rayon::prelude::*;

use super::ProcSource;

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Proto {
    Tcp,
    Udp,
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        })
    }
}

/// One socket of the socket tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    pub proto: Proto,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    /// ss's state names: LISTEN, ESTAB, TIME-WAIT, UNCONN, ...
    pub state: &'static str,
    /// The owner uid the kernel records for the socket.
    pub uid: u32,
    pub inode: u64,
    /// Receive and send queues in bytes (/proc/net's rx_queue, tx_queue).
    pub recv_queue: u32,
    pub send_queue: u32,
}

impl Socket {
    /// A listening TCP socket, or an unconnected UDP one (as `ss -l` lists).
    pub fn is_listening(&self) -> bool {
        matches!(self.state, "LISTEN" | "UNCONN")
    }
}

fn tcp_state(s: &TcpState) -> &'static str {
    match s {
        TcpState::Established => "ESTAB",
        TcpState::SynSent => "SYN-SENT",
        TcpState::SynRecv => "SYN-RECV",
        TcpState::FinWait1 => "FIN-WAIT-1",
        TcpState::FinWait2 => "FIN-WAIT-2",
        TcpState::TimeWait => "TIME-WAIT",
        TcpState::Close => "UNCONN",
        TcpState::CloseWait => "CLOSE-WAIT",
        TcpState::LastAck => "LAST-ACK",
        TcpState::Listen => "LISTEN",
        TcpState::Closing => "CLOSING",
        TcpState::NewSynRecv => "SYN-RECV",
    }
}

/// Reads the TCP and/or UDP tables of a /proc root (missing tables are skipped).
pub fn read_sockets(root: &Path, tcp: bool, udp: bool) -> Vec<Socket> {
    let info = procfs::current_system_info();
    let mut sockets = Vec::new();
    let open = |name: &str| std::fs::File::open(root.join("net").join(name)).ok();
    if tcp {
        for name in ["tcp", "tcp6"] {
            if let Some(entries) = open(name).and_then(|f| TcpNetEntries::from_read(f, info).ok()) {
                sockets.extend(entries.0.into_iter().map(|e| Socket {
                    proto: Proto::Tcp,
                    local: e.local_address,
                    remote: e.remote_address,
                    state: tcp_state(&e.state),
                    uid: e.uid,
                    inode: e.inode,
                    recv_queue: e.rx_queue,
                    send_queue: e.tx_queue,
                }));
            }
        }
    }
    if udp {
        for name in ["udp", "udp6"] {
            if let Some(entries) = open(name).and_then(|f| UdpNetEntries::from_read(f, info).ok()) {
                sockets.extend(entries.0.into_iter().map(|e| Socket {
                    proto: Proto::Udp,
                    local: e.local_address,
                    remote: e.remote_address,
                    state: match e.state {
                        UdpState::Established => "ESTAB",
                        UdpState::Close => "UNCONN",
                    },
                    uid: e.uid,
                    inode: e.inode,
                    recv_queue: e.rx_queue,
                    send_queue: e.tx_queue,
                }));
            }
        }
    }
    sockets
}

/// (fd, socket inode) pairs of one process.
type FdInodes = Vec<(i32, u64)>;

/// Which processes hold which socket inodes.
#[derive(Debug, Default)]
pub struct Owners {
    /// Socket inode to the pids holding it, ascending.
    pub by_inode: HashMap<u64, Vec<i32>>,
    /// Socket inode to the (pid, fd) pairs holding it.
    pub fds: HashMap<u64, Vec<(i32, i32)>>,
    /// Processes whose descriptors could not be read (no privileges).
    pub unreadable: Vec<i32>,
}

/// The socket inode a /proc/PID/fd link points at, if it is a socket.
fn socket_inode(link: &[u8]) -> Option<u64> {
    let inner = link.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    std::str::from_utf8(inner).ok()?.parse().ok()
}

/// The socket inodes one process holds, as (fd, inode); `None` when its
/// descriptors are unreadable: the directory, or any link in it (a process
/// with capabilities the reader lacks lists its fds but hides the links).
pub fn process_sockets(root: &Path, pid: i32) -> Option<Vec<(i32, u64)>> {
    let dir = root.join(pid.to_string()).join("fd");
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut inodes = Vec::new();
    for entry in entries.flatten() {
        match std::fs::read_link(entry.path()) {
            Ok(link) => {
                if let Some(inode) = socket_inode(link.as_os_str().as_bytes())
                    && let Some(fd) = entry.file_name().to_str().and_then(|n| n.parse().ok())
                {
                    inodes.push((fd, inode));
                }
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::EACCES) | Some(libc::EPERM)) => {
                return None;
            }
            Err(_) => {}
        }
    }
    Some(inodes)
}

/// Finds the owners of the given socket inodes by reading every process's
/// descriptors (on all cores).
pub fn socket_owners(source: &ProcSource, wanted: &HashSet<u64>) -> Owners {
    let pids = source.pids().unwrap_or_default();
    let found: Vec<(i32, Option<FdInodes>)> = pids
        .par_iter()
        .map(|&pid| (pid, process_sockets(source.root(), pid)))
        .collect();
    let mut owners = Owners::default();
    for (pid, inodes) in found {
        match inodes {
            None => {
                // Gone since listed, or not ours to read.
                if source.root().join(pid.to_string()).exists() {
                    owners.unreadable.push(pid);
                }
            }
            Some(inodes) => {
                for (fd, inode) in inodes.into_iter().filter(|(_, i)| wanted.contains(i)) {
                    let pids = owners.by_inode.entry(inode).or_default();
                    if !pids.contains(&pid) {
                        pids.push(pid);
                    }
                    owners.fds.entry(inode).or_default().push((pid, fd));
                }
            }
        }
    }
    owners
}

/// The pids holding a socket whose local port is `port` (of `proto`, if given).
pub fn pids_on_port(source: &ProcSource, port: u16, proto: Option<Proto>) -> Vec<i32> {
    let sockets = read_sockets(
        source.root(),
        proto != Some(Proto::Udp),
        proto != Some(Proto::Tcp),
    );
    let wanted: HashSet<u64> = sockets
        .iter()
        .filter(|s| s.local.port() == port && s.inode != 0)
        .map(|s| s.inode)
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut pids: Vec<i32> = socket_owners(source, &wanted)
        .by_inode
        .into_values()
        .flatten()
        .collect();
    pids.sort_unstable();
    pids.dedup();
    pids
}

/// Parses a `--port` value, `PORT`, `PORT/tcp` or `PORT/udp`.
pub fn parse_port(text: &str) -> crate::error::Result<(u16, Option<Proto>)> {
    port_and_proto(text).ok_or_else(|| {
        crate::error::Error::usage(format!(
            "invalid port '{text}': use PORT, PORT/tcp or PORT/udp"
        ))
    })
}

fn port_and_proto(text: &str) -> Option<(u16, Option<Proto>)> {
    let (port, proto) = match text.split_once('/') {
        Some((p, "tcp")) => (p, Some(Proto::Tcp)),
        Some((p, "udp")) => (p, Some(Proto::Udp)),
        Some(_) => return None,
        None => (text, None),
    };
    Some((port.parse().ok().filter(|p| *p > 0)?, proto))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_links() {
        assert_eq!(socket_inode(b"socket:[12345]"), Some(12345));
        assert_eq!(socket_inode(b"pipe:[12345]"), None);
        assert_eq!(socket_inode(b"/dev/null"), None);
    }

    #[test]
    fn ports_parse() {
        assert_eq!(parse_port("8080").unwrap(), (8080, None));
        assert_eq!(parse_port("53/udp").unwrap(), (53, Some(Proto::Udp)));
        assert_eq!(parse_port("22/tcp").unwrap(), (22, Some(Proto::Tcp)));
        for bad in ["0", "x", "70000", "22/sctp", ""] {
            assert!(parse_port(bad).is_err(), "{bad}");
        }
    }
}
