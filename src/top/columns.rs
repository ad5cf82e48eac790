//! The columns of the process table: one declarative row each, with the
//! header, width, sort order and how to show and compare the value.
//!
//! Meanings follow top(1) ("3a. DESCRIPTIONS of Fields"): PRI is the
//! kernel's priority as top's PR and htop's PRI show it (`rt` for real-time
//! policies), VIRT/RES/SHR are KiB, TIME+ is minutes:seconds.hundredths.

use std::cmp::Ordering;

use super::keys::KeyColumn;
use super::sample::Row;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column of the table.
#[derive(Debug)]
pub struct TopColumn {
    /// The `--sort` key, and other accepted spellings.
    pub keys: &'static [&'static str],
    pub header: &'static str,
    /// Cells are padded to this width (the last column is not).
    pub width: usize,
    pub align: Align,
    /// Whether sorting on it puts the largest first (top's habit for numbers).
    pub descending: bool,
    pub cell: fn(Row) -> String,
    pub compare: fn(Row, Row) -> Ordering,
}

/// The columns, in the order they are drawn.
pub static COLUMNS: &[TopColumn] = &[
    TopColumn {
        keys: &["pid", "n"],
        header: "PID",
        width: 7,
        align: Align::Right,
        descending: false,
        cell: |r| r.p.tid.to_string(),
        compare: |a, b| a.p.tid.cmp(&b.p.tid),
    },
    TopColumn {
        keys: &["user", "u"],
        header: "USER",
        width: 8,
        align: Align::Left,
        descending: false,
        cell: |r| cut_name(&r.d.user, 8),
        compare: |a, b| a.d.user.cmp(&b.d.user),
    },
    TopColumn {
        keys: &["pri", "pr", "priority"],
        header: "PRI",
        width: 3,
        align: Align::Right,
        descending: true,
        cell: |r| priority_text(r.p.priority),
        compare: |a, b| a.p.priority.cmp(&b.p.priority),
    },
    TopColumn {
        keys: &["ni", "nice"],
        header: "NI",
        width: 3,
        align: Align::Right,
        descending: true,
        cell: |r| r.p.nice.to_string(),
        compare: |a, b| a.p.nice.cmp(&b.p.nice),
    },
    TopColumn {
        keys: &["virt", "vsz"],
        header: "VIRT",
        width: 7,
        align: Align::Right,
        descending: true,
        cell: |r| scaled_kib(r.p.vsize_bytes / 1024, 7),
        compare: |a, b| a.p.vsize_bytes.cmp(&b.p.vsize_bytes),
    },
    TopColumn {
        keys: &["res", "rss"],
        header: "RES",
        width: 6,
        align: Align::Right,
        descending: true,
        cell: |r| scaled_kib(r.d.res_kib, 6),
        compare: |a, b| a.d.res_kib.cmp(&b.d.res_kib),
    },
    TopColumn {
        keys: &["shr"],
        header: "SHR",
        width: 6,
        align: Align::Right,
        descending: true,
        cell: |r| {
            r.d.shr_kib
                .map_or_else(|| "-".to_string(), |k| scaled_kib(k, 6))
        },
        compare: |a, b| a.d.shr_kib.cmp(&b.d.shr_kib),
    },
    TopColumn {
        keys: &["s", "state"],
        header: "S",
        width: 1,
        align: Align::Left,
        descending: false,
        cell: |r| r.p.state.to_string(),
        compare: |a, b| a.p.state.cmp(&b.p.state),
    },
    TopColumn {
        keys: &["%cpu", "cpu", "pcpu", "p"],
        header: "%CPU",
        width: 5,
        align: Align::Right,
        descending: true,
        cell: |r| format!("{:.1}", r.d.cpu),
        compare: |a, b| a.d.cpu.total_cmp(&b.d.cpu),
    },
    TopColumn {
        keys: &["%mem", "mem", "pmem", "m"],
        header: "%MEM",
        width: 5,
        align: Align::Right,
        descending: true,
        cell: |r| format!("{:.1}", r.d.mem),
        // %MEM is rounded to tenths: resident memory orders equal cells.
        compare: |a, b| a.d.res_kib.cmp(&b.d.res_kib),
    },
    TopColumn {
        keys: &["time+", "time", "t"],
        header: "TIME+",
        width: 9,
        align: Align::Right,
        descending: true,
        cell: |r| time_plus(r.d.time_centis),
        compare: |a, b| a.d.time_centis.cmp(&b.d.time_centis),
    },
    TopColumn {
        keys: &["command", "args", "name", "comm"],
        header: "COMMAND",
        width: 0,
        align: Align::Left,
        descending: false,
        cell: |r| r.d.command.clone(),
        compare: |a, b| a.d.command.cmp(&b.d.command),
    },
];

