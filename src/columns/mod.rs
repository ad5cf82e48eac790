//! Column keys (procps keywords plus proctl's extras), their headers, JSON
//! names and descriptions, and the parsing of `-o` lists.

mod format;
pub mod keys;
mod value;

pub use format::format_iso8601;
pub use format::{format_duration_dhms, format_elapsed, format_human_kib};
pub use value::{ColumnCtx, Value, display as display_of, value as value_of};

use crate::error::{Error, Result, closest};
use crate::model::Needs;
use crate::model::extras::Wants;

/// Every column proctl can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnId {
    Pid,
    Ppid,
    Pgid,
    Sid,
    Tpgid,
    Tty,
    User,
    Ruser,
    Uid,
    Ruid,
    Group,
    Rgroup,
    Gid,
    Rgid,
    Comm,
    Args,
    Stat,
    State,
    Pcpu,
    Pmem,
    Vsz,
    Rss,
    RssHuman,
    Sz,
    Nlwp,
    Nice,
    Pri,
    Opri,
    Psr,
    Wchan,
    Start,
    Stime,
    BsdStart,
    Lstart,
    StartTicks,
    Etime,
    Etimes,
    Time,
    Times,
    BsdTime,
    C,
    Flags,
    Addr,
    Lwp,
    Fds,
    Vctx,
    Nvctx,
    Ctxsw,
    Rbytes,
    Wbytes,
    Exe,
    Cwd,
    Cgroup,
    Ports,
    Pss,
    Uss,
    Affinity,
    Io,
    /// A resource limit: its index in getrlimit(2)'s order (RLIMIT_CPU is
    /// 0), and which side.
    Rlimit(u8, LimitSide),
    Holds,
}

/// The soft or the hard side of a resource limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitSide {
    Soft,
    Hard,
}

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// The static description of a column key.
#[derive(Debug)]
pub struct ColumnSpec {
    pub id: ColumnId,
    /// The key and its aliases; the first is the canonical key.
    pub keys: &'static [&'static str],
    pub header: &'static str,
    /// The field name in JSON and the CSV header.
    pub json: &'static str,
    pub align: Align,
    pub help: &'static str,
}

macro_rules! col {
    ($id:ident, [$($k:literal),+], $h:literal, $j:literal, $a:ident, $help:literal) => {
        ColumnSpec { id: ColumnId::$id, keys: &[$($k),+], header: $h, json: $j, align: Align::$a, help: $help }
    };
}

/// The two columns of a resource limit, named after `set --rlimit`'s
/// (prlimit(1)'s) names; JSON names carry the unit.
macro_rules! rlim {
    ($i:literal, $name:literal, $up:literal, $unit:literal, $what:literal, soft) => {
        ColumnSpec {
            id: ColumnId::Rlimit($i, LimitSide::Soft),
            keys: &[concat!($name, "_soft")],
            header: concat!($up, "_SOFT"),
            json: concat!($name, "_soft", $unit),
            align: Align::Right,
            help: concat!("soft limit of ", $what, " (", $name, "), or unlimited"),
        }
    };
    ($i:literal, $name:literal, $up:literal, $unit:literal, $what:literal, hard) => {
        ColumnSpec {
            id: ColumnId::Rlimit($i, LimitSide::Hard),
            keys: &[concat!($name, "_hard")],
            header: concat!($up, "_HARD"),
            json: concat!($name, "_hard", $unit),
            align: Align::Right,
            help: concat!("hard limit of ", $what, " (", $name, "), or unlimited"),
        }
    };
}

