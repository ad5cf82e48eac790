//! `proctl top`: batch frames on the fixture tree (golden files), JSON
//! frames validated, bad usage; the live view in a real terminal (tmux).

use std::process::{Command as StdCommand, Stdio};

use serde_json::Value;

use crate::util::{assert_golden, fixture, proctl, spawn_named};

fn golden_run(name: &str, args: &[&str]) {
    let out = fixture().arg("top").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    assert_golden(name, &out.stdout);
}

#[test]
fn batch_frames_like_top_b() {
    // The first frame shows lifetime %CPU; the second, measured over the
    // interval, shows none (nothing runs in a fixture).
    golden_run(
        "top_batch.txt",
        &["--batch", "--iterations", "2", "--delay", "0"],
    );
}

#[test]
fn batch_is_the_default_without_a_terminal() {
    let out = fixture().args(["top", "-n", "1"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("top - 10:00:00 up 371 days,  9:06,"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no escape codes in batch frames");
    assert_eq!(text.matches("top - ").count(), 1);
}

#[test]
fn batch_tree_sort_and_selection() {
    golden_run(
        "top_tree.txt",
        &["-b", "-n", "1", "--tree", "--sort", "mem"],
    );
    golden_run(
        "top_select.txt",
        &["-b", "-n", "1", "-u", "www-data", "--sort", "pid"],
    );
    golden_run(
        "top_pids.txt",
        &["-b", "-n", "1", "-p", "700,1", "-p", "400"],
    );
    golden_run(
        "top_match.txt",
        &["-b", "-n", "1", "--match", "^(java|sleep)"],
    );
}

#[test]
fn ndjson_frames_carry_the_ps_vocabulary() {
    golden_run(
        "top_frames.ndjson",
        &["--format", "ndjson", "-n", "2", "-d", "0"],
    );
    let out = fixture()
        .args(["top", "--format", "ndjson", "-n", "2", "-d", "0"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let frames: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0]["cpu_measured"], false);
    assert_eq!(frames[1]["cpu_measured"], true);
    // The field names and values of `proctl ps --format json`.
    let ps = fixture()
        .args(["ps", "-e", "--format", "json", "-o"])
        .arg("pid,ppid,user,uid,comm,args,state,%mem,rss,vsz,time,etimes,start,nlwp")
        .output()
        .unwrap();
    let ps: Value = serde_json::from_slice(&ps.stdout).unwrap();
    for frame in &frames {
        assert_eq!(frame["timestamp"], "2026-11-26T10:00:00+00:00");
        assert_eq!(frame["tasks"]["total"], 12);
        assert_eq!(frame["memory"]["total_kib"], 16_000_000);
        let procs = frame["processes"].as_array().unwrap();
        assert_eq!(procs.len(), 12);
        for row in ps.as_array().unwrap() {
            let pid = row["pid"].as_i64().unwrap();
            let ours = procs
                .iter()
                .find(|p| p["pid"].as_i64() == Some(pid))
                .unwrap_or_else(|| panic!("pid {pid} in the frame"));
            for (key, value) in row.as_object().unwrap() {
                assert_eq!(&ours[key], value, "pid {pid} field {key}");
            }
        }
    }
    // Frame 1 has ps's lifetime %CPU: burn (600) ran 60 s of its 120.
    let burn = |f: &Value| {
        f["processes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["pid"] == 600)
            .unwrap()["cpu_percent"]
            .clone()
    };
    assert_eq!(burn(&frames[0]), 50.0);
    assert_eq!(burn(&frames[1]), 0.0);
}

#[test]
fn json_is_one_array_of_frames() {
    let out = fixture()
        .args(["top", "--format", "json", "-n", "3", "-d", "0", "-p", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let frames: Value = serde_json::from_slice(&out.stdout).unwrap();
    let frames = frames.as_array().unwrap();
    assert_eq!(frames.len(), 3);
    assert_eq!(frames[2]["processes"][0]["name"], "init");
}

#[test]
fn bad_usage_is_one_line_and_exit_2() {
    for (args, culprit) in [
        (&["--sort", "nope"][..], "unknown sort key 'nope'"),
        (&["--iterations", "0"], "invalid --iterations '0'"),
        (&["-n", "x"], "invalid --iterations 'x'"),
        (&["--delay", "soon"], "invalid duration 'soon'"),
        (&["-p", "1,abc"], "invalid pid 'abc'"),
        (
            &["-u", "no-such-user-here"],
            "unknown user 'no-such-user-here'",
        ),
        (&["--match", "("], "invalid regex '('"),
        (&["--format", "yaml"], "invalid value 'yaml'"),
    ] {
        let out = fixture().arg("top").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing printed before the check"
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("proctl: ") && err.contains(culprit),
            "{err}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_batch_mode_quietly() {
    let mut child = StdCommand::new(crate::util::binary())
        .args(["top", "-b", "-d", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe: the next write fails with EPIPE.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 6];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(&first, b"top - ");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_busy_process_is_measured_over_the_interval() {
    let dir = tempfile::tempdir().unwrap();
    let busy = spawn_named(
        dir.path(),
        "pxtopbusy",
        "sh",
        &["-c", "while :; do :; done"],
    );
    let pid = busy.pid().to_string();
    let out = proctl()
        .args([
            "top", "--format", "ndjson", "-n", "2", "-d", "0.5", "-p", &pid,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let frames: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let second = &frames[1]["processes"][0];
    assert_eq!(second["name"], "pxtopbusy");
    // A loop that never sleeps: well above idle even on a loaded machine.
    let cpu = second["cpu_percent"].as_f64().unwrap();
    assert!(cpu >= 5.0, "{second}");
    assert!(
        cpu <= 100.0 * 1.05,
        "one thread cannot exceed one core: {second}"
    );
    assert_eq!(frames[1]["cpu_measured"], true);
}
