//! Issue #13's regressions for `proctl spawn`, each with real children:
//! never hang or spin, pipes like a pipeline member, validate then act,
//! timeout(1)'s and env(1)'s contracts, exec as execvp, attributes, and
//! the report.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command as StdCommand, Output, Stdio};
use std::time::{Duration, Instant};

use nix::libc;

use crate::util::{Reaped, as_nobody, binary, is_root, which};

/// Waits for a child with a deadline (no fixed sleep: it polls the exit).
pub fn finish(mut child: Child, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs `proctl spawn ARGS` (stdin empty) with a generous deadline.
fn spawn_cmd(args: &[&str]) -> StdCommand {
    let mut cmd = StdCommand::new(binary());
    cmd.arg("spawn")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(mut cmd: StdCommand) -> (i32, String, String) {
    let out = finish(cmd.spawn().unwrap(), Duration::from_secs(30));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn spawn(args: &[&str]) -> (i32, String, String) {
    run(spawn_cmd(args))
}

/// Runs a bash command line (for pipelines and PIPESTATUS).
fn bash(script: &str) -> (i32, String, String) {
    let mut cmd = StdCommand::new(which("bash"));
    cmd.arg("-c")
        .arg(script)
        .env("P", binary())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    run(cmd)
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        !s.rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

fn status_mask(text: &str, field: &str) -> u64 {
    let line = text
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("no {field} in {text}"));
    u64::from_str_radix(line[field.len()..].trim(), 16).unwrap()
}

fn bit(signo: i32) -> u64 {
    1 << (signo - 1)
}

// ---- never hang, never spin -------------------------------------------

#[test]
fn a_parent_ignoring_sigchld_neither_spins_nor_hangs() {
    let mut cmd = spawn_cmd(&["--", "sh", "-c", "sleep 0.3; exit 3"]);
    // SAFETY: signal(2) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGCHLD, libc::SIG_IGN);
            Ok(())
        });
    }
    let child = cmd.spawn().unwrap();
    let pid = child.id() as i32;
    drop(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    loop {
        // SAFETY: waits for our own child with valid out-pointers.
        let rc = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if rc == pid {
            break;
        }
        assert!(Instant::now() < deadline, "proctl hangs");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(libc::WEXITSTATUS(status), 3);
    let cpu = usage.ru_utime.tv_sec as f64
        + usage.ru_utime.tv_usec as f64 * 1e-6
        + usage.ru_stime.tv_sec as f64
        + usage.ru_stime.tv_usec as f64 * 1e-6;
    assert!(cpu < 0.2, "proctl used {cpu}s of CPU waiting 0.3s");
}

#[test]
fn a_signal_outside_the_old_forwarded_set_reaches_the_child() {
    let mut proctl = spawn_cmd(&[
        "--",
        "sh",
        "-c",
        "trap 'echo got ALRM; exit 5' ALRM; echo ready; while :; do sleep 0.05; done",
    ])
    .spawn()
    .unwrap();
    let mut line = String::new();
    let mut out = BufReader::new(proctl.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    // SAFETY: kill(2) on our own child.
    unsafe { libc::kill(proctl.id() as i32, libc::SIGALRM) };
    line.clear();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "got ALRM\n");
    let status = finish(proctl, Duration::from_secs(20)).status;
    assert_eq!(
        status.code(),
        Some(5),
        "proctl outlived by its child: {status:?}"
    );
}

#[test]
fn a_signal_the_child_or_a_grandchild_sends_to_proctl_is_forwarded() {
    // `kill $PPID` from the program means proctl, which stands for it
    // (timeout(1) forwards such a signal too); it used to be dropped.
    let script = |who: &str| {
        format!("trap 'kill $s; echo got; exit 3' USR1; sleep 30 & s=$!; {who}; wait $s; echo lost")
    };
    for (mode, who) in [
        (None, "kill -USR1 $PPID"),
        (Some("--new-group"), "kill -USR1 $PPID"),
        (Some("--new-group"), "sh -c 'kill -USR1 $0' $PPID"),
    ] {
        let mut args: Vec<&str> = mode.into_iter().collect();
        let text = script(who);
        args.extend(["--", "sh", "-c", &text]);
        let out = finish(spawn_cmd(&args).spawn().unwrap(), Duration::from_secs(20));
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).as_ref()
            ),
            (Some(3), "got\n"),
            "{mode:?} {who}"
        );
    }
}