/// All column keys, in the order `--list-columns` prints them.
pub static COLUMNS: &[ColumnSpec] = &[
    col!(Pid, ["pid", "tgid"], "PID", "pid", Right, "process id"),
    col!(Ppid, ["ppid"], "PPID", "ppid", Right, "parent process id"),
    col!(
        Pgid,
        ["pgid", "pgrp"],
        "PGID",
        "pgid",
        Right,
        "process group id"
    ),
    col!(
        Sid,
        ["sid", "sess", "session"],
        "SID",
        "sid",
        Right,
        "session id"
    ),
    col!(
        Tpgid,
        ["tpgid"],
        "TPGID",
        "tpgid",
        Right,
        "foreground process group of the terminal, -1 if none"
    ),
    col!(
        Tty,
        ["tty", "tname", "tt"],
        "TT",
        "tty",
        Left,
        "controlling terminal (pts/0), ? if none"
    ),
    col!(
        User,
        ["user", "euser", "uname"],
        "USER",
        "user",
        Left,
        "effective user name"
    ),
    col!(Ruser, ["ruser"], "RUSER", "ruser", Left, "real user name"),
    col!(
        Uid,
        ["uid", "euid"],
        "UID",
        "uid",
        Right,
        "effective user id"
    ),
    col!(Ruid, ["ruid"], "RUID", "ruid", Right, "real user id"),
    col!(
        Group,
        ["group", "egroup"],
        "GROUP",
        "group",
        Left,
        "effective group name"
    ),
    col!(
        Rgroup,
        ["rgroup"],
        "RGROUP",
        "rgroup",
        Left,
        "real group name"
    ),
    col!(
        Gid,
        ["gid", "egid"],
        "GID",
        "gid",
        Right,
        "effective group id"
    ),
    col!(Rgid, ["rgid"], "RGID", "rgid", Right, "real group id"),
    col!(
        Comm,
        ["comm", "ucmd", "ucomm"],
        "COMMAND",
        "name",
        Left,
        "process name (from /proc/PID/stat)"
    ),
    col!(
        Args,
        ["args", "cmd", "command"],
        "COMMAND",
        "args",
        Left,
        "command line, [name] when empty"
    ),
    col!(
        Stat,
        ["stat"],
        "STAT",
        "stat",
        Left,
        "state with flags: < high priority, N low, L locked pages, s session leader, l threaded, + foreground"
    ),
    col!(
        State,
        ["state", "s"],
        "S",
        "state",
        Left,
        "state letter: R run, S sleep, D disk, Z zombie, T stopped, t traced, I idle"
    ),
    col!(
        Pcpu,
        ["%cpu", "pcpu"],
        "%CPU",
        "cpu_percent",
        Right,
        "CPU use: lifetime average, or over --sample"
    ),
    col!(
        Pmem,
        ["%mem", "pmem"],
        "%MEM",
        "mem_percent",
        Right,
        "resident memory as a share of total memory"
    ),
    col!(
        Vsz,
        ["vsz", "vsize"],
        "VSZ",
        "vsz_kib",
        Right,
        "virtual memory size in KiB"
    ),
    col!(
        Rss,
        ["rss", "rssize", "rsz"],
        "RSS",
        "rss_kib",
        Right,
        "resident set size in KiB"
    ),
    col!(
        RssHuman,
        ["rss_human", "mem"],
        "RSS",
        "rss_bytes",
        Right,
        "resident set size in human units (12.5M)"
    ),
    col!(
        Sz,
        ["sz"],
        "SZ",
        "sz_pages",
        Right,
        "virtual memory size in pages"
    ),
    col!(
        Nlwp,
        ["nlwp", "thcount", "threads"],
        "NLWP",
        "threads",
        Right,
        "number of threads"
    ),
    col!(
        Nice,
        ["nice", "ni"],
        "NI",
        "nice",
        Right,
        "nice value, - for real-time policies"
    ),
    col!(
        Pri,
        ["pri"],
        "PRI",
        "pri",
        Right,
        "priority, higher is more important (39 - kernel priority)"
    ),
    col!(
        Opri,
        ["opri", "intpri"],
        "PRI",
        "opri",
        Right,
        "priority as ps -l shows it, lower is more important"
    ),
    col!(
        Psr,
        ["psr", "cpu"],
        "PSR",
        "psr",
        Right,
        "processor the process last ran on"
    ),
    col!(
        Wchan,
        ["wchan"],
        "WCHAN",
        "wchan",
        Left,
        "kernel function the process sleeps in, - if running"
    ),
    col!(
        Start,
        ["start"],
        "STARTED",
        "start_time",
        Right,
        "start time: HH:MM:SS today, else Mon DD"
    ),
    col!(
        Stime,
        ["stime", "start_time"],
        "STIME",
        "start_time",
        Left,
        "start time: HH:MM today, MonDD this year, else the year"
    ),
    col!(
        BsdStart,
        ["bsdstart"],
        "START",
        "start_time",
        Right,
        "start time: HH:MM within 24 hours, else Mon DD"
    ),
    col!(
        Lstart,
        ["lstart"],
        "STARTED",
        "start_time",
        Left,
        "full start date and time"
    ),
    col!(
        StartTicks,
        ["starttime", "start_ticks"],
        "STARTTIME",
        "start_ticks",
        Right,
        "start time in clock ticks since boot (for signal PID@TICKS)"
    ),
    col!(
        Etime,
        ["etime"],
        "ELAPSED",
        "elapsed_seconds",
        Right,
        "time since start, [[DD-]HH:]MM:SS"
    ),
    col!(
        Etimes,
        ["etimes"],
        "ELAPSED",
        "elapsed_seconds",
        Right,
        "time since start in seconds"
    ),
    col!(
        Time,
        ["time", "cputime"],
        "TIME",
        "cpu_seconds",
        Right,
        "CPU time, [DD-]HH:MM:SS"
    ),
    col!(
        Times,
        ["times", "cputimes"],
        "TIME",
        "cpu_seconds",
        Right,
        "CPU time in seconds"
    ),
    col!(
        BsdTime,
        ["bsdtime"],
        "TIME",
        "cpu_seconds",
        Right,
        "CPU time, MMM:SS"
    ),
    col!(
        C,
        ["c"],
        "C",
        "c",
        Right,
        "integer lifetime CPU use, at most 99"
    ),
    col!(
        Flags,
        ["f", "flag", "flags"],
        "F",
        "flags",
        Right,
        "process flags: 1 forked without exec, 4 used super-user privileges"
    ),
    col!(
        Addr,
        ["addr"],
        "ADDR",
        "addr",
        Right,
        "always - (kept for ps -l)"
    ),
    col!(
        Lwp,
        ["lwp", "tid", "spid"],
        "LWP",
        "tid",
        Right,
        "thread id"
    ),
    col!(
        Fds,
        ["fds"],
        "FDS",
        "fds",
        Right,
        "number of open file descriptors"
    ),
    col!(
        Vctx,
        ["vctx"],
        "VCTX",
        "voluntary_ctxt_switches",
        Right,
        "voluntary context switches"
    ),
    col!(
        Nvctx,
        ["nvctx"],
        "NVCTX",
        "involuntary_ctxt_switches",
        Right,
        "involuntary context switches"
    ),
    col!(
        Ctxsw,
        ["ctxsw"],
        "CTXSW",
        "ctxt_switches",
        Right,
        "all context switches"
    ),
    col!(
        Rbytes,
        ["rbytes"],
        "RBYTES",
        "read_bytes",
        Right,
        "bytes read from storage"
    ),
    col!(
        Wbytes,
        ["wbytes"],
        "WBYTES",
        "write_bytes",
        Right,
        "bytes written to storage"
    ),
    col!(Exe, ["exe"], "EXE", "exe", Left, "path of the executable"),
    col!(Cwd, ["cwd"], "CWD", "cwd", Left, "working directory"),
    col!(Cgroup, ["cgroup"], "CGROUP", "cgroup", Left, "cgroup path"),
    col!(
        Ports,
        ["ports"],
        "PORTS",
        "ports",
        Left,
        "listening TCP and UDP ports (22/tcp,53/udp)"
    ),
    col!(
        Pss,
        ["pss"],
        "PSS",
        "pss_kib",
        Right,
        "proportional set size in KiB: private memory plus a share of shared memory"
    ),
    col!(
        Uss,
        ["uss"],
        "USS",
        "uss_kib",
        Right,
        "unique set size in KiB: private memory, what exiting would free"
    ),
    col!(
        Affinity,
        ["affinity"],
        "AFFINITY",
        "cpu_affinity",
        Left,
        "CPUs the thread may run on, as taskset lists them (0-3,6)"
    ),
    col!(
        Io,
        ["io"],
        "IO",
        "io",
        Left,
        "I/O class and level as proctl set --io takes them: realtime:0..7, best-effort:0..7, idle, none"
    ),
    rlim!(0, "cpu", "CPU", "_seconds", "CPU time in seconds", soft),
    rlim!(0, "cpu", "CPU", "_seconds", "CPU time in seconds", hard),
    rlim!(1, "fsize", "FSIZE", "_bytes", "file size in bytes", soft),
    rlim!(1, "fsize", "FSIZE", "_bytes", "file size in bytes", hard),
    rlim!(2, "data", "DATA", "_bytes", "data size in bytes", soft),
    rlim!(2, "data", "DATA", "_bytes", "data size in bytes", hard),
    rlim!(3, "stack", "STACK", "_bytes", "stack size in bytes", soft),
    rlim!(3, "stack", "STACK", "_bytes", "stack size in bytes", hard),
    rlim!(4, "core", "CORE", "_bytes", "core file size in bytes", soft),
    rlim!(4, "core", "CORE", "_bytes", "core file size in bytes", hard),
    rlim!(
        5,
        "rss",
        "RSS",
        "_bytes",
        "resident set size in bytes",
        soft
    ),
    rlim!(
        5,
        "rss",
        "RSS",
        "_bytes",
        "resident set size in bytes",
        hard
    ),
    rlim!(6, "nproc", "NPROC", "", "the user's processes", soft),
    rlim!(6, "nproc", "NPROC", "", "the user's processes", hard),
    rlim!(7, "nofile", "NOFILE", "", "open files", soft),
    rlim!(7, "nofile", "NOFILE", "", "open files", hard),
    rlim!(
        8,
        "memlock",
        "MEMLOCK",
        "_bytes",
        "locked memory in bytes",
        soft
    ),
    rlim!(
        8,
        "memlock",
        "MEMLOCK",
        "_bytes",
        "locked memory in bytes",
        hard
    ),
    rlim!(9, "as", "AS", "_bytes", "address space in bytes", soft),
    rlim!(9, "as", "AS", "_bytes", "address space in bytes", hard),
    rlim!(10, "locks", "LOCKS", "", "file locks", soft),
    rlim!(10, "locks", "LOCKS", "", "file locks", hard),
    rlim!(11, "sigpending", "SIGPENDING", "", "pending signals", soft),
    rlim!(11, "sigpending", "SIGPENDING", "", "pending signals", hard),
    rlim!(
        12,
        "msgqueue",
        "MSGQUEUE",
        "_bytes",
        "message queue bytes",
        soft
    ),
    rlim!(
        12,
        "msgqueue",
        "MSGQUEUE",
        "_bytes",
        "message queue bytes",
        hard
    ),
    rlim!(13, "nice", "NICE", "", "the nice ceiling (20 - nice)", soft),
    rlim!(13, "nice", "NICE", "", "the nice ceiling (20 - nice)", hard),
    rlim!(14, "rtprio", "RTPRIO", "", "real-time priority", soft),
    rlim!(14, "rtprio", "RTPRIO", "", "real-time priority", hard),
    rlim!(
        15,
        "rttime",
        "RTTIME",
        "_microseconds",
        "real-time CPU time in microseconds",
        soft
    ),
    rlim!(
        15,
        "rttime",
        "RTTIME",
        "_microseconds",
        "real-time CPU time in microseconds",
        hard
    ),
    col!(
        Holds,
        ["holds"],
        "HOLDS",
        "holds",
        Left,
        "how the process holds the --holding paths: fd 3 r, cwd, root, exe, mmap"
    ),
];

