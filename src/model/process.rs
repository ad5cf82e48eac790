//! One process (or thread) as plain values, and which /proc files a view needs.

use std::ops::BitOr;

/// The kernel marks its own threads with this flag in /proc/PID/stat.
const PF_KTHREAD: u32 = 0x0020_0000;

/// Which optional /proc files to read for each process. `stat` is always read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    pub status: bool,
    pub cmdline: bool,
    pub io: bool,
    pub fds: bool,
    pub exe: bool,
    pub cwd: bool,
    pub cgroup: bool,
    pub wchan: bool,
}

impl BitOr for Needs {
    type Output = Needs;
    fn bitor(self, o: Needs) -> Needs {
        Needs {
            status: self.status || o.status,
            cmdline: self.cmdline || o.cmdline,
            io: self.io || o.io,
            fds: self.fds || o.fds,
            exe: self.exe || o.exe,
            cwd: self.cwd || o.cwd,
            cgroup: self.cgroup || o.cgroup,
            wchan: self.wchan || o.wchan,
        }
    }
}

impl Needs {
    /// Only /proc/PID/stat.
    pub const STAT: Needs = Needs {
        status: false,
        cmdline: false,
        io: false,
        fds: false,
        exe: false,
        cwd: false,
        cgroup: false,
        wchan: false,
    };
    /// stat and status.
    pub const STATUS: Needs = Needs {
        status: true,
        ..Needs::STAT
    };
    /// stat and cmdline.
    pub const CMDLINE: Needs = Needs {
        cmdline: true,
        ..Needs::STAT
    };
}

/// Fields of /proc/PID/status that proctl uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusInfo {
    /// Real, effective, saved and filesystem user ids.
    pub uids: [u32; 4],
    /// Real, effective, saved and filesystem group ids.
    pub gids: [u32; 4],
    /// Locked memory in KiB (VmLck).
    pub vm_lock_kib: u64,
    /// Resident memory in KiB (VmRSS): an exact sum, where stat's rss is
    /// the kernel's approximate per-CPU counter. None for zombies.
    pub vm_rss_kib: Option<u64>,
    /// Voluntary context switches.
    pub voluntary_ctxt: Option<u64>,
    /// Involuntary context switches.
    pub nonvoluntary_ctxt: Option<u64>,
    /// Signal masks as the hexadecimal text of status: pending for the
    /// thread (SigPnd) and the process (ShdPnd), blocked, ignored, caught.
    pub sig_pnd: String,
    pub shd_pnd: String,
    pub sig_blk: String,
    pub sig_ign: String,
    pub sig_cgt: String,
    /// Supplementary group ids (the Groups line).
    pub groups: Vec<u32>,
    /// VmSize, VmData and VmStk in KiB (0 when absent, as for zombies).
    pub vm_size_kib: u64,
    pub vm_data_kib: u64,
    pub vm_stk_kib: u64,
}

/// Disk I/O counters from /proc/PID/io.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IoInfo {
    pub read_bytes: u64,
    pub write_bytes: u64,
}