// ---- pipes like a pipeline member -------------------------------------

#[test]
fn prefix_into_head_ends_like_a_pipeline() {
    let (code, out, err) = bash("\"$P\" spawn --prefix -- yes | head -1; echo ${PIPESTATUS[0]}");
    assert_eq!(code, 0, "{err}");
    // yes met the closed pipe (SIGPIPE), as in `yes | head -1`; nothing said.
    assert_eq!(out, "[yes] y\n141\n");
    assert_eq!(err, "");
}

#[test]
fn tee_keeps_the_whole_output_when_stdout_closes() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tee.log");
    let (code, out, err) = bash(&format!(
        "\"$P\" spawn --tee {} -- seq 200000 | head -1; echo ${{PIPESTATUS[0]}}",
        log.display()
    ));
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, "1\n0\n");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 200000);
    assert!(text.ends_with("199999\n200000\n"));
}

#[test]
fn other_write_errors_are_reported_once_and_fail() {
    let (code, _, err) = spawn(&["--prefix", "--stdout", "/dev/full", "--", "echo", "x"]);
    assert_eq!(code, 125);
    assert_eq!(
        err,
        "proctl: write error on /dev/full: No space left on device\n"
    );
    // proctl's own stdout full: the report, and --detach's pid, whose
    // daemon is stopped rather than left running untracked.
    let (code, _, err) = bash("\"$P\" spawn --report - -- true >/dev/full");
    assert_eq!(
        (code, err.as_str()),
        (
            125,
            "proctl: cannot write report to stdout: No space left on device\n"
        )
    );
    let (code, _, err) = bash("\"$P\" spawn --detach -- sleep 30 >/dev/full");
    assert_eq!(code, 125, "{err}");
    let pid: i32 = err
        .strip_prefix("proctl: cannot write the pid to stdout: No space left on device; process ")
        .and_then(|r| r.strip_suffix(" was stopped\n"))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    crate::spawn::eventually("the daemon to be gone", || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| s.contains(") Z"))
    });
}

#[test]
fn diagnostics_to_a_full_or_closed_stderr_never_abort() {
    for redirect in ["2>/dev/full", "2>&-"] {
        let (_, _, err) = bash(&format!(
            "\"$P\" spawn -- no-such-program-px {redirect}; echo $? >&2"
        ));
        assert_eq!(err, "127\n", "{redirect}");
        let (_, _, err) = bash(&format!(
            "\"$P\" spawn --timeout 0.1 --verbose -- sleep 5 {redirect}; echo $? >&2"
        ));
        assert_eq!(err, "124\n", "{redirect}");
    }
}

// ---- timeout(1)'s contract --------------------------------------------

#[test]
fn timeout_signals_grandchildren_and_ends_even_when_one_holds_the_pipes() {
    let started = Instant::now();
    let (code, out, _) = spawn(&[
        "--prefix",
        "--timeout",
        "2",
        "--",
        "sh",
        "-c",
        "sleep 30 & echo $!; sleep 30",
    ]);
    assert_eq!(code, 124);
    let grandchild: i32 = out.trim().trim_start_matches("[sh] ").parse().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    crate::spawn::eventually("the grandchild to be gone", || !alive(grandchild));
    // A grandchild that survives the signal keeps the pipe open; the run
    // still ends once the timeout has done its work.
    let started = Instant::now();
    // Long enough for the shell to start and say the pid on a loaded machine.
    let (code, out, _) = spawn(&[
        "--prefix",
        "--timeout",
        "2",
        "--",
        "sh",
        "-c",
        "(trap '' TERM; exec sleep 30) & echo $!; sleep 30",
    ]);
    assert_eq!(code, 124);
    assert!(started.elapsed() < Duration::from_secs(10));
    let stubborn: i32 = out.trim().trim_start_matches("[sh] ").parse().unwrap();
    // SAFETY: kill(2) on a process this test started.
    unsafe { libc::kill(stubborn, libc::SIGKILL) };
}

