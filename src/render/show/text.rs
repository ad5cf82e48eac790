//! The text report of `proctl show`: a section a heading, a labelled
//! value a line, and the real reason where a section is missing.

use std::io::{self, Write};

use super::{
    MASK, ShowOptions, cpu_percent, fd_counts, is_secret_name, mem_percent, names, policy_name,
};
use crate::columns::{format_duration_dhms, format_elapsed, format_human_kib, format_iso8601};
use crate::model::detail::ProcessDetail;
use crate::model::files::{OpenFile, SocketInfo};
use crate::model::limits::{Limit, LimitUnit};
use crate::model::security::{CAP_SETS, describe_caps, seccomp_mode};
use crate::model::unreadable::{Section, Unreadable};
use crate::model::users::NameCache;
use crate::model::{SystemFacts, tty};
use crate::render::escape::escape_bytes;
use crate::render::theme::{CellKind, Theme};

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

    fn missing(&mut self, why: &Unreadable) -> io::Result<()> {
        writeln!(self.out, "  {}", why.text())
    }
}

/// A path or the reason it is missing.
fn path_text(v: &Section<Vec<u8>>) -> String {
    match v {
        Ok(b) => escape_bytes(b).into_owned(),
        Err(why) => why.text(),
    }
}

/// Bytes in human units (`8.0M`), below 1 KiB as bytes.
pub(crate) fn human_bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n}B")
    } else {
        format_human_kib(n / 1024)
    }
}

fn limit_text(l: Limit, unit: LimitUnit) -> String {
    match (l, unit) {
        (Limit::Unlimited, _) => "unlimited".into(),
        (Limit::Value(n), LimitUnit::Bytes) => human_bytes(n),
        (Limit::Value(n), LimitUnit::Seconds) => format!("{n}s"),
        (Limit::Value(n), LimitUnit::Microseconds) => format!("{n}us"),
        (Limit::Value(n), LimitUnit::Count) => n.to_string(),
    }
}

/// What kind of process, when it is not an ordinary one.
fn kind_note(d: &ProcessDetail) -> &'static str {
    if d.is_kernel_thread() {
        " (kernel thread)"
    } else if d.info.is_zombie() {
        " (zombie)"
    } else {
        ""
    }
}

/// One descriptor's line after `fd N`: mode, kind, target and what it leads to.
pub(crate) fn file_line(f: &OpenFile) -> String {
    let mut text = format!("{:<2} {:<6} ", f.mode.unwrap_or("-"), f.kind.word());
    match &f.socket {
        Some(SocketInfo::Inet(s)) => {
            let remote = if s.remote.port() == 0 {
                "*".to_string()
            } else {
                s.remote.to_string()
            };
            text.push_str(&format!(
                "{} {} -> {} {}",
                s.proto, s.local, remote, s.state
            ));
        }
        Some(SocketInfo::Unix(u)) => {
            let name = u
                .name
                .as_deref()
                .map_or_else(|| "(unnamed)".to_string(), |n| escape_bytes(n).into_owned());
            text.push_str(&format!("unix {} {name} {}", u.kind, u.state));
        }
        None => {
            text.push_str(&escape_bytes(&f.target));
            if f.deleted {
                text.push_str(" (deleted)");
            }
            if let Some((kind, major, minor)) = f.device {
                text.push_str(&format!(" ({kind} {major}:{minor})"));
            }
        }
    }
    if !f.peers.is_empty() {
        let peers: Vec<String> = f
            .peers
            .iter()
            .map(|p| format!("{} ({}) fd {}", p.pid, escape_bytes(&p.name), p.fd))
            .collect();
        text.push_str(&format!(" <-> {}", peers.join(", ")));
    }
    text
}

/// What every section reads.
struct Ctx<'a> {
    d: &'a ProcessDetail,
    sys: &'a SystemFacts,
    opts: ShowOptions,
    cache: &'a NameCache,
}

type SectionFn = fn(&mut Report, &Ctx) -> io::Result<()>;

