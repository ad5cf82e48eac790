//! Regression tests for issue #12: where the signal is on the command line,
//! kill(2)'s meaning of signal 0, thread ids, `kill 0`, named targets with
//! selectors, `--tree` with stop signals, escalation and waiting, JSON, and
//! the pgrep selectors of `proctl signal` and `proctl wait`.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::signal::{recorder, recorder_with, run, wait_exit};
use crate::util::{Reaped, as_nobody, binary, is_root, which, with_default_signals};

fn json(out: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
        .as_array()
        .expect("an array")
        .clone()
}

/// The state letter of a process, from /proc/PID/stat.
fn state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")
        .and_then(|(_, rest)| rest.chars().next())
}

/// Polls until `cond` holds, at most 20 s.
fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A Python child that blocks USR1, says "ready TID" (TID of a second
/// thread), then reports the first USR1's si_code and si_pid and exits.
fn sigwaiter() -> (Reaped, BufReader<std::process::ChildStdout>, i32) {
    let script = r#"
import signal, sys, threading, time
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
t = threading.Thread(target=lambda: time.sleep(3600), daemon=True)
t.start()
print("ready", t.native_id, flush=True)
info = signal.sigwaitinfo({signal.SIGUSR1})
print(info.si_signo, info.si_code, info.si_pid, flush=True)
"#;
    let mut child = StdCommand::new(which("python3"))
        .args(["-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let tid = line
        .trim()
        .strip_prefix("ready ")
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("bad ready line {line:?}"));
    (Reaped(child), out, tid)
}

#[test]
fn a_signal_after_options_is_the_signal_never_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(dir.path(), "pxrule-order");
    let pid = rec.pid().to_string();
    let (code, out, err) = run(&["kill", "--format", "json", "-9", &pid, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    let rows = json(&out);
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0]["pid"], rec.pid());
    assert_eq!(rows[0]["signal"], "KILL");
    assert_eq!(rows[0]["outcome"], "would_send");
}

#[test]
fn with_a_selector_dash_one_is_hup() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxrule-hup");
    let (code, _, err) = run(&[
        "kill",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "^pxrule-hup$",
        "-1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rec.caught(), "HUP\n");
    // pkill's procps test "signal option order": the signal last.
    let mut rec = recorder(dir.path(), "pxrule-last");
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "^pxrule-last$",
        "-USR2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rec.caught(), "USR2\n");
}

#[test]
fn an_invalid_signal_number_is_an_error_not_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxrule-inval");
    let pid = rec.pid().to_string();
    for args in [
        &["kill", "-32151", &pid][..],
        &["kill", "--name", "^pxrule-inval$", &pid, "-32151"],
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert!(err.contains("unknown signal '32151'"), "{err}");
    }
    let (code, _, err) = run(&["kill", "-BOGUS", &pid]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown signal 'BOGUS'"), "{err}");
    let (code, _, err) = run(&["kill", "-s", "HUP", "-TERM", &pid]);
    assert_eq!(code, 2);
    assert!(err.contains("two signals"), "{err}");
    assert!(rec.alive());
    assert!(!rec.log.exists());
}

#[test]
fn negative_numbers_after_the_signal_are_groups() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxrule-grp");
    let group = format!("-{}", rec.pid());
    let (code, out, err) = run(&["kill", "-s", "USR1", &group, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("would send USR1 to process group {}\n", rec.pid())
    );
    let (code, _, err) = run(&["kill", "-USR1", &group]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rec.caught(), "USR1\n");
}

#[test]
fn signal_zero_has_kills_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let rec = recorder(dir.path(), "pxrule-zero");
    let pid = rec.pid().to_string();
    let (code, _, err) = run(&["kill", "-0", &pid]);
    assert_eq!(code, 0, "{err}");
    // A zombie exists for kill(2): 0 and TERM both succeed.
    let mut zombie = StdCommand::new(which("true")).spawn().unwrap();
    let zpid = zombie.id() as i32;
    until("the zombie", || state(zpid) == Some('Z'));
    for sig in ["-0", "-TERM"] {
        let (code, _, err) = run(&["kill", sig, &zpid.to_string()]);
        assert_eq!(code, 0, "{sig} to a zombie: {err}");
    }
    let _ = zombie.wait();
    // Another user's process: EPERM is a failure, as kill(1) says.
    if is_root() {
        let out = as_nobody(&["kill", "-0", &pid]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("permission denied"), "{err}");
    }
}

#[test]
fn a_thread_id_signals_its_process() {
    let (mut child, mut out, tid) = sigwaiter();
    let (code, _, err) = run(&["kill", "-USR1", &tid.to_string()]);
    assert_eq!(code, 0, "{err}");
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.starts_with("10 "), "{line}");
    assert!(wait_exit(&mut child, Duration::from_secs(20)).is_some());
    // The report names the process and the thread.
    let (_keep, mut out2, tid2) = sigwaiter();
    let (code, text, err) = run(&["kill", "-v", "-USR1", &tid2.to_string()]);
    assert_eq!(code, 0, "{err}");
    assert!(text.contains(&format!("thread {tid2}")), "{text}");
    let mut line = String::new();
    out2.read_line(&mut line).unwrap();
}

