//! Scale: with 20000 extra processes every command still completes, and
//! `ps aux` stays within 2x of procps's peak memory. A test binary of its
//! own, so that nothing else runs while the 20000 processes exist.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

const EXTRA: usize = 20_000;

struct Group(std::process::Child);

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = nix::unistd::Pid::from_raw(-(self.0.id() as i32));
        let _ = nix::sys::signal::kill(pgid, nix::sys::signal::Signal::SIGKILL);
        let _ = self.0.wait();
    }
}

/// Peak RSS in KiB of one run, through GNU time.
fn max_rss(program: &str, args: &[&str]) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

#[test]
fn twenty_thousand_processes() {
    let script = format!(
        "i=0; while [ $i -lt {EXTRA} ]; do sleep 100000 & i=$((i+1)); done; echo started; wait"
    );
    let mut child = Command::new("sh")
        .args(["-c", &script])
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let group = Group(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    assert_eq!(line, "started\n");
    let bin = assert_cmd::cargo::cargo_bin("proctl");
    let root = group.0.id().to_string();
    for args in [
        &["ps", "aux"][..],
        &["ps"],
        &["ps", "-ef", "--forest"],
        &["ps", "--format", "json"],
        &["pstree", "-p"],
        &["show", &root],
        &["ports"],
        &["signal", "--dry-run", "--pgroup", &root],
    ] {
        let out = Command::new(&bin).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // `ports` names, in one line, the sockets whose owners it could not
        // read, even as root (a process may hold capabilities root lacks).
        let err = String::from_utf8_lossy(&out.stderr);
        let owner_note = args[0] == "ports"
            && err.lines().count() == 1
            && (err.contains(" sockets show no owner: ")
                || err.contains(" 1 socket shows no owner: "));
        assert!(out.stderr.is_empty() || owner_note, "{args:?}: {err}");
    }
    let out = Command::new(&bin)
        .args(["ps", "--no-header", "-o", "pid", "--ppid", &root])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().lines().count() >= EXTRA);
    if let (Some(ours), Some(theirs)) = (
        max_rss(bin.to_str().unwrap(), &["ps", "aux"]),
        max_rss("ps", &["aux"]),
    ) {
        assert!(
            ours <= 2 * theirs,
            "proctl ps aux peaked at {ours} KiB, procps at {theirs} KiB"
        );
    } else {
        panic!("GNU time (/usr/bin/time) is needed: apt-get install time");
    }
}
