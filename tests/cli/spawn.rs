//! `proctl spawn` with real children: environment, lookup, streams,
//! exit statuses, timeouts, signal forwarding, detach, limits, reports.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Reaped, binary, proctl, with_default_signals};

fn spawn(args: &[&str]) -> (i32, String, String) {
    let out = proctl()
        .arg("spawn")
        .args(args)
        .write_stdin("")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Polls a condition until it holds (bounded): for effects in other
/// processes that have no event to wait on.
pub fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    // Generous: it only matters when the condition never comes, and a
    // machine at load 200 can take tens of seconds to start a shell.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn environment_clear_set_unset_and_files() {
    let (code, out, _) = spawn(&["-i", "-e", "A=1", "-e", "EMPTY=", "--", "/usr/bin/env"]);
    assert_eq!(code, 0);
    assert_eq!(out, "A=1\nEMPTY=\n");
    let (_, out, _) = spawn(&[
        "-e",
        "PXE=set",
        "--unset",
        "PXE",
        "-e",
        "PXF=1",
        "sh",
        "-c",
        "echo ${PXE-unset} $PXF",
    ]);
    assert_eq!(out, "unset 1\n");
    let (_, out, _) = spawn(&["--unset", "PXG", "-e", "PXG=back", "sh", "-c", "echo $PXG"]);
    assert_eq!(out, "back\n", "later options win, in command-line order");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.env");
    std::fs::write(
        &file,
        "# settings\nexport PXA=\"two words\"\nPXB='$literal'\n\nPXC=x # note\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let (code, out, _) = spawn(&[
        "--env-file",
        f,
        "-e",
        "PXC=override",
        "sh",
        "-c",
        "echo \"$PXA|$PXB|$PXC\"",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, "two words|$literal|override\n");
    std::fs::write(&file, "PXA=1\nthis line is wrong\n").unwrap();
    // A runtime failure, as env(1)'s own errors: 125.
    let (code, out, err) = spawn(&["--env-file", f, "true"]);
    assert_eq!(code, 125);
    assert!(out.is_empty());
    assert_eq!(
        err,
        format!("proctl: {f}:2: expected KEY=VALUE: this line is wrong\n")
    );
}

#[test]
fn program_lookup_cwd_and_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("pxhello");
    std::fs::write(&script, "#!/bin/sh\necho hello from \"$(pwd)\"\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", dir.path().display());
    let (code, out, _) = spawn(&["-e", &format!("PATH={path}"), "-C", "/tmp", "pxhello"]);
    assert_eq!(code, 0);
    assert_eq!(out, "hello from /tmp\n");
    let (code, out, _) = spawn(&[
        "--dry-run",
        "-e",
        &format!("PATH={path}"),
        "-C",
        "/tmp",
        "--unset",
        "HOME",
        "pxhello",
        "a b",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("program: {}\n", script.display())),
        "{out}"
    );
    assert!(out.contains("argv: [\"pxhello\",\"a b\"]\n"), "{out}");
    assert!(out.contains("cwd: /tmp\n"), "{out}");
    assert!(out.contains(&format!("env: +PATH={path}\n")), "{out}");
    assert!(out.contains("env: -HOME\n"), "{out}");
    // The program sees --argv0's name; a file the run could not open
    // fails the dry run as it would fail the run (125), touching nothing.
    let (code, out, _) = spawn(&["--dry-run", "--argv0", "other", "true", "x"]);
    assert_eq!(code, 0);
    assert!(out.contains("argv: [\"other\",\"x\"]\n"), "{out}");
    for args in [
        &["--stdout", "/no/such/dir/o"][..],
        &["--stdin", "/no/such/file"],
        &["--report", "/no/such/dir/r.json"],
        &["--detach", "--pidfile", "/no/such/dir/p.pid"],
    ] {
        let mut all = vec!["--dry-run"];
        all.extend(args);
        all.push("true");
        let (code, _, err) = spawn(&all);
        assert_eq!(code, 125, "{args:?}");
        assert!(
            err.starts_with("proctl: cannot open ") && err.contains("/no/such/"),
            "{err}"
        );
    }
    let (code, _, err) = spawn(&["-C", "/no/such/dir", "true"]);
    assert_eq!(code, 125);
    assert!(err.contains("no such directory"), "{err}");
    // A relative PATH entry is searched from the child's directory, as execvp
    // in the child would.
    let here = dir.path().to_str().unwrap();
    let (code, out, err) = spawn(&["-e", "PATH=.:/usr/bin:/bin", "-C", here, "pxhello"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out, format!("hello from {here}\n"));
    // Found in PATH but not executable: 126, as a shell would say.
    let plain = dir.path().join("pxplain");
    std::fs::write(&plain, "#!/bin/sh\n").unwrap();
    let (code, _, err) = spawn(&["-e", &format!("PATH={path}"), "pxplain"]);
    assert_eq!(code, 126);
    assert_eq!(err, "proctl: pxplain: permission denied\n");
}

