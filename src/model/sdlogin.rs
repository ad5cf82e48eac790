//! What systemd's sd-login functions say of a process, read the way they
//! read it (sd_pid_get_session(3), sd_pid_get_owner_uid, sd_pid_get_unit,
//! sd_pid_get_user_unit, sd_pid_get_slice, sd_pid_get_machine_name,
//! sd_session_get_seat): from the process's path in systemd's cgroup
//! hierarchy, relative to pid 1's, and from /run/systemd. procps-ng's ps
//! prints these (keys `lsession seat machine ouid unit uunit slice`) and
//! `-` where a function fails; nothing needs systemd to be running.

use std::path::Path;

/// How the cgroup hierarchies are mounted (systemd's "unified", "hybrid"
/// and "legacy" setups), which decides the line of /proc/PID/cgroup that
/// holds systemd's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// cgroup v2 on /sys/fs/cgroup, or v2 beside v1 (hybrid): the `0::` line.
    Unified,
    /// v1 only: the line of the `name=systemd` hierarchy.
    Legacy,
    /// No cgroup file system where systemd looks: every function fails.
    Unknown,
}

impl Layout {
    /// Looks at the file systems mounted on /sys/fs/cgroup (once a run).
    pub fn detect() -> Layout {
        use nix::sys::statfs::{CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC, TMPFS_MAGIC, statfs};
        let kind = |p: &str| statfs(p).ok().map(|s| s.filesystem_type());
        match kind("/sys/fs/cgroup/") {
            Some(t) if t == CGROUP2_SUPER_MAGIC => Layout::Unified,
            Some(t) if t == TMPFS_MAGIC => {
                if kind("/sys/fs/cgroup/unified/") == Some(CGROUP2_SUPER_MAGIC) {
                    return Layout::Unified;
                }
                match kind("/sys/fs/cgroup/systemd/") {
                    Some(t) if t == CGROUP2_SUPER_MAGIC => Layout::Unified,
                    Some(t) if t == CGROUP_SUPER_MAGIC => Layout::Legacy,
                    None => Layout::Legacy,
                    _ => Layout::Unknown,
                }
            }
            _ => Layout::Unknown,
        }
    }
}

/// systemd's path of a process from its /proc/PID/cgroup text.
pub fn systemd_path(cgroup: &[u8], layout: Layout) -> Option<String> {
    let text = String::from_utf8_lossy(cgroup);
    let path = text.lines().find_map(|line| match layout {
        Layout::Unified => line.strip_prefix("0:")?.split_once(':').map(|(_, p)| p),
        Layout::Legacy => {
            let (_, rest) = line.split_once(':')?;
            let (controllers, path) = rest.split_once(':')?;
            controllers
                .split(',')
                .any(|c| c == "name=systemd")
                .then_some(path)
        }
        Layout::Unknown => None,
    })?;
    // A zombie's path ends so.
    Some(path.strip_suffix(" (deleted)").unwrap_or(path).to_string())
}

/// The root systemd measures from: pid 1's path without its own unit.
pub fn root_of(init_path: &str) -> String {
    for tail in ["/init.scope", "/system.slice", "/system"] {
        if let Some(root) = init_path.strip_suffix(tail) {
            return root.to_string();
        }
    }
    init_path.to_string()
}

/// `path` relative to `root`, as systemd's cg_shift_path: when the root is
/// a leading run of whole components, what follows it, from the slash
/// before it.
pub fn shift<'a>(path: &'a str, root: &str) -> &'a str {
    match after_prefix(path, root) {
        Some(at) if at > 0 => &path[at - 1..],
        _ => path,
    }
}

