//! ps's columns for how a process shares the machine (`affinity`, `io`,
//! the `NAME_soft`/`NAME_hard` limits, `pss`, `uss`) on processes the test
//! starts, after `proctl set` changes them, read back against util-linux's
//! taskset, ionice and prlimit and the kernel's smaps_rollup.

use std::collections::BTreeSet;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{
    Reaped, as_nobody, is_root, proctl, python_ready, sleep_child, stdout_of, which,
};

/// A Python process with one extra thread; returns it and the thread's id.
fn two_threads() -> (Reaped, i32) {
    let script = r#"
import threading, time
t = threading.Thread(target=lambda: time.sleep(3600), daemon=True)
t.start()
print(t.native_id, flush=True)
time.sleep(3600)
"#;
    let (child, line) = python_ready(script, &[]);
    let tid = line.trim().parse().unwrap();
    (child, tid)
}

/// `proctl ps ARGS`: status, stdout.
fn ps(args: &[&str]) -> (Option<i32>, String) {
    let out = proctl().arg("ps").args(args).output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// One process's columns, blanks between (`-o KEY=,...`).
fn cells(pid: i32, keys: &str) -> Vec<String> {
    let (code, out) = ps(&["-p", &pid.to_string(), "-o", keys]);
    assert_eq!(code, Some(0), "{out}");
    out.split_whitespace().map(str::to_string).collect()
}

fn set(args: &[&str]) {
    let out = proctl().arg("set").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CPU list in either form (`0-2,5` or taskset's `0,1`) as a set.
fn cpu_set(list: &str) -> BTreeSet<usize> {
    list.trim()
        .split(',')
        .flat_map(|item| {
            let (a, b) = item.split_once('-').unwrap_or((item, item));
            a.parse::<usize>().unwrap()..=b.parse().unwrap()
        })
        .collect()
}

/// taskset -pc's list for a thread.
fn taskset(tid: i32) -> BTreeSet<usize> {
    let out = stdout_of(StdCommand::new(which("taskset")).args(["-pc", &tid.to_string()]));
    cpu_set(out.rsplit_once(": ").unwrap().1)
}

/// ionice -p's words: `best-effort: prio 6` -> (`best-effort`, Some(6)).
fn ionice(tid: i32) -> (String, Option<u32>) {
    let out = stdout_of(StdCommand::new(which("ionice")).args(["-p", &tid.to_string()]));
    match out.trim().split_once(": prio ") {
        Some((class, level)) => (class.to_string(), level.parse().ok()),
        None => (out.trim().to_string(), None),
    }
}

/// prlimit's SOFT and HARD for one resource, raw numbers or `unlimited`.
fn prlimit(pid: i32, resource: &str) -> Vec<String> {
    let out = stdout_of(StdCommand::new(which("prlimit")).args([
        "--pid",
        &pid.to_string(),
        &format!("--{resource}"),
        "--output",
        "SOFT,HARD",
        "--raw",
        "--noheadings",
    ]));
    out.split_whitespace().map(str::to_string).collect()
}

/// ps's `io` in ionice's terms. For no class, ionice prints the raw
/// level the kernel keeps (`none: prio 0`) where proctl prints `none`
/// (the level in effect follows nice), so only the class is compared.
fn our_io(text: &str, tid: i32) -> (String, Option<u32>) {
    match text.split_once(':') {
        Some((class, level)) => (class.to_string(), level.parse().ok()),
        None if text == "none" => ("none".to_string(), ionice(tid).1),
        None => (text.to_string(), None),
    }
}

#[test]
fn values_read_back_by_the_util_linux_peers_after_set() {
    let child = sleep_child();
    let pid = child.pid();
    let p = pid.to_string();
    // As started: what the peers say.
    let got = cells(pid, "affinity=,io=,nofile_soft=,nofile_hard=");
    assert_eq!(cpu_set(&got[0]), taskset(pid));
    assert_eq!(got[1], "none", "no class set");
    assert_eq!(ionice(pid).0, "none");
    assert_eq!(got[2..], prlimit(pid, "nofile")[..]);
    // Changed by proctl set, read back by ps and the peers alike.
    let hard = prlimit(pid, "nofile")[1].clone();
    let lower = (hard.parse::<u64>().unwrap_or(4096) / 2).to_string();
    set(&[
        &p,
        "--affinity",
        "0",
        "--io",
        "best-effort:6",
        "--rlimit",
        &format!("nofile=100:{lower}"),
        "--rlimit",
        "cpu=3600:",
        "--rlimit",
        "core=0",
    ]);
    let got = cells(
        pid,
        "affinity=,io=,nofile_soft=,nofile_hard=,cpu_soft=,cpu_hard=,core_soft=,core_hard=",
    );
    assert_eq!(got[0], "0");
    assert_eq!(cpu_set(&got[0]), taskset(pid));
    assert_eq!(our_io(&got[1], pid), ionice(pid));
    assert_eq!(got[1], "best-effort:6");
    assert_eq!(got[2..4], prlimit(pid, "nofile")[..]);
    assert_eq!(got[2..4], ["100", lower.as_str()]);
    assert_eq!(got[4..6], prlimit(pid, "cpu")[..]);
    assert_eq!(got[4..6], ["3600", "unlimited"]);
    assert_eq!(got[6..8], prlimit(pid, "core")[..]);
    // The idle class has no level; ionice agrees.
    set(&[&p, "--io", "idle"]);
    assert_eq!(cells(pid, "io="), ["idle"]);
    assert_eq!(ionice(pid).0, "idle");
    if is_root() {
        set(&[&p, "--io", "realtime:2"]);
        let got = cells(pid, "io=");
        assert_eq!(our_io(&got[0], pid), ionice(pid));
        assert_eq!(got, ["realtime:2"]);
    }
    // Every limit key prints a number or unlimited, as prlimit does.
    for (name, _) in LIMITS {
        let got = cells(pid, &format!("{name}_soft=,{name}_hard="));
        assert_eq!(got, prlimit(pid, name), "{name}");
    }
}

/// prlimit's option names, which are proctl's (`set --rlimit NAME`).
const LIMITS: [(&str, &str); 16] = [
    ("cpu", "_seconds"),
    ("fsize", "_bytes"),
    ("data", "_bytes"),
    ("stack", "_bytes"),
    ("core", "_bytes"),
    ("rss", "_bytes"),
    ("nproc", ""),
    ("nofile", ""),
    ("memlock", "_bytes"),
    ("as", "_bytes"),
    ("locks", ""),
    ("sigpending", ""),
    ("msgqueue", "_bytes"),
    ("nice", ""),
    ("rtprio", ""),
    ("rttime", "_microseconds"),
];

#[test]
fn affinity_and_io_are_per_thread() {
    let (child, tid) = two_threads();
    let pid = child.pid();
    let status = StdCommand::new(which("taskset"))
        .args(["-pc", "0", &tid.to_string()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let status = StdCommand::new(which("ionice"))
        .args(["-c", "3", "-p", &tid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let (code, out) = ps(&["-L", "-p", &pid.to_string(), "-o", "tid=,affinity=,io="]);
    assert_eq!(code, Some(0));
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{out}");
    for row in &rows {
        let t: i32 = row[0].parse().unwrap();
        assert_eq!(cpu_set(row[1]), taskset(t), "{row:?}");
        assert_eq!(our_io(row[2], t), ionice(t), "{row:?}");
    }
    let thread = rows.iter().find(|r| r[0] == tid.to_string()).unwrap();
    assert_eq!(thread[1..], ["0", "idle"]);
}

/// PSS, USS and RSS of a process from its smaps_rollup, in KiB.
fn rollup(pid: i32) -> (u64, u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap();
    let field = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().trim_end_matches("kB").trim().parse().unwrap())
            .unwrap()
    };
    (
        field("Pss:"),
        field("Private_Clean:") + field("Private_Dirty:"),
        field("Rss:"),
    )
}

#[test]
fn json_types_and_sorting_on_raw_values() {
    let a = sleep_child();
    let b = sleep_child();
    let (pa, pb) = (a.pid(), b.pid());
    set(&[
        &pa.to_string(),
        "--rlimit",
        "nofile=50:100",
        "--affinity",
        "0",
    ]);
    set(&[&pb.to_string(), "--rlimit", "nofile=60:100"]);
    let list = format!("{pa},{pb}");
    let (code, out) = ps(&[
        "-p",
        &list,
        "-o",
        "pid,affinity,io,nofile_soft,cpu_hard,pss,uss",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(first["pid"], pa);
    // JSON names are the quantities' (docs/json.md), with their units.
    assert_eq!(first["cpu_affinity"], serde_json::json!([0]));
    assert_eq!(first["io"], "none");
    assert_eq!(first["nofile_soft"], 50);
    assert_eq!(first["cpu_hard_seconds"], "unlimited");
    assert!(
        first["pss_kib"].is_u64() && first["uss_kib"].is_u64(),
        "{first}"
    );
    let all: Vec<u64> = (0..)
        .take(rows[1]["cpu_affinity"].as_array().unwrap().len())
        .collect();
    assert_eq!(rows[1]["cpu_affinity"], serde_json::json!(all));
    // A sleep's private memory (USS) hardly moves between two reads; its
    // PSS moves with how many processes share its libraries, so it is
    // checked to lie between USS and RSS.
    let (_, uss, rss) = rollup(pa);
    let (ours_pss, ours_uss) = (
        first["pss_kib"].as_u64().unwrap(),
        first["uss_kib"].as_u64().unwrap(),
    );
    assert!(ours_uss.abs_diff(uss) <= 8, "{first} {uss}");
    assert!(ours_uss <= ours_pss && ours_pss <= rss + 8, "{first} {rss}");
    // Sorting on the numbers: 50 before 60, and reversed.
    let order = |key: &str| {
        let (_, out) = ps(&["-p", &list, "-o", "pid=", "--sort", key]);
        out.split_whitespace()
            .map(|w| w.parse::<i32>().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(order("nofile_soft"), [pa, pb]);
    assert_eq!(order("-nofile_soft"), [pb, pa]);
    // The pinned process allows fewer CPUs: first by affinity.
    if cpu_set(&cells(pb, "affinity=")[0]).len() > 1 {
        assert_eq!(order("affinity"), [pa, pb]);
        assert_eq!(order("-affinity"), [pb, pa]);
    }
    // PSS and USS sort by their numbers, as procps sorts them.
    let (_, out) = ps(&["-e", "-o", "pss=,uss=", "--sort", "-pss"]);
    let pss: Vec<u64> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(pss.windows(2).all(|w| w[0] >= w[1]), "{pss:?}");
    // Another user's PSS is unknown: null in JSON, as procps's 0 in text.
    if is_root() {
        let out = as_nobody(&[
            "ps",
            "-p",
            &pa.to_string(),
            "-o",
            "pss,uss",
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v, serde_json::json!([{"pss_kib": null, "uss_kib": null}]));
        let out = as_nobody(&["ps", "-p", &pa.to_string(), "-o", "pss=,uss="]);
        assert_eq!(
            String::from_utf8(out.stdout)
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["0", "0"]
        );
    }
}

#[test]
fn listed_as_proctl_keys_only() {
    let (_, ours) = ps(&["--list-columns"]);
    let keys: Vec<&str> = ours
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for key in ["affinity", "io", "holds", "pss", "uss"] {
        assert!(keys.contains(&key), "{key} in --list-columns");
    }
    for (name, _) in LIMITS {
        for side in ["soft", "hard"] {
            assert!(keys.contains(&format!("{name}_{side}").as_str()));
        }
    }
    // procps's own list (ps L) has no such keys: they are proctl's.
    let (_, procps) = ps(&["L"]);
    for key in ["affinity", "io", "holds", "nofile_soft", "cpu_hard"] {
        assert!(
            !procps
                .lines()
                .any(|l| l.split_whitespace().next() == Some(key)),
            "{key}"
        );
    }
    // Unknown limit names are bad keys, as any unknown key.
    let out = proctl()
        .args(["ps", "-o", "pid,files_soft"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
}
