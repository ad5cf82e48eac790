//! Behaviour of `proctl ps` that golden files cannot show: errors, colors,
//! pipes, hostile names from real processes, sampling, multi-call.

use std::os::fd::OwnedFd;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{binary, fixture, proctl, spawn_named};

fn assert_one_line_error(args: &[&str], code: i32, needle: &str) {
    let out = fixture().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?} should exit {code}");
    assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().count(),
        1,
        "{args:?}: one line expected, got {err:?}"
    );
    assert!(err.starts_with("proctl: "), "{err:?}");
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
}

fn assert_usage_error(args: &[&str], needle: &str) {
    assert_one_line_error(args, 2, needle);
}

/// A command line procps rejects: procps's message and exit status 1.
fn assert_procps_error(args: &[&str], needle: &str) {
    assert_one_line_error(args, 1, needle);
}

#[test]
fn bad_input_is_one_line_with_procps_message_and_status() {
    assert_procps_error(
        &["ps", "-o", "pid,uesr"],
        "unknown user-defined format specifier \"uesr\"",
    );
    assert_procps_error(&["ps", "-o", "pid,,comm"], "improper format list");
    assert_procps_error(&["ps", "--sort", "-cpuu"], "unknown sort specifier");
    assert_procps_error(
        &["ps", "-u", "no-such-user-xyz"],
        "user name does not exist",
    );
    assert_procps_error(&["ps", "-p", "abc"], "process ID list syntax error");
    assert_procps_error(&["ps", "--ppid", "0"], "process ID out of range");
    assert_procps_error(&["ps", "-t", "nowhere"], "TTY could not be found");
    assert_procps_error(&["ps", "--no-such-flag"], "unknown gnu long option");
    // proctl's own options are checked as proctl checks them (exit 2).
    assert_usage_error(&["ps", "--sample", "5x"], "invalid duration '5x'");
    assert_usage_error(&["ps", "--state", "Q"], "invalid state 'Q'");
    assert_usage_error(&["ps", "--regex", "--match", "("], "invalid regex '('");
    assert_usage_error(&["ps", "--exact"], "need a PATTERN");
    // Not an output format: procps's --format (a format list) rejects it.
    assert_procps_error(
        &["ps", "--format", "xml"],
        "unknown user-defined format specifier \"xml\"",
    );
}

#[test]
fn empty_lists_are_errors_not_every_process() {
    // Regression: `ps -p ""` listed every process and exited 0.
    assert_procps_error(&["ps", "-p", ""], "list of process IDs must follow -p");
    assert_procps_error(&["ps", "-u", ""], "list of users must follow -u");
    assert_procps_error(&["ps", "-C", ""], "list of command names must follow -C");
    assert_procps_error(
        &["ps", "--ppid", ""],
        "list of process IDs must follow --ppid",
    );
    assert_procps_error(&["ps", "-o", "pid=", "-p", ""], "must follow -p");
}

#[test]
fn clap_errors_are_one_line_too() {
    assert_usage_error(&["--color", "sometimes", "ps"], "invalid value 'sometimes'");
    assert_usage_error(&["frobnicate"], "unrecognized subcommand 'frobnicate'");
}