#[test]
fn timeout_zero_preserve_status_verbose_and_foreground() {
    let (code, _, err) = spawn(&["--timeout", "0", "--", "sh", "-c", "sleep 0.2; exit 4"]);
    assert_eq!((code, err.as_str()), (4, ""));
    let (code, _, _) = spawn(&["--timeout", "0.1", "--preserve-status", "--", "sleep", "10"]);
    assert_eq!(code, 128 + 15);
    let (code, _, err) = spawn(&["--timeout", "0.1", "--verbose", "--", "sleep", "10"]);
    assert_eq!(code, 124);
    assert_eq!(err, "proctl: sending signal TERM to command 'sleep'\n");
    // --foreground: only the child is signalled; its child lives on.
    let (code, out, _) = spawn(&[
        "--timeout",
        "0.3",
        "--foreground",
        "--",
        "sh",
        "-c",
        // infinity: this machine may skip idle time, ending a finite sleep.
        "sleep infinity >/dev/null 2>&1 & echo $!; exec sleep infinity",
    ]);
    assert_eq!(code, 124);
    let grandchild: i32 = out.trim().parse().unwrap();
    assert!(alive(grandchild), "--foreground signalled the grandchild");
    // SAFETY: kill(2) on a process this test started.
    unsafe { libc::kill(grandchild, libc::SIGKILL) };
}

#[test]
fn killing_proctl_passes_the_timeout_signal_on() {
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("got");
    let script = format!(
        "trap 'touch {}; exit' USR1; echo ready; while :; do sleep 0.05; done",
        mark.display()
    );
    let mut proctl = spawn_cmd(&[
        "--timeout",
        "25",
        "--timeout-signal",
        "USR1",
        "--",
        "sh",
        "-c",
        &script,
    ])
    .spawn()
    .unwrap();
    let mut line = String::new();
    BufReader::new(proctl.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    proctl.kill().unwrap();
    proctl.wait().unwrap();
    crate::spawn::eventually("USR1 in the orphaned child", || mark.exists());
}

// ---- signals reach the child exactly once -----------------------------

/// Starts proctl (in a group of its own, which its child shares unless
/// `extra` says otherwise) on a python child that logs real-time signals,
/// which queue rather than merge, so that every copy shows: `x` for
/// RTMIN+1, the signal under test, and `y` for RTMIN+2, a marker.
fn counting_child(dir: &Path, extra: &[&str]) -> (Reaped, std::path::PathBuf) {
    let log = dir.join("count");
    std::fs::write(&log, "").unwrap();
    // Blocked and taken one at a time with sigwaitinfo: a handler could
    // run once for two copies that arrived together.
    let program = format!(
        "import signal\n\
         rt1, rt2 = signal.SIGRTMIN + 1, signal.SIGRTMIN + 2\n\
         signal.pthread_sigmask(signal.SIG_BLOCK, {{rt1, rt2}})\n\
         print('ready', flush=True)\n\
         while True:\n    \
             s = signal.sigwaitinfo({{rt1, rt2}})\n    \
             open({log:?}, 'a').write('x' if s.si_signo == rt1 else 'y')\n",
        log = log.display().to_string()
    );
    // --die-with-parent: a child in a group of its own must not outlive
    // a failed test.
    let mut args = extra.to_vec();
    args.extend(["--die-with-parent", "--", "python3", "-c", &program]);
    let mut cmd = spawn_cmd(&args);
    cmd.process_group(0);
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    (Reaped(child), log)
}

/// The copies of the signal under test the child got, once the `n`th
/// marker (sent to proctl alone, after the signal) has arrived: proctl
/// reads and forwards lower-numbered signals first, so a duplicate would
/// have landed before the marker.
fn copies_by_marker(log: &Path, pid: i32, n: usize) -> usize {
    // SAFETY: kill(2) to our own child.
    unsafe { libc::kill(pid, libc::SIGRTMIN() + 2) };
    let text = || std::fs::read_to_string(log).unwrap();
    crate::spawn::eventually("the marker", || text().matches('y').count() >= n);
    text().matches('x').count()
}

#[test]
fn a_signal_to_the_group_or_to_proctl_reaches_the_child_once() {
    let rt1 = libc::SIGRTMIN() + 1;
    for extra in [&[][..], &["--new-group"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let (child, log) = counting_child(dir.path(), extra);
        let pid = child.pid();
        // SAFETY (below): kill(2) to our own child and its group.
        unsafe { libc::kill(-pid, rt1) };
        assert_eq!(copies_by_marker(&log, pid, 1), 1, "group, {extra:?}");
        unsafe { libc::kill(pid, rt1) };
        assert_eq!(copies_by_marker(&log, pid, 2), 2, "proctl alone, {extra:?}");
        unsafe { libc::kill(-pid, rt1) };
        unsafe { libc::kill(-pid, rt1) };
        assert_eq!(copies_by_marker(&log, pid, 3), 4, "group twice, {extra:?}");
        drop(child);
    }
}

/// The witness of a proctl in shared-group mode: its child named
/// `group-witness` (the other child is the program).
fn witness_of(proctl: i32) -> i32 {
    let mut found = None;
    crate::spawn::eventually("the witness", || {
        found = std::fs::read_to_string(format!("/proc/{proctl}/task/{proctl}/children"))
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|p| p.parse::<i32>().ok())
            .find(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default()
                    == "group-witness\n"
            });
        found.is_some()
    });
    found.unwrap()
}

