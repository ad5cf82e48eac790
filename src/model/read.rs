//! Reading processes from a /proc tree into [`ProcessInfo`] values: only the
//! files a view needs, each once, skipping processes that vanish mid-read.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use procfs::FromRead;
use procfs::process::{Process, Stat};

use super::process::{IoInfo, Needs, ProcessInfo, StatusInfo};
use super::system::SystemFacts;

/// The stack of the second /proc reader thread.
const READER_STACK: usize = 256 * 1024;
/// How many pids a /proc reader takes at a time.
const READ_CHUNK: usize = 32;

/// Where process information comes from: the live /proc, or a fixture tree.
#[derive(Debug, Clone)]
pub struct ProcSource {
    root: PathBuf,
    live: bool,
}

/// Every process read in one pass, with the system figures to interpret them.
#[derive(Debug)]
pub struct Snapshot {
    pub processes: Vec<ProcessInfo>,
    pub system: SystemFacts,
}

impl ProcSource {
    /// The live /proc, or another tree (for tests).
    pub fn new(root: Option<PathBuf>) -> ProcSource {
        match root {
            Some(root) if root != Path::new("/proc") => ProcSource { root, live: false },
            _ => ProcSource {
                root: PathBuf::from("/proc"),
                live: true,
            },
        }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether this is the live /proc (not a fixture tree, whose pids name
    /// no running process).
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// proctl's own pid in this source: none in a fixture tree, where the
    /// same number is another process.
    pub fn own_pid(&self) -> Option<i32> {
        self.live.then(|| std::process::id() as i32)
    }

    /// System-wide figures for this source.
    pub fn system_facts(&self) -> SystemFacts {
        if self.live {
            SystemFacts::live()
        } else {
            SystemFacts::from_root(&self.root)
        }
    }

    /// The pids present now, in ascending order.
    pub fn pids(&self) -> std::io::Result<Vec<i32>> {
        numeric_entries(&self.root)
    }

    /// Reads every process (and with `threads`, every thread instead).
    pub fn snapshot(&self, needs: Needs, threads: bool) -> std::io::Result<Snapshot> {
        let system = self.system_facts();
        let pids = self.pids()?;
        let read = |part: &[i32], rows: &mut Vec<ProcessInfo>| {
            for &pid in part {
                if threads {
                    rows.extend(self.read_threads(pid, needs));
                } else {
                    rows.extend(self.read_process(pid, needs));
                }
            }
        };
        // Two readers, this thread and one helper with a small stack,
        // taking chunks of pids in turn (the reading is mostly system time
        // and uneven: kernel threads have no command line): a thread pool
        // (a worker a core, each with its stack and queues) costs more
        // memory than it gains here, and ps aux's peak RSS must stay at
        // procps's. The helper's rows are appended and all put back in pid
        // order (a process's threads after it, by tid).
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = |rows: &mut Vec<ProcessInfo>| {
            loop {
                let start = next.fetch_add(READ_CHUNK, std::sync::atomic::Ordering::Relaxed);
                if start >= pids.len() {
                    break;
                }
                read(&pids[start..(start + READ_CHUNK).min(pids.len())], rows);
            }
        };
        let mut processes = std::thread::scope(|scope| {
            let helper = std::thread::Builder::new()
                .stack_size(READER_STACK)
                .spawn_scoped(scope, || {
                    let mut rows = Vec::with_capacity(pids.len() / 2 + READ_CHUNK);
                    work(&mut rows);
                    rows
                });
            let mut rows = Vec::with_capacity(pids.len());
            work(&mut rows);
            match helper.map(|h| h.join()) {
                Ok(Ok(more)) => rows.extend(more),
                // The helper's chunks are lost: read everything here.
                Ok(Err(_)) => {
                    rows.clear();
                    read(&pids, &mut rows);
                }
                // No helper: this thread took every chunk.
                Err(_) => {}
            }
            rows
        });
        processes.sort_unstable_by_key(|r| (r.pid, r.tid != r.pid, r.tid));
        Ok(Snapshot { processes, system })
    }

    /// Reads one process; `None` when it is gone or its stat is unreadable.
    pub fn read_process(&self, pid: i32, needs: Needs) -> Option<ProcessInfo> {
        let dir = self.root.join(pid.to_string());
        let proc = Process::new_with_root(dir).ok()?;
        self.read_from(&proc, pid, pid, needs, None)
    }

    /// Reads the threads of one process, each as a row, with the process's
    /// command line. The leader's row comes from /proc/PID itself, whose
    /// times cover the whole process, as procps shows it.
    pub fn read_threads(&self, pid: i32, needs: Needs) -> Vec<ProcessInfo> {
        let task_dir = self.root.join(pid.to_string()).join("task");
        let tids = self.task_ids(pid);
        let Some(leader) = self.read_process(pid, needs) else {
            return Vec::new();
        };
        let per_thread = Needs {
            cmdline: false,
            ..needs
        };
        let others: Vec<ProcessInfo> = tids
            .into_iter()
            .filter(|&tid| tid != pid)
            .filter_map(|tid| {
                let proc = Process::new_with_root(task_dir.join(tid.to_string())).ok()?;
                self.read_from(&proc, pid, tid, per_thread, leader.cmdline.clone())
            })
            .collect();
        let mut rows = Vec::with_capacity(others.len() + 1);
        rows.push(leader);
        rows.extend(others);
        rows
    }

    /// The thread ids of a process, ascending (empty when it is gone).
    pub fn task_ids(&self, pid: i32) -> Vec<i32> {
        numeric_entries(&self.root.join(pid.to_string()).join("task")).unwrap_or_default()
    }

    /// A thread's own name, from /proc/PID/task/TID/stat.
    pub fn thread_name(&self, pid: i32, tid: i32) -> Option<Vec<u8>> {
        let path = self
            .root
            .join(pid.to_string())
            .join("task")
            .join(tid.to_string())
            .join("stat");
        let stat = std::fs::read(path).ok()?;
        Some(raw_comm(&stat).to_vec())
    }

    fn read_from(
        &self,
        proc: &Process,
        pid: i32,
        tid: i32,
        needs: Needs,
        cmdline: Option<Vec<u8>>,
    ) -> Option<ProcessInfo> {
        let stat_bytes = read_bytes(proc, "stat")?;
        let mut info = from_stat(&stat_bytes, pid, tid)?;
        // A fixture tree's ownership cannot be trusted (git keeps no owners),
        // so there the uids always come from status.
        let want_status = needs.status || !self.live;
        let status = if want_status {
            read_bytes(proc, "status").map(|b| parse_status(&b))
        } else {
            None
        };
        info.euid = match &status {
            Some(s) => Some(s.uids[1]),
            None => proc.uid().ok(),
        };
        info.status = status;
        info.cmdline = cmdline;
        if needs.cmdline && info.cmdline.is_none() {
            info.cmdline = read_bytes(proc, "cmdline");
        }
        if needs.io {
            info.io = proc.io().ok().map(|io| IoInfo {
                read_bytes: io.read_bytes,
                write_bytes: io.write_bytes,
            });
        }
        if needs.fds {
            info.fds = proc.fd_count().ok().map(|n| n as u64);
        }
        if needs.exe {
            info.exe = proc.exe().ok().map(|p| p.into_os_string().into_vec());
        }
        if needs.cwd {
            info.cwd = proc.cwd().ok().map(|p| p.into_os_string().into_vec());
        }
        if needs.cgroup {
            info.cgroup = read_bytes(proc, "cgroup").map(|b| cgroup_path(&b));
        }
        if needs.wchan {
            info.wchan = proc.wchan().ok();
        }
        Some(info)
    }
}

use std::os::unix::ffi::OsStringExt;

/// The numeric entries of a directory (pids or thread ids), ascending.
fn numeric_entries(dir: &Path) -> std::io::Result<Vec<i32>> {
    let mut ids: Vec<i32> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            std::str::from_utf8(e.file_name().as_bytes())
                .ok()?
                .parse()
                .ok()
        })
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Reads a whole file of a process directory as raw bytes. /proc files
/// are produced on each read, so a short read means the end: stopping there
/// saves the final empty read, and reading into a buffer avoids the
/// fstat and lseek that `read_to_end` spends on size hints.
fn read_bytes(proc: &Process, name: &str) -> Option<Vec<u8>> {
    let mut file = proc.open_relative(name).ok()?;
    let mut chunk = [0u8; 4096];
    let mut buf = Vec::new();
    loop {
        let n = match file.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return None,
        };
        buf.extend_from_slice(&chunk[..n]);
        if n < chunk.len() {
            return Some(buf);
        }
    }
}