#[test]
fn help_goes_to_stdout_and_exits_0() {
    let out = proctl().args(["ps", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("--match"), "{text}");
    assert!(text.contains("procps"), "{text}");
}

#[test]
fn a_selection_that_matches_nothing_prints_the_header_and_exits_1() {
    // As procps: the header alone, status 1.
    for args in [
        &["ps", "-p", "31999"][..],
        &["ps", "-C", "nothing"],
        &["ps", "-o", "pid,comm", "--ppid", "31999"],
    ] {
        let out = fixture().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap().lines().count(),
            1,
            "{args:?}"
        );
        assert!(out.stderr.is_empty(), "{args:?}");
    }
    // proctl's own pattern matching prints nothing.
    let out = fixture()
        .args(["ps", "--match", "no-such-process-name"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    // Without a header: nothing, status 1.
    let out = fixture()
        .args(["ps", "-o", "pid=", "-p", "31999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn list_columns_describes_every_key() {
    let out = proctl().args(["ps", "--list-columns"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for key in [
        "pid", "%cpu", "stat", "lstart", "fds", "vctx", "nvctx", "ctxsw", "rbytes", "wbytes",
        "exe", "cwd", "cgroup",
    ] {
        assert!(text.lines().any(|l| l.starts_with(key)), "{key} missing");
    }
}

#[test]
fn colors_follow_flag_and_environment() {
    let colored = |cmd: &mut assert_cmd::Command| {
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        out.stdout.contains(&0x1b)
    };
    // Not a terminal: no colors by default.
    assert!(!colored(fixture().arg("ps")));
    assert!(colored(fixture().args(["--color", "always", "ps"])));
    assert!(
        colored(fixture().args(["ps", "--color=always"])),
        "--color after the subcommand"
    );
    assert!(colored(fixture().env("FORCE_COLOR", "1").arg("ps")));
    assert!(colored(fixture().env("CLICOLOR_FORCE", "1").arg("ps")));
    assert!(!colored(
        fixture()
            .env("FORCE_COLOR", "1")
            .args(["--color", "never", "ps"])
    ));
    assert!(!colored(fixture().env("NO_COLOR", "1").arg("ps")));
    // The plain format and machine formats never color.
    assert!(!colored(
        fixture().args(["--color", "always", "ps", "--format", "plain"])
    ));
    assert!(!colored(
        fixture().args(["--color", "always", "ps", "--format", "json"])
    ));
}

#[test]
fn hostile_fixture_names_never_reach_the_output_raw() {
    for format in ["table", "plain", "csv"] {
        for color in ["never", "always"] {
            let out = fixture()
                .args(["--color", color, "ps", "--format", format])
                .output()
                .unwrap();
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).expect("valid UTF-8 even for invalid names");
            let line = text
                .lines()
                .find(|l| l.contains("500"))
                .expect("row of pid 500");
            // CSV's args cell is the JSON list (docs/json.md), its
            // controls as \u escapes.
            let shown = if format == "csv" {
                "\"[\"\"evil\\u001b]0;pwned\\u0007\"\",\"\"line1\\nline2\"\",{\"\"bytes\"\":[255,254],\"\"text\"\":\"\"\u{fffd}\u{fffd}\"\"}]\""
            } else {
                "evil\\e]0;pwned\\x07 line1\\nline2 \\xff\\xfe"
            };
            assert!(line.contains(shown), "{format}: {line:?}");
            // Only the theme's own SGR sequences may appear: ESC followed by '[' and digits then 'm'.
            let stripped = strip_sgr(&text);
            assert!(
                !stripped
                    .bytes()
                    .any(|b| b < 0x20 && b != b'\n' && b != b'\r'),
                "{format}/{color}: raw control byte in {stripped:?}"
            );
        }
    }
}

fn strip_sgr(text: &str) -> String {
    let re = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    re.replace_all(text, "").into_owned()
}

#[test]
fn json_keeps_exact_text_and_types() {
    let out = fixture()
        .args([
            "ps",
            "-e",
            "--format",
            "json",
            "-o",
            "pid,comm,args,%cpu,lstart,tty,nice",
        ])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let evil = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"] == 500)
        .unwrap();
    assert_eq!(evil["name"], "evil\u{1b}[31m");
    assert_eq!(evil["args"][0], "evil\u{1b}]0;pwned\u{7}");
    assert_eq!(evil["args"][1], "line1\nline2");
    assert_eq!(
        evil["args"][2],
        serde_json::json!({"text": "\u{fffd}\u{fffd}", "bytes": [255, 254]})
    );
    // Under a real-time policy the text prints `-` (procps), but JSON
    // carries the kernel's nice value (stat field 19) all the same.
    assert_eq!(evil["nice"], 0, "{evil}");
    // No controlling terminal: left out, not null (docs/json.md).
    assert_eq!(evil.get("tty"), None, "{evil}");
    let bash = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pid"] == 200)
        .unwrap();
    assert_eq!(bash["tty"], "pts/0");
    assert_eq!(bash["start_time"], "2026-11-26T08:00:00+00:00");
    assert!(bash["cpu_percent"].is_f64());
}

#[test]
fn hostile_names_of_real_processes_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let child = spawn_named(
        dir.path(),
        "ev\x1b[2Jil\nx",
        "sh",
        &["-c", "sleep 3600; :", "arg\x07with\ttab\x1b]0;t\x07"],
    );
    // procps's layout: control characters as '?' (in a UTF-8 locale).
    let out = proctl()
        .env("LC_ALL", "C.UTF-8")
        .args(["ps", "-p", &child.pid().to_string(), "-o", "pid,comm,args"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ev?[2Jil?x"), "{text:?}");
    assert!(text.contains("arg?with?tab?]0;t?"), "{text:?}");
    assert_eq!(text.lines().count(), 2, "{text:?}");
    assert!(!text.bytes().any(|b| b < 0x20 && b != b'\n'));
    // proctl's own view: visible escapes.
    let out = proctl()
        .args(["ps", "--format", "plain", "--match", "ev\x1b[2Jil"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("arg\\x07with\\ttab\\e]0;t\\x07"), "{text:?}");
    assert!(!text.bytes().any(|b| b < 0x20 && b != b'\n'));
}

#[test]
fn writing_to_a_closed_pipe_ends_quietly() {
    let (reader, writer): (OwnedFd, OwnedFd) = nix::unistd::pipe().unwrap();
    drop(reader);
    let out = StdCommand::new(binary())
        .args(["ps", "aux"])
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_pattern_never_matches_proctl_itself() {
    let out = proctl()
        .args(["ps", "--full", "--match", "self-exclusion-marker-91523"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn selects_real_children_by_name_pid_and_parent() {
    let dir = tempfile::tempdir().unwrap();
    let a = spawn_named(dir.path(), "pxsel-alpha", "sleep", &["3600"]);
    let b = spawn_named(dir.path(), "pxsel-beta", "sleep", &["3601"]);
    let out = proctl()
        .args(["ps", "--format", "csv", "--no-header", "--match", "pxsel-"])
        .output()
        .unwrap();
    let pids: Vec<i32> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(pids, vec![a.pid(), b.pid()]);
    let out = proctl()
        .args([
            "ps",
            "--no-header",
            "-o",
            "comm",
            "--exact",
            "--match",
            "pxsel-beta",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "pxsel-beta\n");
    // Regression: selectors are a union, as in procps.
    let out = proctl()
        .args(["ps", "--no-header", "-o", "comm", "-C", "pxsel-alpha", "-p"])
        .arg(b.pid().to_string())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "pxsel-alpha\npxsel-beta\n"
    );
    let out = proctl()
        .args([
            "ps",
            "--no-header",
            "-o",
            "comm",
            "-C",
            "pxsel-alpha,pxsel-beta",
            "--sort",
            "-pid",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "pxsel-beta\npxsel-alpha\n"
    );
    let out = proctl()
        .args([
            "ps",
            "--no-header",
            "-o",
            "args",
            "--full",
            "--match",
            "pxsel-beta 3601",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("{} 3601", dir.path().join("pxsel-beta").display())
    );
}

#[test]
fn sampling_measures_a_busy_child() {
    let dir = tempfile::tempdir().unwrap();
    let busy = spawn_named(dir.path(), "pxbusy", "sh", &["-c", "while :; do :; done"]);
    let idle = spawn_named(dir.path(), "pxidle", "sleep", &["3600"]);
    let out = proctl()
        .args([
            "ps",
            "--sample",
            "1s",
            "--format",
            "plain",
            "--no-header",
            "--match",
            "px(busy|idle)",
            "--regex",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let cpu_of = |pid: i32| -> f64 {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(&pid.to_string()))
            .and_then(|l| l.split_whitespace().nth(2))
            .unwrap()
            .parse()
            .unwrap()
    };
    // On a loaded two-core machine a busy loop may get only a few percent
    // of a second; it gets some.
    assert!(cpu_of(busy.pid()) > 0.0, "{text}");
    assert_eq!(cpu_of(idle.pid()), 0.0, "{text}");
}

#[test]
fn a_link_named_ps_behaves_as_proctl_ps() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("ps");
    std::os::unix::fs::symlink(binary(), &link).unwrap();
    let out = crate::util::without_output_variables(&mut StdCommand::new(&link))
        .env("PROCTL_PROC_ROOT", crate::util::fixture_root())
        .env("PROCTL_NOW", crate::util::FIXTURE_NOW)
        .env("TZ", "UTC")
        .args(["-o", "pid,comm", "-p", "400"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "  PID COMMAND\n  400 java\n"
    );
    let out = crate::util::without_output_variables(&mut StdCommand::new(&link))
        .env("PROCTL_PROC_ROOT", crate::util::fixture_root())
        .arg("aux")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("USER       PID ")
    );
    // Bare `ps` under that name is procps's PID TTY TIME CMD, not proctl's view.
    let out = crate::util::without_output_variables(&mut StdCommand::new(&link))
        .env("PROCTL_PROC_ROOT", crate::util::fixture_root())
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("  PID TTY          TIME CMD\n"),
        "bare ps"
    );
}

#[test]
fn threads_are_listed_with_their_own_ids() {
    let out = fixture()
        .args(["ps", "-L", "-o", "pid,lwp,comm", "-p", "400"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "  PID   LWP COMMAND\n  400   400 java\n  400   401 GC Thread#0\n"
    );
}

/// Issue #18: a zero sampling interval has no meaning.
#[test]
fn a_zero_sample_is_a_usage_error() {
    for zero in ["0", "0s", "0ms"] {
        let out = proctl().args(["ps", "--sample", zero]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "--sample {zero}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("proctl: ") && err.lines().count() == 1,
            "{err}"
        );
    }
}
