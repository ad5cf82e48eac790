//! Everything `proctl show` reports about one process, read from /proc.
//! Each section is `None` when it could not be read (no privileges, or the
//! process is gone).

use std::collections::HashMap;
use std::os::unix::ffi::OsStringExt;
use std::str::FromStr;

use procfs::process::{FDTarget, LimitValue, Process};

use super::net::{Socket, read_sockets};
use super::{Needs, ProcSource, ProcessInfo};

/// One ancestor in the parent chain.
#[derive(Debug, Clone)]
pub struct Ancestor {
    pub pid: i32,
    pub name: Vec<u8>,
}

/// The memory lines of /proc/PID/status, in KiB.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    pub size: Option<u64>,
    pub rss: Option<u64>,
    pub anon: Option<u64>,
    pub file: Option<u64>,
    pub shmem: Option<u64>,
    pub swap: Option<u64>,
    pub peak_size: Option<u64>,
    pub peak_rss: Option<u64>,
}

/// Disk I/O counters.
#[derive(Debug, Clone, Default)]
pub struct DiskIo {
    pub read_bytes: u64,
    pub write_bytes: u64,
    pub read_calls: u64,
    pub write_calls: u64,
    pub chars_read: u64,
    pub chars_written: u64,
}

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
    /// The word used in reports.
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
}

/// An open file descriptor.
#[derive(Debug, Clone)]
pub struct OpenFile {
    pub fd: i32,
    pub kind: FdKind,
    pub target: Vec<u8>,
}

/// A thread and its state.
#[derive(Debug, Clone)]
pub struct ThreadInfo {
    pub tid: i32,
    pub name: Vec<u8>,
    pub state: char,
}

/// A resource limit, `None` meaning unlimited.
#[derive(Debug, Clone)]
pub struct LimitInfo {
    pub name: &'static str,
    pub soft: Option<u64>,
    pub hard: Option<u64>,
}

/// The four signal masks of /proc/PID/status.
#[derive(Debug, Clone, Default)]
pub struct SignalMasks {
    pub pending: u64,
    pub blocked: u64,
    pub ignored: u64,
    pub caught: u64,
}

/// Everything `show` reports.
#[derive(Debug, Clone)]
pub struct ProcessDetail {
    pub info: ProcessInfo,
    pub ancestors: Vec<Ancestor>,
    /// Real, effective, saved and filesystem uids and gids.
    pub uids: Option<[u32; 4]>,
    pub gids: Option<[u32; 4]>,
    pub exe: Option<Vec<u8>>,
    pub cwd: Option<Vec<u8>>,
    pub root: Option<Vec<u8>>,
    pub memory: Option<Memory>,
    pub io: Option<DiskIo>,
    pub files: Option<Vec<OpenFile>>,
    pub sockets: Option<Vec<Socket>>,
    pub environment: Option<Vec<(Vec<u8>, Vec<u8>)>>,
    pub limits: Option<Vec<LimitInfo>>,
    pub cgroup: Option<Vec<u8>>,
    pub namespaces: Option<Vec<(String, u64)>>,
    pub signals: Option<SignalMasks>,
    pub threads: Option<Vec<ThreadInfo>>,
    pub voluntary_ctxt: Option<u64>,
    pub nonvoluntary_ctxt: Option<u64>,
}

fn status_map(bytes: &[u8]) -> HashMap<String, String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
}

fn kib(map: &HashMap<String, String>, key: &str) -> Option<u64> {
    map.get(key)?.split_whitespace().next()?.parse().ok()
}

fn ids(map: &HashMap<String, String>, key: &str) -> Option<[u32; 4]> {
    let mut out = [0u32; 4];
    let words: Vec<u32> = map
        .get(key)?
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    if words.len() < 4 {
        return None;
    }
    out.copy_from_slice(&words[..4]);
    Some(out)
}

fn mask(map: &HashMap<String, String>, key: &str) -> Option<u64> {
    u64::from_str_radix(map.get(key)?, 16).ok()
}

fn limit(v: &LimitValue) -> Option<u64> {
    match v {
        LimitValue::Unlimited => None,
        LimitValue::Value(n) => Some(*n),
    }
}

