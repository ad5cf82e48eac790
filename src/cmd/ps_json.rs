//! The JSON vocabulary of procps's format keys (`ps -o KEYS --format
//! json|ndjson|csv`): one name and one type per quantity, whatever key or
//! alias asked for it, so that `time`, `times` and `bsdtime` are all
//! `cpu_seconds` and `-o comm` is `name` as in every other command
//! (docs/json.md). Keys that share a value with proctl's own columns take
//! that column's name and typed value; the others are named in [`NAMES`].
//! The JSON Schema of ps (schemas/ps.json) is generated from the same
//! tables.

use crate::cmd::ps_cells::{CellCtx, cell, file_number, has_file_number, read_file};
use crate::cmd::ps_procps::typed_column;
use crate::columns::keys::{KEYS, KeySpec, Pr};
use crate::columns::{COLUMNS, ColumnCtx, ColumnId, Value};
use crate::model::ProcessInfo;

/// The JSON type of a field (a ps field may also be null, unknown, unless
/// it is in [`NEVER_NULL`]; and any may be left out, none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    /// A number with a fraction (percentages).
    Float,
    /// A duration in seconds, to 1/100.
    Seconds,
    /// An absolute time, ISO 8601 with the offset.
    Instant,
    /// Process text (docs/json.md: a string, or an object when the bytes
    /// are not UTF-8).
    Text,
    IntList,
    TextList,
    /// A resource limit: a number, or "unlimited".
    Limit,
    /// Always null: procps has no value for this key on Linux.
    Unknown,
}

