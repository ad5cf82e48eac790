//! The report of `proctl show`: sections of labelled values as text, or one
//! JSON object.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value as J, json};

use super::escape::{escape_bytes, json_text};
use super::theme::{CellKind, Theme};
use crate::columns::{format_duration_dhms, format_elapsed, format_human_kib, format_iso8601};
use crate::model::detail::{FdKind, ProcessDetail, mask_signals};
use crate::model::users::NameCache;
use crate::model::{SystemFacts, tty};
use crate::signal::Signal;

/// What to include and how.
#[derive(Debug, Clone, Copy)]
pub struct ShowOptions {
    pub threads: bool,
    pub files: bool,
    pub env: bool,
    pub show_secrets: bool,
    pub theme: Theme,
}

const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "KEY",
    "CREDENTIAL",
    "AUTH",
    "PRIVATE",
    "COOKIE",
];

/// Whether an environment variable's name looks like it holds a secret.
pub fn is_secret_name(name: &[u8]) -> bool {
    let upper = String::from_utf8_lossy(name).to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

const MASK: &[u8] = b"********";

fn policy_name(policy: Option<u32>) -> &'static str {
    match policy {
        Some(0) => "normal",
        Some(1) => "fifo",
        Some(2) => "round-robin",
        Some(3) => "batch",
        Some(5) => "idle",
        Some(6) => "deadline",
        _ => "-",
    }
}

fn state_name(state: char) -> &'static str {
    match state {
        'R' => "running",
        'S' => "sleeping",
        'D' => "disk sleep",
        'Z' => "zombie",
        'T' => "stopped",
        't' => "tracing stop",
        'I' => "idle",
        'X' => "dead",
        _ => "unknown",
    }
}

fn names(mask: u64) -> Vec<String> {
    mask_signals(mask)
        .into_iter()
        .map(|n| Signal::from_number(n).map_or_else(|| n.to_string(), Signal::name))
        .collect()
}

fn fd_counts(d: &ProcessDetail) -> Option<BTreeMap<FdKind, usize>> {
    d.files.as_ref().map(|files| {
        let mut counts = BTreeMap::new();
        for f in files {
            *counts.entry(f.kind).or_insert(0) += 1;
        }
        counts
    })
}

fn cpu_percent(d: &ProcessDetail, sys: &SystemFacts) -> f64 {
    let life = sys.boot_ticks.saturating_sub(d.info.start_ticks);
    if life == 0 {
        0.0
    } else {
        (d.info.cpu_ticks() as f64 * 1000.0 / life as f64).floor() / 10.0
    }
}

fn mem_percent(rss_kib: u64, sys: &SystemFacts) -> f64 {
    if sys.mem_total_kib == 0 {
        0.0
    } else {
        (rss_kib as f64 * 1000.0 / sys.mem_total_kib as f64).floor() / 10.0
    }
}

fn who(id: u32, user: bool, cache: &NameCache) -> String {
    let name = if user {
        cache.user(id)
    } else {
        cache.group(id)
    };
    match name {
        Some(n) => format!("{n}({id})"),
        None => id.to_string(),
    }
}

struct Report<'a> {
    out: &'a mut dyn Write,
    theme: Theme,
}

impl Report<'_> {
    fn section(&mut self, title: &str) -> io::Result<()> {
        writeln!(self.out, "{}", self.theme.paint(CellKind::Header, title))
    }

    fn line(&mut self, label: &str, value: impl AsRef<str>) -> io::Result<()> {
        writeln!(self.out, "  {label:<18} {}", value.as_ref())
    }

    fn denied(&mut self) -> io::Result<()> {
        writeln!(self.out, "  permission denied")
    }
}

