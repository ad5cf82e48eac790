//! `proctl spawn` on a real terminal (a private tmux server): a child in
//! its own group holds the terminal's foreground, reads it, and gets
//! Ctrl+C, Ctrl+\ and Ctrl+Z once; job control (fg) keeps working.

use std::process::{Command as StdCommand, Output, Stdio};

use crate::spawn::eventually;
use crate::util::{binary, which};

/// A tmux server of its own (-L), holding none of the test's descriptors,
/// killed when dropped; one session, a window of 200x30.
pub struct Tmux {
    tmux: std::path::PathBuf,
    pub session: String,
}

impl Tmux {
    /// Starts the server with `command` as the session's program.
    pub fn start(name: &str, command: &str) -> Tmux {
        let Ok(tmux) = std::panic::catch_unwind(|| which("tmux")) else {
            panic!("tmux is needed for this test (apt-get install tmux)");
        };
        let t = Tmux {
            tmux,
            session: format!("{name}{}", std::process::id()),
        };
        let started = t.run(&[
            "new-session",
            "-d",
            "-s",
            &t.session.clone(),
            "-x",
            "200",
            "-y",
            "30",
            command,
        ]);
        assert!(started.status.success(), "tmux did not start");
        t
    }

    /// Runs a tmux command against this server.
    pub fn run(&self, args: &[&str]) -> Output {
        StdCommand::new(&self.tmux)
            .args(["-L", &self.session])
            .args(args)
            .env_remove("TMUX")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()
            .unwrap()
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["capture-pane", "-p", "-t", &self.session])
                .stdout,
        )
        .into_owned()
    }

    /// Types keys (tmux key names: "C-c", "Enter", or text).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend(keys);
        self.run(&args);
    }

    /// Waits until the screen satisfies `f`.
    pub fn wait_for(&self, what: &str, f: impl Fn(&str) -> bool) {
        let mut last = String::new();
        let shown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            eventually(what, || {
                last = self.screen();
                f(&last)
            })
        }));
        if shown.is_err() {
            panic!("timed out waiting for {what}; the screen:\n{last}");
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// Whether `pid` is not stopped and its group is its terminal's
/// foreground group (from /proc/PID/stat: state, ppid, pgrp, session,
/// tty_nr, tpgid).
fn runs_in_the_foreground(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let f: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    f.len() > 5 && f[0] != "T" && f[2] == f[5]
}

fn lines_equal(screen: &str, text: &str) -> usize {
    screen.lines().filter(|l| l.trim_end() == text).count()
}

fn shell() -> String {
    format!(
        "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=screen P={} bash --norc --noprofile",
        binary().display()
    )
}

#[test]
fn new_group_cat_reads_the_terminal_and_job_control_works() {
    let t = Tmux::start("pxterm", &shell());
    t.keys(&["PS1='$ '", "Enter"]);
    // Typed only once cat runs: what is typed while the shell still has
    // the terminal in its own mode may not reach cat as a line.
    t.keys(&[
        "\"$P\" spawn --new-group -- sh -c 'echo go1; exec cat'; echo rc=$?",
        "Enter",
    ]);
    t.wait_for("cat to start", |s| lines_equal(s, "go1") == 1);
    t.keys(&["hello", "Enter"]);
    // The terminal's echo and cat's copy: cat could read the terminal.
    t.wait_for("cat to echo a line", |s| lines_equal(s, "hello") == 2);
    t.keys(&["C-c"]);
    t.wait_for("Ctrl+C to end cat", |s| s.contains("rc=130"));
    t.keys(&[
        "\"$P\" spawn --new-group -- sh -c 'echo go2 $$; exec cat'",
        "Enter",
    ]);
    t.wait_for("cat to start again", |s| s.contains("\ngo2 "));
    let cat: i32 = t
        .screen()
        .split("\ngo2 ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    t.keys(&["abc", "Enter"]);
    t.wait_for("cat to echo again", |s| lines_equal(s, "abc") == 2);
    t.keys(&["C-z"]);
    t.wait_for("the job to stop and the prompt", |s| {
        s.contains("Stopped") && s.lines().rfind(|l| !l.trim().is_empty()) == Some("$")
    });
    t.keys(&["fg; echo rc2=$?", "Enter"]);
    // Typed once cat runs again and holds the terminal (see above).
    eventually("cat to run in the foreground again", || {
        runs_in_the_foreground(cat)
    });
    t.keys(&["again", "Enter"]);
    t.wait_for("cat to read after fg", |s| lines_equal(s, "again") == 2);
    t.keys(&["C-d"]);
    t.wait_for("cat to end at end of file", |s| s.contains("rc2=0"));
}

#[test]
fn started_in_the_background_then_fg_hands_the_terminal_to_the_child() {
    let t = Tmux::start("pxbgfg", &shell());
    t.keys(&["PS1='$ '", "Enter"]);
    // In the background cat's read stops it (SIGTTIN); proctl follows the
    // stop, and `fg` must give the terminal to cat's group.
    t.keys(&[
        "\"$P\" spawn --new-group -- sh -c 'echo go=$$; exec cat' &",
        "Enter",
    ]);
    // Printed after the prompt, on its line: the job runs in the background.
    let printed = |s: &str| -> Option<i32> {
        s.split("go=")
            .skip(1)
            .find_map(|r| r.split_whitespace().next()?.parse().ok())
    };
    t.wait_for("cat to start", |s| printed(s).is_some());
    let cat = printed(&t.screen()).unwrap();
    t.keys(&["fg; echo rc=$?", "Enter"]);
    eventually("cat to hold the terminal's foreground", || {
        runs_in_the_foreground(cat)
    });
    t.keys(&["later", "Enter"]);
    t.wait_for("cat to read after fg", |s| lines_equal(s, "later") == 2);
    t.keys(&["C-d"]);
    t.wait_for("cat to end at end of file", |s| s.contains("rc=0"));
}

#[test]
fn terminal_keys_reach_a_child_in_its_own_group_once() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("keys.log");
    let t = Tmux::start("pxkeys", &shell());
    let script = format!(
        "trap 'echo INT >> {0}' INT; trap 'echo QUIT >> {0}' QUIT; echo ready $$; while :; do sleep 0.05; done",
        log.display()
    );
    t.keys(&["PS1='$ '", "Enter"]);
    t.keys(&[
        &format!("\"$P\" spawn --new-group -- sh -c \"{script}\"; echo rc=$?"),
        "Enter",
    ]);
    t.wait_for("the child to start", |s| s.contains("\nready "));
    let child: i32 = t
        .screen()
        .split("\nready ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    let logged = || std::fs::read_to_string(&log).unwrap_or_default();
    t.keys(&["C-c"]);
    eventually("INT in the log", || logged().contains("INT"));
    t.keys(&["C-\\"]);
    eventually("QUIT in the log", || logged().contains("QUIT"));
    // A third key ends it; by then any duplicate would be in the log.
    t.keys(&["C-z"]);
    t.wait_for("the job to stop", |s| s.contains("Stopped"));
    assert_eq!(logged(), "INT\nQUIT\n");
    // SAFETY: kill(2) on the group this test started.
    unsafe { nix::libc::kill(-child, nix::libc::SIGKILL) };
}