/// Where the rest of `path` starts once `prefix`'s components matched
/// (systemd's path_startswith); `None` when they do not.
fn after_prefix(path: &str, prefix: &str) -> Option<usize> {
    if path.starts_with('/') != prefix.starts_with('/') {
        return None;
    }
    let comps = |s: &str| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'/' {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && b[i] != b'/' {
                i += 1;
            }
            if &s[start..i] != "." {
                out.push((start, i));
            }
        }
        out
    };
    let (pc, qc) = (comps(path), comps(prefix));
    if pc.len() < qc.len() {
        return None;
    }
    for (p, q) in pc.iter().zip(&qc) {
        if path[p.0..p.1] != prefix[q.0..q.1] {
            return None;
        }
    }
    Some(pc.get(qc.len()).map_or(path.len(), |c| c.0))
}

/// systemd's unit types (systemd.unit(5)).
const UNIT_TYPES: &[&str] = &[
    "service",
    "mount",
    "swap",
    "socket",
    "target",
    "device",
    "automount",
    "timer",
    "path",
    "slice",
    "scope",
];

/// unit_name_is_valid: `NAME.TYPE` or `TEMPLATE@INSTANCE.TYPE` (`instance`)
/// of letters, digits and `:-_.\`, shorter than 256 bytes.
fn unit_name_valid(n: &str, instance: bool) -> bool {
    if n.is_empty() || n.len() >= 256 {
        return false;
    }
    let Some(dot) = n.rfind('.') else {
        return false;
    };
    if dot == 0 || !UNIT_TYPES.contains(&&n[dot + 1..]) {
        return false;
    }
    let name = &n[..dot];
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b":-_.\\@".contains(&b))
    {
        return false;
    }
    match name.find('@') {
        None => true,
        Some(0) => false,
        Some(at) => instance && dot > at + 1,
    }
}

/// Components of a path (empty ones skipped), with cgroup's escaping undone
/// (a leading `_`).
fn components(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty())
}

fn unescape(c: &str) -> &str {
    c.strip_prefix('_').unwrap_or(c)
}

fn valid_slice(c: &str) -> bool {
    c.len() >= "x.slice".len() && c.ends_with(".slice") && unit_name_valid(unescape(c), false)
}

/// The unit a path names after its slices (cg_path_get_unit).
fn unit_of<'a>(mut comps: impl Iterator<Item = &'a str>) -> Option<String> {
    let c = comps.find(|c| !valid_slice(c))?;
    if c.len() < 3 {
        return None;
    }
    let u = unescape(c);
    (unit_name_valid(u, true) && !u.ends_with(".slice")).then(|| u.to_string())
}

/// sd_pid_get_unit.
pub fn unit(path: &str) -> Option<String> {
    unit_of(components(path))
}

/// sd_pid_get_slice: the last slice before the first other component,
/// `-.slice` when there is none.
pub fn slice(path: &str) -> Option<String> {
    let last = components(path).take_while(|c| valid_slice(c)).last();
    match last {
        None => Some("-.slice".to_string()),
        Some(c) => {
            let u = unescape(c);
            (c.len() >= 3 && unit_name_valid(u, true)).then(|| u.to_string())
        }
    }
}

