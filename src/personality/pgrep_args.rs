//! pgrep's, pkill's and pidwait's command line (procps-ng 4.0.2, pgrep(1),
//! pkill(1), pidwait(1)) parsed into a plain [`PgrepPlan`]: the same
//! options for each name, the same diagnostics, the same exit statuses.

use std::ffi::CString;

use nix::libc;

use super::getopt::{Getopt, HasArg, LongOpt, OptError, long};
use super::sigtab;
use super::{Program, Stop};

/// Which of the three tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pgrep,
    Pkill,
    Pidwait,
}

/// Everything the command line asked for, resolved (names to ids, the
/// pidfile read), before any process is looked at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PgrepPlan {
    pub signal: i32,
    /// `-q`: send with sigqueue(3) and this value.
    pub queue: Option<i32>,
    pub echo: bool,
    pub count: bool,
    pub delimiter: Vec<u8>,
    /// `-l`: list the name.
    pub list_name: bool,
    /// `-a`: list the command line.
    pub list_full: bool,
    pub negate: bool,
    /// `-w`: threads too.
    pub threads: bool,
    pub full: bool,
    pub ignore_case: bool,
    pub exact: bool,
    pub newest: bool,
    pub oldest: bool,
    /// `-O SECONDS` (0: no limit).
    pub older: i32,
    pub pgrps: Option<Vec<i64>>,
    pub rgids: Option<Vec<i64>>,
    /// From `-F`: pids matched against the thread-group id.
    pub pids: Option<Vec<i64>>,
    pub ppids: Option<Vec<i64>>,
    pub sids: Option<Vec<i64>>,
    pub terminals: Option<Vec<Vec<u8>>>,
    pub euids: Option<Vec<i64>>,
    pub ruids: Option<Vec<i64>>,
    pub cgroups: Option<Vec<Vec<u8>>>,
    pub runstates: Option<Vec<u8>>,
    /// `--ns PID`: the process whose namespaces must be shared.
    pub ns_pid: i32,
    /// Which namespaces `--ns` compares (bits in procps's order).
    pub ns_flags: u32,
    pub ignore_ancestors: bool,
    pub pattern: Option<Vec<u8>>,
}

/// Namespaces in procps's order (the bit numbers of `ns_flags`).
pub const NAMESPACES: [&str; 8] = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"];

/// Keys for the long options that have no short letter.
const SIGNAL: char = '\u{100}';
const NS: char = '\u{101}';
const NSLIST: char = '\u{102}';
const CGROUP: char = '\u{103}';

/// Every long option, for every name (procps registers them all, so
/// `pkill --inverse` works though `pkill -v` does not).
const LONGS: &[LongOpt] = &[
    long("signal", HasArg::Required, SIGNAL),
    long("ignore-ancestors", HasArg::No, 'A'),
    long("count", HasArg::No, 'c'),
    long("cgroup", HasArg::Required, CGROUP),
    long("delimiter", HasArg::Required, 'd'),
    long("list-name", HasArg::No, 'l'),
    long("list-full", HasArg::No, 'a'),
    long("full", HasArg::No, 'f'),
    long("pgroup", HasArg::Required, 'g'),
    long("group", HasArg::Required, 'G'),
    long("ignore-case", HasArg::No, 'i'),
    long("newest", HasArg::No, 'n'),
    long("oldest", HasArg::No, 'o'),
    long("older", HasArg::Required, 'O'),
    long("parent", HasArg::Required, 'P'),
    long("session", HasArg::Required, 's'),
    long("terminal", HasArg::Required, 't'),
    long("euid", HasArg::Required, 'u'),
    long("uid", HasArg::Required, 'U'),
    long("inverse", HasArg::No, 'v'),
    long("lightweight", HasArg::No, 'w'),
    long("exact", HasArg::No, 'x'),
    long("pidfile", HasArg::Required, 'F'),
    long("logpidfile", HasArg::No, 'L'),
    long("echo", HasArg::No, 'e'),
    long("ns", HasArg::Required, NS),
    long("nslist", HasArg::Required, NSLIST),
    long("queue", HasArg::Required, 'q'),
    long("runstates", HasArg::Required, 'r'),
    long("help", HasArg::No, 'h'),
    long("version", HasArg::No, 'V'),
];

/// The short options each name takes.
fn shorts(mode: Mode) -> String {
    let own = match mode {
        Mode::Pidwait => "e",
        Mode::Pkill => "eq:",
        Mode::Pgrep => "lad:vw",
    };
    format!("{own}LF:cfinoxP:O:Ag:s:u:U:G:t:r:?Vh")
}

