//! Helpers for the tests of the procps personalities: proctl run as
//! `pgrep`/`pkill`/`pidwait`/`kill` through a link, procps's own tools run
//! the same way, children with unique names, private pid namespaces with a
//! known set of processes, and a child that records the signals (and
//! sigqueue values) it receives.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::util::{Reaped, binary};

/// What a run printed and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Ran {
    fn from(out: Output) -> Ran {
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// A directory with links named like procps's tools: `ours` to proctl,
/// `peer` to procps's binaries.
pub struct Links {
    _dir: tempfile::TempDir,
    pub ours: PathBuf,
    pub peer: PathBuf,
}

/// procps's tools, where Debian installs them.
fn peer_binary(name: &str) -> PathBuf {
    match name {
        "kill" => PathBuf::from("/usr/bin/kill"),
        "pidwait" => PathBuf::from("/usr/bin/pidwait"),
        _ => PathBuf::from("/usr/bin/pgrep"),
    }
}

impl Links {
    pub fn new() -> Links {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("ours");
        let peer = dir.path().join("peer");
        std::fs::create_dir(&ours).unwrap();
        std::fs::create_dir(&peer).unwrap();
        for name in ["pgrep", "pkill", "pidwait", "kill"] {
            std::os::unix::fs::symlink(binary(), ours.join(name)).unwrap();
            std::os::unix::fs::symlink(peer_binary(name), peer.join(name)).unwrap();
        }
        Links {
            _dir: dir,
            ours,
            peer,
        }
    }

    /// A command for proctl's link `name`, with argv[0] `name` (as a shell
    /// finding it on PATH would give it) and a fixed locale.
    pub fn ours(&self, name: &str) -> Command {
        command(&self.ours.join(name), name)
    }

    /// The same for procps's tool.
    pub fn peer(&self, name: &str) -> Command {
        command(&self.peer.join(name), name)
    }

    /// Runs proctl's link.
    pub fn run(&self, name: &str, args: &[&str]) -> Ran {
        self.ours(name).args(args).output().unwrap().into()
    }

    /// Runs both and asserts the same stdout, stderr and status.
    pub fn same(&self, name: &str, args: &[&str]) -> Ran {
        self.same_in("C.UTF-8", name, args)
    }

    /// [`Links::same`] in a given locale (LC_ALL).
    pub fn same_in(&self, locale: &str, name: &str, args: &[&str]) -> Ran {
        let run = |mut cmd: Command| -> Ran {
            cmd.args(args)
                .env("LC_ALL", locale)
                .output()
                .unwrap()
                .into()
        };
        let peer = run(self.peer(name));
        let ours = run(self.ours(name));
        assert_eq!(
            ours, peer,
            "LC_ALL={locale} {name} {args:?}: proctl (left) and procps (right) differ"
        );
        ours
    }
}

/// Whether procps's tools are installed (the differential tests need them).
pub fn have_peer() -> bool {
    Path::new("/usr/bin/pgrep").exists()
        && Path::new("/usr/bin/pidwait").exists()
        && Path::new("/usr/bin/kill").exists()
}

fn command(path: &Path, name: &str) -> Command {
    let mut cmd = Command::new(path);
    crate::util::without_output_variables(&mut cmd);
    cmd.arg0(name)
        .env("LC_ALL", "C.UTF-8")
        .env_remove("POSIXLY_CORRECT")
        .stdin(Stdio::null());
    cmd
}

/// A name no other process has: the tag and this test process's pid, at
/// most 15 characters (the kernel's limit for process names). It ends in a
/// letter: pkill's patterns match substrings, and `pxpk1234` would match
/// another run's `pxpk12345`.
pub fn unique(tag: &str) -> String {
    let name = format!("px{tag}{}z", std::process::id());
    assert!(name.len() <= 15, "{name} is too long for a process name");
    name
}

/// Starts `sleep` through a link named `name` (its process name), in a
/// process group of its own.
pub fn sleeper(dir: &Path, name: &str) -> Reaped {
    crate::util::spawn_named(dir, name, "sleep", &["1000"])
}

/// Polls `ready` until it holds, at most 20 s.
pub fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A private pid namespace (`unshare --pid --fork --mount-proc`) whose
/// init runs `script` (sh) and then sleeps; commands run inside it with
/// nsenter, so they see only its processes.
pub struct Namespace {
    /// Killing unshare kills the namespace's init, and with it the rest.
    _unshare: Reaped,
    /// The outer pid of the namespace's init.
    init: i32,
}

impl Namespace {
    /// Starts the namespace; `script` must start its processes and may not
    /// block. `settled` names processes to wait for (by process name, as
    /// seen inside).
    pub fn start(links: &Links, script: &str, settled: &[&str]) -> Namespace {
        let full = format!("{script}\nexec sleep 100000");
        let child = Command::new("unshare")
            .args([
                "--pid",
                "--fork",
                "--mount-proc",
                "--kill-child",
                "sh",
                "-c",
            ])
            .arg(&full)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("unshare (util-linux)");
        let unshare = Reaped(child);
        let children = format!("/proc/{0}/task/{0}/children", unshare.pid());
        let mut init = 0;
        wait_for("the namespace's init", || {
            init = std::fs::read_to_string(&children)
                .ok()
                .and_then(|s| s.split_whitespace().next().and_then(|p| p.parse().ok()))
                .unwrap_or(0);
            init != 0
        });
        let ns = Namespace {
            _unshare: unshare,
            init,
        };
        for name in settled {
            ns.wait_until(links, &["-x", name]);
        }
        // The init has replaced sh with sleep once the script is done.
        wait_for("the init's exec", || {
            std::fs::read_to_string(format!("/proc/{}/comm", ns.init)).is_ok_and(|c| c == "sleep\n")
        });
        ns
    }

    /// A command run inside: `./NAME` in `dir` (so that argv[0] is the
    /// same for proctl's link and procps's tool).
    pub fn command(&self, dir: &Path, name: &str) -> Command {
        let mut cmd = Command::new("nsenter");
        cmd.arg(format!("--target={}", self.init))
            .args(["--pid", "--mount"])
            .arg(format!("--wd={}", dir.display()))
            .arg("--")
            .arg(format!("./{name}"))
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null());
        cmd
    }

    /// Waits until procps's pgrep finds something with these arguments.
    pub fn wait_until(&self, links: &Links, args: &[&str]) {
        wait_for(&format!("pgrep {args:?} in the namespace"), || {
            self.command(&links.peer, "pgrep")
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success())
        });
    }

    /// Runs proctl's link and procps's tool inside on the same arguments
    /// and asserts the same output and status.
    pub fn same(&self, links: &Links, name: &str, args: &[&str]) -> Ran {
        let peer: Ran = self
            .command(&links.peer, name)
            .args(args)
            .output()
            .unwrap()
            .into();
        let ours: Ran = self
            .command(&links.ours, name)
            .args(args)
            .output()
            .unwrap()
            .into();
        assert_eq!(
            ours, peer,
            "{name} {args:?} in a namespace: proctl (left) and procps (right) differ"
        );
        ours
    }
}

