//! `proctl signal` / `proctl kill` and `proctl wait` with real children that
//! record the signals they receive.

use std::io::{BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, ExitStatus, Stdio};
use std::time::Duration;

use crate::util::{Reaped, binary, proctl, which, with_default_signals};

/// A shell that writes the name of each signal it catches to a log, then
/// exits 0; it says "ready" once its traps are set.
// Ready once its sleep has exec'd: until then the forked child bears the
// recorder's name too, and a test selecting by name would find two.
const RECORDER: &str = r#"log=$1
for s in HUP INT QUIT USR1 USR2 TERM; do trap "echo $s >> '$log'; exit 0" $s; done
sleep 3600 &
until { read c < /proc/$!/comm; } 2>/dev/null && [ "$c" = sleep ]; do :; done
echo ready
wait"#;

pub struct Recorder {
    pub child: Reaped,
    pub log: PathBuf,
}

impl Recorder {
    pub fn pid(&self) -> i32 {
        self.child.pid()
    }

    /// Waits (bounded) for the recorder to exit and returns what it caught.
    pub fn caught(&mut self) -> String {
        let status =
            wait_exit(&mut self.child, Duration::from_secs(20)).expect("recorder did not exit");
        assert!(status.success(), "recorder ended with {status:?}");
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn alive(&mut self) -> bool {
        self.child.0.try_wait().unwrap().is_none()
    }
}

/// Starts a recorder named `name`; `setup` may change how it is spawned.
pub fn recorder_with(dir: &Path, name: &str, setup: impl FnOnce(&mut StdCommand)) -> Recorder {
    let link = dir.join(name);
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(which("sh"), &link).unwrap();
    let log = dir.join(format!("{name}.log"));
    let mut cmd = StdCommand::new(&link);
    cmd.args(["-c", RECORDER, name])
        .arg(&log)
        .stdout(Stdio::piped())
        .stdin(Stdio::null());
    with_default_signals(&mut cmd);
    setup(&mut cmd);
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    Recorder {
        child: Reaped(child),
        log,
    }
}

pub fn recorder(dir: &Path, name: &str) -> Recorder {
    recorder_with(dir, name, |c| {
        c.process_group(0);
    })
}

/// Waits for a child to exit, at most `limit`, on its pidfd.
pub fn wait_exit(child: &mut Reaped, limit: Duration) -> Option<ExitStatus> {
    let pid = rustix::process::Pid::from_raw(child.pid()).unwrap();
    let fd = rustix::process::pidfd_open(pid, rustix::process::PidfdFlags::empty()).ok()?;
    let mut fds = [rustix::event::PollFd::new(
        &fd,
        rustix::event::PollFlags::IN,
    )];
    let t = rustix::event::Timespec {
        tv_sec: limit.as_secs() as i64,
        tv_nsec: 0,
    };
    rustix::event::poll(&mut fds, Some(&t)).ok()?;
    child.0.try_wait().ok().flatten()
}

pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = proctl().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn kill_syntax_forms() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["kill"], "TERM"),
        (&["kill", "-TERM"], "TERM"),
        (&["kill", "-s", "INT"], "INT"),
        (&["kill", "-HUP"], "HUP"),
        (&["kill", "-SIGUSR1"], "USR1"),
        (&["kill", "-12"], "USR2"),
        (&["signal", "--signal", "quit"], "QUIT"),
        (&["signal", "-s", "sigint"], "INT"),
        (&["kill", "-v", "-15"], "TERM"),
    ];
    for (i, (args, expected)) in cases.iter().enumerate() {
        let mut rec = recorder(dir.path(), &format!("pxsig-form{i}"));
        let pid = rec.pid().to_string();
        let mut all: Vec<&str> = args.to_vec();
        all.push(&pid);
        let (code, _, err) = run(&all);
        assert_eq!(code, 0, "{all:?}: {err}");
        assert_eq!(rec.caught(), format!("{expected}\n"), "{all:?}");
    }
    let mut rec = recorder(dir.path(), "pxsig-kill9");
    let (code, _, _) = run(&["kill", "-9", &rec.pid().to_string()]);
    assert_eq!(code, 0);
    let status = wait_exit(&mut rec.child, Duration::from_secs(20)).unwrap();
    assert_eq!(status.signal(), Some(9));
}

