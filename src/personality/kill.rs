//! kill(1) as procps-ng 4.0.2 reads it (kill(1)): `-SIGNAL` anywhere (the
//! first argument that names one), `-s`/`--signal`, `-q`/`--queue` (sent
//! with sigqueue(3)), `-l [SIGNAL]`, `-L`, PIDs and, after a signal,
//! negative process groups; then delivery through pidfds for positive pids.
//!
//! Where procps 4.0.2 is unsafe, proctl differs (see README): a negative
//! number that is not a signal is process group -N only when a signal was
//! named (4.0.2 signals pid -D, D its first digit, so `kill -9 -123`
//! signals every process); a pid outside the pid_t range is an error
//! (4.0.2 truncates it); every argument is checked before the first signal.

use std::io::Write;
use std::path::Path;

use super::deliver;
use super::getopt::{Getopt, HasArg, LongOpt, OptError, long};
use super::sigtab;
use super::{Program, Stop};

/// A kill run: the signal, an optional queued value, the targets in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KillPlan {
    /// A raw number; -1 for an unknown `-s` name, as procps passes it on.
    pub signal: i32,
    pub queue: Option<i32>,
    /// Pids (positive), process groups (negative), 0 and -1 as kill(2).
    pub targets: Vec<i32>,
}

const LONGS: &[LongOpt] = &[
    long("list", HasArg::Optional, 'l'),
    long("table", HasArg::No, 'L'),
    long("signal", HasArg::Required, 's'),
    long("help", HasArg::No, 'h'),
    long("version", HasArg::No, 'V'),
    long("queue", HasArg::Required, 'q'),
];

/// procps's options, plus `-n SIGNAL` (as bash's kill; procps refuses it).
const SHORTS: &str = "l::Ls:hVq:n:";

/// kill(1)'s usage text.
pub fn usage(prog: &Program) -> String {
    format!(
        "\nUsage:\n {} [options] <pid> [...]\n{}",
        prog.short,
        concat!(
            "\nOptions:\n",
            " <pid> [...]            send signal to every <pid> listed\n",
            " -<signal>, -s, --signal <signal>\n",
            "                        specify the <signal> to be sent\n",
            " -q, --queue <value>    integer value to be sent with the signal\n",
            " -l, --list=[<signal>]  list all signal names, or convert one to a name\n",
            " -L, --table            list all signal names in a nice table\n",
            "\n",
            " -h, --help     display this help and exit\n",
            " -V, --version  output version information and exit\n",
            "\nFor more details see kill(1).\n",
        )
    )
}

/// strtol(3) on the whole text, with its failures: `Err(None)` when it is
/// not a number, `Err(Some(ERANGE))` when out of range.
fn strtol_checked(text: &[u8]) -> Result<i64, Option<&'static str>> {
    match sigtab::strtol_parse(text) {
        Some((value, false)) => Ok(value),
        Some((_, true)) => Err(Some("Numerical result out of range")),
        None => Err(None),
    }
}

/// procps's `strtol_or_err` error: errno's text follows when set; for an
/// empty argument errno is left from start-up, which in a locale other
/// than C is the missing message catalogue's ENOENT.
fn parse_failure(prog: &Program, what: &str, text: &[u8], errno: Option<&str>) -> Stop {
    let stale = text.is_empty() && !c_locale();
    let suffix = match errno {
        Some(e) => format!(": {e}"),
        None if stale => ": No such file or directory".to_string(),
        None => String::new(),
    };
    let mut err = prog.errors.clone().into_bytes();
    err.extend_from_slice(format!(": {what}: '").as_bytes());
    err.extend_from_slice(text);
    err.extend_from_slice(format!("'{suffix}\n").as_bytes());
    Stop {
        code: 1,
        stdout: Vec::new(),
        stderr: err,
    }
}

/// Whether messages are in the C locale (LC_ALL, LC_MESSAGES, LANG).
fn c_locale() -> bool {
    let value = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    value.is_none_or(|v| v == "C" || v == "POSIX")
}

/// A pid argument: a number that fits pid_t.
fn parse_pid(prog: &Program, text: &[u8]) -> Result<i32, Stop> {
    const WHAT: &str = "failed to parse argument";
    match strtol_checked(text) {
        Ok(v) => i32::try_from(v)
            .map_err(|_| parse_failure(prog, WHAT, text, Some("Numerical result out of range"))),
        Err(errno) => Err(parse_failure(prog, WHAT, text, errno)),
    }
}