/// A child that records each signal it receives, as procps's test_process
/// prints them: `SIG SIGUSR1`, or `SIG SIGUSR1 value=42` for a queued one.
/// It exits after TERM.
pub struct SignalRecorder {
    pub child: Reaped,
    log: PathBuf,
}

const RECORDER_ENV: &str = "PROCTL_TEST_SIGNAL_RECORDER";

impl SignalRecorder {
    /// Starts the recorder under the process name `name` (the test binary
    /// itself, run through a link so named; see `signal_recorder_child`).
    pub fn start(dir: &Path, name: &str) -> SignalRecorder {
        SignalRecorder::start_with(dir, name, &[])
    }

    /// The same, with extra arguments first on its command line.
    pub fn start_with(dir: &Path, name: &str, extra: &[&str]) -> SignalRecorder {
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let link = dir.join(name);
        if !link.exists() {
            std::os::unix::fs::symlink(std::env::current_exe().unwrap(), &link).unwrap();
        }
        let n = STARTED.fetch_add(1, Ordering::Relaxed);
        let log = dir.join(format!("{name}-{n}.log"));
        let child = Command::new(&link)
            .args(extra)
            .args([
                "--exact",
                "procps_peer::signal_recorder_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(RECORDER_ENV, &log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let rec = SignalRecorder {
            child: Reaped(child),
            log,
        };
        wait_for("the recorder", || {
            rec.lines().first().is_some_and(|l| l == "ready")
        });
        rec
    }

    pub fn pid(&self) -> i32 {
        self.child.pid()
    }

    fn lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Waits (bounded) until `n` signals were recorded; returns them.
    pub fn caught(&self, n: usize) -> Vec<String> {
        wait_for("recorded signals", || self.lines().len() > n);
        self.lines()[1..].to_vec()
    }

    /// The signals recorded so far.
    pub fn so_far(&self) -> Vec<String> {
        self.lines().into_iter().skip(1).collect()
    }
}

static PIPE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn record(signo: i32, info: *mut nix::libc::siginfo_t, _: *mut nix::libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo to an SA_SIGINFO handler;
    // write(2) is async-signal-safe.
    unsafe {
        let code = (*info).si_code;
        let value = (*info).si_value().sival_ptr as usize as i32;
        let record = [signo, code, value];
        nix::libc::write(
            PIPE.load(Ordering::Relaxed),
            record.as_ptr().cast(),
            std::mem::size_of_val(&record),
        );
    }
}

/// Not a test of proctl: the body of [`SignalRecorder`]'s child, which is
/// this test binary run with the recorder's variable set. Run normally,
/// it returns at once.
#[test]
fn signal_recorder_child() {
    let Some(log) = std::env::var_os(RECORDER_ENV) else {
        return;
    };
    use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
    let (read_end, write_end) = nix::unistd::pipe().unwrap();
    PIPE.store(
        std::os::fd::IntoRawFd::into_raw_fd(write_end),
        Ordering::Relaxed,
    );
    let action = SigAction::new(
        SigHandler::SigAction(record),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    // Signals blocked by whoever started the tests (perf blocks WINCH in
    // its workload) would never arrive.
    nix::sys::signal::sigprocmask(
        nix::sys::signal::SigmaskHow::SIG_SETMASK,
        Some(&SigSet::empty()),
        None,
    )
    .unwrap();
    // Every signal that can be caught.
    for s in Signal::iterator().filter(|s| !matches!(s, Signal::SIGKILL | Signal::SIGSTOP)) {
        // SAFETY: the handler only calls write(2).
        unsafe { sigaction(s, &action) }.unwrap();
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    file.write_all(b"ready\n").unwrap();
    let mut reader = std::fs::File::from(read_end);
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let mut buf = [0u8; 12];
        if std::io::Read::read_exact(&mut reader, &mut buf).is_err() {
            break;
        }
        let word = |i: usize| i32::from_ne_bytes(buf[i * 4..i * 4 + 4].try_into().unwrap());
        let (signo, code, value) = (word(0), word(1), word(2));
        let name = Signal::try_from(signo).map_or("SIG?", |s| s.as_str());
        let line = if code == nix::libc::SI_QUEUE {
            format!("SIG {name} value={value}\n")
        } else {
            format!("SIG {name}\n")
        };
        file.write_all(line.as_bytes()).unwrap();
        if signo == nix::libc::SIGTERM {
            break;
        }
    }
}
