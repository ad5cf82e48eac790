//! Entry points for the fuzz targets in `fuzz/`, kept in the library so the
//! test suite can run every seed and crash input through the same code on
//! a stable toolchain. Each takes arbitrary bytes and must never panic.

use std::path::Path;

use crate::columns::{self, COLUMNS, ColumnCtx};
use crate::model::read::{from_stat, parse_status};
use crate::model::users::NameCache;
use crate::model::{ProcessInfo, SystemFacts};
use crate::render::escape::{escape_bytes, json_text};
use crate::render::pstree::{escape_octal, psmisc_args};

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// `-o` column lists.
pub fn column_list(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = columns::parse_list(t);
    }
}

/// `--sort` keys.
pub fn sort_keys(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = crate::select::parse_sort(t);
    }
}

/// Signal names and numbers, and `kill -l` translation.
pub fn signal_names(data: &[u8]) {
    if let Some(t) = text(data) {
        if let Ok(s) = crate::signal::parse_signal(t) {
            let _ = (s.name(), s.description(), s.default_action());
        }
        let _ = crate::signal::translate(t);
    }
}

/// DURATION values.
pub fn durations(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = crate::duration::parse_duration(t);
    }
}

/// `--env-file` contents.
pub fn env_file(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = crate::spawn::env::parse_env_file(Path::new("fuzz.env"), t);
    }
}

fn facts() -> SystemFacts {
    SystemFacts {
        hz: 100,
        page_kib: 4,
        boot_time: 1_700_000_000,
        boot_ticks: 50_000_000,
        now: 1_700_500_000,
        mem_total_kib: 16_000_000,
        tz: jiff::tz::TimeZone::UTC,
    }
}

/// Renders every column of a process, as ps would.
fn render_all(p: &ProcessInfo) {
    let sys = facts();
    let names = NameCache::default();
    let ctx = ColumnCtx {
        system: &sys,
        names: &names,
        name_width: Some(8),
        wchan_width: Some(6),
    };
    for spec in COLUMNS {
        let raw = columns::display_of(spec.id, p, &ctx);
        let _ = escape_bytes(&raw);
        let v = columns::value_of(spec.id, p, &ctx);
        let _ = crate::render::json::to_json(&v, &sys.tz);
    }
}

/// /proc/PID/stat contents through the parser and every column.
pub fn proc_stat(data: &[u8]) {
    if let Some(p) = from_stat(data, 1, 1) {
        render_all(&p);
    }
}

/// /proc/PID/status contents through the parser and the columns that use it.
pub fn proc_status(data: &[u8]) {
    let status = parse_status(data);
    let p = ProcessInfo {
        pid: 1,
        tid: 1,
        state: 'S',
        euid: Some(status.uids[1]),
        status: Some(status),
        ..ProcessInfo::default()
    };
    render_all(&p);
}

/// /proc/PID/cmdline contents as ps, pstree and JSON show them.
pub fn cmdline(data: &[u8]) {
    let p = ProcessInfo {
        pid: 1,
        tid: 1,
        name: b"x".to_vec(),
        state: 'S',
        cmdline: Some(data.to_vec()),
        ..ProcessInfo::default()
    };
    let _ = escape_bytes(&p.command_line());
    for a in p.args() {
        let _ = json_text(a);
    }
    for limit in [1, 2, 133, 8193] {
        if let Some(args) = psmisc_args(data, limit) {
            for a in args {
                let _ = escape_octal(&a);
            }
        }
    }
    render_all(&p);
}

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// Every target by name, for the corpus regression test.
pub const TARGETS: &[(&str, Target)] = &[
    ("column_list", column_list),
    ("sort_keys", sort_keys),
    ("signal_names", signal_names),
    ("durations", durations),
    ("env_file", env_file),
    ("proc_stat", proc_stat),
    ("proc_status", proc_status),
    ("cmdline", cmdline),
];
