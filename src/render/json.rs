//! JSON and NDJSON output of typed column values.

use std::io::{self, Write};

use jiff::tz::TimeZone;

use super::escape::json_text;
use crate::columns::Value;

/// A field of an object: `None` leaves it out (there is none, or it does
/// not apply), while a JSON null means unknown (docs/json.md).
pub type Field = Option<serde_json::Value>;

/// The JSON form of a value: numbers as numbers, durations as seconds,
/// absolute times as ISO 8601, unknown as null, none as no field at all.
pub fn to_json(value: &Value, tz: &TimeZone) -> Field {
    use serde_json::Value as J;
    Some(match value {
        Value::Absent => return None,
        Value::Missing => J::Null,
        Value::Int(n) => J::from(*n),
        Value::Float(f) => J::from(round(*f, 1)),
        Value::Seconds(s) => J::from(round(*s, 2)),
        Value::Text(t) => json_text(t),
        Value::List(items) => J::Array(items.iter().map(|i| json_text(i)).collect()),
        Value::Numbers(items) => J::Array(items.iter().map(|&n| J::from(n)).collect()),
        Value::Instant(t) => crate::columns::format_iso8601(*t, tz).map_or(J::Null, J::from),
    })
}

fn round(f: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (f * scale).round() / scale
}

/// Writes one object with the given field names, in order, leaving out
/// the fields that are `None`.
pub fn write_object(out: &mut dyn Write, names: &[&str], values: &[Field]) -> io::Result<()> {
    out.write_all(b"{")?;
    let present = names
        .iter()
        .zip(values)
        .filter_map(|(name, value)| Some((name, value.as_ref()?)));
    for (i, (name, value)) in present.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, value)?;
    }
    out.write_all(b"}")
}

/// Writes rows as a JSON array (one object a line) or as NDJSON.
pub fn write_rows(
    out: &mut dyn Write,
    names: &[&str],
    rows: impl Iterator<Item = Vec<Field>>,
    ndjson: bool,
) -> io::Result<()> {
    if ndjson {
        for row in rows {
            write_object(out, names, &row)?;
            out.write_all(b"\n")?;
        }
        return Ok(());
    }
    out.write_all(b"[")?;
    for (i, row) in rows.enumerate() {
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        write_object(out, names, &row)?;
    }
    out.write_all(b"\n]\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values() {
        let tz = TimeZone::UTC;
        let json = |v: &Value| to_json(v, &tz);
        assert_eq!(json(&Value::Missing), Some(serde_json::Value::Null));
        assert_eq!(json(&Value::Absent), None);
        assert_eq!(json(&Value::Int(5)), Some(serde_json::json!(5)));
        assert_eq!(
            json(&Value::Float(0.30000001)),
            Some(serde_json::json!(0.3))
        );
        assert_eq!(
            json(&Value::Text(b"a\x1bb".to_vec())),
            Some(serde_json::json!("a\u{1b}b"))
        );
        assert_eq!(
            json(&Value::List(vec![b"sleep".to_vec(), b"1".to_vec()])),
            Some(serde_json::json!(["sleep", "1"]))
        );
        assert_eq!(
            json(&Value::Instant(0)),
            Some(serde_json::json!("1970-01-01T00:00:00+00:00"))
        );
    }

    #[test]
    fn array_and_ndjson_layouts() {
        let rows = || {
            vec![
                vec![Some(serde_json::json!(1))],
                vec![Some(serde_json::json!(2))],
            ]
            .into_iter()
        };
        let mut out = Vec::new();
        write_rows(&mut out, &["pid"], rows(), false).unwrap();
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            "[\n  {\"pid\":1},\n  {\"pid\":2}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(parsed[1]["pid"], 2);
        let mut out = Vec::new();
        write_rows(&mut out, &["pid"], rows(), true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"pid\":1}\n{\"pid\":2}\n"
        );
        let mut out = Vec::new();
        write_rows(&mut out, &["pid"], std::iter::empty(), false).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[\n]\n");
    }

    #[test]
    fn left_out_fields_and_nulls() {
        let mut out = Vec::new();
        let values = [
            None,
            Some(serde_json::json!(1)),
            None,
            Some(serde_json::Value::Null),
        ];
        write_object(&mut out, &["tty", "pid", "wchan", "exe"], &values).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"pid":1,"exe":null}"#);
    }
}