/// A process from the bytes of its /proc/PID/stat: procfs parses the
/// numbers, the name is taken raw (procfs would replace bytes that are not
/// UTF-8). `None` when the line is malformed.
pub fn from_stat(stat_bytes: &[u8], pid: i32, tid: i32) -> Option<ProcessInfo> {
    if !well_formed_stat(stat_bytes) {
        return None;
    }
    let stat = Stat::from_read(stat_bytes).ok()?;
    Some(ProcessInfo {
        pid,
        tid,
        name: raw_comm(stat_bytes).to_vec(),
        state: stat.state,
        ppid: stat.ppid,
        pgrp: stat.pgrp,
        session: stat.session,
        tty_nr: stat.tty_nr,
        tpgid: stat.tpgid,
        flags: stat.flags,
        utime: stat.utime,
        stime: stat.stime,
        priority: stat.priority,
        nice: stat.nice,
        num_threads: stat.num_threads,
        start_ticks: stat.starttime,
        vsize_bytes: stat.vsize,
        rss_pages: stat.rss,
        processor: stat.processor,
        policy: stat.policy,
        minflt: stat.minflt,
        majflt: stat.majflt,
        cminflt: stat.cminflt,
        cmajflt: stat.cmajflt,
        cutime: stat.cutime.max(0) as u64,
        cstime: stat.cstime.max(0) as u64,
        rt_priority: stat.rt_priority.unwrap_or(0),
        start_code: stat.startcode,
        end_code: stat.endcode,
        start_stack: stat.startstack,
        kstk_esp: stat.kstkesp,
        kstk_eip: stat.kstkeip,
        rsslim: stat.rsslim,
        ..ProcessInfo::default()
    })
}

