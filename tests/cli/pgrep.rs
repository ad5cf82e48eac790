//! The `pgrep`, `pkill` and `pidwait` personalities: procps-ng 4.0.2's
//! testsuite (testsuite/pgrep.test, pkill.test, pwait.test) translated,
//! then differential tests against procps's own tools on processes the
//! tests start, and real delivery recorded by the children.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::procps_peer::{Links, Namespace, SignalRecorder, have_peer, sleeper, unique, wait_for};
use crate::util::is_root;

/// procps's `make_testproc`: two processes with the same unique name, the
/// first with an argument of ~100 KiB (a fraction of ARG_MAX), both
/// children of this test process.
struct TestProcs {
    _dir: tempfile::TempDir,
    name: String,
    link: String,
    long_arg: String,
    one: SignalRecorder,
    two: SignalRecorder,
}

impl TestProcs {
    fn start(tag: &str) -> TestProcs {
        let dir = tempfile::tempdir().unwrap();
        let name = unique(tag);
        let long_arg = "a".repeat(100_000);
        let one = SignalRecorder::start_with(dir.path(), &name, &[&long_arg]);
        let two = SignalRecorder::start_with(dir.path(), &name, &[]);
        let link = dir.path().join(&name).to_string_lossy().into_owned();
        TestProcs {
            _dir: dir,
            name,
            link,
            long_arg,
            one,
            two,
        }
    }

    fn both(&self) -> String {
        format!("{}\n{}\n", self.one.pid(), self.two.pid())
    }
}