#[test]
fn listing_and_translating_names() {
    assert_eq!(
        run(&["kill", "-l", "15"]),
        (0, "TERM\n".into(), String::new())
    );
    assert_eq!(
        run(&["kill", "-l", "TERM"]),
        (0, "15\n".into(), String::new())
    );
    assert_eq!(run(&["kill", "-l", "137"]).1, "KILL\n");
    let (code, names, _) = run(&["kill", "-l"]);
    assert_eq!(code, 0);
    assert!(names.starts_with("HUP INT QUIT ILL"), "{names}");
    assert!(names.contains(" RTMIN RTMIN+1 "), "{names}");
    for args in [&["kill", "-L"][..], &["signal", "--list"]] {
        let (code, table, _) = run(args);
        assert_eq!(code, 0);
        assert!(
            table.lines().any(
                |l| l.split_whitespace().collect::<Vec<_>>()[..3] == ["9", "KILL", "terminate"]
            ),
            "{table}"
        );
        assert!(
            table
                .lines()
                .any(|l| l.contains("CONT") && l.contains("continue"))
        );
    }
}

#[test]
fn bad_usage_exits_2() {
    for (args, needle) in [
        (&["kill", "-s", "TREM", "1"][..], "did you mean TERM"),
        (&["kill", "-s", "RTMIN+99", "1"], "unknown signal"),
        (&["kill"], "nothing to signal"),
        (&["kill", "abc"], "invalid target 'abc'"),
        (
            &["signal", "-s", "0", "--older-than", "soon", "--name", "x"],
            "invalid duration 'soon'",
        ),
        (
            &["signal", "-s", "0", "--user", "no-such-user-xyz"],
            "unknown user",
        ),
        (&["signal", "--tree", "x"], "invalid pid for --tree"),
        (&["signal", "--name", "("], "invalid regex"),
        (&["wait", "x"], "invalid pid 'x'"),
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("proctl: ") && err.contains(needle),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn process_group_and_session_targets() {
    let dir = tempfile::tempdir().unwrap();
    let mut leader = recorder(dir.path(), "pxsig-grp-a");
    let pgid = leader.pid();
    let mut member = recorder_with(dir.path(), "pxsig-grp-b", |c| {
        c.process_group(pgid);
    });
    let (code, _, err) = run(&["kill", "-s", "USR1", &format!("-{pgid}")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(leader.caught(), "USR1\n");
    assert_eq!(member.caught(), "USR1\n");

    let mut a = recorder(dir.path(), "pxsig-grp-c");
    let mut b = recorder_with(dir.path(), "pxsig-grp-d", |c| {
        c.process_group(a.pid());
    });
    let (code, _, err) = run(&[
        "signal",
        "--pgroup",
        &a.pid().to_string(),
        "-s",
        "HUP",
        "-y",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(a.caught(), "HUP\n");
    assert_eq!(b.caught(), "HUP\n");

    let mut s = recorder_with(dir.path(), "pxsig-sess", |c| unsafe {
        c.pre_exec(|| {
            nix::unistd::setsid()
                .map(|_| ())
                .map_err(std::io::Error::from)
        });
    });
    let (code, _, err) = run(&["signal", "--session", &s.pid().to_string(), "-s", "INT"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(s.caught(), "INT\n");
}

#[test]
fn selectors_pattern_full_exact_user_parent() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = recorder(dir.path(), "pxsig-pat-one");
    let mut b = recorder(dir.path(), "pxsig-pat-two");
    let mut other = recorder(dir.path(), "pxsig-other");
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "^pxsig-pat-",
        "-y",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(a.caught(), "TERM\n");
    assert_eq!(b.caught(), "TERM\n");
    assert!(other.alive());

    // --exact: the whole name; --full: the command line (the log path is an argument).
    let (code, _, _) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "pxsig-oth",
        "--exact",
        "-y",
    ]);
    assert_eq!(code, 1, "a partial name must not match with --exact");
    assert!(other.alive());
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "pxsig-other\\.log",
        "--full",
        "-s",
        "USR2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(other.caught(), "USR2\n");

    let mut c = recorder(dir.path(), "pxsig-user");
    let (code, _, _) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--user",
        "nobody",
        "--name",
        "^pxsig-user$",
    ]);
    assert_eq!(code, 1, "not nobody's process");
    let me = nix::unistd::geteuid().as_raw().to_string();
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--user",
        &me,
        "--name",
        "^pxsig-user$",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(c.caught(), "TERM\n");

    let mut d = recorder(dir.path(), "pxsig-parent");
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &std::process::id().to_string(),
        "--name",
        "^pxsig-parent$",
        "-s",
        "HUP",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(d.caught(), "HUP\n");
}

#[test]
fn newest_and_oldest() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = recorder(dir.path(), "pxsig-age-1");
    // Start times are in clock ticks: make sure the second is later.
    let start = |pid: i32| -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        s.rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .nth(19)
            .unwrap()
            .parse()
            .unwrap()
    };
    let mut new = recorder(dir.path(), "pxsig-age-2");
    while start(new.pid()) == start(old.pid()) {
        drop(new);
        new = recorder(dir.path(), "pxsig-age-2");
    }
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "^pxsig-age-",
        "--newest",
        "-s",
        "USR1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(new.caught(), "USR1\n");
    assert!(old.alive());
    let (code, _, err) = run(&[
        "signal",
        "-P",
        &crate::util::own_pid_text(),
        "--name",
        "^pxsig-age-",
        "--oldest",
        "-s",
        "USR2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(old.caught(), "USR2\n");
}

#[test]
fn a_three_level_tree_goes_down_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let script = "sh -c 'sh -c \"sleep 3600 & wait\" & sleep 3601 & wait' & echo $!; wait";
    let mut root = StdCommand::new(which("sh"));
    root.args(["-c", script])
        .stdout(Stdio::piped())
        .process_group(0);
    let mut child = root.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let root = Reaped(child);
    let _ = dir;
    // Wait until the five processes exist: root, two shells, two sleeps.
    let descendants = || -> Vec<i32> {
        let out = StdCommand::new(binary())
            .args(["pstree", "-p", "-l", &root.pid().to_string()])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        regex::Regex::new(r"\((\d+)\)")
            .unwrap()
            .captures_iter(&text)
            .map(|c| c[1].parse().unwrap())
            .collect()
    };
    let mut pids = descendants();
    for _ in 0..5000 {
        if pids.len() >= 5 {
            break;
        }
        std::thread::yield_now();
        pids = descendants();
    }
    assert_eq!(pids.len(), 5, "{pids:?}");
    let (code, _, err) = run(&[
        "signal",
        "--tree",
        &root.pid().to_string(),
        "--wait",
        "--timeout",
        "20s",
        "-y",
    ]);
    assert_eq!(code, 0, "{err}");
    for pid in pids.iter().filter(|&&p| p != root.pid()) {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty() || stat.contains(") Z"),
            "pid {pid} survived: {stat}"
        );
    }
}

#[test]
fn proctl_never_selects_itself_or_its_ancestors() {
    // One process that may be selected: in a container every other
    // process can be an ancestor of the test.
    let other = crate::util::sleep_child();
    let child = StdCommand::new(binary())
        .args([
            "signal",
            "-s",
            "0",
            "--name",
            ".",
            "--dry-run",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let proctl_pid = child.id() as i64;
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pids: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pid"].as_i64().unwrap())
        .collect();
    assert!(pids.contains(&i64::from(other.pid())), "{pids:?}");
    assert!(!pids.contains(&proctl_pid), "proctl selected itself");
    assert!(
        !pids.contains(&(std::process::id() as i64)),
        "proctl selected its parent"
    );
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "would_send")
    );
}

#[test]
fn dry_run_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxsig-dry");
    let (code, out, err) = run(&["signal", "--name", "^pxsig-dry$", "--dry-run", "-s", "KILL"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("would send KILL to {} (pxsig-dry)\n", rec.pid())
    );
    assert!(rec.alive());
    assert!(!rec.log.exists());
}

#[test]
fn escalation_kills_a_child_that_ignores_term() {
    let mut child = crate::signal_rules::term_ignorer();
    let (code, _, err) = run(&[
        "signal",
        "--kill-after",
        "300ms",
        "--wait",
        "--timeout",
        "20s",
        &child.pid().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    let status = wait_exit(&mut child, Duration::from_secs(20)).unwrap();
    assert_eq!(status.signal(), Some(9));
}

#[test]
fn waiting_on_children_non_children_and_zombies() {
    let dir = tempfile::tempdir().unwrap();
    // A child: not reaped by us before proctl returns, so it is a zombie.
    let rec = recorder(dir.path(), "pxsig-zombie");
    let (code, _, err) = run(&[
        "signal",
        "--wait",
        "--timeout",
        "20s",
        &rec.pid().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["wait", "--timeout", "5s", &rec.pid().to_string()]);
    assert_eq!(code, 0, "a zombie counts as exited: {err}");

    // A grandchild: not proctl's child, not ours.
    let mut shell = StdCommand::new(which("sh"));
    shell
        .args(["-c", "sleep 3600 & echo $!; wait"])
        .stdout(Stdio::piped())
        .process_group(0);
    let mut child = shell.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _shell = Reaped(child);
    let grandchild = line.trim().to_string();
    let (code, _, err) = run(&["wait", "--timeout", "200ms", &grandchild]);
    assert_eq!(code, 1, "still running: {err}");
    assert!(err.contains("still running"), "{err}");
    let (code, _, err) = run(&["signal", "--wait", "--timeout", "20s", &grandchild]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["wait", "4194305"]);
    assert_eq!(code, 1);
    assert!(err.contains("no such process: 4194305"), "{err}");
}

#[test]
fn a_recycled_pid_is_not_signalled() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxsig-reuse");
    let out = proctl()
        .args([
            "ps",
            "--no-header",
            "-o",
            "starttime",
            "-p",
            &rec.pid().to_string(),
        ])
        .output()
        .unwrap();
    let ticks: u64 = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The pid as it was with another start time: a process that has gone.
    let (code, _, err) = run(&["kill", &format!("{}@{}", rec.pid(), ticks + 1)]);
    assert_eq!(code, 1);
    assert!(err.contains("now belongs to another process"), "{err}");
    assert!(rec.alive());
    let (code, _, err) = run(&["kill", "-s", "HUP", &format!("{}@{ticks}", rec.pid())]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rec.caught(), "HUP\n");
}

#[test]
fn reports_in_json_and_verbose_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxsig-json");
    let (code, out, _) = run(&[
        "kill",
        "--format",
        "json",
        &rec.pid().to_string(),
        "4194305",
    ]);
    assert_eq!(code, 1);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["pid"] == 4194305 && r["outcome"] == "no_such_process")
    );
    assert!(rows.iter().any(|r| r["pid"] == rec.pid()
        && r["outcome"] == "sent"
        && r["name"] == "pxsig-json"
        && r["signal"] == "TERM"));
    assert_eq!(rec.caught(), "TERM\n");
    let mut rec = recorder(dir.path(), "pxsig-verbose");
    let (code, out, err) = run(&["kill", "-v", &rec.pid().to_string()]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, format!("sent TERM to {} (pxsig-verbose)\n", rec.pid()));
    rec.caught();
}

#[test]
fn pid_1_is_refused_unless_forced() {
    // Signal 0: a slip in the refusal would send nothing to the host's init.
    let (code, _, err) = run(&["kill", "-s", "0", "1"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("refused: 1 (") && err.contains("use --force"),
        "{err}"
    );
    if !crate::util::is_root() {
        eprintln!("not root: the pid namespace part of this test needs root");
        return;
    }
    // In a pid namespace of our own, pid 1 is a shell we may signal.
    let out = StdCommand::new(which("unshare"))
        .args(["--pid", "--fork", "--mount-proc", "sh", "-c"])
        .arg(format!(
            "{bin} kill 1; echo refused=$?; {bin} kill --force -s 0 1; echo forced=$?",
            bin = binary().display()
        ))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("refused=1"),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("forced=0"),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn permission_denied_for_another_users_process() {
    if !crate::util::is_root() {
        eprintln!("not root: cannot drop privileges for this test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut rec = recorder(dir.path(), "pxsig-perm");
    let out = crate::util::as_nobody(&["kill", &rec.pid().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        format!(
            "proctl: permission denied: {} (pxsig-perm) belongs to root\n",
            rec.pid()
        )
    );
    assert!(rec.alive());
}
