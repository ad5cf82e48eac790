//! The value of each column for one process: typed (for sorting and JSON)
//! and as the text procps prints.

use std::cmp::Ordering;

use super::format::{
    StartStyle, format_bsd_time, format_duration_dhms, format_elapsed, format_human_kib,
    format_start,
};
use super::{ColumnId, LimitSide};
use crate::model::extras::Extras;
use crate::model::limits::Limit;
use crate::model::sched::{IoClass, decode_ioprio};
use crate::model::users::NameCache;
use crate::model::{ProcessInfo, SystemFacts, tty};

/// What the columns need besides the process itself.
#[derive(Debug)]
pub struct ColumnCtx<'a> {
    pub system: &'a SystemFacts,
    pub names: &'a NameCache,
    /// Cut user and group names longer than this to this width, ending in
    /// '+', as procps does in its standard layouts.
    pub name_width: Option<usize>,
    /// Cut wchan names to this width (ps -l).
    pub wchan_width: Option<usize>,
}

/// A typed column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Unknown: unreadable without privileges, gone, or not kept by this
    /// kernel (JSON null).
    Missing,
    /// There is none, or the column does not apply to this process (no
    /// controlling terminal, not waiting in the kernel): JSON leaves the
    /// field out (docs/json.md), a table prints `-` as for unknown.
    Absent,
    Int(i64),
    Float(f64),
    Text(Vec<u8>),
    /// A list of byte strings (the arguments).
    List(Vec<Vec<u8>>),
    /// A list of numbers (the CPUs of an affinity).
    Numbers(Vec<i64>),
    /// A duration in seconds.
    Seconds(f64),
    /// An absolute time, seconds since the epoch.
    Instant(i64),
}