fn fd_kind(target: &FDTarget) -> (FdKind, Vec<u8>) {
    match target {
        FDTarget::Path(p) => {
            let bytes = p.as_os_str().as_encoded_bytes().to_vec();
            let kind = if bytes.starts_with(b"/dev/") {
                FdKind::Device
            } else if p.is_dir() {
                FdKind::Directory
            } else {
                FdKind::Regular
            };
            (kind, bytes)
        }
        FDTarget::Socket(i) => (FdKind::Socket, format!("socket:[{i}]").into_bytes()),
        FDTarget::Net(i) => (FdKind::Socket, format!("net:[{i}]").into_bytes()),
        FDTarget::Pipe(i) => (FdKind::Pipe, format!("pipe:[{i}]").into_bytes()),
        FDTarget::AnonInode(n) => (FdKind::AnonInode, format!("anon_inode:{n}").into_bytes()),
        FDTarget::MemFD(n) => (FdKind::Regular, format!("/memfd:{n}").into_bytes()),
        FDTarget::Other(n, i) => (FdKind::Other, format!("{n}:[{i}]").into_bytes()),
        FDTarget::Unknown(a, b) => (FdKind::Other, format!("{a}:{b}").into_bytes()),
    }
}

/// The open descriptors of a process; `None` when they cannot be read
/// (the directory, or every link in it, is not ours to see).
fn list_fds(dir: &std::path::Path) -> Option<Vec<OpenFile>> {
    let mut files = Vec::new();
    let mut failed = 0;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        match std::fs::read_link(entry.path()) {
            Ok(link) => {
                let bytes = link.into_os_string().into_vec();
                let (kind, target) = if bytes.starts_with(b"/") {
                    fd_kind(&FDTarget::Path(std::path::PathBuf::from(
                        std::ffi::OsString::from_vec(bytes.clone()),
                    )))
                } else {
                    match FDTarget::from_str(&String::from_utf8_lossy(&bytes)) {
                        Ok(t) => fd_kind(&t),
                        Err(_) => (FdKind::Other, bytes),
                    }
                };
                files.push(OpenFile { fd, kind, target });
            }
            Err(_) => failed += 1,
        }
    }
    if files.is_empty() && failed > 0 {
        return None;
    }
    files.sort_by_key(|f| f.fd);
    Some(files)
}

