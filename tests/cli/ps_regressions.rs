//! Regression tests for the defects of issue #11, each named after it, on
//! the fixture /proc tree (fixed processes, fixed clock).

use crate::util::fixture;

fn ps(args: &[&str]) -> (String, Option<i32>) {
    let out = fixture().arg("ps").args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn empty_header_prints_no_header_line() {
    assert_eq!(
        ps(&["-o", "pid=", "-p", "400"]),
        ("  400\n".into(), Some(0))
    );
    assert_eq!(
        ps(&["-o", "comm=", "-p", "400"]),
        ("java\n".into(), Some(0))
    );
}

#[test]
fn an_empty_header_does_not_swallow_the_next_key() {
    assert_eq!(
        ps(&["-o", "pid=,comm", "-p", "400"]),
        ("      COMMAND\n  400 java\n".into(), Some(0))
    );
}

#[test]
fn selection_is_a_union() {
    let (text, code) = ps(&["-o", "pid", "-p", "400", "-C", "bash"]);
    assert_eq!(text, "  PID\n  200\n  400\n");
    assert_eq!(code, Some(0));
}

#[test]
fn bare_numbers_and_repeated_p_select_pids() {
    assert_eq!(ps(&["-o", "pid", "400"]).0, "  PID\n  400\n");
    assert_eq!(
        ps(&["-o", "pid", "-p", "400", "200"]).0,
        "  PID\n  200\n  400\n"
    );
    assert_eq!(
        ps(&["-o", "pid", "-p", "400 200"]).0,
        "  PID\n  200\n  400\n"
    );
    assert_eq!(ps(&["o", "pid", "p", "400"]).0, "  PID\n  400\n");
}

#[test]
fn bsd_letters_are_layouts_not_patterns() {
    let first = |args: &[&str]| ps(args).0.lines().next().unwrap_or("").to_string();
    assert!(first(&["l", "-p", "400"]).starts_with("F   UID   PID  PPID PRI  NI"));
    assert!(
        first(&["s", "-p", "400"]).starts_with("  UID   PID          PENDING          BLOCKED")
    );
    assert!(first(&["v", "-p", "400"]).starts_with("  PID TTY      STAT   TIME  MAJFL"));
    assert!(first(&["j", "-p", "400"]).starts_with(" PPID   PID  PGID   SID TTY"));
    assert!(first(&["axjf"]).starts_with(" PPID   PID  PGID   SID TTY"));
    assert!(first(&["auxc"]).starts_with("USER       PID %CPU %MEM"));
}

#[test]
fn auxc_shows_the_true_command_name() {
    let (text, _) = ps(&["auxc"]);
    let java = text.lines().find(|l| l.contains(" 400 ")).unwrap();
    assert!(java.ends_with(" java"), "{java}");
}

#[test]
fn procps_selection_without_layout_is_pid_tty_time_cmd() {
    assert_eq!(
        ps(&["-p", "400"]).0,
        "  PID TTY          TIME CMD\n  400 ?        02:06:00 java\n"
    );
    assert_eq!(
        ps(&["--ppid", "200"]).0,
        "  PID TTY          TIME CMD\n  300 pts/0    00:00:00 sleep\n  301 pts/0    00:00:00 defunct-kid\n"
    );
}

#[test]
fn sorting_is_on_raw_values_and_stable() {
    // All these have %MEM 0.0; RSS orders them, then /proc order.
    let (text, _) = ps(&["-e", "-o", "pid,rss,%mem", "--sort=-%mem"]);
    let rss: Vec<u64> = text
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    let mut sorted = rss.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(rss, sorted, "{text}");
    // Ties keep pid order.
    let (text, _) = ps(&["-e", "-o", "pid,ni", "k", "ni"]);
    let zero: Vec<&str> = text
        .lines()
        .filter(|l| l.ends_with("  0"))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut by_pid = zero.clone();
    by_pid.sort_by_key(|p| p.parse::<i32>().unwrap());
    assert_eq!(zero, by_pid);
}

#[test]
fn forest_shows_pid_1_children_as_roots() {
    let (text, _) = ps(&["axf", "-o", "pid,args"]);
    let sshd = text.lines().find(|l| l.contains("sshd")).unwrap();
    assert_eq!(
        sshd,
        "  100 sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"
    );
    let bash = text.lines().find(|l| l.contains("-bash")).unwrap();
    assert_eq!(bash, "  200  \\_ -bash");
}

#[test]
fn headers_and_widths_options() {
    assert_eq!(ps(&["-o", "pid", "-p", "400", "--no-headers"]).0, "  400\n");
    assert_eq!(ps(&["h", "-o", "pid", "-p", "400"]).0, "  400\n");
    assert_eq!(
        ps(&["-o", "pid,args", "-p", "400", "--cols", "20"]).0,
        "  PID COMMAND\n  400 java -Xmx2g -j\n"
    );
    // KEY:WIDTH: a header is never cut; a value is, unless it is last.
    assert_eq!(
        ps(&["-o", "pid:8,comm:3", "-p", "400"]).0,
        "     PID COMMAND\n     400 java\n"
    );
    assert_eq!(
        ps(&["-o", "comm:3,pid", "-p", "400"]).0,
        "COMMAND PID\njav   400\n"
    );
}

#[test]
fn deselect_negates_the_selection() {
    let (text, _) = ps(&["-N", "-e"]);
    assert_eq!(text, "  PID TTY          TIME CMD\n");
    let (text, _) = ps(&["-o", "pid", "--deselect", "-u", "root,www-data,nobody,4242"]);
    assert_eq!(text, "  PID\n");
}

/// A one-letter BSD option whose argument is missing (an empty, unquoted
/// variable: `ps -o pid= p $PID`) or that must stand alone is procps's
/// error, never a PATTERN matching every name that holds the letter.
#[test]
fn a_failing_bsd_letter_is_an_error_not_a_pattern() {
    for (args, message) in [
        (&["k"][..], "long sort specification must follow 'k'"),
        (
            &["ax", "-o", "pid=", "p"][..],
            "list of process IDs must follow p",
        ),
        (&["ax", "U"][..], "list of users must follow U"),
        (&["-e", "V"][..], "the option is exclusive: V"),
    ] {
        let out = fixture().arg("ps").args(args).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "", "ps {args:?}");
        assert_eq!(out.status.code(), Some(1), "ps {args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("proctl: {message}\n"),
            "ps {args:?}"
        );
    }
}

