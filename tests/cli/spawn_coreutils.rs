//! coreutils' tests/timeout/*.sh and tests/env/*.sh, translated to
//! `proctl spawn` where they apply (`timeout DUR CMD` is `spawn --timeout
//! DUR -- CMD`; `env OPTS CMD` is `spawn OPTS -- CMD`). Facts taken from
//! the scripts, not their code. Differences by design: a bad duration or
//! signal name is a usage error (2) where timeout(1) and env(1) say 125;
//! proctl prefixes its messages with "proctl: ".
//!
//! Not translated: timeout-group.sh's nested timeouts (timeout treats a
//! SIGALRM as its own timer firing; proctl forwards ALRM like any other
//! signal), timeout-parameters.sh's `1e-10000` (no exponent syntax),
//! timeout-large-parameters.sh (durations past 1e12 s are refused, not
//! clamped), env -0/-S/--list-signal-handling (env-null.sh, env0-from.sh,
//! env-S*.sh), and env's QUOTING_STYLE checks.

use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use crate::spawn::eventually;
use crate::spawn_contract::finish;
use crate::util::{binary, which, with_default_signals};

/// Runs a bash script with $P set to proctl: (status, stdout, stderr).
fn sh(script: &str) -> (i32, String, String) {
    // The scripts trap and send INT, USR1 and PIPE themselves: a runner
    // that ignores one (nohup, a shell's background) must not hand that on.
    let child = with_default_signals(&mut StdCommand::new(which("bash")))
        .arg("-c")
        .arg(script)
        .env("P", binary())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = finish(child, Duration::from_secs(30));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn status(script: &str) -> i32 {
    sh(script).0
}

// ---- tests/timeout/timeout.sh ------------------------------------------

#[test]
fn timeout_sh_statuses() {
    for (script, want) in [
        ("\"$P\" spawn --timeout 10 -- true", 0),
        ("\"$P\" spawn --timeout 1d -- true", 0),
        ("\"$P\" spawn --timeout 0 -- true", 0),
        ("\"$P\" spawn --timeout 10 -- sh -c 'exit 2'", 2),
        ("\"$P\" spawn --timeout .1 -- sleep 10", 124),
        // --preserve-status: the program's own status, not 124.
        (
            "\"$P\" spawn --timeout .1 --preserve-status -- sleep 10",
            143,
        ),
        // Signal 0 does nothing; the KILL of --kill-after ends it: 137.
        (
            "\"$P\" spawn --timeout .1 --timeout-signal 0 --kill-after 1 -- sleep 10",
            137,
        ),
        (
            "\"$P\" spawn --foreground --timeout .1 --timeout-signal 0 --kill-after 1 -- sleep 10",
            137,
        ),
        // A parent that ignores SIGCHLD.
        ("trap '' CHLD; exec \"$P\" spawn --timeout 10 -- true", 0),
    ] {
        assert_eq!(status(script), want, "{script}");
    }
}

#[test]
fn timeout_sh_ends_although_a_stranger_holds_the_output() {
    // A process outside the program's group holds the pipe the output goes
    // to; the run still ends when the timeout fires.
    let (code, out, _) = sh(
        "out=$(setsid sleep 5 & exec \"$P\" spawn --timeout .5 -- sh -c 'sleep 2; echo foo'); \
         echo \"[$out]\" $?",
    );
    assert_eq!((code, out.as_str()), (0, "[] 124\n"));
}

#[test]
fn timeout_sh_verbose() {
    let (code, _, err) =
        sh("\"$P\" spawn --verbose --timeout-signal 0 --kill-after .1 --timeout .1 -- sleep 10");
    assert_eq!(code, 137);
    assert_eq!(
        err,
        "proctl: sending signal 0 to command 'sleep'\nproctl: sending signal KILL to command 'sleep'\n"
    );
    // Its message to a closed pipe changes nothing.
    let (_, out, _) =
        sh("exec 3>&1; { \"$P\" spawn --verbose --timeout .1 -- sleep 10 2>&1; echo $? >&3; } | :");
    assert_eq!(out, "124\n");
}

#[test]
fn timeout_sh_ignored_sigpipe_stays_ignored() {
    let (_, out, _) = sh("(trap '' PIPE && \"$P\" spawn --timeout 10 -- yes | :) 2>&1");
    assert!(out.contains("Broken pipe"), "{out}");
}

// ---- tests/timeout/timeout-group.sh ------------------------------------

#[test]
fn timeout_group_sh_foreground_child_gets_the_groups_signal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let cmd = format!(
        "#!/bin/sh\ntrap 'touch {d}/sig.received; exit' USR1\ntouch {d}/running\n\
         count=$1\nuntil test -e {d}/sig.received || test $count = 0; do sleep 1; count=$((count - 1)); done\n"
    );
    let script = dir.path().join("timeout.cmd");
    std::fs::write(&script, cmd).unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let group = format!(
        "trap '' USR1; \"$P\" spawn --default-signal=USR1 --verbose --foreground --timeout 25 -- {} 20 & wait",
        script.display()
    );
    let mut leader = StdCommand::new(which("setsid"))
        .args(["bash", "-c", &group])
        .env("P", binary())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    eventually("timeout.cmd to run", || dir.path().join("running").exists());
    // SAFETY: kill(2) to the session (and group) this test started.
    unsafe { nix::libc::kill(-(leader.id() as i32), nix::libc::SIGUSR1) };
    eventually("USR1 to reach timeout.cmd", || {
        dir.path().join("sig.received").exists()
    });
    leader.wait().unwrap();
}