/// The names of the keys that are not one of proctl's own columns, by the
/// value they show (all the aliases of a value share its name). Names
/// follow `show --format json` where it has the same quantity.
#[rustfmt::skip]
pub static NAMES: &[(Pr, &str, Kind)] = &[
    (Pr::Agid, "autogroup_id", Kind::Int),
    (Pr::Agnice, "autogroup_nice", Kind::Int),
    (Pr::Cgname, "cgroup_name", Kind::Text),
    (Pr::Cgroupns, "cgroup_ns", Kind::Int),
    // The policy as show names it ("normal", "fifo", ...), not CLS's "TS".
    (Pr::Class, "policy", Kind::Text),
    (Pr::Context, "security_label", Kind::Text),
    (Pr::Cp, "cpu_permille", Kind::Int),
    (Pr::Drs, "drs_kib", Kind::Int),
    (Pr::Dsiz, "dsiz_kib", Kind::Int),
    (Pr::Eip, "eip", Kind::Text),
    (Pr::Esp, "esp", Kind::Text),
    (Pr::Fgid, "fsgid", Kind::Int),
    (Pr::Fgroup, "fsgroup", Kind::Text),
    (Pr::Fname, "fname", Kind::Text),
    (Pr::Fuid, "fsuid", Kind::Int),
    (Pr::Fuser, "fsuser", Kind::Text),
    (Pr::Ipcns, "ipc_ns", Kind::Int),
    // stat's rsslim: the soft RLIMIT_RSS, as `rss_soft` shows it.
    (Pr::Lim, "rss_soft_bytes", Kind::Limit),
    (Pr::Luid, "login_uid", Kind::Int),
    (Pr::Lxcname, "lxc_name", Kind::Text),
    (Pr::Majflt, "major_faults", Kind::Int),
    (Pr::Minflt, "minor_faults", Kind::Int),
    (Pr::Mntns, "mnt_ns", Kind::Int),
    (Pr::Netns, "net_ns", Kind::Int),
    (Pr::Numa, "numa_node", Kind::Int),
    (Pr::Oom, "oom_score", Kind::Int),
    // procps reads oom_score_adj for it (-1000..1000): show's field.
    (Pr::OomAdj, "oom_score_adj", Kind::Int),
    (Pr::PriApi, "pri_api", Kind::Int),
    (Pr::PriBar, "pri_bar", Kind::Int),
    (Pr::PriBaz, "pri_baz", Kind::Int),
    (Pr::PriFoo, "pri_foo", Kind::Int),
    // The kernel's value (stat field 18: 20 for nice 0), as show and top.
    (Pr::Priority, "priority", Kind::Int),
    (Pr::Pidns, "pid_ns", Kind::Int),
    (Pr::Pss, "pss_kib", Kind::Int),
    (Pr::Rchars, "chars_read_bytes", Kind::Int),
    (Pr::Rops, "read_calls", Kind::Int),
    (Pr::Rtprio, "rt_priority", Kind::Int),
    (Pr::Sched, "policy_number", Kind::Int),
    (Pr::SdMachine, "systemd_machine", Kind::Text),
    (Pr::SdOuid, "systemd_owner_uid", Kind::Int),
    (Pr::SdSeat, "systemd_seat", Kind::Text),
    (Pr::SdSession, "systemd_session", Kind::Text),
    (Pr::SdSlice, "systemd_slice", Kind::Text),
    (Pr::SdUnit, "systemd_unit", Kind::Text),
    (Pr::SdUunit, "systemd_user_unit", Kind::Text),
    (Pr::SgiP, "sgi_p", Kind::Int),
    (Pr::Sgid, "sgid", Kind::Int),
    (Pr::Sgroup, "sgroup", Kind::Text),
    // Signal masks: the hexadecimal text ps prints.
    (Pr::Sig, "signals_pending_mask", Kind::Text),
    (Pr::Sigcatch, "signals_caught_mask", Kind::Text),
    (Pr::Sigignore, "signals_ignored_mask", Kind::Text),
    (Pr::Sigmask, "signals_blocked_mask", Kind::Text),
    (Pr::Size, "vsize_bytes", Kind::Int),
    (Pr::Stackp, "stack_start", Kind::Text),
    (Pr::Suid, "suid", Kind::Int),
    (Pr::Supgid, "supgid", Kind::IntList),
    (Pr::Supgrp, "supgrp", Kind::TextList),
    (Pr::Suser, "suser", Kind::Text),
    (Pr::Swapable, "size_kib", Kind::Int),
    (Pr::Timens, "time_ns", Kind::Int),
    (Pr::Trs, "trs_kib", Kind::Int),
    (Pr::Tsig, "thread_signals_pending_mask", Kind::Text),
    (Pr::Tsiz, "tsiz_kib", Kind::Int),
    (Pr::Userns, "user_ns", Kind::Int),
    (Pr::Uss, "uss_kib", Kind::Int),
    (Pr::Utilization, "cpu_utilization_percent", Kind::Float),
    (Pr::UtilizationC, "cpu_utilization_children_percent", Kind::Float),
    (Pr::Utsns, "uts_ns", Kind::Int),
    (Pr::Wcbytes, "cancelled_write_bytes", Kind::Int),
    (Pr::Wchars, "chars_written_bytes", Kind::Int),
    (Pr::Wops, "write_calls", Kind::Int),
];

/// Keys that procps prints `-` for when there is none (no systemd unit,
/// session or seat, no container, no login uid): left out of the JSON
/// when the /proc file each reads could be read, null when it could not
/// (docs/json.md). Other keys' `-` means unknown.
static NONE_WHEN_DASH: &[(Pr, &str)] = &[
    (Pr::SdMachine, "cgroup"),
    (Pr::SdOuid, "cgroup"),
    (Pr::SdSeat, "cgroup"),
    (Pr::SdSession, "cgroup"),
    (Pr::SdSlice, "cgroup"),
    (Pr::SdUnit, "cgroup"),
    (Pr::SdUunit, "cgroup"),
    (Pr::Lxcname, "cgroup"),
    // 4294967295 (-1): no login uid was set.
    (Pr::Luid, "loginuid"),
];

/// Whether the /proc file a key reads could be read (some files open and
/// then refuse the read: io checks ptrace access on read).
fn readable(ctx: &CellCtx, p: &ProcessInfo, file: &str) -> bool {
    read_file(ctx, p, file).is_some()
}

/// Fields whose value is always known when they are written: the schema
/// does not allow null for them. `tty` is left out when there is none;
/// `nice` is the kernel's value under every policy.
pub static NEVER_NULL: &[&str] = &["nice", "tty"];

