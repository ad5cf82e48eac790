//! `proctl show`: sections from real children, masking of secrets,
//! unreadable sections, JSON, and the fixture's exact text.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{Reaped, assert_golden, fixture, proctl, which};

/// A shell with a secret in its environment, a file and a pipe open, a
/// trapped TERM, an ignored INT and a low open-files limit.
fn start_child(dir: &std::path::Path) -> Reaped {
    let data = dir.join("data.txt");
    std::fs::write(&data, "x").unwrap();
    let mut cmd = StdCommand::new(which("sh"));
    cmd.args([
        "-c",
        "trap 'exit 0' TERM; trap '' INT; exec 3<\"$0\"; echo ready; sleep 3600 & wait",
    ])
    .arg(&data)
    .current_dir(dir)
    .env("PXSHOW_API_TOKEN", "hunter2")
    .env("PXSHOW_PLAIN", "visible")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .process_group(0);
    unsafe {
        cmd.pre_exec(|| {
            nix::sys::resource::setrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE, 123, 456)
                .map_err(std::io::Error::from)
        });
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    Reaped(child)
}

#[test]
fn json_report_of_a_real_child() {
    let dir = tempfile::tempdir().unwrap();
    let child = start_child(dir.path());
    let out = proctl()
        .args([
            "show",
            "--format",
            "json",
            "--threads",
            &child.pid().to_string(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pid"], child.pid());
    assert_eq!(v["ppid"], std::process::id());
    assert_eq!(v["ancestors"][0]["pid"], std::process::id());
    assert_eq!(
        v["cwd"],
        dir.path().canonicalize().unwrap().to_str().unwrap()
    );
    assert_eq!(
        v["exe"],
        which("sh").canonicalize().unwrap().to_str().unwrap()
    );
    assert_eq!(v["limits"]["nofile"]["soft"], 123);
    assert_eq!(v["limits"]["nofile"]["hard"], 456);
    assert_eq!(v["environment"]["PXSHOW_API_TOKEN"], "********");
    assert_eq!(v["environment"]["PXSHOW_PLAIN"], "visible");
    assert!(
        v["signals"]["caught"]
            .as_array()
            .unwrap()
            .contains(&"TERM".into()),
        "{}",
        v["signals"]
    );
    assert!(
        v["signals"]["ignored"]
            .as_array()
            .unwrap()
            .contains(&"INT".into()),
        "{}",
        v["signals"]
    );
    let files = &v["open_files"];
    assert!(
        files["list"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["fd"] == 3 && f["target"].as_str().unwrap().ends_with("data.txt"))
    );
    assert!(files["by_kind"]["pipes"].as_u64().unwrap() >= 1, "{files}");
    assert_eq!(v["thread_list"][0]["tid"], child.pid());
    assert!(v["memory_kib"]["resident"].as_u64().unwrap() > 0);
    assert!(v["namespaces"]["pid"].as_u64().is_some());
    let out = proctl()
        .args([
            "show",
            "--format",
            "json",
            "--show-secrets",
            &child.pid().to_string(),
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["environment"]["PXSHOW_API_TOKEN"], "hunter2");
}

#[test]
fn text_report_sections() {
    let dir = tempfile::tempdir().unwrap();
    let child = start_child(dir.path());
    let out = proctl()
        .args(["show", "--env", "--files", &child.pid().to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for section in [
        "Identity",
        "Command",
        "State and scheduling",
        "CPU",
        "Memory",
        "Disk I/O",
        "Open files",
        "Network",
        "Environment",
        "Limits (soft / hard)",
        "Control groups and namespaces",
        "Signals",
    ] {
        assert!(
            text.lines().any(|l| l == section),
            "missing {section} in {text}"
        );
    }
    assert!(text.contains("PXSHOW_API_TOKEN=********"));
    assert!(!text.contains("hunter2"));
    assert!(text.contains("PXSHOW_PLAIN=visible"));
    assert!(text.contains("nofile             123 / 456"), "{text}");
    let out = proctl()
        .args(["show", &child.pid().to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("with secret-looking names); list them with --env"),
        "{text}"
    );
}

#[test]
fn sockets_of_a_process() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let out = proctl()
        .args(["show", "--format", "json", &std::process::id().to_string()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sockets = v["sockets"].as_array().unwrap();
    assert!(
        sockets
            .iter()
            .any(|s| s["local_port"] == port && s["state"] == "LISTEN" && s["proto"] == "tcp"),
        "{sockets:?}"
    );
}

#[test]
fn another_users_process_has_unreadable_sections() {
    if !crate::util::is_root() {
        eprintln!("not root: cannot drop privileges for this test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let child = start_child(dir.path());
    let out = crate::util::as_nobody(&["show", &child.pid().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let after = |section: &str| {
        text.split(&format!("\n{section}\n"))
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(after("Environment"), "  permission denied");
    assert_eq!(after("Open files"), "  permission denied");
    assert_eq!(after("Disk I/O"), "  permission denied");
    assert!(text.contains("executable         permission denied"));
    assert!(after("Memory").contains("virtual"), "status stays readable");
}

#[test]
fn patterns_show_every_match_and_errors() {
    let out = fixture()
        .args(["show", "--format", "json", "sl"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pids: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["pid"].as_i64().unwrap())
        .collect();
    assert_eq!(pids, vec![300]);
    let out = fixture()
        .args(["show", "--format", "json", "-f", "jar"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["pid"], 400);
    let out = fixture().args(["show", "31999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "proctl: no such process: 31999\n"
    );
    let out = fixture().args(["show", "no-such-name"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn fixture_text_is_stable() {
    let out = fixture().args(["show", "400"]).output().unwrap();
    assert!(out.status.success());
    assert_golden("show_400.txt", &out.stdout);
    let out = fixture().args(["show", "500"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("500 (evil\\e[31m)"), "{text}");
    assert!(!text.bytes().any(|b| b == 0x1b));
}