/// A column of the table: one of top's own or a ps key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// An index into [`COLUMNS`].
    Top(usize),
    Key(KeyColumn),
}

impl Shown {
    /// The column named by its header among top's own.
    pub fn top(header: &str) -> Shown {
        Shown::Top(by_header(header))
    }

    pub fn header(&self) -> &str {
        match self {
            Shown::Top(i) => COLUMNS[*i].header,
            Shown::Key(k) => &k.header,
        }
    }

    /// Cells are padded to this width; 0 for the command, which runs to the edge.
    pub fn width(&self) -> usize {
        match self {
            Shown::Top(i) => COLUMNS[*i].width,
            Shown::Key(k) => k.width,
        }
    }

    pub fn align(&self) -> Align {
        match self {
            Shown::Top(i) => COLUMNS[*i].align,
            Shown::Key(k) => k.align(),
        }
    }

    /// Whether sorting on it puts the largest first: top's columns say,
    /// ps's numbers do.
    pub fn descending(&self) -> bool {
        match self {
            Shown::Top(i) => COLUMNS[*i].descending,
            Shown::Key(k) => k.align() == Align::Right,
        }
    }
}

/// The index of the column for a `--sort` key (case-insensitive).
pub fn lookup(key: &str) -> Option<usize> {
    let key = key.to_ascii_lowercase();
    COLUMNS.iter().position(|c| c.keys.contains(&key.as_str()))
}

/// The index of the column named by its header.
pub fn by_header(header: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| c.header == header)
        .expect("a column with this header")
}

/// Every sort key, for error messages.
pub fn keys() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|c| c.keys[0])
}

/// A name cut to `width` with a trailing `+`, as top marks truncation.
fn cut_name(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        name.to_string()
    } else {
        let mut cut: String = name.chars().take(width - 1).collect();
        cut.push('+');
        cut
    }
}

/// top shows `rt` for the priorities of real-time policies (-100 in
/// /proc/PID/stat for the highest, -2 for the lowest).
fn priority_text(priority: i64) -> String {
    if priority <= -100 {
        "rt".to_string()
    } else {
        priority.to_string()
    }
}

/// KiB that fit in `width`, else the largest fitting unit (`12.3m`,
/// `4.5g`), as top scales memory fields.
pub fn scaled_kib(kib: u64, width: usize) -> String {
    let plain = kib.to_string();
    if plain.len() <= width {
        return plain;
    }
    let mut value = kib as f64;
    for unit in ["m", "g", "t", "p"] {
        value /= 1024.0;
        for text in [format!("{value:.1}{unit}"), format!("{value:.0}{unit}")] {
            if text.len() <= width {
                return text;
            }
        }
    }
    plain
}

/// TIME+ as top shows it: `M:SS.hh`, minutes unbounded.
pub fn time_plus(centis: u64) -> String {
    let secs = centis / 100;
    format!("{}:{:02}.{:02}", secs / 60, secs % 60, centis % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_found() {
        let mut seen = std::collections::HashSet::new();
        for c in COLUMNS {
            for k in c.keys {
                assert!(seen.insert(*k), "duplicate key {k}");
            }
        }
        assert_eq!(lookup("%CPU"), Some(by_header("%CPU")));
        assert_eq!(lookup("Mem"), Some(by_header("%MEM")));
        assert_eq!(lookup("nope"), None);
    }

    #[test]
    fn value_formats() {
        assert_eq!(time_plus(0), "0:00.00");
        assert_eq!(time_plus(380), "0:03.80");
        assert_eq!(time_plus(7_560_000), "1260:00.00");
        assert_eq!(scaled_kib(999_999, 6), "999999");
        assert_eq!(scaled_kib(1_048_576 * 10, 6), "10240m");
        assert_eq!(scaled_kib(1_048_576 * 100, 6), "100.0g");
        assert_eq!(scaled_kib(3_906_250, 7), "3906250");
        assert_eq!(priority_text(20), "20");
        assert_eq!(priority_text(-100), "rt");
        assert_eq!(cut_name("systemd-network", 8), "systemd+");
        assert_eq!(cut_name("root", 8), "root");
    }
}
