//! What the commands that act on processes (`signal`, `wait`, `set`) act
//! on: explicit targets (PID, -PGID, PID@TICKS) and pgrep-style selectors,
//! validated once into `Criteria`, then matched against a snapshot.
//! Every selector given must match (an intersection, as pgrep does); a comma
//! list within one selector means any of its values.

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Duration;

use crate::cli::SelectorArgs;
use crate::duration::parse_duration;
use crate::error::{Error, Result};
use crate::model::holding::{HoldTarget, holders, parse_targets};
use crate::model::net::{Proto, parse_port, pids_on_port};
use crate::model::tty::tty_number;
use crate::model::users::{resolve_group, resolve_user};
use crate::model::{Needs, ProcSource, ProcessInfo, Snapshot};
use crate::render::escape_bytes;
use crate::select::{Pattern, parse_pid};
use crate::signal::deliver::{Outcome, Target, read_named};

/// The kernel keeps at most this many bytes of a process name (TASK_COMM_LEN - 1).
const COMM_LEN: usize = 15;

/// Validated selectors: what a process must be to be chosen.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    pub pattern: Option<Pattern>,
    pub euids: Vec<u32>,
    pub ruids: Vec<u32>,
    pub rgids: Vec<u32>,
    pub ppids: Vec<i32>,
    pub pgids: Vec<i32>,
    pub sids: Vec<i32>,
    pub ttys: Vec<i32>,
    pub states: Vec<char>,
    /// Pids named on the command line or in a pidfile.
    pub pids: Vec<i32>,
    pub port: Option<(u16, Option<Proto>)>,
    /// `--holding` paths: processes holding any of them (fuser's meaning).
    pub holding: Vec<HoldTarget>,
    pub older_than: Option<Duration>,
    pub younger_than: Option<Duration>,
    pub inverse: bool,
    pub newest: bool,
    pub oldest: bool,
}

/// Splits a comma list, rejecting empty items (`-u ""` selects nobody, it is an error).
fn list<'a>(text: &'a str, what: &str) -> Result<Vec<&'a str>> {
    let items: Vec<&str> = text.split(',').map(str::trim).collect();
    if items.iter().any(|i| i.is_empty()) {
        return Err(Error::usage(format!("empty {what} in '{text}'")));
    }
    Ok(items)
}

fn pids(text: &str, what: &str) -> Result<Vec<i32>> {
    list(text, what)?
        .into_iter()
        .map(|p| parse_pid(p, what))
        .collect()
}

/// The pid in a pidfile: the first word of its first line, as pgrep -F reads it.
pub fn read_pidfile(path: &Path) -> Result<i32> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::usage(format!(
            "cannot read pidfile {}: {}",
            path.display(),
            crate::error::plain(&e)
        ))
    })?;
    let word = text.split_whitespace().next().unwrap_or("");
    parse_pid(word, "pid").map_err(|_| {
        Error::usage(format!(
            "pidfile {} does not hold a pid (it starts '{}')",
            path.display(),
            word.escape_default()
        ))
    })
}

/// A target named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Explicit {
    /// A pid (or thread id), optionally with the start time it must still have.
    Pid { pid: i32, start_ticks: Option<u64> },
    /// A process group (`-PGID`); 0 is proctl's own group, -1 every process.
    Group(i32),
}

/// Parses PID, -PGID, 0 and PID@TICKS.
pub fn parse_target(text: &str) -> Result<Explicit> {
    let bad = || {
        Error::usage(format!(
            "invalid target '{text}': use PID, -PGID or PID@TICKS"
        ))
    };
    if let Some((pid, ticks)) = text.split_once('@') {
        let pid = parse_pid(pid, "pid").map_err(|_| bad())?;
        let ticks = ticks.parse().map_err(|_| bad())?;
        return Ok(Explicit::Pid {
            pid,
            start_ticks: Some(ticks),
        });
    }
    let n: i32 = text.parse().map_err(|_| bad())?;
    Ok(match n {
        n if n > 0 => Explicit::Pid {
            pid: n,
            start_ticks: None,
        },
        0 => Explicit::Group(0),
        -1 => Explicit::Group(-1),
        n => Explicit::Group(n.checked_neg().ok_or_else(bad)?),
    })
}

