//! Signal names and numbers (any case, with or without SIG, RTMIN+n and
//! RTMAX-n), their default actions, and the tables `kill -l` and `-L` print.

pub mod deliver;
pub mod grammar;
pub mod tree;

use std::fmt;

use crate::error::{Error, Result, closest};

/// What a signal does to a process that does not handle it (signal(7)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultAction {
    Terminate,
    Core,
    Stop,
    Continue,
    Ignore,
}

impl fmt::Display for DefaultAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DefaultAction::Terminate => "terminate",
            DefaultAction::Core => "core",
            DefaultAction::Stop => "stop",
            DefaultAction::Continue => "continue",
            DefaultAction::Ignore => "ignore",
        })
    }
}

/// The standard signals of Linux on x86 and ARM: number, name, default
/// action, description (signal(7)).
const STANDARD: &[(i32, &str, DefaultAction, &str)] = &[
    (
        1,
        "HUP",
        DefaultAction::Terminate,
        "hangup of the controlling terminal, or reload",
    ),
    (
        2,
        "INT",
        DefaultAction::Terminate,
        "interrupt from the keyboard (Ctrl+C)",
    ),
    (
        3,
        "QUIT",
        DefaultAction::Core,
        "quit from the keyboard (Ctrl+\\)",
    ),
    (4, "ILL", DefaultAction::Core, "illegal instruction"),
    (5, "TRAP", DefaultAction::Core, "trace or breakpoint trap"),
    (6, "ABRT", DefaultAction::Core, "abort"),
    (
        7,
        "BUS",
        DefaultAction::Core,
        "bus error (bad memory access)",
    ),
    (8, "FPE", DefaultAction::Core, "floating-point exception"),
    (
        9,
        "KILL",
        DefaultAction::Terminate,
        "kill (cannot be caught or ignored)",
    ),
    (
        10,
        "USR1",
        DefaultAction::Terminate,
        "user-defined signal 1",
    ),
    (11, "SEGV", DefaultAction::Core, "invalid memory reference"),
    (
        12,
        "USR2",
        DefaultAction::Terminate,
        "user-defined signal 2",
    ),
    (
        13,
        "PIPE",
        DefaultAction::Terminate,
        "write to a pipe with no readers",
    ),
    (
        14,
        "ALRM",
        DefaultAction::Terminate,
        "timer signal from alarm(2)",
    ),
    (15, "TERM", DefaultAction::Terminate, "termination request"),
    (
        16,
        "STKFLT",
        DefaultAction::Terminate,
        "stack fault on coprocessor (unused)",
    ),
    (
        17,
        "CHLD",
        DefaultAction::Ignore,
        "child stopped or terminated",
    ),
    (18, "CONT", DefaultAction::Continue, "continue if stopped"),
    (
        19,
        "STOP",
        DefaultAction::Stop,
        "stop (cannot be caught or ignored)",
    ),
    (
        20,
        "TSTP",
        DefaultAction::Stop,
        "stop typed at the terminal (Ctrl+Z)",
    ),
    (
        21,
        "TTIN",
        DefaultAction::Stop,
        "terminal input for a background process",
    ),
    (
        22,
        "TTOU",
        DefaultAction::Stop,
        "terminal output for a background process",
    ),
    (
        23,
        "URG",
        DefaultAction::Ignore,
        "urgent condition on a socket",
    ),
    (24, "XCPU", DefaultAction::Core, "CPU time limit exceeded"),
    (25, "XFSZ", DefaultAction::Core, "file size limit exceeded"),
    (
        26,
        "VTALRM",
        DefaultAction::Terminate,
        "virtual alarm clock",
    ),
    (
        27,
        "PROF",
        DefaultAction::Terminate,
        "profiling timer expired",
    ),
    (28, "WINCH", DefaultAction::Ignore, "window resize"),
    (29, "IO", DefaultAction::Terminate, "I/O now possible"),
    (30, "PWR", DefaultAction::Terminate, "power failure"),
    (31, "SYS", DefaultAction::Core, "bad system call"),
];

