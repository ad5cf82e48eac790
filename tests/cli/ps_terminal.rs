//! `ps` on a pseudo-terminal of a fixed size: lines are cut to the
//! terminal's width (wider with `w`, not at all with `ww`), byte for byte as
//! procps-ng cuts them; and the cases of procps-ng's own test suite
//! (testsuite/ps.test: output flags, AIX descriptors, SCHED_BATCH).

use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use nix::pty::Winsize;

use crate::util::{Reaped, binary, cloexec_pty, spawn_named, which};

/// What `program ARGS` writes to a terminal `cols` wide.
fn on_terminal(program: &std::path::Path, args: &[&str], cols: u16) -> (Vec<u8>, Option<i32>) {
    let size = Winsize {
        ws_row: 24,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let (master, slave) = cloexec_pty(Some(&size));
    let mut child = StdCommand::new(program)
        .args(args)
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .env_remove("PS_FORMAT")
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    drop(slave);
    let mut master = std::fs::File::from(master);
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            // EIO once the last writer has closed the terminal.
            Err(_) => break,
        }
    }
    let status = child.wait().expect("wait");
    (out, status.code())
}

fn long_sleeper(dir: &std::path::Path) -> Reaped {
    let mut args = vec!["3600"];
    args.extend(std::iter::repeat_n("0", 90));
    spawn_named(dir, "pxterm-a-rather-long-name", "sleep", &args)
}

#[test]
fn lines_are_cut_at_the_terminal_width_as_procps_cuts_them() {
    let ps = which("ps");
    let dir = tempfile::tempdir().unwrap();
    let child = long_sleeper(dir.path());
    let pid = child.pid().to_string();
    let users_then_args = "user:1,".repeat(12) + "args";
    let cases: Vec<Vec<&str>> = vec![
        vec!["-o", "pid,args", "-p", &pid],
        vec!["-f", "-p", &pid],
        vec!["-F", "-p", &pid],
        vec!["-l", "-p", &pid],
        vec!["u", "-p", &pid],
        vec!["uw", "-p", &pid],
        vec!["uww", "-p", &pid],
        vec!["-o", "pid,comm,args,user", "-p", &pid],
        vec!["-o", "args,pid", "-p", &pid],
        vec![
            "-o",
            "pid,user:20,comm=A-very-long-header-for-the-command",
            "-p",
            &pid,
        ],
        vec!["-o", "pid,wchan,args", "-p", &pid],
        vec!["s", "-p", &pid],
        vec!["--cols", "30", "-f", "-p", &pid],
        vec!["-fp", &pid, "--forest"],
        // Names wider than their columns push the line past the screen:
        // procps's unsigned room wraps, and the command is not cut.
        vec!["-o", &users_then_args, "-p", &pid],
        vec!["-o", "ruser:1,euser:1,user:1,ruser:1,comm", "-p", &pid],
    ];
    for cols in [20u16, 40, 80, 133] {
        for args in &cases {
            let mut ours_args = vec!["ps"];
            ours_args.extend(args.iter().copied());
            // %CPU and C are whole-second ratios of the sleeper's start-up
            // CPU time to its age: they can change between two runs. Ours
            // runs between two runs of procps; when those agree, nothing
            // changed in between and ours must print the same.
            let (ours, theirs) = (0..10)
                .find_map(|_| {
                    let before = on_terminal(&ps, args, cols);
                    let ours = on_terminal(&binary(), &ours_args, cols);
                    let after = on_terminal(&ps, args, cols);
                    (before == after).then_some((ours, after))
                })
                .expect("procps printed the same twice in a row");
            assert_eq!(
                String::from_utf8_lossy(&ours.0),
                String::from_utf8_lossy(&theirs.0),
                "ps {args:?} on a terminal {cols} wide"
            );
            assert_eq!(ours.1, theirs.1, "status of ps {args:?}");
        }
    }
    // Not vacuous: on 40 columns the command line really is cut there.
    let (raw, _) = on_terminal(&binary(), &["ps", "-o", "pid,args", "-p", &pid], 40);
    let text = String::from_utf8(raw).unwrap();
    let row = text.lines().nth(1).unwrap().trim_end_matches('\r');
    assert_eq!(row.chars().count(), 40, "{text:?}");
    assert!(
        row.ends_with("3600 0 0 0") || row.contains("pxterm"),
        "{row:?}"
    );
}