/// Reads one process in full; `None` when it does not exist.
pub fn read_detail(source: &ProcSource, pid: i32, with_threads: bool) -> Option<ProcessDetail> {
    // status is read once below, in full; descriptors are listed below too.
    let needs = Needs {
        cmdline: true,
        exe: true,
        cwd: true,
        cgroup: true,
        ..Needs::STAT
    };
    let info = source.read_process(pid, needs)?;
    let proc = Process::new_with_root(source.root().join(pid.to_string())).ok()?;
    let status = proc.open_relative("status").ok().and_then(|mut f| {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut buf).ok()?;
        Some(status_map(&buf))
    });
    let mut ancestors = Vec::new();
    let mut next = info.ppid;
    while next > 0 && ancestors.len() < 4096 {
        let Some(p) = source.read_process(next, Needs::STAT) else {
            break;
        };
        ancestors.push(Ancestor {
            pid: p.pid,
            name: p.name.clone(),
        });
        next = p.ppid;
    }
    let memory = status.as_ref().map(|m| Memory {
        size: kib(m, "VmSize"),
        rss: kib(m, "VmRSS"),
        anon: kib(m, "RssAnon"),
        file: kib(m, "RssFile"),
        shmem: kib(m, "RssShmem"),
        swap: kib(m, "VmSwap"),
        peak_size: kib(m, "VmPeak"),
        peak_rss: kib(m, "VmHWM"),
    });
    let io = proc.io().ok().map(|io| DiskIo {
        read_bytes: io.read_bytes,
        write_bytes: io.write_bytes,
        read_calls: io.syscr,
        write_calls: io.syscw,
        chars_read: io.rchar,
        chars_written: io.wchar,
    });
    let files = list_fds(&source.root().join(pid.to_string()).join("fd"));
    let sockets = files.as_ref().map(|files| {
        let inodes: Vec<u64> = files
            .iter()
            .filter(|f| f.kind == FdKind::Socket)
            .filter_map(|f| {
                std::str::from_utf8(&f.target)
                    .ok()?
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .parse()
                    .ok()
            })
            .collect();
        if inodes.is_empty() {
            return Vec::new();
        }
        read_sockets(source.root(), true, true)
            .into_iter()
            .filter(|s| inodes.contains(&s.inode))
            .collect()
    });
    let environment = proc.open_relative("environ").ok().and_then(|mut f| {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut buf).ok()?;
        Some(
            buf.split(|&b| b == 0)
                .filter(|kv| !kv.is_empty())
                .map(|kv| match kv.iter().position(|&b| b == b'=') {
                    Some(i) => (kv[..i].to_vec(), kv[i + 1..].to_vec()),
                    None => (kv.to_vec(), Vec::new()),
                })
                .collect(),
        )
    });
    let limits = proc.limits().ok().map(|l| {
        [
            ("cpu", &l.max_cpu_time),
            ("fsize", &l.max_file_size),
            ("data", &l.max_data_size),
            ("stack", &l.max_stack_size),
            ("core", &l.max_core_file_size),
            ("rss", &l.max_resident_set),
            ("nproc", &l.max_processes),
            ("nofile", &l.max_open_files),
            ("memlock", &l.max_locked_memory),
            ("as", &l.max_address_space),
            ("locks", &l.max_file_locks),
            ("sigpending", &l.max_pending_signals),
            ("msgqueue", &l.max_msgqueue_size),
            ("nice", &l.max_nice_priority),
            ("rtprio", &l.max_realtime_priority),
            ("rttime", &l.max_realtime_timeout),
        ]
        .into_iter()
        .map(|(name, lim)| LimitInfo {
            name,
            soft: limit(&lim.soft_limit),
            hard: limit(&lim.hard_limit),
        })
        .collect()
    });
    let namespaces = proc.namespaces().ok().map(|ns| {
        let mut list: Vec<(String, u64)> =
            ns.0.into_values()
                .map(|n| (n.ns_type.to_string_lossy().into_owned(), n.identifier))
                .collect();
        list.sort();
        list
    });
    let signals = status.as_ref().and_then(|m| {
        Some(SignalMasks {
            pending: mask(m, "SigPnd")? | mask(m, "ShdPnd")?,
            blocked: mask(m, "SigBlk")?,
            ignored: mask(m, "SigIgn")?,
            caught: mask(m, "SigCgt")?,
        })
    });
    let threads = with_threads.then(|| {
        source
            .read_threads(pid, Needs::STAT)
            .into_iter()
            .map(|t| ThreadInfo {
                tid: t.tid,
                name: t.name,
                state: t.state,
            })
            .collect()
    });
    Some(ProcessDetail {
        ancestors,
        uids: status.as_ref().and_then(|m| ids(m, "Uid")),
        gids: status.as_ref().and_then(|m| ids(m, "Gid")),
        exe: info.exe.clone(),
        cwd: info.cwd.clone(),
        root: proc.root().ok().map(|p| p.into_os_string().into_vec()),
        memory,
        io,
        files,
        sockets,
        environment,
        limits,
        cgroup: info.cgroup.clone(),
        namespaces,
        signals,
        threads,
        voluntary_ctxt: status
            .as_ref()
            .and_then(|m| m.get("voluntary_ctxt_switches")?.parse().ok()),
        nonvoluntary_ctxt: status
            .as_ref()
            .and_then(|m| m.get("nonvoluntary_ctxt_switches")?.parse().ok()),
        info,
    })
}

/// The signal numbers set in a mask (bit N-1 is signal N).
pub fn mask_signals(mask: u64) -> Vec<i32> {
    (1..=64).filter(|n| mask & (1u64 << (n - 1)) != 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_decode_to_signal_numbers() {
        assert_eq!(mask_signals(0), Vec::<i32>::new());
        assert_eq!(mask_signals(0x4000), vec![15]);
        assert_eq!(mask_signals(0x0000000000000003), vec![1, 2]);
        assert_eq!(mask_signals(1u64 << 63), vec![64]);
    }

    #[test]
    fn status_lines() {
        let m = status_map(b"Uid:\t1\t2\t3\t4\nVmRSS:\t  100 kB\nSigCgt:\t0000000000004002\n");
        assert_eq!(ids(&m, "Uid"), Some([1, 2, 3, 4]));
        assert_eq!(kib(&m, "VmRSS"), Some(100));
        assert_eq!(mask(&m, "SigCgt"), Some(0x4002));
        assert_eq!(kib(&m, "VmSwap"), None);
    }
}
