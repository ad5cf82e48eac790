//! `show --format json`: one flat object a process. Quantities `ps` also
//! has carry ps's JSON names (pid, ppid, name, args, user, uid, rss_kib,
//! threads, ...); units are in the names (_kib, _bytes, _seconds); a field
//! is null when unknown, and `unreadable` says why for each such field; a
//! field that does not apply, or whose value is "none", is left out.

use serde_json::{Map, Value as J, json};

use super::{
    MASK, ShowOptions, cpu_percent, fd_counts, is_secret_name, mem_percent, names, policy_name,
};
use crate::columns::format_iso8601;
use crate::model::SystemFacts;
use crate::model::cgroup::{Cgroups, column_text};
use crate::model::detail::ProcessDetail;
use crate::model::files::{FdKind, OpenFile, SocketInfo};
use crate::model::limits::Limit;
use crate::model::net::Socket;
use crate::model::security::{CAP_SETS, cap_names, seccomp_mode};
use crate::model::tty;
use crate::model::unix::UnixSocket;
use crate::model::unreadable::{Section, Unreadable};
use crate::model::users::NameCache;
use crate::render::escape::json_text;

fn text(b: &[u8]) -> J {
    json_text(b)
}

/// A limit's side: a number, "unlimited", or null when unknown.
fn limit(l: Limit) -> J {
    match l {
        Limit::Unlimited => J::from("unlimited"),
        Limit::Value(n) => J::from(n),
    }
}

/// Expands the kernel's CPU list ("0-3,6") to numbers.
fn cpu_list(list: &str) -> Vec<u32> {
    list.split(',')
        .filter_map(|part| match part.trim().split_once('-') {
            Some((a, b)) => Some((a.parse().ok()?..=b.parse().ok()?).collect::<Vec<u32>>()),
            None => Some(vec![part.trim().parse().ok()?]),
        })
        .flatten()
        .collect()
}

/// A TCP or UDP socket as `ports` prints it.
pub fn inet_socket(s: &Socket) -> J {
    json!({
        "proto": s.proto.to_string(),
        "address": s.local.ip().to_string(), "port": s.local.port(),
        "state": s.state,
        "remote_address": s.remote.ip().to_string(), "remote_port": s.remote.port(),
        "inode": s.inode,
    })
}

/// A unix socket's `peer_inode`: left out when it is not connected, null
/// when the source does not tell (docs/json.md).
pub fn unix_peer_json(u: &UnixSocket) -> Option<J> {
    match u.known_peer() {
        Some(peer) => peer.map(J::from),
        None => Some(J::Null),
    }
}

/// A unix socket as `ports --unix` prints it; `path` is left out when
/// the socket is unnamed.
pub fn unix_socket(u: &UnixSocket) -> J {
    let mut o = Map::new();
    let mut put = |k: &str, v: Option<J>| {
        if let Some(v) = v {
            o.insert(k.to_string(), v);
        }
    };
    put("proto", Some("unix".into()));
    put("type", Some(u.kind.into()));
    put("state", Some(u.state.into()));
    put("path", u.name.as_deref().map(text));
    put("inode", Some(u.inode.into()));
    put("peer_inode", unix_peer_json(u));
    put("recv_queue", Some(u.queues.map(|q| q.0).into()));
    put("send_queue", Some(u.queues.map(|q| q.1).into()));
    J::Object(o)
}

fn file(f: &OpenFile) -> J {
    let mut o = json!({
        "fd": f.fd,
        "mode": f.mode,
        "kind": f.kind.word(),
        "target": text(&f.target),
        "deleted": f.deleted,
        "inode": f.inode,
        "peers": f.peers.iter().map(|p| json!({"pid": p.pid, "name": text(&p.name), "fd": p.fd})).collect::<Vec<_>>(),
    });
    // `device` is left out when the file is not a device (null when it
    // is one proctl could not stat), `socket` when it is not a socket.
    match f.device {
        Some((k, major, minor)) => o["device"] = format!("{k} {major}:{minor}").into(),
        None if f.kind == FdKind::Device => o["device"] = J::Null,
        None => {}
    }
    let socket = match &f.socket {
        Some(SocketInfo::Inet(s)) => inet_socket(s),
        Some(SocketInfo::Unix(u)) => unix_socket(u),
        None => return o,
    };
    o["socket"] = socket;
    o
}

