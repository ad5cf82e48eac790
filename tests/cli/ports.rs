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
    // PROTO ADDRESS PORT RECV-Q SEND-Q PID FD USER COMMAND
    assert_eq!(fields[..3], ["tcp", "127.0.0.1", port.as_str()], "{line}");
    assert!(fields[5].split(',').any(|p| p == me), "{line}");
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
    assert_eq!(line.split_whitespace().nth(5), Some("-"), "{line}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot be read without privileges"), "{err}");
    // In JSON the owners are unknown (null), not none ([]): a process
    // nobody may not read holds it (docs/json.md).
    let out = crate::util::as_nobody(&["ports", "--port", &port, "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["processes"], serde_json::Value::Null, "{rows}");
    assert!(rows[0].get("processes").is_some(), "{rows}");
    // As root every descriptor is read: the owner is known.
    let out = proctl()
        .args(["ports", "--port", &port, "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["processes"][0]["pid"], std::process::id(), "{rows}");
}

/// type, state, recv-q, send-q, name, inode, (pid, fd) owners.
type UnixRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Vec<(i64, i64)>,
);

/// The `users:((...))` part of an ss line as sorted (pid, fd) pairs.
fn ss_users(line: &str) -> Vec<(i64, i64)> {
    let re = regex::Regex::new(r"pid=(\d+),fd=(\d+)").unwrap();
    let mut v: Vec<(i64, i64)> = re
        .captures_iter(line)
        .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
        .collect();
    v.sort();
    v
}

fn json_users(row: &serde_json::Value) -> Vec<(i64, i64)> {
    let mut v: Vec<(i64, i64)> = row["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["pid"].as_i64().unwrap(), p["fd"].as_i64().unwrap()))
        .collect();
    v.sort();
    v
}

/// The (pid, fd) owners that are this test process. Other tests of this
/// binary start processes all the time, and a child caught between fork
/// and exec holds our descriptors too, for ss or proctl or both: the
/// owners compared are ours (as in `listening_sockets_match_ss`).
fn of_this_process(users: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    let me = std::process::id() as i64;
    users.into_iter().filter(|u| u.0 == me).collect()
}

#[test]
fn queues_and_descriptors_match_ss() {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let (server, _) = listener.accept().unwrap();
    client.write_all(b"hello").unwrap();
    // The five bytes sit unread in the server's receive queue once they
    // arrived; ss and proctl read the same counter.
    let ss_line = || {
        let out = StdCommand::new(which("ss"))
            .args(["-tnpH", "state", "established"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                f.len() > 3 && f[2].ends_with(&format!(":{port}"))
            })
            .map(str::to_string)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let line = loop {
        if let Some(l) = ss_line().filter(|l| l.split_whitespace().next() == Some("5")) {
            break l;
        }
        assert!(std::time::Instant::now() < deadline, "data never arrived");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let out = proctl()
        .args(["ports", "--all", "--tcp", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["port"] == port && r["state"] == "ESTAB")
        .expect("the accepted connection")
        .clone();
    let f: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(row["recv_queue"].to_string(), f[0], "{line}");
    assert_eq!(row["send_queue"].to_string(), f[1], "{line}");
    let owners = of_this_process(json_users(&row));
    assert_eq!(owners, of_this_process(ss_users(&line)));
    assert_eq!(
        owners,
        [(std::process::id() as i64, server.as_raw_fd() as i64)]
    );
    // A listener's queues: connections waiting, and the backlog.
    let out = StdCommand::new(which("ss"))
        .args(["-tlnH", &format!("sport = :{port}")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    let listen = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["port"] == port && r["state"] == "LISTEN")
        .unwrap();
    assert_eq!(
        (
            listen["recv_queue"].to_string(),
            listen["send_queue"].to_string()
        ),
        (f[1].to_string(), f[2].to_string()),
        "{text}"
    );
}

#[test]
fn unix_sockets_match_ss_xlp() {
    use std::os::fd::AsRawFd;
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("px.sock");
    let named = UnixListener::bind(&path).unwrap();
    let tag = format!("pxports-{}", std::process::id());
    let abstract_addr = SocketAddr::from_abstract_name(tag.as_bytes()).unwrap();
    let hidden = UnixListener::bind_addr(&abstract_addr).unwrap();
    // One connection waits unaccepted: the listener's receive queue is 1.
    let _waiting = UnixStream::connect(&path).unwrap();
    // Regression: an unconnected datagram socket (as /dev/log's) is one
    // `ss -xl` lists; ports --unix left it out.
    let dgram_path = dir.path().join("px.dgram");
    let dgram = std::os::unix::net::UnixDatagram::bind(&dgram_path).unwrap();
    let names = [
        path.to_str().unwrap().to_string(),
        format!("@{tag}"),
        dgram_path.to_str().unwrap().to_string(),
    ];
    let out = StdCommand::new(which("ss"))
        .args(["-xlpH"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // Netid State Recv-Q Send-Q Local Inode Peer PeerInode Process
    let theirs: Vec<UnixRow> = text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            names.contains(&f.get(4)?.to_string()).then(|| {
                (
                    f[0].trim_start_matches("u_").to_string(),
                    f[1].to_string(),
                    f[2].to_string(),
                    f[3].to_string(),
                    f[4].to_string(),
                    f[5].to_string(),
                    of_this_process(ss_users(l)),
                )
            })
        })
        .collect();
    let out = proctl()
        .args(["ports", "--unix", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| names.iter().any(|n| r["path"] == n.as_str()))
        .map(|r| {
            (
                r["type"].as_str().unwrap().to_string(),
                r["state"].as_str().unwrap().to_string(),
                r["recv_queue"].to_string(),
                r["send_queue"].to_string(),
                r["path"].as_str().unwrap().to_string(),
                r["inode"].to_string(),
                of_this_process(json_users(r)),
            )
        })
        .collect();
    let mut theirs = theirs;
    theirs.sort();
    let mut ours = ours;
    ours.sort();
    assert_eq!(ours, theirs);
    let me = std::process::id() as i64;
    assert_eq!(ours.len(), 3);
    assert!(
        ours.iter()
            .any(|o| o.0 == "dgr" && o.1 == "UNCONN" && o.6 == [(me, dgram.as_raw_fd() as i64)])
    );
    assert!(
        ours.iter()
            .any(|o| o.2 == "1" && o.6 == [(me, named.as_raw_fd() as i64)])
    );
    assert!(
        ours.iter()
            .any(|o| o.6 == [(me, hidden.as_raw_fd() as i64)])
    );
    // The text table shows the same rows.
    let out = proctl()
        .args(["ports", "--unix", "--format", "plain"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("TYPE STATE"), "{text}");
    assert!(text.contains(&format!("@{tag}")), "{text}");
}
