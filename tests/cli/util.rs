//! Helpers shared by the integration tests: a hermetic command for the
//! binary, golden files, and children with distinctive names.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;

/// The fixed "now" of the fixture tree: 2026-11-26T10:00:00Z.
pub const FIXTURE_NOW: &str = "1795687200";

/// Variables of the caller's environment that change what proctl or its
/// peers print: colors, widths, procps's format, personality and POSIX mode.
pub const OUTPUT_VARIABLES: [&str; 12] = [
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "LINES",
    "PS_FORMAT",
    "PS_PERSONALITY",
    "CMD_ENV",
    "I_WANT_A_BROKEN_PS",
    "_XPG",
    "PROCTL_PROC_ROOT",
    "PROCTL_NOW",
];

/// Removes [`OUTPUT_VARIABLES`] from a command's environment.
pub fn without_output_variables(cmd: &mut StdCommand) -> &mut StdCommand {
    for var in OUTPUT_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}

/// `proctl` with an environment that cannot change its output.
pub fn proctl() -> Command {
    let mut cmd = Command::cargo_bin("proctl").expect("binary built");
    for var in OUTPUT_VARIABLES {
        cmd.env_remove(var);
    }
    cmd
}

/// This test process's pid as text: `-P` with it keeps a pattern to the
/// test's own children (another run of the suite has the same names).
pub fn own_pid_text() -> String {
    std::process::id().to_string()
}

/// The path of the built binary.
pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("proctl")
}

/// The fixture /proc tree.
pub fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proc")
}

/// `proctl` reading the fixture tree at its fixed time, in UTC, in a UTF-8
/// locale (as procps, proctl escapes names by the locale's character set).
pub fn fixture() -> Command {
    let mut cmd = proctl();
    cmd.env("PROCTL_NOW", FIXTURE_NOW)
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .arg("--proc-root")
        .arg(fixture_root());
    cmd
}

/// Compares output with `tests/golden/NAME`; PROCTL_BLESS=1 rewrites the file.
pub fn assert_golden(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("PROCTL_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected =
        std::fs::read(&path).unwrap_or_else(|_| panic!("missing golden file {}", path.display()));
    assert!(
        expected == actual,
        "output differs from {}:\n--- expected\n{}\n--- actual\n{}",
        path.display(),
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual)
    );
}

/// A child process that is killed, with its process group when it leads
/// one, and reaped when dropped.
pub struct Reaped(pub Child);

