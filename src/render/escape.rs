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

/// Text for JSON: the exact string when the bytes are valid UTF-8;
/// otherwise an object `{"text": ..., "bytes": [...]}` holding the text
/// with U+FFFD for each invalid sequence and every byte as a number. A
/// JSON string is thus always the process's own text: the name `\xff`
/// (backslash, x, f, f) is the string "\\xff", a real 0xff byte is never
/// a string (docs/json.md, "Text that is not UTF-8").
pub fn json_text(bytes: &[u8]) -> serde_json::Value {
    match std::str::from_utf8(bytes) {
        Ok(s) => serde_json::Value::from(s),
        Err(_) => serde_json::json!({
            "text": String::from_utf8_lossy(bytes),
            "bytes": bytes,
        }),
    }
}

/// The bytes a JSON text value stands for: a string's UTF-8, or the
/// `bytes` of the object [`json_text`] writes for other bytes.
pub fn json_text_bytes(value: &serde_json::Value) -> Option<Vec<u8>> {
    match value {
        serde_json::Value::String(s) => Some(s.as_bytes().to_vec()),
        serde_json::Value::Object(o) if o.len() == 2 && o.contains_key("text") => o
            .get("bytes")?
            .as_array()?
            .iter()
            .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
            .collect(),
        _ => None,
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
        assert_eq!(json_text(b"ok\n"), "ok\n");
    }

    #[test]
    fn json_text_cannot_confuse_bytes_with_text() {
        let raw = json_text(b"bad\xffname");
        assert_eq!(
            raw,
            serde_json::json!({"text": "bad\u{fffd}name", "bytes": [98, 97, 100, 255, 110, 97, 109, 101]})
        );
        let literal = json_text(b"bad\\xffname");
        assert_eq!(literal, "bad\\xffname");
        assert_ne!(raw, literal);
        assert_eq!(json_text_bytes(&raw).unwrap(), b"bad\xffname");
        assert_eq!(json_text_bytes(&literal).unwrap(), b"bad\\xffname");
        assert_eq!(json_text_bytes(&serde_json::json!(1)), None);
    }
}
