//! Memory of a process from /proc/PID/smaps_rollup (proportional and
//! unique set sizes) and /proc/PID/status (the RSS split and peaks).

use std::path::Path;

use super::ProcessInfo;
use super::unreadable::{Section, read_file};

/// The sums of /proc/PID/smaps_rollup, in KiB (see proc(5), smaps).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rollup {
    pub rss: u64,
    pub pss: u64,
    pub pss_anon: u64,
    pub pss_file: u64,
    pub pss_shmem: u64,
    pub shared_clean: u64,
    pub shared_dirty: u64,
    pub private_clean: u64,
    pub private_dirty: u64,
    pub swap: u64,
    pub swap_pss: u64,
}

impl Rollup {
    /// Unique set size: the pages only this process maps (procps's `uss`).
    pub fn uss(&self) -> u64 {
        self.private_clean + self.private_dirty
    }

    /// Pages mapped by this process and others.
    pub fn shared(&self) -> u64 {
        self.shared_clean + self.shared_dirty
    }
}

/// Parses smaps_rollup ("Key:   N kB" lines; the first line is a header).
pub fn parse_rollup(bytes: &[u8]) -> Rollup {
    let mut r = Rollup::default();
    for line in bytes.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let value = std::str::from_utf8(&line[colon + 1..])
            .ok()
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok());
        let Some(value) = value else { continue };
        let slot = match &line[..colon] {
            b"Rss" => &mut r.rss,
            b"Pss" => &mut r.pss,
            b"Pss_Anon" => &mut r.pss_anon,
            b"Pss_File" => &mut r.pss_file,
            b"Pss_Shmem" => &mut r.pss_shmem,
            b"Shared_Clean" => &mut r.shared_clean,
            b"Shared_Dirty" => &mut r.shared_dirty,
            b"Private_Clean" => &mut r.private_clean,
            b"Private_Dirty" => &mut r.private_dirty,
            b"Swap" => &mut r.swap,
            b"SwapPss" => &mut r.swap_pss,
            _ => continue,
        };
        *slot = value;
    }
    r
}

/// Reads /proc/PID/smaps_rollup. A kernel thread or a zombie has an empty
/// one: that is reported as such, not as zeros.
pub fn read_rollup(dir: &Path, p: &ProcessInfo) -> Section<Rollup> {
    let bytes = read_file(dir, "smaps_rollup", p)?;
    if bytes.is_empty()
        && let Some(reason) = super::unreadable::Unreadable::not_applicable(p)
    {
        return Err(reason);
    }
    Ok(parse_rollup(&bytes))
}

/// PSS and USS of a process in KiB, for `ps -o pss,uss`; `None` when
/// smaps_rollup cannot be read (another user's process, a kernel thread).
pub fn pss_uss_kib(proc_root: &Path, pid: i32) -> Option<(u64, u64)> {
    let bytes = std::fs::read(proc_root.join(pid.to_string()).join("smaps_rollup")).ok()?;
    if bytes.is_empty() {
        return None;
    }
    let r = parse_rollup(&bytes);
    Some((r.pss, r.uss()))
}

/// The memory lines of /proc/PID/status, in KiB.
#[derive(Debug, Clone, Default)]
pub struct StatusMemory {
    pub size: Option<u64>,
    pub rss: Option<u64>,
    pub anon: Option<u64>,
    pub file: Option<u64>,
    pub shmem: Option<u64>,
    pub swap: Option<u64>,
    pub peak_size: Option<u64>,
    pub peak_rss: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollup_lines() {
        let text = b"56419f85b000-7fff638d8000 ---p 00000000 00:00 0    [rollup]\nRss:  3972 kB\nPss:   721 kB\nPss_Dirty: 591 kB\nPss_Anon: 591 kB\nPss_File: 130 kB\nPss_Shmem: 0 kB\nShared_Clean: 2996 kB\nShared_Dirty: 700 kB\nPrivate_Clean: 4 kB\nPrivate_Dirty: 272 kB\nSwap: 8 kB\nSwapPss: 3 kB\n";
        let r = parse_rollup(text);
        assert_eq!(r.rss, 3972);
        assert_eq!(r.pss, 721);
        assert_eq!(r.pss_anon + r.pss_file + r.pss_shmem, 721);
        assert_eq!(r.uss(), 276);
        assert_eq!(r.shared(), 3696);
        assert_eq!((r.swap, r.swap_pss), (8, 3));
    }
}
