//! `--holding PATH` (show, signal, ps) against psmisc's `fuser -v` and
//! `lsof` on a file, a directory, a tmpfs mount and a terminal device held
//! by processes the test starts: the same processes, held the same ways.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use crate::procps_peer::wait_for;
use crate::util::{Reaped, cloexec_pty, is_root, proctl, which};

/// The commands that select by `--holding` and say how: `show`, `ps` in
/// its own view, `ps` with procps's options (`-e -o pid,holds`).
const FRONTS: [&[&str]; 3] = [
    &["show", "--format", "json"],
    &["ps", "--format", "json"],
    &["ps", "-e", "-o", "pid,holds", "--format", "json"],
];

/// pid -> fuser's access letters (c cwd, e exe, f open, F open for
/// writing, r root, m mmap), from `proctl show --holding` JSON; the same
/// from `ps`'s two views, which must agree with it.
fn ours(extra: &[&str], paths: &[&Path]) -> BTreeMap<i64, BTreeSet<char>> {
    let [show, rest @ ..] = FRONTS.map(|front| via(front, extra, paths));
    for (front, got) in FRONTS[1..].iter().zip(rest) {
        assert_eq!(got, show, "{front:?} and show disagree");
    }
    show
}

/// The same from one front end: `holds` is a list of ways in each.
fn via(front: &[&str], extra: &[&str], paths: &[&Path]) -> BTreeMap<i64, BTreeSet<char>> {
    let mut cmd = proctl();
    cmd.args(front).args(extra);
    for p in paths {
        cmd.arg("--holding").arg(p);
    }
    let out = cmd.output().unwrap();
    if out.status.code() == Some(1) {
        return BTreeMap::new();
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let ways: Vec<String> = o["holds"]
                .as_array()
                .unwrap_or_else(|| panic!("holds: {o}"))
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
                .collect();
            let letters = ways
                .iter()
                .map(|how| match how.split(' ').collect::<Vec<_>>()[..] {
                    ["fd", _, mode] if mode.contains('w') => 'F',
                    ["fd", ..] => 'f',
                    ["cwd"] => 'c',
                    ["root"] => 'r',
                    ["exe"] => 'e',
                    ["mmap"] => 'm',
                    _ => panic!("unknown hold {how}"),
                })
                .collect();
            (o["pid"].as_i64().unwrap(), letters)
        })
        .collect()
}

/// The same from `fuser -v` (psmisc). It writes the pids to stdout and
/// the rest of its table (user, access letters, command) to stderr, a line
/// a process in the same order, so the two are zipped.
fn fuser(extra: &[&str], path: &Path) -> BTreeMap<i64, BTreeSet<char>> {
    let out = StdCommand::new(which("fuser"))
        .arg("-v")
        .args(extra)
        .arg(path)
        .output()
        .expect("fuser (psmisc) is needed");
    // With -m the mount itself is listed as "kernel" (no pid, access
    // "mount"); it is no process.
    let pids: Vec<i64> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter(|w| *w != "kernel")
        .map(|w| w.parse().unwrap())
        .collect();
    let text = String::from_utf8_lossy(&out.stderr);
    let access: Vec<BTreeSet<char>> = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("USER"))
        .skip(1)
        .filter_map(|l| {
            // [PATH:] USER ACCESS COMMAND; a lone "PATH:" line has none.
            let fields: Vec<&str> = l.split_whitespace().collect();
            let letters = fields.iter().find(|f| {
                f.len() == 5 && f.contains('.')
                    || f.len() == 5 && f.chars().all(|c| "cefFrm.".contains(c))
            })?;
            Some(letters.chars().filter(|c| *c != '.').collect())
        })
        .collect();
    assert_eq!(pids.len(), access.len(), "fuser said:\n{text}");
    pids.into_iter().zip(access).collect()
}

