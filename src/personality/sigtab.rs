//! Signal names and numbers exactly as procps-ng 4.0.2 reads and prints
//! them (kill(1), pkill(1)): its 31 names, `SIG` prefixes, `CLD`, `IO`,
//! `IOT`, `EXIT`/`NULL` for 0, `RTMIN` and `RTMIN+N`, numbers up to
//! 127 - SIGRTMIN, and the `kill -l` and `kill -L` layouts. proctl's own
//! `signal::parse_signal` is stricter (it refuses numbers with no signal)
//! and knows RTMAX, which procps 4.0.2 does not.

/// procps 4.0.2's table on Linux, in signal-number order (1..=31).
const NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
    "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
];

/// Aliases procps accepts when reading a name.
const ALIASES: [(&str, i32); 5] = [
    ("CLD", 17),
    ("IO", 29),
    ("IOT", 6),
    ("EXIT", 0),
    ("NULL", 0),
];

/// The C library's first real-time signal.
pub fn rt_min() -> i32 {
    nix::libc::SIGRTMIN()
}

/// C's strtol on the whole text: leading white space, a sign, digits, and
/// nothing after them; `None` when that fails. The flag says the value
/// overflowed (strtol then clamps it and sets ERANGE).
pub fn strtol_parse(text: &[u8]) -> Option<(i64, bool)> {
    let mut i = 0;
    while i < text.len() && matches!(text[i], b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
        i += 1;
    }
    let negative = match text.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits = &text[i..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut value: i128 = 0;
    for &d in digits {
        value = (value * 10 + i128::from(d - b'0')).min(i128::from(u64::MAX) + 1);
    }
    if negative {
        value = -value;
    }
    let clamped = value.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
    Some((clamped as i64, clamped != value))
}

/// [`strtol_parse`]'s value (clamped on overflow).
pub fn strtol_whole(text: &[u8]) -> Option<i64> {
    strtol_parse(text).map(|(v, _)| v)
}

/// procps's `signal_name_to_number`: the number, or `None` (its -1).
pub fn name_to_number(text: &[u8]) -> Option<i32> {
    let name = strip_sig(text);
    let upper = name.to_ascii_uppercase();
    if let Some(&(_, n)) = ALIASES[..3].iter().find(|a| a.0.as_bytes() == upper) {
        return Some(n);
    }
    if let Some(i) = NAMES.iter().position(|n| n.as_bytes() == upper) {
        return Some(i as i32 + 1);
    }
    if upper == b"RTMIN" {
        return Some(rt_min());
    }
    if upper == b"EXIT" || upper == b"NULL" {
        return Some(0);
    }
    let (digits, offset) = match upper.strip_prefix(b"RTMIN+") {
        Some(rest) => (&name[name.len() - rest.len()..], rt_min()),
        None => (name, 0),
    };
    let value = strtol_whole(digits)?;
    if value < 0 || value + i64::from(rt_min()) > 127 {
        return None;
    }
    Some(value as i32 + offset)
}

fn strip_sig(text: &[u8]) -> &[u8] {
    if text.len() >= 3 && text[..3].eq_ignore_ascii_case(b"SIG") {
        &text[3..]
    } else {
        text
    }
}

/// `kill -l NAME|NUMBER` (procps's `strtosig`): a number for a name, a
/// name for a number, from the 31 names only; `None` when unknown.
pub fn translate(text: &[u8]) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let p = upper.strip_prefix(b"SIG").unwrap_or(&upper);
    if p.first().is_some_and(u8::is_ascii_digit) {
        // procps reads the number from the text as given, so `SIG9` is no
        // number (procps 4.0.2 then aborts in free(); proctl says unknown).
        let n = strtol_whole(text)?;
        if n != 0 {
            return (1..=31)
                .contains(&n)
                .then(|| NAMES[(n - 1) as usize].to_string());
        }
    }
    NAMES
        .iter()
        .position(|n| n.as_bytes() == p)
        .map(|i| (i + 1).to_string())
}

/// `kill -l`: the 31 names, wrapped as procps wraps them.
pub fn list() -> String {
    let mut out = String::new();
    let mut pos = 0;
    for (i, name) in NAMES.iter().enumerate() {
        if i > 0 {
            if pos > 73 {
                pos = 0;
                out.push('\n');
            } else {
                pos += 1;
                out.push(' ');
            }
        }
        out.push_str(name);
        pos += name.len();
    }
    out.push('\n');
    out
}

/// `kill -L`: seven `NN NAME` cells a line, each padded to 11 columns.
pub fn table() -> String {
    let mut out = String::new();
    for (i, name) in NAMES.iter().enumerate() {
        let n = i + 1;
        let cell = format!("{n:2} {name}");
        out.push_str(&cell);
        if !n.is_multiple_of(7) {
            out.push_str(&" ".repeat(11usize.saturating_sub(cell.len())));
        } else {
            out.push('\n');
        }
    }
    if !NAMES.len().is_multiple_of(7) {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_numbers_and_aliases() {
        for (text, n) in [
            ("HUP", Some(1)),
            ("sigterm", Some(15)),
            ("SIGcld", Some(17)),
            ("io", Some(29)),
            ("IOT", Some(6)),
            ("exit", Some(0)),
            ("0", Some(0)),
            ("+9", Some(9)),
            (" 9", Some(9)),
            ("93", Some(93)),
            ("94", None),
            ("-9", None),
            ("9x", None),
            ("", None),
            ("RTMAX", None),
            ("l", None),
        ] {
            assert_eq!(name_to_number(text.as_bytes()), n, "{text}");
        }
        assert_eq!(name_to_number(b"RTMIN+2"), Some(rt_min() + 2));
        assert_eq!(name_to_number(b"rtmin"), Some(rt_min()));
    }

    #[test]
    fn translation_knows_only_the_table() {
        assert_eq!(translate(b"HUP").as_deref(), Some("1"));
        assert_eq!(translate(b"sigkill").as_deref(), Some("9"));
        assert_eq!(translate(b"1").as_deref(), Some("HUP"));
        for unknown in ["0", "35", "143", "9abc", "EXIT", "iot", "rtmin", "SIG9"] {
            assert_eq!(translate(unknown.as_bytes()), None, "{unknown}");
        }
    }

    #[test]
    fn layouts() {
        assert_eq!(
            list(),
            "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\n\
             CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\n"
        );
        let table = table();
        assert!(
            table.starts_with(" 1 HUP      2 INT      3 QUIT"),
            "{table}"
        );
        assert!(table.ends_with("31 SYS     \n"), "{table:?}");
    }
}
