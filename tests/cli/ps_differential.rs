//! Differential tests against procps-ng `ps` on processes the test starts:
//! every field of their rows must be the same tokens.

use std::collections::HashMap;
use std::process::Command as StdCommand;

use crate::util::{Reaped, binary, spawn_named, stdout_of, which};

/// Rows of a ps-style listing keyed by the value of column `key_col`,
/// split into `fields` tokens (the last one keeps its spaces).
fn rows_by(text: &str, key_col: usize, fields: usize) -> HashMap<String, Vec<String>> {
    text.lines()
        .skip(1)
        .map(|line| {
            let mut tokens: Vec<String> = Vec::new();
            let mut rest = line.trim_start();
            while tokens.len() + 1 < fields {
                let Some(end) = rest.find(char::is_whitespace) else {
                    break;
                };
                tokens.push(rest[..end].to_string());
                rest = rest[end..].trim_start();
            }
            tokens.push(rest.trim_end().to_string());
            (tokens[key_col].clone(), tokens)
        })
        .collect()
}

/// Children with distinctive names, arguments, niceness and sessions.
fn start_children(dir: &std::path::Path) -> Vec<Reaped> {
    let plain = spawn_named(dir, "pxdiff-plain", "sleep", &["3600", "7200"]);
    let niced = {
        let link = dir.join("pxdiff-niced");
        std::os::unix::fs::symlink(which("sleep"), &link).unwrap();
        let child = StdCommand::new(which("nice"))
            .args(["-n", "7"])
            .arg(&link)
            .arg("3601")
            .spawn()
            .unwrap();
        Reaped(child)
    };
    let leader = {
        let link = dir.join("pxdiff-leader");
        std::os::unix::fs::symlink(which("sleep"), &link).unwrap();
        let child = StdCommand::new(which("setsid"))
            .arg(&link)
            .arg("3602")
            .spawn()
            .unwrap();
        Reaped(child)
    };
    let shell = spawn_named(
        dir,
        "pxdiff-shell",
        "sh",
        &["-c", "sleep 3603 & sleep 3604; wait"],
    );
    vec![plain, niced, leader, shell]
}

/// Waits until every child has exec'd into its final name: nice and setsid
/// exec a second time after Command::spawn returns.
fn settled(children: &[Reaped], names: &[&str]) {
    for (child, name) in children.iter().zip(names) {
        let path = format!("/proc/{}/comm", child.pid());
        crate::procps_peer::wait_for("a child to exec", || {
            std::fs::read_to_string(&path).is_ok_and(|c| c.trim() == *name)
        });
    }
}

/// Compares the children's rows. A row can change while a child settles
/// (state, wchan), so a comparison counts only when two proctl runs around
/// the procps run agree; it is retried until they do.
fn compare(format: &str, pid_col: usize, fields: usize) {
    assert!(
        which("ps").is_file(),
        "procps ps is needed (apt-get install procps)"
    );
    let dir = tempfile::tempdir().unwrap();
    let children = start_children(dir.path());
    settled(
        &children,
        &[
            "pxdiff-plain",
            "pxdiff-niced",
            "pxdiff-leader",
            "pxdiff-shell",
        ],
    );
    let pids: Vec<String> = children.iter().map(|c| c.pid().to_string()).collect();
    let ours = || {
        rows_by(
            &stdout_of(StdCommand::new(binary()).args(["ps", format])),
            pid_col,
            fields,
        )
    };
    for _attempt in 0..50 {
        let before = ours();
        let theirs = rows_by(
            &stdout_of(StdCommand::new("ps").arg(format)),
            pid_col,
            fields,
        );
        let after = ours();
        if pids.iter().any(|pid| before.get(pid) != after.get(pid)) {
            continue;
        }
        for pid in &pids {
            let a = before
                .get(pid)
                .unwrap_or_else(|| panic!("proctl ps {format} lacks pid {pid}"));
            let b = theirs
                .get(pid)
                .unwrap_or_else(|| panic!("ps {format} lacks pid {pid}"));
            assert_eq!(a, b, "ps {format}, pid {pid}");
        }
        return;
    }
    panic!("the children never settled for ps {format}");
}

#[test]
fn aux_rows_match_procps() {
    compare("aux", 1, 11);
}

#[test]
fn ef_rows_match_procps() {
    compare("-ef", 1, 8);
}

#[test]
fn extra_full_rows_match_procps() {
    compare("-eF", 1, 11);
}

#[test]
fn long_rows_match_procps() {
    compare("-elf", 3, 15);
}

#[test]
fn bsd_default_rows_match_procps() {
    compare("ax", 0, 5);
}

#[test]
fn threads_rows_match_procps() {
    compare("-eLf", 1, 10);
}

/// pid, ppid, uid and comm of every process on the system. Processes can
/// change between two listings, so only rows that two proctl runs around
/// the procps run agree on are compared; kernel workers are left out, as
/// their names carry the work item of the moment.
#[test]
fn whole_system_matches_procps() {
    let fmt = ["-eo", "pid,ppid,uid,comm"];
    let listing = |program: &std::path::Path, prefix: &[&str]| {
        let text = stdout_of(StdCommand::new(program).args(prefix).args(fmt));
        rows_by(&text, 0, 4)
    };
    let before = listing(&binary(), &["ps"]);
    let procps = listing(&which("ps"), &[]);
    let after = listing(&binary(), &["ps"]);
    let mut compared = 0;
    for (pid, row) in &before {
        if after.get(pid) != Some(row) || row[3].starts_with("kworker/") {
            continue;
        }
        if let Some(theirs) = procps.get(pid) {
            assert_eq!(row, theirs, "pid {pid}");
            compared += 1;
        }
    }
    assert!(
        compared >= before.len() / 2 && compared > 3,
        "only {compared} stable rows of {}",
        before.len()
    );
}