#[test]
fn closed_standard_streams_and_sigpipe() {
    // Started with stdin closed, proctl must not let the file it opens for
    // --stdout take descriptor 0 and become the child's stdin; the child
    // finds stdin closed, as under env(1).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.txt");
    let out = StdCommand::new("sh")
        .arg("-c")
        .arg(r#"exec 0<&-; exec "$0" spawn --stdout "$1" -- sh -c '[ -e /proc/$$/fd/0 ] && echo open || echo closed'"#)
        .arg(binary())
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "closed\n");
    // Merged into a closed stdout, stderr is closed too.
    let fds = dir.path().join("fds.txt");
    let probe = format!(
        "exec 3>>{}; for f in 1 2; do [ -e /proc/$$/fd/$f ] && echo $f open >&3 || echo $f closed >&3; done",
        fds.display()
    );
    let out = StdCommand::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" spawn --stderr stdout -- sh -c "$1" >&-"#)
        .arg(binary())
        .arg(&probe)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&fds).unwrap(),
        "1 closed\n2 closed\n"
    );
    // A closed stdout stays closed for the program (env(1): "write
    // error"), and --prefix's copy to it fails (125), never discarded.
    for (args, code, message) in [
        (
            &["--", "echo", "hi"][..],
            1,
            "echo: write error: Bad file descriptor\n",
        ),
        (
            &["--prefix", "--", "echo", "hi"],
            125,
            "proctl: write error on stdout: Bad file descriptor\n",
        ),
    ] {
        let out = StdCommand::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" spawn "$@" >&-"#)
            .arg(binary())
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            (out.status.code(), err.as_ref()),
            (Some(code), message),
            "{args:?}"
        );
    }
    // proctl ignores SIGPIPE (a closed pipe is an error it handles), but its
    // child starts with SIGPIPE at the default: `yes` dies quietly.
    for attrs in [&[][..], &["--new-group"]] {
        let mut args = attrs.to_vec();
        args.extend(["sh", "-c", "yes | head -n 1"]);
        let (code, out, err) = spawn(&args);
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (0, "y\n", ""),
            "{attrs:?}"
        );
    }
}

