//! CSV output (RFC 4180): typed values as text, quoted where needed.

use std::borrow::Cow;
use std::io::{self, Write};

use jiff::tz::TimeZone;

use super::escape::escape_bytes;
use crate::columns::Value;

/// Quotes a field when it holds a comma, quote, line break or edge space.
pub fn quote(field: &str) -> Cow<'_, str> {
    let needs =
        field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ');
    if needs {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// The CSV text of a column value, escaped from its raw bytes as every
/// view proctl escapes itself (a backslash doubled, controls and invalid
/// bytes as `\e`, `\xNN`, ...); lists joined by spaces.
pub fn value_text(value: &Value, tz: &TimeZone) -> String {
    match value {
        Value::Text(t) => escape_bytes(t).into_owned(),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| escape_bytes(i).into_owned()).collect();
            parts.join(" ")
        }
        other => field_text(&super::json::to_json(other, tz)),
    }
}

/// The CSV text of a JSON scalar: strings escaped for the terminal, arrays
/// joined by spaces. Prefer [`value_text`], which sees the raw bytes: a JSON
/// string already holds `\xNN` for each byte that was not UTF-8
/// (`escape::json_text`), so those are kept as they are here, while every
/// other backslash is doubled.
pub fn field_text(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match value {
        J::Null => String::new(),
        J::String(s) => escape_json_string(s),
        J::Array(items) => {
            let parts: Vec<String> = items.iter().map(field_text).collect();
            parts.join(" ")
        }
        other => other.to_string(),
    }
}

/// Escapes a string made by `json_text`, keeping its `\xNN` (NN >= 80)
/// marks of invalid bytes.
fn escape_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\\') {
        out.push_str(&escape_bytes(&rest.as_bytes()[..at]));
        let tail = &rest[at..];
        let invalid_byte_mark = tail
            .as_bytes()
            .get(1..4)
            .filter(|m| m[0] == b'x')
            .and_then(|m| std::str::from_utf8(&m[1..]).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .is_some_and(|b| b >= 0x80);
        if invalid_byte_mark {
            out.push_str(&tail[..4]);
            rest = &tail[4..];
        } else {
            out.push_str("\\\\");
            rest = &tail[1..];
        }
    }
    out.push_str(&escape_bytes(rest.as_bytes()));
    out
}

/// Writes one CSV record, CRLF-terminated as RFC 4180 says.
pub fn write_record<'a>(
    out: &mut dyn Write,
    fields: impl Iterator<Item = &'a str>,
) -> io::Result<()> {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(quote(field).as_bytes())?;
    }
    out.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_rules() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote(" lead"), "\" lead\"");
    }

    #[test]
    fn fields_are_escaped_and_typed() {
        assert_eq!(field_text(&serde_json::json!(null)), "");
        assert_eq!(field_text(&serde_json::json!(1.5)), "1.5");
        assert_eq!(field_text(&serde_json::json!("a\nb")), "a\\nb");
        assert_eq!(field_text(&serde_json::json!(["x", "y z"])), "x y z");
        // A literal backslash is doubled; json_text's marks of invalid bytes stay.
        assert_eq!(field_text(&serde_json::json!("a\\e\u{1b}")), "a\\\\e\\e");
        assert_eq!(
            field_text(&serde_json::json!("bad\\xff\\x41")),
            "bad\\xff\\\\x41"
        );
        assert_eq!(
            field_text(&serde_json::json!("\\x\u{e9}\u{e9}")),
            "\\\\x\u{e9}\u{e9}"
        );
    }

    #[test]
    fn values_are_escaped_from_their_bytes() {
        let tz = TimeZone::UTC;
        let text = |b: &[u8]| value_text(&Value::Text(b.to_vec()), &tz);
        assert_eq!(text(b"fake\\e[31m"), "fake\\\\e[31m");
        assert_eq!(text(b"real\x1b[31m"), "real\\e[31m");
        assert_eq!(text(b"lit\\xff"), "lit\\\\xff");
        assert_eq!(text(b"raw\xff"), "raw\\xff");
        assert_eq!(value_text(&Value::Int(7), &tz), "7");
        assert_eq!(value_text(&Value::Missing, &tz), "");
    }

    #[test]
    fn records_end_in_crlf() {
        let mut out = Vec::new();
        write_record(&mut out, ["1", "a,b"].into_iter()).unwrap();
        assert_eq!(out, b"1,\"a,b\"\r\n");
    }
}