/// A column chosen for output, with its header (possibly renamed).
#[derive(Debug, Clone)]
pub struct Column {
    pub spec: &'static ColumnSpec,
    pub header: String,
}

impl Column {
    /// The column for a spec, with its default header.
    pub fn of(id: ColumnId) -> Column {
        let spec = spec(id);
        Column {
            spec,
            header: spec.header.to_string(),
        }
    }

    /// The same column with another header.
    pub fn titled(id: ColumnId, header: &str) -> Column {
        Column {
            header: header.to_string(),
            ..Column::of(id)
        }
    }

    pub fn id(&self) -> ColumnId {
        self.spec.id
    }

    /// Whether this column holds the free-form command text (cut last, drawn as a tree).
    pub fn is_command(&self) -> bool {
        matches!(self.id(), ColumnId::Args | ColumnId::Comm)
    }
}

/// The spec of a column id.
pub fn spec(id: ColumnId) -> &'static ColumnSpec {
    COLUMNS
        .iter()
        .find(|s| s.id == id)
        .expect("every ColumnId has a spec")
}

/// Looks up a key (case-insensitive), or says which key was probably meant.
pub fn lookup(key: &str) -> Result<&'static ColumnSpec> {
    let lower = key.to_ascii_lowercase();
    COLUMNS
        .iter()
        .find(|s| s.keys.contains(&lower.as_str()))
        .ok_or_else(|| {
            let all = COLUMNS.iter().flat_map(|s| s.keys.iter().copied());
            let hint = match closest(key, all) {
                Some(k) => format!(" (did you mean '{k}'?)"),
                None => String::new(),
            };
            Error::usage(format!(
                "unknown column '{key}'{hint}; see proctl ps --list-columns"
            ))
        })
}