#[test]
fn the_witness_neither_answers_to_proctls_name_nor_swallows_signals() {
    let rt1 = libc::SIGRTMIN() + 1;
    let dir = tempfile::tempdir().unwrap();
    let (child, log) = counting_child(dir.path(), &[]);
    let pid = child.pid();
    let witness = witness_of(pid);
    // `pkill proctl` and `killall proctl` match by name: not the witness.
    let pgrep = StdCommand::new(which("pgrep"))
        .args(["-x", "-P", &pid.to_string(), "proctl"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&pgrep.stdout), "");
    // A copy the witness got from someone else (here a shell that sends
    // it to the witness alone) is not the one proctl then gets from us.
    let sent = StdCommand::new("sh")
        .args(["-c", &format!("kill -s RTMIN+1 {witness}")])
        .status()
        .unwrap();
    assert!(sent.success());
    // SAFETY (below): kill(2) to our own child.
    unsafe { libc::kill(pid, rt1) };
    assert_eq!(copies_by_marker(&log, pid, 1), 1, "after a stray copy");
    // A witness that dies is reaped, and proctl forwards from then on.
    unsafe { libc::kill(witness, libc::SIGKILL) };
    crate::spawn::eventually("the witness to be reaped", || {
        !Path::new(&format!("/proc/{witness}")).exists()
    });
    unsafe { libc::kill(pid, rt1) };
    assert_eq!(copies_by_marker(&log, pid, 2), 2, "without a witness");
    drop(child);
}