/// The sections in the order they are printed.
const SECTIONS: &[SectionFn] = &[
    identity,
    command,
    scheduling,
    cpu,
    memory,
    security,
    disk_io,
    open_files,
    mapped_files,
    network,
    environment,
    limits,
    control_groups,
    namespaces,
    signals,
];

/// Writes the text report of one process.
pub fn write_text(
    out: &mut dyn Write,
    d: &ProcessDetail,
    sys: &SystemFacts,
    opts: ShowOptions,
) -> io::Result<()> {
    let cache = NameCache::default();
    let ctx = Ctx {
        d,
        sys,
        opts,
        cache: &cache,
    };
    let mut r = Report {
        out,
        theme: opts.theme,
    };
    for section in SECTIONS {
        section(&mut r, &ctx)?;
    }
    Ok(())
}

fn identity(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let p = &d.info;
    let sys = c.sys;
    let cache = c.cache;
    r.section("Identity")?;
    r.line(
        "pid",
        format!("{} ({}){}", p.pid, escape_bytes(&p.name), kind_note(d)),
    )?;
    if d.ns_pids.len() > 1 {
        let chain: Vec<String> = d.ns_pids.iter().map(|p| p.to_string()).collect();
        r.line(
            "namespaced pids",
            format!("{} (outermost first)", chain.join(" > ")),
        )?;
    }
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
                    who(u[0], true, cache),
                    who(u[1], true, cache),
                    who(u[2], true, cache)
                ),
            )?;
            r.line(
                "group",
                format!(
                    "real {}, effective {}, saved {}",
                    who(g[0], false, cache),
                    who(g[1], false, cache),
                    who(g[2], false, cache)
                ),
            )?;
        }
        _ => r.line(
            "user",
            p.euid
                .map_or_else(|| "-".to_string(), |u| who(u, true, cache)),
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
    Ok(())
}

fn command(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let p = &d.info;
    r.section("Command")?;
    let mut exe = path_text(&d.exe);
    if d.exe_deleted {
        exe.push_str(" (deleted)");
    }
    r.line("executable", exe)?;
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
    r.line("directory", path_text(&d.cwd))?;
    r.line("root", path_text(&d.root))?;
    Ok(())
}

