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
    } else if seconds > 0.0 {
        // Under a nanosecond is a nanosecond, as timeout(1) rounds it: a
        // positive duration never turns into 0 ("no timeout").
        Duration::from_secs_f64(seconds).max(Duration::from_nanos(1))
    } else {
        Duration::ZERO
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
/// locale, and its length; `None` when there is none (or only the `0` of
/// `0x`, which no duration continues validly). A sign is taken: a
/// negative duration is rejected by the caller.
fn c_number(s: &str) -> Option<(f64, usize)> {
    let bytes = s.as_bytes();
    let (sign, start) = match bytes.first() {
        Some(b'-') => (-1.0, 1),
        Some(b'+') => (1.0, 1),
        _ => (1.0, 0),
    };
    // Compared as bytes: `s` may hold any text.
    let rest = &bytes[start..];
    let starts_with = |word: &[u8]| {
        rest.get(..word.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(word))
    };
    for word in [&b"infinity"[..], b"inf"] {
        if starts_with(word) {
            return Some((sign * f64::INFINITY, start + word.len()));
        }
    }
    let hex = rest.len() > 2 && starts_with(b"0x");
    let (radix, markers): (u32, &[u8]) = if hex { (16, b"pP") } else { (10, b"eE") };
    // The mantissa: digits, maybe a point and more digits; one at least.
    let mantissa = if hex { start + 2 } else { start };
    let whole = digits_at(bytes, mantissa, radix);
    let mut end = mantissa + whole;
    let mut fraction = 0;
    if bytes.get(end) == Some(&b'.') {
        fraction = digits_at(bytes, end + 1, radix);
        end += 1 + fraction;
    }
    if whole + fraction == 0 {
        return None;
    }
    let mantissa_end = end;
    let digits = || bytes[mantissa..mantissa_end].iter().filter(|b| **b != b'.');
    let nonzero = digits().any(|b| *b != b'0');
    // The exponent: the marker, a sign, decimal digits; without digits it
    // is not part of the number.
    let mut exponent = 0i32;
    if bytes.get(end).is_some_and(|b| markers.contains(b)) {
        let signed = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        let count = digits_at(bytes, end + 1 + signed, 10);
        if count > 0 {
            let huge = if bytes[end + 1] == b'-' {
                i32::MIN
            } else {
                i32::MAX
            };
            exponent = s[end + 1..end + 1 + signed + count].parse().unwrap_or(huge);
            end += 1 + signed + count;
        }
    }
    let value = if hex {
        // The digits as one integer, scaled by 2^exponent and 16 per
        // fraction digit.
        let mut v = 0f64;
        for b in digits() {
            v = v * 16.0 + f64::from(char::from(*b).to_digit(16)?);
        }
        let fraction = i32::try_from(fraction).ok()?;
        v * 2f64.powi(exponent.saturating_sub(fraction.saturating_mul(4)))
    } else {
        s[start..end].parse().ok()?
    };
    Some((sign * bounded(value, nonzero), end))
}

/// How many digits of `radix` stand at `from`.
fn digits_at(bytes: &[u8], from: usize, radix: u32) -> usize {
    bytes[from..]
        .iter()
        .take_while(|b| char::from(**b).is_digit(radix))
        .count()
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
            "inf5", "1e", "-inf", "0é", "0xé", "iñf", "1é", "é",
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
        for tiny in ["1e-10", "1e-320", "0.0000000001s"] {
            assert_eq!(
                parse_duration(tiny).unwrap(),
                Duration::from_nanos(1),
                "{tiny}"
            );
        }
    }
}
