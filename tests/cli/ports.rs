//! `proctl ports` and the `--port` selectors, compared with iproute2's `ss`
//! on sockets this test opens.

use std::net::{TcpListener, UdpSocket};
use std::process::Command as StdCommand;

use crate::util::{proctl, which};

/// (proto, address, port, pids) of ss -tulpn rows for the given ports.
fn ss_rows(ports: &[u16]) -> Vec<(String, String, u16, Vec<i64>)> {
    let out = StdCommand::new(which("ss"))
        .args(["-tulpnH"])
        .output()
        .expect("ss (iproute2) is needed");
    let text = String::from_utf8_lossy(&out.stdout);
    let pid_re = regex::Regex::new(r"pid=(\d+)").unwrap();
    let mut rows: Vec<_> = text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (addr, port) = f[4].rsplit_once(':')?;
            let port: u16 = port.parse().ok()?;
            if !ports.contains(&port) {
                return None;
            }
            let addr = addr
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string();
            let mut pids: Vec<i64> = pid_re
                .captures_iter(l)
                .map(|c| c[1].parse().unwrap())
                .collect();
            pids.sort();
            Some((f[0].to_string(), addr, port, pids))
        })
        .collect();
    rows.sort();
    rows
}

fn proctl_rows(ports: &[u16]) -> Vec<(String, String, u16, Vec<i64>)> {
    let out = proctl()
        .args(["ports", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rows: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| ports.contains(&(r["port"].as_u64().unwrap() as u16)))
        .map(|r| {
            let mut pids: Vec<i64> = r["processes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["pid"].as_i64().unwrap())
                .collect();
            pids.sort();
            (
                r["proto"].as_str().unwrap().to_string(),
                r["address"].as_str().unwrap().to_string(),
                r["port"].as_u64().unwrap() as u16,
                pids,
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn listening_sockets_match_ss() {
    let tcp4 = TcpListener::bind("127.0.0.1:0").unwrap();
    let tcp6 = TcpListener::bind("[::1]:0").ok();
    let udp4 = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut ports = vec![
        tcp4.local_addr().unwrap().port(),
        udp4.local_addr().unwrap().port(),
    ];
    if let Some(t) = &tcp6 {
        ports.push(t.local_addr().unwrap().port());
    }
    // Other tests of this binary start processes all the time, and a child
    // holds our descriptors between fork and exec: the sockets and
    // addresses must agree, and both must name this process as an owner.
    let ours = proctl_rows(&ports);
    let theirs = ss_rows(&ports);
    let key = |rows: &[(String, String, u16, Vec<i64>)]| {
        rows.iter()
            .map(|r| (r.0.clone(), r.1.clone(), r.2))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&ours), key(&theirs));
    let me = std::process::id() as i64;
    assert_eq!(ours.len(), ports.len());
    assert!(
        ours.iter().chain(&theirs).all(|r| r.3.contains(&me)),
        "{ours:?} {theirs:?}"
    );
}

#[test]
fn port_selectors_in_ps_and_signal() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let me = std::process::id().to_string();
    let out = proctl()
        .args(["ps", "--no-header", "-o", "pid", "--port", &port])
        .output()
        .unwrap();
    let holders = String::from_utf8(out.stdout).unwrap();
    assert!(holders.lines().any(|l| l.trim() == me), "{holders}");
    let out = proctl()
        .args([
            "ps",
            "--no-header",
            "-o",
            "pid",
            "--port",
            &format!("{port}/udp"),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "nothing holds the UDP port");
    let out = proctl()
        .args(["ps", "--no-header", "-o", "ports", "-p", &me])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.split(',').any(|p| p.trim() == format!("{port}/tcp")),
        "{text}"
    );
    // signal --port: the test process is proctl's parent, so it is protected
    // (a sibling caught between fork and exec may hold the socket too).
    let out = proctl()
        .args(["signal", "--port", &port, "--dry-run", "--format", "json"])
        .output()
        .unwrap();
    let listed = String::from_utf8(out.stdout).unwrap();
    if out.status.success() {
        let rows: serde_json::Value = serde_json::from_str(&listed).unwrap();
        assert!(
            rows.as_array()
                .unwrap()
                .iter()
                .all(|r| r["pid"] != std::process::id()),
            "{listed}"
        );
    } else {
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8(out.stderr)
                .unwrap()
                .contains("no process matched")
        );
    }
    let out = proctl()
        .args(["ports", "--port", &port, "--no-header", "--format", "plain"])
        .output()
        .unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[..3], ["tcp", "127.0.0.1", port.as_str()], "{line}");
    assert!(fields[3].split(',').any(|p| p == me), "{line}");
}

#[test]
fn all_states_and_filters() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (_server_side, _) = listener.accept().unwrap();
    let out = proctl()
        .args(["ports", "--all", "--tcp", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["port"] == port && r["state"] == "LISTEN")
    );
    assert!(
        rows.iter()
            .any(|r| r["remote_port"] == port && r["state"] == "ESTAB")
    );
    assert!(rows.iter().all(|r| r["proto"] == "tcp"));
    let out = proctl()
        .args(["ports", "--udp", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.as_array().unwrap().iter().all(|r| r["proto"] == "udp"));
    let out = proctl().args(["ports", "--port", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unprivileged_owners_are_unknown_with_a_note() {
    if !crate::util::is_root() {
        eprintln!("not root: cannot drop privileges for this test");
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let out =
        crate::util::as_nobody(&["ports", "--port", &port, "--format", "plain", "--no-header"]);
    assert_eq!(out.status.code(), Some(0));
    let line = String::from_utf8(out.stdout).unwrap();
    assert_eq!(line.split_whitespace().nth(3), Some("-"), "{line}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot be read without privileges"), "{err}");
}
