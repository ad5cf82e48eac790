//! Text formats shared by columns: CPU and elapsed times as procps prints
//! them, start times, and human-readable sizes.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// CPU time as procps `time`: `[DD-]HH:MM:SS`.
pub fn format_duration_dhms(secs: u64) -> String {
    let (days, h, m, s) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
        format!("{days}-{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

/// Elapsed time as procps `etime`: `[[DD-]HH:]MM:SS`.
pub fn format_elapsed(secs: u64) -> String {
    let (days, h, m, s) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
        format!("{days}-{h:02}:{m:02}:{s:02}")
    } else if h > 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// CPU time as BSD `ps u` prints it: `MMM:SS`.
pub fn format_bsd_time(secs: u64) -> String {
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// A size in KiB in human units: `512K`, `1.5M`, `120M`, `2.0G`.
pub fn format_human_kib(kib: u64) -> String {
    const UNITS: [&str; 5] = ["K", "M", "G", "T", "P"];
    let mut value = kib as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value >= 100.0 {
        format!("{}{}", value.round() as u64, UNITS[unit])
    } else {
        format!("{value:.1}{}", UNITS[unit])
    }
}

/// The start-time formats procps uses, for a start at `start` seen at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartStyle {
    /// `stime`/`start_time`: HH:MM on the same day, MonDD the same year, else YYYY.
    Stime,
    /// `start`: HH:MM:SS within 24 hours, else `Mon DD`.
    Start,
    /// `bsdstart`: HH:MM within 24 hours, else `Mon DD` (space-padded day).
    Bsd,
    /// `lstart`: `Wed Nov 26 09:42:00 2026`.
    Long,
}

/// Formats a start time in the local time zone.
pub fn format_start(start: i64, now: i64, tz: &TimeZone, style: StartStyle) -> String {
    let Ok(ts) = Timestamp::from_second(start) else {
        return "-".to_string();
    };
    let Ok(now_ts) = Timestamp::from_second(now) else {
        return "-".to_string();
    };
    let dt = tz.to_datetime(ts);
    let fmt = match style {
        StartStyle::Stime => {
            let today = tz.to_datetime(now_ts);
            if today.year() != dt.year() {
                "%Y"
            } else if today.day_of_year() != dt.day_of_year() {
                "%b%d"
            } else {
                "%H:%M"
            }
        }
        StartStyle::Start => {
            if start.saturating_add(86400) > now {
                "%H:%M:%S"
            } else {
                "%b %d"
            }
        }
        StartStyle::Bsd => {
            if now.saturating_sub(start) > 86400 {
                "%b %e"
            } else {
                "%H:%M"
            }
        }
        StartStyle::Long => "%a %b %e %H:%M:%S %Y",
    };
    dt.strftime(fmt).to_string()
}

/// An absolute time as ISO 8601 with the local offset, for JSON.
pub fn format_iso8601(epoch: i64, tz: &TimeZone) -> Option<String> {
    let ts = Timestamp::from_second(epoch).ok()?;
    Some(
        ts.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_formats() {
        assert_eq!(format_duration_dhms(0), "00:00:00");
        assert_eq!(format_duration_dhms(3661), "01:01:01");
        assert_eq!(format_duration_dhms(90061), "1-01:01:01");
        assert_eq!(format_bsd_time(0), "0:00");
        assert_eq!(format_bsd_time(7265), "121:05");
    }

    #[test]
    fn elapsed_formats() {
        assert_eq!(format_elapsed(5), "00:05");
        assert_eq!(format_elapsed(3600), "01:00:00");
        assert_eq!(format_elapsed(86400 * 3 + 61), "3-00:01:01");
    }

    #[test]
    fn human_sizes() {
        assert_eq!(format_human_kib(0), "0K");
        assert_eq!(format_human_kib(512), "512K");
        assert_eq!(format_human_kib(1536), "1.5M");
        assert_eq!(format_human_kib(200 * 1024), "200M");
        assert_eq!(format_human_kib(2 * 1024 * 1024), "2.0G");
    }

    #[test]
    fn start_time_rules() {
        let tz = TimeZone::UTC;
        // 2026-11-26 10:00:00 UTC
        let now = 1_795_687_200;
        assert_eq!(
            format_start(now - 3600, now, &tz, StartStyle::Stime),
            "09:00"
        );
        assert_eq!(
            format_start(now - 86400, now, &tz, StartStyle::Stime),
            "Nov25"
        );
        assert_eq!(
            format_start(now - 400 * 86400, now, &tz, StartStyle::Stime),
            "2025"
        );
        assert_eq!(
            format_start(now - 60, now, &tz, StartStyle::Start),
            "09:59:00"
        );
        assert_eq!(
            format_start(now - 2 * 86400, now, &tz, StartStyle::Start),
            "Nov 24"
        );
        assert_eq!(format_start(now - 60, now, &tz, StartStyle::Bsd), "09:59");
        assert_eq!(
            format_start(now - 22 * 86400, now, &tz, StartStyle::Bsd),
            "Nov  4"
        );
        assert_eq!(
            format_start(now, now, &tz, StartStyle::Long),
            "Thu Nov 26 10:00:00 2026"
        );
        assert_eq!(
            format_iso8601(now, &tz).as_deref(),
            Some("2026-11-26T10:00:00+00:00")
        );
    }
}