fn scheduling(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let p = &d.info;
    r.section("State and scheduling")?;
    r.line("state", format!("{} ({})", p.state, state_name(p.state)))?;
    r.line("nice", p.nice.to_string())?;
    r.line("priority", p.priority.to_string())?;
    let s = &d.scheduling;
    let policy = policy_name(p.policy);
    r.line(
        "policy",
        match s.rt_priority {
            Some(rt) if rt > 0 => format!("{policy}, real-time priority {rt}"),
            _ => policy.to_string(),
        },
    )?;
    r.line("CPU affinity", s.affinity.as_deref().unwrap_or("-"))?;
    r.line(
        "last CPU",
        p.processor.map_or_else(|| "-".into(), |c| c.to_string()),
    )?;
    r.line(
        "I/O priority",
        s.io.map_or_else(
            || "-".to_string(),
            |io| match io.level {
                Some(level) => format!("{}: prio {level}", io.class.name()),
                None => io.class.name().to_string(),
            },
        ),
    )?;
    r.line(
        "OOM score",
        match (s.oom_score, s.oom_score_adj) {
            (Some(score), Some(adj)) => format!("{score} (adjustment {adj})"),
            (Some(score), None) => score.to_string(),
            _ => "-".into(),
        },
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
    Ok(())
}

fn cpu(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let p = &d.info;
    let sys = c.sys;
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
    Ok(())
}

fn memory(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let p = &d.info;
    let sys = c.sys;
    r.section("Memory")?;
    let k = |v: Option<u64>| v.map_or_else(|| "-".to_string(), format_human_kib);
    let no_memory = Unreadable::not_applicable(p)
        .filter(|_| d.status_memory.as_ref().is_none_or(|m| m.size.is_none()));
    match &d.status_memory {
        _ if let Some(why) = &no_memory => r.line("virtual, resident", why.text())?,
        Some(m) => {
            r.line("virtual (VSZ)", k(m.size))?;
            r.line(
                "resident (RSS)",
                format!(
                    "{} (anonymous {}, file {}, shmem {})",
                    k(m.rss),
                    k(m.anon),
                    k(m.file),
                    k(m.shmem)
                ),
            )?;
        }
        None => r.missing(&Unreadable::Gone)?,
    }
    match &d.rollup {
        Ok(roll) => {
            r.line(
                "proportional (PSS)",
                format!(
                    "{} (anonymous {}, file {}, shmem {})",
                    format_human_kib(roll.pss),
                    format_human_kib(roll.pss_anon),
                    format_human_kib(roll.pss_file),
                    format_human_kib(roll.pss_shmem)
                ),
            )?;
            r.line("unique (USS)", format_human_kib(roll.uss()))?;
            r.line(
                "shared",
                format!(
                    "{} (clean {}, dirty {})",
                    format_human_kib(roll.shared()),
                    format_human_kib(roll.shared_clean),
                    format_human_kib(roll.shared_dirty)
                ),
            )?;
            r.line(
                "swap",
                format!(
                    "{} (proportional {})",
                    format_human_kib(roll.swap),
                    format_human_kib(roll.swap_pss)
                ),
            )?;
        }
        Err(why) => {
            r.line("PSS, USS, shared", why.text())?;
            if let Some(m) = &d.status_memory
                && no_memory.is_none()
            {
                r.line("swap", k(m.swap))?;
            }
        }
    }
    if let Some(m) = &d.status_memory
        && no_memory.is_none()
    {
        r.line(
            "peak",
            format!("virtual {}, resident {}", k(m.peak_size), k(m.peak_rss)),
        )?;
        r.line(
            "%MEM",
            format!("{:.1}", mem_percent(m.rss.unwrap_or(0), sys)),
        )?;
    }
    Ok(())
}

fn security(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let cache = c.cache;
    r.section("Security")?;
    match &d.security {
        Some(sec) => {
            for ((_, name), mask) in CAP_SETS.iter().zip(sec.caps) {
                r.line(
                    &format!("{name} caps"),
                    mask.map_or_else(|| "-".into(), |m| describe_caps(m, sec.last_cap)),
                )?;
            }
            r.line(
                "no new privileges",
                match sec.no_new_privs {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "-",
                },
            )?;
            r.line(
                "seccomp",
                match (sec.seccomp, sec.seccomp_filters) {
                    (Some(2), Some(n)) => format!("filter ({n} filters)"),
                    (Some(mode), _) => seccomp_mode(mode).to_string(),
                    _ => "-".into(),
                },
            )?;
            r.line(
                "security label",
                match &sec.label {
                    Ok(Some(label)) => escape_bytes(label.as_bytes()).into_owned(),
                    Ok(None) => "none (no LSM labels processes)".into(),
                    Err(why) => why.text(),
                },
            )?;
            let groups: Vec<String> = sec.groups.iter().map(|&g| who(g, false, cache)).collect();
            r.line(
                "groups",
                if groups.is_empty() {
                    "-".to_string()
                } else {
                    groups.join(" ")
                },
            )?;
            r.line(
                "umask",
                match sec.umask {
                    Some(m) => format!("{m:04o}"),
                    // Released with its directories (JSON leaves it out).
                    None if d.info.is_zombie() => "none (zombie)".into(),
                    None => "-".into(),
                },
            )?;
        }
        None => r.missing(&Unreadable::Gone)?,
    }
    Ok(())
}

fn disk_io(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    r.section("Disk I/O")?;
    match &d.io {
        Ok(io) => {
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
        Err(why) => r.missing(why)?,
    }
    Ok(())
}

fn open_files(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let opts = c.opts;
    r.section("Open files")?;
    match (&d.files, fd_counts(d)) {
        (Ok(files), Some(counts)) => {
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
                    r.line(&format!("fd {}", f.fd), file_line(f))?;
                }
            }
        }
        (Err(why), _) => r.missing(why)?,
        _ => {}
    }
    Ok(())
}