#[test]
#[cfg(target_arch = "x86_64")]
fn a_run_leaves_no_zombie_behind() {
    // The witness is reaped by proctl itself: a container's pid 1 may
    // never reap what it inherits. A subreaper stands for such a pid 1:
    // whatever proctl leaves unreaped becomes its child. Perl (Debian's
    // perl-base is essential) makes the prctl call: 157 is x86_64's prctl,
    // 36 PR_SET_CHILD_SUBREAPER.
    let script = r#"
syscall(157, 36, 1, 0, 0, 0) == 0 or die "prctl: $!";
system(@ARGV) == 0 or die "proctl failed";
open(my $f, "<", "/proc/self/task/$$/children") or die;
my @kids = split(" ", <$f> // "");
for my $k (@kids) { open(my $c, "<", "/proc/$k/comm"); print scalar <$c>; }
"#;
    let out = StdCommand::new(which("perl"))
        .args(["-e", script])
        .arg(binary())
        .args(["spawn", "--", "true"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "left behind");
}

// ---- validate, then act -----------------------------------------------

#[test]
fn nothing_is_truncated_or_started_when_a_later_option_fails() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("keep");
    std::fs::write(&keep, "precious\n").unwrap();
    let marker = dir.path().join("started");
    let touch = format!("touch {}", marker.display());
    let k = keep.to_str().unwrap();
    let new = dir.path().join("new");
    let n = new.to_str().unwrap();
    for args in [
        &["--stdout", k, "--stderr", "/nonexistent/x"][..],
        &["--tee", n, "--stdin", "/nonexistent/in"],
        &["--stdout", k, "--report", "/nonexistent/r.json"],
        &["--detach", "--stdout", k, "--pidfile", "/nonexistent/x.pid"],
        &["--stdout", k, "--env-file", "/nonexistent/env"],
        &["--stdout", k, "-C", "/nonexistent"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--", "sh", "-c", &touch]);
        let (code, out, err) = spawn(&all);
        assert_eq!(code, 125, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("proctl: ") && err.contains("nonexistent"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&keep).unwrap(),
            "precious\n",
            "{args:?}"
        );
        assert!(!marker.exists(), "{args:?} started the program");
        assert!(!new.exists(), "{args:?} created a file");
    }
    // A limit the child could not set: checked before the files are
    // truncated (the child only finds out after). The current soft limit
    // of open files is above 1 everywhere.
    for args in [
        &["--stdout", k, "--rlimit", "nofile=:1"][..],
        &["--tee", n, "--rlimit", "nofile=:1"],
        &["--detach", "--stdout", k, "--rlimit", "nofile=:1"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--", "sh", "-c", &touch]);
        let (code, out, err) = spawn(&all);
        assert_eq!((code, out.as_str()), (125, ""), "{args:?}: {err}");
        assert!(
            err.starts_with("proctl: cannot set --rlimit: the soft limit of nofile (")
                && err.ends_with(") is above the hard limit (1)\n"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&keep).unwrap(), "precious\n");
        assert!(!marker.exists(), "{args:?} started the program");
        assert!(!new.exists(), "{args:?} created a file");
    }
    // A report file that opens but cannot take a report (the kernel's own
    // files): refused before the program runs, in a dry run too.
    for args in [
        &["--stdout", k, "--report", "/proc/version"][..],
        &["--dry-run", "--report", "/proc/version"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--", "sh", "-c", &touch]);
        let (code, _, err) = spawn(&all);
        assert_eq!(code, 125, "{args:?}: {err}");
        assert_eq!(
            err,
            "proctl: cannot write --report file /proc/version: a file of the kernel's own filesystems takes no report\n"
        );
        assert_eq!(std::fs::read_to_string(&keep).unwrap(), "precious\n");
        assert!(!marker.exists(), "{args:?} started the program");
    }
    let (code, _, err) = spawn(&["--detach", "--die-with-parent", "--", "sh", "-c", &touch]);
    assert_eq!(code, 2, "{err}");
    assert!(!marker.exists());
}

#[test]
fn detach_closes_descriptors_writes_the_pidfile_and_refuses_a_live_one() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("d.pid");
    let script = format!(
        "exec 7>{}; exec \"$P\" spawn --detach --pidfile {} -- sleep 30",
        dir.path().join("held").display(),
        pidfile.display()
    );
    let (code, out, err) = bash(&script);
    assert_eq!((code, err.as_str()), (0, ""));
    let pid: i32 = out.trim().parse().unwrap();
    assert_eq!(
        std::fs::read_to_string(&pidfile).unwrap(),
        format!("{pid}\n")
    );
    let fds: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !fds.iter().any(|f| f == "7"),
        "descriptor 7 leaked: {fds:?}"
    );
    let p = pidfile.to_str().unwrap();
    let (code, out, err) = spawn(&["--detach", "--pidfile", p, "--", "sleep", "30"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with(&format!(
            "proctl: {p}: process {pid} is running (started 20"
        )),
        "{err}"
    );
    // SAFETY: kill(2) on the daemon this test started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

// ---- exec as execvp and env do ----------------------------------------

#[test]
fn exec_like_execvp_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("nosb");
    std::fs::write(&script, "echo run by sh: $#\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, out, _) = spawn(&["--", script.to_str().unwrap(), "a", "b"]);
    assert_eq!((code, out.as_str()), (0, "run by sh: 2\n"));
    let d = dir.path().to_str().unwrap();
    assert_eq!(spawn(&["--", d]).0, 126);
    assert_eq!(spawn(&["--", "."]).0, 126);
    // A SIGPIPE the caller ignored stays ignored; one it did not is default.
    let mut cmd = spawn_cmd(&["--", "cat", "/proc/self/status"]);
    // SAFETY: signal(2) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            Ok(())
        });
    }
    let (_, out, _) = run(cmd);
    assert_ne!(
        status_mask(&out, "SigIgn:") & bit(libc::SIGPIPE),
        0,
        "{out}"
    );
    let (_, out, _) = spawn(&["--", "cat", "/proc/self/status"]);
    assert_eq!(
        status_mask(&out, "SigIgn:") & bit(libc::SIGPIPE),
        0,
        "{out}"
    );
}

// ---- attributes -------------------------------------------------------

#[test]
fn rlimits_take_suffixes_and_a_failed_one_is_named() {
    // K, M (systemd's) and KiB, MiB (util-linux's) are 1024-based.
    for (limits, expected) in [
        ("fsize=4K:1M", ["4096", "1048576"]),
        ("fsize=8KiB:2MiB", ["8192", "2097152"]),
    ] {
        let (code, out, _) = spawn(&[
            "--rlimit",
            limits,
            "--",
            "grep",
            "Max file size",
            "/proc/self/limits",
        ]);
        assert_eq!(code, 0);
        let fields: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(&fields[3..5], expected, "{out}");
    }
    if !is_root() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let marker = dir.path().join("started");
    let touch = format!("touch {}", marker.display());
    let out = as_nobody(&[
        "spawn",
        "--rlimit",
        "nofile=unlimited",
        "--",
        "sh",
        "-c",
        &touch,
    ]);
    assert_eq!(out.status.code(), Some(125));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("proctl: cannot set --rlimit nofile: raising the hard limit above ")
            && err.ends_with(" needs CAP_SYS_RESOURCE\n")
            && err.lines().count() == 1,
        "{err}"
    );
    assert!(!marker.exists());
    // A niceness that cannot be set is a warning; the program runs (nice(1)).
    let out = as_nobody(&["spawn", "--nice", "-5", "--", "sh", "-c", &touch]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "proctl: warning: cannot set niceness: Permission denied\n"
    );
    assert!(marker.exists());
}