#[test]
fn timeout_group_sh_killing_proctl_signals_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("sig.received");
    let script = format!(
        "trap 'touch {}; exit' USR1; echo ready; while :; do sleep 0.05; done",
        got.display()
    );
    let mut proctl = StdCommand::new(binary())
        .args([
            "spawn",
            "--timeout-signal",
            "USR1",
            "--timeout",
            "25",
            "--",
            "sh",
            "-c",
            &script,
        ])
        // Not the runner's terminal: a timed-out group takes its
        // foreground.
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(proctl.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    proctl.kill().unwrap();
    proctl.wait().unwrap();
    eventually("USR1 in the program", || got.exists());
}

// ---- tests/timeout/timeout-parameters.sh -------------------------------

#[test]
fn timeout_parameters_sh() {
    for bad in [
        "--timeout invalid -- sleep 0",
        "--timeout ' -0.1' -- sleep 0",
        "--timeout ' -1e-10000' -- sleep 0",
        "--timeout 1 --kill-after invalid -- sleep 0",
        "--timeout 42D -- sleep 0",
        "--timeout 1 --timeout-signal invalid -- sleep 0",
    ] {
        assert_eq!(status(&format!("\"$P\" spawn {bad}")), 2, "{bad}");
    }
    assert_eq!(status("\"$P\" spawn --timeout 10.34 -- sleep 0"), 0);
    assert_eq!(status("\"$P\" spawn --timeout 9.999999999 -- sleep 0"), 0);
    // Round underflow up to 1 ns.
    assert_eq!(status("\"$P\" spawn --timeout 1e-10000 -- sleep 10"), 124);
    // Beyond the clock's range: the longest wait, not an error (not in the
    // script; timeout(1) bounds these the same way).
    for long in ["inf", "1e999", "99999999999d", "0x10000000000000d"] {
        assert_eq!(
            status(&format!("\"$P\" spawn --timeout {long} -- sleep 0")),
            0,
            "{long}"
        );
    }
    assert_eq!(status("\"$P\" spawn --timeout 10 -- ."), 126);
    assert_eq!(status("\"$P\" spawn --timeout 10 -- no_such"), 127);
}

// ---- tests/timeout/init-parent.sh, timeout-blocked.pl ------------------

#[test]
fn init_parent_sh_proctl_as_pid_1() {
    let probe = StdCommand::new(which("unshare"))
        .args(["--pid", "--fork", "--map-root-user", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("skipped: unshare --pid --fork --map-root-user is unavailable");
        return;
    }
    let code = status("unshare --pid --fork --map-root-user \"$P\" spawn --timeout .1 -- sleep 10");
    assert_eq!(code, 124);
}

#[test]
fn timeout_blocked_pl_alrm_blocked_at_start() {
    let mut cmd = StdCommand::new(binary());
    cmd.args(["spawn", "--timeout", ".1", "--", "sleep", "10"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: sigprocmask between fork and exec.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            let mut set = std::mem::zeroed::<nix::libc::sigset_t>();
            nix::libc::sigemptyset(&mut set);
            nix::libc::sigaddset(&mut set, nix::libc::SIGALRM);
            nix::libc::sigprocmask(nix::libc::SIG_BLOCK, &set, std::ptr::null_mut());
            Ok(())
        });
    }
    let out = finish(cmd.spawn().unwrap(), Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(124));
}

// ---- tests/env/env.sh --------------------------------------------------

#[test]
fn env_sh_environment_and_statuses() {
    let env = "/usr/bin/env";
    assert_eq!(sh(&format!("a=1 \"$P\" spawn -i -- {env}")).1, "");
    assert_eq!(
        sh(&format!("\"$P\" spawn --unset a -i --unset a -- {env}")).1,
        ""
    );
    assert_eq!(sh(&format!("\"$P\" spawn -i -e a=b -- {env}")).1, "a=b\n");
    assert_eq!(status("\"$P\" spawn -- sh -c 'exit 2'"), 2);
    assert_eq!(status("\"$P\" spawn -- ."), 126);
    assert_eq!(status("\"$P\" spawn -- no_such"), 127);
    let (_, out, _) = sh(&format!(
        "export ENV_TEST1=a; \
         \"$P\" spawn -e ENV_TEST2= -- {env} | grep ^ENV_TEST | LC_ALL=C sort; \
         \"$P\" spawn --unset ENV_TEST1 -e ENV_TEST3=c -- {env} | grep ^ENV_TEST | LC_ALL=C sort; \
         \"$P\" spawn -e ENV_TEST1=b -- {env} | grep ^ENV_TEST | LC_ALL=C sort"
    ));
    assert_eq!(out, "ENV_TEST1=a\nENV_TEST2=\nENV_TEST3=c\nENV_TEST1=b\n");
    // A value that is not UTF-8 passes through byte for byte.
    let (_, out, _) = sh(&format!(
        "\"$P\" spawn -e \"$(printf 'NON_UTF8_TEST=\\240')\" -- {env} | grep -a ^NON_UTF8_TEST | od -An -c"
    ));
    assert!(out.contains("240"), "{out}");
    // Names env(1) refuses to unset.
    assert_eq!(status("\"$P\" spawn --unset a=b -- true"), 2);
    assert_eq!(status("\"$P\" spawn --unset '' -- true"), 2);
    assert_eq!(status("\"$P\" spawn -C empty/nonexistent -- true"), 125);
}