/// Parses one `-o` argument: `KEY[,KEY...]`, where `KEY=Header` renames a
/// header and, as in procps, the header runs to the end of the argument.
pub fn parse_list(arg: &str) -> Result<Vec<Column>> {
    let mut columns = Vec::new();
    let mut rest = arg;
    loop {
        let (item, next) = match (rest.find(','), rest.find('=')) {
            (Some(c), Some(e)) if e < c => (rest, None),
            (Some(c), _) => (&rest[..c], Some(&rest[c + 1..])),
            (None, _) => (rest, None),
        };
        let (key, header) = match item.split_once('=') {
            Some((k, h)) => (k.trim(), Some(h)),
            None => (item.trim(), None),
        };
        if key.is_empty() {
            return Err(Error::usage(format!("empty column key in '{arg}'")));
        }
        let spec = lookup(key)?;
        let default_header = alias_header(&key.to_ascii_lowercase()).unwrap_or(spec.header);
        columns.push(Column {
            spec,
            header: header.map_or_else(|| default_header.to_string(), str::to_string),
        });
        match next {
            Some(n) => rest = n,
            None => return Ok(columns),
        }
    }
}

/// Aliases whose procps header differs from their column's usual one.
fn alias_header(key: &str) -> Option<&'static str> {
    Some(match key {
        "tname" => "TTY",
        "ucmd" | "cmd" => "CMD",
        "start_time" => "START",
        "euser" => "EUSER",
        "euid" => "EUID",
        "egroup" => "EGROUP",
        "egid" => "EGID",
        "sess" => "SESS",
        "pgrp" => "PGRP",
        "thcount" => "THCNT",
        "threads" => "THREADS",
        "tid" => "TID",
        "spid" => "SPID",
        "rsz" => "RSZ",
        "cpu" => "CPU",
        "s" => "S",
        _ => return None,
    })
}

