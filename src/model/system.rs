//! System-wide figures that per-process values are computed against: clock
//! ticks, boot time, uptime, total memory and the current time.

use std::path::Path;

use jiff::tz::TimeZone;

/// Figures read once per run.
#[derive(Debug, Clone)]
pub struct SystemFacts {
    /// Clock ticks per second (USER_HZ).
    pub hz: u64,
    /// Page size in KiB.
    pub page_kib: u64,
    /// Boot time, seconds since the epoch (the `btime` line of /proc/stat).
    pub boot_time: i64,
    /// Ticks since boot, now (CLOCK_BOOTTIME), as procps computes elapsed times.
    pub boot_ticks: u64,
    /// The current time, seconds since the epoch.
    pub now: i64,
    /// Total memory in KiB.
    pub mem_total_kib: u64,
    /// The local time zone, for start times.
    pub tz: TimeZone,
}

impl SystemFacts {
    /// Reads the live system: sysinfo for boot time and memory, the clock for uptime.
    pub fn live() -> SystemFacts {
        let hz = procfs::ticks_per_second().max(1);
        let mem_total_kib = sysinfo::System::new()
            .map(|mut sys| {
                sys.refresh_memory();
                sys.total_memory() / 1024
            })
            .unwrap_or(0);
        let uptime = nix::time::clock_gettime(nix::time::ClockId::CLOCK_BOOTTIME)
            .map_or(0.0, |t| t.tv_sec() as f64 + t.tv_nsec() as f64 * 1e-9);
        SystemFacts {
            hz,
            page_kib: (procfs::page_size() / 1024).max(1),
            boot_time: sysinfo::System::boot_time().map_or(0, |t| t as i64),
            boot_ticks: (uptime * hz as f64) as u64,
            now: now_override().unwrap_or_else(|| jiff::Timestamp::now().as_second()),
            mem_total_kib,
            tz: TimeZone::system(),
        }
    }

    /// Reads a fixture /proc tree: `stat` (btime), `uptime` and `meminfo`.
    /// PROCTL_NOW (seconds since the epoch) fixes the current time for golden tests.
    pub fn from_root(root: &Path) -> SystemFacts {
        let hz = procfs::ticks_per_second().max(1);
        let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap_or_default();
        let boot_time = read("stat")
            .lines()
            .find_map(|l| l.strip_prefix("btime "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let uptime: f64 = read("uptime")
            .split_whitespace()
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let mem_total_kib = read("meminfo")
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0);
        SystemFacts {
            hz,
            page_kib: (procfs::page_size() / 1024).max(1),
            boot_time,
            boot_ticks: (uptime * hz as f64) as u64,
            now: now_override().unwrap_or(boot_time + uptime as i64),
            mem_total_kib,
            tz: TimeZone::system(),
        }
    }

    /// Seconds a process has existed, given its start in ticks since boot.
    pub fn elapsed_secs(&self, start_ticks: u64) -> f64 {
        self.boot_ticks.saturating_sub(start_ticks) as f64 / self.hz as f64
    }

    /// A process's start time in seconds since the epoch (whole seconds, as procps).
    pub fn start_epoch(&self, start_ticks: u64) -> i64 {
        self.boot_time
            .saturating_add((start_ticks / self.hz) as i64)
    }
}

fn now_override() -> Option<i64> {
    std::env::var("PROCTL_NOW").ok()?.parse().ok()
}
