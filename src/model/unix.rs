//! Unix domain sockets: path or abstract name, type, state, queues and the
//! peer's inode. On the live system they come from the kernel's sock_diag
//! netlink interface (sock_diag(7)), as `ss -x` reads them, because only it
//! tells the peer and the queues; a fixture tree's come from net/unix.

use std::path::Path;

use super::sock_diag::{dump, u16_at, u32_at};

/// One unix socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnixSocket {
    pub inode: u64,
    /// `str`, `dgr` or `seq` (ss's u_str, u_dgr, u_seq).
    pub kind: &'static str,
    /// ss's state names: LISTEN, ESTAB, UNCONN, SYN-SENT.
    pub state: &'static str,
    /// The bound name: a path, or `@name` for the abstract namespace.
    pub name: Option<Vec<u8>>,
    /// The inode of the socket at the other end, when connected.
    pub peer: Option<u64>,
    /// Receive and send queues (for a listener: pending connections and the
    /// backlog), when the kernel reported them.
    pub queues: Option<(u32, u32)>,
}

impl UnixSocket {
    /// The peer's inode as far as it is known: `Some(None)` when the
    /// socket is not connected, `None` when the source does not say. The
    /// kernel's sock_diag always reports the queues when asked and leaves
    /// the peer out when there is none; /proc/net/unix tells neither.
    pub fn known_peer(&self) -> Option<Option<u64>> {
        match (self.peer, self.queues) {
            (Some(peer), _) => Some(Some(peer)),
            (None, Some(_)) => Some(None),
            (None, None) => None,
        }
    }

    /// Whether `ss -xl` lists it: it accepts connections, or it is not
    /// connected (a datagram socket that receives from anyone, such as
    /// /dev/log; ss(8): -l shows "listening" sockets, and counts the
    /// unconnected state among them as it does for UDP).
    pub fn is_listening(&self) -> bool {
        matches!(self.state, "LISTEN" | "UNCONN")
    }
}

fn kind_name(t: u16) -> &'static str {
    match t {
        1 => "str",
        2 => "dgr",
        5 => "seq",
        _ => "?",
    }
}

/// TCP's state numbers, which sock_diag uses for unix sockets too.
fn state_name(s: u8) -> &'static str {
    match s {
        1 => "ESTAB",
        2 => "SYN-SENT",
        7 => "UNCONN",
        10 => "LISTEN",
        _ => "UNKNOWN",
    }
}

/// Every unix socket of the system: sock_diag when `live`, else (or when
/// netlink is refused) /proc/net/unix.
pub fn read_unix_sockets(proc_root: &Path, live: bool) -> Vec<UnixSocket> {
    if live && let Some(list) = sock_diag_dump() {
        return list;
    }
    std::fs::read(proc_root.join("net/unix"))
        .map(|b| parse_proc_net_unix(&b))
        .unwrap_or_default()
}

/// Parses /proc/net/unix: `Num RefCount Protocol Flags Type St Inode [Path]`
/// (proc(5)); flag 0x10000 marks a listener, St 3 a connected socket.
pub fn parse_proc_net_unix(bytes: &[u8]) -> Vec<UnixSocket> {
    bytes
        .split(|&b| b == b'\n')
        .skip(1)
        .filter_map(|line| {
            let text = std::str::from_utf8(line).ok()?;
            let f: Vec<&str> = text.splitn(8, ' ').filter(|w| !w.is_empty()).collect();
            if f.len() < 7 {
                return None;
            }
            let flags = u32::from_str_radix(f[3], 16).ok()?;
            let kind = u16::from_str_radix(f[4], 16).ok()?;
            let st = u8::from_str_radix(f[5], 16).ok()?;
            let inode = f[6].parse().ok()?;
            let state = if flags & 0x10000 != 0 {
                "LISTEN"
            } else {
                match st {
                    3 => "ESTAB",
                    2 => "SYN-SENT",
                    _ => "UNCONN",
                }
            };
            let name = text
                .split_whitespace()
                .nth(7)
                .map(|_| {
                    text.splitn(8, ' ')
                        .nth(7)
                        .unwrap_or("")
                        .trim()
                        .as_bytes()
                        .to_vec()
                })
                .filter(|n| !n.is_empty());
            Some(UnixSocket {
                inode,
                kind: kind_name(kind),
                state,
                name,
                peer: None,
                queues: None,
            })
        })
        .collect()
}

