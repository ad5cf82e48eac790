//! The child's environment: inherited or cleared, then changed by `-e`,
//! `--unset` and `--env-file` in command-line order.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

use crate::error::{Error, Result};

/// One change to the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvOp {
    Set(OsString, OsString),
    Unset(OsString),
    /// KEY=VALUE lines from a file, applied in file order.
    File(std::path::PathBuf),
}

/// An environment as an ordered map.
pub type Env = BTreeMap<OsString, OsString>;

/// Parses `-e KEY=VALUE` (`KEY=` sets an empty value).
pub fn parse_assignment(text: &OsStr) -> Result<(OsString, OsString)> {
    let bytes = text.as_bytes();
    match bytes.iter().position(|&b| b == b'=') {
        Some(0) | None => Err(Error::usage(format!(
            "invalid --env '{}': use KEY=VALUE",
            super::shown(text)
        ))),
        Some(i) => Ok((
            OsString::from_vec(bytes[..i].to_vec()),
            OsString::from_vec(bytes[i + 1..].to_vec()),
        )),
    }
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses an env file: `KEY=VALUE` lines, `#` comments, blank lines, an
/// optional `export ` prefix, and single- or double-quoted values. A
/// malformed line is an error naming `FILE:LINE`.
pub fn parse_env_file(path: &Path, text: &str) -> Result<Vec<(OsString, OsString)>> {
    let mut pairs = Vec::new();
    // A UTF-8 byte order mark, as some editors write, is not part of the
    // first name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| {
            Error::Failed(format!(
                "{}:{}: {why}: {}",
                super::shown(path),
                n + 1,
                super::shown(raw)
            ))
        };
        let line = line
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(bad("expected KEY=VALUE"));
        };
        let key = key.trim_end();
        if !valid_key(key) {
            return Err(bad("invalid variable name"));
        }
        let value = value.trim_start();
        let value = if let Some(rest) = value.strip_prefix('"') {
            let Some(end) = closing_double_quote(rest) else {
                return Err(bad("unterminated double quote"));
            };
            if !only_comment(&rest[end + 1..]) {
                return Err(bad("text after the closing quote"));
            }
            unescape_double(&rest[..end])
        } else if let Some(rest) = value.strip_prefix('\'') {
            let Some(end) = rest.find('\'') else {
                return Err(bad("unterminated single quote"));
            };
            if !only_comment(&rest[end + 1..]) {
                return Err(bad("text after the closing quote"));
            }
            rest[..end].to_string()
        } else {
            // An unquoted value ends at a comment that follows whitespace.
            let v = match value.find(" #") {
                Some(i) => &value[..i],
                None => value,
            };
            v.trim_end().to_string()
        };
        pairs.push((OsString::from(key), OsString::from(value)));
    }
    Ok(pairs)
}

/// Where a double-quoted value ends (a `"` not escaped by a backslash).
fn closing_double_quote(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

/// Nothing, blanks, or blanks and a `#` comment.
fn only_comment(rest: &str) -> bool {
    let rest = rest.trim_start();
    rest.is_empty() || rest.starts_with('#')
}

fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Builds the child's environment.
pub fn build_env(start: Env, clear: bool, ops: &[EnvOp]) -> Result<Env> {
    let mut env = if clear { Env::new() } else { start };
    for op in ops {
        match op {
            EnvOp::Set(k, v) => {
                env.insert(k.clone(), v.clone());
            }
            EnvOp::Unset(k) => {
                env.remove(k);
            }
            EnvOp::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::Failed(format!(
                        "cannot read env file {}: {}",
                        super::shown(path),
                        super::files::plain(&e)
                    ))
                })?;
                for (k, v) in parse_env_file(path, &text)? {
                    env.insert(k, v);
                }
            }
        }
    }
    Ok(env)
}

/// The lines `--dry-run` prints for the environment: `+KEY=VALUE` for
/// added or changed variables, `-KEY` for removed ones.
pub fn env_diff(before: &Env, after: &Env) -> Vec<String> {
    let mut lines = Vec::new();
    for (k, v) in after {
        if before.get(k) != Some(v) {
            lines.push(format!("+{}={}", super::shown(k), super::shown(v)));
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            lines.push(format!("-{}", super::shown(k)));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> OsString {
        OsString::from(s)
    }

    #[test]
    fn assignments() {
        assert_eq!(
            parse_assignment(OsStr::new("A=1")).unwrap(),
            (os("A"), os("1"))
        );
        assert_eq!(
            parse_assignment(OsStr::new("A=")).unwrap(),
            (os("A"), os(""))
        );
        assert_eq!(
            parse_assignment(OsStr::new("A=b=c")).unwrap(),
            (os("A"), os("b=c"))
        );
        assert!(parse_assignment(OsStr::new("=1")).is_err());
        assert!(parse_assignment(OsStr::new("A")).is_err());
    }

    #[test]
    fn env_files() {
        let text = "# comment\n\nA=1\nexport B = two\nC=\"quoted # not a comment\\n\"\nD='single $x'\nE=plain # trailing comment\nF=\n";
        let pairs = parse_env_file(Path::new("x.env"), text).unwrap();
        assert_eq!(
            pairs,
            vec![
                (os("A"), os("1")),
                (os("B"), os("two")),
                (os("C"), os("quoted # not a comment\n")),
                (os("D"), os("single $x")),
                (os("E"), os("plain")),
                (os("F"), os("")),
            ]
        );
    }

    #[test]
    fn comments_after_quotes_and_a_byte_order_mark() {
        let text = "\u{feff}A=1\nB=\"x # y\" # note\nC='z'   # note\nD=\"e\\\"q\"\n";
        let pairs = parse_env_file(Path::new("x.env"), text).unwrap();
        assert_eq!(
            pairs,
            vec![
                (os("A"), os("1")),
                (os("B"), os("x # y")),
                (os("C"), os("z")),
                (os("D"), os("e\"q")),
            ]
        );
        assert!(parse_env_file(Path::new("x.env"), "A=\"x\" y\n").is_err());
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = parse_env_file(Path::new("app.env"), "A=1\nnot a pair\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("app.env:2: expected KEY=VALUE"), "{err}");
        let err = parse_env_file(Path::new("app.env"), "A=\"open\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("app.env:1: unterminated double quote"),
            "{err}"
        );
        assert!(parse_env_file(Path::new("e"), "1A=x").is_err());
    }

    #[test]
    fn later_operations_win_in_order() {
        let start: Env = [
            (os("KEEP"), os("k")),
            (os("DROP"), os("d")),
            (os("X"), os("old")),
        ]
        .into_iter()
        .collect();
        let ops = vec![
            EnvOp::Set(os("X"), os("1")),
            EnvOp::Unset(os("DROP")),
            EnvOp::Set(os("X"), os("2")),
        ];
        let env = build_env(start.clone(), false, &ops).unwrap();
        assert_eq!(env.get(&os("X")), Some(&os("2")));
        assert!(!env.contains_key(&os("DROP")));
        assert_eq!(
            env_diff(&start, &env),
            vec!["+X=2".to_string(), "-DROP".to_string()]
        );
        let env = build_env(start, true, &[EnvOp::Set(os("ONLY"), os("1"))]).unwrap();
        assert_eq!(env.len(), 1);
    }
}
