//! The one duration syntax proctl accepts: timeout(1)'s `0.5`, `2m`, `1h`,
//! `1d` plus compound forms such as `1m30s` and `500ms`.

use std::time::Duration;

use crate::error::{Error, Result};

/// Parses a DURATION. A bare number means seconds, as in timeout(1).
pub fn parse_duration(text: &str) -> Result<Duration> {
    let bad = || {
        Error::usage(format!(
            "invalid duration '{text}': use seconds (0.5, 10) or units ms, s, m, h, d (500ms, 1m30s)"
        ))
    };
    let s = text.trim();
    if s.is_empty() {
        return Err(bad());
    }
    let mut total = 0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(bad());
        }
        let number: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "" if num_len == s.len() => 1.0,
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86400.0,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    if !total.is_finite() || total > 1e12 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(total))
}

/// Parses a DURATION where zero has no meaning (`ps --sample`): `0`,
/// `0s` and anything shorter than a microsecond are a usage error.
pub fn parse_nonzero_duration(text: &str) -> Result<Duration> {
    let d = parse_duration(text)?;
    if d < Duration::from_micros(1) {
        return Err(Error::usage(format!(
            "invalid duration '{}': must be more than zero",
            text.trim()
        )));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> f64 {
        parse_duration(s).unwrap().as_secs_f64()
    }

    #[test]
    fn timeout_forms() {
        assert_eq!(secs("0.5"), 0.5);
        assert_eq!(secs("10"), 10.0);
        assert_eq!(secs("0.5s"), 0.5);
        assert_eq!(secs("2m"), 120.0);
        assert_eq!(secs("1h"), 3600.0);
        assert_eq!(secs("1d"), 86400.0);
    }

    #[test]
    fn compound_forms() {
        assert_eq!(secs("1m30s"), 90.0);
        assert_eq!(secs("500ms"), 0.5);
        assert_eq!(secs("1h1m1s"), 3661.0);
        assert_eq!(secs("1s500ms"), 1.5);
    }

    #[test]
    fn nonzero_rejects_zero_only() {
        for zero in ["0", "0s", "0ms", "0.0", "0m0s", "0.0000001"] {
            let err = parse_nonzero_duration(zero).unwrap_err().to_string();
            assert!(err.contains("more than zero"), "{zero}: {err}");
        }
        assert_eq!(parse_nonzero_duration("1ms").unwrap().as_millis(), 1);
        assert!(parse_nonzero_duration("x").is_err());
        assert_eq!(secs("0"), 0.0, "plain durations still take zero");
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "abc", "5x", "m", "1m30", "-1", "1..2s", "ms5", "1e999"] {
            assert!(parse_duration(bad).is_err(), "{bad} should be rejected");
        }
    }
}