/// Writes the text report of one process.
pub fn write_text(
    out: &mut dyn Write,
    d: &ProcessDetail,
    sys: &SystemFacts,
    opts: ShowOptions,
) -> io::Result<()> {
    let cache = NameCache::default();
    let p = &d.info;
    let mut r = Report {
        out,
        theme: opts.theme,
    };
    r.section("Identity")?;
    r.line("pid", format!("{} ({})", p.pid, escape_bytes(&p.name)))?;
    let chain: Vec<String> = d
        .ancestors
        .iter()
        .map(|a| format!("{} ({})", a.pid, escape_bytes(&a.name)))
        .collect();
    r.line(
        "parents",
        if chain.is_empty() {
            "-".to_string()
        } else {
            chain.join(" < ")
        },
    )?;
    r.line("process group", p.pgrp.to_string())?;
    r.line("session", p.session.to_string())?;
    r.line(
        "terminal",
        tty::tty_name(p.tty_nr).unwrap_or_else(|| "-".into()),
    )?;
    match (d.uids, d.gids) {
        (Some(u), Some(g)) => {
            r.line(
                "user",
                format!(
                    "real {}, effective {}, saved {}",
                    who(u[0], true, &cache),
                    who(u[1], true, &cache),
                    who(u[2], true, &cache)
                ),
            )?;
            r.line(
                "group",
                format!(
                    "real {}, effective {}, saved {}",
                    who(g[0], false, &cache),
                    who(g[1], false, &cache),
                    who(g[2], false, &cache)
                ),
            )?;
        }
        _ => r.line(
            "user",
            p.euid
                .map_or_else(|| "-".to_string(), |u| who(u, true, &cache)),
        )?,
    }
    let start = sys.start_epoch(p.start_ticks);
    r.line(
        "started",
        format!(
            "{} ({} ago)",
            format_iso8601(start, &sys.tz).unwrap_or_else(|| "-".into()),
            format_elapsed(sys.elapsed_secs(p.start_ticks) as u64)
        ),
    )?;

    r.section("Command")?;
    let path = |v: &Option<Vec<u8>>| {
        v.as_deref().map_or_else(
            || "permission denied".to_string(),
            |b| escape_bytes(b).into_owned(),
        )
    };
    r.line("executable", path(&d.exe))?;
    let args: Vec<String> = p
        .args()
        .iter()
        .map(|a| escape_bytes(a).into_owned())
        .collect();
    r.line(
        "arguments",
        if args.is_empty() {
            format!("[{}]", escape_bytes(&p.name))
        } else {
            args.join(" ")
        },
    )?;
    r.line("directory", path(&d.cwd))?;
    r.line("root", path(&d.root))?;

    r.section("State and scheduling")?;
    r.line("state", format!("{} ({})", p.state, state_name(p.state)))?;
    r.line("nice", p.nice.to_string())?;
    r.line("priority", p.priority.to_string())?;
    r.line("policy", policy_name(p.policy))?;
    r.line(
        "last CPU",
        p.processor.map_or_else(|| "-".into(), |c| c.to_string()),
    )?;
    r.line("threads", p.num_threads.to_string())?;
    if let Some(threads) = &d.threads {
        for t in threads {
            r.line(
                "",
                format!("{} {} ({})", t.tid, escape_bytes(&t.name), t.state),
            )?;
        }
    }
    match (d.voluntary_ctxt, d.nonvoluntary_ctxt) {
        (Some(v), Some(n)) => r.line(
            "context switches",
            format!("{v} voluntary, {n} involuntary"),
        )?,
        _ => r.line("context switches", "-")?,
    }

    r.section("CPU")?;
    r.line(
        "user time",
        format!("{:.2} s", p.utime as f64 / sys.hz as f64),
    )?;
    r.line(
        "system time",
        format!("{:.2} s", p.stime as f64 / sys.hz as f64),
    )?;
    r.line("total", format_duration_dhms(p.cpu_ticks() / sys.hz))?;
    r.line("average %CPU", format!("{:.1}", cpu_percent(d, sys)))?;

    r.section("Memory")?;
    match &d.memory {
        Some(m) => {
            let k = |v: Option<u64>| v.map_or_else(|| "-".to_string(), format_human_kib);
            r.line("virtual (VSZ)", k(m.size))?;
            r.line(
                "resident (RSS)",
                format!(
                    "{} (anonymous {}, file {}, shared {})",
                    k(m.rss),
                    k(m.anon),
                    k(m.file),
                    k(m.shmem)
                ),
            )?;
            r.line("swap", k(m.swap))?;
            r.line(
                "peak",
                format!("virtual {}, resident {}", k(m.peak_size), k(m.peak_rss)),
            )?;
            r.line(
                "%MEM",
                format!("{:.1}", mem_percent(m.rss.unwrap_or(0), sys)),
            )?;
        }
        None => r.denied()?,
    }

    r.section("Disk I/O")?;
    match &d.io {
        Some(io) => {
            r.line(
                "read",
                format!(
                    "{} bytes from storage, {} bytes in {} calls",
                    io.read_bytes, io.chars_read, io.read_calls
                ),
            )?;
            r.line(
                "written",
                format!(
                    "{} bytes to storage, {} bytes in {} calls",
                    io.write_bytes, io.chars_written, io.write_calls
                ),
            )?;
        }
        None => r.denied()?,
    }

    r.section("Open files")?;
    match (&d.files, fd_counts(d)) {
        (Some(files), Some(counts)) => {
            let summary: Vec<String> = counts
                .iter()
                .map(|(k, n)| format!("{n} {}", k.name()))
                .collect();
            r.line(
                "count",
                format!(
                    "{}: {}",
                    files.len(),
                    if summary.is_empty() {
                        "none".to_string()
                    } else {
                        summary.join(", ")
                    }
                ),
            )?;
            if opts.files {
                for f in files {
                    r.line(&format!("fd {}", f.fd), escape_bytes(&f.target))?;
                }
            }
        }
        _ => r.denied()?,
    }

    r.section("Network")?;
    match &d.sockets {
        Some(sockets) if sockets.is_empty() => r.line("sockets", "no TCP or UDP sockets")?,
        Some(sockets) => {
            for s in sockets {
                let remote = if s.remote.port() == 0 {
                    "*".to_string()
                } else {
                    s.remote.to_string()
                };
                r.line(
                    &s.proto.to_string(),
                    format!("{} {} -> {}", s.state, s.local, remote),
                )?;
            }
        }
        None => r.denied()?,
    }

    r.section("Environment")?;
    match &d.environment {
        Some(env) if opts.env => {
            for (k, v) in env {
                let value = if !opts.show_secrets && is_secret_name(k) {
                    MASK
                } else {
                    v.as_slice()
                };
                writeln!(r.out, "  {}={}", escape_bytes(k), escape_bytes(value))?;
            }
        }
        Some(env) => {
            let secrets = env.iter().filter(|(k, _)| is_secret_name(k)).count();
            r.line(
                "variables",
                format!(
                    "{} ({} with secret-looking names); list them with --env",
                    env.len(),
                    secrets
                ),
            )?;
        }
        None => r.denied()?,
    }

    r.section("Limits (soft / hard)")?;
    match &d.limits {
        Some(limits) => {
            let v = |x: Option<u64>| x.map_or_else(|| "unlimited".to_string(), |n| n.to_string());
            for l in limits {
                r.line(l.name, format!("{} / {}", v(l.soft), v(l.hard)))?;
            }
        }
        None => r.denied()?,
    }

    r.section("Control groups and namespaces")?;
    r.line(
        "cgroup",
        d.cgroup.as_deref().map_or_else(
            || "permission denied".to_string(),
            |c| escape_bytes(c).into_owned(),
        ),
    )?;
    match &d.namespaces {
        Some(ns) => {
            for (name, id) in ns {
                r.line(name, id.to_string())?;
            }
        }
        None => r.line("namespaces", "permission denied")?,
    }

    r.section("Signals")?;
    match &d.signals {
        Some(s) => {
            let list = |m: u64| {
                let n = names(m);
                if n.is_empty() {
                    "-".to_string()
                } else {
                    n.join(" ")
                }
            };
            r.line("pending", list(s.pending))?;
            r.line("blocked", list(s.blocked))?;
            r.line("ignored", list(s.ignored))?;
            r.line("caught", list(s.caught))?;
        }
        None => r.denied()?,
    }
    Ok(())
}