/// Whether a stat line has the shape `PID (NAME) REST`. procfs's parser
/// slices by these positions and panics on lines without it (found by
/// fuzzing); the kernel never writes such lines, but a damaged or foreign
/// /proc tree could.
fn well_formed_stat(stat: &[u8]) -> bool {
    let text = String::from_utf8_lossy(stat);
    let line = text.trim();
    let (Some(open), Some(close)) = (line.find('('), line.rfind(')')) else {
        return false;
    };
    let pid = &line[..open];
    pid.len() >= 2
        && pid.ends_with(' ')
        && pid[..pid.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && close > open
        && line[close + 1..].starts_with(' ')
        && line.len() > close + 2
}

/// The name between the first '(' and the last ')' of a stat line, raw.
pub fn raw_comm(stat: &[u8]) -> &[u8] {
    let open = stat.iter().position(|&b| b == b'(');
    let close = stat.iter().rposition(|&b| b == b')');
    match (open, close) {
        (Some(o), Some(c)) if c > o => &stat[o + 1..c],
        _ => &[],
    }
}

/// Parses the fields proctl uses from /proc/PID/status. procfs's `Status`
/// builds a map of every line and fails on a name that is not UTF-8; this
/// reads the few lines needed from the raw bytes.
pub fn parse_status(bytes: &[u8]) -> StatusInfo {
    let mut info = StatusInfo::default();
    for line in bytes.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (key, value) = (&line[..colon], &line[colon + 1..]);
        let value = std::str::from_utf8(value).unwrap_or("").trim();
        let first_number = || value.split_whitespace().next()?.parse::<u64>().ok();
        match key {
            b"Uid" => info.uids = four_ids(value),
            b"Gid" => info.gids = four_ids(value),
            b"VmLck" => info.vm_lock_kib = first_number().unwrap_or(0),
            b"VmRSS" => info.vm_rss_kib = first_number(),
            b"voluntary_ctxt_switches" => info.voluntary_ctxt = first_number(),
            b"nonvoluntary_ctxt_switches" => info.nonvoluntary_ctxt = first_number(),
            b"SigPnd" => info.sig_pnd = value.to_string(),
            b"ShdPnd" => info.shd_pnd = value.to_string(),
            b"SigBlk" => info.sig_blk = value.to_string(),
            b"SigIgn" => info.sig_ign = value.to_string(),
            b"SigCgt" => info.sig_cgt = value.to_string(),
            b"Groups" => {
                info.groups = value
                    .split_whitespace()
                    .filter_map(|g| g.parse().ok())
                    .collect();
            }
            b"VmSize" => info.vm_size_kib = first_number().unwrap_or(0),
            b"VmData" => info.vm_data_kib = first_number().unwrap_or(0),
            b"VmStk" => info.vm_stk_kib = first_number().unwrap_or(0),
            _ => {}
        }
    }
    info
}

