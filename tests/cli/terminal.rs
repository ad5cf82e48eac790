//! Terminal rules (#15): `--color auto` colors only when stdout is a
//! terminal and TERM is set and not `dumb`; NO_COLOR turns colors off,
//! FORCE_COLOR and CLICOLOR_FORCE on.

use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{FIXTURE_NOW, binary, cloexec_pty, fixture_root};

/// Runs `proctl ps` on the fixture with stdout on a pseudo-terminal and
/// returns what it printed.
fn on_a_terminal(env: &[(&str, &str)]) -> Vec<u8> {
    let (master, slave) = cloexec_pty(None);
    let mut cmd = StdCommand::new(binary());
    for var in [
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "PROCTL_PROC_ROOT",
    ] {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .envs(env.iter().copied())
        .env("COLUMNS", "200")
        .env("PROCTL_NOW", FIXTURE_NOW)
        .env("TZ", "UTC")
        .arg("--proc-root")
        .arg(fixture_root())
        .arg("ps")
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave))
        .spawn()
        .unwrap();
    // Our copy of the terminal's slave side must be closed for the read
    // below to end (EIO) once the child has exited.
    drop(cmd);
    let mut master = std::fs::File::from(master);
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(!out.is_empty(), "{env:?}: no output");
    out
}

fn colored(env: &[(&str, &str)]) -> bool {
    on_a_terminal(env).windows(2).any(|w| w == b"\x1b[")
}

#[test]
fn auto_colors_need_a_terminal_that_takes_them() {
    assert!(colored(&[("TERM", "xterm-256color")]));
    assert!(!colored(&[("TERM", "dumb")]), "TERM=dumb");
    assert!(!colored(&[]), "TERM unset");
    assert!(!colored(&[("TERM", "")]), "TERM empty");
    assert!(!colored(&[("TERM", "xterm"), ("NO_COLOR", "1")]));
    assert!(colored(&[("TERM", "dumb"), ("FORCE_COLOR", "1")]));
    assert!(colored(&[("CLICOLOR_FORCE", "1")]));
}
