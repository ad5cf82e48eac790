//! `proctl set` on processes the test starts, read back from /proc and by
//! util-linux's taskset, chrt, ionice and prlimit.

use std::os::fd::OwnedFd;
use std::process::{Command as StdCommand, Stdio};

use crate::signal::run;
use crate::util::{Reaped, as_nobody, binary, is_root, python_ready, stdout_of, which};

/// A Python process with three extra threads, named `name` (written to
/// /proc/self/comm: python3 may be a launcher that a symlink would
/// confuse); returns it and its thread ids.
fn threaded(name: &str) -> (Reaped, Vec<i32>) {
    let script = r#"
import sys, threading, time
open("/proc/self/comm", "w").write(sys.argv[1])
ts = [threading.Thread(target=lambda: time.sleep(3600), daemon=True) for _ in range(3)]
for t in ts: t.start()
print("ready", flush=True)
time.sleep(3600)
"#;
    let (child, line) = python_ready(script, &[std::ffi::OsStr::new(name)]);
    assert_eq!(line, "ready\n");
    let pid = child.pid();
    let tids: Vec<i32> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(tids.len(), 4);
    (child, tids)
}

fn thread_nice(pid: i32, tid: i32) -> i32 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/stat")).unwrap();
    let rest = stat.rsplit_once(") ").unwrap().1;
    rest.split_whitespace().nth(16).unwrap().parse().unwrap()
}

fn status_field(pid: i32, tid: i32, field: &str) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field).map(|v| v.trim().to_string()))
        .unwrap()
}

fn peer(program: &str, args: &[&str]) -> String {
    stdout_of(StdCommand::new(which(program)).args(args))
}

