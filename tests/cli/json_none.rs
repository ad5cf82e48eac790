//! Issue #15, "null only for unknown": in every command's JSON a field
//! that does not apply, or whose value is "none", is left out, and null
//! means only that the value exists but could not be read (docs/json.md).
//! Each case below runs on real processes the test starts: the key is
//! absent where there is none and present where there is one.

use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Command as StdCommand, Stdio};

use crate::spawn::eventually;
use crate::util::{
    Reaped, as_nobody, binary, cloexec_pty, is_root, python_ready, spawn_named, which,
};

/// Runs proctl; returns the exit code and stdout parsed as JSON.
fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = StdCommand::new(binary())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run proctl");
    let text = String::from_utf8(out.stdout).unwrap();
    // spawn --report - writes the report after the child's own output.
    let doc = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(text.lines().last().unwrap_or("")))
        .unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    (out.status.code(), doc)
}

/// proctl's stdout as text.
fn text(args: &[&str]) -> String {
    let out = StdCommand::new(binary()).args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Field 3 (state) and field 7 (tty_nr) of /proc/PID/stat.
fn stat_fields(pid: i32) -> Option<(char, i64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    Some((fields[0].chars().next()?, fields.get(4)?.parse().ok()?))
}

/// `sleep 300` in a session of its own: no controlling terminal.
fn without_terminal() -> Reaped {
    let mut cmd = StdCommand::new(which("sleep"));
    cmd.arg("300").stdin(Stdio::null()).stdout(Stdio::null());
    // SAFETY: setsid(2) is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| nix::unistd::setsid().map(drop).map_err(Into::into));
    }
    Reaped(cmd.spawn().unwrap())
}