#[test]
fn queue_sends_a_value_with_si_queue() {
    let (mut child, mut out, _) = sigwaiter();
    let (code, _, err) = run(&["kill", "-q", "42", "-s", "USR1", &child.pid().to_string()]);
    assert_eq!(code, 0, "{err}");
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let fields: Vec<i64> = line
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect();
    // SI_QUEUE is -1.
    assert_eq!(fields[..2], [10, -1], "{line}");
    assert!(wait_exit(&mut child, Duration::from_secs(20)).is_some());
    let (code, _, err) = run(&["kill", "-q", "x", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--queue"), "{err}");
}

#[test]
fn list_translates_each_argument() {
    let (code, out, _) = run(&["kill", "-l", "15", "9", "137", "HUP"]);
    assert_eq!(code, 0);
    assert_eq!(out, "TERM\nKILL\nKILL\n1\n");
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxrule-n");
    let (code, _, err) = run(&["kill", "-n", "10", &rec.pid().to_string()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rec.caught(), "USR1\n");
}

#[test]
fn kill_zero_signals_the_own_group_and_survives() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxrule-own");
    let out = StdCommand::new(binary())
        .args(["kill", "-s", "USR2", "0"])
        .process_group(rec.pid())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rec.caught(), "USR2\n");
    // -1 needs --force (signal 0: a slip in the refusal sends nothing).
    let (code, _, err) = run(&["kill", "-s", "0", "-1"]);
    assert_eq!(code, 1);
    assert!(err.contains("-1 is every process"), "{err}");
}

#[test]
fn named_pids_and_selectors_intersect() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = recorder(dir.path(), "pxrule-isa");
    let mut b = recorder(dir.path(), "pxrule-isb");
    let (pa, pb) = (a.pid().to_string(), b.pid().to_string());
    let (code, out, err) = run(&[
        "signal",
        "--name",
        "^pxrule-isa$",
        &pa,
        &pb,
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = json(&out);
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0]["pid"], a.pid());
    let (code, _, err) = run(&["signal", "--name", "^pxrule-isa$", &pa, &pb, "-s", "USR1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(a.caught(), "USR1\n");
    assert!(b.alive());
    assert!(!b.log.exists());
    // A named pid that is gone leaves nothing to intersect with.
    let (code, out, _) = run(&[
        "signal",
        "--name",
        "^pxrule-isb$",
        "2147483646",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(json(&out).iter().all(|r| r["pid"] != b.pid()), "{out}");
}

#[test]
fn json_is_an_empty_array_when_nothing_matches() {
    let (code, out, err) = run(&["signal", "--name", "^pxrule-none-xyz$", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(json(&out).len(), 0);
    assert!(err.contains("no process matched"), "{err}");
}

#[test]
fn usage_errors_name_the_culprit() {
    for (args, needle) in [
        (
            &["kill", "--timeout", "1", "4194305"][..],
            "--timeout goes with --wait",
        ),
        (&["kill", "--group", "4194305"], "--pgroup"),
        (&["kill", "--pgroup", ""], "empty process group"),
        (&["kill", "-s", "0", "-u", "root,"], "empty user"),
        (&["kill", "-s", "0", "-r", "Q", "-y"], "invalid state 'Q'"),
        (
            &["kill", "-F", "/nonexistent/pidfile"],
            "cannot read pidfile",
        ),
        (&["kill", "-i", "4194305"], "go with --name"),
        (&["wait"], "nothing to wait for"),
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn names_longer_than_the_kernel_keeps_still_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxrule-a-rather-long-name");
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "^pxrule-a-rather-long-name$",
        "-s",
        "INT",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rec.caught(), "INT\n");
}

/// Starts `sh -c SCRIPT` in a process group of its own, with the default
/// signal actions, and returns it once it has printed its first line.
fn shell(script: &str, stdin: Stdio) -> (Reaped, String) {
    let mut child = with_default_signals(StdCommand::new(which("sh")).args(["-c", script]))
        .stdout(Stdio::piped())
        .stdin(stdin)
        .process_group(0)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (Reaped(child), line)
}

/// A process group holding a shell that records USR1 and CONT without
/// exiting, and a sleeping child that ignores USR1; returns the group, the
/// log and the child.
fn recording_tree(dir: &std::path::Path) -> (Reaped, std::path::PathBuf, i32) {
    let log = dir.join("tree.log");
    let script = format!(
        "trap 'echo USR1 >> {0}' USR1; trap 'echo CONT >> {0}' CONT; \
         (trap '' USR1; exec sleep 3600) & echo $!; while :; do wait; done",
        log.display()
    );
    let (child, line) = shell(&script, Stdio::null());
    let sleeper: i32 = line.trim().parse().unwrap();
    // $! is printed before the subshell has ignored USR1: ready once it
    // runs sleep (the ignoring survives the exec).
    until("the child to run sleep", || {
        std::fs::read_to_string(format!("/proc/{sleeper}/comm")).is_ok_and(|c| c == "sleep\n")
    });
    (child, log, sleeper)
}

#[test]
fn tree_root_sees_only_its_signal_and_stop_signals_stay() {
    let dir = tempfile::tempdir().unwrap();
    let (root, log, sleeper) = recording_tree(dir.path());
    let (code, _, err) = run(&[
        "signal",
        "--tree",
        &root.pid().to_string(),
        "-s",
        "USR1",
        "-y",
    ]);
    assert_eq!(code, 0, "{err}");
    until("the root's USR1", || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("USR1"))
    });
    // The child was stopped and resumed by proctl; the root never.
    until("the sleeper to run again", || state(sleeper) == Some('S'));
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "USR1\n");

    let (code, _, err) = run(&[
        "signal",
        "--tree",
        &root.pid().to_string(),
        "-s",
        "TSTP",
        "-y",
    ]);
    assert_eq!(code, 0, "{err}");
    // A stop takes effect when the process next runs, which on a loaded
    // machine can be after proctl has exited; and proctl, gone, can send
    // nothing that resumes them.
    until("the sleeper to stop", || state(sleeper) == Some('T'));
    until("the root to stop", || state(root.pid()) == Some('T'));
    assert_eq!(state(sleeper), Some('T'), "resumed after proctl ended");
}

#[test]
fn tree_members_that_exit_on_their_own_are_not_failures() {
    // A root that ignores USR1 and forks short-lived children without pause.
    let (root, _) = shell(
        "trap '' USR1; echo ready; while :; do /bin/true; done",
        Stdio::null(),
    );
    for _ in 0..20 {
        let (code, _, err) = run(&[
            "signal",
            "--tree",
            &root.pid().to_string(),
            "-s",
            "USR1",
            "-y",
        ]);
        assert_eq!(code, 0, "{err}");
    }
}

/// A shell that ignores TERM and says "ready"; stdin stays open.
pub fn term_ignorer() -> Reaped {
    shell(
        "trap '' TERM; echo ready; while :; do read -r x; done",
        Stdio::piped(),
    )
    .0
}

#[test]
fn escalation_is_reported() {
    let mut child = term_ignorer();
    let pid = child.pid().to_string();
    let (code, out, err) = run(&[
        "kill",
        "--kill-after",
        "0.2",
        "--wait",
        "--format",
        "json",
        &pid,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json(&out)[0]["outcome"], "killed", "{out}");
    assert!(wait_exit(&mut child, Duration::from_secs(20)).is_some());

    let mut child = term_ignorer();
    let pid = child.pid().to_string();
    let (code, _, err) = run(&["kill", "--kill-after", "0.2", &pid]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("sent KILL"), "{err}");
    assert!(wait_exit(&mut child, Duration::from_secs(20)).is_some());
}

#[test]
fn timeout_bounds_the_whole_wait() {
    let mut child = term_ignorer();
    let pid = child.pid().to_string();
    let started = Instant::now();
    let (code, out, _) = run(&[
        "kill",
        "--kill-after",
        "30",
        "--wait",
        "--timeout",
        "0.3",
        "--format",
        "json",
        &pid,
    ]);
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(code, 1);
    assert_eq!(json(&out)[0]["outcome"], "still_running", "{out}");
    // KILL was never sent: the grace period had not run out.
    assert!(child.0.try_wait().unwrap().is_none());
}

#[test]
fn pgrep_selectors_runstates_pidfile_inverse_age() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = recorder(dir.path(), "pxrule-sel-a");
    let b = recorder_with(dir.path(), "pxrule-sel-b", |c| {
        c.process_group(0);
    });
    let (pa, pb) = (a.pid(), b.pid());
    // --runstates: stop b, then select stopped processes by name.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pb),
        nix::sys::signal::Signal::SIGSTOP,
    )
    .unwrap();
    until("b to stop", || state(pb) == Some('T'));
    let dry = |extra: &[&str]| -> Vec<i64> {
        // Signal 0 as well: a slip in --dry-run would send nothing.
        let mut args = vec!["signal", "-s", "0", "--dry-run", "--format", "json"];
        args.extend_from_slice(extra);
        let (_, out, _) = run(&args);
        json(&out)
            .iter()
            .map(|r| r["pid"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(dry(&["--name", "^pxrule-sel-", "-r", "T"]), [pb as i64]);
    assert_eq!(dry(&["--name", "^pxrule-sel-", "-r", "S"]), [pa as i64]);
    // --pidfile.
    let pidfile = dir.path().join("a.pid");
    std::fs::write(&pidfile, format!("{pa}\n")).unwrap();
    assert_eq!(dry(&["-F", pidfile.to_str().unwrap()]), [pa as i64]);
    // --inverse: everything but a in a's group is nothing of ours.
    let group = pa.to_string();
    let inverse = dry(&["--pgroup", &group, "--name", "^pxrule-sel-a$", "--inverse"]);
    assert!(!inverse.contains(&(pa as i64)));
    assert!(inverse.contains(&(pb as i64)));
    // Ages.
    assert_eq!(
        dry(&["--name", "^pxrule-sel-a$", "--younger-than", "1h"]),
        [pa as i64]
    );
    assert!(dry(&["--name", "^pxrule-sel-a$", "--older-than", "1h"]).is_empty());
    // --real-group and --real-user.
    let gid = nix::unistd::getgid().to_string();
    assert!(dry(&["--name", "^pxrule-sel-a$", "-G", &gid]).contains(&(pa as i64)));
    let uid = nix::unistd::getuid().to_string();
    assert!(dry(&["--name", "^pxrule-sel-a$", "-U", &uid]).contains(&(pa as i64)));
    let (code, _, err) = run(&["signal", "-F", pidfile.to_str().unwrap(), "-s", "USR1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(a.caught(), "USR1\n");
}

#[test]
fn no_prompt_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = recorder(dir.path(), "pxrule-ask-a");
    let mut b = recorder(dir.path(), "pxrule-ask-b");
    // script(1) gives proctl a terminal on stdin and stdout; stderr is a file.
    let err_file = dir.path().join("err");
    let command = format!(
        "{} signal -P {} --name '^pxrule-ask-' -s HUP 2>{}",
        binary().display(),
        std::process::id(),
        err_file.display()
    );
    let status = StdCommand::new(which("script"))
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(
        status.success(),
        "{}",
        std::fs::read_to_string(&err_file).unwrap_or_default()
    );
    assert_eq!(a.caught(), "HUP\n");
    assert_eq!(b.caught(), "HUP\n");
}

#[test]
fn wait_takes_ticks_and_selectors() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxrule-wait");
    let pid = rec.pid();
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .unwrap()
        .rsplit_once(") ")
        .unwrap()
        .1
        .split_whitespace()
        .nth(19)
        .unwrap()
        .to_string();
    // A wrong start time: the pid is someone else now.
    let (code, _, err) = run(&["wait", &format!("{pid}@1"), "--timeout", "0.1"]);
    assert_eq!(code, 1);
    assert!(err.contains("another process"), "{err}");
    let mut waiter = Reaped(
        StdCommand::new(binary())
            .args(["wait", "--name", "^pxrule-wait$", &format!("{pid}@{ticks}")])
            .args(["--timeout", "20", "-v"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // The waiter must be waiting before the recorder goes: it says nothing
    // until then, so wait until it holds a pidfd (an anon_inode:[pidfd]).
    let fd_dir = format!("/proc/{}/fd", waiter.pid());
    until("the waiter to hold a pidfd", || {
        std::fs::read_dir(&fd_dir).is_ok_and(|d| {
            d.flatten().any(|e| {
                std::fs::read_link(e.path()).is_ok_and(|l| l.to_string_lossy().contains("pidfd"))
            })
        })
    });
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    assert_eq!(rec.caught(), "TERM\n");
    let status = wait_exit(&mut waiter, Duration::from_secs(20)).expect("waiter ended");
    assert!(status.success());
}

/// util-linux's test_sigreceive: catches every signal it can and exits
/// with its number; says "ready" once its handlers are in place. Started
/// in a batch, because Python starts slowly.
fn sigreceivers(count: usize) -> Vec<Reaped> {
    let script = r#"
import os, signal, sys
def handler(n, frame):
    os._exit(n)
for n in list(range(1, 32)) + list(range(signal.SIGRTMIN, signal.SIGRTMAX + 1)):
    if n in (signal.SIGKILL, signal.SIGSTOP):
        continue
    try:
        signal.signal(n, handler)
    except (OSError, ValueError):
        pass
print("ready", flush=True)
while True:
    signal.pause()
"#;
    let mut children: Vec<std::process::Child> = (0..count)
        .map(|_| {
            with_default_signals(&mut StdCommand::new(which("python3")))
                .args(["-c", script])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .process_group(0)
                .spawn()
                .unwrap()
        })
        .collect();
    for child in &mut children {
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line, "ready\n");
    }
    children.into_iter().map(Reaped).collect()
}

/// util-linux tests/ts/kill/name_to_number: every name `kill -L` lists
/// reaches the process as its number.
#[test]
fn util_linux_name_to_number() {
    let (code, table, _) = run(&["kill", "-L"]);
    assert_eq!(code, 0);
    let signals: Vec<(i32, &str)> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.parse().ok()?, words.next()?))
        })
        .filter(|&(_, name)| name != "KILL" && name != "STOP")
        .collect();
    let mut checked = 0;
    for ((number, name), mut child) in signals.iter().copied().zip(sigreceivers(signals.len())) {
        let (code, _, err) = run(&["kill", &format!("-{name}"), &child.pid().to_string()]);
        assert_eq!(code, 0, "-{name}: {err}");
        let status = wait_exit(&mut child, Duration::from_secs(20)).expect("receiver exited");
        assert_eq!(status.code(), Some(number), "-{name}");
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} signals checked");
}

/// util-linux tests/ts/kill/options: the ways of naming HUP.
#[test]
fn util_linux_options() {
    for (form, mut child) in [
        &["-s", "1"][..],
        &["--signal", "1"],
        &["--signal", "HUP"],
        &["--signal", "SIGHUP"],
        &["-1"],
        &["-HUP"],
        &["-SIGHUP"],
    ]
    .into_iter()
    .zip(sigreceivers(7))
    {
        let pid = child.pid().to_string();
        let mut args = vec!["kill"];
        args.extend_from_slice(form);
        args.push(&pid);
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        let status = wait_exit(&mut child, Duration::from_secs(20)).expect("receiver exited");
        assert_eq!(status.code(), Some(1), "{args:?}");
    }
}

#[test]
fn terminal_selector_on_the_fixture() {
    let out = crate::util::fixture()
        .args(["signal", "-t", "pts/0", "--dry-run", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let pids: Vec<i64> = json(&String::from_utf8(out.stdout).unwrap())
        .iter()
        .map(|r| r["pid"].as_i64().unwrap())
        .collect();
    assert_eq!(pids, [200, 300, 301]);
    // A fixture's pids name no live process: nothing read from it is acted on.
    let out = crate::util::fixture()
        .args(["signal", "-t", "pts/0", "-s", "0", "-y", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let rows = json(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["outcome"] == "refused"), "{rows:?}");
}

#[test]
fn proctls_own_pid_protects_nothing_in_a_fixture() {
    // proctl as pid 100 of a private pid namespace: in the fixture, 100 is
    // sshd, which proctl once took for itself and never selected.
    if !is_root() {
        eprintln!("skipped: needs root (for unshare --pid)");
        return;
    }
    let out = StdCommand::new("unshare")
        .args(["--pid", "--fork", "--mount-proc", "sh", "-c"])
        .arg("echo 99 >/proc/sys/kernel/ns_last_pid && \"$0\" \"$@\"")
        .arg(binary())
        .args(["signal", "--name", "sshd", "--dry-run", "--format", "json"])
        .env("PROCTL_PROC_ROOT", crate::util::fixture_root())
        .env("PROCTL_NOW", crate::util::FIXTURE_NOW)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let pids: Vec<i64> = json(&String::from_utf8(out.stdout).unwrap())
        .iter()
        .map(|r| r["pid"].as_i64().unwrap())
        .collect();
    assert_eq!(pids, [100]);
}
