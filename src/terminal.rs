//! Facts about where output goes: a terminal or not, how wide it is, and
//! whether the terminal is one that takes colors.

use std::ffi::OsStr;
use std::io::IsTerminal;

/// The output's terminal, if it is one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    pub is_tty: bool,
    /// Width in cells: COLUMNS when set, else the terminal's own.
    pub width: Option<usize>,
}

impl Terminal {
    /// Looks at stdout.
    pub fn stdout() -> Terminal {
        let stdout = std::io::stdout();
        let is_tty = stdout.is_terminal();
        let from_env = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| parse_columns(&c));
        let width = from_env.or_else(|| {
            if is_tty {
                terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0 as usize)
            } else {
                None
            }
        });
        Terminal { is_tty, width }
    }
}

/// COLUMNS as psmisc and procps read it: C's `strtol(text, &end, 0)`, so
/// leading blanks, a sign, `0x` (hex) and `0` (octal) prefixes are taken,
/// and the whole text must be the number; it must be positive and below
/// 0x7fffffff. Anything else is ignored (the terminal's width is used).
pub fn parse_columns(text: &str) -> Option<usize> {
    let s = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (16, hex)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = i64::from_str_radix(digits, radix).ok()?;
    let value = if negative { -value } else { value };
    (value > 0 && value < 0x7fff_ffff).then_some(value as usize)
}

/// Whether TERM names a terminal that takes colors: set, not empty and not
/// `dumb` (the convention of git, ls, grep and most color-aware tools).
pub fn term_allows_color(term: Option<&OsStr>) -> bool {
    term.is_some_and(|t| !t.is_empty() && t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_as_strtol_reads_them() {
        assert_eq!(parse_columns("80"), Some(80));
        assert_eq!(parse_columns("0x50"), Some(80));
        assert_eq!(parse_columns("0X50"), Some(80));
        assert_eq!(parse_columns("050"), Some(40));
        assert_eq!(parse_columns("  +72"), Some(72));
        for bad in [
            "",
            "0",
            "-5",
            "80x",
            "0x",
            "08",
            " ",
            "abc",
            "2147483647",
            "99999999999999999999",
        ] {
            assert_eq!(parse_columns(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dumb_or_missing_terminals_take_no_color() {
        assert!(term_allows_color(Some(OsStr::new("xterm-256color"))));
        assert!(!term_allows_color(Some(OsStr::new("dumb"))));
        assert!(!term_allows_color(Some(OsStr::new(""))));
        assert!(!term_allows_color(None));
    }
}