/// Explicit targets that must be processes, PID or PID@TICKS (not a
/// group): the error calls one a `noun` and gives `hint` as advice.
pub fn pid_targets(targets: &[String], noun: &str, hint: &str) -> Result<Vec<(i32, Option<u64>)>> {
    targets
        .iter()
        .map(|t| match parse_target(t) {
            Ok(Explicit::Pid { pid, start_ticks }) => Ok((pid, start_ticks)),
            _ => Err(Error::usage(format!("invalid {noun} '{t}': {hint}"))),
        })
        .collect()
}

/// The selectors and `--tree` of a command that acts on processes.
#[derive(Debug, Default)]
pub struct Selectors {
    pub criteria: Option<Criteria>,
    pub tree: Option<i32>,
}

impl Selectors {
    /// Validates them; `nothing` is the usage error when neither they nor
    /// explicit targets (`has_targets`) name a process.
    pub fn from_args(
        args: &SelectorArgs,
        tree: Option<&str>,
        has_targets: bool,
        nothing: &str,
    ) -> Result<Selectors> {
        let criteria = Criteria::from_args(args)?;
        let tree = tree.map(|t| parse_pid(t, "pid for --tree")).transpose()?;
        if !has_targets && criteria.is_none() && tree.is_none() {
            return Err(Error::usage(nothing));
        }
        Ok(Selectors { criteria, tree })
    }
}

impl Criteria {
    /// Validates the selectors; `None` when none was given.
    pub fn from_args(args: &SelectorArgs) -> Result<Option<Criteria>> {
        if args.group.is_some() {
            return Err(Error::usage(
                "--group is ambiguous: use --pgroup PGID for a process group or \
                 --real-group GROUP for a group id (pgrep's --group)",
            ));
        }
        let mut c = Criteria::default();
        match &args.name {
            Some(name) => {
                let text = if args.ignore_case {
                    format!("(?i){name}")
                } else {
                    name.clone()
                };
                c.pattern = Some(Pattern::new(&text, true, args.exact, args.full)?);
            }
            None if args.full || args.exact || args.ignore_case => {
                return Err(Error::usage(
                    "--full, --exact and --ignore-case go with --name PATTERN",
                ));
            }
            None => {}
        }
        let users = |text: &Option<String>, what: &str| -> Result<Vec<u32>> {
            let Some(text) = text else {
                return Ok(Vec::new());
            };
            list(text, what)?
                .into_iter()
                .map(|u| resolve_user(u).ok_or_else(|| Error::usage(format!("unknown user '{u}'"))))
                .collect()
        };
        c.euids = users(&args.user, "user")?;
        c.ruids = users(&args.real_user, "user")?;
        if let Some(text) = &args.real_group {
            c.rgids = list(text, "group")?
                .into_iter()
                .map(|g| {
                    resolve_group(g).ok_or_else(|| Error::usage(format!("unknown group '{g}'")))
                })
                .collect::<Result<_>>()?;
        }
        if let Some(p) = &args.parent {
            c.ppids = pids(p, "parent pid")?;
        }
        if let Some(g) = &args.pgroup {
            c.pgids = pids(g, "process group")?;
        }
        if let Some(s) = &args.session {
            c.sids = pids(s, "session")?;
        }
        if let Some(t) = &args.terminal {
            c.ttys = list(t, "terminal")?
                .into_iter()
                .map(|name| {
                    tty_number(name)
                        .ok_or_else(|| Error::usage(format!("unknown terminal '{name}'")))
                })
                .collect::<Result<_>>()?;
        }
        if let Some(r) = &args.runstates {
            c.states = r.chars().filter(|&ch| ch != ',').collect();
            if let Some(bad) = c.states.iter().find(|s| !"RSDZTtIXWPK".contains(**s)) {
                return Err(Error::usage(format!(
                    "invalid state '{bad}' in --runstates: use R, S, D, Z, T, t, I"
                )));
            }
            if c.states.is_empty() {
                return Err(Error::usage("--runstates needs at least one state"));
            }
        }
        if let Some(path) = &args.pidfile {
            c.pids.push(read_pidfile(path)?);
        }
        c.port = args.port.as_deref().map(parse_port).transpose()?;
        // The paths are this machine's, so its own mount table decides
        // which are mount points.
        c.holding = parse_targets(Path::new("/proc"), &args.holding, args.mount)?;
        c.older_than = args.older_than.as_deref().map(parse_duration).transpose()?;
        c.younger_than = args
            .younger_than
            .as_deref()
            .map(parse_duration)
            .transpose()?;
        c.inverse = args.inverse;
        c.newest = args.newest;
        c.oldest = args.oldest;
        let any = c.pattern.is_some()
            || !c.euids.is_empty()
            || !c.ruids.is_empty()
            || !c.rgids.is_empty()
            || !c.ppids.is_empty()
            || !c.pgids.is_empty()
            || !c.sids.is_empty()
            || !c.ttys.is_empty()
            || !c.states.is_empty()
            || !c.pids.is_empty()
            || c.port.is_some()
            || !c.holding.is_empty()
            || c.older_than.is_some()
            || c.younger_than.is_some();
        if !any && (c.inverse || c.newest || c.oldest) {
            // pgrep -n alone picks the newest of everything; proctl, which
            // signals, wants the set named.
            if c.inverse {
                return Err(Error::usage("--inverse needs a selector to invert"));
            }
            return Ok(Some(c));
        }
        Ok(any.then_some(c))
    }