const UDIAG_SHOW_NAME: u32 = 1;
const UDIAG_SHOW_PEER: u32 = 4;
const UDIAG_SHOW_RQLEN: u32 = 0x10;
const UNIX_DIAG_NAME: u16 = 0;
const UNIX_DIAG_PEER: u16 = 2;
const UNIX_DIAG_RQLEN: u16 = 4;

/// Asks the kernel for every unix socket with its name, peer and queues.
fn sock_diag_dump() -> Option<Vec<UnixSocket>> {
    // unix_diag_req: family, protocol, pad, states, inode, show, cookie.
    let mut req = Vec::with_capacity(24);
    req.push(libc::AF_UNIX as u8);
    req.push(0);
    req.extend_from_slice(&0u16.to_ne_bytes());
    req.extend_from_slice(&u32::MAX.to_ne_bytes()); // every state
    req.extend_from_slice(&0u32.to_ne_bytes()); // any inode
    req.extend_from_slice(&(UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN).to_ne_bytes());
    req.extend_from_slice(&[0u8; 8]);
    Some(
        dump(&req)?
            .iter()
            .filter_map(|m| parse_diag_msg(m))
            .collect(),
    )
}

/// One unix_diag_msg (16 bytes) and its attributes.
fn parse_diag_msg(msg: &[u8]) -> Option<UnixSocket> {
    let kind = *msg.get(1)?;
    let state = *msg.get(2)?;
    let inode = u32_at(msg, 4)? as u64;
    let mut sock = UnixSocket {
        inode,
        kind: kind_name(kind as u16),
        state: state_name(state),
        name: None,
        peer: None,
        queues: None,
    };
    let mut at = 16;
    while at + 4 <= msg.len() {
        let len = u16_at(msg, at)? as usize;
        let attr = u16_at(msg, at + 2)?;
        if len < 4 || at + len > msg.len() {
            break;
        }
        let payload = &msg[at + 4..at + len];
        match attr {
            UNIX_DIAG_NAME if !payload.is_empty() => {
                sock.name = Some(if payload[0] == 0 {
                    // The abstract namespace: a leading NUL, shown as '@'.
                    let mut n = b"@".to_vec();
                    n.extend_from_slice(&payload[1..]);
                    n
                } else {
                    let end = payload
                        .iter()
                        .position(|&b| b == 0)
                        .unwrap_or(payload.len());
                    payload[..end].to_vec()
                });
            }
            UNIX_DIAG_PEER => sock.peer = u32_at(payload, 0).map(u64::from).filter(|&p| p != 0),
            UNIX_DIAG_RQLEN => sock.queues = Some((u32_at(payload, 0)?, u32_at(payload, 4)?)),
            _ => {}
        }
        at += (len + 3) & !3;
    }
    Some(sock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_unix_lines() {
        let text = b"Num       RefCount Protocol Flags    Type St Inode Path\n\
0000000000000000: 00000002 00000000 00010000 0001 01 20363 /run/dbus/system_bus_socket\n\
0000000000000000: 00000003 00000000 00000000 0001 03 20512 @/tmp/.X11-unix/X0\n\
0000000000000000: 00000002 00000000 00000000 0002 01 1234\n";
        let list = parse_proc_net_unix(text);
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].state, "LISTEN");
        assert_eq!(
            list[0].name.as_deref(),
            Some(&b"/run/dbus/system_bus_socket"[..])
        );
        assert_eq!(list[1].state, "ESTAB");
        assert_eq!(list[1].name.as_deref(), Some(&b"@/tmp/.X11-unix/X0"[..]));
        assert_eq!(
            (list[2].kind, list[2].state, list[2].name.clone()),
            ("dgr", "UNCONN", None)
        );
    }

    #[test]
    fn live_dump_sees_a_socket_pair() {
        use std::os::fd::AsRawFd;
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let ino = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(format!("/proc/self/fd/{}", a.as_raw_fd()))
                .unwrap()
                .ino()
        };
        let Some(list) = sock_diag_dump() else {
            eprintln!("sock_diag unavailable here; skipped");
            return;
        };
        let me = list
            .iter()
            .find(|s| s.inode == ino)
            .expect("own socket listed");
        assert_eq!((me.kind, me.state), ("str", "ESTAB"));
        assert!(me.peer.is_some());
    }
}