/// Which of `candidates` `lsof PATH` lists. lsof is asked about the
/// candidates only (-a -p): scanning every process of a busy machine takes
/// it tens of seconds.
fn lsof(path: &Path, candidates: &[i64]) -> BTreeSet<i64> {
    let list: Vec<String> = candidates.iter().map(|p| p.to_string()).collect();
    let out = StdCommand::new(which("lsof"))
        .args(["-w", "-t", "-a", "-p", &list.join(",")])
        .arg(path)
        .output()
        .expect("lsof is needed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

fn keys(map: &BTreeMap<i64, BTreeSet<char>>) -> BTreeSet<i64> {
    map.keys().copied().collect()
}

fn sh(script: &str, dir: &Path) -> Reaped {
    let child = StdCommand::new(which("sh"))
        .args(["-c", script])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut child = Reaped(child);
    // Each script says "ready" once its descriptors are open.
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.0.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line, "ready\n");
    child
}

/// Only the given pids (other processes on the machine may hold /dev/pts
/// or the test's own directories; the comparison is about ours).
fn only(map: BTreeMap<i64, BTreeSet<char>>, pids: &[i64]) -> BTreeMap<i64, BTreeSet<char>> {
    map.into_iter().filter(|(p, _)| pids.contains(p)).collect()
}

#[test]
fn a_file_held_open_executed_and_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.txt");
    std::fs::write(&file, "x").unwrap();
    // A private copy of sleep: its executable and mapping are held.
    let exe = dir.path().join("pxsleep");
    std::fs::copy(which("sleep"), &exe).unwrap();
    let reader = sh(
        &format!("exec 3<{0}; echo ready; exec sleep 3600", file.display()),
        dir.path(),
    );
    let writer = sh(
        &format!("exec 4>>{0}; echo ready; exec sleep 3600", file.display()),
        dir.path(),
    );
    let runner = sh(
        &format!("echo ready; exec {} 3600", exe.display()),
        dir.path(),
    );
    // "ready" comes before the exec: wait for the program to be the copy.
    let runs_copy =
        |pid: i32| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe);
    wait_for("the copy of sleep to run", || runs_copy(runner.pid()));
    let pids = [reader.pid() as i64, writer.pid() as i64];
    let got = ours(&[], &[&file]);
    assert_eq!(got, fuser(&[], &file));
    assert_eq!(got.keys().copied().collect::<Vec<_>>(), pids);
    assert_eq!(got[&pids[0]], BTreeSet::from(['f']));
    assert_eq!(got[&pids[1]], BTreeSet::from(['F']));
    let all = [pids[0], pids[1], runner.pid() as i64];
    assert_eq!(keys(&got), lsof(&file, &all));
    // The executable: exe and mmap, as fuser says.
    let got = ours(&[], &[&exe]);
    assert_eq!(got, fuser(&[], &exe));
    assert_eq!(got[&(runner.pid() as i64)], BTreeSet::from(['e']));
    assert_eq!(keys(&got), lsof(&exe, &all));
    // Run through the dynamic loader, the program is mapped, not executed.
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let loader = maps
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|p| p.contains("/ld-linux") || p.contains("/ld-musl"));
    if let Some(loader) = loader {
        let mapped = sh(
            &format!("echo ready; exec {loader} {} 3600", exe.display()),
            dir.path(),
        );
        // The loader maps the program some time after the exec.
        wait_for("the loader to map the copy", || {
            std::fs::read_to_string(format!("/proc/{}/maps", mapped.pid()))
                .is_ok_and(|m| m.contains(exe.to_str().unwrap()))
        });
        let got = ours(&[], &[&exe]);
        assert_eq!(got, fuser(&[], &exe));
        assert_eq!(got[&(mapped.pid() as i64)], BTreeSet::from(['m']));
        let both = [runner.pid() as i64, mapped.pid() as i64];
        assert_eq!(keys(&got), lsof(&exe, &both));
    } else {
        eprintln!("no dynamic loader in our own maps; the mmap case is skipped");
    }
    // Both paths at once: the union; the text names how.
    let out = proctl()
        .args(["show", "--holding"])
        .arg(&file)
        .arg("--holding")
        .arg(&exe)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("Holding\n").count(), 3, "{text}");
    assert!(
        text.contains(&format!("{} fd 3 r", file.display())),
        "{text}"
    );
    // signal selects the same processes.
    let out = proctl()
        .args(["signal", "--dry-run", "--format", "json", "--holding"])
        .arg(&file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut sent: Vec<i64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["pid"].as_i64().unwrap())
        .collect();
    sent.sort();
    assert_eq!(sent, pids);
}