fn usage_failure(prog: &Program, letter: u8) -> Stop {
    let mut err = prog.errors.clone().into_bytes();
    err.extend_from_slice(b": invalid argument ");
    err.push(letter);
    err.push(b'\n');
    err.extend_from_slice(usage(prog).as_bytes());
    Stop {
        code: 1,
        stdout: Vec::new(),
        stderr: err,
    }
}

/// Parses argv[1..] into a plan, or the output that ends the run.
pub fn parse(prog: &Program, args: &[Vec<u8>]) -> Result<KillPlan, Stop> {
    if args.is_empty() {
        return Err(Stop {
            code: 1,
            stdout: Vec::new(),
            stderr: usage(prog).into_bytes(),
        });
    }
    let mut args = args.to_vec();
    // procps takes the first argument that names a signal, anywhere.
    let mut named = false;
    let mut signal = libc_sigterm();
    if let Some(at) = args
        .iter()
        .position(|a| a.first() == Some(&b'-') && sigtab::name_to_number(&a[1..]).is_some())
    {
        let arg = args.remove(at);
        signal = sigtab::name_to_number(&arg[1..]).unwrap_or(-1);
        named = true;
    }
    let mut queue = None;
    let mut groups: Vec<(i32, Vec<u8>)> = Vec::new();
    let mut getopt = Getopt::new(&args, SHORTS, LONGS);
    while let Some(item) = getopt.next() {
        let opt = match item {
            Ok(opt) => opt,
            Err(e) => {
                let letter = e.optopt();
                if !letter.is_ascii_digit() || matches!(e, OptError::MissingShort(_)) {
                    return Err(usage_failure(prog, letter));
                }
                // `-123`: a process group, when a signal is named.
                let text = getopt.arg(getopt.current()).unwrap_or_default().to_vec();
                groups.push((parse_pid(prog, &text)?, text));
                getopt.skip_rest();
                continue;
            }
        };
        let value = opt.value.clone().unwrap_or_default();
        match opt.key {
            'l' => {
                let given = opt.value.clone().or_else(|| {
                    getopt
                        .arg(opt.next)
                        .filter(|a| a.first() != Some(&b'-'))
                        .map(<[u8]>::to_vec)
                });
                return Err(match given {
                    None => Stop::out(sigtab::list()),
                    Some(text) => match sigtab::translate(&text) {
                        Some(answer) => Stop::out(format!("{answer}\n")),
                        None => {
                            let mut err = prog.errors.clone().into_bytes();
                            err.extend_from_slice(b": unknown signal name ");
                            err.extend_from_slice(&text);
                            err.push(b'\n');
                            Stop {
                                code: 0,
                                stdout: Vec::new(),
                                stderr: err,
                            }
                        }
                    },
                });
            }
            'L' => return Err(Stop::out(sigtab::table())),
            's' | 'n' => {
                signal = sigtab::name_to_number(&value).unwrap_or(-1);
                named = true;
            }
            'h' => return Err(Stop::out(usage(prog))),
            'V' => {
                return Err(Stop::out(format!(
                    "{} from procps-ng 4.0.2 (proctl {})\n",
                    prog.short,
                    env!("CARGO_PKG_VERSION")
                )));
            }
            'q' => match strtol_checked(&value) {
                // sigqueue's value is an int: procps truncates.
                Ok(v) => queue = Some(v as i32),
                Err(errno) => {
                    return Err(parse_failure(
                        prog,
                        "must be an integer value to be passed with the signal.",
                        &value,
                        errno,
                    ));
                }
            },
            _ => return Err(usage_failure(prog, b'?')),
        }
    }
    let operands = std::mem::take(&mut getopt.operands);
    if groups.is_empty() && operands.is_empty() {
        return Err(Stop {
            code: 1,
            stdout: Vec::new(),
            stderr: usage(prog).into_bytes(),
        });
    }
    if let Some((group, text)) = groups.iter().find(|_| !named) {
        return Err(Stop::fail(
            1,
            prog.message(&format!(
                "invalid signal {}: to signal process group {}, name the signal first ({} -TERM {})",
                String::from_utf8_lossy(text),
                -i64::from(*group),
                prog.short,
                group
            )),
        ));
    }
    let mut targets: Vec<i32> = groups.into_iter().map(|(g, _)| g).collect();
    for text in &operands {
        targets.push(parse_pid(prog, text)?);
    }
    Ok(KillPlan {
        signal,
        queue,
        targets,
    })
}

fn libc_sigterm() -> i32 {
    nix::libc::SIGTERM
}

