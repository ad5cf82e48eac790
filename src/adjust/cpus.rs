//! CPU lists in taskset(1)'s syntax: `0`, `0-3`, `0,2,4-7`, `0-7:2`.

use crate::error::{Error, Result};

/// Parses a CPU list; every CPU must be below `possible` (the kernel's
/// count of possible CPUs).
pub fn parse_cpu_list(text: &str, possible: usize) -> Result<Vec<usize>> {
    let bad = |why: &str| Error::usage(format!("invalid --affinity '{text}': {why}"));
    let mut cpus = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad("an empty item; use 0, 0-3 or 0,2,4-7"));
        }
        let (range, stride) = match item.split_once(':') {
            Some((r, s)) => (
                r,
                s.parse::<usize>()
                    .ok()
                    .filter(|&s| s > 0)
                    .ok_or_else(|| bad("the stride after ':' must be a positive number"))?,
            ),
            None => (item, 1),
        };
        let number = |t: &str| {
            t.trim()
                .parse::<usize>()
                .map_err(|_| bad("use CPU numbers: 0, 0-3 or 0,2,4-7"))
        };
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => (number(range)?, number(range)?),
        };
        if first > last {
            return Err(bad("a range must go upwards"));
        }
        cpus.extend((first..=last).step_by(stride));
    }
    if let Some(&cpu) = cpus.iter().find(|&&c| c >= possible) {
        return Err(Error::usage(format!(
            "invalid --affinity '{text}': CPU {cpu} does not exist (this machine has CPUs 0-{})",
            possible.saturating_sub(1)
        )));
    }
    cpus.sort_unstable();
    cpus.dedup();
    Ok(cpus)
}

/// Formats CPUs as a compact list: `0-3,6`.
pub fn format_cpu_list(cpus: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let start = cpus[i];
        let mut end = start;
        while i + 1 < cpus.len() && cpus[i + 1] == end + 1 {
            i += 1;
            end = cpus[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(",")
}

/// How many CPUs the kernel could ever bring online (from
/// /sys/devices/system/cpu/possible, else the configured count).
pub fn possible_cpus() -> usize {
    std::fs::read_to_string("/sys/devices/system/cpu/possible")
        .ok()
        .and_then(|list| {
            let last = list.trim().rsplit([',', '-']).next()?;
            last.parse::<usize>().ok().map(|n| n + 1)
        })
        .unwrap_or_else(|| {
            // SAFETY: sysconf has no preconditions.
            let n = unsafe { nix::libc::sysconf(nix::libc::_SC_NPROCESSORS_CONF) };
            usize::try_from(n).unwrap_or(1).max(1)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taskset_forms() {
        assert_eq!(parse_cpu_list("0", 8).unwrap(), [0]);
        assert_eq!(parse_cpu_list("0-3", 8).unwrap(), [0, 1, 2, 3]);
        assert_eq!(parse_cpu_list("0,2,4-7", 8).unwrap(), [0, 2, 4, 5, 6, 7]);
        assert_eq!(parse_cpu_list("0-7:2", 8).unwrap(), [0, 2, 4, 6]);
        assert_eq!(parse_cpu_list("3,1,1", 8).unwrap(), [1, 3]);
    }

    #[test]
    fn bad_lists() {
        for bad in ["", "a", "3-1", "1,,2", "0-3:0", "-1"] {
            assert!(parse_cpu_list(bad, 8).is_err(), "{bad}");
        }
        let err = parse_cpu_list("0-8", 8).unwrap_err().to_string();
        assert!(err.contains("CPU 8 does not exist"), "{err}");
    }

    #[test]
    fn compact_format() {
        assert_eq!(format_cpu_list(&[0, 1, 2, 3, 6]), "0-3,6");
        assert_eq!(format_cpu_list(&[1]), "1");
        assert_eq!(format_cpu_list(&[]), "");
    }
}