#[test]
fn exit_statuses() {
    assert_eq!(spawn(&["sh", "-c", "exit 7"]).0, 7);
    // An option proctl does not know is a usage error, never a program.
    let (code, _, err) = spawn(&["--timout", "5", "--", "echo", "ran"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("proctl: unexpected argument '--timout'"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    // An empty program name is not found (env(1): 127).
    let (code, _, err) = spawn(&["--", ""]);
    assert_eq!((code, err.lines().count()), (127, 1), "{err}");
    // Options that mean nothing with --detach, or contradict each other,
    // are refused rather than ignored.
    for args in [
        &["--detach", "--kill-after", "1"][..],
        &["--detach", "--foreground"],
        &["--detach", "--preserve-status"],
        &["--detach", "--verbose"],
        &["--detach", "--timeout-signal", "INT"],
        &["--timeout", "1", "--foreground", "--new-group"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--", "true"]);
        let (code, out, err) = spawn(&all);
        assert_eq!(
            (code, out.as_str(), err.lines().count()),
            (2, "", 1),
            "{args:?}: {err}"
        );
    }
    for option in ["--stdin", "--stdout", "--stderr", "--tee", "-C"] {
        let (code, _, err) = spawn(&[option, "", "--", "true"]);
        assert_eq!((code, err.lines().count()), (2, 1), "{option}: {err}");
    }
    let (code, _, err) = spawn(&["sh", "-c", "kill -USR1 $$"]);
    assert_eq!(code, 128 + 10);
    assert_eq!(err, "proctl: sh was killed by signal 10 (USR1)\n");
    // timeout(1) is silent unless --verbose.
    let (code, _, err) = spawn(&["--timeout", "100ms", "sleep", "30"]);
    assert_eq!((code, err.as_str()), (124, ""));
    let (code, _, err) = spawn(&["--stdout", "/no/such/dir/out.txt", "true"]);
    assert_eq!(code, 125, "proctl itself failed: {err}");
    assert_eq!(
        err,
        "proctl: cannot open --stdout file /no/such/dir/out.txt: No such file or directory\n"
    );
    let (code, _, err) = spawn(&["/etc/passwd"]);
    assert_eq!(code, 126);
    assert_eq!(err, "proctl: /etc/passwd: permission denied\n");
    let (code, _, err) = spawn(&["no-such-program-px"]);
    assert_eq!(code, 127);
    assert_eq!(err, "proctl: no-such-program-px: command not found\n");
    for bad in [
        &["--nice", "40", "true"][..],
        &["--rlimit", "bogus=1", "true"],
        &["--umask", "999", "true"],
        &["--timeout", "soon", "true"],
        &["--timeout", "1", "--timeout-signal", "NOPE", "true"],
        &["-e", "NOEQUALS", "true"],
    ] {
        let (code, out, err) = spawn(bad);
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(
            out.is_empty() && err.lines().count() == 1 && err.starts_with("proctl: "),
            "{bad:?}: {err}"
        );
    }
}

#[test]
fn timeout_then_kill_for_a_child_that_ignores_term() {
    let started = Instant::now();
    // TERM is ignored from before the exec (env(1)'s --ignore-signal), not
    // by a trap: on a loaded machine the timeout could come before the
    // shell had run one.
    let (code, _, err) = spawn(&[
        "--timeout",
        "200ms",
        "--kill-after",
        "200ms",
        "--ignore-signal=TERM",
        "sh",
        "-c",
        "while :; do sleep 1; done",
    ]);
    // timeout(1): 137 when the KILL of --kill-after ended it.
    assert_eq!(code, 137, "{err}");
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn streams_files_append_null_and_merge() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "from a file\n").unwrap();
    let (_, out, _) = spawn(&["--stdin", input.to_str().unwrap(), "cat"]);
    assert_eq!(out, "from a file\n");
    let (_, out, _) = spawn(&["--input", "typed text", "cat"]);
    assert_eq!(out, "typed text");
    let (_, out, _) = spawn(&["--stdin", "null", "cat"]);
    assert_eq!(out, "");
    let log = dir.path().join("log.txt");
    let l = log.to_str().unwrap();
    let (_, out, err) = spawn(&[
        "--stdout",
        l,
        "--stderr",
        "null",
        "sh",
        "-c",
        "echo one; echo hidden >&2",
    ]);
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
    spawn(&["--stdout", &format!("+{l}"), "sh", "-c", "echo two"]);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "one\ntwo\n");
    spawn(&[
        "--stdout",
        l,
        "--stderr",
        "stdout",
        "sh",
        "-c",
        "echo out; echo err >&2; echo out2",
    ]);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "out\nerr\nout2\n");
    let errfile = dir.path().join("err.txt");
    let (_, out, _) = spawn(&[
        "--stderr",
        errfile.to_str().unwrap(),
        "sh",
        "-c",
        "echo visible; echo to-file >&2",
    ]);
    assert_eq!(out, "visible\n");
    assert_eq!(std::fs::read_to_string(&errfile).unwrap(), "to-file\n");
    let (_, out, _) = spawn(&["--stdout", "null", "echo", "gone"]);
    assert_eq!(out, "");
}

#[test]
fn prefix_keeps_every_line_whole() {
    let (code, out, err) = spawn(&[
        "--prefix",
        "--",
        "sh",
        "-c",
        "echo a; echo b >&2; echo c; printf 'no newline'",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, "[sh] a\n[sh] c\n[sh] no newline\n");
    assert_eq!(err, "[sh]! b\n");
    let (_, out, _) = spawn(&[
        "--prefix=job:",
        "--stderr",
        "stdout",
        "sh",
        "-c",
        "echo x; echo y >&2",
    ]);
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort();
    assert_eq!(lines, ["job: x", "job:! y"]);
    // A few MiB from both streams at once: nothing split, lost or deadlocked.
    let script = "i=0; while [ $i -lt 40000 ]; do echo \"out line $i with some padding to make it longer\"; echo \"err line $i\" >&2; i=$((i+1)); done";
    let (code, out, err) = spawn(&["--prefix=P", "sh", "-c", script]);
    assert_eq!(code, 0);
    let out_lines: Vec<&str> = out.lines().collect();
    let err_lines: Vec<&str> = err.lines().collect();
    assert_eq!(out_lines.len(), 40000);
    assert_eq!(err_lines.len(), 40000);
    for (i, line) in out_lines.iter().enumerate() {
        assert_eq!(
            *line,
            format!("P out line {i} with some padding to make it longer")
        );
    }
    for (i, line) in err_lines.iter().enumerate() {
        assert_eq!(*line, format!("P! err line {i}"));
    }
}

#[test]
fn tee_copies_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.txt");
    let (_, out, _) = spawn(&[
        "--tee",
        copy.to_str().unwrap(),
        "sh",
        "-c",
        "echo one; echo two",
    ]);
    assert_eq!(out, "one\ntwo\n");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), "one\ntwo\n");
}