    /// The /proc files matching needs.
    pub fn needs(&self) -> Needs {
        let mut needs = Needs::STAT;
        if self.pattern.as_ref().is_some_and(|p| p.full) {
            needs = needs | Needs::CMDLINE;
        }
        if !self.ruids.is_empty() || !self.rgids.is_empty() {
            needs = needs | Needs::STATUS;
        }
        needs
    }

    /// The processes chosen from a snapshot, never those in `exclude`.
    pub fn choose<'a>(
        &self,
        source: &ProcSource,
        snapshot: &'a Snapshot,
        exclude: &[i32],
    ) -> Vec<&'a ProcessInfo> {
        let port_pids = self
            .port
            .map(|(port, proto)| pids_on_port(source, port, proto));
        let holding_pids = (!self.holding.is_empty()).then(|| {
            let pids: Vec<i32> = snapshot.processes.iter().map(|p| p.pid).collect();
            holders(source.root(), &pids, &self.holding).by_pid
        });
        let ticks = |age: Duration| (age.as_secs_f64() * snapshot.system.hz as f64) as u64;
        let now = snapshot.system.boot_ticks;
        let matches = |p: &ProcessInfo| -> bool {
            let age = now.saturating_sub(p.start_ticks);
            (self.euids.is_empty() || p.euid.is_some_and(|u| self.euids.contains(&u)))
                && (self.ruids.is_empty() || real_id(p, |s| s.uids[0], &self.ruids))
                && (self.rgids.is_empty() || real_id(p, |s| s.gids[0], &self.rgids))
                && (self.ppids.is_empty() || self.ppids.contains(&p.ppid))
                && (self.pgids.is_empty() || self.pgids.contains(&p.pgrp))
                && (self.sids.is_empty() || self.sids.contains(&p.session))
                && (self.ttys.is_empty() || self.ttys.contains(&p.tty_nr))
                && (self.states.is_empty() || self.states.contains(&p.state))
                && (self.pids.is_empty() || self.pids.contains(&p.pid))
                && port_pids.as_ref().is_none_or(|pids| pids.contains(&p.pid))
                && holding_pids.as_ref().is_none_or(|h| h.contains_key(&p.pid))
                && self.older_than.is_none_or(|a| age > ticks(a))
                && self.younger_than.is_none_or(|a| age < ticks(a))
                && self
                    .pattern
                    .as_ref()
                    .is_none_or(|pat| pattern_matches(source, pat, p))
        };
        let mut chosen: Vec<&ProcessInfo> = snapshot
            .processes
            .iter()
            .filter(|p| !exclude.contains(&p.pid) && matches(p) != self.inverse)
            .collect();
        if self.newest {
            chosen = chosen
                .into_iter()
                .max_by_key(|p| (p.start_ticks, p.pid))
                .into_iter()
                .collect();
        } else if self.oldest {
            chosen = chosen
                .into_iter()
                .min_by_key(|p| (p.start_ticks, p.pid))
                .into_iter()
                .collect();
        }
        chosen
    }
}