/// What a cgroup file says of a process, or `None` when it says nothing.
type CgroupField = fn(&Cgroups) -> Option<J>;

/// The fields read from /proc/PID/cgroup that may be "none": left out
/// then, and null only when the file is unreadable (docs/json.md).
static CGROUP_FIELDS: &[(&str, CgroupField)] = &[
    ("systemd_unit", |c| c.unit.clone().map(J::from)),
    ("systemd_slice", |c| c.slice.clone().map(J::from)),
    ("container_runtime", |c| {
        c.container.as_ref().map(|x| x.runtime.into())
    }),
    ("container_id", |c| {
        c.container.as_ref().map(|x| x.id.clone().into())
    }),
];

/// Collects the reasons of missing sections while turning them into values.
struct Reasons(Map<String, J>);

impl Reasons {
    fn take<T>(&mut self, field: &str, s: &Section<T>, f: impl FnOnce(&T) -> J) -> J {
        match s {
            Ok(v) => f(v),
            Err(why) => {
                self.0.insert(field.to_string(), J::from(why.code()));
                J::Null
            }
        }
    }
}

/// The JSON object of one process.
pub fn to_json(d: &ProcessDetail, sys: &SystemFacts, opts: ShowOptions) -> J {
    let cache = NameCache::default();
    let p = &d.info;
    let mut why = Reasons(Map::new());
    let uid = |i: usize| d.uids.map(|u| u[i]);
    let gid = |i: usize| d.gids.map(|g| g[i]);
    // A user or group with no name is its id as text, as in ps and top.
    let user = |id: Option<u32>| id.map(|u| cache.user(u).unwrap_or_else(|| u.to_string()));
    let group = |id: Option<u32>| id.map(|g| cache.group(g).unwrap_or_else(|| g.to_string()));
    let mut o = Map::new();
    let mut put = |k: &str, v: J| {
        o.insert(k.to_string(), v);
    };
    put("pid", p.pid.into());
    put("ppid", p.ppid.into());
    put("name", text(&p.name));
    put(
        "args",
        p.args().into_iter().map(text).collect::<Vec<_>>().into(),
    );
    put("kernel_thread", d.is_kernel_thread().into());
    put("ns_pids", d.ns_pids.clone().into());
    put("ns_tgids", d.ns_tgids.clone().into());
    put(
        "ancestors",
        d.ancestors
            .iter()
            .map(|a| json!({"pid": a.pid, "name": text(&a.name)}))
            .collect::<Vec<_>>()
            .into(),
    );
    put("pgid", p.pgrp.into());
    put("sid", p.session.into());
    // Left out when there is none (stat's tty_nr is 0).
    if let Some(tty) = tty::tty_name(p.tty_nr) {
        put("tty", tty.into());
    }
    put("user", user(uid(1).or(p.euid)).into());
    put("uid", uid(1).or(p.euid).into());
    put("ruser", user(uid(0)).into());
    put("ruid", uid(0).into());
    put("suid", uid(2).into());
    put("fsuid", uid(3).into());
    put("group", group(gid(1)).into());
    put("gid", gid(1).into());
    put("rgroup", group(gid(0)).into());
    put("rgid", gid(0).into());
    put("sgid", gid(2).into());
    put("fsgid", gid(3).into());
    put(
        "start_time",
        format_iso8601(sys.start_epoch(p.start_ticks), &sys.tz).into(),
    );
    put("elapsed_seconds", sys.elapsed_secs(p.start_ticks).into());
    put("exe", why.take("exe", &d.exe, |b| text(b)));
    // Unknown with the executable: null, not false.
    put(
        "exe_deleted",
        d.exe.as_ref().ok().map(|_| d.exe_deleted).into(),
    );
    put("cwd", why.take("cwd", &d.cwd, |b| text(b)));
    put("root", why.take("root", &d.root, |b| text(b)));
    // Scheduling.
    put("state", p.state.to_string().into());
    put("nice", p.nice.into());
    put("priority", p.priority.into());
    put(
        "policy",
        Some(policy_name(p.policy)).filter(|n| *n != "-").into(),
    );
    put("rt_priority", d.scheduling.rt_priority.into());
    put(
        "cpu_affinity",
        d.scheduling.affinity.as_deref().map(cpu_list).into(),
    );
    put("psr", p.processor.into());
    put("io_class", d.scheduling.io.map(|io| io.class.name()).into());
    // The idle class has no level: left out then, null when unknown.
    match d.scheduling.io {
        Some(io) if io.level.is_none() => {}
        io => put("io_level", io.and_then(|io| io.level).into()),
    }
    put("oom_score", d.scheduling.oom_score.into());
    put("oom_score_adj", d.scheduling.oom_score_adj.into());
    put("threads", p.num_threads.into());
    // Only with --threads: left out when not asked for.
    if let Some(ts) = &d.threads {
        put(
            "thread_list",
            ts.iter()
                .map(|t| json!({"tid": t.tid, "name": text(&t.name), "state": t.state.to_string()}))
                .collect::<Vec<_>>()
                .into(),
        );
    }
    put("voluntary_ctxt_switches", d.voluntary_ctxt.into());
    put("involuntary_ctxt_switches", d.nonvoluntary_ctxt.into());
    // CPU.
    put("user_cpu_seconds", (p.utime as f64 / sys.hz as f64).into());
    put(
        "system_cpu_seconds",
        (p.stime as f64 / sys.hz as f64).into(),
    );
    // Seconds to 1/100, a number as in ps (not whole seconds).
    let cpu_seconds = p.cpu_ticks() as f64 / sys.hz.max(1) as f64;
    put(
        "cpu_seconds",
        ((cpu_seconds * 100.0).round() / 100.0).into(),
    );
    put("cpu_percent", cpu_percent(d, sys).into());
    // Memory.
    let m = d.status_memory.clone().unwrap_or_default();
    put("vsz_kib", m.size.into());
    put("rss_kib", m.rss.into());
    put("rss_anon_kib", m.anon.into());
    put("rss_file_kib", m.file.into());
    put("rss_shmem_kib", m.shmem.into());
    put("peak_vsz_kib", m.peak_size.into());
    put("peak_rss_kib", m.peak_rss.into());
    put("mem_percent", mem_percent(m.rss.unwrap_or(0), sys).into());
    let roll = d.rollup.as_ref().ok();
    if let Err(e) = &d.rollup {
        why.0.insert("pss_kib".into(), e.code().into());
    }
    put("pss_kib", roll.map(|r| r.pss).into());
    put("pss_anon_kib", roll.map(|r| r.pss_anon).into());
    put("pss_file_kib", roll.map(|r| r.pss_file).into());
    put("pss_shmem_kib", roll.map(|r| r.pss_shmem).into());
    put("uss_kib", roll.map(|r| r.uss()).into());
    put("shared_kib", roll.map(|r| r.shared()).into());
    put("shared_clean_kib", roll.map(|r| r.shared_clean).into());
    put("shared_dirty_kib", roll.map(|r| r.shared_dirty).into());
    put("swap_kib", roll.map(|r| r.swap).or(m.swap).into());
    put("swap_pss_kib", roll.map(|r| r.swap_pss).into());
    // Security.
    let sec = d.security.as_ref();
    for (i, (_, set)) in CAP_SETS.iter().enumerate() {
        put(
            &format!("cap_{set}"),
            sec.and_then(|s| s.caps[i]).map(cap_names).into(),
        );
    }
    put("no_new_privs", sec.and_then(|s| s.no_new_privs).into());
    put(
        "seccomp",
        sec.and_then(|s| s.seccomp).map(seccomp_mode).into(),
    );
    put(
        "seccomp_filters",
        sec.and_then(|s| s.seccomp_filters).into(),
    );
    put(
        "security_label",
        match sec.map(|s| &s.label) {
            Some(label) => why.take("security_label", label, |l| l.clone().into()),
            None => J::Null,
        },
    );
    put("supgid", sec.map(|s| s.groups.clone()).into());
    put(
        "supgrp",
        sec.map(|s| {
            s.groups
                .iter()
                .map(|&g| cache.group(g).unwrap_or_else(|| g.to_string()))
                .collect::<Vec<_>>()
        })
        .into(),
    );
    put(
        "umask",
        sec.and_then(|s| s.umask).map(|u| format!("{u:04o}")).into(),
    );
    // Disk I/O.
    let io = d.io.as_ref().ok();
    if let Err(e) = &d.io {
        why.0.insert("read_bytes".into(), e.code().into());
    }
    put("read_bytes", io.map(|i| i.read_bytes).into());
    put("write_bytes", io.map(|i| i.write_bytes).into());
    put("read_calls", io.map(|i| i.read_calls).into());
    put("write_calls", io.map(|i| i.write_calls).into());
    put("chars_read_bytes", io.map(|i| i.chars_read).into());
    put("chars_written_bytes", io.map(|i| i.chars_written).into());
    // Files and sockets.
    put("fds", d.files.as_ref().ok().map(Vec::len).into());
    put(
        "fds_by_kind",
        fd_counts(d)
            .map(|c| {
                c.into_iter()
                    .map(|(k, n)| (k.name().replace(' ', "_"), J::from(n)))
                    .collect::<Map<_, _>>()
            })
            .into(),
    );
    put(
        "files",
        why.take("files", &d.files, |fs| {
            fs.iter().map(file).collect::<Vec<_>>().into()
        }),
    );
    if let Some(maps) = &d.maps {
        put(
            "maps",
            why.take("maps", maps, |ms| {
                ms.iter()
                    .map(|m| {
                        json!({
                            "start": format!("{:x}", m.start), "end": format!("{:x}", m.end),
                            "perms": m.perms, "offset": m.offset, "size_bytes": m.size_bytes(),
                            "device": format!("{}:{}", m.major, m.minor), "inode": m.inode,
                            "path": text(&m.path), "deleted": m.deleted,
                        })
                    })
                    .collect::<Vec<_>>()
                    .into()
            }),
        );
    }
    let sockets = match (&d.sockets, &d.unix_sockets) {
        (Ok(inet), Ok(unix)) => J::from(
            inet.iter()
                .map(inet_socket)
                .chain(unix.iter().map(unix_socket))
                .collect::<Vec<_>>(),
        ),
        (Err(e), _) | (_, Err(e)) => {
            why.0.insert("sockets".into(), e.code().into());
            J::Null
        }
    };
    put("sockets", sockets);
    put(
        "environment",
        why.take("environment", &d.environment, |env| {
            env.iter()
                .map(|(k, v)| {
                    let value = if !opts.show_secrets && is_secret_name(k) {
                        MASK
                    } else {
                        v.as_slice()
                    };
                    (String::from_utf8_lossy(k).into_owned(), text(value))
                })
                .collect::<Map<_, _>>()
                .into()
        }),
    );
    put(
        "limits",
        why.take("limits", &d.limits, |ls| {
            ls.iter()
                .map(|l| {
                    (
                        l.json_key(),
                        json!({"soft": limit(l.soft), "hard": limit(l.hard)}),
                    )
                })
                .collect::<Map<_, _>>()
                .into()
        }),
    );
    // Control groups and namespaces.
    // The cgroup fields are null when the file is unreadable, and left
    // out when there is none: every hierarchy at the root (ps prints `-`),
    // no systemd unit or slice, no container.
    let cg = d.cgroups.as_ref().ok();
    match cg {
        None => put("cgroup", J::Null),
        Some(c) => {
            if let Some(t) = column_text(&c.raw) {
                put("cgroup", text(&t));
            }
        }
    }
    put(
        "cgroups",
        why.take("cgroups", &d.cgroups, |c| {
            c.lines
                .iter()
                .map(|l| json!({"hierarchy": l.hierarchy, "controllers": l.controllers, "path": text(&l.path)}))
                .collect::<Vec<_>>()
                .into()
        }),
    );
    for (name, get) in CGROUP_FIELDS {
        match cg {
            None => put(name, J::Null),
            Some(c) => {
                if let Some(v) = get(c) {
                    put(name, v);
                }
            }
        }
    }
    put(
        "namespaces",
        why.take("namespaces", &d.namespaces, |ns| {
            ns.iter()
                .map(|n| {
                    (
                        n.kind.to_string(),
                        json!({"inode": n.inode, "differs_from_init": n.differs_from_init}),
                    )
                })
                .collect::<Map<_, _>>()
                .into()
        }),
    );
    let sig = d.signals.as_ref();
    put("signals_pending", sig.map(|s| names(s.pending)).into());
    put("signals_blocked", sig.map(|s| names(s.blocked)).into());
    put("signals_ignored", sig.map(|s| names(s.ignored)).into());
    put("signals_caught", sig.map(|s| names(s.caught)).into());
    if d.status_memory.is_none() {
        why.0
            .insert("status".into(), Unreadable::Gone.code().into());
    }
    if d.is_kernel_thread() || p.is_zombie() {
        // A kernel thread has no executable, environment, files or user
        // memory, whoever asks, and a zombie has released them (and its
        // umask with its directories): those fields do not apply, so they
        // are left out rather than null (docs/json.md), and so are their
        // `unreadable` entries. A zombie's fd count and memory sizes were
        // null here, with no reason given.
        let released: &[&str] = if p.is_zombie() { &["umask"] } else { &[] };
        for field in KERNEL_THREAD_HAS_NONE.iter().chain(released) {
            if o.get(*field).is_some_and(J::is_null) {
                o.remove(*field);
                why.0.remove(*field);
            }
        }
    }
    // What a zombie (it has released its memory, files and executable) or
    // a kernel thread has none of does not apply either: left out, with
    // its `unreadable` entry.
    let has_none = [Unreadable::Zombie.code(), Unreadable::KernelThread.code()];
    why.0.retain(|field, reason| {
        let none = reason.as_str().is_some_and(|r| has_none.contains(&r));
        if none && o.get(field).is_some_and(J::is_null) {
            o.remove(field);
        }
        !none
    });
    o.insert("unreadable".into(), J::Object(why.0));
    J::Object(o)
}

/// The fields a kernel thread has none of (it has no user memory map):
/// left out for one when they would be null.
const KERNEL_THREAD_HAS_NONE: &[&str] = &[
    "exe",
    "exe_deleted",
    "environment",
    "files",
    "fds",
    "fds_by_kind",
    "sockets",
    "vsz_kib",
    "rss_kib",
    "rss_anon_kib",
    "rss_file_kib",
    "rss_shmem_kib",
    "peak_vsz_kib",
    "peak_rss_kib",
    "pss_kib",
    "pss_anon_kib",
    "pss_file_kib",
    "pss_shmem_kib",
    "uss_kib",
    "shared_kib",
    "shared_clean_kib",
    "shared_dirty_kib",
    "swap_kib",
    "swap_pss_kib",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_lists_expand() {
        assert_eq!(cpu_list("0-3,6"), vec![0, 1, 2, 3, 6]);
        assert_eq!(cpu_list("1"), vec![1]);
        assert!(cpu_list("").is_empty());
    }
}
