//! Escaping of untrusted text (process names, arguments, paths) so that no
//! control character or escape sequence reaches the output raw.

use std::borrow::Cow;
use std::fmt::Write;

/// Makes bytes safe to print: C0/C1 controls, DEL and bidirectional
/// overrides become `\e`, `\n`, `\t`, `\r`, `\xNN` or `\u{NNNN}`; invalid
/// UTF-8 bytes become `\xNN`. Printable text, backslashes included, stays.
pub fn escape_bytes(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes)
        && !s.chars().any(needs_escape)
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if needs_escape(c) {
                push_escaped(&mut out, c);
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\u{1b}' => out.push_str("\\e"),
        c if (c as u32) < 0x100 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        }
    }
}

/// Text for JSON: the exact string when it is valid UTF-8; otherwise each
/// invalid byte is written as `\xNN` (JSON strings cannot hold raw bytes).
pub fn json_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len() + 8);
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                for b in chunk.invalid() {
                    let _ = write!(out, "\\x{b:02x}");
                }
            }
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(
            escape_bytes(b"sleep 10 C:\\dir"),
            Cow::Borrowed("sleep 10 C:\\dir")
        ));
        assert_eq!(escape_bytes("héllo wörld".as_bytes()), "héllo wörld");
    }

    #[test]
    fn controls_and_sequences_are_escaped() {
        assert_eq!(escape_bytes(b"a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(escape_bytes(b"\x1b]0;pwned\x07"), "\\e]0;pwned\\x07");
        assert_eq!(escape_bytes(b"\x1b[2J"), "\\e[2J");
        assert_eq!(escape_bytes(b"del\x7f"), "del\\x7f");
        assert_eq!(escape_bytes("c1\u{9b}31m".as_bytes()), "c1\\x9b31m");
        assert_eq!(escape_bytes("rtl\u{202e}txt".as_bytes()), "rtl\\u{202e}txt");
    }

    #[test]
    fn invalid_utf8_is_shown_not_dropped() {
        assert_eq!(escape_bytes(b"bad\xff\xfename"), "bad\\xff\\xfename");
        assert_eq!(json_text(b"bad\xffname"), "bad\\xffname");
        assert_eq!(json_text(b"ok\n"), "ok\n");
    }
}