/// A process to act on, as it was when chosen, with the thread id that
/// named it when a thread id did.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub target: Target,
    pub thread: Option<i32>,
}

/// A named pid that will not be acted on, and why.
#[derive(Debug, Clone)]
pub struct Settled {
    pub pid: i32,
    pub target: Option<Target>,
    pub outcome: Outcome,
}

/// Resolves pids named on the command line (`PID`, `PID@TICKS`; a thread id
/// names its process); `refuse` gives the reason a pid is not to be touched.
pub fn resolve_named(
    source: &ProcSource,
    named: &[(i32, Option<u64>)],
    refuse: impl Fn(i32) -> Option<String>,
) -> (Vec<Chosen>, Vec<Settled>) {
    let mut chosen = Vec::new();
    let mut settled = Vec::new();
    for &(pid, start_ticks) in named {
        match read_named(source, pid) {
            None => settled.push(Settled {
                pid,
                target: None,
                outcome: Outcome::NoSuchProcess,
            }),
            Some((t, _, ticks)) if start_ticks.is_some_and(|s| s != ticks) => {
                settled.push(Settled {
                    pid,
                    target: Some(t),
                    outcome: Outcome::Reused,
                })
            }
            Some((t, thread, _)) => match refuse(t.pid) {
                Some(why) => settled.push(Settled {
                    pid: t.pid,
                    target: Some(t),
                    outcome: Outcome::Refused(why),
                }),
                None => chosen.push(Chosen { target: t, thread }),
            },
        }
    }
    (chosen, settled)
}

/// The processes the selectors choose; when pids or process groups were
/// named too, only those of them that match (an intersection). A named
/// process keeps the start time seen when it was named.
pub fn select(
    source: &ProcSource,
    criteria: &Criteria,
    named: Option<(&[Chosen], &[i32])>,
    exclude: &[i32],
) -> Result<Vec<Chosen>> {
    let snapshot = source
        .snapshot(criteria.needs(), false)
        .map_err(|e| Error::Failed(format!("cannot read {}: {e}", source.root().display())))?;
    Ok(criteria
        .choose(source, &snapshot, exclude)
        .into_iter()
        .filter_map(|p| {
            let by_pid = named.and_then(|(pids, _)| pids.iter().find(|n| n.target.pid == p.pid));
            let in_group = named.is_some_and(|(_, groups)| groups.contains(&p.pgrp));
            match (named, by_pid) {
                (None, _) => Some(Chosen {
                    target: Target::of(p),
                    thread: None,
                }),
                (Some(_), Some(n)) => Some(n.clone()),
                (Some(_), None) if in_group => Some(Chosen {
                    target: Target::of(p),
                    thread: None,
                }),
                (Some(_), None) => None,
            }
        })
        .collect())
}

/// proctl and its ancestors: never chosen by a selector. None in a fixture
/// tree, where proctl's pid is another process's.
pub fn self_and_ancestors(source: &ProcSource) -> Vec<i32> {
    let Some(me) = source.own_pid() else {
        return Vec::new();
    };
    let mut chain = vec![me];
    while let Some(p) = chain
        .last()
        .and_then(|&pid| source.read_process(pid, Needs::STAT))
    {
        if p.ppid <= 0 || chain.contains(&p.ppid) {
            break;
        }
        chain.push(p.ppid);
    }
    chain
}

