//! Running a [`PgrepPlan`]: procps-ng 4.0.2's selection rules over a
//! snapshot, then pgrep's listing, pkill's signals (through held pidfds)
//! or pidwait's wait (on pidfds).

use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use rustix::event::{PollFd, PollFlags, poll};
use rustix::io::Errno;

use super::deliver::{self, Held};
use super::escape::{cmdline_text, escape, locale_is_utf8};
use super::pgrep_args::{Mode, NAMESPACES, PgrepPlan};
use super::posix_regex::PosixRegex;
use super::{Program, Stop};
use crate::model::tty::tty_name;
use crate::model::{Needs, ProcSource, ProcessInfo, SystemFacts};

/// One process (or thread, with `-w`) as pgrep's selection sees it.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// procps's PID item: the thread id for thread rows.
    pub tid: i32,
    /// The process (thread-group) id.
    pub tgid: i32,
    pub ppid: i32,
    pub pgrp: i32,
    pub session: i32,
    pub euid: Option<u32>,
    pub ruid: Option<u32>,
    pub rgid: Option<u32>,
    pub start_ticks: u64,
    pub elapsed: f64,
    /// Terminal name, `?` for none.
    pub tty: Vec<u8>,
    /// The escaped name.
    pub comm: Vec<u8>,
    /// The escaped command line, when it was read.
    pub cmdline: Vec<u8>,
    pub state: char,
    /// Lines of /proc/PID/cgroup, when needed.
    pub cgroups: Vec<Vec<u8>>,
    /// Namespace inodes in procps's order, when needed.
    pub namespaces: [u64; 8],
}

/// A match: the id printed and signalled, and the text `-l`/`-a`/`-e` show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub tid: i32,
    pub tgid: i32,
    pub start_ticks: u64,
    pub text: Vec<u8>,
}

/// The compiled selection.
pub struct Selector<'a> {
    pub plan: &'a PgrepPlan,
    pub regex: Option<PosixRegex>,
    /// Inodes of the `--ns` process's namespaces.
    pub reference_ns: [u64; 8],
    /// Pids never selected: proctl itself (all its threads).
    pub myself: i32,
    pub ancestors: Vec<i32>,
}

impl Selector<'_> {
    /// Applies procps's rules to the rows, in their order (by pid).
    pub fn select(&self, rows: &[Row]) -> Vec<Matched> {
        let plan = self.plan;
        let in_list =
            |v: i64, list: &Option<Vec<i64>>| list.as_ref().is_some_and(|l| l.contains(&v));
        let id = |v: Option<u32>| v.map_or(-1, i64::from);
        let mut saved_start: u64 = if plan.newest { 0 } else { u64::MAX };
        let mut saved_pid: i32 = if plan.oldest { i32::MAX } else { 0 };
        let mut out: Vec<Matched> = Vec::new();
        // procps only refreshes its output text under these conditions,
        // so `pkill -e` without -l/-a or a pattern shows a stale name.
        let mut text: Vec<u8> = Vec::new();
        for row in rows {
            if row.tgid == self.myself
                || (plan.ignore_ancestors && self.ancestors.contains(&row.tid))
            {
                continue;
            }
            // The checks in procps's order; -t ends them (procps 4.0.2
            // skips -r and --cgroup when -t is given).
            let mut matched = !((plan.newest && row.start_ticks < saved_start)
                || (plan.oldest && row.start_ticks > saved_start)
                || (plan.ppids.is_some() && !in_list(i64::from(row.ppid), &plan.ppids))
                || (plan.pids.is_some() && !in_list(i64::from(row.tgid), &plan.pids))
                || (plan.pgrps.is_some() && !in_list(i64::from(row.pgrp), &plan.pgrps))
                || (plan.euids.is_some() && !in_list(id(row.euid), &plan.euids))
                || (plan.ruids.is_some() && !in_list(id(row.ruid), &plan.ruids))
                || (plan.rgids.is_some() && !in_list(id(row.rgid), &plan.rgids))
                || (plan.sids.is_some() && !in_list(i64::from(row.session), &plan.sids))
                || (plan.ns_pid != 0 && !self.same_namespaces(row))
                || (plan.older != 0 && (row.elapsed as i32) < plan.older));
            if matched {
                if let Some(terms) = &plan.terminals {
                    matched = terms.contains(&row.tty);
                } else if plan.runstates.as_ref().is_some_and(|states| {
                    u8::try_from(row.state).is_ok_and(|s| !states.contains(&s))
                }) || plan
                    .cgroups
                    .as_ref()
                    .is_some_and(|wanted| !cgroup_match(&row.cgroups, wanted))
                {
                    matched = false;
                }
            }
            if plan.list_name || plan.list_full || (matched && plan.pattern.is_some()) {
                text = if plan.list_full {
                    row.cmdline.clone()
                } else {
                    row.comm.clone()
                };
            }
            if matched && let Some(re) = &self.regex {
                let subject = if plan.full { &row.cmdline } else { &row.comm };
                matched = re.is_match(subject);
            }
            if matched == plan.negate {
                continue;
            }
            if plan.newest || plan.oldest {
                let tie_loses = if plan.newest {
                    saved_pid > row.tid
                } else {
                    saved_pid < row.tid
                };
                if saved_start == row.start_ticks && tie_loses {
                    continue;
                }
                saved_start = row.start_ticks;
                saved_pid = row.tid;
                out.clear();
            }
            out.push(Matched {
                tid: row.tid,
                tgid: row.tgid,
                start_ticks: row.start_ticks,
                text: text.clone(),
            });
        }
        out
    }

    fn same_namespaces(&self, row: &Row) -> bool {
        (0..NAMESPACES.len())
            .filter(|i| self.plan.ns_flags & (1 << i) != 0)
            .all(|i| row.namespaces[i] == self.reference_ns[i])
    }
}