fn session_id_valid(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A uid as systemd's parse_uid takes it: decimal, no sign, no leading
/// zero, neither 65535 nor 4294967295.
fn parse_uid(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse::<u32>()
        .ok()
        .filter(|&u| u != u32::MAX && u != 0xffff)
}

/// sd_pid_get_user_unit: the unit inside a user manager or a session.
pub fn user_unit(path: &str) -> Option<String> {
    let mut comps = components(path).skip_while(|c| valid_slice(c)).peekable();
    let first = *comps.peek()?;
    let manager = first
        .strip_prefix("user@")
        .and_then(|r| r.strip_suffix(".service"))
        .is_some_and(|uid| first.len() >= "user@x.service".len() && parse_uid(uid).is_some());
    let session = first
        .strip_prefix("session-")
        .and_then(|r| r.strip_suffix(".scope"))
        .is_some_and(|id| first.len() >= "session-x.scope".len() && session_id_valid(id));
    if !manager && !session {
        return None;
    }
    comps.next();
    unit_of(comps)
}

/// sd_pid_get_session: the `ID` of a `session-ID.scope` unit.
pub fn session(path: &str) -> Option<String> {
    let u = unit(path)?;
    let id = u.strip_prefix("session-")?.strip_suffix(".scope")?;
    session_id_valid(id).then(|| id.to_string())
}

/// sd_pid_get_owner_uid: the uid of a `user-UID.slice`.
pub fn owner_uid(path: &str) -> Option<u32> {
    let s = slice(path)?;
    parse_uid(s.strip_prefix("user-")?.strip_suffix(".slice")?)
}

/// sd_pid_get_machine_name: where /run/systemd/machines/unit:UNIT points.
pub fn machine(path: &str, run: &Path) -> Option<String> {
    let u = unit(path)?;
    let link = std::fs::read_link(run.join("machines").join(format!("unit:{u}"))).ok()?;
    Some(link.to_string_lossy().into_owned())
}

/// sd_session_get_seat: `SEAT=` in /run/systemd/sessions/ID (an
/// environment-style file; a value may be quoted).
pub fn seat(session: &str, run: &Path) -> Option<String> {
    if !session_id_valid(session) {
        return None;
    }
    let text = std::fs::read_to_string(run.join("sessions").join(session)).ok()?;
    let value = text.lines().rev().find_map(|l| {
        let l = l.trim_start();
        if l.starts_with('#') || l.starts_with(';') {
            return None;
        }
        let (k, v) = l.split_once('=')?;
        (k.trim() == "SEAT").then(|| v.trim())
    })?;
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_shift_by_the_root_of_pid_1() {
        assert_eq!(root_of("/init.scope"), "");
        assert_eq!(root_of("/"), "/");
        assert_eq!(root_of("/lxc/c1/init.scope"), "/lxc/c1");
        assert_eq!(shift("/user.slice/x.scope", "/"), "/user.slice/x.scope");
        assert_eq!(shift("/lxc/c1/user.slice", "/lxc/c1"), "/user.slice");
        assert_eq!(shift("/other/a", "/lxc/c1"), "/other/a");
        // The root itself leaves its last character, as systemd does.
        assert_eq!(shift("/lxc/c1", "/lxc/c1"), "1");
    }

    #[test]
    fn units_sessions_and_owners() {
        let p = "/user.slice/user-1000.slice/session-2.scope";
        assert_eq!(unit(p).as_deref(), Some("session-2.scope"));
        assert_eq!(session(p).as_deref(), Some("2"));
        assert_eq!(owner_uid(p), Some(1000));
        assert_eq!(slice(p).as_deref(), Some("user-1000.slice"));
        assert_eq!(user_unit(p), None);
        let m = "/user.slice/user-0.slice/user@0.service/app.slice/dbus.service";
        assert_eq!(unit(m).as_deref(), Some("user@0.service"));
        assert_eq!(user_unit(m).as_deref(), Some("dbus.service"));
        assert_eq!(session(m), None);
        assert_eq!(owner_uid("/user.slice/user-01.slice/x.scope"), None);
        assert_eq!(owner_uid("/user.slice/user-65535.slice/x.scope"), None);
        assert_eq!(slice("/").as_deref(), Some("-.slice"));
        assert_eq!(unit("/"), None);
        assert_eq!(unit("/system.slice/foo@.service"), None);
        assert_eq!(
            unit("/system.slice/_cpu.service").as_deref(),
            Some("cpu.service")
        );
        assert_eq!(unit("/process_api/3531dcba"), None);
    }

    #[test]
    fn systemd_line_by_layout() {
        let text = b"9:name=systemd:/a.slice\n4:memory:/m\n0::/u.slice/b.scope\n";
        assert_eq!(
            systemd_path(text, Layout::Unified).as_deref(),
            Some("/u.slice/b.scope")
        );
        assert_eq!(
            systemd_path(text, Layout::Legacy).as_deref(),
            Some("/a.slice")
        );
        assert_eq!(systemd_path(text, Layout::Unknown), None);
    }
}
