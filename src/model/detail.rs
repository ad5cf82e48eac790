//! Everything `proctl show` reports about one process, read from /proc and
//! assembled from the section modules (memory, security, sched, cgroup,
//! namespaces, files, maps, limits). Each section is a [`Section`]: its
//! value, or the real reason it is missing.

use std::collections::HashMap;

use procfs::process::Process;

use super::cgroup::{Cgroups, analyse};
use super::files::{FdKind, OpenFile, list_files, resolve};
use super::limits::{LimitInfo, from_procfs};
use super::maps::{Mapping, parse_maps};
use super::memory::{Rollup, StatusMemory, read_rollup};
use super::namespaces::{Namespace, id_chain, read_namespaces};
use super::net::{Socket, read_sockets};
use super::sched::{Scheduling, read_scheduling};
use super::security::{Security, read_security};
use super::unix::{UnixSocket, read_unix_sockets};
use super::unreadable::{Section, Unreadable, read_file, read_link};
use super::{Needs, ProcSource, ProcessInfo};

/// One ancestor in the parent chain.
#[derive(Debug, Clone)]
pub struct Ancestor {
    pub pid: i32,
    pub name: Vec<u8>,
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

/// A thread and its state.
#[derive(Debug, Clone)]
pub struct ThreadInfo {
    pub tid: i32,
    pub name: Vec<u8>,
    pub state: char,
}

/// The four signal masks of /proc/PID/status.
#[derive(Debug, Clone, Default)]
pub struct SignalMasks {
    pub pending: u64,
    pub blocked: u64,
    pub ignored: u64,
    pub caught: u64,
}

/// What to read beyond the default sections.
#[derive(Debug, Clone, Copy, Default)]
pub struct DetailOptions {
    pub threads: bool,
    /// Resolve sockets and find pipe and unix socket peers (--files).
    pub resolve_files: bool,
    pub maps: bool,
}

/// Everything `show` reports.
#[derive(Debug, Clone)]
pub struct ProcessDetail {
    pub info: ProcessInfo,
    pub ancestors: Vec<Ancestor>,
    /// Real, effective, saved and filesystem uids and gids.
    pub uids: Option<[u32; 4]>,
    pub gids: Option<[u32; 4]>,
    pub exe: Section<Vec<u8>>,
    pub exe_deleted: bool,
    pub cwd: Section<Vec<u8>>,
    pub root: Section<Vec<u8>>,
    pub status_memory: Option<StatusMemory>,
    pub rollup: Section<Rollup>,
    pub security: Option<Security>,
    pub scheduling: Scheduling,
    pub io: Section<DiskIo>,
    pub files: Section<Vec<OpenFile>>,
    pub sockets: Section<Vec<Socket>>,
    pub unix_sockets: Section<Vec<UnixSocket>>,
    pub maps: Option<Section<Vec<Mapping>>>,
    pub environment: Section<Vec<(Vec<u8>, Vec<u8>)>>,
    pub limits: Section<Vec<LimitInfo>>,
    pub cgroups: Section<Cgroups>,
    pub namespaces: Section<Vec<Namespace>>,
    /// The pid and tgid in each pid namespace, outermost first.
    pub ns_pids: Vec<i32>,
    pub ns_tgids: Vec<i32>,
    pub signals: Option<SignalMasks>,
    pub threads: Option<Vec<ThreadInfo>>,
    pub voluntary_ctxt: Option<u64>,
    pub nonvoluntary_ctxt: Option<u64>,
}

impl ProcessDetail {
    /// Whether this is a kernel thread.
    pub fn is_kernel_thread(&self) -> bool {
        self.info.is_kernel_thread()
    }
}

/// status as a map of trimmed values.
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

fn socket_inodes(files: &[OpenFile]) -> Vec<u64> {
    files
        .iter()
        .filter(|f| f.kind == FdKind::Socket)
        .filter_map(|f| super::files::link_inode(&f.target, b"socket"))
        .collect()
}

/// Reads one process in full; `None` when it does not exist.
pub fn read_detail(source: &ProcSource, pid: i32, opts: DetailOptions) -> Option<ProcessDetail> {
    let needs = Needs {
        cmdline: true,
        ..Needs::STAT
    };
    let info = source.read_process(pid, needs)?;
    let dir = source.root().join(pid.to_string());
    let live = source.is_live();
    let proc = Process::new_with_root(dir.clone()).ok()?;
    let stat = std::fs::read(dir.join("stat")).unwrap_or_default();
    let status = std::fs::read(dir.join("status"))
        .ok()
        .map(|b| status_map(&b));
    let field = |key: &str| status.as_ref().and_then(|m| m.get(key).cloned());
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
    let status_memory = status.as_ref().map(|m| StatusMemory {
        size: kib(m, "VmSize"),
        rss: kib(m, "VmRSS"),
        anon: kib(m, "RssAnon"),
        file: kib(m, "RssFile"),
        shmem: kib(m, "RssShmem"),
        swap: kib(m, "VmSwap"),
        peak_size: kib(m, "VmPeak"),
        peak_rss: kib(m, "VmHWM"),
    });
    let io = read_file(&dir, "io", &info).map(|bytes| {
        let m = status_map(&bytes);
        let n = |k: &str| m.get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
        DiskIo {
            read_bytes: n("read_bytes"),
            write_bytes: n("write_bytes"),
            read_calls: n("syscr"),
            write_calls: n("syscw"),
            chars_read: n("rchar"),
            chars_written: n("wchar"),
        }
    });
    let mut files = list_files(source.root(), pid, &info);
    let unix_all = match &files {
        Ok(f) if !socket_inodes(f).is_empty() => read_unix_sockets(source.root(), live),
        _ => Vec::new(),
    };
    if opts.resolve_files
        && let Ok(files) = files.as_mut()
    {
        resolve(files, source, pid, &unix_all);
    }
    let sockets = files.clone().map(|files| {
        let inodes = socket_inodes(&files);
        if inodes.is_empty() {
            return Vec::new();
        }
        read_sockets(source.root(), true, true)
            .into_iter()
            .filter(|s| inodes.contains(&s.inode))
            .collect()
    });
    let unix_sockets = files.clone().map(|files| {
        let inodes = socket_inodes(&files);
        unix_all
            .into_iter()
            .filter(|s| inodes.contains(&s.inode))
            .collect()
    });
    let environment = read_file(&dir, "environ", &info).and_then(|buf| {
        if buf.is_empty()
            && let Some(reason) = Unreadable::not_applicable(&info)
        {
            return Err(reason);
        }
        Ok(buf
            .split(|&b| b == 0)
            .filter(|kv| !kv.is_empty())
            .map(|kv| match kv.iter().position(|&b| b == b'=') {
                Some(i) => (kv[..i].to_vec(), kv[i + 1..].to_vec()),
                None => (kv.to_vec(), Vec::new()),
            })
            .collect())
    });
    let limits = match proc.limits() {
        Ok(l) => Ok(from_procfs(&l)),
        Err(_) => Err(match std::fs::File::open(dir.join("limits")) {
            Err(e) => Unreadable::from_io(&e, &info),
            Ok(_) => Unreadable::Other("malformed limits".into()),
        }),
    };
    let signals = status.as_ref().and_then(|m| {
        Some(SignalMasks {
            pending: mask(m, "SigPnd")? | mask(m, "ShdPnd")?,
            blocked: mask(m, "SigBlk")?,
            ignored: mask(m, "SigIgn")?,
            caught: mask(m, "SigCgt")?,
        })
    });
    let threads = opts.threads.then(|| {
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
    let exe = read_link(&dir, "exe", &info);
    let exe_deleted = exe.as_ref().is_ok_and(|e| e.ends_with(b" (deleted)"));
    let maps = opts.maps.then(|| {
        read_file(&dir, "maps", &info).and_then(|b| {
            if b.is_empty()
                && let Some(reason) = Unreadable::not_applicable(&info)
            {
                return Err(reason);
            }
            Ok(parse_maps(&b))
        })
    });
    Some(ProcessDetail {
        ancestors,
        uids: status.as_ref().and_then(|m| ids(m, "Uid")),
        gids: status.as_ref().and_then(|m| ids(m, "Gid")),
        exe: exe.map(|e| {
            e.strip_suffix(b" (deleted)")
                .map(<[u8]>::to_vec)
                .unwrap_or(e)
        }),
        exe_deleted,
        cwd: read_link(&dir, "cwd", &info),
        root: read_link(&dir, "root", &info),
        status_memory,
        rollup: read_rollup(&dir, &info),
        security: status
            .as_ref()
            .map(|_| read_security(&dir, &field, source.root(), &info)),
        scheduling: read_scheduling(&dir, &stat, &field, pid, info.nice, live),
        io,
        files,
        sockets,
        unix_sockets,
        maps,
        environment,
        limits,
        cgroups: read_file(&dir, "cgroup", &info).map(|b| analyse(&b)),
        namespaces: read_namespaces(source.root(), pid, &info),
        ns_pids: id_chain(field("NSpid")),
        ns_tgids: id_chain(field("NStgid")),
        signals,
        threads,
        voluntary_ctxt: field("voluntary_ctxt_switches").and_then(|v| v.parse().ok()),
        nonvoluntary_ctxt: field("nonvoluntary_ctxt_switches").and_then(|v| v.parse().ok()),
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