#[test]
fn a_directory_as_working_directory_and_open() {
    let dir = tempfile::tempdir().unwrap();
    let held = dir.path().join("held");
    std::fs::create_dir(&held).unwrap();
    let inside = sh("echo ready; exec sleep 3600", &held);
    let opened = sh(
        &format!("exec 5<{}; echo ready; exec sleep 3600", held.display()),
        dir.path(),
    );
    let pids = [inside.pid() as i64, opened.pid() as i64];
    let got = ours(&[], &[&held]);
    assert_eq!(got, fuser(&[], &held));
    assert_eq!(got[&pids[0]], BTreeSet::from(['c']));
    assert_eq!(got[&pids[1]], BTreeSet::from(['f']));
    assert_eq!(keys(&got), lsof(&held, &pids));
    // The parent directory is only the second one's working directory.
    let parent = ours(&[], &[dir.path()]);
    assert_eq!(parent, fuser(&[], dir.path()));
    assert_eq!(keys(&parent), BTreeSet::from([pids[1]]));
    // A path that does not exist is bad usage, before anything is done.
    let out = proctl()
        .args(["signal", "--dry-run", "--holding"])
        .arg(dir.path().join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("proctl: cannot use --holding ") && err.lines().count() == 1,
        "{err}"
    );
}

