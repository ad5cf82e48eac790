//! The kernel's sock_diag netlink interface (sock_diag(7)), as `ss` uses
//! it: one dump request, the payload of each answer. Used where /proc/net
//! lacks a figure: unix socket peers and queues, and a TCP listener's
//! backlog (its send queue, as ss shows it).

use std::collections::HashMap;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

const NETLINK_SOCK_DIAG: libc::c_int = 4;
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLM_F_REQUEST: u16 = 1;
const NLM_F_DUMP: u16 = 0x300;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;

/// A native-endian u16 at `at`, if the bytes are there.
pub fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// A native-endian u32 at `at`, if the bytes are there.
pub fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Sends one SOCK_DIAG_BY_FAMILY dump request (`request` is the body after
/// the netlink header) and returns each answer's body; `None` when netlink
/// is refused or the answer is malformed.
pub fn dump(request: &[u8]) -> Option<Vec<Vec<u8>>> {
    // SAFETY: plain system calls on a descriptor this function owns; the
    // buffers outlive the calls that use them.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            NETLINK_SOCK_DIAG,
        )
    };
    if fd < 0 {
        return None;
    }
    // SAFETY: fd is a fresh descriptor that nothing else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let len = 16 + request.len();
    let mut req = Vec::with_capacity(len);
    req.extend_from_slice(&(len as u32).to_ne_bytes());
    req.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    req.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    req.extend_from_slice(&1u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(request);
    // SAFETY: a zeroed sockaddr_nl addresses the kernel.
    let mut addr: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as u16;
    // SAFETY: req and addr are valid for the lengths given.
    let sent = unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            req.as_ptr().cast(),
            req.len(),
            0,
            (&addr as *const libc::sockaddr_nl).cast(),
            std::mem::size_of::<libc::sockaddr_nl>() as u32,
        )
    };
    if sent < 0 {
        return None;
    }
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        // SAFETY: buf is valid for its length.
        let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return None;
        }
        let data = &buf[..n as usize];
        if data.is_empty() {
            return Some(out);
        }
        let mut at = 0;
        while at + 16 <= data.len() {
            let len = u32_at(data, at)? as usize;
            let kind = u16_at(data, at + 4)?;
            if len < 16 || at + len > data.len() {
                return None;
            }
            match kind {
                NLMSG_DONE => return Some(out),
                NLMSG_ERROR => return None,
                _ => out.push(data[at + 16..at + len].to_vec()),
            }
            at += (len + 3) & !3;
        }
    }
}

/// The receive and send queues of every TCP and UDP socket by inode, as
/// inet_diag reports them: for a listener, the connections waiting and the
/// backlog (which /proc/net/tcp does not show). `None` when refused.
pub fn inet_queues() -> Option<HashMap<u64, (u32, u32)>> {
    let mut queues = HashMap::new();
    for family in [libc::AF_INET, libc::AF_INET6] {
        for protocol in [libc::IPPROTO_TCP, libc::IPPROTO_UDP] {
            // inet_diag_req_v2: family, protocol, ext, pad, states, then a
            // zeroed inet_diag_sockid (48 bytes): any socket.
            let mut req = vec![family as u8, protocol as u8, 0, 0];
            req.extend_from_slice(&u32::MAX.to_ne_bytes());
            req.extend_from_slice(&[0u8; 48]);
            for msg in dump(&req)? {
                // inet_diag_msg: 4 bytes, sockid (48), expires, rqueue,
                // wqueue, uid, inode.
                let (Some(rq), Some(wq), Some(inode)) =
                    (u32_at(&msg, 56), u32_at(&msg, 60), u32_at(&msg, 68))
                else {
                    continue;
                };
                queues.insert(u64::from(inode), (rq, wq));
            }
        }
    }
    Some(queues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_shows_its_backlog() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let ino = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(format!("/proc/self/fd/{}", listener.as_raw_fd()))
                .unwrap()
                .ino()
        };
        let Some(queues) = inet_queues() else {
            eprintln!("inet_diag unavailable here; skipped");
            return;
        };
        // std listens with a backlog of 128 (capped by somaxconn).
        let (rq, wq) = queues[&ino];
        assert_eq!(rq, 0);
        assert!(wq > 0, "backlog {wq}");
    }
}