fn text(b: &[u8]) -> J {
    J::from(json_text(b).into_owned())
}

/// The JSON object of one process; unreadable sections are null.
pub fn to_json(d: &ProcessDetail, sys: &SystemFacts, opts: ShowOptions) -> J {
    let cache = NameCache::default();
    let p = &d.info;
    let idset = |ids: Option<[u32; 4]>, user: bool| {
        ids.map_or(J::Null, |i| {
            let name = |id: u32| {
                if user {
                    cache.user(id)
                } else {
                    cache.group(id)
                }
            };
            json!({
                "real": i[0], "effective": i[1], "saved": i[2], "filesystem": i[3],
                "real_name": name(i[0]), "effective_name": name(i[1]),
            })
        })
    };
    json!({
        "pid": p.pid,
        "name": text(&p.name),
        "ppid": p.ppid,
        "ancestors": d.ancestors.iter().map(|a| json!({"pid": a.pid, "name": text(&a.name)})).collect::<Vec<_>>(),
        "pgid": p.pgrp,
        "sid": p.session,
        "tty": tty::tty_name(p.tty_nr),
        "uids": idset(d.uids, true),
        "gids": idset(d.gids, false),
        "start_time": format_iso8601(sys.start_epoch(p.start_ticks), &sys.tz),
        "elapsed_seconds": sys.elapsed_secs(p.start_ticks),
        "exe": d.exe.as_deref().map(text),
        "args": p.args().into_iter().map(text).collect::<Vec<_>>(),
        "cwd": d.cwd.as_deref().map(text),
        "root": d.root.as_deref().map(text),
        "state": p.state.to_string(),
        "nice": p.nice,
        "priority": p.priority,
        "policy": policy_name(p.policy),
        "processor": p.processor,
        "threads": p.num_threads,
        "thread_list": d.threads.as_ref().map(|ts| ts.iter().map(|t| json!({"tid": t.tid, "name": text(&t.name), "state": t.state.to_string()})).collect::<Vec<_>>()),
        "voluntary_ctxt_switches": d.voluntary_ctxt,
        "involuntary_ctxt_switches": d.nonvoluntary_ctxt,
        "cpu": {
            "user_seconds": p.utime as f64 / sys.hz as f64,
            "system_seconds": p.stime as f64 / sys.hz as f64,
            "percent": cpu_percent(d, sys),
        },
        "memory_kib": d.memory.as_ref().map(|m| json!({
            "virtual": m.size, "resident": m.rss, "anonymous": m.anon, "file": m.file, "shared": m.shmem,
            "swap": m.swap, "peak_virtual": m.peak_size, "peak_resident": m.peak_rss,
            "percent": mem_percent(m.rss.unwrap_or(0), sys),
        })),
        "io": d.io.as_ref().map(|io| json!({
            "read_bytes": io.read_bytes, "write_bytes": io.write_bytes,
            "read_calls": io.read_calls, "write_calls": io.write_calls,
            "chars_read": io.chars_read, "chars_written": io.chars_written,
        })),
        "open_files": d.files.as_ref().map(|files| json!({
            "count": files.len(),
            "by_kind": fd_counts(d).unwrap_or_default().into_iter().map(|(k, n)| (k.name().replace(' ', "_"), J::from(n))).collect::<serde_json::Map<_, _>>(),
            "list": files.iter().map(|f| json!({"fd": f.fd, "kind": f.kind.name(), "target": text(&f.target)})).collect::<Vec<_>>(),
        })),
        "sockets": d.sockets.as_ref().map(|ss| ss.iter().map(|s| json!({
            "proto": s.proto.to_string(), "state": s.state,
            "local_address": s.local.ip().to_string(), "local_port": s.local.port(),
            "remote_address": s.remote.ip().to_string(), "remote_port": s.remote.port(),
        })).collect::<Vec<_>>()),
        "environment": d.environment.as_ref().map(|env| env.iter().map(|(k, v)| {
            let value = if !opts.show_secrets && is_secret_name(k) { MASK } else { v.as_slice() };
            (json_text(k).into_owned(), text(value))
        }).collect::<serde_json::Map<_, _>>()),
        "limits": d.limits.as_ref().map(|ls| ls.iter().map(|l| (l.name.to_string(), json!({"soft": l.soft, "hard": l.hard}))).collect::<serde_json::Map<_, _>>()),
        "cgroup": d.cgroup.as_deref().map(text),
        "namespaces": d.namespaces.as_ref().map(|ns| ns.iter().map(|(n, id)| (n.clone(), J::from(*id))).collect::<serde_json::Map<_, _>>()),
        "signals": d.signals.as_ref().map(|s| json!({
            "pending": names(s.pending), "blocked": names(s.blocked),
            "ignored": names(s.ignored), "caught": names(s.caught),
        })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "GITHUB_TOKEN",
            "db_password",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "npm_config__auth",
        ] {
            assert!(is_secret_name(name.as_bytes()), "{name}");
        }
        for name in ["PATH", "HOME", "LANG", "TERM"] {
            assert!(!is_secret_name(name.as_bytes()), "{name}");
        }
    }
}