/// Other names for standard signals.
const ALIASES: &[(&str, i32)] = &[("IOT", 6), ("CLD", 17), ("POLL", 29), ("UNUSED", 31)];

/// A signal number that proctl can send (1..=64, but not the two the C
/// library reserves), or 0, which only checks that a process exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signal(i32);

fn rt_min() -> i32 {
    nix::libc::SIGRTMIN()
}

fn rt_max() -> i32 {
    nix::libc::SIGRTMAX()
}

impl Signal {
    pub const TERM: Signal = Signal(15);
    pub const KILL: Signal = Signal(9);
    pub const STOP: Signal = Signal(19);
    pub const CONT: Signal = Signal(18);
    pub const INT: Signal = Signal(2);

    /// The signal with this number, if it can be sent.
    pub fn from_number(n: i32) -> Option<Signal> {
        let valid = n == 0 || (1..=31).contains(&n) || (rt_min()..=rt_max()).contains(&n);
        valid.then_some(Signal(n))
    }

    /// The number.
    pub fn number(self) -> i32 {
        self.0
    }

    /// The name without `SIG`: `TERM`, `RTMIN+3`, `RTMAX-1`, `0`.
    pub fn name(self) -> String {
        let n = self.0;
        if let Some(&(_, name, _, _)) = STANDARD.iter().find(|s| s.0 == n) {
            return name.to_string();
        }
        let (min, max) = (rt_min(), rt_max());
        if n == min {
            "RTMIN".to_string()
        } else if n == max {
            "RTMAX".to_string()
        } else if n > min && n - min <= (max - min) / 2 {
            format!("RTMIN+{}", n - min)
        } else if n > min && n < max {
            format!("RTMAX-{}", max - n)
        } else {
            n.to_string()
        }
    }

    /// What the signal does by default.
    pub fn default_action(self) -> DefaultAction {
        STANDARD
            .iter()
            .find(|s| s.0 == self.0)
            .map_or(DefaultAction::Terminate, |s| s.2)
    }

    /// A one-line description.
    pub fn description(self) -> String {
        match STANDARD.iter().find(|s| s.0 == self.0) {
            Some(s) => s.3.to_string(),
            None if self.0 == 0 => "no signal: only check that the process exists".to_string(),
            None => format!("real-time signal {}", self.name()),
        }
    }