/// pgrep(1)'s usage text for this name.
pub fn usage(prog: &Program, mode: Mode) -> String {
    let own = match mode {
        Mode::Pgrep => concat!(
            " -d, --delimiter <string>  specify output delimiter\n",
            " -l, --list-name           list PID and process name\n",
            " -a, --list-full           list PID and full command line\n",
            " -v, --inverse             negates the matching\n",
            " -w, --lightweight         list all TID\n",
        ),
        Mode::Pkill => concat!(
            " -<sig>, --signal <sig>    signal to send (either number or name)\n",
            " -q, --queue <value>       integer value to be sent with the signal\n",
            " -e, --echo                display what is killed\n",
        ),
        Mode::Pidwait => " -e, --echo                display PIDs before waiting\n",
    };
    format!(
        "\nUsage:\n {} [options] <pattern>\n\nOptions:\n{own}{}",
        prog.short,
        concat!(
            " -c, --count               count of matching processes\n",
            " -f, --full                use full process name to match\n",
            " -g, --pgroup <PGID,...>   match listed process group IDs\n",
            " -G, --group <GID,...>     match real group IDs\n",
            " -i, --ignore-case         match case insensitively\n",
            " -n, --newest              select most recently started\n",
            " -o, --oldest              select least recently started\n",
            " -O, --older <seconds>     select where older than seconds\n",
            " -P, --parent <PPID,...>   match only child processes of the given parent\n",
            " -s, --session <SID,...>   match session IDs\n",
            " -t, --terminal <tty,...>  match by controlling terminal\n",
            " -u, --euid <ID,...>       match by effective IDs\n",
            " -U, --uid <ID,...>        match by real IDs\n",
            " -x, --exact               match exactly with the command name\n",
            " -F, --pidfile <file>      read PIDs from file\n",
            " -L, --logpidfile          fail if PID file is not locked\n",
            " -r, --runstates <state>   match runstates [D,S,Z,...]\n",
            " -A, --ignore-ancestors    exclude our ancestors from results\n",
            " --cgroup <grp,...>        match by cgroup v2 names\n",
            " --ns <PID>                match the processes that belong to the same\n",
            "                           namespace as <pid>\n",
            " --nslist <ns,...>         list which namespaces will be considered for\n",
            "                           the --ns option.\n",
            "                           Available namespaces: ipc, mnt, net, pid, user, uts\n",
            "\n",
            " -h, --help     display this help and exit\n",
            " -V, --version  output version information and exit\n",
            "\nFor more details see pgrep(1).\n",
        )
    )
}

/// procps's `strict_atol`: an optional sign and digits only (an empty
/// text is 0); `None` on anything else or overflow.
fn strict_atol(text: &[u8]) -> Option<i64> {
    let (sign, digits) = match text.first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => (1, text),
    };
    let mut value: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() || value >= i64::MAX / 10 {
            return None;
        }
        value *= 10;
        let digit = i64::from(d - b'0');
        if value >= i64::MAX - digit {
            return None;
        }
        value += digit;
    }
    Some(sign * value)
}