/// `sleep 300` whose controlling terminal is a new pseudo-terminal (the
/// master is returned so the terminal stays open).
fn on_terminal() -> (Reaped, std::os::fd::OwnedFd) {
    let (master, slave) = cloexec_pty(None);
    let mut cmd = StdCommand::new(which("sleep"));
    cmd.arg("300")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::null());
    // SAFETY: setsid(2) and ioctl(2) are async-signal-safe; TIOCSCTTY on
    // stdin makes the terminal the new session's controlling terminal.
    unsafe {
        cmd.pre_exec(|| {
            nix::unistd::setsid()?;
            if nix::libc::ioctl(0, nix::libc::TIOCSCTTY, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = Reaped(cmd.spawn().unwrap());
    drop(slave);
    (child, master)
}

#[test]
fn tty_is_left_out_without_a_controlling_terminal() {
    let none = without_terminal();
    let (some, master) = on_terminal();
    assert!(master.as_raw_fd() >= 0);
    let (n, s) = (none.pid(), some.pid());
    assert_eq!(stat_fields(n).map(|f| f.1), Some(0));
    assert_ne!(stat_fields(s).map(|f| f.1), Some(0));
    let list = format!("{n},{s}");
    let (_, doc) = json(&["ps", "-p", &list, "-o", "pid,tty", "--format", "json"]);
    let row = |pid: i32| {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|r| r["pid"] == pid)
            .unwrap_or_else(|| panic!("{pid} not in {doc}"))
            .clone()
    };
    assert_eq!(row(n).get("tty"), None, "{doc}");
    assert!(
        row(s)["tty"]
            .as_str()
            .is_some_and(|t| t.starts_with("pts/")),
        "{doc}"
    );
    // The CSV cell of a left-out field is empty, as for unknown.
    let csv = text(&[
        "ps",
        "-p",
        &n.to_string(),
        "-o",
        "pid,tty",
        "--format",
        "csv",
    ]);
    assert_eq!(csv, format!("pid,tty\r\n{n},\r\n"));
    // procps's text is unchanged: `?`.
    assert_eq!(
        text(&["ps", "-p", &n.to_string(), "-o", "tty="]).trim(),
        "?"
    );
    let (_, doc) = json(&["show", &n.to_string(), "--format", "json"]);
    assert_eq!(doc.get("tty"), None, "{doc}");
    let (_, doc) = json(&["show", &s.to_string(), "--format", "json"]);
    assert!(doc["tty"].as_str().is_some_and(|t| t.starts_with("pts/")));
}

#[test]
fn nice_is_a_number_under_a_real_time_policy() {
    if !is_root() {
        return;
    }
    // nice 5 first, then SCHED_FIFO: the kernel keeps the nice value.
    let mut child = Reaped(
        StdCommand::new(which("nice"))
            .args(["-n", "5", "chrt", "-f", "1", "sleep", "300"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    let pid = child.pid().to_string();
    let is_sleep =
        || std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c == "sleep\n");
    eventually("chrt to exec sleep, or to fail", || {
        is_sleep() || child.0.try_wait().is_ok_and(|s| s.is_some())
    });
    if !is_sleep() {
        // A container without a real-time budget refuses SCHED_FIFO.
        eprintln!("skipped: chrt -f 1 was refused here");
        return;
    }
    let (_, doc) = json(&["ps", "-p", &pid, "-o", "pid,ni,cls", "--format", "json"]);
    assert_eq!(doc[0]["policy"], "fifo", "{doc}");
    assert_eq!(doc[0]["nice"], 5, "{doc}");
    let csv = text(&["ps", "-p", &pid, "-o", "ni", "--format", "csv"]);
    assert_eq!(csv, "nice\r\n5\r\n");
    // procps's text prints `-` under a real-time policy (ps(1), NI).
    assert_eq!(text(&["ps", "-p", &pid, "-o", "ni="]).trim(), "-");
    let (_, doc) = json(&["show", &pid, "--format", "json"]);
    assert_eq!(
        (doc["nice"].clone(), doc["policy"].clone()),
        (5.into(), "fifo".into())
    );
    let (_, doc) = json(&["top", "--batch", "-n", "1", "-p", &pid, "--format", "json"]);
    assert_eq!(doc[0]["processes"][0]["nice"], 5, "{doc}");
}

#[test]
fn name_is_left_out_for_a_pid_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "pxnone-name", "sleep", &["300"]);
    let pid = sleeper.pid().to_string();
    let missing = "999999999";
    let (_, doc) = json(&["signal", "-s", "CONT", &pid, missing, "--format", "json"]);
    let row = |pid: &str| {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|r| r["pid"].as_i64() == pid.parse().ok())
            .unwrap_or_else(|| panic!("{pid} not in {doc}"))
            .clone()
    };
    assert_eq!(row(&pid)["name"], "pxnone-name", "{doc}");
    assert_eq!(row(missing)["outcome"], "no_such_process", "{doc}");
    assert_eq!(row(missing).get("name"), None, "{doc}");
    let (_, doc) = json(&[
        "wait",
        &pid,
        missing,
        "--timeout",
        "0.1s",
        "--format",
        "json",
    ]);
    let missing_row = doc
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"] == 999999999)
        .unwrap();
    assert_eq!(missing_row.get("name"), None, "{doc}");
    assert!(
        doc.as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "pxnone-name")
    );
    let (_, doc) = json(&["set", "--nice", "1", missing, "--format", "json"]);
    assert_eq!(doc[0]["pid"], 999999999, "{doc}");
    assert_eq!(doc[0].get("name"), None, "{doc}");
}

#[test]
fn spawn_report_has_only_what_happened() {
    let (code, v) = json(&["spawn", "--report", "-", "--", "sh", "-c", "exit 3"]);
    assert_eq!(code, Some(3));
    assert_eq!(v["exit_code"], 3, "{v}");
    assert!(v["pid"].as_i64().is_some_and(|p| p > 0), "{v}");
    assert_eq!((v.get("signal"), v.get("error")), (None, None), "{v}");
    let (_, v) = json(&["spawn", "--report", "-", "--", "sh", "-c", "kill -TERM $$"]);
    assert_eq!(v["signal"], "TERM", "{v}");
    assert_eq!((v.get("exit_code"), v.get("error")), (None, None), "{v}");
    let (code, v) = json(&["spawn", "--report", "-", "--", "/nonexistent/px"]);
    assert_eq!(code, Some(127));
    assert!(v["error"].is_string(), "{v}");
    for field in ["pid", "exit_code", "signal"] {
        assert_eq!(v.get(field), None, "{field}: {v}");
    }
}