#[test]
fn env_sh_path_chdir_and_argv0() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("unlikely_name")).unwrap();
    std::fs::create_dir(d.join("empty")).unwrap();
    let prog = d.join("unlikely_name/also_unlikely");
    std::fs::write(&prog, "echo pass\n").unwrap();
    std::fs::set_permissions(&prog, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let cd = format!("cd {} && ", d.display());
    assert_eq!(status(&format!("{cd}\"$P\" spawn -- also_unlikely")), 127);
    assert_eq!(
        sh(&format!(
            "{cd}PATH=$PATH:unlikely_name \"$P\" spawn -- also_unlikely"
        ))
        .1,
        "pass\n"
    );
    assert_eq!(
        sh(&format!(
            "{cd}\"$P\" spawn -e PATH=\"$PATH\":unlikely_name -- also_unlikely"
        ))
        .1,
        "pass\n"
    );
    let (_, here, _) = sh(&format!("{cd}cd empty && pwd -P"));
    assert_eq!(sh(&format!("{cd}\"$P\" spawn -C empty -- pwd -P")).1, here);
    for name in ["argv0", ""] {
        let (_, out, _) = sh(&format!(
            "\"$P\" spawn --argv0 '{name}' -- sh -c 'echo \"[$0]\"'"
        ));
        assert_eq!(out, format!("[{name}]\n"));
    }
}

// ---- tests/env/env-signal-handler.sh -----------------------------------

#[test]
fn env_signal_handler_sh_default_signal_pipe() {
    let (_, out, err) =
        sh("(trap '' PIPE; bash -c 'trap - PIPE; seq 999999 2>/dev/stderr | head -n1')");
    assert_eq!(out, "1\n");
    assert!(err.contains("write error"), "baseline: {err}");
    for opt in ["--default-signal=PIPE", "--default-signal"] {
        let (_, out, err) = sh(&format!(
            "(trap '' PIPE; \"$P\" spawn {opt} -- bash -c 'trap - PIPE; seq 999999 | head -n1')"
        ));
        assert_eq!((out.as_str(), err.as_str()), ("1\n", ""), "{opt}");
    }
    assert_eq!(status("\"$P\" spawn --block-signal -- true"), 0);
}

#[test]
fn env_signal_handler_sh_ignored_signals_need_the_kill() {
    let rt = ["RTMIN", "RTMAX"];
    let mut cases = vec![
        ("INT", ""),
        ("INT", "--ignore-signal=INT"),
        ("INT", "--ignore-signal"),
    ];
    cases.push(("PIPE", "--ignore-signal=PIPE"));
    for sig in rt {
        cases.push((sig, ""));
        cases.push((
            sig,
            if sig == "RTMIN" {
                "--ignore-signal=RTMIN"
            } else {
                "--ignore-signal=RTMAX"
            },
        ));
        cases.push((sig, "--ignore-signal"));
    }
    // coreutils waits .1 s; the inner proctl must have set its
    // dispositions by the time the signal comes, or the signal ends it
    // before it could ignore it: a debug build on a loaded machine can
    // take a second to get there, so wait 5 s, and run the cases side by
    // side so that the waits overlap.
    let runs: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .iter()
            .map(|&(sig, opt)| {
                // Where the program should end by the signal, a KILL after
                // a long while shows that it did not need one, even on a
                // loaded machine.
                let kill_after = if opt.is_empty() { "20" } else { ".1" };
                scope.spawn(move || {
                    sh(&format!(
                        "\"$P\" spawn --verbose --kill-after {kill_after} --timeout-signal {sig} \
                         --timeout 5 -- \"$P\" spawn {opt} -- sleep 10"
                    ))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (&(sig, opt), (code, _, err)) in cases.iter().zip(runs) {
        let first = format!(
            "proctl: sending signal {sig} to command '{}'\n",
            binary().display()
        );
        let lines: Vec<&str> = err.split_inclusive('\n').take(2).collect();
        assert_eq!(lines[0], first, "{sig} {opt}");
        if opt.is_empty() {
            assert!(!err.contains("signal KILL"), "{sig}: {err}");
            assert_eq!(code, 124);
        } else {
            assert_eq!(
                lines[1],
                format!(
                    "proctl: sending signal KILL to command '{}'\n",
                    binary().display()
                ),
                "{sig} {opt}"
            );
            assert_eq!(code, 137, "{sig} {opt}");
        }
    }
}