/// The JSON types of proctl's own columns (their `Value`s).
#[rustfmt::skip]
static COLUMN_KINDS: &[(ColumnId, Kind)] = {
    use ColumnId::*;
    &[
        (Pid, Kind::Int), (Ppid, Kind::Int), (Pgid, Kind::Int), (Sid, Kind::Int),
        (Tpgid, Kind::Int), (Tty, Kind::Text), (User, Kind::Text), (Ruser, Kind::Text),
        (Uid, Kind::Int), (Ruid, Kind::Int), (Group, Kind::Text), (Rgroup, Kind::Text),
        (Gid, Kind::Int), (Rgid, Kind::Int), (Comm, Kind::Text), (Args, Kind::TextList),
        (Stat, Kind::Text), (State, Kind::Text), (Pcpu, Kind::Float), (Pmem, Kind::Float),
        (Vsz, Kind::Int), (Rss, Kind::Int), (RssHuman, Kind::Int), (Sz, Kind::Int),
        (Nlwp, Kind::Int), (Nice, Kind::Int), (Pri, Kind::Int), (Opri, Kind::Int),
        (Psr, Kind::Int), (Wchan, Kind::Text), (Start, Kind::Instant), (Stime, Kind::Instant),
        (BsdStart, Kind::Instant), (Lstart, Kind::Instant), (StartTicks, Kind::Int),
        (Etime, Kind::Seconds), (Etimes, Kind::Seconds), (Time, Kind::Seconds),
        (Times, Kind::Seconds), (BsdTime, Kind::Seconds), (C, Kind::Int), (Flags, Kind::Int),
        (Addr, Kind::Unknown), (Lwp, Kind::Int), (Fds, Kind::Int), (Vctx, Kind::Int),
        (Nvctx, Kind::Int), (Ctxsw, Kind::Int), (Rbytes, Kind::Int), (Wbytes, Kind::Int),
        (Exe, Kind::Text), (Cwd, Kind::Text), (Cgroup, Kind::Text), (Ports, Kind::TextList),
        (Pss, Kind::Int), (Uss, Kind::Int), (Affinity, Kind::IntList), (Io, Kind::Text),
        (Holds, Kind::TextList),
    ]
};

/// The JSON type of one of proctl's own columns.
pub fn column_kind(id: ColumnId) -> Kind {
    if let ColumnId::Rlimit(..) = id {
        return Kind::Limit;
    }
    COLUMN_KINDS
        .iter()
        .find(|(c, _)| *c == id)
        .map_or(Kind::Text, |(_, k)| *k)
}

/// The JSON name of one of proctl's own columns.
pub fn column_name(id: ColumnId) -> &'static str {
    COLUMNS.iter().find(|c| c.id == id).map_or("", |c| c.json)
}

/// A key's JSON name and type.
pub fn field(spec: &KeySpec) -> (&'static str, Kind) {
    if let Some(id) = typed_column(spec.pr) {
        return (column_name(id), column_kind(id));
    }
    NAMES
        .iter()
        .find(|(pr, _, _)| *pr == spec.pr)
        .map_or((spec.key, Kind::Unknown), |(_, name, kind)| (*name, *kind))
}