#[test]
fn set_reason_only_when_there_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "pxnone-set", "sleep", &["300"]);
    let pid = sleeper.pid().to_string();
    let (code, doc) = json(&["set", &pid, "--rlimit", "nofile=50:100", "--format", "json"]);
    assert_eq!(code, Some(0), "{doc}");
    let change = &doc[0]["changes"][0];
    assert_eq!(change["outcome"], "changed", "{doc}");
    assert_eq!(change.get("reason"), None, "{doc}");
    // A soft limit above the hard one is refused, with the reason.
    let (code, doc) = json(&["set", &pid, "--rlimit", "nofile=:10", "--format", "json"]);
    assert_eq!(code, Some(1), "{doc}");
    let reason = doc[0]["changes"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("is above the hard limit"), "{doc}");
    // The idle I/O class has no level: left out of the value and of show.
    let (_, doc) = json(&["set", &pid, "--io", "idle", "--format", "json"]);
    assert_eq!(
        doc[0]["changes"][0]["after"],
        serde_json::json!({"class": "idle"})
    );
    let (_, doc) = json(&["show", &pid, "--format", "json"]);
    assert_eq!(doc["io_class"], "idle", "{doc}");
    assert_eq!(doc.get("io_level"), None, "{doc}");
    let (_, doc) = json(&["set", &pid, "--io", "best-effort:3", "--format", "json"]);
    assert_eq!(doc[0]["changes"][0]["after"]["level"], 3, "{doc}");
    let (_, doc) = json(&["show", &pid, "--format", "json"]);
    assert_eq!(doc["io_level"], 3, "{doc}");
}

/// A Python process holding a connected socket pair, an unconnected
/// unnamed datagram socket and a listener bound to a path; it prints the
/// inodes of the four and sleeps.
fn socket_holder(path: &std::path::Path) -> (Reaped, Vec<u64>) {
    let script = r#"
import os, socket, sys, time
a, b = socket.socketpair()
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
l.bind(sys.argv[1]); l.listen(1)
print(*(os.fstat(s.fileno()).st_ino for s in (a, b, d, l)), flush=True)
time.sleep(3600)
"#;
    let (child, line) = python_ready(script, &[path.as_os_str()]);
    let inodes = line
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    (child, inodes)
}

#[test]
fn unix_socket_path_and_peer_only_when_there_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pxnone.sock");
    let (holder, inodes) = socket_holder(&path);
    let [a, b, d, l] = inodes[..] else {
        panic!("{inodes:?}")
    };
    let (_, doc) = json(&["ports", "--unix", "--all", "--format", "json"]);
    let sock = |inode: u64| {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|s| s["inode"] == inode)
            .unwrap_or_else(|| panic!("{inode} not in ports --unix"))
            .clone()
    };
    for s in [sock(a), sock(b), sock(d)] {
        assert_eq!(s.get("path"), None, "unnamed: {s}");
    }
    assert_eq!(sock(a)["peer_inode"], b);
    assert_eq!(sock(b)["peer_inode"], a);
    assert_eq!(sock(d).get("peer_inode"), None, "not connected");
    assert_eq!(sock(l)["path"], path.to_str().unwrap());
    // show's files: `socket` only for sockets, `device` only for devices.
    let (_, doc) = json(&[
        "show",
        &holder.pid().to_string(),
        "--files",
        "--format",
        "json",
    ]);
    let files = doc["files"].as_array().unwrap();
    let fd = |n: i64| files.iter().find(|f| f["fd"] == n).unwrap().clone();
    // stdin is /dev/null, stdout a pipe.
    assert_eq!(fd(0)["device"], "char 1:3", "{doc}");
    assert_eq!(fd(0).get("socket"), None, "{doc}");
    assert_eq!(fd(1).get("device"), None, "{doc}");
    assert_eq!(fd(1).get("socket"), None, "{doc}");
    let of = |inode: u64| {
        files
            .iter()
            .find(|f| f["socket"]["inode"] == inode)
            .unwrap_or_else(|| panic!("{inode} not in {doc}"))
            .clone()
    };
    assert_eq!(of(a)["socket"].get("path"), None, "{doc}");
    assert_eq!(of(d)["socket"].get("peer_inode"), None, "{doc}");
    assert_eq!(of(l)["socket"]["path"], path.to_str().unwrap());
    assert_eq!(of(l).get("device"), None, "{doc}");
}

