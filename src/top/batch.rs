//! Batch mode: frames written one after another, as plain text laid out
//! like `top -b` (top(1), "2. SUMMARY Display" and "3. FIELDS"), or as
//! JSON / NDJSON objects in the vocabulary of `proctl ps --format json`.

use std::io::{self, Write};

use serde_json::{Value as J, json};

use super::columns::{Align, COLUMNS, Shown};
use super::state::TopState;
use super::summary::{CpuShare, Summary};
use crate::columns::{COLUMNS as PS_COLUMNS, ColumnCtx, ColumnId, format_iso8601, value_of};
use crate::model::users::NameCache;
use crate::render::json::{to_json, write_object};

/// The batch output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFormat {
    Text,
    /// One JSON array holding every frame, written as frames come.
    Json,
    /// One JSON object a line, a frame each.
    Ndjson,
}

/// The per-process fields of a JSON frame: `proctl ps` columns, so the
/// names and value types are those of `proctl ps --format json`.
const PROCESS_FIELDS: &[ColumnId] = &[
    ColumnId::Pid,
    ColumnId::Ppid,
    ColumnId::User,
    ColumnId::Uid,
    ColumnId::Comm,
    ColumnId::Args,
    ColumnId::State,
    ColumnId::Nice,
    ColumnId::Pcpu,
    ColumnId::Pmem,
    ColumnId::Rss,
    ColumnId::Vsz,
    ColumnId::Time,
    ColumnId::Etimes,
    ColumnId::Start,
    ColumnId::Nlwp,
];

/// Writes the frame the state holds, the `number`th (from 0).
pub fn write_frame(
    out: &mut dyn Write,
    state: &TopState,
    format: BatchFormat,
    number: u64,
) -> io::Result<()> {
    match format {
        BatchFormat::Text => {
            if number > 0 {
                out.write_all(b"\n")?;
            }
            write_text(out, state)
        }
        BatchFormat::Json => {
            out.write_all(if number == 0 { b"[\n" } else { b",\n" })?;
            write_frame_json(out, state)
        }
        BatchFormat::Ndjson => {
            write_frame_json(out, state)?;
            out.write_all(b"\n")
        }
    }
}

/// Ends the output after the last frame (closes the JSON array).
pub fn finish(out: &mut dyn Write, format: BatchFormat, frames: u64) -> io::Result<()> {
    match format {
        BatchFormat::Json if frames == 0 => out.write_all(b"[]\n"),
        BatchFormat::Json => out.write_all(b"\n]\n"),
        _ => Ok(()),
    }
}