/// Which /proc files a column's values come from.
pub fn needs(id: ColumnId) -> Needs {
    use ColumnId::*;
    match id {
        Stat | Rss | RssHuman | Pmem | Ruser | Ruid | Group | Rgroup | Gid | Rgid | Vctx
        | Nvctx | Ctxsw => Needs::STATUS,
        Args => Needs::CMDLINE,
        Wchan => Needs {
            wchan: true,
            ..Needs::STAT
        },
        Fds => Needs {
            fds: true,
            ..Needs::STAT
        },
        Rbytes | Wbytes => Needs {
            io: true,
            ..Needs::STAT
        },
        Exe => Needs {
            exe: true,
            ..Needs::STAT
        },
        Cwd => Needs {
            cwd: true,
            ..Needs::STAT
        },
        Cgroup => Needs {
            cgroup: true,
            ..Needs::STAT
        },
        _ => Needs::STAT,
    }
}

/// The facts a column needs that are read after selection (see
/// `model::extras`); `holds` is filled by `--holding` itself.
pub fn extra_wants(id: ColumnId) -> Wants {
    use ColumnId::*;
    match id {
        Affinity => Wants {
            affinity: true,
            ..Wants::default()
        },
        Io => Wants {
            io: true,
            ..Wants::default()
        },
        Rlimit(..) => Wants {
            limits: true,
            ..Wants::default()
        },
        Pss | Uss => Wants {
            memory: true,
            ..Wants::default()
        },
        _ => Wants::default(),
    }
}

