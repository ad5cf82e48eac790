//! Namespaces of a process: each type's inode from /proc/PID/ns, whether it
//! differs from pid 1's, and the pid chain across pid namespaces (NSpid).

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::ProcessInfo;
use super::unreadable::{Section, Unreadable};

/// The namespace types of /proc/PID/ns (namespaces(7)), in that order.
pub const NS_TYPES: &[&str] = &[
    "cgroup",
    "ipc",
    "mnt",
    "net",
    "pid",
    "pid_for_children",
    "time",
    "time_for_children",
    "user",
    "uts",
];

/// One namespace of a process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub kind: &'static str,
    pub inode: u64,
    /// Whether pid 1's differs; `None` when pid 1's cannot be read.
    pub differs_from_init: Option<bool>,
}

/// The namespaces of a process; types the kernel lacks are skipped.
pub fn read_namespaces(proc_root: &Path, pid: i32, p: &ProcessInfo) -> Section<Vec<Namespace>> {
    let dir = proc_root.join(pid.to_string()).join("ns");
    let init = proc_root.join("1").join("ns");
    let mut list = Vec::new();
    let mut first_error = None;
    for kind in NS_TYPES {
        // stat follows the link to the namespace's own inode (nsfs).
        match std::fs::metadata(dir.join(kind)) {
            Ok(m) => list.push(Namespace {
                kind,
                inode: m.ino(),
                differs_from_init: std::fs::metadata(init.join(kind))
                    .ok()
                    .map(|i| i.ino() != m.ino()),
            }),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) && !p.is_zombie() => {}
            Err(e) => {
                first_error.get_or_insert(Unreadable::from_io(&e, p));
            }
        }
    }
    match first_error {
        Some(e) if list.is_empty() => Err(e),
        None if list.is_empty() => Err(Unreadable::NoSuchFile),
        _ => Ok(list),
    }
}

/// The ids of a process in each pid namespace, outermost first (status's
/// NSpid, NStgid).
pub fn id_chain(value: Option<String>) -> Vec<i32> {
    value
        .map(|v| {
            v.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}