impl Value {
    /// Orders values for sorting; missing values sort last, and numbers
    /// before words (a limit's `unlimited` after every number).
    pub fn compare(&self, other: &Value) -> Ordering {
        use Value::*;
        match (self, other) {
            (Missing | Absent, Missing | Absent) => Ordering::Equal,
            (Missing | Absent, _) => Ordering::Greater,
            (_, Missing | Absent) => Ordering::Less,
            (Int(_), Text(_)) => Ordering::Less,
            (Text(_), Int(_)) => Ordering::Greater,
            (Int(a), Int(b)) | (Instant(a), Instant(b)) => a.cmp(b),
            (Float(a), Float(b)) | (Seconds(a), Seconds(b)) => a.total_cmp(b),
            (Text(a), Text(b)) => a.cmp(b),
            (List(a), List(b)) => a.cmp(b),
            (Numbers(a), Numbers(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }
}

fn opt_int<T: Into<i64>>(v: Option<T>) -> Value {
    v.map_or(Value::Missing, |n| Value::Int(n.into()))
}

fn opt_u64(v: Option<u64>) -> Value {
    v.map_or(Value::Missing, |n| Value::Int(n as i64))
}

/// Lifetime %CPU in tenths, truncated as procps does.
fn pcpu_tenths(p: &ProcessInfo, sys: &SystemFacts) -> u64 {
    let ticks = sys.boot_ticks.saturating_sub(p.start_ticks);
    if ticks == 0 {
        return 0;
    }
    (p.cpu_ticks() as f64 * 100.0 / ticks as f64 * 10.0) as u64
}

fn pmem_tenths(p: &ProcessInfo, sys: &SystemFacts) -> u64 {
    if sys.mem_total_kib == 0 {
        return 0;
    }
    (rss_kib(p, sys).saturating_mul(1000) / sys.mem_total_kib).min(999)
}

/// Resident memory as procps reports it: VmRSS from status, else stat's pages.
fn rss_kib(p: &ProcessInfo, sys: &SystemFacts) -> u64 {
    p.status
        .as_ref()
        .and_then(|s| s.vm_rss_kib)
        .unwrap_or(p.rss_pages.saturating_mul(sys.page_kib))
}

fn is_realtime(p: &ProcessInfo) -> bool {
    !matches!(p.policy, None | Some(0) | Some(3))
}

/// The typed value of a column.
pub fn value(id: ColumnId, p: &ProcessInfo, ctx: &ColumnCtx) -> Value {
    use ColumnId::*;
    let sys = ctx.system;
    let status = p.status.as_ref();
    match id {
        Pid => Value::Int(p.pid.into()),
        Ppid => Value::Int(p.ppid.into()),
        Pgid => Value::Int(p.pgrp.into()),
        Sid => Value::Int(p.session.into()),
        // -1: no controlling terminal, so no foreground group on it.
        Tpgid if p.tpgid < 0 => Value::Absent,
        Tpgid => Value::Int(p.tpgid.into()),
        Lwp => Value::Int(p.tid.into()),
        // stat's tty_nr is 0 when there is no controlling terminal.
        Tty => tty::tty_name(p.tty_nr).map_or(Value::Absent, |t| Value::Text(t.into_bytes())),
        User => user_value(p.euid, ctx),
        Ruser => user_value(status.map(|s| s.uids[0]), ctx),
        Uid => opt_int(p.euid),
        Ruid => opt_int(status.map(|s| s.uids[0])),
        Group => group_value(status.map(|s| s.gids[1]), ctx),
        Rgroup => group_value(status.map(|s| s.gids[0]), ctx),
        Gid => opt_int(status.map(|s| s.gids[1])),
        Rgid => opt_int(status.map(|s| s.gids[0])),
        Comm => Value::Text(p.name.clone()),
        Args => Value::List(p.args().into_iter().map(<[u8]>::to_vec).collect()),
        Stat => Value::Text(stat_text(p)),
        State => Value::Text(vec![p.state as u8]),
        Pcpu => match p.sampled_cpu {
            Some(pct) => Value::Float((pct * 10.0).floor() / 10.0),
            None => Value::Float(pcpu_tenths(p, sys) as f64 / 10.0),
        },
        Pmem => Value::Float(pmem_tenths(p, sys) as f64 / 10.0),
        Vsz => Value::Int((p.vsize_bytes / 1024) as i64),
        Rss => Value::Int(rss_kib(p, sys) as i64),
        RssHuman => Value::Int(rss_kib(p, sys).saturating_mul(1024) as i64),
        Sz => Value::Int((p.vsize_bytes / 1024 / sys.page_kib.max(1)) as i64),
        Nlwp => Value::Int(p.num_threads),
        // stat field 19 holds the nice value under a real-time policy too
        // (the kernel keeps static_prio); only the text prints `-` there.
        Nice => Value::Int(p.nice),
        Pri => Value::Int(39i64.saturating_sub(p.priority)),
        Opri => Value::Int(60i64.saturating_add(p.priority)),
        Psr => opt_int(p.processor),
        Wchan => match p.wchan.as_deref() {
            None => Value::Missing,
            // "0" is both "not waiting in the kernel" and what the kernel
            // tells a reader that may not ptrace the process (proc(5),
            // wchan). A process that runs (or is dead) waits nowhere; for
            // one that sleeps, "0" is the kernel hiding where: unknown.
            Some("" | "0") if matches!(p.state, 'R' | 'Z' | 'X') => Value::Absent,
            Some("" | "0") => Value::Missing,
            Some(w) => Value::Text(w.as_bytes().to_vec()),
        },
        Start | Stime | BsdStart | Lstart => Value::Instant(sys.start_epoch(p.start_ticks)),
        StartTicks => Value::Int(p.start_ticks as i64),
        Etime | Etimes => Value::Seconds(sys.elapsed_secs(p.start_ticks)),
        Time | Times | BsdTime => Value::Seconds(p.cpu_ticks() as f64 / sys.hz as f64),
        C => Value::Int((pcpu_tenths(p, sys) / 10).min(99) as i64),
        Flags => Value::Int(i64::from((p.flags >> 6) & 7)),
        Addr => Value::Missing,
        Fds => opt_u64(p.fds),
        Vctx => opt_u64(status.and_then(|s| s.voluntary_ctxt)),
        Nvctx => opt_u64(status.and_then(|s| s.nonvoluntary_ctxt)),
        Ctxsw => opt_u64(status.and_then(|s| Some(s.voluntary_ctxt? + s.nonvoluntary_ctxt?))),
        Rbytes => opt_u64(p.io.map(|io| io.read_bytes)),
        Wbytes => opt_u64(p.io.map(|io| io.write_bytes)),
        Exe => p.exe.clone().map_or(Value::Missing, Value::Text),
        Cwd => p.cwd.clone().map_or(Value::Missing, Value::Text),
        Cgroup => p.cgroup.clone().map_or(Value::Missing, Value::Text),
        Ports => p.ports.as_ref().map_or(Value::Missing, |ports| {
            Value::List(ports.iter().map(|s| s.clone().into_bytes()).collect())
        }),
        Pss => opt_u64(extras(p).and_then(|e| e.pss_uss_kib).map(|m| m.0)),
        Uss => opt_u64(extras(p).and_then(|e| e.pss_uss_kib).map(|m| m.1)),
        Affinity => extras(p)
            .and_then(|e| e.affinity.as_ref())
            .map_or(Value::Missing, |cpus| {
                Value::Numbers(cpus.iter().map(|&c| c as i64).collect())
            }),
        Io => extras(p)
            .and_then(|e| e.io)
            .map_or(Value::Missing, |raw| Value::Text(io_text(raw, p.nice))),
        Rlimit(index, side) => extras(p)
            .and_then(|e| e.limits.as_ref()?.get(usize::from(index)))
            .map_or(Value::Missing, |l| {
                match if side == LimitSide::Soft {
                    l.soft
                } else {
                    l.hard
                } {
                    Limit::Unlimited => Value::Text(b"unlimited".to_vec()),
                    Limit::Value(n) => i64::try_from(n)
                        .map_or_else(|_| Value::Text(n.to_string().into_bytes()), Value::Int),
                }
            }),
        Holds => extras(p)
            .and_then(|e| e.holds.as_ref())
            .map_or(Value::Missing, |holds| {
                Value::List(holds.iter().map(|h| h.clone().into_bytes()).collect())
            }),
    }
}

fn extras(p: &ProcessInfo) -> Option<&Extras> {
    p.extras.as_deref()
}

/// An I/O priority in `proctl set --io`'s words (ionice(1)'s classes):
/// `best-effort:4`, `realtime:0`, `idle`, or `none` for no class set.
pub fn io_text(raw: i32, nice: i64) -> Vec<u8> {
    let io = decode_ioprio(raw, nice);
    match (io.class, io.level) {
        (IoClass::None | IoClass::Idle, _) | (_, None) => io.class.name().as_bytes().to_vec(),
        (class, Some(level)) => format!("{}:{level}", class.name()).into_bytes(),
    }
}

fn user_value(uid: Option<u32>, ctx: &ColumnCtx) -> Value {
    match uid {
        Some(uid) => Value::Text(
            ctx.names
                .user(uid)
                .unwrap_or_else(|| uid.to_string())
                .into_bytes(),
        ),
        None => Value::Missing,
    }
}

fn group_value(gid: Option<u32>, ctx: &ColumnCtx) -> Value {
    match gid {
        Some(gid) => Value::Text(
            ctx.names
                .group(gid)
                .unwrap_or_else(|| gid.to_string())
                .into_bytes(),
        ),
        None => Value::Missing,
    }
}

/// STAT as procps builds it: the state, then `<`/`N`, `L`, `s`, `l`, `+`.
fn stat_text(p: &ProcessInfo) -> Vec<u8> {
    let mut s = vec![p.state as u8];
    if p.nice < 0 {
        s.push(b'<');
    } else if p.nice > 0 {
        s.push(b'N');
    }
    if p.status.as_ref().is_some_and(|st| st.vm_lock_kib > 0) {
        s.push(b'L');
    }
    if p.session == p.pid {
        s.push(b's');
    }
    if p.num_threads > 1 {
        s.push(b'l');
    }
    if p.pgrp == p.tpgid {
        s.push(b'+');
    }
    s
}

/// The text of a column as procps prints it (raw bytes: the renderer escapes).
pub fn display(id: ColumnId, p: &ProcessInfo, ctx: &ColumnCtx) -> Vec<u8> {
    use ColumnId::*;
    let sys = ctx.system;
    let text = |s: String| s.into_bytes();
    match id {
        Tty => tty::tty_name(p.tty_nr).map_or_else(|| b"?".to_vec(), String::into_bytes),
        User | Ruser | Group | Rgroup => match value(id, p, ctx) {
            Value::Text(name) => cut_name(name, ctx.name_width),
            _ => b"-".to_vec(),
        },
        // procps-ng 4.0 marks zombies in args only, not in comm.
        Comm => p.name.clone(),
        Args => {
            let mut line = p.command_line();
            if p.is_zombie() && p.args().is_empty() {
                line.extend_from_slice(b" <defunct>");
            }
            line
        }
        Pcpu => {
            let tenths = match p.sampled_cpu {
                Some(pct) => (pct * 10.0) as u64,
                None => pcpu_tenths(p, sys),
            };
            if tenths > 999 {
                text(format!("{}", tenths / 10))
            } else {
                text(format!("{}.{}", tenths / 10, tenths % 10))
            }
        }
        Pmem => {
            let t = pmem_tenths(p, sys);
            text(format!("{}.{}", t / 10, t % 10))
        }
        // procps prints `-` under a real-time policy (ps(1), NI).
        Nice if is_realtime(p) => b"-".to_vec(),
        RssHuman => text(format_human_kib(rss_kib(p, sys))),
        Wchan => match value(id, p, ctx) {
            Value::Text(mut w) => {
                if let Some(width) = ctx.wchan_width {
                    w.truncate(width);
                }
                w
            }
            _ => b"-".to_vec(),
        },
        Start => text(format_start(
            sys.start_epoch(p.start_ticks),
            sys.now,
            &sys.tz,
            StartStyle::Start,
        )),
        Stime => text(format_start(
            sys.start_epoch(p.start_ticks),
            sys.now,
            &sys.tz,
            StartStyle::Stime,
        )),
        BsdStart => text(format_start(
            sys.start_epoch(p.start_ticks),
            sys.now,
            &sys.tz,
            StartStyle::Bsd,
        )),
        Lstart => text(format_start(
            sys.start_epoch(p.start_ticks),
            sys.now,
            &sys.tz,
            StartStyle::Long,
        )),
        Etime => text(format_elapsed(sys.elapsed_secs(p.start_ticks) as u64)),
        Etimes => text(format!("{}", sys.elapsed_secs(p.start_ticks) as u64)),
        Time => text(format_duration_dhms(p.cpu_ticks() / sys.hz)),
        Times => text(format!("{}", p.cpu_ticks() / sys.hz)),
        BsdTime => text(format_bsd_time(p.cpu_ticks() / sys.hz)),
        Flags => text(format!("{:o}", (p.flags >> 6) & 7)),
        Affinity => match value(id, p, ctx) {
            Value::Numbers(cpus) => {
                let cpus: Vec<usize> = cpus.iter().map(|&c| c as usize).collect();
                text(crate::adjust::cpus::format_cpu_list(&cpus))
            }
            _ => b"-".to_vec(),
        },
        Holds => match value(id, p, ctx) {
            Value::List(l) => l.join(&b", "[..]),
            _ => b"-".to_vec(),
        },
        _ => match value(id, p, ctx) {
            Value::Missing | Value::Absent => b"-".to_vec(),
            Value::Int(n) => text(n.to_string()),
            Value::Float(f) => text(format!("{f:.1}")),
            Value::Text(t) => t,
            Value::List(l) if id == Ports => l.join(&b','),
            Value::List(l) => l.join(&b' '),
            Value::Numbers(n) => {
                let n: Vec<String> = n.iter().map(i64::to_string).collect();
                text(n.join(","))
            }
            Value::Seconds(s) => text(format!("{s:.2}")),
            Value::Instant(t) => text(t.to_string()),
        },
    }
}

/// procps cuts long names to the column width and marks the cut with '+'.
fn cut_name(mut name: Vec<u8>, width: Option<usize>) -> Vec<u8> {
    match width {
        Some(w) if name.len() > w && w > 1 => {
            name.truncate(w - 1);
            name.push(b'+');
            name
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::process::StatusInfo;

    fn system() -> SystemFacts {
        SystemFacts {
            hz: 100,
            page_kib: 4,
            boot_time: 1_795_600_000,
            boot_ticks: 100_000,
            now: 1_795_601_000,
            mem_total_kib: 1_000_000,
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    fn sample() -> ProcessInfo {
        ProcessInfo {
            pid: 10,
            tid: 10,
            name: b"worker".to_vec(),
            state: 'S',
            ppid: 1,
            pgrp: 10,
            session: 10,
            tty_nr: 34816,
            tpgid: 10,
            utime: 150,
            stime: 50,
            priority: 20,
            nice: 0,
            num_threads: 3,
            start_ticks: 60_000,
            vsize_bytes: 8192 * 1024,
            rss_pages: 250,
            status: Some(StatusInfo::default()),
            ..ProcessInfo::default()
        }
    }

    fn show(id: ColumnId, p: &ProcessInfo) -> String {
        let sys = system();
        let names = NameCache::default();
        let ctx = ColumnCtx {
            system: &sys,
            names: &names,
            name_width: Some(8),
            wchan_width: None,
        };
        String::from_utf8(display(id, p, &ctx)).unwrap()
    }

    #[test]
    fn stat_flags_in_procps_order() {
        let mut p = sample();
        assert_eq!(show(ColumnId::Stat, &p), "Ssl+");
        p.nice = -5;
        p.status = Some(StatusInfo {
            vm_lock_kib: 4,
            ..StatusInfo::default()
        });
        assert_eq!(show(ColumnId::Stat, &p), "S<Lsl+");
        p.nice = 19;
        p.session = 1;
        p.num_threads = 1;
        p.tpgid = -1;
        p.status = None;
        assert_eq!(show(ColumnId::Stat, &p), "SN");
    }

    #[test]
    fn cpu_and_memory_as_procps() {
        let p = sample();
        // 200 ticks over 40000 ticks of life: 0.5%
        assert_eq!(show(ColumnId::Pcpu, &p), "0.5");
        assert_eq!(show(ColumnId::C, &p), "0");
        assert_eq!(show(ColumnId::Pmem, &p), "0.1");
        assert_eq!(show(ColumnId::Rss, &p), "1000");
        assert_eq!(show(ColumnId::Vsz, &p), "8192");
        assert_eq!(show(ColumnId::Sz, &p), "2048");
        assert_eq!(show(ColumnId::Time, &p), "00:00:02");
        assert_eq!(show(ColumnId::BsdTime, &p), "0:02");
        assert_eq!(show(ColumnId::Etime, &p), "06:40");
        assert_eq!(show(ColumnId::Tty, &p), "pts/0");
        assert_eq!(show(ColumnId::Opri, &p), "80");
        assert_eq!(show(ColumnId::Pri, &p), "19");
        assert_eq!(show(ColumnId::Nice, &p), "0");
    }

    #[test]
    fn realtime_nice_is_a_dash_and_zombies_are_marked() {
        let mut p = sample();
        p.policy = Some(1);
        assert_eq!(show(ColumnId::Nice, &p), "-");
        p.state = 'Z';
        p.cmdline = Some(Vec::new());
        assert_eq!(show(ColumnId::Args, &p), "[worker] <defunct>");
        assert_eq!(show(ColumnId::Comm, &p), "worker");
    }

    #[test]
    fn names_cut_like_procps() {
        assert_eq!(cut_name(b"systemd-network".to_vec(), Some(8)), b"systemd+");
        assert_eq!(cut_name(b"root".to_vec(), Some(8)), b"root");
        assert_eq!(
            cut_name(b"systemd-network".to_vec(), None),
            b"systemd-network"
        );
    }

    #[test]
    fn missing_values_sort_last() {
        let mut v = [Value::Missing, Value::Int(3), Value::Int(1)];
        v.sort_by(Value::compare);
        assert_eq!(v, [Value::Int(1), Value::Int(3), Value::Missing]);
        let unlimited = Value::Text(b"unlimited".to_vec());
        let mut v = [unlimited.clone(), Value::Missing, Value::Int(9)];
        v.sort_by(Value::compare);
        assert_eq!(v, [Value::Int(9), unlimited, Value::Missing]);
    }

    #[test]
    fn sharing_columns_as_set_and_prlimit_word_them() {
        use crate::model::extras::Extras;
        use crate::model::limits::{Limit, LimitInfo, LimitUnit};
        let mut p = sample();
        assert_eq!(show(ColumnId::Affinity, &p), "-");
        assert_eq!(show(ColumnId::Io, &p), "-");
        assert_eq!(show(ColumnId::Rlimit(7, LimitSide::Soft), &p), "-");
        let limit = |soft, hard| LimitInfo {
            name: "x",
            unit: LimitUnit::Count,
            soft,
            hard,
        };
        let mut limits = vec![limit(Limit::Unlimited, Limit::Unlimited); 16];
        limits[7] = limit(Limit::Value(1024), Limit::Value(4096));
        p.extras = Some(Box::new(Extras {
            affinity: Some(vec![0, 1, 2, 3, 6]),
            io: Some((2 << 13) | 4),
            limits: Some(limits),
            pss_uss_kib: Some((300, 120)),
            holds: Some(vec!["fd 3 r".into(), "cwd".into()]),
        }));
        assert_eq!(show(ColumnId::Affinity, &p), "0-3,6");
        assert_eq!(show(ColumnId::Io, &p), "best-effort:4");
        assert_eq!(show(ColumnId::Rlimit(7, LimitSide::Soft), &p), "1024");
        assert_eq!(show(ColumnId::Rlimit(7, LimitSide::Hard), &p), "4096");
        assert_eq!(show(ColumnId::Rlimit(0, LimitSide::Hard), &p), "unlimited");
        assert_eq!(show(ColumnId::Pss, &p), "300");
        assert_eq!(show(ColumnId::Uss, &p), "120");
        assert_eq!(show(ColumnId::Holds, &p), "fd 3 r, cwd");
        assert_eq!(io_text(3 << 13, 0), b"idle");
        assert_eq!(io_text(1 << 13, 0), b"realtime:0");
        // No class: best-effort at a level from nice, shown as `none`.
        assert_eq!(io_text(0, 10), b"none");
    }
}