/// The typed value of a key for one process.
pub fn value(spec: &KeySpec, p: &ProcessInfo, ctx: &CellCtx, typed: &ColumnCtx) -> Value {
    if let Some(id) = typed_column(spec.pr) {
        return crate::columns::value_of(id, p, typed);
    }
    let (_, kind) = field(spec);
    match spec.pr {
        Pr::Class => {
            return match crate::render::show::policy_name(p.policy) {
                "-" => Value::Missing,
                name => Value::Text(name.as_bytes().to_vec()),
            };
        }
        // The name's first 8 bytes as they are (the cell escapes them).
        Pr::Fname => return Value::Text(p.name.iter().take(8).copied().collect()),
        // show's value: 0 outside the real-time policies (ps prints "-").
        Pr::Rtprio => return Value::Int(p.rt_priority.into()),
        // The processor it runs on; procps's `*` when it is not running
        // means there is none.
        Pr::SgiP if p.state != 'R' => return Value::Absent,
        Pr::SgiP => return p.processor.map_or(Value::Missing, |c| Value::Int(c.into())),
        // The node of the CPU it last ran on; -1 when the kernel has no
        // nodes to tell (procps prints -1 then too).
        Pr::Numa => {
            let node = crate::cmd::ps_cells::numa_node(p);
            return if node >= 0 {
                Value::Int(node)
            } else {
                Value::Missing
            };
        }
        Pr::Lim if p.rsslim == u64::MAX => return Value::Text(b"unlimited".to_vec()),
        Pr::Lim => {
            return i64::try_from(p.rsslim).map_or(Value::Missing, Value::Int);
        }
        // procps prints -1 and 0 both when /proc/PID/autogroup cannot be
        // read (a kernel without autogroups: unknown) and when it is empty
        // (the process is in no autogroup, sched(7): none, left out).
        Pr::Agid | Pr::Agnice => {
            match std::fs::read(ctx.root.join(p.pid.to_string()).join("autogroup")) {
                Err(_) => return Value::Missing,
                Ok(b) if b.trim_ascii().is_empty() => return Value::Absent,
                Ok(_) => {}
            }
        }
        _ => {}
    }
    // procps's stand-in 0 for a file it cannot read is unknown here; one
    // read decides both.
    if has_file_number(spec.pr) {
        return file_number(spec.pr, ctx, p)
            .and_then(|t| t.parse().ok())
            .map_or(Value::Missing, Value::Int);
    }
    let (bytes, _) = cell(spec, p, ctx, crate::cmd::ps_procps::OUTBUF_SIZE - 1, &[]);
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim();
    if text == "-"
        && let Some((_, file)) = NONE_WHEN_DASH.iter().find(|(pr, _)| *pr == spec.pr)
    {
        return if readable(ctx, p, file) {
            Value::Absent
        } else {
            Value::Missing
        };
    }
    match kind {
        Kind::Unknown => Value::Missing,
        // ps prints "-" for no groups.
        Kind::IntList | Kind::TextList if text == "-" => Value::List(Vec::new()),
        _ if text == "-" => Value::Missing,
        Kind::Int => text.parse().map_or(Value::Missing, Value::Int),
        Kind::Float => text.parse().map_or(Value::Missing, Value::Float),
        Kind::IntList | Kind::TextList => Value::List(
            text.split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.as_bytes().to_vec())
                .collect(),
        ),
        _ => Value::Text(bytes.trim_ascii().to_vec()),
    }
}

/// The JSON of a key's value: [`crate::render::json::to_json`], with the
/// numbers of an integer list as numbers; `None` leaves the field out.
pub fn to_json(kind: Kind, value: &Value, tz: &jiff::tz::TimeZone) -> crate::render::json::Field {
    match (kind, value) {
        (Kind::IntList, Value::List(items)) => Some(
            items
                .iter()
                .map(|i| {
                    std::str::from_utf8(i)
                        .ok()
                        .and_then(|s| s.parse::<i64>().ok())
                        .map_or(serde_json::Value::Null, serde_json::Value::from)
                })
                .collect(),
        ),
        _ => crate::render::json::to_json(value, tz),
    }
}

/// The JSON Schema of one field of this type, null allowed (unknown).
pub fn kind_schema(kind: Kind) -> serde_json::Value {
    use serde_json::json;
    match kind {
        Kind::Int => json!({"type": ["integer", "null"]}),
        Kind::Float | Kind::Seconds => json!({"type": ["number", "null"]}),
        Kind::Instant => json!({"type": ["string", "null"], "format": "date-time"}),
        Kind::Text => json!({"anyOf": [{"$ref": "#/$defs/text"}, {"type": "null"}]}),
        Kind::IntList => json!({"type": ["array", "null"], "items": {"type": "integer"}}),
        Kind::TextList => json!({"type": ["array", "null"], "items": {"$ref": "#/$defs/text"}}),
        Kind::Limit => json!({"anyOf": [
            {"type": "integer"}, {"const": "unlimited"}, {"type": "null"}
        ]}),
        Kind::Unknown => json!({"type": "null"}),
    }
}

/// The JSON Schema of a field of this type that is never null.
fn known_schema(kind: Kind) -> serde_json::Value {
    use serde_json::json;
    match kind {
        Kind::Int => json!({"type": "integer"}),
        Kind::Text => json!({"$ref": "#/$defs/text"}),
        other => kind_schema(other),
    }
}

