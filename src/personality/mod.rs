//! The procps personalities: a link to proctl named `kill`, `pkill`,
//! `pgrep` or `pidwait` behaves as procps-ng 4.0.2's tool of that name,
//! with its options, output and exit statuses. Each is a front end: its
//! own grammar parsed into a plain plan, then run with proctl's process
//! model and pidfd-based delivery. They never ask for confirmation.

mod deliver;
mod escape;
mod getopt;
mod kill;
mod pgrep_args;
mod pgrep_run;
mod pidfile;
mod posix_regex;
mod sigtab;

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::error::Exit;
use crate::model::ProcSource;
use pgrep_args::Mode;

/// How the program names itself in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// argv[0]'s last component (`pgrep`).
    pub short: String,
    /// argv[0] as given (`./pgrep`), which getopt's messages use.
    pub full: String,
    /// The name on procps's own messages: pgrep uses the short name, kill
    /// the name as given.
    pub errors: String,
}

impl Program {
    /// `NAME: MESSAGE\n`, as procps's error(3) calls print it.
    pub fn message(&self, msg: &str) -> String {
        format!("{}: {msg}\n", self.errors)
    }
}

/// An end before (or instead of) running: what to print and the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub code: u8,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Stop {
    /// Text on stdout, status 0 (help, version, listings).
    pub fn out(text: String) -> Stop {
        Stop {
            code: 0,
            stdout: text.into_bytes(),
            stderr: Vec::new(),
        }
    }

    /// The usage on stderr, status 2 (pgrep's syntax errors).
    pub fn usage(text: String) -> Stop {
        Stop::fail(2, text)
    }

    /// A message on stderr with this status.
    pub fn fail(code: u8, stderr: String) -> Stop {
        Stop {
            code,
            stdout: Vec::new(),
            stderr: stderr.into_bytes(),
        }
    }
}

/// The personality a program name selects, if any.
fn mode_of(name: &[u8]) -> Option<Option<Mode>> {
    match name {
        b"kill" => Some(None),
        b"pgrep" => Some(Some(Mode::Pgrep)),
        b"pkill" => Some(Some(Mode::Pkill)),
        b"pidwait" => Some(Some(Mode::Pidwait)),
        _ => None,
    }
}

/// Runs the personality argv[0] names, if it names one.
pub fn dispatch(args: &[OsString]) -> Option<Exit> {
    let argv0 = args.first()?;
    let short = Path::new(argv0).file_name()?.as_bytes().to_vec();
    let mode = mode_of(&short)?;
    let short = String::from_utf8_lossy(&short).into_owned();
    let full = argv0.to_string_lossy().into_owned();
    let prog = Program {
        errors: if mode.is_some() {
            short.clone()
        } else {
            full.clone()
        },
        short,
        full,
    };
    // As procps: the locale decides the regex's character rules and how
    // names are escaped.
    // SAFETY: no other thread exists yet; the argument is a valid C string.
    unsafe { nix::libc::setlocale(nix::libc::LC_ALL, c"".as_ptr()) };
    let rest: Vec<Vec<u8>> = args[1..].iter().map(|a| a.as_bytes().to_vec()).collect();
    let source = ProcSource::new(None);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(crate::startup::StandardOutput::new(stdout.lock()));
    let mut err = std::io::stderr().lock();
    let result = match mode {
        None => {
            kill::parse(&prog, &rest).map(|plan| kill::run(&prog, &plan, source.root(), &mut err))
        }
        Some(mode) => pgrep_args::parse(&prog, mode, &rest)
            .and_then(|plan| pgrep_run::run(&prog, mode, &plan, &source, &mut out, &mut err)),
    };
    let code = match result {
        Ok(code) => code,
        Err(stop) => {
            let _ = out.write_all(&stop.stdout);
            let _ = out.flush();
            let _ = err.write_all(&stop.stderr);
            stop.code
        }
    };
    let flushed = out.flush();
    // pgrep, pkill and pidwait end as procps's close_stdout ends them: a
    // failed write is "write error", exit 1 (a reader that left is not:
    // `pgrep x | head -1`). procps's kill never checks.
    let code = match flushed {
        Err(e) if mode.is_some() && e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = err.write_all(
                prog.message(&format!("write error: {}", crate::error::plain(&e)))
                    .as_bytes(),
            );
            1
        }
        _ => code,
    };
    Some(match code {
        0 => Exit::Success,
        1 => Exit::Failure,
        2 => Exit::Usage,
        n => Exit::Child(n),
    })
}