/// Sends the signal to each target; returns the exit status.
pub fn run(prog: &Program, plan: &KillPlan, root: &Path, err: &mut dyn Write) -> u8 {
    let mut status = 0;
    for &target in &plan.targets {
        let result = if target > 0 {
            deliver::hold_pid(root, target)
                .and_then(|held| deliver::send(&held, plan.signal, plan.queue))
        } else {
            deliver::send_raw(target, plan.signal, plan.queue)
        };
        if let Err(e) = result {
            let msg = format!("({target}): {}", deliver::describe(e));
            let _ = err.write_all(prog.message(&msg).as_bytes());
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prog() -> Program {
        Program {
            short: "kill".into(),
            full: "/bin/kill".into(),
            errors: "/bin/kill".into(),
        }
    }

    fn parse_str(args: &[&str]) -> Result<KillPlan, Stop> {
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        parse(&prog(), &args)
    }

    fn plan(args: &[&str]) -> (i32, Option<i32>, Vec<i32>) {
        let p = parse_str(args).unwrap();
        (p.signal, p.queue, p.targets)
    }

    fn stop(args: &[&str]) -> (u8, String, String) {
        let s = parse_str(args).unwrap_err();
        (
            s.code,
            String::from_utf8(s.stdout).unwrap(),
            String::from_utf8(s.stderr).unwrap(),
        )
    }

    #[test]
    fn signals_anywhere_and_by_option() {
        assert_eq!(plan(&["12"]), (15, None, vec![12]));
        assert_eq!(plan(&["12", "-9"]), (9, None, vec![12]));
        assert_eq!(plan(&["-s", "hup", "12"]), (1, None, vec![12]));
        assert_eq!(plan(&["--sig=usr1", "12"]), (10, None, vec![12]));
        assert_eq!(plan(&["-n", "9", "12"]), (9, None, vec![12]));
        assert_eq!(plan(&["-s", "BOGUS", "12"]), (-1, None, vec![12]));
        assert_eq!(plan(&["-USR1", "-q", "42", "12"]), (10, Some(42), vec![12]));
        assert_eq!(plan(&["--", "-9", "12"]), (9, None, vec![12]));
        assert_eq!(plan(&["-0", "0"]), (0, None, vec![0]));
    }

    #[test]
    fn negative_numbers_need_a_signal() {
        assert_eq!(plan(&["-9", "-123"]), (9, None, vec![-123]));
        assert_eq!(plan(&["-s", "KILL", "-123", "5"]), (9, None, vec![-123, 5]));
        assert_eq!(plan(&["-9", "--", "-1"]), (9, None, vec![-1]));
        assert_eq!(plan(&["--", "-4321"]), (15, None, vec![-4321]));
        let (code, _, err) = stop(&["-123", "456"]);
        assert_eq!(code, 1);
        assert!(err.starts_with("/bin/kill: invalid signal -123"), "{err}");
        assert_eq!(
            stop(&["-9", "-5x"]).2,
            "/bin/kill: failed to parse argument: '-5x'\n"
        );
    }

    #[test]
    fn listing() {
        assert_eq!(stop(&["-l"]).1, sigtab::list());
        assert_eq!(stop(&["-l", "HUP"]).1, "1\n");
        assert_eq!(stop(&["-lSIGHUP"]).1, "1\n");
        assert_eq!(stop(&["-l1"]).1, "HUP\n");
        assert_eq!(stop(&["--list=9", "15"]).1, "KILL\n");
        assert_eq!(
            stop(&["-l", "143"]),
            (
                0,
                String::new(),
                "/bin/kill: unknown signal name 143\n".into()
            )
        );
        assert_eq!(stop(&["-L"]).1, sigtab::table());
    }

    #[test]
    fn bad_arguments() {
        let (code, _, err) = stop(&[]);
        assert_eq!(code, 1);
        assert!(err.starts_with("\nUsage:\n kill [options] <pid> [...]\n"));
        let (code, _, err) = stop(&["-x"]);
        assert_eq!(code, 1);
        assert!(err.starts_with("/bin/kill: invalid argument x\n\nUsage:"));
        assert!(
            stop(&["--foo", "1"])
                .2
                .starts_with("/bin/kill: invalid argument \0\n")
        );
        assert_eq!(
            stop(&["abc"]).2,
            "/bin/kill: failed to parse argument: 'abc'\n"
        );
        assert_eq!(
            stop(&["4294967297"]).2,
            "/bin/kill: failed to parse argument: '4294967297': Numerical result out of range\n"
        );
        assert_eq!(
            stop(&["99999999999999999999"]).2,
            "/bin/kill: failed to parse argument: '99999999999999999999': Numerical result out of range\n"
        );
        assert_eq!(
            stop(&["-q", "x", "1"]).2,
            "/bin/kill: must be an integer value to be passed with the signal.: 'x'\n"
        );
        assert_eq!(stop(&["-s", "HUP"]).0, 1);
    }
}