/// The text frame: the summary, a blank line, the titles and every row.
pub fn write_text(out: &mut dyn Write, state: &TopState) -> io::Result<()> {
    let frame = &state.frame;
    for line in summary_lines(&frame.summary, &frame.system.tz, state.threads) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", titles_line(&state.shown))?;
    let last = state.shown.len().saturating_sub(1);
    for row in &state.view {
        let mut line = String::with_capacity(120);
        for (i, c) in state.shown.iter().enumerate() {
            // Nothing is cut: a ps key's wider value pushes the rest
            // right, as in ps.
            let cell = match c {
                Shown::Top(t) => (COLUMNS[*t].cell)(frame.row(row.index)),
                Shown::Key(k) => state.key_text(k, row.index),
            };
            if i == last {
                line.push_str(&row.prefix);
                line.push_str(&cell);
            } else {
                pad(&mut line, &cell, c.width(), c.align());
                line.push(' ');
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The column titles, aligned as the cells.
pub fn titles_line(shown: &[Shown]) -> String {
    let mut line = String::new();
    for (i, c) in shown.iter().enumerate() {
        if i + 1 == shown.len() {
            line.push_str(c.header());
        } else {
            pad(&mut line, c.header(), c.width(), c.align());
            line.push(' ');
        }
    }
    line
}

fn pad(line: &mut String, cell: &str, width: usize, align: Align) {
    let fill = width.saturating_sub(cell.chars().count());
    if align == Align::Right {
        line.extend(std::iter::repeat_n(' ', fill));
        line.push_str(cell);
    } else {
        line.push_str(cell);
        line.extend(std::iter::repeat_n(' ', fill));
    }
}

/// The five summary lines of top: clock, uptime and load; tasks (or
/// threads, with `threads`: top(1) "2b. TASK and CPU States": "Line 2
/// shows total tasks or threads, depending on the mode"); CPU; memory;
/// swap.
pub fn summary_lines(s: &Summary, tz: &jiff::tz::TimeZone, threads: bool) -> Vec<String> {
    let clock = jiff::Timestamp::from_second(s.now)
        .map(|t| tz.to_datetime(t).strftime("%H:%M:%S").to_string())
        .unwrap_or_else(|_| "--:--:--".to_string());
    let t = &s.tasks;
    let c = &s.cpu;
    let m = &s.memory;
    let mib = |kib: u64| kib as f64 / 1024.0;
    vec![
        // procps 4.0.2's uptime line: "user" unless more than one.
        format!(
            "top - {clock} up {}, {:2} {},  load average: {:.2}, {:.2}, {:.2}",
            uptime_text(s.uptime_secs),
            s.users,
            if s.users > 1 { "users" } else { "user" },
            s.load[0],
            s.load[1],
            s.load[2]
        ),
        format!(
            "{}:{:4} total,{:4} running,{:4} sleeping,{:4} stopped,{:4} zombie",
            if threads { "Threads" } else { "Tasks" },
            t.total,
            t.running,
            t.sleeping,
            t.stopped,
            t.zombie
        ),
        format!(
            "%Cpu(s):{:5.1} us,{:5.1} sy,{:5.1} ni,{:5.1} id,{:5.1} wa,{:5.1} hi,{:5.1} si,{:5.1} st",
            c.user, c.system, c.nice, c.idle, c.iowait, c.irq, c.softirq, c.steal
        ),
        format!(
            "MiB Mem :{:9.1} total,{:9.1} free,{:9.1} used,{:9.1} buff/cache",
            mib(m.total),
            mib(m.free),
            mib(m.used()),
            mib(m.buff_cache)
        ),
        format!(
            "MiB Swap:{:9.1} total,{:9.1} free,{:9.1} used.{:9.1} avail Mem",
            mib(m.swap_total),
            mib(m.swap_free),
            mib(m.swap_used()),
            mib(m.available)
        ),
    ]
}

/// Uptime as procps prints it: `3 days, 10:26`, `10:26` or `5 min`.
pub fn uptime_text(secs: u64) -> String {
    let days = secs / 86400;
    let (hours, minutes) = (secs / 3600 % 24, secs / 60 % 60);
    let mut text = String::new();
    if days > 0 {
        text.push_str(&format!("{days} day{}, ", if days == 1 { "" } else { "s" }));
    }
    if hours > 0 {
        text.push_str(&format!("{hours:2}:{minutes:02}"));
    } else {
        text.push_str(&format!("{minutes} min"));
    }
    text
}

fn share_json(c: &CpuShare) -> J {
    let r = |v: f64| (v * 10.0).round() / 10.0;
    json!({
        "user": r(c.user), "nice": r(c.nice), "system": r(c.system), "idle": r(c.idle),
        "iowait": r(c.iowait), "irq": r(c.irq), "softirq": r(c.softirq), "steal": r(c.steal),
    })
}

/// Writes one frame as a JSON object on one line, fields in a fixed
/// order: the time, the summary, and the processes in the order shown.
pub fn write_frame_json(out: &mut dyn Write, state: &TopState) -> io::Result<()> {
    let (names, values): (Vec<&str>, Vec<J>) = frame_fields(state).into_iter().unzip();
    out.write_all(b"{")?;
    for (i, (name, value)) in names.iter().zip(&values).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, name)?;
        out.write_all(b":")?;
        if *name == "processes" {
            write_processes(out, state)?;
        } else {
            serde_json::to_writer(&mut *out, value)?;
        }
    }
    out.write_all(b"}")
}

/// The summary fields of a frame; `processes` is written apart, row by row.
fn frame_fields(state: &TopState) -> Vec<(&'static str, J)> {
    let frame = &state.frame;
    let s = &frame.summary;
    let m = &s.memory;
    let t = &s.tasks;
    vec![
        ("timestamp", json!(format_iso8601(s.now, &frame.system.tz))),
        ("uptime_seconds", json!(s.uptime_secs)),
        ("load_average", json!(s.load)),
        (
            "tasks",
            json!({
                "total": t.total, "running": t.running, "sleeping": t.sleeping,
                "stopped": t.stopped, "zombie": t.zombie,
            }),
        ),
        // false on the first frame: %CPU values are then lifetime averages.
        ("cpu_measured", json!(frame.measured)),
        ("cpu", share_json(&s.cpu)),
        ("cpus", J::Array(s.per_cpu.iter().map(share_json).collect())),
        (
            "memory",
            json!({
                "total_kib": m.total, "free_kib": m.free, "used_kib": m.used(),
                "buff_cache_kib": m.buff_cache, "available_kib": m.available,
                "swap_total_kib": m.swap_total, "swap_free_kib": m.swap_free,
                "swap_used_kib": m.swap_used(),
            }),
        ),
        ("processes", J::Null),
    ]
}

fn write_processes(out: &mut dyn Write, state: &TopState) -> io::Result<()> {
    let frame = &state.frame;
    let tz = &frame.system.tz;
    let names = NameCache::default();
    let ctx = ColumnCtx {
        system: &frame.system,
        names: &names,
        name_width: None,
        wchan_width: None,
    };
    let mut keys: Vec<&str> = PROCESS_FIELDS
        .iter()
        .map(|&id| {
            PS_COLUMNS
                .iter()
                .find(|c| c.id == id)
                .map_or("?", |c| c.json)
        })
        .collect();
    // top's priority (20 for nice 0): ps's `pri` counts the other way.
    keys.extend(["priority", "shr_kib"]);
    if state.threads {
        keys.push("tid");
    }
    // The -o keys under ps's JSON names; a name already there is the same
    // quantity, given once.
    let mut extra = Vec::new();
    for column in &state.columns.keys {
        let name = crate::cmd::ps_json::field(column.spec).0;
        if !keys.contains(&name) && !extra.iter().any(|(n, _)| *n == name) {
            extra.push((name, column));
        }
    }
    keys.extend(extra.iter().map(|(n, _)| *n));
    out.write_all(b"[")?;
    for (i, row) in state.view.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        let p = &frame.processes[row.index];
        let mut values: Vec<Option<J>> = PROCESS_FIELDS
            .iter()
            .map(|&id| to_json(&value_of(id, p, &ctx), tz))
            .collect();
        values.push(Some(json!(p.priority)));
        values.push(Some(json!(frame.derived[row.index].shr_kib)));
        if state.threads {
            values.push(Some(json!(p.tid)));
        }
        for (_, column) in &extra {
            values.push(state.cells.json(column, p, &frame.system, &frame.root));
        }
        write_object(out, &keys, &values)?;
    }
    out.write_all(b"]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_like_procps() {
        assert_eq!(uptime_text(59), "0 min");
        assert_eq!(uptime_text(5 * 60), "5 min");
        assert_eq!(uptime_text(3600 + 26 * 60), " 1:26");
        assert_eq!(uptime_text(86400 + 60), "1 day, 1 min");
        assert_eq!(
            uptime_text(3 * 86400 + 10 * 3600 + 26 * 60),
            "3 days, 10:26"
        );
    }

    #[test]
    fn titles_line_up_like_top() {
        let shown = super::super::fields::ColumnSet::default().shown();
        assert_eq!(
            titles_line(&shown),
            "    PID USER     PRI  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND"
        );
    }
}
