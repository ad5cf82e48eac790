//! `proctl pstree`: golden output on the fixture tree, errors, and
//! differential tests against psmisc's pstree on subtrees the test starts.

use std::process::{Command as StdCommand, Stdio};

use crate::util::{
    Reaped, assert_golden, binary, fixture, fixture_root, proctl, spawn_named, stdout_of, which,
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
    golden("pstree_0.txt", &["-p", "0"]);
    golden("pstree_G.txt", &["-G", "200"]);
    golden("pstree_depth_p.txt", &["--depth", "2", "-p"]);
}

#[test]
fn psmisc_highlight_bytes_follow_term_not_color() {
    // psmisc takes its bold from TERM's description and has no --color.
    for color in ["never", "always", "auto"] {
        let out = fixture()
            .env("TERM", "xterm")
            .args(["--color", color, "pstree", "-H", "300"])
            .output()
            .unwrap();
        assert!(
            out.stdout.windows(4).any(|w| w == b"\x1b[1m"),
            "--color={color}: no bold in {:?}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // As psmisc: -h quietly draws no bold without TERM, -H fails.
    let out = fixture()
        .env_remove("TERM")
        .args(["pstree", "-h"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!out.stdout.contains(&0x1b));
    let out = fixture()
        .env_remove("TERM")
        .args(["pstree", "-H", "300"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "proctl: TERM is not set\n"
    );
}

#[test]
fn match_sees_thread_names_with_t() {
    let out = fixture()
        .args(["pstree", "-t", "--match", "GC Thread"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "init---java---{GC Thread#0}\n"
    );
    // Without -t a thread is drawn with its process's name: nothing matches.
    let out = fixture()
        .args(["pstree", "--match", "GC Thread"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn proctl_draws_itself_without_its_worker_threads() {
    // Other tests may run proctl beside this one, so look at this run's own
    // node: nothing may hang under it (it has no children, and its worker
    // threads are not drawn).
    let me = std::process::id().to_string();
    let child = StdCommand::new(binary())
        .args(["pstree", "-p", &me])
        .env("COLUMNS", "10000")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let node = format!("proctl({})", child.id());
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let at = text
        .find(&node)
        .unwrap_or_else(|| panic!("{node} not in {text}"));
    let after = &text[at + node.len()..];
    assert!(
        after.starts_with('\n'),
        "{node} has threads or children: {text}"
    );
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
        &["pstree", "--full"],
        &["pstree", "-C", "size"],
        &["pstree", "-N", "nope"],
        &["pstree", "--show-p"],
        &["pstree", "1", "2"],
    ] {
        let out = fixture().args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("proctl: ") && err.lines().count() == 1,
            "{bad:?}: {err:?}"
        );
        assert!(
            err.contains("'proctl pstree --help'") || bad[1] == "--match",
            "{bad:?}: the subcommand's help is not named: {err:?}"
        );
    }
    let out = fixture().args(["pstree", "--full"]).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "proctl: --full needs --match PATTERN (see 'proctl pstree --help')\n"
    );
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
    assert_eq!(init["pgid"], 1);
    assert_eq!(init["state"], "S");
    let java = init["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "java")
        .unwrap();
    assert_eq!(java["user"], "nobody");
    assert_eq!(java["args"][1], "-Xmx2g");
    // `threads` counts them, as in ps and show; `thread_list` names them.
    assert!(java["threads"].as_i64().unwrap() >= 1, "{java}");
    assert_eq!(java["thread_list"][0]["tid"], 401);
    assert_eq!(java["thread_list"][0]["name"], "GC Thread#0");
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
            .args(["-lp", &root.to_string()])
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
    let letters = [
        "a", "p", "c", "g", "u", "n", "l", "A", "U", "G", "t", "T", "Z",
    ];
    let mut combos: Vec<Vec<String>> = vec![vec![]];
    for (i, a) in letters.iter().enumerate() {
        combos.push(vec![format!("-{a}")]);
        for b in &letters[i + 1..] {
            combos.push(vec![format!("-{a}{b}")]);
        }
    }
    let thread = python_thread(root.pid());
    let owned = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    combos.push(vec!["-s".into()]);
    combos.push(vec!["-sp".into()]);
    combos.push(vec!["-H".into(), sleeper.clone()]);
    combos.push(vec!["-apH".into(), sleeper]);
    combos.push(vec!["-h".into()]);
    // A thread id where a pid is expected.
    combos.push(vec!["-H".into(), thread.clone()]);
    combos.push(vec!["-ptH".into(), thread.clone()]);
    // getopt's abbreviations of long options.
    combos.push(owned(&["--arg"]));
    combos.push(owned(&["--show-pi", "--compact"]));
    combos.push(owned(&["--show-pg", "--uid", "--thread", "--vt"]));
    combos.push(owned(&["--hide", "--numeric", "--lo", "--asc"]));
    for columns in ["132", "40"] {
        for opts in &combos {
            compare_with_psmisc(opts, &pid, columns);
        }
    }
    // COLUMNS as strtol(..., 0) reads it: hex, octal, blanks and a sign.
    for columns in ["0x50", "050", " +60", "0x", "50x"] {
        for opts in [&["-a"][..], &["-p"], &[]] {
            compare_with_psmisc(&owned(opts), &pid, columns);
        }
    }
    // -s TID: psmisc draws from pid 1, trimmed to the path to the thread;
    // only the lines from the test's subtree down are stable.
    for opts in [&["-s"][..], &["-sp"], &["-spt"]] {
        let cut = |out: &[u8]| {
            let text = String::from_utf8_lossy(out).into_owned();
            let at = text.find("pxtree-root").expect("subtree drawn");
            text[at..].to_string()
        };
        // Wide enough for the whole path from pid 1.
        let theirs = pstree_output(&which("pstree"), &[], &owned(opts), &thread, "10000");
        let ours = pstree_output(&binary(), &["pstree"], &owned(opts), &thread, "10000");
        assert_eq!(
            cut(&ours.stdout),
            cut(&theirs.stdout),
            "pstree {opts:?} {thread}"
        );
    }
    // -C age: the subtree is younger than a minute (green); if a process
    // crosses the minute between the two runs, they are run again.
    for opts in [
        &["-C", "age"][..],
        &["-C", "AGE", "-ap"],
        &["--color=age", "-p"],
        &["--col", "age"],
    ] {
        let same = (0..3).any(|_| {
            let theirs = pstree_output(&which("pstree"), &[], &owned(opts), &pid, "132");
            let ours = pstree_output(&binary(), &["pstree"], &owned(opts), &pid, "132");
            assert!(theirs.stdout.starts_with(b"\x1b[3"), "{opts:?}: no color");
            ours.stdout == theirs.stdout
        });
        assert!(same, "pstree {opts:?} {pid}: outputs differ");
    }
    let _ = proctl;
}

/// The id of one of the python process's threads (not its leader).
fn python_thread(root: i32) -> String {
    let python =
        stdout_of(StdCommand::new(which("pgrep")).args(["-P", &root.to_string(), "-x", "python3"]));
    let python = python.lines().next().expect("python3 child").to_string();
    std::fs::read_dir(format!("/proc/{python}/task"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|t| *t != python)
        .expect("a thread")
}

/// Runs psmisc's pstree or proctl's with the test's environment.
fn pstree_output(
    program: &std::path::Path,
    prefix: &[&str],
    opts: &[String],
    pid: &str,
    columns: &str,
) -> std::process::Output {
    StdCommand::new(program)
        .args(prefix)
        .args(opts)
        .arg(pid)
        .env("COLUMNS", columns)
        .env("TERM", "xterm")
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn compare_with_psmisc(opts: &[String], pid: &str, columns: &str) {
    let theirs = pstree_output(&which("pstree"), &[], opts, pid, columns);
    let ours = pstree_output(&binary(), &["pstree"], opts, pid, columns);
    assert!(theirs.status.success(), "psmisc pstree {opts:?} failed");
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&theirs.stdout),
        "pstree {opts:?} {pid} with COLUMNS={columns:?}"
    );
}

/// In a fresh pid namespace (so that the whole tree is known), starts a
/// small tree, waits until it has its shape, then runs `tool` with `args`.
/// The tree: pid 1 sh, 2 sh with child 3 sleep, 4 and 5 sleep, 6 sleep in a
/// uts namespace of its own. With `exec`, the tool replaces pid 1, so its
/// pid is the same for both tools; otherwise it runs as a child of sh.
const NAMESPACE_SCRIPT: &str = r#"tool=$1; shift
n=0
wait_for() { # PID COMM: spin (builtins only: no pid is used) until it runs COMM
    until { read c < /proc/$1/comm; } 2>/dev/null && [ "$c" = "$2" ]; do
        n=$((n + 1)); [ $n -lt 5000000 ] || exit 3
    done
}
sh -c 'sleep 1001; :' & wait_for 3 sleep
sleep 1000 & sleep 1000 & unshare --uts sleep 1002 &
wait_for 4 sleep; wait_for 5 sleep; wait_for 6 sleep
if [ "$EXEC" = 1 ]; then exec "$tool" "$@"; fi
"$tool" "$@"
"#;

fn in_namespace(tool: &std::path::Path, args: &[&str], exec: bool) -> Vec<u8> {
    let mut cmd = StdCommand::new(which("unshare"));
    if !crate::util::is_root() {
        cmd.args(["--user", "--map-root-user"]);
    }
    let out = cmd
        .args([
            "--pid",
            "--fork",
            "--mount-proc",
            "sh",
            "-c",
            NAMESPACE_SCRIPT,
            "sh",
        ])
        .arg(tool)
        .args(args)
        .env("EXEC", if exec { "1" } else { "0" })
        .env("COLUMNS", "100")
        .env("TERM", "xterm")
        .env("LANG", "C.UTF-8")
        .env_remove("PROCTL_PROC_ROOT")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "unshare {tool:?} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn whole_trees_in_a_pid_namespace_match_psmisc() {
    assert!(which("pstree").is_file(), "psmisc pstree is needed");
    // proctl as `pstree` (multi-call), so that both tools have that name.
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("pstree");
    std::os::unix::fs::symlink(binary(), &ours).unwrap();
    let theirs = which("pstree");
    // The tool is pid 1 here: pids, ages and names are the same for both.
    for args in [
        &["0"][..],
        &["-p", "0"],
        &["-pu", "0"],
        &["-S"],
        &["-pS"],
        &["-cS"],
        &["-aS", "0"],
        &["-Z"],
        &["-pZS", "0"],
        &["-G", "0"],
        &["-C", "age", "-p", "0"],
        &["-s", "3"],
        &["-sp", "3"],
        &["-s", "0"],
        &["-H", "3", "0"],
        &["-h", "-p"],
        &["-V"],
    ] {
        let a = in_namespace(&theirs, args, true);
        let b = in_namespace(&ours, args, true);
        assert_eq!(
            String::from_utf8_lossy(&b),
            String::from_utf8_lossy(&a),
            "pstree {args:?} in a pid namespace"
        );
    }
    // -N prints namespace inodes, so both tools run in the same namespace
    // (as children of sh, without -p: their pids differ).
    for kind in ["pid", "uts", "mnt", "net", "ipc", "user", "cgroup", "time"] {
        for extra in [&[][..], &["-S"], &["-a"]] {
            let args: Vec<&str> = ["-N", kind].iter().chain(extra).copied().collect();
            let both = in_namespace(
                &which("sh"),
                &[
                    "-c",
                    "t=$1; shift; \"$t\" \"$@\"; echo @@@; \"$0\" \"$@\"",
                    ours.to_str().unwrap(),
                    theirs.to_str().unwrap(),
                ]
                .iter()
                .copied()
                .chain(args.iter().copied())
                .collect::<Vec<_>>(),
                false,
            );
            let text = String::from_utf8_lossy(&both).into_owned();
            let (a, b) = text.split_once("@@@\n").expect("both outputs");
            assert!(a.starts_with('['), "pstree {args:?}: {a:?}");
            assert_eq!(b, a, "pstree {args:?} in a pid namespace");
        }
    }
}