#[test]
fn piped_output_is_never_cut_and_never_colored() {
    let dir = tempfile::tempdir().unwrap();
    let child = long_sleeper(dir.path());
    let pid = child.pid().to_string();
    let out = StdCommand::new(binary())
        .args(["--color", "always", "ps", "-o", "pid,args", "-p", &pid])
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().nth(1).unwrap().len() > 200, "{text}");
    assert!(
        !text.contains('\x1b'),
        "procps output has no colors: {text:?}"
    );
    // On a terminal neither.
    let (raw, _) = on_terminal(&binary(), &["ps", "-o", "pid,args", "-p", &pid], 80);
    assert!(!raw.contains(&0x1b));
}

// procps-ng testsuite/ps.test/ps_output.exp, translated: each output flag
// list gives the headers it names, and the AIX descriptors are checked.

#[test]
fn procps_testsuite_output_flags() {
    let headers = |list: &str| -> String {
        let out = StdCommand::new(binary())
            .args(["ps", "-o", list])
            .output()
            .unwrap();
        assert!(out.status.success(), "ps -o {list}");
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .next()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(headers("%cpu,pcpu,%mem,pmem"), "%CPU %CPU %MEM %MEM");
    assert_eq!(
        headers("blocked,sig_block,sigmask,caught,sigcatch,sig_catch"),
        "BLOCKED BLOCKED BLOCKED CAUGHT CAUGHT CATCHED"
    );
    assert_eq!(headers("bsdstart,start,lstart"), "START STARTED STARTED");
    assert_eq!(
        headers("bsdtime,cputime,etime,etimes"),
        "TIME TIME ELAPSED ELAPSED"
    );
    assert_eq!(
        headers("user,ruser,group,rgroup,uid,ruid,gid,rgid"),
        "USER RUSER GROUP RGROUP UID RUID GID RGID"
    );
    assert_eq!(headers("cputimes,times"), "TIME TIME");
    // Values have the documented shapes.
    let out = StdCommand::new(binary())
        .args([
            "ps",
            "--no-headers",
            "-o",
            "bsdtime,cputime,etime,etimes",
            "-p",
            "1",
        ])
        .output()
        .unwrap();
    let row = String::from_utf8(out.stdout).unwrap();
    let re = regex::Regex::new(
        r"^\s*\d+:\d{2}\s+(\d+-)?\d{2}:\d{2}:\d{2}\s+((\d+-)?\d{2}:)?\d{2}:\d{2}\s+\d+\n$",
    )
    .unwrap();
    assert!(re.is_match(&row), "{row:?}");
}

#[test]
fn procps_testsuite_aix_descriptors() {
    let run = |spec: &str| {
        StdCommand::new(binary())
            .args(["ps", "-o", spec])
            .output()
            .unwrap()
    };
    let out = run("%p");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().next().map(str::trim), Some("PID"), "{text}");
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.trim().parse::<u32>().is_ok()),
        "{text}"
    );
    for (spec, message) in [
        ("%p %G{", "improper AIX field descriptor"),
        ("%p %%a", "missing AIX field descriptor"),
        ("%p %Z", "unknown AIX field descriptor"),
    ] {
        let out = run(spec);
        assert_eq!(out.status.code(), Some(1), "{spec}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(message), "{spec}: {err}");
    }
}

// testsuite/ps.test/ps_sched_batch.exp: a SCHED_BATCH process shows class B
// and its nice value.
#[test]
fn procps_testsuite_sched_batch() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("pxbatch");
    std::os::unix::fs::symlink(which("sleep"), &link).unwrap();
    let child = Reaped(
        StdCommand::new(which("chrt"))
            .args(["--batch", "0", "nice", "-n", "18"])
            .arg(&link)
            .arg("3600")
            .stdin(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let pid = child.pid().to_string();
    let mut row = String::new();
    for _ in 0..2000 {
        let out = StdCommand::new(binary())
            .args(["ps", "--no-header", "-o", "comm,cls,nice", "-p", &pid])
            .output()
            .unwrap();
        row = String::from_utf8(out.stdout).unwrap();
        if row.starts_with("pxbatch") {
            break;
        }
        std::thread::yield_now();
    }
    let fields: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(fields, ["pxbatch", "B", "18"], "{row:?}");
}