/// C's atoi: leading blanks, a sign, digits up to the first other byte,
/// wrapped to an int as glibc's strtol-based atoi does.
pub fn atoi(text: &[u8]) -> i32 {
    let start = text
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .unwrap_or(text.len());
    let rest = &text[start..];
    let sign_len = usize::from(matches!(rest.first(), Some(b'+' | b'-')));
    let digits = rest[sign_len..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    sigtab::strtol_whole(&rest[..sign_len + digits]).map_or(0, |v| v as i32)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn lookup_user(name: &[u8]) -> Option<i64> {
    let c = CString::new(name).ok()?;
    nix::unistd::User::from_name(c.to_str().ok()?)
        .ok()
        .flatten()
        .map(|u| i64::from(u.uid.as_raw()))
}

fn lookup_group(name: &[u8]) -> Option<i64> {
    let c = CString::new(name).ok()?;
    nix::unistd::Group::from_name(c.to_str().ok()?)
        .ok()
        .flatten()
        .map(|g| i64::from(g.gid.as_raw()))
}

/// One list item's conversion: the value, or the warning procps prints
/// before exiting 2 (`None` for a silent refusal).
type Convert = fn(&[u8]) -> Result<i64, Option<String>>;

fn conv_uid(t: &[u8]) -> Result<i64, Option<String>> {
    strict_atol(t)
        .or_else(|| lookup_user(t))
        .ok_or_else(|| Some(format!("invalid user name: {}", lossy(t))))
}

fn conv_gid(t: &[u8]) -> Result<i64, Option<String>> {
    strict_atol(t)
        .or_else(|| lookup_group(t))
        .ok_or_else(|| Some(format!("invalid group name: {}", lossy(t))))
}

fn conv_pgrp(t: &[u8]) -> Result<i64, Option<String>> {
    match strict_atol(t) {
        // SAFETY: getpgrp cannot fail.
        Some(0) => Ok(i64::from(unsafe { libc::getpgrp() })),
        Some(n) => Ok(n),
        None => Err(Some(format!("invalid process group: {}", lossy(t)))),
    }
}

fn conv_sid(t: &[u8]) -> Result<i64, Option<String>> {
    match strict_atol(t) {
        // SAFETY: getsid(0) asks about this process and cannot fail.
        Some(0) => Ok(i64::from(unsafe { libc::getsid(0) })),
        Some(n) => Ok(n),
        None => Err(Some(format!("invalid session id: {}", lossy(t)))),
    }
}

fn conv_num(t: &[u8]) -> Result<i64, Option<String>> {
    strict_atol(t).ok_or_else(|| Some(format!("not a number: {}", lossy(t))))
}

/// procps's `split_list`: comma-separated items; `Ok(None)` for an empty
/// text (which procps answers with its usage).
fn split_numbers(text: &[u8], convert: Convert) -> Result<Option<Vec<i64>>, Option<String>> {
    if text.is_empty() {
        return Ok(None);
    }
    text.split(|&b| b == b',')
        .map(convert)
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn split_strings(text: &[u8]) -> Option<Vec<Vec<u8>>> {
    (!text.is_empty()).then(|| text.split(|&b| b == b',').map(<[u8]>::to_vec).collect())
}

/// procps's `signal_option`: pkill takes the first `-SIGNAL` argument
/// anywhere on the line as the signal, before reading options.
fn take_signal(args: &mut Vec<Vec<u8>>) -> Option<i32> {
    let at = args
        .iter()
        .position(|a| a.first() == Some(&b'-') && sigtab::name_to_number(&a[1..]).is_some())?;
    let arg = args.remove(at);
    sigtab::name_to_number(&arg[1..])
}

/// Parses the arguments (argv[1..]) for this name.
pub fn parse(prog: &Program, mode: Mode, args: &[Vec<u8>]) -> Result<PgrepPlan, Stop> {
    let mut args = args.to_vec();
    let mut plan = PgrepPlan {
        signal: libc::SIGTERM,
        delimiter: b"\n".to_vec(),
        ns_flags: 0x3f,
        ..PgrepPlan::default()
    };
    if mode == Mode::Pkill
        && let Some(sig) = take_signal(&mut args)
    {
        plan.signal = sig;
    }
    let usage_error = || Stop::usage(usage(prog, mode));
    let warn_exit = |msg: Option<String>| match msg {
        Some(m) => Stop::fail(2, prog.message(&m)),
        None => Stop::fail(2, String::new()),
    };
    let shorts = shorts(mode);
    let mut getopt = Getopt::new(&args, &shorts, LONGS);
    let mut criteria = 0;
    let mut lock = false;
    let mut pidfile: Option<Vec<u8>> = None;
    for item in getopt.by_ref() {
        let opt = match item {
            Ok(opt) => opt,
            Err(e) => return Err(getopt_failure(prog, &e, usage(prog, mode))),
        };
        let value = opt.value.clone().unwrap_or_default();
        let numbers = |convert: Convert| match split_numbers(&value, convert) {
            Ok(Some(list)) => Ok(list),
            Ok(None) => Err(usage_error()),
            Err(msg) => Err(warn_exit(msg)),
        };
        match opt.key {
            SIGNAL => {
                plan.signal = sigtab::name_to_number(&value).unwrap_or(-1);
                if plan.signal == -1 && value.first().is_some_and(u8::is_ascii_digit) {
                    plan.signal = atoi(&value);
                }
            }
            'e' => plan.echo = true,
            'F' => {
                pidfile = Some(value);
                criteria += 1;
            }
            'G' => {
                plan.rgids = Some(numbers(conv_gid)?);
                criteria += 1;
            }
            'L' => lock = true,
            'P' => {
                plan.ppids = Some(numbers(conv_num)?);
                criteria += 1;
            }
            'U' => {
                plan.ruids = Some(numbers(conv_uid)?);
                criteria += 1;
            }
            'V' => {
                return Err(Stop::out(format!(
                    "{} from procps-ng 4.0.2 (proctl {})\n",
                    prog.short,
                    env!("CARGO_PKG_VERSION")
                )));
            }
            'c' => plan.count = true,
            'd' => plan.delimiter = value,
            'f' => plan.full = true,
            'g' => {
                plan.pgrps = Some(numbers(conv_pgrp)?);
                criteria += 1;
            }
            'i' => {
                // procps answers a second -i with its usage, on stdout, status 0.
                if plan.ignore_case {
                    return Err(Stop::out(usage(prog, mode)));
                }
                plan.ignore_case = true;
            }
            'l' => plan.list_name = true,
            'a' => plan.list_full = true,
            'A' => plan.ignore_ancestors = true,
            'n' | 'o' | 'v' => {
                if plan.newest || plan.oldest || plan.negate {
                    return Err(usage_error());
                }
                match opt.key {
                    'n' => plan.newest = true,
                    'o' => plan.oldest = true,
                    _ => plan.negate = true,
                }
                if opt.key != 'v' {
                    criteria += 1;
                }
            }
            'O' => {
                plan.older = atoi(&value);
                criteria += 1;
            }
            's' => {
                plan.sids = Some(numbers(conv_sid)?);
                criteria += 1;
            }
            't' => {
                plan.terminals = Some(split_strings(&value).ok_or_else(usage_error)?);
                criteria += 1;
            }
            'u' => {
                plan.euids = Some(numbers(conv_uid)?);
                criteria += 1;
            }
            'w' => plan.threads = true,
            'x' => plan.exact = true,
            NS => {
                plan.ns_pid = atoi(&value);
                // procps 4.0.2 falls through into -r when the pid is 0 (or
                // not a number): `--ns 0` selects by run states "0".
                if plan.ns_pid == 0 {
                    plan.runstates = Some(value);
                }
                criteria += 1;
            }
            'r' => {
                plan.runstates = Some(value);
                criteria += 1;
            }
            NSLIST => {
                let names = split_strings(&value).ok_or_else(usage_error)?;
                // Each name resets the set first, so only the last counts
                // (procps 4.0.2's behaviour).
                for name in names {
                    let id = NAMESPACES
                        .iter()
                        .position(|n| n.as_bytes() == name)
                        .ok_or_else(|| Stop::fail(2, String::new()))?;
                    plan.ns_flags = 1 << id;
                }
            }
            'q' => plan.queue = Some(atoi(&value)),
            CGROUP => {
                plan.cgroups = Some(split_strings(&value).ok_or_else(usage_error)?);
                criteria += 1;
            }
            'h' => return Err(Stop::out(usage(prog, mode))),
            _ => return Err(usage_error()),
        }
    }
    let operands = std::mem::take(&mut getopt.operands);
    let try_help = |what: &str| {
        Stop::fail(
            2,
            prog.message(&format!(
                "{what}\nTry `{} --help' for more information.",
                prog.short
            )),
        )
    };
    if lock && pidfile.is_none() {
        return Err(try_help("-L without -F makes no sense"));
    }
    if let Some(path) = &pidfile {
        match super::pidfile::read_pidfile(path, lock) {
            Some(pid) => plan.pids = Some(vec![pid]),
            None => {
                return Err(Stop::fail(
                    1,
                    prog.message(&format!(
                        "pidfile not valid\nTry `{} --help' for more information.",
                        prog.short
                    )),
                ));
            }
        }
    }
    match operands.len() {
        1 => plan.pattern = operands.into_iter().next(),
        0 if criteria == 0 => return Err(try_help("no matching criteria specified")),
        0 => {}
        _ => return Err(try_help("only one pattern can be provided")),
    }
    Ok(plan)
}

/// A getopt error as procps reports it: glibc's line naming argv[0] as
/// given, then the usage on stderr, status 2.
fn getopt_failure(prog: &Program, e: &OptError, usage: String) -> Stop {
    let mut err = prog.full.clone().into_bytes();
    err.extend_from_slice(b": ");
    err.extend_from_slice(&e.message());
    err.push(b'\n');
    err.extend_from_slice(usage.as_bytes());
    Stop {
        code: 2,
        stdout: Vec::new(),
        stderr: err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prog(name: &str) -> Program {
        Program {
            short: name.to_string(),
            full: format!("./{name}"),
            errors: name.to_string(),
        }
    }

    fn plan(mode: Mode, args: &[&str]) -> Result<PgrepPlan, Stop> {
        let name = match mode {
            Mode::Pgrep => "pgrep",
            Mode::Pkill => "pkill",
            Mode::Pidwait => "pidwait",
        };
        let args: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        parse(&prog(name), mode, &args)
    }

    fn stderr_of(r: Result<PgrepPlan, Stop>) -> (u8, String) {
        let stop = r.unwrap_err();
        (stop.code, String::from_utf8(stop.stderr).unwrap())
    }

    #[test]
    fn pkill_takes_a_signal_anywhere() {
        assert_eq!(plan(Mode::Pkill, &["-e", "x", "-0"]).unwrap().signal, 0);
        assert_eq!(plan(Mode::Pkill, &["-HUP", "x"]).unwrap().signal, 1);
        assert_eq!(
            plan(Mode::Pkill, &["--signal", "usr1", "x"])
                .unwrap()
                .signal,
            10
        );
        assert_eq!(
            plan(Mode::Pkill, &["--signal", "99", "x"]).unwrap().signal,
            99
        );
        assert_eq!(
            plan(Mode::Pkill, &["--signal", "BOGUS", "x"])
                .unwrap()
                .signal,
            -1
        );
        let (code, err) = stderr_of(plan(Mode::Pkill, &["-0garbage", "x"]));
        assert_eq!(code, 2);
        assert!(
            err.starts_with("./pkill: invalid option -- '0'\n\nUsage:\n pkill"),
            "{err}"
        );
        // pgrep has no signal: -HUP is an option cluster.
        assert!(plan(Mode::Pgrep, &["-HUP", "x"]).is_err());
    }

    #[test]
    fn options_per_name() {
        assert!(plan(Mode::Pkill, &["-v", "x"]).is_err());
        assert!(plan(Mode::Pkill, &["--inverse", "x"]).unwrap().negate);
        assert!(plan(Mode::Pgrep, &["-q", "1", "x"]).is_err());
        assert_eq!(
            plan(Mode::Pkill, &["-q", "42x", "x"]).unwrap().queue,
            Some(42)
        );
        assert!(plan(Mode::Pidwait, &["-e", "x"]).unwrap().echo);
        assert!(plan(Mode::Pidwait, &["-l", "x"]).is_err());
    }

    #[test]
    fn criteria_and_patterns() {
        assert_eq!(
            stderr_of(plan(Mode::Pgrep, &[])),
            (
                2,
                "pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n"
                    .into()
            )
        );
        assert_eq!(stderr_of(plan(Mode::Pgrep, &["a", "b"])).0, 2);
        assert!(plan(Mode::Pgrep, &["-n"]).unwrap().newest);
        assert!(plan(Mode::Pgrep, &["-l"]).is_err());
        assert_eq!(
            plan(Mode::Pgrep, &["-u", ","]).unwrap().euids,
            Some(vec![0, 0])
        );
        assert_eq!(stderr_of(plan(Mode::Pgrep, &["-P", ""])).0, 2);
        assert_eq!(
            stderr_of(plan(Mode::Pgrep, &["-P", "1,x"])),
            (2, "pgrep: not a number: x\n".into())
        );
        let p = plan(Mode::Pgrep, &["--nslist", "net,pid", "--ns", "1"]).unwrap();
        assert_eq!((p.ns_pid, p.ns_flags), (1, 1 << 4));
        assert_eq!(
            plan(Mode::Pgrep, &["--ns", "abc"]).unwrap().runstates,
            Some(b"abc".to_vec())
        );
        assert_eq!(
            stderr_of(plan(Mode::Pgrep, &["--nslist", "bogus", "x"])),
            (2, String::new())
        );
        let stop = plan(Mode::Pgrep, &["-i", "-i", "x"]).unwrap_err();
        assert_eq!(stop.code, 0);
        assert!(
            stop.stdout
                .starts_with(b"\nUsage:\n pgrep [options] <pattern>")
        );
        assert_eq!(stderr_of(plan(Mode::Pgrep, &["-n", "-v", "x"])).0, 2);
    }

    #[test]
    fn number_conversions() {
        assert_eq!(strict_atol(b"+12"), Some(12));
        assert_eq!(strict_atol(b"-3"), Some(-3));
        assert_eq!(strict_atol(b""), Some(0));
        assert_eq!(strict_atol(b"1x"), None);
        assert_eq!(strict_atol(b"99999999999999999999"), None);
        assert_eq!(atoi(b" 42x"), 42);
        assert_eq!(atoi(b"abc"), 0);
        assert_eq!(atoi(b"-7"), -7);
    }
}