impl Reaped {
    pub fn pid(&self) -> i32 {
        self.0.id() as i32
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        use nix::sys::wait::{Id, WaitPidFlag, waitid};
        let pid = self.pid();
        // Until the leader is reaped its pid cannot be reused, so the group
        // of that number is ours. Once the test has reaped it, the number
        // is still ours while no process has it (members left in the group
        // keep it reserved); a process that has it now is another one.
        let unreaped = waitid(
            Id::Pid(nix::unistd::Pid::from_raw(pid)),
            WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT,
        )
        .is_ok();
        if unreaped || !Path::new(&format!("/proc/{pid}")).exists() {
            let group = nix::unistd::Pid::from_raw(-pid);
            let _ = nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGKILL);
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `program` through a symlink named `name`, so that its process name
/// is `name`, in a process group of its own (so that its children die with
/// it). `Command::spawn` returns once the exec has happened.
pub fn spawn_named(dir: &Path, name: &str, program: &str, args: &[&str]) -> Reaped {
    let link = dir.join(name);
    let target = which(program);
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(target, &link).expect("symlink");
    let child = StdCommand::new(&link)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn child");
    Reaped(child)
}

/// Starts `python3 -c SCRIPT ARGS...` (stdin null, a process group of its
/// own, so that its children die with it) and waits for the first line it
/// prints, which says it is ready; returns it with that line.
pub fn python_ready(script: &str, args: &[&std::ffi::OsStr]) -> (Reaped, String) {
    use std::io::{BufRead, BufReader};
    let mut child = StdCommand::new(which("python3"))
        .args(["-c", script])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("start python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("python3's first line");
    (Reaped(child), line)
}

/// A `sleep 3600` child in its own process group.
pub fn sleep_child() -> Reaped {
    Reaped(
        StdCommand::new(which("sleep"))
            .arg("3600")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start sleep"),
    )
}

/// The full path of a program on PATH.
pub fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{program} not found on PATH"))
}

/// Runs a command and returns its stdout as text, asserting success.
pub fn stdout_of(cmd: &mut StdCommand) -> String {
    let out = cmd.output().expect("run command");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Whether the tests run as root (needed to drop privileges).
pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Runs proctl as the unprivileged user nobody (through setpriv).
pub fn as_nobody(args: &[&str]) -> std::process::Output {
    StdCommand::new(which("setpriv"))
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(binary())
        .args(args)
        .output()
        .expect("run setpriv (util-linux)")
}

/// Gives a child the default action for the signals tests send, and an
/// empty signal mask: a test run under `nohup` (HUP ignored) or in the
/// background of a shell (INT and QUIT ignored) would otherwise hand the
/// ignoring on, and a shell cannot trap a signal ignored when it started.
pub fn with_default_signals(cmd: &mut StdCommand) -> &mut StdCommand {
    use nix::sys::signal::{SigHandler, SigSet, SigmaskHow, Signal, signal, sigprocmask};
    // SAFETY: between fork and exec only async-signal-safe calls are made:
    // signal(2) and sigprocmask(2).
    unsafe {
        cmd.pre_exec(|| {
            for sig in [
                Signal::SIGHUP,
                Signal::SIGINT,
                Signal::SIGQUIT,
                Signal::SIGUSR1,
                Signal::SIGUSR2,
                Signal::SIGTERM,
                Signal::SIGPIPE,
                Signal::SIGTSTP,
            ] {
                signal(sig, SigHandler::SigDfl).map_err(std::io::Error::from)?;
            }
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)
                .map_err(std::io::Error::from)
        })
    }
}

/// A new pseudo-terminal as (master, slave), both close-on-exec from the
/// moment they exist, with the window size `size` when given. openpty(3)
/// leaves both inheritable: a child another test starts at that moment
/// would hold them, and a read of the master that waits for EIO (the last
/// slave closed) would block until that stranger exits. A child that needs
/// the slave gets it as a `Stdio`, whose dup2 clears close-on-exec.
pub fn cloexec_pty(
    size: Option<&nix::pty::Winsize>,
) -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use nix::fcntl::OFlag;
    use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
    use std::os::unix::fs::OpenOptionsExt;
    let master = nix::pty::posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
        .expect("posix_openpt");
    // posix_openpt(3) documents only O_RDWR and O_NOCTTY; glibc passes
    // the flags on to open(2). Make sure this libc did.
    let flags = nix::fcntl::fcntl(&master, nix::fcntl::FcntlArg::F_GETFD).expect("F_GETFD");
    assert!(
        nix::fcntl::FdFlag::from_bits_truncate(flags).contains(nix::fcntl::FdFlag::FD_CLOEXEC),
        "posix_openpt ignored O_CLOEXEC"
    );
    nix::pty::grantpt(&master).expect("grantpt");
    nix::pty::unlockpt(&master).expect("unlockpt");
    let name = nix::pty::ptsname_r(&master).expect("ptsname_r");
    // std opens every file close-on-exec.
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(nix::libc::O_NOCTTY)
        .open(&name)
        .unwrap_or_else(|e| panic!("open {name}: {e}"));
    if let Some(size) = size {
        // SAFETY: TIOCSWINSZ reads one winsize from a valid pointer.
        let rc = unsafe { nix::libc::ioctl(slave.as_raw_fd(), nix::libc::TIOCSWINSZ, size) };
        assert_eq!(rc, 0, "TIOCSWINSZ: {}", std::io::Error::last_os_error());
    }
    // SAFETY: the descriptor is the master's, whose ownership into_raw_fd
    // gives up.
    let master = unsafe { OwnedFd::from_raw_fd(master.into_raw_fd()) };
    (master, OwnedFd::from(slave))
}