/// Arguments are bytes, as procps reads them: a header or a command name
/// that is not UTF-8 is printed and matched byte for byte (it was replaced
/// by U+FFFD, so `-C` found nothing and headers changed).
#[test]
fn arguments_that_are_not_utf8_stay_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let arg = |b: &[u8]| std::ffi::OsStr::from_bytes(b).to_os_string();
    let out = fixture()
        .arg("ps")
        .arg("-o")
        .arg(arg(b"pid=\xff\xfe"))
        .args(["-p", "400"])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"   \xff\xfe\n  400\n");
    let out = fixture()
        .arg("ps")
        .arg("-o")
        .arg(arg(b"pid=\xe9\xe9\xe9\xe9\xe9\xe9,comm"))
        .args(["-p", "400"])
        .output()
        .unwrap();
    assert_eq!(
        out.stdout,
        b"\xe9\xe9\xe9\xe9\xe9\xe9 COMMAND\n   400 java\n"
    );

    // A live process whose name is Latin-1 (its comm is the link's name).
    let dir = tempfile::tempdir().unwrap();
    let name = arg(b"pxl\xe9t\xe9");
    let link = dir.path().join(&name);
    std::os::unix::fs::symlink(crate::util::which("sleep"), &link).unwrap();
    let child = crate::util::Reaped(
        std::process::Command::new(&link)
            .arg("3600")
            .stdin(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let pid = child.pid().to_string();
    let ours = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(crate::util::binary())
            .arg("ps")
            .args(args)
            .output()
            .unwrap();
        (out.stdout, out.status.code())
    };
    let (out, code) = ours(&["-o".as_ref(), "pid=".as_ref(), "-C".as_ref(), &name]);
    assert_eq!(
        (String::from_utf8_lossy(&out).trim(), code),
        (pid.as_str(), Some(0))
    );
    // The name shows as procps escapes it.
    let (out, _) = ours(&["-o".as_ref(), "comm=".as_ref(), "-p".as_ref(), pid.as_ref()]);
    assert_eq!(out, b"pxl?t?\n");
}

/// `oomadj` is procps's OOM_ADJ, read from oom_score_adj (-1000..1000),
/// not the older oom_adj file (it showed 8 where procps shows 500).
#[test]
fn oomadj_is_the_oom_score_adj_and_q_selects_alike_in_json() {
    let child = crate::util::Reaped(
        std::process::Command::new(crate::util::which("sleep"))
            .arg("3600")
            .stdin(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let pid = child.pid().to_string();
    // Raising it needs no privilege.
    std::fs::write(format!("/proc/{pid}/oom_score_adj"), "500").unwrap();
    let out = std::process::Command::new(crate::util::binary())
        .args(["ps", "-o", "oomadj=", "-p", &pid])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "500");
    // In JSON it is show's oom_score_adj, the same number.
    let out = std::process::Command::new(crate::util::binary())
        .args(["ps", "-o", "oomadj", "-p", &pid, "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows, serde_json::json!([{"oom_score_adj": 500}]));
    // -q selects the same processes for every format: pid 1 alone, even
    // with -e (procps's simple_spew).
    let out = std::process::Command::new(crate::util::binary())
        .args(["ps", "-q", &pid, "-e", "-o", "pid", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows, serde_json::json!([{"pid": child.pid()}]));
}
