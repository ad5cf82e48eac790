//! `proctl pstree`: golden output on the fixture tree, errors, and
//! differential tests against psmisc's pstree on subtrees the test starts.

use std::process::{Command as StdCommand, Stdio};

use crate::util::{
    Reaped, assert_golden, binary, fixture, fixture_root, proctl, spawn_named, which,
};

fn golden(name: &str, args: &[&str]) {
    let out = fixture()
        .env("TERM", "xterm")
        .arg("pstree")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_golden(name, &out.stdout);
}

#[test]
fn golden_trees() {
    golden("pstree.txt", &[]);
    golden("pstree_p.txt", &["-p"]);
    golden("pstree_a.txt", &["-a"]);
    golden("pstree_ap.txt", &["-ap"]);
    golden("pstree_c.txt", &["-c"]);
    golden("pstree_gu.txt", &["-gu"]);
    golden("pstree_n.txt", &["-np"]);
    golden("pstree_U.txt", &["-U"]);
    golden("pstree_t.txt", &["-t"]);
    golden("pstree_T.txt", &["-T"]);
    golden("pstree_width.txt", &["-a", "--long"]);
    golden("pstree_s.txt", &["-s", "300"]);
    golden("pstree_H.txt", &["-H", "300"]);
    golden("pstree_user.txt", &["www-data"]);
    golden("pstree_pid.txt", &["-p", "200"]);
    golden("pstree_match.txt", &["--match", "^sl", "-p"]);
    golden("pstree_match_full.txt", &["--match", "jar", "--full"]);
    golden("pstree_depth.txt", &["--depth", "1"]);
    golden("pstree.json", &["--format", "json", "200"]);
}

#[test]
fn narrow_columns_cut_lines() {
    let out = fixture()
        .env("COLUMNS", "20")
        .args(["pstree", "-p"])
        .output()
        .unwrap();
    assert_golden("pstree_cols20.txt", &out.stdout);
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        assert!(line.chars().count() <= 20, "{line:?}");
    }
}

#[test]
fn errors() {
    let out = fixture().args(["pstree", "31999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "proctl: no such process: 31999\n"
    );
    let out = fixture()
        .args(["pstree", "no-such-user-xyz"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "proctl: no such user name: no-such-user-xyz\n"
    );
    let out = fixture()
        .args(["pstree", "--match", "nothing-matches-this"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    for bad in [
        &["pstree", "-x"][..],
        &["pstree", "-h", "-H", "1"],
        &["pstree", "--depth", "x"],
        &["pstree", "--match", "("],
    ] {
        let out = fixture().args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("proctl: ") && err.lines().count() == 1,
            "{bad:?}: {err:?}"
        );
    }
}

#[test]
fn tree_alias_and_multi_call() {
    let a = fixture().args(["tree", "-p"]).output().unwrap();
    let b = fixture().args(["pstree", "-p"]).output().unwrap();
    assert_eq!(a.stdout, b.stdout);
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("pstree");
    std::os::unix::fs::symlink(binary(), &link).unwrap();
    let c = StdCommand::new(&link)
        .env("PROCTL_PROC_ROOT", fixture_root())
        .env_remove("COLUMNS")
        .arg("-p")
        .output()
        .unwrap();
    assert_eq!(c.stdout, b.stdout);
}

#[test]
fn json_is_a_nested_tree() {
    let out = fixture()
        .args(["pstree", "--format", "json"])
        .output()
        .unwrap();
    let trees: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let init = &trees[0];
    assert_eq!(init["pid"], 1);
    let java = init["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "java")
        .unwrap();
    assert_eq!(java["user"], "nobody");
    assert_eq!(java["args"][1], "-Xmx2g");
    assert_eq!(java["threads"][0]["tid"], 401);
    assert_eq!(java["threads"][0]["name"], "GC Thread#0");
}

#[test]
fn colors_mark_matches_only_when_asked() {
    let plain = fixture()
        .args(["pstree", "--match", "sleep"])
        .output()
        .unwrap();
    assert!(!plain.stdout.contains(&0x1b));
    let colored = fixture()
        .args(["--color", "always", "pstree", "--match", "sleep"])
        .output()
        .unwrap();
    assert!(colored.stdout.contains(&0x1b));
    let stripped = regex::bytes::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(&colored.stdout, &b""[..])
        .into_owned();
    assert_eq!(stripped, plain.stdout);
}

/// A subtree with identical siblings, nested shells, a multi-threaded
/// process and arguments holding a newline and a backslash.
fn start_subtree(dir: &std::path::Path) -> Reaped {
    let script = "sleep 3600 & sleep 3600 & sleep 3601 & sh -c 'sleep 3602; :' & \
                  python3 -c 'import threading, time\nfor _ in range(3): threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()\ntime.sleep(3600)' & \
                  sh -c 'sleep 3603; :' 'line1\nline2 back\\slash' & wait";
    spawn_named(dir, "pxtree-root", "sh", &["-c", script])
}

/// Waits until the subtree has its final shape: 10 processes and threads.
fn settle(root: i32) {
    for _ in 0..5000 {
        let out = StdCommand::new(which("pstree"))
            .args(["-p", &root.to_string()])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        if text.matches('(').count() >= 11
            && !text.contains("{sh}")
            && text.contains("python3")
            && text.matches("{python3}").count() == 3
        {
            return;
        }
        std::thread::yield_now();
    }
    panic!("the test subtree never settled");
}

#[test]
fn matches_psmisc_byte_for_byte() {
    assert!(
        which("pstree").is_file(),
        "psmisc pstree is needed (apt-get install psmisc)"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = start_subtree(dir.path());
    settle(root.pid());
    let pid = root.pid().to_string();
    let sleeper = StdCommand::new(which("pgrep"))
        .args(["-P", &pid, "-x", "sleep"])
        .output()
        .unwrap();
    let sleeper = String::from_utf8(sleeper.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let letters = ["a", "p", "c", "g", "u", "n", "l", "A", "U", "t", "T"];
    let mut combos: Vec<Vec<String>> = vec![vec![]];
    for (i, a) in letters.iter().enumerate() {
        combos.push(vec![format!("-{a}")]);
        for b in &letters[i + 1..] {
            combos.push(vec![format!("-{a}{b}")]);
        }
    }
    combos.push(vec!["-s".into()]);
    combos.push(vec!["-sp".into()]);
    combos.push(vec!["-H".into(), sleeper.clone()]);
    combos.push(vec!["-apH".into(), sleeper]);
    combos.push(vec!["-h".into()]);
    for columns in ["132", "40"] {
        for opts in &combos {
            let run = |program: &std::path::Path, prefix: &[&str]| {
                StdCommand::new(program)
                    .args(prefix)
                    .args(opts)
                    .arg(&pid)
                    .env("COLUMNS", columns)
                    .env("TERM", "xterm")
                    .env("LANG", "C.UTF-8")
                    .stdin(Stdio::null())
                    .output()
                    .unwrap()
            };
            let theirs = run(&which("pstree"), &[]);
            let ours = run(&binary(), &["pstree"]);
            assert!(theirs.status.success());
            assert_eq!(
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout),
                "pstree {opts:?} {pid} with COLUMNS={columns}"
            );
        }
    }
    let _ = proctl;
}