/// A process or a thread, as read from /proc. `None` means unreadable or not read.
#[derive(Debug, Clone, Default)]
pub struct ProcessInfo {
    /// Process id (the thread group id).
    pub pid: i32,
    /// Thread id: equal to `pid` for process rows.
    pub tid: i32,
    /// The name from /proc/PID/stat, as raw bytes.
    pub name: Vec<u8>,
    /// State letter: R, S, D, Z, T, t, I, X.
    pub state: char,
    pub ppid: i32,
    pub pgrp: i32,
    pub session: i32,
    pub tty_nr: i32,
    pub tpgid: i32,
    /// Kernel flags (PF_*).
    pub flags: u32,
    /// User and system CPU time in clock ticks.
    pub utime: u64,
    pub stime: u64,
    /// Kernel priority as /proc shows it (-100..39).
    pub priority: i64,
    pub nice: i64,
    pub num_threads: i64,
    /// Start time in clock ticks since boot.
    pub start_ticks: u64,
    pub vsize_bytes: u64,
    pub rss_pages: u64,
    /// The CPU the process last ran on.
    pub processor: Option<i32>,
    /// Scheduling policy (0 normal, 1 FIFO, 2 RR, 3 batch, 5 idle, 6 deadline).
    pub policy: Option<u32>,
    /// Effective uid: from status when read, else the owner of /proc/PID.
    pub euid: Option<u32>,
    pub status: Option<StatusInfo>,
    /// The raw command line (NUL-separated); empty for kernel threads and zombies.
    pub cmdline: Option<Vec<u8>>,
    pub exe: Option<Vec<u8>>,
    pub cwd: Option<Vec<u8>>,
    pub fds: Option<u64>,
    pub io: Option<IoInfo>,
    pub cgroup: Option<Vec<u8>>,
    pub wchan: Option<String>,
    /// Page faults: minor, major, and those of waited-for children.
    pub minflt: u64,
    pub majflt: u64,
    pub cminflt: u64,
    pub cmajflt: u64,
    /// CPU time of waited-for children, in clock ticks.
    pub cutime: u64,
    pub cstime: u64,
    /// Real-time priority (0 for normal policies).
    pub rt_priority: u32,
    /// Code segment bounds, stack start and saved stack/instruction pointers.
    pub start_code: u64,
    pub end_code: u64,
    pub start_stack: u64,
    pub kstk_esp: u64,
    pub kstk_eip: u64,
    /// The RSS limit in bytes (RLIMIT_RSS; u64::MAX when unlimited).
    pub rsslim: u64,
    /// %CPU measured over a sampling interval (`--sample`).
    pub sampled_cpu: Option<f64>,
    /// Listening ports as `PORT/proto`; `None` when not read or unreadable.
    pub ports: Option<Vec<String>>,
    /// What only some columns need (affinity, limits, PSS, holds), read
    /// after selection; boxed so rows without them stay small.
    pub extras: Option<Box<super::extras::Extras>>,
}

impl ProcessInfo {
    /// Whether this is a kernel thread.
    pub fn is_kernel_thread(&self) -> bool {
        self.flags & PF_KTHREAD != 0
    }

    /// Total CPU time in clock ticks.
    pub fn cpu_ticks(&self) -> u64 {
        self.utime.saturating_add(self.stime)
    }

    /// The command line as display bytes: arguments joined by spaces, or
    /// `[name]` when it is empty (kernel threads, zombies), as procps does.
    pub fn command_line(&self) -> Vec<u8> {
        match &self.cmdline {
            Some(raw) if !raw.is_empty() && raw.iter().any(|&b| b != 0) => {
                let trimmed = raw.strip_suffix(b"\0").unwrap_or(raw);
                trimmed
                    .iter()
                    .map(|&b| if b == 0 { b' ' } else { b })
                    .collect()
            }
            _ => {
                let mut out = Vec::with_capacity(self.name.len() + 2);
                out.push(b'[');
                out.extend_from_slice(&self.name);
                out.push(b']');
                out
            }
        }
    }

    /// The arguments as separate byte strings.
    pub fn args(&self) -> Vec<&[u8]> {
        match &self.cmdline {
            Some(raw) => {
                let trimmed = raw.strip_suffix(b"\0").unwrap_or(raw);
                if trimmed.is_empty() {
                    Vec::new()
                } else {
                    trimmed.split(|&b| b == 0).collect()
                }
            }
            None => Vec::new(),
        }
    }

    /// Whether the process is a zombie.
    pub fn is_zombie(&self) -> bool {
        self.state == 'Z'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cmdline(raw: &[u8]) -> ProcessInfo {
        ProcessInfo {
            name: b"sleep".to_vec(),
            cmdline: Some(raw.to_vec()),
            ..ProcessInfo::default()
        }
    }

    #[test]
    fn command_line_joins_arguments() {
        assert_eq!(with_cmdline(b"sleep\x0010\x00").command_line(), b"sleep 10");
        assert_eq!(
            with_cmdline(b"title set by setproctitle").command_line(),
            b"title set by setproctitle"
        );
    }

    #[test]
    fn empty_command_line_shows_bracketed_name() {
        assert_eq!(with_cmdline(b"").command_line(), b"[sleep]");
        let unread = ProcessInfo {
            name: b"kthreadd".to_vec(),
            ..ProcessInfo::default()
        };
        assert_eq!(unread.command_line(), b"[kthreadd]");
    }

    #[test]
    fn args_split_on_nul() {
        let p = with_cmdline(b"a\x00b c\x00\x00d\x00");
        assert_eq!(p.args(), vec![&b"a"[..], b"b c", b"", b"d"]);
    }

    #[test]
    fn needs_union() {
        let n = Needs::STATUS | Needs::CMDLINE;
        assert!(n.status && n.cmdline && !n.io);
    }
}