    /// Every sendable signal, in number order.
    pub fn all() -> Vec<Signal> {
        (1..=31).chain(rt_min()..=rt_max()).map(Signal).collect()
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Parses a signal: a number, or a name in any case with or without SIG
/// (`term`, `SIGTERM`, `RTMIN+2`, `SIGRTMAX-1`).
pub fn parse_signal(text: &str) -> Result<Signal> {
    let bad = |hint: Option<&str>| {
        let hint = hint
            .map(|h| format!(" (did you mean {h}?)"))
            .unwrap_or_default();
        Error::usage(format!(
            "unknown signal '{text}'{hint}; see proctl signal --list"
        ))
    };
    let t = text.trim();
    if let Ok(n) = t.parse::<i32>() {
        return Signal::from_number(n).ok_or_else(|| bad(None));
    }
    let upper = t.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if let Some(s) = STANDARD.iter().find(|s| s.1 == name) {
        return Ok(Signal(s.0));
    }
    if let Some(&(_, n)) = ALIASES.iter().find(|a| a.0 == name) {
        return Ok(Signal(n));
    }
    let rt = |base: i32, rest: &str, sign: i32| -> Option<Signal> {
        let offset: i32 = if rest.is_empty() {
            0
        } else {
            rest.parse().ok()?
        };
        Signal::from_number(base + sign * offset).filter(|s| s.0 >= rt_min())
    };
    let parsed = if let Some(rest) = name.strip_prefix("RTMIN") {
        rest.strip_prefix('+').map_or_else(
            || {
                if rest.is_empty() {
                    rt(rt_min(), "", 1)
                } else {
                    None
                }
            },
            |r| rt(rt_min(), r, 1),
        )
    } else if let Some(rest) = name.strip_prefix("RTMAX") {
        rest.strip_prefix('-').map_or_else(
            || {
                if rest.is_empty() {
                    rt(rt_max(), "", 1)
                } else {
                    None
                }
            },
            |r| rt(rt_max(), r, -1),
        )
    } else {
        None
    };
    parsed.ok_or_else(|| {
        let names = STANDARD.iter().map(|s| s.1).chain(["RTMIN", "RTMAX"]);
        bad(closest(name, names))
    })
}

/// `kill -l`: every name on one line.
pub fn names_line() -> String {
    let names: Vec<String> = Signal::all().into_iter().map(Signal::name).collect();
    names.join(" ") + "\n"
}

/// `signal --list` and `kill -L`: number, name, default action, description.
pub fn table_text() -> String {
    let mut out = String::from("NUM NAME        ACTION     DESCRIPTION\n");
    for s in Signal::all() {
        out.push_str(&format!(
            "{:>3} {:<11} {:<10} {}\n",
            s.number(),
            s.name(),
            s.default_action().to_string(),
            s.description()
        ));
    }
    out
}

/// `kill -l N` or `kill -l NAME`: the name of a number, or the number of a
/// name. A number above 128 is read as an exit status (128 + signal), as
/// kill(1) does.
pub fn translate(text: &str) -> Result<String> {
    if let Ok(n) = text.trim().parse::<i32>() {
        let n = if n > 128 { n - 128 } else { n };
        let s = Signal::from_number(n)
            .filter(|s| s.0 != 0)
            .ok_or_else(|| Error::usage(format!("unknown signal number {text}")))?;
        return Ok(s.name());
    }
    Ok(parse_signal(text)?.number().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_case_with_or_without_sig() {
        for text in ["TERM", "term", "SIGTERM", "sigterm", "15", "SigTerm"] {
            assert_eq!(parse_signal(text).unwrap(), Signal::TERM, "{text}");
        }
        assert_eq!(parse_signal("kill").unwrap().number(), 9);
        assert_eq!(parse_signal("CLD").unwrap().number(), 17);
        assert_eq!(parse_signal("0").unwrap().number(), 0);
    }

    #[test]
    fn realtime_signals() {
        let min = rt_min();
        let max = rt_max();
        assert_eq!(parse_signal("RTMIN").unwrap().number(), min);
        assert_eq!(parse_signal("SIGRTMIN+2").unwrap().number(), min + 2);
        assert_eq!(parse_signal("rtmax-1").unwrap().number(), max - 1);
        assert_eq!(parse_signal("RTMAX").unwrap().number(), max);
        assert_eq!(Signal(min + 2).name(), "RTMIN+2");
        assert_eq!(Signal(max - 1).name(), "RTMAX-1");
        assert!(parse_signal("RTMIN+99").is_err());
        assert!(parse_signal("RTMAX+1").is_err());
        assert!(parse_signal("32").is_err(), "reserved by the C library");
    }

    #[test]
    fn unknown_names_suggest_the_closest() {
        let err = parse_signal("TREM").unwrap_err().to_string();
        assert!(
            err.contains("unknown signal 'TREM'") && err.contains("did you mean TERM"),
            "{err}"
        );
        assert!(parse_signal("65").is_err());
        assert!(parse_signal("-1").is_err());
    }

    #[test]
    fn translation_like_kill_l() {
        assert_eq!(translate("15").unwrap(), "TERM");
        assert_eq!(translate("TERM").unwrap(), "15");
        assert_eq!(translate("137").unwrap(), "KILL");
        assert!(translate("99").is_err());
    }

    #[test]
    fn tables_list_every_signal() {
        assert!(names_line().starts_with("HUP INT QUIT"));
        let table = table_text();
        assert!(
            table.contains(" 15 TERM        terminate  termination request"),
            "{table}"
        );
        assert!(table.contains(" 19 STOP        stop"));
        assert_eq!(table.lines().count(), 1 + Signal::all().len());
    }
}
