//! Issue #18, escapes that cannot be faked: a process whose name holds a
//! literal backslash-e and one whose name holds a real ESC are told apart
//! in every view where proctl chooses the escaping (a literal backslash
//! prints as `\\`), no raw control byte reaches the output, and columns stay
//! aligned. Peer views keep the peer's escaping (psmisc's octal here).

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{Reaped, binary, cloexec_pty, proctl, spawn_named, which};

/// A literal backslash and `e`: text that looks like one of proctl's escapes.
const FAKE: &str = "fake\\e[31mX";
/// A real ESC starting a color sequence.
const REAL: &str = "real\x1b[31mX";
/// How proctl shows each.
const FAKE_SHOWN: &str = "fake\\\\e[31mX";
const REAL_SHOWN: &str = "real\\e[31mX";

fn no_raw_control(what: &str, bytes: &[u8]) {
    assert!(
        !bytes
            .iter()
            .any(|&b| (b < 0x20 && b != b'\n' && b != b'\r') || b == 0x7f),
        "{what}: raw control byte in {:?}",
        String::from_utf8_lossy(bytes)
    );
}

/// Both names shown, each in its own form, and the fake never in the
/// form that would pass for an escape made by proctl.
fn told_apart(what: &str, text: &str) {
    assert!(
        text.contains(FAKE_SHOWN),
        "{what}: no {FAKE_SHOWN:?} in {text:?}"
    );
    assert!(
        text.contains(REAL_SHOWN),
        "{what}: no {REAL_SHOWN:?} in {text:?}"
    );
    assert!(
        !text.contains(FAKE),
        "{what}: {FAKE:?} shown unescaped in {text:?}"
    );
}

/// The column (in characters) where `needle` starts on the line holding `key`.
fn column_of(text: &str, key: &str, needle: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.contains(key))
        .unwrap_or_else(|| panic!("no line with {key:?} in {text:?}"));
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in {line:?}"));
    line[..at].chars().count()
}

fn run_ok(args: &[&str]) -> String {
    let out = proctl().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    no_raw_control(&format!("{args:?} stderr"), &out.stderr);
    no_raw_control(&format!("{args:?}"), &out.stdout);
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn sleepers(dir: &Path) -> (Reaped, Reaped) {
    (
        spawn_named(dir, FAKE, "sleep", &["3600"]),
        spawn_named(dir, REAL, "sleep", &["3600"]),
    )
}

#[test]
fn ps_views_tell_the_names_apart_and_stay_aligned() {
    let dir = tempfile::tempdir().unwrap();
    let (fake, real) = sleepers(dir.path());
    let (f, r) = (fake.pid().to_string(), real.pid().to_string());
    let pids = format!("{f},{r}");
    let dir_text = dir.path().to_str().unwrap();
    let sgr = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    for format in ["table", "plain"] {
        for color in ["never", "always"] {
            let args = [
                "--color",
                color,
                "ps",
                "-p",
                &pids,
                "-o",
                "pid,comm,args",
                "--format",
                format,
            ];
            let out = proctl().args(args).output().unwrap();
            assert!(out.status.success(), "{args:?}");
            // Only the theme's own SGR sequences may hold an ESC.
            let text = sgr
                .replace_all(std::str::from_utf8(&out.stdout).unwrap(), "")
                .into_owned();
            no_raw_control(&format!("{args:?}"), text.as_bytes());
            told_apart(&format!("{args:?}"), &text);
            assert_eq!(
                column_of(&text, &f, dir_text),
                column_of(&text, &r, dir_text),
                "{args:?}: the args column is not aligned:\n{text}"
            );
        }
    }
    let csv = run_ok(&["ps", "-p", &pids, "-o", "pid,comm,args", "--format", "csv"]);
    told_apart("csv", &csv);
    // Text cells escaped as in the tables; the args cell is the JSON list
    // (docs/json.md), so each argument comes back exactly.
    for (pid, shown, name) in [(&f, FAKE_SHOWN, FAKE), (&r, REAL_SHOWN, REAL)] {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{pid},")))
            .unwrap_or_else(|| panic!("csv: no {pid} in {csv:?}"));
        let cells: Vec<&str> = line.splitn(3, ',').collect();
        assert_eq!(cells[1], shown, "csv: {line:?}");
        let list = cells[2]
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .unwrap_or_else(|| panic!("csv: {line:?}"))
            .replace("\"\"", "\"");
        let args: Vec<String> = serde_json::from_str(&list).unwrap();
        assert_eq!(args, [format!("{dir_text}/{name}"), "3600".to_string()]);
    }
}

#[test]
fn show_tells_the_names_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (fake, real) = sleepers(dir.path());
    let (f, r) = (fake.pid().to_string(), real.pid().to_string());
    let a = run_ok(&["show", &f]);
    let b = run_ok(&["show", &r]);
    assert!(a.contains(&format!("{f} ({FAKE_SHOWN})")), "{a}");
    assert!(b.contains(&format!("{r} ({REAL_SHOWN})")), "{b}");
    told_apart("show", &format!("{a}{b}"));
    // The value column starts at the same place whatever the name.
    assert_eq!(column_of(&a, &f, &f), column_of(&b, &r, &r));
}