fn mapped_files(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    if let Some(maps) = &d.maps {
        r.section("Mapped files")?;
        match maps {
            Ok(maps) => {
                for m in maps.iter().filter(|m| m.path.starts_with(b"/")) {
                    writeln!(
                        r.out,
                        "  {} {:>7}  {}{}",
                        m.perms,
                        human_bytes(m.size_bytes()),
                        escape_bytes(&m.path),
                        if m.deleted { " (deleted)" } else { "" }
                    )?;
                }
            }
            Err(why) => r.missing(why)?,
        }
    }
    Ok(())
}

fn network(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    r.section("Network")?;
    match (&d.sockets, &d.unix_sockets) {
        (Ok(sockets), Ok(unix)) if sockets.is_empty() && unix.is_empty() => {
            r.line("sockets", "none")?
        }
        (Ok(sockets), Ok(unix)) => {
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
            for u in unix {
                let name = u
                    .name
                    .as_deref()
                    .map_or_else(|| "(unnamed)".to_string(), |n| escape_bytes(n).into_owned());
                let peer = u
                    .peer
                    .map_or_else(String::new, |p| format!(" -> socket {p}"));
                r.line("unix", format!("{} {} {name}{peer}", u.state, u.kind))?;
            }
        }
        (Err(why), _) | (_, Err(why)) => r.missing(why)?,
    }
    Ok(())
}

fn environment(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    let opts = c.opts;
    r.section("Environment")?;
    match &d.environment {
        Ok(env) if opts.env => {
            for (k, v) in env {
                let value = if !opts.show_secrets && is_secret_name(k) {
                    MASK
                } else {
                    v.as_slice()
                };
                writeln!(r.out, "  {}={}", escape_bytes(k), escape_bytes(value))?;
            }
        }
        Ok(env) => {
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
        Err(why) => r.missing(why)?,
    }
    Ok(())
}

fn limits(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    r.section("Limits (soft / hard)")?;
    match &d.limits {
        Ok(limits) => {
            for l in limits {
                r.line(
                    l.name,
                    format!(
                        "{} / {}",
                        limit_text(l.soft, l.unit),
                        limit_text(l.hard, l.unit)
                    ),
                )?;
            }
        }
        Err(why) => r.missing(why)?,
    }
    Ok(())
}

fn control_groups(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    r.section("Control groups")?;
    match &d.cgroups {
        Ok(c) => {
            for line in &c.lines {
                writeln!(
                    r.out,
                    "  {}:{}:{}",
                    line.hierarchy,
                    line.controllers,
                    escape_bytes(&line.path)
                )?;
            }
            if let Some(unit) = &c.unit {
                r.line("systemd unit", unit)?;
            }
            if let Some(slice) = &c.slice {
                r.line("systemd slice", slice)?;
            }
            if let Some(ct) = &c.container {
                r.line("container", format!("{} {}", ct.runtime, ct.id))?;
            }
        }
        Err(why) => r.missing(why)?,
    }
    Ok(())
}

fn namespaces(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
    r.section("Namespaces")?;
    match &d.namespaces {
        Ok(ns) => {
            for n in ns {
                let versus = match n.differs_from_init {
                    Some(true) => " (differs from pid 1)",
                    Some(false) => "",
                    None => " (pid 1's unreadable)",
                };
                r.line(n.kind, format!("{}{versus}", n.inode))?;
            }
        }
        Err(why) => r.missing(why)?,
    }
    Ok(())
}

fn signals(r: &mut Report, c: &Ctx) -> io::Result<()> {
    let d = c.d;
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
        None => writeln!(r.out, "  -")?,
    }
    Ok(())
}
