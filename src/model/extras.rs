//! Facts only some `ps` columns need (CPU affinity, I/O priority, resource
//! limits, PSS and USS, how `--holding` paths are held), read after
//! selection for the rows that are printed, so `ps -p 1 -o pss` reads one
//! smaps_rollup and not every process's.

use std::path::Path;

use rayon::prelude::*;

use super::ProcessInfo;
use super::limits::{LimitInfo, from_procfs};
use super::sched::io_priority_raw;

/// Which extra facts to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wants {
    pub affinity: bool,
    pub io: bool,
    pub limits: bool,
    pub memory: bool,
}

impl Wants {
    /// Whether anything is wanted.
    pub fn any(self) -> bool {
        self != Wants::default()
    }
}

impl std::ops::BitOr for Wants {
    type Output = Wants;
    fn bitor(self, o: Wants) -> Wants {
        Wants {
            affinity: self.affinity || o.affinity,
            io: self.io || o.io,
            limits: self.limits || o.limits,
            memory: self.memory || o.memory,
        }
    }
}

/// The extra facts of one row; `None` when not read or unreadable.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The CPUs the thread may run on (Cpus_allowed_list), ascending.
    pub affinity: Option<Vec<usize>>,
    /// ioprio_get's raw value: the class above bit 13, the level below.
    pub io: Option<i32>,
    /// The process's limits in getrlimit(2)'s order (RLIMIT_CPU first).
    pub limits: Option<Vec<LimitInfo>>,
    /// PSS and USS in KiB, from smaps_rollup.
    pub pss_uss_kib: Option<(u64, u64)>,
    /// How the process holds the `--holding` paths (`fd 3 r`, `cwd`).
    pub holds: Option<Vec<String>>,
}

/// Parses the kernel's CPU list (`0-3,6`); `None` when malformed.
pub fn parse_kernel_cpu_list(text: &str) -> Option<Vec<usize>> {
    let mut cpus = Vec::new();
    for item in text.trim().split(',').filter(|s| !s.is_empty()) {
        let (a, b) = item.split_once('-').unwrap_or((item, item));
        let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
        if a > b {
            return None;
        }
        cpus.extend(a..=b);
    }
    Some(cpus)
}

/// The Cpus_allowed_list line of a status file.
fn affinity_of(status: &[u8]) -> Option<Vec<usize>> {
    let text = String::from_utf8_lossy(status);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?;
    parse_kernel_cpu_list(line)
}

fn limits_of(dir: &Path) -> Option<Vec<LimitInfo>> {
    let file = std::fs::File::open(dir.join("limits")).ok()?;
    let limits: procfs::process::Limits =
        procfs::FromBufRead::from_buf_read(std::io::BufReader::new(file)).ok()?;
    Some(from_procfs(&limits))
}

/// Reads what `wants` asks for, for each row, on all cores. Per-thread
/// facts (affinity, I/O priority) come from the row's own thread; `live`
/// allows the ioprio_get system call (a fixture tree's pids are not this
/// machine's).
pub fn fill(proc_root: &Path, live: bool, rows: &mut [ProcessInfo], wants: Wants) {
    if !wants.any() {
        return;
    }
    rows.par_iter_mut().for_each(|p| {
        let dir = proc_root.join(p.pid.to_string());
        let thread_dir = if p.tid == p.pid {
            dir.clone()
        } else {
            dir.join("task").join(p.tid.to_string())
        };
        let extras = p.extras.get_or_insert_with(Box::default);
        if wants.affinity {
            extras.affinity = std::fs::read(thread_dir.join("status"))
                .ok()
                .and_then(|s| affinity_of(&s));
        }
        if wants.io && live {
            extras.io = io_priority_raw(p.tid);
        }
        if wants.limits {
            extras.limits = limits_of(&dir);
        }
        if wants.memory {
            extras.pss_uss_kib = super::memory::pss_uss_kib(proc_root, p.pid);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_cpu_lists() {
        assert_eq!(parse_kernel_cpu_list("0-3,6\n"), Some(vec![0, 1, 2, 3, 6]));
        assert_eq!(parse_kernel_cpu_list("5"), Some(vec![5]));
        assert_eq!(parse_kernel_cpu_list(""), Some(vec![]));
        assert_eq!(parse_kernel_cpu_list("3-1"), None);
        assert_eq!(parse_kernel_cpu_list("x"), None);
        let status = b"Name:\tsleep\nCpus_allowed:\t0f\nCpus_allowed_list:\t0-1,3\n";
        assert_eq!(affinity_of(status), Some(vec![0, 1, 3]));
        assert_eq!(affinity_of(b"Name:\tx\n"), None);
    }

    #[test]
    fn own_facts_are_read() {
        let me = std::process::id() as i32;
        let mut rows = vec![ProcessInfo {
            pid: me,
            tid: me,
            ..ProcessInfo::default()
        }];
        let wants = Wants {
            affinity: true,
            io: true,
            limits: true,
            memory: true,
        };
        fill(Path::new("/proc"), true, &mut rows, wants);
        let e = rows[0].extras.as_deref().unwrap();
        assert!(!e.affinity.as_ref().unwrap().is_empty());
        assert!(e.io.is_some());
        assert_eq!(e.limits.as_ref().unwrap().len(), 16);
        assert!(e.pss_uss_kib.unwrap().0 > 0);
    }
}