#[test]
fn limits_nice_umask_and_sessions_reach_the_child() {
    let (_, out, _) = spawn(&[
        "--rlimit",
        "nofile=64:128",
        "--rlimit",
        "core=0",
        "sh",
        "-c",
        "ulimit -Sn; ulimit -Hn; ulimit -c",
    ]);
    assert_eq!(out, "64\n128\n0\n");
    let (_, out, _) = spawn(&["--nice", "5", "sh", "-c", "cut -d' ' -f19 /proc/self/stat"]);
    assert_eq!(out.trim(), "5");
    let (_, out, _) = spawn(&["--umask", "027", "sh", "-c", "umask"]);
    assert_eq!(out.trim(), "0027");
    let (_, out, _) = spawn(&[
        "--new-session",
        "sh",
        "-c",
        "echo $$; cut -d' ' -f6 /proc/self/stat",
    ]);
    let fields: Vec<&str> = out.lines().collect();
    assert_eq!(fields.len(), 2);
    let (_, out, _) = spawn(&[
        "--new-group",
        "sh",
        "-c",
        "echo $$ $(cut -d' ' -f5 /proc/$$/stat)",
    ]);
    let ids: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(ids[0], ids[1], "the child leads its own group");
}

#[test]
fn new_group_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("grandchild");
    let script = format!("sleep 3600 & echo $! > {}; exit 0", pidfile.display());
    let (code, _, _) = spawn(&["--new-group", "sh", "-c", &script]);
    assert_eq!(code, 0);
    let pid = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .to_string();
    eventually("the grandchild to die", || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| s.contains(") Z"))
    });
}

#[test]
fn report_fields() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let (code, _, _) = spawn(&["--report", report.to_str().unwrap(), "sh", "-c", "exit 3"]);
    assert_eq!(code, 3);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["args"], serde_json::json!(["sh", "-c", "exit 3"]));
    assert_eq!(v["exit_code"], 3);
    // It exited: no signal and no error, left out (docs/json.md).
    assert_eq!(v.get("signal"), None, "{v}");
    assert_eq!(v.get("error"), None, "{v}");
    assert_eq!(v["timed_out"], false);
    assert!(v["pid"].as_i64().unwrap() > 0);
    assert!(v["elapsed_seconds"].as_f64().unwrap() >= 0.0);
    assert!(v["user_cpu_seconds"].is_number() && v["system_cpu_seconds"].is_number());
    assert!(v["peak_rss_kib"].as_i64().unwrap() > 0);
    assert!(v["start_time"].as_str().unwrap().contains('T'));
    let (code, out, _) = spawn(&["--report", "-", "--timeout", "50ms", "sleep", "10"]);
    assert_eq!(code, 124);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["timed_out"], true);
    assert_eq!(v["signal"], "TERM");
}

#[test]
fn detach_writes_a_pidfile_and_returns_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("app.pid");
    let (code, out, _) = spawn(&[
        "--detach",
        "--pidfile",
        pidfile.to_str().unwrap(),
        "sleep",
        "3600",
    ]);
    assert_eq!(code, 0);
    let pid: i32 = out.trim().parse().unwrap();
    assert_eq!(
        std::fs::read_to_string(&pidfile).unwrap(),
        format!("{pid}\n")
    );
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(fields[3], pid.to_string(), "session leader");
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    );
}

