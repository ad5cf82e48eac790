//! The one duration syntax proctl accepts: timeout(1)'s numbers (`0.5`,
//! `1e3`, `0x10`, `inf`, each with an optional `s`, `m`, `h` or `d`) plus
//! compound forms such as `1m30s` and `500ms`.

use std::time::Duration;

use crate::error::{Error, Result};

/// The longest duration proctl waits: about a hundred years. Anything
/// longer (`inf`, `99999999999d`) means "no limit" in practice, as
/// timeout(1) takes a duration beyond its clock's range as the longest it
/// can set; kept finite so that deadlines can be added to a clock.
pub const LONGEST: Duration = Duration::from_secs(100 * 365 * 86_400);

/// Parses a DURATION. A bare number means seconds, as in timeout(1).
pub fn parse_duration(text: &str) -> Result<Duration> {
    let bad = || {
        Error::usage(format!(
            "invalid duration '{text}': use seconds (0.5, 10, 1e3, inf) or units ms, s, m, h, d (500ms, 1m30s)"
        ))
    };
    let s = text.trim();
    let seconds = timeout_form(s)
        .or_else(|| compound_form(s))
        .ok_or_else(bad)?;
    if seconds.is_nan() || seconds < 0.0 {
        return Err(bad());
    }
    Ok(if seconds >= LONGEST.as_secs_f64() {
        LONGEST
    } else {
        Duration::from_secs_f64(seconds)
    })
}

/// The seconds a unit stands for.
fn unit_scale(unit: &str) -> Option<f64> {
    Some(match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    })
}

/// timeout(1)'s form, as its manual gives it: a floating point number (as
/// strtod(3) reads it in the C locale: exponents, hexadecimal, `inf`)
/// with an optional one-letter unit `s`, `m`, `h` or `d`.
fn timeout_form(s: &str) -> Option<f64> {
    let (value, used) = c_number(s)?;
    let scale = match &s[used..] {
        "" => 1.0,
        unit @ ("s" | "m" | "h" | "d") => unit_scale(unit)?,
        _ => return None,
    };
    Some(value * scale)
}

/// proctl's compound form: one or more NUMBER UNIT pairs (`1m30s`,
/// `1s500ms`), with plain decimal numbers.
fn compound_form(s: &str) -> Option<f64> {
    let mut total = 0f64;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        total += number * unit_scale(&rest[..unit_len])?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// The longest prefix of `s` that strtod(3) reads as a number in the C
/// locale, and its length; `None` when there is none. A sign is taken: a
/// negative duration is rejected by the caller.
fn c_number(s: &str) -> Option<(f64, usize)> {
    let bytes = s.as_bytes();
    let (sign, mut at) = match bytes.first() {
        Some(b'-') => (-1.0, 1),
        Some(b'+') => (1.0, 1),
        _ => (1.0, 0),
    };
    let rest = &s[at..];
    for word in ["infinity", "inf"] {
        if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word) {
            return Some((sign * f64::INFINITY, at + word.len()));
        }
    }
    let digits_from = |from: usize, radix: u32| {
        from + bytes[from..]
            .iter()
            .take_while(|b| (**b as char).is_digit(radix))
            .count()
    };
    let hex = rest.len() > 2
        && rest[..2].eq_ignore_ascii_case("0x")
        && (rest.as_bytes()[2].is_ascii_hexdigit()
            || (rest.as_bytes()[2] == b'.'
                && rest.as_bytes().get(3).is_some_and(u8::is_ascii_hexdigit)));
    if hex {
        at += 2;
        let (mut value, mut scale) = (0f64, 0i32);
        let int_end = digits_from(at, 16);
        for b in &bytes[at..int_end] {
            value = value * 16.0 + f64::from((*b as char).to_digit(16)?);
        }
        at = int_end;
        if bytes.get(at) == Some(&b'.') {
            let frac_end = digits_from(at + 1, 16);
            for b in &bytes[at + 1..frac_end] {
                value = value * 16.0 + f64::from((*b as char).to_digit(16)?);
                scale -= 4;
            }
            at = frac_end;
        }
        if matches!(bytes.get(at), Some(b'p' | b'P')) {
            let sign_len = usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
            let exp_end = digits_from(at + 1 + sign_len, 10);
            if exp_end > at + 1 + sign_len {
                let exponent: i32 = s[at + 1..exp_end].parse().unwrap_or(i32::MAX);
                scale = scale.saturating_add(exponent);
                at = exp_end;
            }
        }
        let nonzero = value != 0.0;
        return Some((sign * bounded(value * 2f64.powi(scale), nonzero), at));
    }
    let int_end = digits_from(at, 10);
    let mut end = int_end;
    if bytes.get(end) == Some(&b'.') {
        end = digits_from(end + 1, 10);
    }
    // At least one digit, before or after the point.
    if !s[at..end].bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let nonzero = s[at..end].bytes().any(|b| (b'1'..=b'9').contains(&b));
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign_len = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        let exp_end = digits_from(end + 1 + sign_len, 10);
        if exp_end > end + 1 + sign_len {
            end = exp_end;
        }
    }
    let value: f64 = s[at..end].parse().ok()?;
    Some((sign * bounded(value, nonzero), end))
}

/// What timeout(1) makes of a number strtod(3) could not represent
/// (gnulib's dtimespec_bound): one that underflowed to zero is the
/// shortest interval, a nanosecond; one that overflowed stays infinite,
/// the longest.
fn bounded(value: f64, nonzero: bool) -> f64 {
    if value == 0.0 && nonzero { 1e-9 } else { value }
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
        for bad in [
            "", "abc", "5x", "m", "1m30", "-1", "1..2s", "ms5", "nan", "1e3ms5", ".", "0x", "1 s",
            "inf5", "1e", "-inf",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn timeouts_numbers_as_strtod_reads_them() {
        assert_eq!(secs("1e3"), 1000.0);
        assert_eq!(secs("1.5e1s"), 15.0);
        assert_eq!(secs("2E-1"), 0.2);
        assert_eq!(secs("+5"), 5.0);
        assert_eq!(secs(".5"), 0.5);
        assert_eq!(secs("5."), 5.0);
        assert_eq!(secs("0x10"), 16.0);
        assert_eq!(secs("0x1p4"), 16.0);
        assert_eq!(secs("0x.8"), 0.5);
        assert_eq!(secs("0x1.8m"), 90.0);
        assert_eq!(secs("-0"), 0.0, "timeout(1) takes -0 (0 <= -0.0)");
        // An 'e' without digits is a unit-less number followed by garbage.
        assert!(parse_duration("1e").is_err());
    }

    #[test]
    fn beyond_a_century_is_the_longest_wait() {
        for long in [
            "inf",
            "INF",
            "infinity",
            "infd",
            "99999999999d",
            "1e300",
            "1e307d",
            "1e999",
        ] {
            assert_eq!(parse_duration(long).unwrap(), LONGEST, "{long}");
        }
        // timeout-parameters.sh: an underflow is a nanosecond, keeping its
        // sign, so that a negative one is still refused.
        assert_eq!(parse_duration("1e-10000").unwrap(), Duration::from_nanos(1));
        assert_eq!(
            parse_duration("0x1p-2000").unwrap(),
            Duration::from_nanos(1)
        );
        assert!(parse_duration(" -1e-10000").is_err());
        assert_eq!(parse_duration("0e-10000").unwrap(), Duration::ZERO);
    }
}
