//! The `kill` personality: procps-ng 4.0.2's testsuite/kill.test, the
//! cases of util-linux's tests/ts/kill that apply to procps's kill, the
//! places where proctl is deliberately safer, and differential tests
//! against procps's kill.

use std::os::unix::process::CommandExt;
use std::process::Stdio;

use crate::procps_peer::{Links, SignalRecorder, have_peer, sleeper, unique, wait_for};

fn check(links: &Links, args: &[&str], code: i32, stdout: &str) -> String {
    let ran = links.run("kill", args);
    assert_eq!(
        (ran.code, ran.stdout.as_str()),
        (code, stdout),
        "kill {args:?}: {}",
        ran.stderr
    );
    if have_peer() {
        links.same("kill", args);
    }
    ran.stderr
}

/// Above the kernel's largest possible pid (PID_MAX_LIMIT, 2^22): no
/// process has it, whatever runs on the machine.
const NO_PID: &str = "4194305";
const NO_GROUP: &str = "-4194305";

const NAMES: &str = "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\n\
                     CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\n";

// procps testsuite/kill.test/kill.exp, case by case.
#[test]
fn procps_kill_testsuite() {
    let links = Links::new();
    // "kill with no arguments"
    let err = check(&links, &[], 1, "");
    assert!(
        err.starts_with("\nUsage:\n kill [options] <pid> [...]\n"),
        "{err}"
    );
    // "kill list signal names", "kill list signal names in table"
    check(&links, &["-l"], 0, NAMES);
    let table = links.run("kill", &["-L"]).stdout;
    assert!(table.starts_with(" 1 HUP      2 INT "), "{table}");
    check(&links, &["-L"], 0, &table);
    // "kill convert signal name to number" with and without space and SIG,
    // "kill convert signal number to name" with and without space.
    for args in [
        &["-lHUP"][..],
        &["-l", "HUP"],
        &["-lSIGHUP"],
        &["-l", "SIGHUP"],
    ] {
        check(&links, args, 0, "1\n");
    }
    for args in [&["-l1"][..], &["-l", "1"]] {
        check(&links, args, 0, "HUP\n");
    }
    // "kill with SIGUSR1", "kill with long SIGUSR2", "kill with queued int"
    let dir = tempfile::tempdir().unwrap();
    let rec = SignalRecorder::start(dir.path(), &unique("kl"));
    let pid = rec.pid().to_string();
    for (i, (args, line)) in [
        (&["-USR1"][..], "SIG SIGUSR1"),
        (&["-s", "SIGUSR2"], "SIG SIGUSR2"),
        (&["-USR1", "-q", "42"], "SIG SIGUSR1 value=42"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut all = args.to_vec();
        all.push(&pid);
        let ran = links.run("kill", &all);
        assert_eq!(
            (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
            (0, "", ""),
            "{all:?}"
        );
        assert_eq!(rec.caught(i + 1)[i], line, "{all:?}");
    }
}

// util-linux tests/ts/kill/options (and queue): every way to name HUP,
// and HUP with a queued value. (Its all_processes, print_pid, decode and
// pidfdino cases test util-linux's -a, -p, -d and PID:INODE, which
// procps's kill does not have.)
#[test]
fn util_linux_kill_options_and_queue() {
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    for (i, args) in [
        &["-s", "1"][..],
        &["--signal", "1"],
        &["--signal", "HUP"],
        &["--signal", "SIGHUP"],
        &["-1"],
        &["-HUP"],
        &["-SIGHUP"],
    ]
    .into_iter()
    .enumerate()
    {
        let rec = SignalRecorder::start(dir.path(), &unique(&format!("ko{i}")));
        let pid = rec.pid().to_string();
        let mut all = args.to_vec();
        all.push(&pid);
        let ran = links.run("kill", &all);
        assert_eq!(ran.code, 0, "{all:?}: {}", ran.stderr);
        assert_eq!(rec.caught(1), ["SIG SIGHUP"], "{all:?}");
    }
    let rec = SignalRecorder::start(dir.path(), &unique("kq"));
    let ran = links.run("kill", &["-1", "--queue", "42", &rec.pid().to_string()]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(rec.caught(1), ["SIG SIGHUP value=42"]);
}

// util-linux tests/ts/kill/name_to_number, with pids: every name of
// `kill -L` but KILL and STOP reaches the process as that signal.
#[test]
fn util_linux_kill_name_to_number() {
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let rec = SignalRecorder::start(dir.path(), &unique("kn"));
    let pid = rec.pid().to_string();
    let table = links.run("kill", &["-L"]).stdout;
    let mut names: Vec<(i32, String)> = Vec::new();
    let words: Vec<&str> = table.split_whitespace().collect();
    for pair in words.chunks(2) {
        names.push((pair[0].parse().unwrap(), pair[1].to_string()));
    }
    assert_eq!(names.len(), 31);
    names.retain(|(_, n)| n != "KILL" && n != "STOP" && n != "TERM");
    names.push((15, "TERM".to_string()));
    for (i, (number, name)) in names.iter().enumerate() {
        let ran = links.run("kill", &[&format!("-{name}"), &pid]);
        assert_eq!(ran.code, 0, "-{name}: {}", ran.stderr);
        let expected = nix::sys::signal::Signal::try_from(*number)
            .unwrap()
            .as_str();
        assert_eq!(rec.caught(i + 1)[i], format!("SIG {expected}"), "-{name}");
    }
}

#[test]
fn process_groups_after_a_signal_and_thread_ids() {
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    // kill -SIGNAL -PGID: the group (the recorder leads its own group).
    let rec = SignalRecorder::start(dir.path(), &unique("kg"));
    let group = format!("-{}", rec.pid());
    let ran = links.run("kill", &["-USR2", &group]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(rec.caught(1), ["SIG SIGUSR2"]);
    let ran = links.run("kill", &["-s", "HUP", "--", &group]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(rec.caught(2)[1], "SIG SIGHUP");
    // A thread id names its process, as kill(2) reads it.
    let tids: Vec<i32> = std::fs::read_dir(format!("/proc/{}/task", rec.pid()))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&t| t != rec.pid())
        .collect();
    let tid = tids
        .first()
        .expect("the recorder has a second thread")
        .to_string();
    let ran = links.run("kill", &["-USR1", &tid]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(rec.caught(3)[2], "SIG SIGUSR1");
    if have_peer() {
        links.same("kill", &["-0", &tid]);
    }
}

#[test]
fn safer_than_procps_4_0_2() {
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let child = sleeper(dir.path(), &unique("ks"));
    let pid = child.pid().to_string();
    // A negative number that is no signal, with no signal named: procps
    // 4.0.2 signals pid -1 (every process). proctl refuses and sends
    // nothing. Tried in a pid namespace of its own, where a slip in the
    // refusal could reach only that namespace's processes.
    if crate::util::is_root() {
        let out = std::process::Command::new("unshare")
            .args([
                "--pid",
                "--fork",
                "--mount-proc",
                "--kill-child",
                "bash",
                "-c",
            ])
            .arg("sleep 1000 & (exec -a kill \"$0\" -123 $!); echo \"rc=$?\"; kill $!")
            .arg(links.ours.join("kill"))
            .stdin(Stdio::null())
            .output()
            .expect("unshare (util-linux)");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "rc=1\n");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "kill: invalid signal -123: to signal process group 123, name the signal first (kill -TERM -123)\n"
        );
    } else {
        eprintln!("not root: kill -123 is tried only in a pid namespace; skipped");
    }
    // A pid beyond pid_t: procps truncates it (4294967297 is pid 1).
    let ran = links.run("kill", &["-0", "4294967297"]);
    assert_eq!(
        (ran.code, ran.stderr.as_str()),
        (
            1,
            "kill: failed to parse argument: '4294967297': Numerical result out of range\n"
        )
    );
    // Every argument is checked before the first signal.
    let ran = links.run("kill", &[&pid, "bogus"]);
    assert_eq!(ran.code, 1);
    assert_eq!(ran.stderr, "kill: failed to parse argument: 'bogus'\n");
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    assert!(!stat.contains(") Z"), "the sleeper was signalled: {stat}");
    // `-l SIG9` makes procps abort in free(); proctl says unknown.
    let ran = links.run("kill", &["-l", "SIG9"]);
    assert_eq!(
        (ran.code, ran.stderr.as_str()),
        (0, "kill: unknown signal name SIG9\n")
    );
    // -V says which program this is.
    let ran = links.run("kill", &["-V"]);
    assert_eq!(
        ran.stdout,
        format!(
            "kill from procps-ng 4.0.2 (proctl {})\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    // bash's `kill -n NUMBER` works too (procps refuses -n).
    let ran = links.run("kill", &["-n", "0", &pid]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
}

#[test]
fn differential_kill() {
    if !have_peer() {
        return;
    }
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let child = sleeper(dir.path(), &unique("kd"));
    let pid = child.pid().to_string();
    let group = format!("-{pid}");
    let (_holder, zombie) = zombie();
    let z = zombie.to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["-h"],
        vec!["--help"],
        vec!["-x"],
        vec!["--bogus", NO_PID],
        vec!["--lis"],
        vec!["--table=x"],
        vec!["-s"],
        vec!["-q"],
        vec!["--signal"],
        vec!["-s", "HUP"],
        vec!["--", NO_GROUP],
        vec!["-l", "143", "9"],
        vec!["-l", "0"],
        vec!["-l", "35"],
        vec!["-l", "9abc"],
        vec!["-l", "rtmin"],
        vec!["-l", "iot"],
        vec!["-l", "term"],
        vec!["--list=KILL"],
        vec!["--list", "KILL"],
        vec!["-l", "-9"],
        vec![&pid, "-l"],
        vec!["-q", "abc", NO_PID],
        vec!["-q", "99999999999999999999", NO_PID],
        vec![NO_PID],
        vec!["-0", NO_PID, &pid],
        vec!["-s", "0", &pid],
        vec!["-s", "BOGUS", &pid],
        vec!["-93", &pid],
        vec!["-32", NO_PID],
        vec!["-0", &z],
        vec!["-0", "--", &group],
        vec!["-0", "--", NO_GROUP],
        vec!["-0", "0"],
        vec!["-s", "0", "0"],
        vec!["-RTMIN+2", NO_PID],
        vec!["-sig1", NO_PID],
        vec!["- 9", NO_PID],
        vec!["-CLD", NO_PID],
        vec!["-EXIT", &pid],
        vec!["-NULL", "--", &pid],
        vec!["-RTMAX", NO_PID],
        vec!["-"],
        vec![""],
        vec!["+12345678"],
        vec!["abc"],
        vec!["99999999999999999999"],
        vec!["-0", "1"],
    ];
    for args in &cases {
        links.same("kill", args);
    }
    // The error text for an empty pid depends on the locale, as procps's.
    for locale in ["C", "C.UTF-8"] {
        let peer = links
            .peer("kill")
            .arg("")
            .env("LC_ALL", locale)
            .output()
            .unwrap();
        let ours = links
            .ours("kill")
            .arg("")
            .env("LC_ALL", locale)
            .output()
            .unwrap();
        assert_eq!(ours.stderr, peer.stderr, "LC_ALL={locale}");
    }
}

/// A zombie, and the process that never reaps it (kill it to clean up).
fn zombie() -> (crate::util::Reaped, i32) {
    let mut holder = crate::util::Reaped(
        std::process::Command::new("sh")
            .args(["-c", "sleep 0 & echo $!; exec sleep 1000"])
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(holder.0.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let pid: i32 = line.trim().parse().unwrap();
    wait_for("the zombie", || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
    });
    (holder, pid)
}

#[test]
fn another_users_process_is_permission_denied_as_in_procps() {
    if !have_peer() || !crate::util::is_root() {
        return;
    }
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("kp");
    let child = sleeper(dir.path(), &name);
    let pid = child.pid().to_string();
    // Both run as nobody, as `./NAME` in their directory (same argv[0]).
    let as_nobody = |dir: &std::path::Path, tool: &str, args: &[&str]| {
        let out = std::process::Command::new(crate::util::which("setpriv"))
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(format!("./{tool}"))
            .args(args)
            .current_dir(dir)
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for (tool, args) in [
        ("kill", vec!["-0", pid.as_str()]),
        ("kill", vec!["-USR1", pid.as_str(), NO_PID]),
        ("pkill", vec!["-0", "-x", name.as_str()]),
        ("pkill", vec!["-e", "-x", name.as_str()]),
        ("pidwait", vec!["-c", "-x", name.as_str(), "-U", "65534"]),
    ] {
        let ours = as_nobody(&links.ours, tool, &args);
        let peer = as_nobody(&links.peer, tool, &args);
        assert_eq!(ours, peer, "{tool} {args:?} as nobody");
        assert_ne!(ours.0, Some(0), "{tool} {args:?}: {}", ours.2);
    }
    let (code, _, err) = as_nobody(&links.ours, "kill", &["-0", &pid]);
    assert_eq!(code, Some(1));
    assert_eq!(err, format!("./kill: ({pid}): Operation not permitted\n"));
    // The child is untouched.
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    assert!(stat.contains(") S "), "{stat}");
}