/// Whether a process's cgroup lines name one of the wanted cgroup v2 paths.
fn cgroup_match(lines: &[Vec<u8>], wanted: &[Vec<u8>]) -> bool {
    lines
        .iter()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix(b"0::"))
        .any(|path| wanted.iter().any(|w| w.as_slice() == path))
}

/// Namespace inodes of a process (0 for any that cannot be read, as
/// procps has it).
fn namespaces_of(root: &Path, pid: i32) -> [u64; 8] {
    let mut ids = [0u64; 8];
    for (slot, name) in ids.iter_mut().zip(NAMESPACES) {
        *slot = std::fs::metadata(root.join(format!("{pid}/ns/{name}"))).map_or(0, |m| m.ino());
    }
    ids
}

/// Whether the process is still there (rows are read before their
/// namespaces; one that exited in between is left out, not matched as
/// having no namespaces).
fn still_there(root: &Path, pid: i32) -> bool {
    root.join(pid.to_string()).join("stat").exists()
}

fn cgroup_lines(root: &Path, p: &ProcessInfo) -> Vec<Vec<u8>> {
    let path = if p.tid == p.pid {
        root.join(format!("{}/cgroup", p.pid))
    } else {
        root.join(format!("{}/task/{}/cgroup", p.pid, p.tid))
    };
    match std::fs::read(path) {
        Ok(bytes) if !bytes.is_empty() => bytes
            .split(|&b| b == b'\n' || b == 0)
            .map(<[u8]>::to_vec)
            .collect(),
        _ => vec![b"-".to_vec()],
    }
}

/// The rows of a snapshot, with what the plan needs.
fn rows(plan: &PgrepPlan, source: &ProcSource, facts: &SystemFacts) -> std::io::Result<Vec<Row>> {
    let ids_needed = plan.euids.is_some() || plan.ruids.is_some() || plan.rgids.is_some();
    let needs = Needs {
        status: ids_needed,
        cmdline: plan.full || plan.list_full,
        ..Needs::STAT
    };
    let snapshot = source.snapshot(needs, plan.threads)?;
    let utf8 = locale_is_utf8();
    let root = source.root();
    Ok(snapshot
        .processes
        .iter()
        .filter(|p| plan.ns_pid == 0 || still_there(root, p.tid))
        .map(|p| Row {
            tid: p.tid,
            tgid: p.pid,
            ppid: p.ppid,
            pgrp: p.pgrp,
            session: p.session,
            euid: p.euid,
            ruid: p.status.as_ref().map(|s| s.uids[0]),
            rgid: p.status.as_ref().map(|s| s.gids[0]),
            start_ticks: p.start_ticks,
            elapsed: facts.elapsed_secs(p.start_ticks),
            tty: tty_name(p.tty_nr).map_or_else(|| b"?".to_vec(), String::into_bytes),
            comm: escape(&p.name, utf8),
            cmdline: if needs.cmdline {
                cmdline_text(p.cmdline.as_deref(), &p.name, p.is_zombie(), utf8)
            } else {
                Vec::new()
            },
            state: p.state,
            cgroups: if plan.cgroups.is_some() {
                cgroup_lines(root, p)
            } else {
                Vec::new()
            },
            namespaces: if plan.ns_pid != 0 {
                namespaces_of(root, p.tid)
            } else {
                [0; 8]
            },
        })
        .collect())
}

/// proctl's ancestors, parent first, ending with 0 (as procps lists them).
fn ancestors(rows: &[Row], myself: i32) -> Vec<i32> {
    let mut list = Vec::new();
    let mut search = myself;
    while let Some(row) = rows.iter().find(|r| r.tid == search) {
        list.push(row.ppid);
        search = row.ppid;
        if list.len() > rows.len() {
            break;
        }
    }
    list
}