fn id(flag: &str) -> u32 {
    let out = std::process::Command::new("id").arg(flag).output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Runs `pgrep` (proctl's link) and checks its status, stdout and stderr;
/// with procps installed, procps's pgrep must print the same.
fn check(links: &Links, name: &str, args: &[&str], code: i32, stdout: &str) -> String {
    let ran = links.run(name, args);
    if (ran.code, ran.stdout.as_str()) != (code, stdout) {
        // What the kernel showed of the test's processes, and procps's answer.
        let listing = std::process::Command::new("ps")
            .args(["-eo", "pid,stat,wchan:20,args"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let recorders: Vec<&str> = listing
            .lines()
            .filter(|l| l.contains("signal_recorder_child"))
            .map(|l| l.get(..200).unwrap_or(l))
            .collect();
        let peer: Option<(i32, String)> = have_peer().then(|| {
            let o = links.peer(name).args(args).output().unwrap();
            (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stdout).into_owned(),
            )
        });
        panic!(
            "{name} {args:?}: got {:?} (stderr {:?}), wanted {:?}; procps now: {peer:?}; recorders:\n{}",
            (ran.code, &ran.stdout),
            ran.stderr,
            (code, stdout),
            recorders.join("\n")
        );
    }
    if have_peer() {
        links.same(name, args);
    }
    ran.stderr
}

// procps testsuite/pgrep.test/pgrep.exp, case by case.
#[test]
fn procps_pgrep_testsuite() {
    let links = Links::new();
    // "pgprep with no arguments"
    let err = check(&links, "pgrep", &[], 2, "");
    assert!(
        err.starts_with("pgrep: no matching criteria specified"),
        "{err}"
    );

    let t = TestProcs::start("pg");
    let (n, both) = (t.name.as_str(), t.both());
    let (p1, p2) = (t.one.pid(), t.two.pid());
    let me = std::process::id().to_string();
    let not_ppid = (std::process::id() + 1).to_string();
    let (uid, gid) = (id("-u"), id("-g"));
    let sid = nix::unistd::getsid(Some(nix::unistd::Pid::from_raw(p1)))
        .unwrap()
        .to_string();
    let trimmed = &n[..n.len() - 1];
    // "pgrep find both test pids", "pgrep counts 2 test pids", "pgrep with : delimiter"
    check(&links, "pgrep", &[n], 0, &both);
    check(&links, "pgrep", &["-c", n], 0, "2\n");
    check(&links, "pgrep", &["-d", ":", n], 0, &format!("{p1}:{p2}\n"));
    // "pgrep match against full process name"
    let full = format!("{}\\s+{}", t.link, t.long_arg);
    check(&links, "pgrep", &["-f", &full], 0, &format!("{p1}\n"));
    // "pgrep with matching gid", "... not matching gid"
    check(&links, "pgrep", &["-G", &gid.to_string(), n], 0, &both);
    check(&links, "pgrep", &["-G", &(gid + 1).to_string(), n], 1, "");
    // "pgrep with process name"
    check(
        &links,
        "pgrep",
        &["-l", n],
        0,
        &format!("{p1} {n}\n{p2} {n}\n"),
    );
    // "pgrep with full command line": the process without the long argument.
    let tail = format!("^{} --exact.*threads=1$", t.link);
    let cmdline = format!(
        "{} --exact procps_peer::signal_recorder_child --nocapture --test-threads=1",
        t.link
    );
    check(
        &links,
        "pgrep",
        &["-af", &tail],
        0,
        &format!("{p2} {cmdline}\n"),
    );
    // "pgrep find newest test pid", "pgrep find oldest test pid"
    check(&links, "pgrep", &["-n", n], 0, &format!("{p2}\n"));
    check(&links, "pgrep", &["-o", n], 0, &format!("{p1}\n"));
    // "pgrep matches with parent pid", "... doesn't match with bogus parent pid"
    check(&links, "pgrep", &["-P", &me, n], 0, &both);
    check(&links, "pgrep", &["-P", &not_ppid, n], 1, "");
    // "pgrep matches with its own sid", "... doesn't match with bogus sid"
    check(&links, "pgrep", &["-s", &sid, n], 0, &both);
    check(&links, "pgrep", &["-s", "-1", n], 1, "");
    // "pgrep matches on tty": see terminal_selection (the testsuite skips
    // it without a terminal). "pgrep doesn't match with bogus tty"
    check(&links, "pgrep", &["-t", "glass", n], 1, "");
    // "pgrep with matching euid" ... "pgrep with not matching uid"
    check(&links, "pgrep", &["-u", &uid.to_string(), n], 0, &both);
    check(&links, "pgrep", &["-u", &(uid + 1).to_string(), n], 1, "");
    check(&links, "pgrep", &["-U", &uid.to_string(), n], 0, &both);
    check(&links, "pgrep", &["-U", &(uid + 1).to_string(), n], 1, "");
    // "pgrep matches on substring", "... matches full string with exact",
    // "pgrep does not match substring with exact"
    check(&links, "pgrep", &[trimmed], 0, &both);
    check(&links, "pgrep", &["-x", n], 0, &both);
    check(&links, "pgrep", &["-x", trimmed], 1, "");
    // "pgrep with long non-matching pattern gives warning"
    let err = check(&links, "pgrep", &["gnome-session-bi"], 1, "");
    assert_eq!(
        err,
        "pgrep: pattern that searches for process name longer than 15 characters will result in zero matches\n\
         Try `pgrep -f' option to match against the complete command line.\n"
    );
}

// procps testsuite/pkill.test/pkill.exp.
#[test]
fn procps_pkill_testsuite() {
    let links = Links::new();
    // "pkill with no arguments"
    let err = check(&links, "pkill", &[], 2, "");
    assert!(
        err.starts_with("pkill: no matching criteria specified"),
        "{err}"
    );

    let t = TestProcs::start("pk");
    let n = t.name.as_str();
    let echoed = format!(
        "{n} killed (pid {})\n{n} killed (pid {})\n",
        t.one.pid(),
        t.two.pid()
    );
    // "pkill find both test pids", "pkill signal option order" (signal 0:
    // nothing is delivered).
    check(&links, "pkill", &["-0", "-e", n], 0, &echoed);
    check(&links, "pkill", &["-e", n, "-0"], 0, &echoed);
    // "pkill with trailing garbage on int signal"
    let err = check(&links, "pkill", &["-0garbage", n], 2, "");
    assert!(err.contains("invalid option -- '0'"), "{err}");
    assert!(t.one.so_far().is_empty() && t.two.so_far().is_empty());

    // "pkill with SIGUSR1", "pkill with SIGUSR2", "pkill with queued int":
    // through proctl only, each recorded by both children.
    for (args, line) in [
        (&["-USR1", "-e"][..], "SIG SIGUSR1"),
        (&["-USR2", "-e"], "SIG SIGUSR2"),
        (&["-USR1", "-e", "-q", "42"], "SIG SIGUSR1 value=42"),
    ] {
        let before = t.one.so_far().len();
        let mut all = args.to_vec();
        all.push(n);
        let ran = links.run("pkill", &all);
        assert_eq!(
            (ran.code, ran.stdout.as_str()),
            (0, echoed.as_str()),
            "{all:?}"
        );
        for rec in [&t.one, &t.two] {
            assert_eq!(
                rec.caught(before + 1).last().map(String::as_str),
                Some(line),
                "{all:?}"
            );
        }
    }
}

// procps testsuite/pwait.test/pwait.exp (the tool is pidwait since 3.3.17).
#[test]
fn procps_pidwait_testsuite() {
    let links = Links::new();
    // "pwait with no arguments"
    let err = check(&links, "pidwait", &[], 2, "");
    assert!(
        err.starts_with("pidwait: no matching criteria specified"),
        "{err}"
    );
    let t = TestProcs::start("pw");
    let n = t.name.as_str();
    let not = |v: u32| (v + 1).to_string();
    // Each must match nothing and so return at once, status 1.
    for args in [
        vec!["-G", &not(id("-g")), n],
        vec!["-P", &not(std::process::id()), n],
        vec!["-s", "-1", n],
        vec!["-t", "glass", n],
        vec!["-U", &not(id("-u")), n],
    ] {
        check(&links, "pidwait", &args, 1, "");
    }
}

#[test]
fn pidwait_waits_for_every_match_on_pidfds() {
    let links = Links::new();
    let t = TestProcs::start("pwe");
    let n = t.name.clone();
    let mut waiter = links
        .ours("pidwait")
        .args(["-e", "-c", &n])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(waiter.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "2");
    for rec in [&t.one, &t.two] {
        let line = lines.next().unwrap().unwrap();
        assert_eq!(line, format!("waiting for {n} (pid {})", rec.pid()));
    }
    // It is waiting now; it must outlive the first child.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(t.one.pid()),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    t.one.caught(1);
    assert!(
        waiter.try_wait().unwrap().is_none(),
        "pidwait ended with one process left"
    );
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(t.two.pid()),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let mut status = None;
    wait_for("pidwait to end", || {
        status = waiter.try_wait().unwrap();
        status.is_some()
    });
    assert_eq!(status.unwrap().code(), Some(0));
}

#[test]
fn pkill_delivers_through_pidfds_and_reports_like_procps() {
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("pkr");
    let rec = SignalRecorder::start(dir.path(), &name);
    // A signal as a name, number, SIG name, lower case, --signal, and a
    // realtime one, each recorded.
    for (args, line) in [
        (&["-HUP"][..], "SIG SIGHUP"),
        (&["-10"], "SIG SIGUSR1"),
        (&["-SIGUSR2"], "SIG SIGUSR2"),
        (&["-int"], "SIG SIGINT"),
        (&["--signal", "quit"], "SIG SIGQUIT"),
        (&["--signal=12", "-x"], "SIG SIGUSR2"),
    ] {
        let before = rec.so_far().len();
        let mut all = args.to_vec();
        all.push(&name);
        let ran = links.run("pkill", &all);
        assert_eq!(ran.code, 0, "{all:?}: {}", ran.stderr);
        assert_eq!(rec.caught(before + 1).last().unwrap(), line, "{all:?}");
    }
    // A number the kernel refuses: procps reports each pid, status 1.
    let ran = links.run("pkill", &["--signal", "99", &name]);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stderr,
        format!(
            "pkill: killing pid {} failed: Invalid argument\n",
            rec.pid()
        )
    );
    if have_peer() {
        links.same("pkill", &["--signal", "99", &name]);
        links.same("pkill", &["--signal", "BOGUS", &name]);
        links.same("pkill", &["-0", "-c", &name]);
        links.same("pkill", &["-0", "-e", "--list-full", &name]);
    }
    // -c counts after signalling; TERM ends the recorder.
    let ran = links.run("pkill", &["-c", &name]);
    assert_eq!((ran.code, ran.stdout.as_str()), (0, "1\n"));
    assert_eq!(rec.caught(7).last().unwrap(), "SIG SIGTERM");
    assert_eq!(rec.so_far().len(), 7, "one signal per pkill run");
}

#[test]
fn pkill_never_signals_itself() {
    let links = Links::new();
    // proctl runs under the name pkill here, so -x pkill would match it.
    let child = links
        .ours("pkill")
        .args(["-0", "-e", "-x", "pkill"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let own = child.id();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains(&format!("(pid {own})")), "{stdout}");
}

#[test]
fn pgrep_never_lists_itself() {
    let links = Links::new();
    // Every pgrep run matches its own command line with -f; none lists itself.
    let marker = unique("self");
    let ran = links.run("pgrep", &["-f", &marker]);
    assert_eq!((ran.code, ran.stdout.as_str()), (1, ""), "{}", ran.stderr);
    let ran = links.run("pgrep", &["-c", "-f", &marker]);
    assert_eq!(ran.stdout, "0\n");
}

/// A namespace of our own: init (`sleep`), two `pxa` sleepers, a `pxb`
/// with arguments, a zombie and a stopped process; no other process.
fn namespace(links: &Links, dir: &std::path::Path) -> Namespace {
    for name in ["pxa", "pxb", "pxlongname-over15"] {
        std::os::unix::fs::symlink(crate::util::which("sleep"), dir.join(name)).unwrap();
    }
    let d = dir.display();
    let script = format!(
        "cd {d}\n./pxa 1000 &\n./pxa 1001 &\n./pxb 1002 &\n./pxlongname-over15 1003 &\n\
         sh -c 'sleep 1004 & exec true' &\n\
         sh -c 'kill -STOP $$; :' &"
    );
    Namespace::start(links, &script, &["pxa", "pxb"])
}

#[test]
fn differential_in_a_private_pid_namespace() {
    if !have_peer() || !is_root() {
        eprintln!("skipped: needs procps and root (for unshare)");
        return;
    }
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let ns = namespace(&links, dir.path());
    ns.wait_until(&links, &["-r", "Z"]);
    ns.wait_until(&links, &["-r", "T"]);
    let cases: &[&[&str]] = &[
        &["pxa"],
        &["-l", "px"],
        &["-a", "px"],
        &["-la", "px"],
        &["-c", "."],
        &["-d", ", ", "px"],
        &["-d", "", "px"],
        &["-lv", "pxa"],
        &["-v", "-x", "sleep"],
        &["-n", "px"],
        &["-o", "px"],
        &["-n"],
        &["-o", "-l"],
        &["-x", "pxa"],
        &["-x", "px"],
        &["-xi", "PXA"],
        &["-i", "PX[AB]"],
        &["-f", "100[12]"],
        &["-fa", "sleep 100"],
        &["-fx", "./pxa 1000"],
        &["-f", "^\\./px.*100[0-9]$"],
        &["-P", "1", "-l"],
        &["-P", "1,0", "-c"],
        &["-g", "1", "-c"],
        &["-s", "1", "-c"],
        &["-u", "0", "-c"],
        &["-u", "root,nobody", "-l"],
        &["-U", "0", "-l", "px"],
        &["-G", "0", "-c"],
        &["-t", "?", "-c"],
        &["-t", "?", "-r", "Z", "-c"],
        &["-r", "Z", "-l"],
        &["-r", "T", "-a"],
        &["-r", "S", "-c"],
        &["-r", "Z,T", "-l"],
        &["-O", "1000", "-c"],
        &["-O", "0", "-c"],
        &["-A", "-l"],
        &["-w", "-l", "px"],
        &["-c", "--ns", "1"],
        &["-c", "--ns", "1", "--nslist", "pid"],
        &["-l", "--ns", "0"],
        &["pxlongname-over15"],
        &["pxlongname-ov"],
        &["-f", "pxlongname-over15"],
        &["pxlongname-over1[5]"],
        &["(unclosed"],
        &["-x", "a|b("],
        &["--cgroup", "/nonexistent", "-c"],
        &["-lo", "--inverse", "x"],
        &["--list-n", "pxb"],
        &[
            "--count",
            "--full",
            "--exact",
            "--ignore-case",
            "SLEEP 1002",
        ],
        &["--parent=1", "--runstates=S", "--delimiter=;"],
        &["-v"],
        &["-F", "/nonexistent"],
        &["-L", "x"],
        &["-F", "/dev/null"],
    ];
    for args in cases {
        ns.same(&links, "pgrep", args);
    }
    // The namespace holds what it should (so the comparisons above are
    // not between two empty answers).
    let listed = ns.same(&links, "pgrep", &["-l", "px"]).stdout;
    let names: Vec<&str> = listed.lines().filter_map(|l| l.split(' ').nth(1)).collect();
    assert_eq!(names, ["pxa", "pxa", "pxb", "pxlongname-over"], "{listed}");
    let zombie = ns.same(&links, "pgrep", &["-r", "Z", "-a"]).stdout;
    assert!(zombie.ends_with(" [true] <defunct>\n"), "{zombie}");
    let stopped = ns.same(&links, "pgrep", &["-r", "T", "-l"]).stdout;
    assert!(stopped.ends_with(" sh\n"), "{stopped}");
    assert_eq!(
        ns.same(&links, "pgrep", &["-l", "-P", "0"]).stdout,
        "1 sleep\n"
    );
    // --cgroup: the namespace's processes are in this test's cgroup (v2).
    let own = std::fs::read_to_string("/proc/self/cgroup").unwrap();
    if let Some(path) = own.lines().find_map(|l| l.strip_prefix("0::")) {
        let listed = ns.same(&links, "pgrep", &["-l", "--cgroup", &format!("/x,{path}")]);
        assert!(listed.stdout.contains(" pxb\n"), "{}", listed.stdout);
        ns.same(&links, "pgrep", &["-c", "--cgroup", path, "-t", "pts/99"]);
    }
    // pkill and pidwait, on what they cannot change: signal 0, and pidwait
    // with nothing to wait for.
    for args in [
        &["-0", "-e", "px"][..],
        &["-0", "-c", "-e", "-f", "100[01]"],
        &["-0", "-e", "--lightweight", "pxb"],
        &["-e", "-0", "-P", "1"],
        &["-0", "-e", "-v", "-u", "1"],
        &["-0", "nomatch"],
        &["-0", "--inverse", "-l", "x", "-u", "1"],
        &["-SIGCONT", "-r", "Z", "-e"],
    ] {
        ns.same(&links, "pkill", args);
    }
    for args in [
        &["-c", "nomatch"][..],
        &["-e", "-r", "Z"],
        &["-e", "--lightweight", "nomatch"],
    ] {
        ns.same(&links, "pidwait", args);
    }
    // kill on every process of the namespace (kill(2) with -1), harmlessly.
    for args in [
        &["-0", "--", "-1"][..],
        &["-s", "CONT", "--", "-1"],
        &["-0", "--", "-2"],
    ] {
        ns.same(&links, "kill", args);
    }
    // procps 4.0.2 inverts the status for `kill -SIGNAL -N` (1 when sent);
    // proctl reports it as for `kill -SIGNAL -- -N`.
    let ran = ns.same(&links, "kill", &["-0", "--", "-1"]);
    assert_eq!(ran.code, 0);
    let ours = ns
        .command(&links.ours, "kill")
        .args(["-CONT", "-1"])
        .output()
        .unwrap();
    assert_eq!(ours.status.code(), Some(0));
}

#[test]
fn usage_errors_and_help_match_procps() {
    if !have_peer() {
        return;
    }
    let links = Links::new();
    // pkill and pidwait act on what they match, and these cases run on the
    // whole machine: their pattern is a name no process has and pkill
    // sends signal 0, so that no case, and no slip in parsing one, can
    // signal or wait on a process the test did not start. (`pkill -i -i x`
    // once sent TERM to every process with an x in its name.)
    let nobody_has = unique("none");
    for name in ["pgrep", "pkill", "pidwait"] {
        let x = if name == "pgrep" {
            "x"
        } else {
            nobody_has.as_str()
        };
        let harmless: &[&str] = if name == "pkill" { &["-0"] } else { &[] };
        for args in [
            &["-h"][..],
            &["--help"],
            &["-?"],
            &["-Z"],
            &["--bogus"],
            &["--list"],
            &["--count=3", x],
            &["--signal"],
            &["-d"],
            &["a", "b"],
            &["-i", "-i", x],
            &["-n", "-v", x],
            &["-v", "-o", x],
            &["-u", "no-such-user-xyz"],
            &["-G", "no-such-group-xyz"],
            &["-P", "x"],
            &["-g", "1x"],
            &["-s", "+x"],
            &["-P", ""],
            &["-t", ""],
            &["--nslist", "bogus", x],
            &["--nslist", "", x],
            &["--ns", "-3", x],
            &["-q", "1", x],
            &["-e", x, "-l"],
            &["-r"],
            &["--ignore-ancestors"],
        ] {
            let all: Vec<&str> = harmless.iter().chain(args).copied().collect();
            links.same(name, &all);
        }
        // POSIXLY_CORRECT: options end at the first operand, as in glibc.
        let posix = |mut cmd: std::process::Command| -> crate::procps_peer::Ran {
            cmd.args(harmless)
                .args(["-c", x, "-l"])
                .env("POSIXLY_CORRECT", "1")
                .output()
                .unwrap()
                .into()
        };
        assert_eq!(posix(links.ours(name)), posix(links.peer(name)), "{name}");
    }
}

#[test]
fn pidfile_rules_match_procps() {
    if !have_peer() {
        return;
    }
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("pf");
    let child = sleeper(dir.path(), &name);
    let pid = child.pid();
    let me = std::process::id();
    for (file, content) in [
        ("ok", format!("{pid}\n")),
        ("spaces", format!("  {pid} trailing")),
        ("plus", format!("+{pid}")),
        ("garbage", format!("{pid}x")),
        ("negative", "-5\n".to_string()),
        ("zero", "0".to_string()),
        ("empty", String::new()),
        ("self", format!("{me}\n")),
    ] {
        let path = dir.path().join(file);
        std::fs::write(&path, content).unwrap();
        let path = path.to_string_lossy().into_owned();
        links.same("pgrep", &["-F", &path]);
        links.same("pgrep", &["-l", "-F", &path, &name]);
        links.same("pgrep", &["-F", &path, "-L"]);
    }
    links.same("pgrep", &["-F", &dir.path().to_string_lossy()]);
    // procps truncates a number beyond pid_t (4294967297 is pid 1); proctl
    // says the pidfile is not valid.
    let path = dir.path().join("wraps");
    std::fs::write(&path, "4294967297\n").unwrap();
    let ran = links.run("pgrep", &["-F", &path.to_string_lossy()]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr.starts_with("pgrep: pidfile not valid\n"),
        "{}",
        ran.stderr
    );
}

#[test]
fn terminal_selection() {
    if !have_peer() {
        return;
    }
    // A sleeper on a pseudo-terminal of its own, through script(1).
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("tty");
    std::os::unix::fs::symlink(crate::util::which("sleep"), dir.path().join(&name)).unwrap();
    let cmd = format!("{} 1000", dir.path().join(&name).display());
    let script = crate::util::Reaped(
        std::process::Command::new("script")
            .args(["-qfec", &cmd, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    let mut pid = String::new();
    wait_for("the sleeper on a terminal", || {
        pid = links.run("pgrep", &["-x", &name]).stdout.trim().to_string();
        !pid.is_empty()
    });
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let tty_nr: i32 = after.split(' ').nth(4).unwrap().parse().unwrap();
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    assert!((136..144).contains(&major), "not on a pty: {tty_nr}");
    let tty = format!("pts/{}", minor + (major - 136) * 256);
    // "pgrep matches on tty"
    check(
        &links,
        "pgrep",
        &["-t", &tty, &name],
        0,
        &format!("{pid}\n"),
    );
    check(
        &links,
        "pgrep",
        &["-t", &format!("tty9,{tty}"), "-x", &name],
        0,
        &format!("{pid}\n"),
    );
    check(&links, "pgrep", &["-t", "?", &name], 1, "");
    drop(script);
}

use std::os::unix::process::CommandExt;

#[test]
fn hostile_names_and_command_lines_print_as_procps_prints_them() {
    if !have_peer() {
        return;
    }
    use std::os::unix::ffi::OsStrExt;
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let base = unique("h");
    let sleep = crate::util::which("sleep");
    let mut children = Vec::new();
    // A tab, an accented letter, a byte that is not UTF-8, and an accented
    // letter cut in half by the kernel's 15-byte limit.
    let mut names: Vec<Vec<u8>> = vec![
        [base.as_bytes(), b"\tA"].concat(),
        [base.as_bytes(), "\u{e9}".as_bytes()].concat(),
        [base.as_bytes(), b"\xff"].concat(),
    ];
    let mut cut = base.as_bytes().to_vec();
    while cut.len() < 14 {
        cut.push(b'x');
    }
    cut.extend_from_slice("\u{e9}".as_bytes());
    names.push(cut);
    for name in &names {
        let link = dir.path().join(std::ffi::OsStr::from_bytes(name));
        std::os::unix::fs::symlink(&sleep, &link).unwrap();
        children.push(crate::util::Reaped(
            std::process::Command::new(&link)
                .arg("1000")
                .stdin(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap(),
        ));
    }
    // And a command line with a newline and a control character.
    let cname = unique("c");
    children.push(crate::util::spawn_named(
        dir.path(),
        &cname,
        "sh",
        &["-c", "sleep 1000; :", "arg\nwith\x01ctl", "\u{e9}t\u{e9}"],
    ));
    wait_for("the children", || {
        links.run("pgrep", &["-c", &base]).stdout == "4\n"
            && links.run("pgrep", &["-c", "-x", &cname]).stdout == "1\n"
    });
    for locale in ["C", "C.UTF-8"] {
        for args in [
            &["-l", &base][..],
            &["-a", &base],
            &["-a", "-x", &cname],
            &["-f", "-a", "arg.with"],
            &["-f", "-l", "arg with.ctl"],
            &["-l", "-x", &format!("{base}.A")],
            &["-c", &format!("{base}\u{e9}")],
            &["-c", &format!("{base}.$")],
            &["-c", "-i", &format!("{base}\u{c9}")],
        ] {
            links.same_in(locale, "pgrep", args);
        }
        links.same_in(locale, "pkill", &["-0", "-e", &base]);
    }
    let listed = links.run("pgrep", &["-l", &base]).stdout;
    assert!(listed.contains(&format!("{base}?A")), "{listed}");
}

#[test]
fn threads_and_ancestors_match_procps() {
    if !have_peer() {
        return;
    }
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let name = unique("thr");
    let rec = SignalRecorder::start(dir.path(), &name);
    // The recorder runs its test on a second thread, named after the test.
    let threads = links.same("pgrep", &["-w", "-l", "-g", &rec.pid().to_string()]);
    assert!(threads.stdout.lines().count() >= 2, "{}", threads.stdout);
    links.same("pgrep", &["-w", "-c", &name]);
    links.same("pgrep", &["-w", "-a", "-f", &name]);
    links.same("pgrep", &["--lightweight", "-c", "-f", &name]);
    links.same(
        "pkill",
        &["--lightweight", "-0", "-e", "-g", &rec.pid().to_string()],
    );
    links.same(
        "pgrep",
        &["-w", "-P", &std::process::id().to_string(), "-x", &name],
    );
    // -A leaves out this test process, pgrep's parent; without it, it is listed.
    let me = std::process::id().to_string();
    let parent = std::fs::read_to_string("/proc/self/stat").unwrap();
    let ppid = parent[parent.rfind(')').unwrap() + 2..]
        .split(' ')
        .nth(1)
        .unwrap()
        .to_string();
    let with = links.same("pgrep", &["-P", &ppid]).stdout;
    assert!(with.lines().any(|l| l == me), "{with}");
    let without = links.same("pgrep", &["-A", "-P", &ppid]).stdout;
    assert!(!without.lines().any(|l| l == me), "{without}");
}

#[test]
fn pkill_on_a_terminal_never_asks() {
    // Two matches, stdin and stderr on a pseudo-terminal (script(1)) that
    // is never written to: pkill signals both and ends, as procps's does.
    let links = Links::new();
    let t = TestProcs::start("pkt");
    let cmd = format!("{} -0 -c {}", links.ours.join("pkill").display(), t.name);
    let mut script = crate::util::Reaped(
        std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap(),
    );
    let mut status = None;
    wait_for("pkill on a terminal", || {
        status = script.0.try_wait().unwrap();
        status.is_some()
    });
    let mut out = String::new();
    std::io::Read::read_to_string(&mut script.0.stdout.take().unwrap(), &mut out).unwrap();
    assert_eq!(out.trim(), "2", "{out:?}");
    assert_eq!(status.unwrap().code(), Some(0));
}

/// Whether a process holds a pidfd (it has started waiting on one).
fn holds_pidfd(pid: u32) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|dir| {
        dir.filter_map(Result::ok).any(|e| {
            std::fs::read_link(e.path()).is_ok_and(|l| l.to_string_lossy() == "anon_inode:[pidfd]")
        })
    })
}

#[test]
fn pidwait_waits_as_procps_does() {
    if !have_peer() {
        return;
    }
    let links = Links::new();
    let t = TestProcs::start("pwd");
    let start = |mut cmd: std::process::Command| {
        crate::util::Reaped(
            cmd.args(["-e", "-c", &t.name])
                .stdout(Stdio::piped())
                .process_group(0)
                .spawn()
                .unwrap(),
        )
    };
    let mut peer = start(links.peer("pidwait"));
    let mut ours = start(links.ours("pidwait"));
    wait_for("both to wait", || {
        holds_pidfd(peer.0.id()) && holds_pidfd(ours.0.id())
    });
    for rec in [&t.one, &t.two] {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(rec.pid()),
            nix::sys::signal::Signal::SIGTERM,
        )
        .unwrap();
    }
    let finish = |child: &mut crate::util::Reaped| {
        let mut status = None;
        wait_for("pidwait to end", || {
            status = child.0.try_wait().unwrap();
            status.is_some()
        });
        let mut out = String::new();
        std::io::Read::read_to_string(&mut child.0.stdout.take().unwrap(), &mut out).unwrap();
        (status.unwrap().code(), out)
    };
    let theirs = finish(&mut peer);
    assert_eq!(finish(&mut ours), theirs);
    assert_eq!(theirs.0, Some(0));
}

/// The exit status of `program args` with stdout on /dev/full, or closed.
fn status_with_broken_stdout(
    program: &std::path::Path,
    args: &[&str],
    closed: bool,
) -> Option<i32> {
    let mut cmd = std::process::Command::new(program);
    cmd.args(args).stdin(Stdio::null()).stderr(Stdio::null());
    if closed {
        // SAFETY: close(2) between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                nix::libc::close(1);
                Ok(())
            });
        }
    } else {
        cmd.stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        );
    }
    cmd.status().unwrap().code()
}