#[test]
fn signal_messages_and_prompts_tell_the_names_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (fake, real) = sleepers(dir.path());
    let (f, r) = (fake.pid().to_string(), real.pid().to_string());
    let dry = run_ok(&["signal", "--dry-run", "-s", "CONT", &f, &r]);
    assert!(dry.contains(&format!("{f} ({FAKE_SHOWN})")), "{dry}");
    assert!(dry.contains(&format!("{r} ({REAL_SHOWN})")), "{dry}");
    told_apart("signal --dry-run", &dry);

    // The confirmation prompt lists the targets; it appears only when stdin
    // and stderr are a terminal, so give it a pseudo-terminal and answer no.
    let (master, slave) = cloexec_pty(None);
    let pattern = regex::escape(dir.path().to_str().unwrap());
    let slave = std::fs::File::from(slave);
    let mut cmd = StdCommand::new(binary());
    cmd.args(["signal", "-s", "CONT", "-f", "--name", &pattern])
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::piped())
        .stderr(Stdio::from(slave))
        .process_group(0);
    let mut child = cmd.spawn().unwrap();
    // Our copies of the slave side must go for the reads to end (EIO).
    drop(cmd);
    let mut master = std::fs::File::from(master);
    let mut prompt = Vec::new();
    let mut buf = [0u8; 4096];
    // Read up to the question, then answer it.
    while !prompt.ends_with(b"[y/N] ") {
        let n = master.read(&mut buf).unwrap_or(0);
        assert!(n > 0, "no prompt: {:?}", String::from_utf8_lossy(&prompt));
        prompt.extend_from_slice(&buf[..n]);
    }
    master.write_all(b"n\n").unwrap();
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => prompt.extend_from_slice(&buf[..n]),
        }
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "answered no");
    no_raw_control("signal prompt", &prompt);
    let text = String::from_utf8(prompt).unwrap();
    told_apart("signal prompt", &text);
    assert!(text.contains("proctl: nothing sent"), "{text}");
    // The names in the list start in the same column.
    assert_eq!(
        column_of(&text, &f, FAKE_SHOWN),
        column_of(&text, &r, REAL_SHOWN)
    );
}

/// Starts python3, under a link called `name`, listening on a TCP port of
/// 127.0.0.1; returns it and the port.
fn listener(dir: &Path, name: &str) -> (Reaped, String) {
    // The interpreter itself: python3 on PATH may be a launcher script
    // (pyenv) that dispatches on its own name.
    let real = StdCommand::new(which("python3"))
        .args([
            "-c",
            "import os, sys; print(os.path.realpath(sys.executable))",
        ])
        .output()
        .unwrap();
    let real = String::from_utf8(real.stdout).unwrap();
    let link = dir.join(name);
    std::os::unix::fs::symlink(real.trim(), &link).unwrap();
    let script = "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\n\
                  s.listen()\nprint(s.getsockname()[1], flush=True)\ntime.sleep(3600)";
    let mut child = StdCommand::new(&link)
        .args(["-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut port = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    (Reaped(child), port.trim().to_string())
}

#[test]
fn ports_tells_the_names_apart() {
    let dir = tempfile::tempdir().unwrap();
    let (_fake, fake_port) = listener(dir.path(), FAKE);
    let (_real, real_port) = listener(dir.path(), REAL);
    assert!(!fake_port.is_empty() && !real_port.is_empty());
    let text = run_ok(&["ports", "--tcp"]);
    let line_of = |port: &str| {
        text.lines()
            .find(|l| l.split_whitespace().nth(2) == Some(port))
            .unwrap_or_else(|| panic!("no socket on {port} in {text}"))
            .to_string()
    };
    let (a, b) = (line_of(&fake_port), line_of(&real_port));
    assert!(a.ends_with(FAKE_SHOWN), "{a:?}");
    assert!(b.ends_with(REAL_SHOWN), "{b:?}");
    told_apart("ports", &text);
    let start = |line: &str, name: &str| line[..line.find(name).unwrap()].chars().count();
    assert_eq!(start(&a, FAKE_SHOWN), start(&b, REAL_SHOWN), "{a:?}\n{b:?}");
}

#[test]
fn pstree_keeps_psmisc_octal_escaping() {
    let dir = tempfile::tempdir().unwrap();
    let (fake, real) = sleepers(dir.path());
    for (p, shown) in [(&fake, "fake\\\\e[31mX"), (&real, "real\\033[31mX")] {
        let text = run_ok(&["pstree", &p.pid().to_string()]);
        assert_eq!(text, format!("{shown}\n"));
    }
}

#[test]
fn spawn_messages_tell_the_names_apart() {
    for (name, shown) in [(FAKE, FAKE_SHOWN), (REAL, REAL_SHOWN)] {
        let out = proctl().args(["spawn", "--", name]).output().unwrap();
        assert_eq!(out.status.code(), Some(127));
        no_raw_control("spawn not found", &out.stderr);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(shown), "{err:?}");
        let out = proctl()
            .args(["spawn", "--dry-run", "--", name])
            .output()
            .unwrap();
        no_raw_control("spawn --dry-run", &out.stdout);
        assert!(String::from_utf8(out.stdout).unwrap().contains(shown));
    }
}
