//! The system summary of a frame: uptime, load averages, task counts, CPU
//! shares and memory, read from /proc/stat, /proc/loadavg, /proc/meminfo
//! and /proc/uptime (any of them may be missing from a fixture tree: its
//! figures are then zero), and the count of logged-in users from utmp.

use std::path::Path;

use crate::model::ProcessInfo;

/// Jiffies spent in each CPU state, from a `cpu` line of /proc/stat
/// (proc(5)): user nice system idle iowait irq softirq steal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CpuTimes {
    pub user: u64,
    pub nice: u64,
    pub system: u64,
    pub idle: u64,
    pub iowait: u64,
    pub irq: u64,
    pub softirq: u64,
    pub steal: u64,
}

impl CpuTimes {
    fn parse(fields: &str) -> CpuTimes {
        let mut n = fields
            .split_whitespace()
            .map(|f| f.parse::<u64>().unwrap_or(0));
        let mut next = || n.next().unwrap_or(0);
        CpuTimes {
            user: next(),
            nice: next(),
            system: next(),
            idle: next(),
            iowait: next(),
            irq: next(),
            softirq: next(),
            steal: next(),
        }
    }

    /// What was spent since `earlier` (a counter that went back counts as 0).
    pub fn since(&self, earlier: &CpuTimes) -> CpuTimes {
        CpuTimes {
            user: self.user.saturating_sub(earlier.user),
            nice: self.nice.saturating_sub(earlier.nice),
            system: self.system.saturating_sub(earlier.system),
            idle: self.idle.saturating_sub(earlier.idle),
            iowait: self.iowait.saturating_sub(earlier.iowait),
            irq: self.irq.saturating_sub(earlier.irq),
            softirq: self.softirq.saturating_sub(earlier.softirq),
            steal: self.steal.saturating_sub(earlier.steal),
        }
    }

    /// The shares of each state, in percent.
    pub fn shares(&self) -> CpuShare {
        let total = self.user
            + self.nice
            + self.system
            + self.idle
            + self.iowait
            + self.irq
            + self.softirq
            + self.steal;
        let pct = |v: u64| {
            if total == 0 {
                0.0
            } else {
                v as f64 * 100.0 / total as f64
            }
        };
        CpuShare {
            user: pct(self.user),
            nice: pct(self.nice),
            system: pct(self.system),
            idle: if total == 0 { 100.0 } else { pct(self.idle) },
            iowait: pct(self.iowait),
            irq: pct(self.irq),
            softirq: pct(self.softirq),
            steal: pct(self.steal),
        }
    }
}

/// CPU time shares in percent over the frame's interval.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CpuShare {
    pub user: f64,
    pub nice: f64,
    pub system: f64,
    pub idle: f64,
    pub iowait: f64,
    pub irq: f64,
    pub softirq: f64,
    pub steal: f64,
}

impl CpuShare {
    /// Everything but idle and iowait, in percent.
    pub fn busy(&self) -> f64 {
        self.user + self.nice + self.system + self.irq + self.softirq + self.steal
    }
}

/// Memory and swap in KiB (/proc/meminfo).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    pub total: u64,
    pub free: u64,
    pub available: u64,
    /// Buffers, page cache and reclaimable slab, as free(1) counts buff/cache.
    pub buff_cache: u64,
    pub swap_total: u64,
    pub swap_free: u64,
}

impl Memory {
    /// Used memory as free(1) of procps 4 computes it: total less available.
    pub fn used(&self) -> u64 {
        self.total.saturating_sub(self.available)
    }

    pub fn swap_used(&self) -> u64 {
        self.swap_total.saturating_sub(self.swap_free)
    }
}

/// Task counts by state, as top groups them: sleeping counts S, D and I;
/// stopped counts T and t.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tasks {
    pub total: usize,
    pub running: usize,
    pub sleeping: usize,
    pub stopped: usize,
    pub zombie: usize,
}

impl Tasks {
    /// Counts the given processes.
    pub fn count<'a>(procs: impl IntoIterator<Item = &'a ProcessInfo>) -> Tasks {
        let mut t = Tasks::default();
        for p in procs {
            t.total += 1;
            match p.state {
                'R' => t.running += 1,
                'T' | 't' => t.stopped += 1,
                'Z' => t.zombie += 1,
                _ => t.sleeping += 1,
            }
        }
        t
    }
}

/// The raw counters of one read, kept to compute the next frame's shares.
#[derive(Debug, Clone, Default)]
pub struct CpuCounters {
    pub total: CpuTimes,
    pub per_cpu: Vec<CpuTimes>,
}

/// Reads the CPU counters from `stat` under the /proc root.
pub fn read_cpu(root: &Path) -> CpuCounters {
    let text = std::fs::read_to_string(root.join("stat")).unwrap_or_default();
    let mut counters = CpuCounters::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("cpu") else {
            continue;
        };
        if let Some(fields) = rest.strip_prefix(' ') {
            counters.total = CpuTimes::parse(fields);
        } else if let Some((_, fields)) = rest.split_once(' ') {
            counters.per_cpu.push(CpuTimes::parse(fields));
        }
    }
    counters
}

/// The three load averages from `loadavg`.
pub fn read_load(root: &Path) -> [f64; 3] {
    let text = std::fs::read_to_string(root.join("loadavg")).unwrap_or_default();
    let mut load = [0.0; 3];
    for (slot, word) in load.iter_mut().zip(text.split_whitespace()) {
        *slot = word.parse().unwrap_or(0.0);
    }
    load
}