/// The `--list-columns` text: every key with its aliases and description.
pub fn list_text() -> String {
    let mut out = String::new();
    let width = COLUMNS.iter().map(|s| s.keys[0].len()).max().unwrap_or(0);
    for s in COLUMNS {
        let aliases = if s.keys.len() > 1 {
            format!(" (also {})", s.keys[1..].join(", "))
        } else {
            String::new()
        };
        out.push_str(&format!("{:width$}  {}{}\n", s.keys[0], s.help, aliases));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(cols: &[Column]) -> Vec<(ColumnId, String)> {
        cols.iter().map(|c| (c.id(), c.header.clone())).collect()
    }

    #[test]
    fn every_id_has_exactly_one_spec_and_keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for s in COLUMNS {
            for k in s.keys {
                assert!(seen.insert(*k), "duplicate key {k}");
            }
            assert_eq!(COLUMNS.iter().filter(|o| o.id == s.id).count(), 1);
        }
    }

    #[test]
    fn parses_lists_and_renames() {
        let cols = parse_list("pid,%cpu,comm").unwrap();
        assert_eq!(
            keys(&cols),
            vec![
                (ColumnId::Pid, "PID".into()),
                (ColumnId::Pcpu, "%CPU".into()),
                (ColumnId::Comm, "COMMAND".into())
            ]
        );
        // As in procps, a header runs to the end of the argument.
        let cols = parse_list("user=Who,Me").unwrap();
        assert_eq!(keys(&cols), vec![(ColumnId::User, "Who,Me".into())]);
        let cols = parse_list("pid,user=U").unwrap();
        assert_eq!(
            keys(&cols),
            vec![(ColumnId::Pid, "PID".into()), (ColumnId::User, "U".into())]
        );
        let cols = parse_list("PID,Args").unwrap();
        assert_eq!(cols[1].id(), ColumnId::Args);
        let cols = parse_list("comm=").unwrap();
        assert_eq!(cols[0].header, "");
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let err = parse_list("pid,uesr").unwrap_err().to_string();
        assert!(err.contains("unknown column 'uesr'"), "{err}");
        assert!(err.contains("did you mean 'user'"), "{err}");
        assert!(parse_list("").is_err());
        assert!(parse_list(",").is_err());
        assert!(parse_list("pid,").is_err());
        assert!(parse_list("pid,,comm").is_err());
    }

    #[test]
    fn list_mentions_every_key() {
        let text = list_text();
        for s in COLUMNS {
            assert!(text.contains(s.keys[0]));
        }
    }
}
