//! Escaping of untrusted text (process names, arguments, paths) so that no
//! control character or escape sequence reaches the output raw, and so that
//! every escape on the screen came from proctl: a literal backslash is
//! doubled, so text cannot pose as an escaped byte. Views that copy a peer
//! byte for byte use the peer's own escaping instead ([`procps_text`] here,
//! psmisc's octal in `render::pstree`).

use std::borrow::Cow;
use std::fmt::Write;

/// Makes bytes safe to print: C0/C1 controls, DEL and bidirectional
/// overrides become `\e`, `\n`, `\t`, `\r`, `\xNN` or `\u{NNNN}`; invalid
/// UTF-8 bytes become `\xNN`; a backslash becomes `\\`. Other printable
/// text stays, so the name `a\e` (backslash, e) prints as `a\\e` and a real
/// ESC as `a\e`: the two cannot be confused.
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
    c == '\\'
        || c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
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

/// Text as procps's ps prints it in a UTF-8 locale (the views that copy
/// procps byte for byte): each control character (C0, DEL, C1) and each
/// byte that is not UTF-8 becomes `?`; everything else, backslashes
/// included, stays as it is (ps(1): "non-printing characters ... are
/// displayed as ?"; observed with procps-ng 4.0.2).
pub fn procps_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes)
        && !s.chars().any(char::is_control)
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.extend(
            chunk
                .valid()
                .chars()
                .map(|c| if c.is_control() { '?' } else { c }),
        );
        out.extend(chunk.invalid().iter().map(|_| '?'));
    }
    Cow::Owned(out)
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
            escape_bytes(b"sleep 10 C:/dir"),
            Cow::Borrowed("sleep 10 C:/dir")
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
    fn a_backslash_is_doubled_so_escapes_cannot_be_faked() {
        assert_eq!(escape_bytes(b"C:\\dir"), "C:\\\\dir");
        // A literal backslash-e and a real ESC print differently.
        let fake = escape_bytes(b"fake\\e[31mX");
        let real = escape_bytes(b"real\x1b[31mX");
        assert_eq!(fake, "fake\\\\e[31mX");
        assert_eq!(real, "real\\e[31mX");
        // Text that spells an escape of an invalid byte stays distinct too.
        assert_ne!(escape_bytes(b"\\xff"), escape_bytes(b"\xff"));
    }

    #[test]
    fn procps_text_marks_controls_with_a_question_mark() {
        assert!(matches!(procps_text(b"a\\b c"), Cow::Borrowed("a\\b c")));
        assert_eq!(
            procps_text("a\x1bb\tc\\d\u{e9}e\x7f\u{9b}\u{202e}".as_bytes()),
            "a?b?c\\d\u{e9}e??\u{202e}"
        );
        assert_eq!(procps_text(b"q\xff\xfe"), "q??");
    }

    #[test]
    fn invalid_utf8_is_shown_not_dropped() {
        assert_eq!(escape_bytes(b"bad\xff\xfename"), "bad\\xff\\xfename");
        assert_eq!(json_text(b"bad\xffname"), "bad\\xffname");
        assert_eq!(json_text(b"ok\n"), "ok\n");
    }
}