fn four_ids(value: &str) -> [u32; 4] {
    let mut ids = [0u32; 4];
    for (slot, word) in ids.iter_mut().zip(value.split_whitespace()) {
        *slot = word.parse().unwrap_or(0);
    }
    ids
}

/// The cgroup path: the unified (v2) hierarchy's line, else the first line's path.
fn cgroup_path(bytes: &[u8]) -> Vec<u8> {
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let pick = lines
        .iter()
        .find(|l| l.starts_with(b"0::"))
        .or_else(|| lines.first());
    match pick {
        Some(line) => line
            .splitn(3, |&b| b == b':')
            .nth(2)
            .unwrap_or(&[])
            .to_vec(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_stat_lines_are_rejected_not_panicking() {
        for bad in [
            &b"1 )shr( ot0S0\n"[..],
            b"(x) S 1",
            b"1 (x)",
            b"1 (x) ",
            b"",
            b"1 x S",
        ] {
            assert!(
                from_stat(bad, 1, 1).is_none(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let good = std::fs::read("tests/fixtures/proc/1/stat").unwrap();
        assert_eq!(from_stat(&good, 1, 1).unwrap().name, b"init");
    }

    #[test]
    fn comm_with_parens_and_spaces() {
        let stat = b"42 (a) (b c)) S 1 42 42 0 -1 0";
        assert_eq!(raw_comm(stat), b"a) (b c)");
        assert_eq!(raw_comm(b"garbage"), b"");
    }

    #[test]
    fn status_fields() {
        let status = b"Name:\tx\xff\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\nVmLck:\t     12 kB\nvoluntary_ctxt_switches:\t7\nnonvoluntary_ctxt_switches:\t3\n";
        let s = parse_status(status);
        assert_eq!(s.uids, [1000, 1001, 1002, 1003]);
        assert_eq!(s.gids, [5, 6, 7, 8]);
        assert_eq!(s.vm_lock_kib, 12);
        assert_eq!(s.vm_rss_kib, None);
        assert_eq!(s.voluntary_ctxt, Some(7));
        assert_eq!(s.nonvoluntary_ctxt, Some(3));
    }

    #[test]
    fn status_of_a_zombie_has_no_memory_lines() {
        let s = parse_status(b"Name:\tz\nUid:\t0\t0\t0\t0\n");
        assert_eq!(s.vm_lock_kib, 0);
        assert_eq!(s.voluntary_ctxt, None);
    }

    #[test]
    fn cgroup_prefers_unified_hierarchy() {
        assert_eq!(
            cgroup_path(b"0::/user.slice/x.scope\n"),
            b"/user.slice/x.scope"
        );
        assert_eq!(cgroup_path(b"12:cpu:/a\n0::/b\n"), b"/b");
        assert_eq!(cgroup_path(b""), b"");
    }
}
