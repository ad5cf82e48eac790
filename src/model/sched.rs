//! Scheduling of a process: policy and real-time priority, CPU affinity,
//! I/O class and level (ioprio_get), and the OOM killer's score.

use std::path::Path;

/// The scheduling facts `show` reports.
#[derive(Debug, Clone, Default)]
pub struct Scheduling {
    pub rt_priority: Option<u32>,
    /// The CPUs the process may run on, as the kernel lists them ("0-3,6").
    pub affinity: Option<String>,
    pub io: Option<IoPriority>,
    pub oom_score: Option<i64>,
    pub oom_score_adj: Option<i64>,
}

/// An I/O scheduling class and level (ionice(1)'s terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IoPriority {
    pub class: IoClass,
    /// 0 (highest) to 7; none for the idle class.
    pub level: Option<u8>,
}

/// The I/O scheduling classes of ioprio_set(2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoClass {
    /// No class set: best-effort at a level derived from nice.
    None,
    Realtime,
    BestEffort,
    Idle,
}

/// The classes: ionice(1)'s name and the kernel's number.
const IO_CLASSES: [(&str, IoClass, u32); 4] = [
    ("none", IoClass::None, 0),
    ("realtime", IoClass::Realtime, 1),
    ("best-effort", IoClass::BestEffort, 2),
    ("idle", IoClass::Idle, 3),
];

/// Where the class sits in an ioprio value (ioprio_set(2)).
pub const IOPRIO_CLASS_SHIFT: u32 = 13;

impl IoClass {
    fn row(self) -> &'static (&'static str, IoClass, u32) {
        IO_CLASSES
            .iter()
            .find(|r| r.1 == self)
            .unwrap_or(&IO_CLASSES[0])
    }

    /// ionice(1)'s name of the class.
    pub fn name(self) -> &'static str {
        self.row().0
    }

    /// The kernel's number for it.
    pub fn number(self) -> u32 {
        self.row().2
    }

    /// The class with this kernel number.
    pub fn from_number(n: u32) -> Option<IoClass> {
        IO_CLASSES.iter().find(|r| r.2 == n).map(|r| r.1)
    }
}

/// Decodes ioprio_get's value: the class in the bits above 13, the level
/// below (ioprio_set(2)). A process with no class runs best-effort at
/// (nice + 20) / 5, which is the level shown for it.
pub fn decode_ioprio(value: i32, nice: i64) -> IoPriority {
    let class = u32::try_from(value >> IOPRIO_CLASS_SHIFT)
        .ok()
        .and_then(IoClass::from_number)
        .unwrap_or(IoClass::None);
    let level = match class {
        IoClass::Idle => None,
        IoClass::None => Some(((nice.clamp(-20, 19) + 20) / 5) as u8),
        _ => Some((value & 0x1fff) as u8),
    };
    IoPriority { class, level }
}

/// The I/O priority of a live process (ioprio_get has no /proc file).
pub fn io_priority(pid: i32, nice: i64) -> Option<IoPriority> {
    io_priority_raw(pid).map(|value| decode_ioprio(value, nice))
}

/// ioprio_get's raw value for one thread of this machine (IOPRIO_WHO_PROCESS
/// names a thread id), or `None` when it is gone.
pub fn io_priority_raw(tid: i32) -> Option<i32> {
    const IOPRIO_WHO_PROCESS: libc::c_long = 1;
    // SAFETY: ioprio_get takes two integers and touches no memory.
    let value = unsafe {
        libc::syscall(
            libc::SYS_ioprio_get,
            IOPRIO_WHO_PROCESS,
            tid as libc::c_long,
        )
    };
    (value >= 0).then_some(value as i32)
}

fn number(dir: &Path, name: &str) -> Option<i64> {
    std::fs::read_to_string(dir.join(name))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads the scheduling facts; `live` allows the ioprio_get system call
/// (a fixture tree's pids are not this machine's).
pub fn read_scheduling(
    dir: &Path,
    stat: &[u8],
    status: &dyn Fn(&str) -> Option<String>,
    pid: i32,
    nice: i64,
    live: bool,
) -> Scheduling {
    let rt_priority = procfs::FromRead::from_read(stat)
        .ok()
        .and_then(|s: procfs::process::Stat| s.rt_priority);
    Scheduling {
        rt_priority,
        affinity: status("Cpus_allowed_list"),
        io: if live { io_priority(pid, nice) } else { None },
        oom_score: number(dir, "oom_score"),
        oom_score_adj: number(dir, "oom_score_adj"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ioprio_values() {
        assert_eq!(
            decode_ioprio(0, 0),
            IoPriority {
                class: IoClass::None,
                level: Some(4)
            }
        );
        assert_eq!(
            decode_ioprio((2 << 13) | 7, 0),
            IoPriority {
                class: IoClass::BestEffort,
                level: Some(7)
            }
        );
        assert_eq!(decode_ioprio(3 << 13, 0).level, None);
        assert_eq!(decode_ioprio(1 << 13, 0).class, IoClass::Realtime);
        assert_eq!(decode_ioprio(0, 19).level, Some(7));
    }
}