/// Memory figures from `meminfo`.
pub fn read_memory(root: &Path) -> Memory {
    let text = std::fs::read_to_string(root.join("meminfo")).unwrap_or_default();
    let field = |name: &str| -> Option<u64> {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    let total = field("MemTotal").unwrap_or(0);
    let free = field("MemFree").unwrap_or(0);
    let buff_cache = field("Buffers").unwrap_or(0)
        + field("Cached").unwrap_or(0)
        + field("SReclaimable").unwrap_or(0);
    Memory {
        total,
        free,
        // Kernels before 3.14 have no MemAvailable: free(1) then estimates
        // it as free plus buff/cache.
        available: field("MemAvailable").unwrap_or((free + buff_cache).min(total)),
        buff_cache,
        swap_total: field("SwapTotal").unwrap_or(0),
        swap_free: field("SwapFree").unwrap_or(0),
    }
}

/// Where glibc keeps the utmp records (`_PATH_UTMP`, utmp(5)).
pub const UTMP: &str = "/var/run/utmp";

/// Logged-in users as top's first line counts them in procps 4.0.2 (the
/// procps this project is compared with; its library/uptime.c): utmp
/// records of type USER_PROCESS with a user name. None without a utmp
/// file (a container often has none): top says 0 then.
pub fn read_users(utmp: &Path) -> usize {
    let Ok(bytes) = std::fs::read(utmp) else {
        return 0;
    };
    let size = std::mem::size_of::<libc::utmpx>();
    let kind = std::mem::offset_of!(libc::utmpx, ut_type);
    let user = std::mem::offset_of!(libc::utmpx, ut_user);
    bytes
        .chunks_exact(size)
        .filter(|r| {
            i16::from_ne_bytes([r[kind], r[kind + 1]]) == libc::USER_PROCESS && r[user] != 0
        })
        .count()
}

/// The system part of a frame.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The frame's time, seconds since the epoch.
    pub now: i64,
    pub uptime_secs: u64,
    pub load: [f64; 3],
    /// Logged-in users (utmp); 0 for a fixture /proc tree.
    pub users: usize,
    pub tasks: Tasks,
    pub cpu: CpuShare,
    pub per_cpu: Vec<CpuShare>,
    pub memory: Memory,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lines_and_shares() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("stat"),
            "cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 5 0 5 40\ncpu1 5 0 5 40 0 0 0 0\nintr 1\n",
        )
        .unwrap();
        let c = read_cpu(dir.path());
        assert_eq!(c.per_cpu.len(), 2);
        assert_eq!(c.total.idle, 80);
        let share = c.total.shares();
        assert_eq!(share.user, 10.0);
        assert_eq!(share.busy(), 20.0);
        let later = CpuTimes {
            user: 20,
            idle: 90,
            ..c.total
        };
        assert_eq!(later.since(&c.total).shares().user, 50.0);
        assert_eq!(CpuTimes::default().shares().idle, 100.0);
    }

    #[test]
    fn memory_and_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("meminfo"),
            "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\nBuffers: 50 kB\nCached: 300 kB\nSwapCached: 7 kB\nSwapTotal: 200 kB\nSwapFree: 150 kB\nSReclaimable: 20 kB\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("loadavg"), "0.50 1.25 2.00 1/100 42\n").unwrap();
        let m = read_memory(dir.path());
        assert_eq!(m.buff_cache, 370);
        assert_eq!(m.used(), 400);
        assert_eq!(m.swap_used(), 50);
        assert_eq!(read_load(dir.path()), [0.5, 1.25, 2.0]);
        assert_eq!(read_load(Path::new("/nonexistent")), [0.0; 3]);
    }

    #[test]
    fn users_are_named_user_process_records() {
        let size = std::mem::size_of::<libc::utmpx>();
        let record = |kind: i16, name: &[u8]| {
            let mut r = vec![0u8; size];
            let at = std::mem::offset_of!(libc::utmpx, ut_type);
            r[at..at + 2].copy_from_slice(&kind.to_ne_bytes());
            let at = std::mem::offset_of!(libc::utmpx, ut_user);
            r[at..at + name.len()].copy_from_slice(name);
            r
        };
        let mut file = Vec::new();
        file.extend(record(libc::BOOT_TIME, b"reboot"));
        file.extend(record(libc::USER_PROCESS, b"alice"));
        file.extend(record(libc::USER_PROCESS, b""));
        file.extend(record(libc::DEAD_PROCESS, b"bob"));
        file.extend(record(libc::USER_PROCESS, b"carol"));
        // A record cut short (a file being written) is not counted.
        file.extend(&record(libc::USER_PROCESS, b"dave")[..size / 2]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("utmp");
        std::fs::write(&path, file).unwrap();
        assert_eq!(read_users(&path), 2);
        assert_eq!(read_users(&dir.path().join("none")), 0);
    }

    #[test]
    fn tasks_by_state() {
        let procs: Vec<ProcessInfo> = "RSDIZTt"
            .chars()
            .map(|state| ProcessInfo {
                state,
                ..ProcessInfo::default()
            })
            .collect();
        let t = Tasks::count(&procs);
        assert_eq!(
            (t.total, t.running, t.sleeping, t.stopped, t.zombie),
            (7, 1, 3, 2, 1)
        );
    }
}