/// The schema of process text (docs/json.md): a string, or the object
/// that holds bytes that are not UTF-8.
pub fn text_schema() -> serde_json::Value {
    serde_json::json!({
        "oneOf": [
            {"type": "string"},
            {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "bytes": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 255}}
                },
                "required": ["text", "bytes"],
                "additionalProperties": false
            }
        ]
    })
}

/// Every field ps can write in JSON: the names of all keys and of proctl's
/// own columns, each with its type, sorted by name.
pub fn all_fields() -> std::collections::BTreeMap<&'static str, Kind> {
    let mut fields = std::collections::BTreeMap::new();
    let mut add = |name: &'static str, kind: Kind| {
        let slot = fields.entry(name).or_insert(kind);
        // A key procps leaves empty shares a name with a proctl column.
        if *slot == Kind::Unknown {
            *slot = kind;
        }
    };
    for spec in KEYS {
        let (name, kind) = field(spec);
        add(name, kind);
    }
    for c in COLUMNS {
        add(c.json, column_kind(c.id));
    }
    fields
}

/// The JSON Schema of `ps --format json` (schemas/ps.json).
pub fn schema() -> serde_json::Value {
    let properties: serde_json::Map<String, serde_json::Value> = all_fields()
        .into_iter()
        .map(|(name, kind)| {
            let schema = if NEVER_NULL.contains(&name) {
                known_schema(kind)
            } else {
                kind_schema(kind)
            };
            (name.to_string(), schema)
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:proctl:schema:ps",
        "title": "proctl ps --format json",
        "description": "An array of processes; each object has the fields of the selected keys (ps -o), each once. Generated from the key table: docs/json.md.",
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "additionalProperties": false
        },
        "$defs": {"text": text_schema()}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_key_is_named() {
        let test_key = |k: &KeySpec| k.key.starts_with('_');
        for spec in KEYS.iter().filter(|k| k.pr != Pr::Nop && !test_key(k)) {
            let named =
                typed_column(spec.pr).is_some() || NAMES.iter().any(|(pr, _, _)| *pr == spec.pr);
            assert!(named, "key {} has no JSON name in ps_json::NAMES", spec.key);
        }
        for c in COLUMNS {
            let listed = COLUMN_KINDS.iter().any(|(id, _)| *id == c.id);
            assert!(listed || matches!(c.id, ColumnId::Rlimit(..)), "{:?}", c.id);
        }
    }

    #[test]
    fn one_name_one_type() {
        // Two keys of one name must show the same quantity in one type.
        let mut seen: std::collections::HashMap<&str, Kind> = std::collections::HashMap::new();
        let fields = KEYS
            .iter()
            .map(field)
            .chain(COLUMNS.iter().map(|c| (c.json, column_kind(c.id))));
        for (name, kind) in fields.filter(|(_, k)| *k != Kind::Unknown) {
            let before = *seen.entry(name).or_insert(kind);
            assert_eq!(before, kind, "{name}");
        }
    }

    #[test]
    fn aliases_share_names() {
        let name = |k: &str| field(crate::columns::keys::search(k).unwrap()).0;
        for (keys, json) in [
            (
                &["time", "times", "bsdtime", "cputime", "cputimes"][..],
                "cpu_seconds",
            ),
            (
                &["start", "stime", "lstart", "bsdstart", "start_time"],
                "start_time",
            ),
            (&["etime", "etimes"], "elapsed_seconds"),
            (&["comm", "ucmd", "ucomm"], "name"),
            (&["args", "cmd", "command"], "args"),
            (&["tty", "tname", "tt"], "tty"),
            (&["%cpu", "pcpu"], "cpu_percent"),
            (&["rss", "rssize", "rsz"], "rss_kib"),
            (&["user", "euser", "uname", "uid_hack"], "user"),
            (&["nlwp", "thcount"], "threads"),
            (&["lwp", "tid", "spid"], "tid"),
        ] {
            for k in keys {
                assert_eq!(name(k), json, "{k}");
            }
        }
    }
}