/// proctl spawn running a recorder that logs INT and USR1 and exits on TERM;
/// returns proctl, the child's pid and the log path.
fn supervised_recorder(dir: &Path, extra: &[&str]) -> (Reaped, i32, std::path::PathBuf) {
    let log = dir.join("signals.log");
    let script = "trap 'echo INT >> \"$0\"' INT; trap 'echo USR1 >> \"$0\"' USR1; trap 'exit 0' TERM; echo ready $$; while :; do sleep 1 & wait $!; done";
    // The recorder traps INT and USR1: a signal ignored when the shell
    // started cannot be trapped, so the runner's ignoring is not handed on.
    let mut child = with_default_signals(&mut StdCommand::new(binary()))
        .arg("spawn")
        .args(extra)
        .args(["sh", "-c", script])
        .arg(&log)
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let pid: i32 = line.trim().strip_prefix("ready ").unwrap().parse().unwrap();
    (Reaped(child), pid, log)
}

fn log_of(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn signals_sent_to_proctl_reach_the_child_once() {
    for extra in [&[][..], &["--new-group"]] {
        let dir = tempfile::tempdir().unwrap();
        let (mut proctl, child, log) = supervised_recorder(dir.path(), extra);
        let ppid = nix::unistd::Pid::from_raw(proctl.pid());
        nix::sys::signal::kill(ppid, nix::sys::signal::Signal::SIGINT).unwrap();
        eventually("INT in the log", || log_of(&log).contains("INT"));
        // A barrier: a second INT sent by mistake would be logged before this.
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(child),
            nix::sys::signal::Signal::SIGUSR1,
        )
        .unwrap();
        eventually("USR1 in the log", || log_of(&log).contains("USR1"));
        assert_eq!(log_of(&log), "INT\nUSR1\n", "{extra:?}");
        nix::sys::signal::kill(ppid, nix::sys::signal::Signal::SIGTERM).unwrap();
        let status = proctl.0.wait().unwrap();
        assert_eq!(status.code(), Some(0), "TERM forwarded, child exited 0");
    }
}

#[test]
fn ctrl_c_in_a_terminal_reaches_the_child_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("signals.log");
    let script = "trap 'echo INT >> \"$0\"' INT; trap 'echo USR1 >> \"$0\"' USR1; trap 'exit 0' TERM; echo ready $$; while :; do sleep 1 & wait $!; done";
    let command = format!(
        "{} spawn sh -c {} {}",
        binary().display(),
        shell_quote(script),
        log.display()
    );
    let tmux = crate::spawn_terminal::Tmux::start("pxspawn", &command);
    let mut child = 0;
    eventually("the recorder to be ready", || {
        let screen = tmux.screen();
        if let Some(rest) = screen.split("ready ").nth(1) {
            child = rest
                .split_whitespace()
                .next()
                .unwrap_or("0")
                .parse()
                .unwrap_or(0);
        }
        child > 0
    });
    tmux.keys(&["C-c"]);
    eventually("INT in the log", || log_of(&log).contains("INT"));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child),
        nix::sys::signal::Signal::SIGUSR1,
    )
    .unwrap();
    eventually("USR1 in the log", || log_of(&log).contains("USR1"));
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child),
        nix::sys::signal::Signal::SIGTERM,
    );
    drop(tmux);
    assert_eq!(log_of(&log), "INT\nUSR1\n");
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[test]
fn die_with_parent() {
    let mut proctl = StdCommand::new(binary())
        .args([
            "spawn",
            "--die-with-parent",
            "sh",
            "-c",
            "echo $$; exec sleep 3600",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(proctl.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let child: i32 = line.trim().parse().unwrap();
    proctl.kill().unwrap();
    proctl.wait().unwrap();
    eventually("the child to die with proctl", || {
        std::fs::read_to_string(format!("/proc/{child}/stat")).map_or(true, |s| s.contains(") Z"))
    });
}

#[test]
fn output_to_a_closed_pipe_does_not_hang() {
    let mut child = StdCommand::new(binary())
        .args([
            "spawn",
            "--prefix",
            "sh",
            "-c",
            "i=0; while [ $i -lt 100000 ]; do echo line $i; i=$((i+1)); done",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert_eq!(&first, b"[sh] line 0\n[sh]");
    drop(child.stdout.take());
    // The child keeps writing into proctl's pipe; proctl keeps draining it,
    // so both finish instead of blocking on a full pipe.
    let status = child.wait().unwrap();
    assert!(status.code().is_some(), "{status:?}");
}