// procps's pgrep (close_stdout) and ps fail a write to a full or closed
// stdout with exit 1; kill never checks. proctl through its links ends the
// same way (it wrote into /dev/null and succeeded when stdout was closed).
#[test]
fn a_full_or_closed_stdout_ends_as_procps_ends() {
    let links = Links::new();
    let dir = tempfile::tempdir().unwrap();
    let ps_link = dir.path().join("ps");
    std::os::unix::fs::symlink(crate::util::binary(), &ps_link).unwrap();
    let cases: Vec<(std::path::PathBuf, std::path::PathBuf, Vec<&str>)> = vec![
        (
            links.ours.join("pgrep"),
            links.peer.join("pgrep"),
            vec!["-c", "."],
        ),
        (
            links.ours.join("pgrep"),
            links.peer.join("pgrep"),
            vec!["-c", "no-such-name-xyz"],
        ),
        (
            links.ours.join("pgrep"),
            links.peer.join("pgrep"),
            vec!["no-such-name-xyz"],
        ),
        (links.ours.join("kill"), links.peer.join("kill"), vec!["-l"]),
        (ps_link.clone(), crate::util::which("ps"), vec!["aux"]),
        (
            ps_link.clone(),
            crate::util::which("ps"),
            vec!["-p", "999999999"],
        ),
    ];
    for (ours, peer, args) in &cases {
        for closed in [false, true] {
            let theirs = status_with_broken_stdout(peer, args, closed);
            let mine = status_with_broken_stdout(ours, args, closed);
            assert_eq!(mine, theirs, "{ours:?} {args:?}, stdout closed: {closed}");
        }
    }
    // Not vacuous: the full cases fail for both.
    assert_eq!(
        status_with_broken_stdout(&links.ours.join("pgrep"), &["-c", "."], false),
        Some(1)
    );
}