// ---- env's options ----------------------------------------------------

#[test]
fn env_signal_options_and_argv0() {
    let (_, out, _) = spawn(&[
        "--ignore-signal=USR1,HUP",
        "--block-signal=USR2",
        "--",
        // cat, not grep: GNU grep catches SEGV for its stack overflow guard.
        "cat",
        "/proc/self/status",
    ]);
    let ign = status_mask(&out, "SigIgn:");
    assert_eq!(
        ign & (bit(libc::SIGUSR1) | bit(libc::SIGHUP)),
        bit(libc::SIGUSR1) | bit(libc::SIGHUP)
    );
    assert_eq!(status_mask(&out, "SigBlk:"), bit(libc::SIGUSR2));
    let mut cmd = spawn_cmd(&["--default-signal=PIPE", "--", "cat", "/proc/self/status"]);
    // SAFETY: signal(2) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            Ok(())
        });
    }
    let (_, out, _) = run(cmd);
    assert_eq!(status_mask(&out, "SigIgn:") & bit(libc::SIGPIPE), 0);
    let (_, out, _) = spawn(&["--ignore-signal", "--", "cat", "/proc/self/status"]);
    assert_eq!(
        status_mask(&out, "SigIgn:") & 0x7fff_ffff,
        0x7fff_ffff & !(bit(9) | bit(19))
    );
    let (_, out, _) = spawn(&["--argv0", "renamed", "--", "sh", "-c", "echo $0"]);
    assert_eq!(out, "renamed\n");
    let (code, _, err) = spawn(&["--ignore-signal=KILL", "--", "true"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn env_files_with_a_byte_order_mark_and_comments_after_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.env");
    std::fs::write(&file, "\u{feff}PXA=\"two words\" # note\nPXB='x' #\n").unwrap();
    let (code, out, err) = spawn(&[
        "--env-file",
        file.to_str().unwrap(),
        "--",
        "sh",
        "-c",
        "echo \"$PXA|$PXB\"",
    ]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, "two words|x\n");
}

// ---- the report -------------------------------------------------------

fn report_of(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["--report", "-"];
    all.extend(args);
    let (code, out, _) = spawn(&all);
    let line = out.lines().last().unwrap_or("").to_string();
    (code, serde_json::from_str(&line).unwrap())
}

#[test]
fn the_report_is_written_in_every_case() {
    let (code, v) = report_of(&["--", "no-such-program-px"]);
    assert_eq!(code, 127);
    assert_eq!(v["error"], "no-such-program-px: command not found");
    // Nothing started: no pid, no exit code, no signal (left out).
    for field in ["pid", "exit_code", "signal"] {
        assert_eq!(v.get(field), None, "{field}: {v}");
    }
    let (code, v) = report_of(&["--stdout", "/nonexistent/o", "--", "true"]);
    assert_eq!(code, 125);
    assert!(v["error"].as_str().unwrap().contains("/nonexistent/o"));
    let (code, v) = report_of(&["--", "sh", "-c", "exit 3"]);
    assert_eq!(code, 3);
    assert_eq!(v["exit_code"], 3);
    assert_eq!(v["core_dumped"], false);
    assert_eq!(v.get("error"), None, "{v}");
    assert_eq!(v.get("signal"), None, "{v}");
    assert!(v["end_time"].as_str().unwrap() >= v["start_time"].as_str().unwrap());
}

#[test]
fn a_report_to_a_pipe_is_written_not_truncated() {
    // A pipe cannot be truncated; O_TRUNC means nothing for it, so neither
    // does proctl's emptying of an existing report file.
    let (code, _, err) = spawn(&["--report", "/dev/stderr", "--", "sh", "-c", "exit 4"]);
    assert_eq!(code, 4, "{err}");
    let v: serde_json::Value = serde_json::from_str(err.trim()).unwrap();
    assert_eq!(v["exit_code"], 4);
}

#[test]
fn max_rss_is_the_programs_own() {
    let Ok(time) = std::panic::catch_unwind(|| which("time")) else {
        panic!("GNU time is needed for this test (apt-get install time)");
    };
    let mut programs = vec![&["dd", "if=/dev/zero", "of=/dev/null", "bs=32M", "count=1"][..]];
    // A fork copies proctl's private pages, which the kernel counts into
    // the child's peak until exec; an unoptimised build carries about a
    // MiB of relocated data, more than `true` itself uses. The release
    // build's is far smaller (`cargo test --release` checks `true` too).
    if !cfg!(debug_assertions) {
        programs.push(&["true"]);
    }
    for program in programs {
        let (_, v) = report_of(&[&["--"][..], program].concat());
        let ours = v["peak_rss_kib"].as_i64().unwrap() as f64;
        let out = StdCommand::new(&time)
            .args(["-f", "%M"])
            .args(program)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stderr);
        let theirs: f64 = text.lines().last().unwrap().trim().parse().unwrap();
        assert!(
            (ours - theirs).abs() <= theirs * 0.10,
            "{program:?}: proctl says {ours} KiB, time says {theirs} KiB"
        );
    }
}

#[test]
fn closed_stdout_with_prefix_ends_the_child_by_sigpipe() {
    let mut child = spawn_cmd(&["--prefix", "--", "yes"]).spawn().unwrap();
    let mut first = [0u8; 8];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert_eq!(&first, b"[yes] y\n");
    drop(child.stdout.take());
    let out = finish(child, Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(141));
}