/// Lists the targets on stderr and asks; true when the answer is yes.
pub fn confirm(targets: &[Target], question: &str) -> Result<bool> {
    let mut err = std::io::stderr().lock();
    for t in targets {
        writeln!(err, "  {:>7} {}", t.pid, escape_bytes(&t.name))?;
    }
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

fn real_id(
    p: &ProcessInfo,
    field: impl Fn(&crate::model::process::StatusInfo) -> u32,
    ids: &[u32],
) -> bool {
    p.status.as_ref().is_some_and(|s| ids.contains(&field(s)))
}

/// Matches a name pattern. The kernel keeps only 15 bytes of a name, so a
/// name of exactly 15 bytes may be cut: then the program name from the
/// command line (its first word's last path component), when it starts with
/// those 15 bytes, is matched instead, and `--name some-long-daemon-name`
/// finds the process pgrep would miss.
fn pattern_matches(source: &ProcSource, pat: &Pattern, p: &ProcessInfo) -> bool {
    if pat.full || p.name.len() != COMM_LEN {
        return pat.matches(p);
    }
    let long = source
        .read_process(p.pid, Needs::CMDLINE)
        .and_then(|full| full.cmdline)
        .and_then(|cmdline| {
            let first = cmdline.split(|&b| b == 0).next()?.to_vec();
            let base = first.rsplit(|&b| b == b'/').next()?.to_vec();
            base.starts_with(&p.name).then_some(base)
        });
    match long {
        Some(name) => {
            let mut q = p.clone();
            q.name = name;
            pat.matches(&q)
        }
        None => pat.matches(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse() {
        assert_eq!(
            parse_target("42").unwrap(),
            Explicit::Pid {
                pid: 42,
                start_ticks: None
            }
        );
        assert_eq!(
            parse_target("42@1000").unwrap(),
            Explicit::Pid {
                pid: 42,
                start_ticks: Some(1000)
            }
        );
        assert_eq!(parse_target("-42").unwrap(), Explicit::Group(42));
        assert_eq!(parse_target("0").unwrap(), Explicit::Group(0));
        assert_eq!(parse_target("-1").unwrap(), Explicit::Group(-1));
        for bad in ["x", "42@", "@5", "4 2", "0@5", "-2147483648"] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    fn args() -> SelectorArgs {
        SelectorArgs::default()
    }

    #[test]
    fn no_selector_is_none() {
        assert!(Criteria::from_args(&args()).unwrap().is_none());
    }

    #[test]
    fn empty_list_items_are_errors() {
        let mut a = args();
        a.parent = Some(String::new());
        assert!(Criteria::from_args(&a).is_err());
        a.parent = Some("1,".into());
        assert!(Criteria::from_args(&a).is_err());
        a.parent = Some("1,2".into());
        assert_eq!(Criteria::from_args(&a).unwrap().unwrap().ppids, [1, 2]);
    }

    #[test]
    fn group_is_refused_as_ambiguous() {
        let mut a = args();
        a.group = Some("5".into());
        let err = Criteria::from_args(&a).unwrap_err().to_string();
        assert!(
            err.contains("--pgroup") && err.contains("--real-group"),
            "{err}"
        );
    }

    #[test]
    fn states_are_checked() {
        let mut a = args();
        a.runstates = Some("S,Z".into());
        assert_eq!(Criteria::from_args(&a).unwrap().unwrap().states, ['S', 'Z']);
        a.runstates = Some("Q".into());
        assert!(Criteria::from_args(&a).is_err());
    }

    #[test]
    fn pattern_flags_need_a_pattern() {
        let mut a = args();
        a.full = true;
        assert!(Criteria::from_args(&a).is_err());
    }
}