#[test]
fn thread_lists_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "pxnone-thr", "sleep", &["300"]);
    let pid = sleeper.pid().to_string();
    let (_, doc) = json(&["show", &pid, "--format", "json"]);
    assert_eq!(doc.get("thread_list"), None, "{doc}");
    let (_, doc) = json(&["show", &pid, "--threads", "--format", "json"]);
    assert_eq!(doc["thread_list"][0]["tid"], sleeper.pid(), "{doc}");
    // pstree shows threads unless -T hides them.
    let (_, doc) = json(&["pstree", "-p", &pid, "--format", "json"]);
    assert_eq!(doc[0]["thread_list"], serde_json::json!([]), "{doc}");
    let (_, doc) = json(&["pstree", "-T", "-p", &pid, "--format", "json"]);
    assert_eq!(doc[0].get("thread_list"), None, "{doc}");
}

#[test]
fn wchan_is_left_out_when_not_waiting_in_the_kernel() {
    // Without privileges the kernel says "0" for everyone else's (proc(5)):
    // the test needs root to see the sleeper's, and to be another user.
    if !is_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "pxnone-wch", "sleep", &["300"]);
    let busy = spawn_named(
        dir.path(),
        "pxnone-busy",
        "sh",
        &["-c", "while :; do :; done"],
    );
    // Asleep in its nanosleep, not in a wait of its start-up: the kernel
    // names a wait channel only while the task is off the CPU.
    eventually("the sleeper to sleep", || {
        stat_fields(sleeper.pid()).is_some_and(|f| f.0 == 'S')
            && std::fs::read_to_string(format!("/proc/{}/wchan", sleeper.pid()))
                .is_ok_and(|w| w.contains("sleep"))
    });
    let list = format!("{},{}", sleeper.pid(), busy.pid());
    let (_, doc) = json(&["ps", "-p", &list, "-o", "pid,wchan", "--format", "json"]);
    let row = |pid: i32| {
        doc.as_array()
            .unwrap()
            .iter()
            .find(|r| r["pid"] == pid)
            .unwrap()
            .clone()
    };
    assert!(row(sleeper.pid())["wchan"].is_string(), "{doc}");
    assert_eq!(row(busy.pid()).get("wchan"), None, "{doc}");
    // procps's text keeps `-`.
    let busy_pid = busy.pid().to_string();
    assert_eq!(text(&["ps", "-p", &busy_pid, "-o", "wchan="]).trim(), "-");
    // To another user the kernel hides where root's sleeper waits ("0"):
    // unknown, so null, not left out as if it ran.
    let sleeper_pid = sleeper.pid().to_string();
    let out = as_nobody(&[
        "ps",
        "-p",
        &sleeper_pid,
        "-o",
        "pid,wchan",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc[0].get("wchan"), Some(&serde_json::Value::Null), "{doc}");
}

#[test]
fn systemd_and_container_fields_are_left_out_when_there_are_none() {
    let dir = tempfile::tempdir().unwrap();
    let sleeper = spawn_named(dir.path(), "pxnone-cg", "sleep", &["300"]);
    let pid = sleeper.pid().to_string();
    let cgroup = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    // Only where the sleeper's cgroup names no lxc container.
    if !cgroup.contains("lxc") {
        let (_, doc) = json(&["ps", "-p", &pid, "-o", "pid,lxc", "--format", "json"]);
        assert_eq!(doc[0].get("lxc_name"), None, "{doc}");
        assert_eq!(text(&["ps", "-p", &pid, "-o", "lxc="]).trim(), "-");
    }
    let (_, doc) = json(&["show", &pid, "--format", "json"]);
    let shown = |k: &str| doc.get(k).cloned();
    // Each is either a value or left out: never null for a readable file.
    for field in [
        "systemd_unit",
        "systemd_slice",
        "container_runtime",
        "container_id",
        "cgroup",
    ] {
        assert_ne!(shown(field), Some(serde_json::Value::Null), "{field}");
    }
    if !cgroup.contains(".service") && !cgroup.contains(".scope") {
        assert_eq!(shown("systemd_unit"), None, "{doc}");
    }
    if !["docker", "containerd", "libpod", "crio", "kubepods"]
        .iter()
        .any(|c| cgroup.contains(c))
    {
        assert_eq!(shown("container_runtime"), None, "{doc}");
        assert_eq!(shown("container_id"), None, "{doc}");
    }
}
