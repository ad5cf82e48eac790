//! Hardening: churn, missing privileges, hostile names, process states and
//! bad values for every option that takes one.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::process::CommandExt;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{Reaped, as_nobody, proctl, spawn_named, which};

/// Runs proctl and asserts exit 0 and an empty stderr.
fn clean(args: &[&str]) -> Vec<u8> {
    let out = proctl().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `ports` names, in one line, the sockets whose owners it could not
    // read, even as root (a process may hold capabilities root lacks).
    let err = String::from_utf8_lossy(&out.stderr);
    let owner_note = args[0] == "ports"
        && err.lines().count() == 1
        && (err.contains(" sockets show no owner: ") || err.contains(" 1 socket shows no owner: "));
    assert!(out.stderr.is_empty() || owner_note, "{args:?}: {err}");
    out.stdout
}

#[test]
fn churn_never_breaks_a_command() {
    // Hundreds of short-lived processes a second, started and reaped.
    let mut churn = StdCommand::new(which("sh"));
    churn
        .args([
            "-c",
            "while :; do /bin/true & /bin/true & /bin/true; wait; done",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .process_group(0);
    let churn = Reaped(churn.spawn().unwrap());
    let pid = churn.pid().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["ps"],
        vec!["ps", "aux"],
        vec!["ps", "--format", "json", "-o", "pid,comm,args,stat,fds,rss"],
        vec!["ps", "-eLf"],
        vec!["pstree", "-ap"],
        vec!["show", &pid],
        vec!["ports", "--all"],
        vec!["signal", "--dry-run", "--pgroup", &pid, "--name", "^sh$"],
    ];
    for args in &commands {
        for _ in 0..100 {
            clean(args);
        }
    }
}

#[test]
fn without_privileges_read_only_commands_complete() {
    if !crate::util::is_root() {
        eprintln!("not root: cannot drop privileges for this test");
        return;
    }
    for args in [
        &["ps"][..],
        &["ps", "aux"],
        &["ps", "-eF"],
        &[
            "ps",
            "-e",
            "-o",
            "pid,fds,exe,cwd,rbytes,wbytes,cgroup,ports,vctx",
        ],
        &["ps", "--format", "json", "-e", "-o", "pid,exe,fds,rbytes"],
        &["pstree", "-apu"],
        &["show", "1"],
        &["ports", "--all"],
    ] {
        let out = as_nobody(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = as_nobody(&["ps", "--no-header", "-o", "exe,rbytes", "-p", "1"]);
    assert_eq!(
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["-", "0"],
        "as procps: no executable, no bytes read"
    );
    let out = as_nobody(&[
        "ps",
        "--format",
        "json",
        "-o",
        "exe,rbytes,rchars,wops",
        "-p",
        "1",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // procps prints 0 for another user's unreadable io counters; JSON
    // says unknown.
    for field in ["chars_read_bytes", "write_calls"] {
        assert_eq!(v[0].get(field), Some(&serde_json::Value::Null), "{v}");
    }
    // Unknown (unreadable), so present and null, not left out.
    let null = Some(&serde_json::Value::Null);
    assert!(
        v[0].get("exe") == null && v[0].get("read_bytes") == null,
        "{v}"
    );
}

/// The theme's own color sequences removed.
fn strip_sgr(bytes: &[u8]) -> Vec<u8> {
    regex::bytes::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(bytes, &b""[..])
        .into_owned()
}

fn assert_no_raw_controls(what: &str, bytes: &[u8]) {
    let stripped = strip_sgr(bytes);
    if let Some(b) = stripped
        .iter()
        .find(|&&b| (b < 0x20 && b != b'\n' && b != b'\r') || b == 0x7f)
    {
        panic!(
            "{what}: raw control byte {b:#04x} in {:?}",
            String::from_utf8_lossy(&stripped)
        );
    }
}

#[test]
fn hostile_names_and_arguments_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A name with an escape sequence, a tab and a newline (15 bytes of comm).
    let name = "a\x1b[2J\t)\n( b";
    // 128 KiB of arguments in all (one argument may not exceed 128 KiB).
    let chunk = "x".repeat(16 * 1024);
    let mut args: Vec<OsString> = [
        "-c",
        "sleep 3600; :",
        "spaces and ) ( parens",
        "\x1b]0;owned\x07",
        "\x1b[31mred\x1b[0m",
        "bell\x07",
        "tab\there",
        "new\nline",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    args.push(OsString::from_vec(b"bad \xff\xfe utf8".to_vec()));
    for _ in 0..8 {
        args.push(OsString::from(chunk.clone()));
    }
    let link = dir.path().join(name);
    std::os::unix::fs::symlink(which("sh"), &link).unwrap();
    let child = Reaped(
        StdCommand::new(&link)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    // A zombie: a child that has exited and was not reaped.
    let mut zombie = StdCommand::new(which("true")).spawn().unwrap();
    let zpid = zombie.id().to_string();
    let pid = child.pid().to_string();
    let both = format!("{pid},{zpid}");
    for color in ["never", "always"] {
        for view in [
            vec!["ps", "-p", &both, "-o", "pid,user,comm,args,stat"],
            vec![
                "ps",
                "-p",
                &both,
                "--format",
                "plain",
                "-o",
                "pid,comm,args",
            ],
            vec!["ps", "-p", &both, "--format", "csv", "-o", "pid,comm,args"],
            vec!["ps", "aux", "-p", &both],
            vec!["ps", "-p", &both, "--forest", "-o", "pid,args"],
            vec!["pstree", "-ap", &pid],
            vec!["pstree", "-p", &std::process::id().to_string()],
            vec!["show", &pid, "--files", "--env"],
        ] {
            let mut all = vec!["--color", color];
            all.extend(view.iter().copied());
            let out = clean(&all);
            assert_no_raw_controls(&format!("{all:?}"), &out);
        }
    }
    // Columns stay aligned: in plain output every row's COMMAND starts where the header's does.
    let out = clean(&[
        "ps",
        "-p",
        &both,
        "--format",
        "plain",
        "-o",
        "pid,user,stat,comm",
    ]);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let col = lines[0].find("COMMAND").unwrap();
    for line in &lines[1..] {
        assert!(
            line.len() > col && line.as_bytes()[col - 1] == b' ' && line.as_bytes()[col] != b' ',
            "misaligned: {line:?}"
        );
    }
    // --format plain is proctl's own text format: proctl's escaping.
    assert!(text.contains("a\\e[2J\\t)\\n( b"), "{text}");
    // JSON keeps the exact text.
    let out = clean(&[
        "ps",
        "--format",
        "json",
        "-p",
        &both,
        "-o",
        "pid,comm,args,stat",
    ]);
    let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"] == child.pid())
        .unwrap();
    assert_eq!(row["name"], name);
    assert_eq!(row["args"][4], "\x1b]0;owned\x07");
    assert_eq!(row["args"][8], "new\nline");
    // Bytes that are not UTF-8 are an object, never text (docs/json.md).
    assert_eq!(
        row["args"][9],
        serde_json::json!({"text": "bad \u{fffd}\u{fffd} utf8", "bytes": b"bad \xff\xfe utf8"})
    );
    let total: usize = (10..18)
        .map(|i| row["args"][i].as_str().unwrap().len())
        .sum();
    assert_eq!(total, 128 * 1024);
    let z = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"] == zombie.id())
        .unwrap();
    assert_eq!(z["stat"], "Z");
    assert_eq!(z["args"], serde_json::json!([]));
    let out = clean(&["ps", "-p", &zpid, "-o", "args"]);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "COMMAND\n[true] <defunct>\n"
    );
    zombie.wait().unwrap();
}

#[test]
fn stopped_processes_show_their_state() {
    let dir = tempfile::tempdir().unwrap();
    let child = spawn_named(dir.path(), "pxstopped", "sleep", &["3600"]);
    let pid = nix::unistd::Pid::from_raw(child.pid());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGSTOP).unwrap();
    let p = child.pid().to_string();
    let mut state = String::new();
    for _ in 0..2000 {
        state = String::from_utf8(clean(&["ps", "--no-header", "-o", "state", "-p", &p])).unwrap();
        if state.trim() == "T" {
            break;
        }
        std::thread::yield_now();
    }
    assert_eq!(state.trim(), "T");
    let show = String::from_utf8(clean(&["show", &p])).unwrap();
    assert!(show.contains("state              T (stopped)"), "{show}");
    let tree = String::from_utf8(clean(&["pstree", "-p", &p])).unwrap();
    assert_eq!(tree, format!("pxstopped({p})\n"));
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGCONT).unwrap();
}

#[test]
fn every_option_value_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("must-not-exist");
    let m = marker.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["ps", "--format", "yaml"],
        vec!["ps", "--port", "http"],
        vec!["ps", "-t", "pts/x"],
        vec!["pstree", "--format", "xml"],
        vec!["pstree", "-H", "0"],
        vec!["signal", "--timeout", "5q", "--wait", "1"],
        vec!["signal", "--kill-after", "-1", "1"],
        vec!["signal", "--parent", "x", "--dry-run"],
        vec!["signal", "--pgroup", "0", "--dry-run"],
        vec!["signal", "--session", "-5", "--dry-run"],
        vec!["signal", "--port", "99999", "--dry-run"],
        vec!["signal", "--format", "yaml", "1"],
        vec!["wait", "--timeout", "never", "1"],
        vec!["ports", "--port", "0"],
        vec!["ports", "--format", "toml"],
        vec!["show", "--format", "yaml", "1"],
        vec!["show", ""],
        vec!["spawn", "--kill-after", "x", "--timeout", "1", "touch", m],
        vec!["spawn", "--rlimit", "nofile=abc", "touch", m],
        vec!["spawn", "--rlimit", "nofile=5:4", "touch", m],
        vec!["spawn", "--umask", "8", "touch", m],
        vec!["spawn", "--nice", "-21", "touch", m],
        vec![
            "spawn",
            "--timeout-signal",
            "BOGUS",
            "--timeout",
            "1",
            "touch",
            m,
        ],
        vec!["--color", "rainbow", "ps"],
    ];
    // Command lines procps rejects exit as procps does (1).
    let procps_rejects = [vec!["ps", "--format", "yaml"], vec!["ps", "-t", "pts/x"]];
    for args in cases {
        let out = proctl().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let expected = if procps_rejects.contains(&args) { 1 } else { 2 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("proctl: "), "{args:?}: {err}");
    }
    // A file or directory that is not there is a runtime failure for spawn
    // (125, as env(1) and timeout(1) fail), still before anything starts.
    for args in [
        vec!["spawn", "--stdin", "/no/such/input", "touch", m],
        vec!["spawn", "--env-file", "/no/such/file.env", "touch", m],
        vec!["spawn", "-C", "/no/such/dir", "touch", m],
    ] {
        let out = proctl().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(125), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
    assert!(!marker.exists(), "a bad option must leave nothing done");
}
