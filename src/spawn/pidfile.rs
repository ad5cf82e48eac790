//! `--pidfile`: refusing to start over a live process, and writing the
//! file atomically (a temporary file in the same directory, renamed).

use std::path::Path;

/// The process a pidfile names, if it is alive: its pid and start time.
pub fn live_process(path: &Path) -> Option<(i32, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    let pid: i32 = text.trim().parse().ok().filter(|p| *p > 0)?;
    let stat = std::fs::read(format!("/proc/{pid}/stat")).ok()?;
    // A zombie has ended; it only waits for its parent.
    let after = &stat[stat.iter().rposition(|&b| b == b')')? + 1..];
    let fields: Vec<&[u8]> = after
        .split(|&b| b == b' ')
        .filter(|f| !f.is_empty())
        .collect();
    if fields.first() == Some(&&b"Z"[..]) {
        return None;
    }
    // starttime is field 22 of stat, the 20th after the name.
    let ticks: u64 = std::str::from_utf8(fields.get(19)?).ok()?.parse().ok()?;
    let facts = crate::model::system::SystemFacts::from_root(Path::new("/proc"));
    let start = facts.boot_time + (ticks / facts.hz.max(1)) as i64;
    let when =
        crate::columns::format_iso8601(start, &facts.tz).unwrap_or_else(|| start.to_string());
    Some((pid, when))
}

/// Writes `pid` to `path` atomically.
pub fn write(path: &Path, pid: i32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name()
            .map_or("pid".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    std::fs::write(&tmp, format!("{pid}\n"))?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_pid_is_found_and_a_dead_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.pid");
        write(&file, std::process::id() as i32).unwrap();
        let (pid, when) = live_process(&file).unwrap();
        assert_eq!(pid, std::process::id() as i32);
        assert!(when.starts_with("20"), "{when}");
        std::fs::write(&file, "not a pid\n").unwrap();
        assert!(live_process(&file).is_none());
        assert!(live_process(&dir.path().join("missing")).is_none());
    }
}