/// Runs the plan; returns the exit status.
pub fn run(
    prog: &Program,
    mode: Mode,
    plan: &PgrepPlan,
    source: &ProcSource,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Stop> {
    let regex = match &plan.pattern {
        Some(pattern) => {
            let source_text = if plan.exact {
                [b"^(", pattern.as_slice(), b")$"].concat()
            } else {
                pattern.clone()
            };
            match PosixRegex::new(&source_text, plan.ignore_case) {
                Ok(re) => Some(re),
                Err(msg) => {
                    return Err(Stop::fail(2, prog.message(&format!("regex error: {msg}"))));
                }
            }
        }
        None => None,
    };
    let root = source.root();
    let reference_ns = if plan.ns_pid != 0 {
        if plan.ns_pid < 1 {
            return Err(Stop::fail(
                3,
                prog.message("Error reading reference namespace information\n"),
            ));
        }
        namespaces_of(root, plan.ns_pid)
    } else {
        [0; 8]
    };
    let facts = source.system_facts();
    let rows = rows(plan, source, &facts)
        .map_err(|e| Stop::fail(3, prog.message(&format!("cannot read processes: {e}"))))?;
    // In a fixture tree proctl's own pid is another process's.
    let myself = source.own_pid().unwrap_or(0);
    let selector = Selector {
        plan,
        regex,
        reference_ns,
        myself,
        ancestors: if plan.ignore_ancestors {
            ancestors(&rows, myself)
        } else {
            Vec::new()
        },
    };
    let matches = selector.select(&rows);
    if matches.is_empty() && !plan.full && plan.pattern.as_ref().is_some_and(|p| p.len() > 15) {
        let _ = err.write_all(
            prog.message(&format!(
                "pattern that searches for process name longer than 15 characters will result in zero matches\n\
                 Try `{} -f' option to match against the complete command line.",
                prog.short
            ))
            .as_bytes(),
        );
    }
    let status = match mode {
        Mode::Pgrep => list(plan, &matches, out),
        Mode::Pkill => kill(prog, plan, &matches, root, out, err),
        Mode::Pidwait => wait(prog, plan, &matches, root, out, err),
    };
    status.map_err(|e| match e.kind() {
        // Output cut short by a reader that left (`pgrep x | head -1`).
        std::io::ErrorKind::BrokenPipe => Stop::fail(0, String::new()),
        _ => Stop::fail(1, prog.message(&format!("write error: {e}"))),
    })
}

fn list(plan: &PgrepPlan, matches: &[Matched], out: &mut dyn Write) -> std::io::Result<u8> {
    if plan.count {
        writeln!(out, "{}", matches.len())?;
    } else {
        for (i, m) in matches.iter().enumerate() {
            write!(out, "{}", m.tid)?;
            if plan.list_name || plan.list_full {
                out.write_all(b" ")?;
                out.write_all(&m.text)?;
            }
            let last = i + 1 == matches.len();
            out.write_all(if last { b"\n" } else { &plan.delimiter })?;
        }
    }
    Ok(u8::from(matches.is_empty()))
}

fn kill(
    prog: &Program,
    plan: &PgrepPlan,
    matches: &[Matched],
    root: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let mut killed = 0;
    for m in matches {
        let result = deliver::hold(root, m.tgid, m.tid, m.start_ticks)
            .and_then(|held| deliver::send(&held, plan.signal, plan.queue));
        match result {
            Ok(()) => {
                if plan.echo {
                    out.write_all(&m.text)?;
                    writeln!(out, " killed (pid {})", m.tid)?;
                }
                killed += 1;
            }
            // Gone now (or its pid reused), which is fine.
            Err(Errno::SRCH) => {}
            Err(e) => {
                out.flush()?;
                let msg = format!("killing pid {} failed: {}", m.tid, deliver::describe(e));
                err.write_all(prog.message(&msg).as_bytes())?;
            }
        }
    }
    if plan.count {
        writeln!(out, "{}", matches.len())?;
    }
    Ok(u8::from(killed == 0))
}

fn wait(
    prog: &Program,
    plan: &PgrepPlan,
    matches: &[Matched],
    root: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    if plan.count {
        writeln!(out, "{}", matches.len())?;
    }
    let mut held: Vec<Held> = Vec::new();
    for m in matches {
        if plan.echo {
            out.write_all(b"waiting for ")?;
            out.write_all(&m.text)?;
            writeln!(out, " (pid {})", m.tid)?;
        }
        // pidfd_open(2) takes only a process, not one of its other threads
        // (`--lightweight`): procps then reports the kernel's error.
        let refused = if m.tid == m.tgid {
            None
        } else {
            deliver::open_thread_error(m.tid)
        };
        let result = match refused {
            Some(e) => Err(e),
            None => deliver::hold(root, m.tgid, m.tid, m.start_ticks),
        };
        match result {
            Ok(h) if h.pidfd().is_some() => held.push(h),
            Ok(_) => {
                out.flush()?;
                err.write_all(
                    prog.message("pidfd_open() not implemented in Linux < 5.3")
                        .as_bytes(),
                )?;
                return Ok(1);
            }
            Err(Errno::SRCH) => {}
            Err(e) => {
                out.flush()?;
                let msg = format!("opening pid {} failed: {}", m.tid, deliver::describe(e));
                err.write_all(prog.message(&msg).as_bytes())?;
            }
        }
    }
    // Say what is awaited before waiting (procps only says it at exit).
    out.flush()?;
    wait_exits(&held);
    Ok(u8::from(held.is_empty()))
}

/// Blocks until every held process has exited (a zombie counts).
fn wait_exits(held: &[Held]) {
    let mut pending: Vec<&Held> = held.iter().collect();
    while !pending.is_empty() {
        let chunk: Vec<&Held> = pending.iter().take(1000).copied().collect();
        let mut fds: Vec<PollFd> = chunk
            .iter()
            .filter_map(|h| h.pidfd())
            .map(|fd| PollFd::from_borrowed_fd(fd.as_fd(), PollFlags::IN))
            .collect();
        match poll(&mut fds, None) {
            Ok(_) | Err(Errno::INTR) => {}
            Err(_) => return,
        }
        let done: Vec<i32> = fds
            .iter()
            .zip(&chunk)
            .filter(|(fd, _)| !fd.revents().is_empty())
            .map(|(_, h)| h.pid)
            .collect();
        pending.retain(|h| !done.contains(&h.pid));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pid: i32, comm: &str, start: u64) -> Row {
        Row {
            tid: pid,
            tgid: pid,
            ppid: 1,
            start_ticks: start,
            comm: comm.as_bytes().to_vec(),
            cmdline: format!("/bin/{comm} arg").into_bytes(),
            tty: b"?".to_vec(),
            state: 'S',
            euid: Some(0),
            ..Row::default()
        }
    }

    fn select(plan: &PgrepPlan, rows: &[Row]) -> Vec<i32> {
        let regex = plan
            .pattern
            .as_ref()
            .map(|p| PosixRegex::new(p, plan.ignore_case).unwrap());
        Selector {
            plan,
            regex,
            reference_ns: [0; 8],
            myself: 999,
            ancestors: vec![],
        }
        .select(rows)
        .into_iter()
        .map(|m| m.tid)
        .collect()
    }

    fn rows() -> Vec<Row> {
        vec![
            row(10, "sleep", 100),
            row(11, "bash", 50),
            row(12, "sleep", 100),
            row(13, "sleep", 90),
            row(999, "pgrep", 1),
        ]
    }

    #[test]
    fn newest_and_oldest_break_ties_by_pid() {
        let pat = Some(b"sleep".to_vec());
        let plan = PgrepPlan {
            pattern: pat.clone(),
            newest: true,
            ..PgrepPlan::default()
        };
        assert_eq!(select(&plan, &rows()), [12]);
        let plan = PgrepPlan {
            pattern: pat,
            oldest: true,
            ..PgrepPlan::default()
        };
        assert_eq!(select(&plan, &rows()), [13]);
    }

    #[test]
    fn negation_and_never_itself() {
        let plan = PgrepPlan {
            pattern: Some(b"sleep".to_vec()),
            negate: true,
            ..PgrepPlan::default()
        };
        assert_eq!(select(&plan, &rows()), [11]);
        let plan = PgrepPlan {
            pattern: Some(b"g".to_vec()),
            ..PgrepPlan::default()
        };
        assert_eq!(select(&plan, &rows()), Vec::<i32>::new());
    }

    #[test]
    fn terminal_skips_run_states() {
        let plan = PgrepPlan {
            terminals: Some(vec![b"?".to_vec()]),
            runstates: Some(b"Z".to_vec()),
            ..PgrepPlan::default()
        };
        assert_eq!(select(&plan, &rows()), [10, 11, 12, 13]);
        let plan = PgrepPlan {
            runstates: Some(b"Z".to_vec()),
            ..PgrepPlan::default()
        };
        assert!(select(&plan, &rows()).is_empty());
    }

    #[test]
    fn cgroup_v2_lines_only() {
        let lines = vec![b"1:cpu:/a".to_vec(), b"0::/b".to_vec(), Vec::new()];
        assert!(cgroup_match(&lines, &[b"/b".to_vec()]));
        assert!(!cgroup_match(&lines, &[b"/a".to_vec()]));
    }
}