#[test]
fn every_change_reaches_every_thread() {
    let (child, tids) = threaded("pxset-all");
    let pid = child.pid();
    let p = pid.to_string();
    let (code, out, err) = run(&[
        "set",
        &p,
        "--nice",
        "7",
        "--affinity",
        "0",
        "--policy",
        "batch",
        "--io",
        "best-effort:6",
        "--rlimit",
        "nofile=256:512",
        "--oom-score-adj",
        "321",
        "-v",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("nice 0 -> 7"), "{out}");
    for &tid in &tids {
        assert_eq!(thread_nice(pid, tid), 7, "thread {tid}");
        assert_eq!(status_field(pid, tid, "Cpus_allowed_list:"), "0");
        let chrt = peer("chrt", &["-p", &tid.to_string()]);
        assert!(chrt.contains("SCHED_BATCH"), "{chrt}");
        let ionice = peer("ionice", &["-p", &tid.to_string()]);
        assert_eq!(ionice.trim(), "best-effort: prio 6");
    }
    let taskset = peer("taskset", &["-p", &p]);
    assert!(taskset.trim().ends_with(": 1"), "{taskset}");
    let prlimit = peer(
        "prlimit",
        &["--pid", &p, "--nofile", "--raw", "--noheadings"],
    );
    let fields: Vec<&str> = prlimit.split_whitespace().collect();
    assert!(
        fields.contains(&"256") && fields.contains(&"512"),
        "{prlimit}"
    );
    assert_eq!(
        std::fs::read_to_string(format!("/proc/{pid}/oom_score_adj"))
            .unwrap()
            .trim(),
        "321"
    );
    // Relative nice, and the real-time policies (root only).
    let (code, _, err) = run(&["set", &p, "--nice-by", "-2"]);
    assert_eq!(code, 0, "{err}");
    assert!(tids.iter().all(|&t| thread_nice(pid, t) == 5));
    if is_root() {
        let (code, _, err) = run(&["set", &p, "--policy", "rr", "--rt-priority", "3"]);
        assert_eq!(code, 0, "{err}");
        for &tid in &tids {
            let chrt = peer("chrt", &["-p", &tid.to_string()]);
            assert!(chrt.contains("SCHED_RR") && chrt.contains(": 3"), "{chrt}");
        }
        // JSON names policies as ps and show do, not as chrt does.
        let (code, out, err) = run(&["set", &p, "--policy", "other", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let change = &doc[0]["changes"][0];
        assert_eq!(
            change["before"],
            serde_json::json!({"policy": "round-robin", "rt_priority": 3}),
            "{doc}"
        );
        assert_eq!(
            change["after"],
            serde_json::json!({"policy": "normal", "rt_priority": 0}),
            "{doc}"
        );
        let (_, shown, _) = run(&["show", &p, "--format", "json"]);
        let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(shown["policy"], change["after"]["policy"]);
    }
}

#[test]
fn selectors_json_and_dry_run() {
    let (a, _) = threaded("pxset-sel-a");
    let (b, _) = threaded("pxset-sel-b");
    let (code, out, err) = run(&[
        "set",
        "--name",
        "^pxset-sel-",
        "--nice",
        "4",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pids: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pid"].as_i64().unwrap())
        .collect();
    assert_eq!(pids.len(), 2, "{out}");
    assert!(pids.contains(&(a.pid() as i64)) && pids.contains(&(b.pid() as i64)));
    assert_eq!(rows[0]["changes"][0]["outcome"], "would_change");
    assert_eq!(thread_nice(a.pid(), a.pid()), 0, "dry run changed nothing");
    let (code, out, err) = run(&[
        "set",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "^pxset-sel-a$",
        "--nice",
        "4",
        "-y",
        "--format",
        "json",
    ]);
    // The report says why when it is not 0 (it failed once under load
    // with nothing on stderr).
    assert_eq!(code, 0, "stderr: {err}, report: {out}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let change = &rows[0]["changes"][0];
    assert_eq!(change["what"], "nice");
    assert_eq!(change["before"], 0);
    assert_eq!(change["after"], 4);
    assert_eq!(change["outcome"], "changed");
    assert_eq!(thread_nice(b.pid(), b.pid()), 0);
}

#[test]
fn another_users_process_is_permission_denied() {
    if !is_root() {
        eprintln!("skipped: needs root to run proctl as nobody");
        return;
    }
    let (child, _) = threaded("pxset-perm");
    let out = as_nobody(&["set", &child.pid().to_string(), "--nice", "3"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("permission denied") && err.contains("CAP_SYS_NICE"),
        "{err}"
    );
    assert_eq!(thread_nice(child.pid(), child.pid()), 0);
}

#[test]
fn bad_values_change_nothing() {
    let (child, _) = threaded("pxset-bad");
    let p = child.pid().to_string();
    for (args, needle) in [
        (&["set", &p, "--nice", "20"][..], "--nice"),
        (
            &["set", &p, "--nice", "3", "--affinity", "4096"],
            "does not exist",
        ),
        (
            &["set", &p, "--nice", "3", "--policy", "fifo"],
            "--rt-priority",
        ),
        (&["set", &p, "--nice", "3", "--io", "loud"], "--io"),
        (
            &["set", &p, "--nice", "3", "--rlimit", "nofile=x"],
            "--rlimit",
        ),
        (
            &["set", &p, "--nice", "3", "--oom-score-adj", "-1001"],
            "--oom-score-adj",
        ),
        (&["set", &p], "nothing to change"),
        (&["set", "--nice", "3"], "nothing to change"),
        (&["set", "-5", "--nice", "3"], "'-5'"),
        (&["set", "0", "--nice", "3"], "invalid target"),
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(thread_nice(child.pid(), child.pid()), 0);
}

#[test]
fn a_recycled_pid_is_never_changed() {
    let (child, _) = threaded("pxset-reuse");
    let (code, out, err) = run(&[
        "set",
        &format!("{}@1", child.pid()),
        "--nice",
        "9",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["outcome"], "pid_reused");
    assert_eq!(thread_nice(child.pid(), child.pid()), 0);
}

/// A limit of a process as prlimit(1) reads it: (soft, hard).
fn prlimit_of(pid: i32, option: &str) -> (String, String) {
    let text = peer(
        "prlimit",
        &[
            "--pid",
            &pid.to_string(),
            option,
            "--raw",
            "--noheadings",
            "--output",
            "SOFT,HARD",
        ],
    );
    let fields: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(fields.len(), 2, "{text}");
    (fields[0].to_string(), fields[1].to_string())
}

// Issue 17: reading another user's limits fails with EPERM, which was
// reported as "no such process" with no value before.
#[test]
fn another_users_limit_is_permission_denied_not_gone() {
    if !is_root() {
        eprintln!("skipped: needs root to run proctl as nobody");
        return;
    }
    let (child, _) = threaded("pxset-rlperm");
    let pid = child.pid();
    let before = prlimit_of(pid, "--core");
    let p = pid.to_string();
    let out = as_nobody(&["set", &p, "--rlimit", "core=0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("proctl: permission denied: rlimit of ")
            && err.contains("CAP_SYS_RESOURCE")
            && !err.contains("no such process"),
        "{err}"
    );
    let out = as_nobody(&["set", &p, "--rlimit", "core=0", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["pid"], pid);
    assert_eq!(rows[0]["changes"][0]["outcome"], "permission_denied");
    assert_eq!(prlimit_of(pid, "--core"), before, "nothing changed");
}

// Issue 17: `nofile=:10` under a soft limit above 10 said only "Invalid
// argument"; prlimit(1) names the limit, and so do we, with both numbers.
#[test]
fn a_hard_limit_below_the_soft_one_is_named() {
    let (child, _) = threaded("pxset-rlhard");
    let pid = child.pid();
    let p = pid.to_string();
    let (code, _, err) = run(&["set", &p, "--rlimit", "nofile=50:100"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&["set", &p, "--rlimit", "nofile=:10"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(
        err,
        format!(
            "proctl: refused: rlimit of {pid} (pxset-rlhard) not changed (still nofile 50:100): \
             the soft limit of nofile (50) is above the hard limit (10)\n"
        )
    );
    assert_eq!(
        prlimit_of(pid, "--nofile"),
        ("50".to_string(), "100".to_string())
    );
    // And a soft limit above the process's own hard limit.
    let (code, _, err) = run(&["set", &p, "--rlimit", "nofile=200:"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the soft limit of nofile (200) is above the hard limit (100)"),
        "{err}"
    );
}

fn json_change(args: &[&str]) -> (i32, serde_json::Value) {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let (code, out, err) = run(&args);
    let rows: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, rows[0]["changes"][0].clone())
}

// Issue 17: --dry-run showed only the value now (JSON after: null), and
// -v reported setting a value the process already had as a change.
#[test]
fn dry_run_shows_the_target_and_unchanged_values_say_so() {
    let (child, tids) = threaded("pxset-dry");
    let pid = child.pid();
    let p = pid.to_string();
    let who = format!("{pid} (pxset-dry)");
    let (code, out, err) = run(&["set", &p, "--nice", "4", "--dry-run"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        format!("would change nice of {who} (now 0, would be 4)\n")
    );
    let (code, change) = json_change(&["set", &p, "--nice", "4", "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        (&change["before"], &change["after"], &change["outcome"]),
        (&0.into(), &4.into(), &"would_change".into())
    );
    assert!(
        tids.iter().all(|&t| thread_nice(pid, t) == 0),
        "dry run changed nothing"
    );

    let (code, out, err) = run(&["set", &p, "--nice", "4", "-v"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, format!("{who}: nice 0 -> 4\n"));
    let (code, out, err) = run(&["set", &p, "--nice", "4", "-v"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, format!("{who}: nice 4 (unchanged)\n"));
    let (code, change) = json_change(&["set", &p, "--nice", "4"]);
    assert_eq!(code, 0);
    assert_eq!(change["outcome"], "unchanged");
    let (code, out, _) = run(&["set", &p, "--nice", "4", "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!("nice of {who} is already 4, nothing to change\n")
    );
    let (_, change) = json_change(&["set", &p, "--nice-by", "0", "--dry-run"]);
    assert_eq!(
        (&change["after"], &change["outcome"]),
        (&4.into(), &"unchanged".into())
    );

    // One thread apart from the rest: the change is a change.
    let odd = *tids.iter().find(|&&t| t != pid).unwrap();
    assert_eq!(
        StdCommand::new(which("renice"))
            .args(["-n", "9", "-p", &odd.to_string()])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .code(),
        Some(0)
    );
    let (_, change) = json_change(&["set", &p, "--nice", "4", "--dry-run"]);
    assert_eq!(change["outcome"], "would_change");
    let (code, change) = json_change(&["set", &p, "--nice", "4"]);
    assert_eq!((code, &change["outcome"]), (0, &"changed".into()));
    assert!(tids.iter().all(|&t| thread_nice(pid, t) == 4));

    // A one-sided limit: the dry run shows the other side kept, and a
    // clash is refused as the real run would be, changing nothing.
    let (code, _, err) = run(&["set", &p, "--rlimit", "nofile=50:100"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&["set", &p, "--rlimit", "nofile=:80", "--dry-run"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        format!("would change rlimit of {who} (now nofile 50:100, would be nofile 50:80)\n")
    );
    let (code, out, err) = run(&["set", &p, "--rlimit", "nofile=:10", "--dry-run"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("is above the hard limit (10)"), "{err}");
    assert_eq!(
        prlimit_of(pid, "--nofile"),
        ("50".to_string(), "100".to_string())
    );
}

/// Runs proctl with stdout on `stdout`; returns its status and stderr.
fn with_stdout(args: &[&str], stdout: Stdio) -> (Option<i32>, String) {
    let out = StdCommand::new(binary())
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// Issue 17: a full stdout said only "No space left on device (os error
// 28)", and a missing pidfile ended in "(os error 2)". Every command
// writes through the same stdout, so the rule is checked for a few.
#[test]
fn write_errors_name_standard_output() {
    let (child, _) = threaded("pxset-full");
    let p = child.pid().to_string();
    let full = "proctl: cannot write to standard output: No space left on device\n";
    for args in [
        &["set", &p, "--nice", "1", "-v"][..],
        &["set", &p, "--nice", "1", "--format", "json"],
        &["set", &p, "--nice", "2", "--dry-run"],
        &["ps", "-p", &p],
        &["pstree", &p],
        &["show", &p],
    ] {
        let dev_full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (code, err) = with_stdout(args, Stdio::from(dev_full));
        assert_eq!((code, err.as_str()), (Some(1), full), "{args:?}");
        // A closed pipe stays quiet.
        let (reader, writer): (OwnedFd, OwnedFd) = nix::unistd::pipe().unwrap();
        drop(reader);
        let (code, err) = with_stdout(args, Stdio::from(writer));
        assert_eq!((code, err.as_str()), (Some(0), ""), "{args:?}");
    }
    assert_eq!(thread_nice(child.pid(), child.pid()), 1);
    let (code, out, err) = run(&["set", "--pidfile", "/nonexistent/pxset.pid", "--nice", "1"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(
        err,
        "proctl: cannot read pidfile /nonexistent/pxset.pid: No such file or directory\n"
    );
}

// Issue 17: set's help described signal's JSON ("pid, name, signal,
// outcome").
#[test]
fn help_describes_sets_own_report() {
    let (code, out, _) = run(&["set", "--help"]);
    assert_eq!(code, 0);
    assert!(!out.contains("signal, outcome"), "{out}");
    assert!(
        out.contains("changes [{what, before, after, outcome, reason}]"),
        "{out}"
    );
    for outcome in [
        "changed",
        "unchanged",
        "would_change",
        "permission_denied",
        "no_such_process",
        "pid_reused",
        "refused",
    ] {
        assert!(out.contains(outcome), "{outcome}: {out}");
    }
}