/// A tmpfs mounted for a test, unmounted (lazily) when dropped.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = StdCommand::new(which("umount"))
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn a_tmpfs_mount_like_fuser_m() {
    if !is_root() {
        eprintln!("not root: cannot mount a tmpfs; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let ok = StdCommand::new(which("mount"))
        .args(["-t", "tmpfs", "pxtest", mnt.to_str().unwrap()])
        .status()
        .unwrap()
        .success();
    if !ok {
        eprintln!("mount -t tmpfs refused here; skipped");
        return;
    }
    let mounted = Mounted(mnt.clone());
    std::fs::create_dir(mnt.join("sub")).unwrap();
    std::fs::write(mnt.join("f"), "x").unwrap();
    let cwd = sh("echo ready; exec sleep 3600", &mnt.join("sub"));
    let open = sh(
        &format!(
            "exec 3>{}; echo ready; exec sleep 3600",
            mnt.join("f").display()
        ),
        dir.path(),
    );
    let outside = sh("echo ready; exec sleep 3600", dir.path());
    let pids = [cwd.pid() as i64, open.pid() as i64];
    // A mount point means its filesystem, without --mount.
    let got = ours(&[], &[&mnt]);
    assert_eq!(got, fuser(&["-m"], &mnt));
    assert_eq!(got.keys().copied().collect::<Vec<_>>(), pids);
    assert!(!got.contains_key(&(outside.pid() as i64)));
    let all = [pids[0], pids[1], outside.pid() as i64];
    assert_eq!(keys(&got), lsof(&mnt, &all));
    // --mount with a path inside it means the same.
    assert_eq!(ours(&["--mount"], &[&mnt.join("sub")]), got);
    // Without --mount the file inside is only its own holder.
    let file = ours(&[], &[&mnt.join("f")]);
    assert_eq!(file.keys().copied().collect::<Vec<_>>(), [pids[1]]);
    drop((cwd, open, outside));
    drop(mounted);
}

#[test]
fn a_terminal_device() {
    let (master, slave) = cloexec_pty(None);
    let name = std::fs::read_link(format!(
        "/proc/self/fd/{}",
        std::os::fd::AsRawFd::as_raw_fd(&slave)
    ))
    .unwrap();
    let slave = std::fs::File::from(slave);
    let child = Reaped(
        StdCommand::new(which("sleep"))
            .arg("3600")
            .stdin(slave.try_clone().unwrap())
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    drop(slave);
    let pid = child.pid() as i64;
    let got = only(ours(&[], &[&name]), &[pid]);
    assert_eq!(got, only(fuser(&[], &name), &[pid]));
    assert_eq!(got[&pid], BTreeSet::from(['F']), "stdin opened read-write");
    assert_eq!(lsof(&name, &[pid]), BTreeSet::from([pid]));
    drop(master);
}

#[test]
fn ps_says_how_and_narrows_its_selection() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data.txt");
    std::fs::write(&file, "x").unwrap();
    let reader = sh(
        &format!(
            "exec 3<{0} 7>>{0}; echo ready; exec sleep 3600",
            file.display()
        ),
        dir.path(),
    );
    let idle = sh("echo ready; exec sleep 3600", Path::new("/"));
    let (r, i) = (reader.pid().to_string(), idle.pid().to_string());
    // "ready" comes before the exec, and the plain view's row below names
    // the command: wait for the reader to be sleep.
    wait_for("the reader to exec sleep", || {
        std::fs::read_to_string(format!("/proc/{r}/comm")).is_ok_and(|c| c == "sleep\n")
    });
    let ps = |args: &[&str]| {
        let out = proctl().arg("ps").args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let file_arg = file.to_str().unwrap();
    // procps's -o: each way, in descriptor order; the working directory
    // (dir) is not the file.
    let (code, out, _) = ps(&["-p", &r, "-o", "pid=,holds=", "--holding", file_arg]);
    assert_eq!(code, Some(0));
    assert_eq!(
        out.split_whitespace().collect::<Vec<_>>(),
        [r.as_str(), "fd", "3", "r,", "fd", "7", "w"]
    );
    // Two paths: each way names its path, the paths in the order given.
    let dir_arg = dir.path().to_str().unwrap();
    let (_, out, _) = ps(&[
        "-p",
        &r,
        "-o",
        "holds",
        "--holding",
        file_arg,
        "--holding",
        dir_arg,
    ]);
    assert_eq!(
        out.lines().nth(1).unwrap().trim_end(),
        format!("{file_arg} fd 3 r, {file_arg} fd 7 w, {dir_arg} cwd")
    );
    // It narrows what procps selects (as --port and --state do): the
    // idle process is selected by -p but holds nothing.
    let (code, out, _) = ps(&[
        "-p",
        &format!("{r},{i}"),
        "-o",
        "pid=",
        "--holding",
        file_arg,
    ]);
    assert_eq!((code, out.trim()), (Some(0), r.as_str()));
    let (code, out, _) = ps(&["-p", &i, "-o", "pid=", "--holding", file_arg]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    // The modern view adds a HOLDS column before the command.
    let (_, out, _) = ps(&["--holding", file_arg, "--format", "plain"]);
    let header = out.lines().next().unwrap();
    let titles: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(titles[titles.len() - 2..], ["HOLDS", "COMMAND"], "{header}");
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with(&r))
        .unwrap();
    assert!(row.contains("fd 3 r, fd 7 w sleep 3600"), "{row}");
    // Sorting by how.
    let (_, out, _) = ps(&["-e", "-o", "pid=", "--sort", "holds", "--holding", dir_arg]);
    assert!(out.lines().any(|l| l.trim() == r), "{out}");
    // Bad usage, before anything is read: holds without --holding, and
    // --mount without it.
    for args in [
        &["-o", "pid,holds"][..],
        &["--mount"],
        &["-e", "--mount", "-o", "pid"],
    ] {
        let (code, out, err) = ps(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(
            out.is_empty() && err.starts_with("proctl: ") && err.lines().count() == 1,
            "{err}"
        );
    }
}

#[test]
fn ps_holding_notes_unreadable_processes_in_one_line() {
    if !is_root() {
        eprintln!("not root: cannot run as nobody; skipped");
        return;
    }
    // As nobody, root's processes (pid 1 at least) cannot be read.
    let out = crate::util::as_nobody(&["ps", "-e", "-o", "pid=", "--holding", "/"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("proctl: the descriptors or mappings of ")
            && err.contains(" cannot be read without privileges"),
        "{err}"
    );
}
