//! CSV output (RFC 4180): typed values as text, quoted where needed.

use std::borrow::Cow;
use std::io::{self, Write};

use super::escape::escape_bytes;

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

/// The CSV text of a JSON scalar: strings escaped for the terminal, arrays joined by spaces.
pub fn field_text(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match value {
        J::Null => String::new(),
        J::String(s) => escape_bytes(s.as_bytes()).into_owned(),
        J::Array(items) => {
            let parts: Vec<String> = items.iter().map(field_text).collect();
            parts.join(" ")
        }
        other => other.to_string(),
    }
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
    }

    #[test]
    fn records_end_in_crlf() {
        let mut out = Vec::new();
        write_record(&mut out, ["1", "a,b"].into_iter()).unwrap();
        assert_eq!(out, b"1,\"a,b\"\r\n");
    }
}
