//! CSV output (RFC 4180): typed values as text, quoted where needed.

use std::borrow::Cow;
use std::io::{self, Write};

use std::fmt::Write as _;

use super::escape::{escape_bytes, json_text_bytes};

/// The CSV cell of a field of a row: empty when the field is left out
/// (there is none), as for null (unknown).
pub fn field_cell(field: &super::json::Field) -> String {
    field.as_ref().map_or_else(String::new, cell)
}

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

/// The CSV cell of a JSON value, so that the header and cells of every
/// command's CSV are its JSON names and values (docs/json.md, "CSV"):
/// null is empty; a number or boolean as JSON writes it; text escaped as
/// every view proctl escapes itself (a backslash doubled, controls and
/// bytes that are not UTF-8 as `\e`, `\xNN`, ...), whether it is a JSON
/// string or the object that holds bytes that are not UTF-8; a list or an
/// object as its JSON text (so `args` splits back exactly), with controls
/// and bidirectional overrides as `\uNNNN` so that no cell moves a
/// terminal.
pub fn cell(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    if let Some(bytes) = json_text_bytes(value) {
        return escape_bytes(&bytes).into_owned();
    }
    match value {
        J::Null => String::new(),
        J::Bool(_) | J::Number(_) | J::String(_) => value.to_string(),
        J::Array(_) | J::Object(_) => {
            let mut out = String::new();
            for c in value.to_string().chars() {
                if c.is_control() || is_bidi_control(c) {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// Unicode's bidirectional marks, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
    fn cells_follow_the_json_values() {
        use crate::render::escape::json_text;
        use serde_json::json;
        assert_eq!(cell(&json!(null)), "");
        assert_eq!(cell(&json!(1.5)), "1.5");
        assert_eq!(cell(&json!(false)), "false");
        assert_eq!(cell(&json!("a\nb")), "a\\nb");
        // A literal backslash is doubled, a real byte that is not UTF-8 is not.
        assert_eq!(cell(&json_text(b"fake\\e[31m")), "fake\\\\e[31m");
        assert_eq!(cell(&json_text(b"real\x1b[31m")), "real\\e[31m");
        assert_eq!(cell(&json_text(b"lit\\xff")), "lit\\\\xff");
        assert_eq!(cell(&json_text(b"raw\xff")), "raw\\xff");
        // Lists are JSON, so they split back; no raw control reaches the cell.
        let args = json!(["sh", "-c", "echo a b", "\u{1b}[2J\u{9b}\u{202e}"]);
        let text = cell(&args);
        assert_eq!(
            text,
            "[\"sh\",\"-c\",\"echo a b\",\"\\u001b[2J\\u009b\\u202e\"]"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            args
        );
    }

    #[test]
    fn records_end_in_crlf() {
        let mut out = Vec::new();
        write_record(&mut out, ["1", "a,b"].into_iter()).unwrap();
        assert_eq!(out, b"1,\"a,b\"\r\n");
    }
}
