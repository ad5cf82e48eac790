//! Selecting and ordering processes: pure functions on the model.

use std::cmp::Ordering;

use regex::bytes::Regex;

use crate::columns::{self, ColumnCtx, ColumnId};
use crate::error::{Error, Result, closest};
use crate::model::holding::HoldTarget;
use crate::model::{Needs, ProcessInfo};

/// Parses a pid given on the command line; `what` names it in the error.
pub fn parse_pid(text: &str, what: &str) -> Result<i32> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| {
            Error::usage(format!(
                "invalid {what} '{text}': expected a positive number"
            ))
        })
}

/// Which processes a listing starts from, before selectors narrow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every process.
    All,
    /// Every process except kernel threads (the modern default view).
    NoKernel,
    /// Processes with a controlling terminal (BSD `a`).
    WithTty,
    /// Processes of this effective user (BSD `x`).
    OwnUser { euid: u32 },
    /// This user's processes on this terminal (procps with no selection).
    OwnTerminal { euid: u32, tty_nr: i32 },
}

/// How PATTERN matches.
#[derive(Debug, Clone)]
pub enum Matcher {
    Substring(Vec<u8>),
    Exact(Vec<u8>),
    Regex(Regex),
}

/// A name or command-line pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub matcher: Matcher,
    /// Match the whole command line instead of the name.
    pub full: bool,
}

impl Pattern {
    /// Builds a pattern; a bad regex is a usage error.
    pub fn new(text: &str, regex: bool, exact: bool, full: bool) -> Result<Pattern> {
        let matcher = if regex {
            let source = if exact {
                format!("^(?:{text})$")
            } else {
                text.to_string()
            };
            Matcher::Regex(Regex::new(&source).map_err(|e| {
                let first = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                Error::usage(format!("invalid regex '{text}': {first}"))
            })?)
        } else if exact {
            Matcher::Exact(text.as_bytes().to_vec())
        } else {
            Matcher::Substring(text.as_bytes().to_vec())
        };
        Ok(Pattern { matcher, full })
    }

    /// Whether the process matches.
    pub fn matches(&self, p: &ProcessInfo) -> bool {
        let owned;
        let haystack: &[u8] = if self.full {
            owned = p.command_line();
            &owned
        } else {
            &p.name
        };
        match &self.matcher {
            Matcher::Substring(needle) => contains(haystack, needle),
            Matcher::Exact(whole) => haystack == whole.as_slice(),
            Matcher::Regex(re) => re.is_match(haystack),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// All selection criteria; a process must meet every one given.
#[derive(Debug, Clone)]
pub struct Selection {
    pub scope: Scope,
    pub pids: Vec<i32>,
    pub ppids: Vec<i32>,
    pub uids: Vec<u32>,
    pub names: Vec<Vec<u8>>,
    pub ttys: Vec<i32>,
    pub states: Vec<char>,
    pub pattern: Option<Pattern>,
    pub pgids: Vec<i32>,
    pub sids: Vec<i32>,
    /// Only processes started before this many clock ticks after boot.
    pub started_before: Option<u64>,
    /// Pids never selected (for signals proctl and its ancestors).
    pub exclude: Vec<i32>,
    /// proctl itself is never selected (a pattern would match its own
    /// command line); see [`Selection::with_own_pid`].
    pub exclude_self: bool,
    /// Only these pids: the holders of a port (`--port`), resolved after reading.
    pub port_pids: Option<Vec<i32>>,
    /// Only the processes holding one of these paths (`--holding`): not
    /// checked by [`Selection::matches`] but after it, on the survivors
    /// only, since it reads every descriptor (`cmd::ps::narrow_to_holders`).
    pub holding: Vec<HoldTarget>,
}

impl Selection {
    /// A selection of everything in `scope`.
    pub fn scope(scope: Scope) -> Selection {
        Selection {
            scope,
            pids: Vec::new(),
            ppids: Vec::new(),
            uids: Vec::new(),
            names: Vec::new(),
            ttys: Vec::new(),
            states: Vec::new(),
            pattern: None,
            pgids: Vec::new(),
            sids: Vec::new(),
            started_before: None,
            exclude: Vec::new(),
            exclude_self: false,
            port_pids: None,
            holding: Vec::new(),
        }
    }

    /// This selection where proctl's own pid is `own` (`None` in a fixture
    /// tree): with `exclude_self`, that pid is excluded.
    pub fn with_own_pid(&self, own: Option<i32>) -> std::borrow::Cow<'_, Selection> {
        match own {
            Some(me) if self.exclude_self => {
                let mut sel = self.clone();
                sel.exclude.push(me);
                std::borrow::Cow::Owned(sel)
            }
            _ => std::borrow::Cow::Borrowed(self),
        }
    }

    /// Whether any selector (beyond the scope) was given.
    pub fn is_explicit(&self) -> bool {
        !(self.pids.is_empty()
            && self.ppids.is_empty()
            && self.uids.is_empty()
            && self.names.is_empty()
            && self.ttys.is_empty()
            && self.states.is_empty()
            && self.pgids.is_empty()
            && self.sids.is_empty()
            && self.started_before.is_none()
            && self.port_pids.is_none()
            && self.holding.is_empty()
            && self.pattern.is_none())
    }

    /// The /proc files the selectors read.
    pub fn needs(&self) -> Needs {
        match &self.pattern {
            Some(p) if p.full => Needs::CMDLINE,
            _ => Needs::STAT,
        }
    }

    /// Whether the process is selected.
    pub fn matches(&self, p: &ProcessInfo) -> bool {
        if self.exclude.contains(&p.pid) {
            return false;
        }
        let in_scope = match self.scope {
            Scope::All => true,
            Scope::NoKernel => !p.is_kernel_thread(),
            Scope::WithTty => p.tty_nr != 0,
            Scope::OwnUser { euid } => p.euid == Some(euid),
            Scope::OwnTerminal { euid, tty_nr } => p.euid == Some(euid) && p.tty_nr == tty_nr,
        };
        in_scope
            && (self.pids.is_empty() || self.pids.contains(&p.pid))
            && (self.ppids.is_empty() || self.ppids.contains(&p.ppid))
            && (self.uids.is_empty() || p.euid.is_some_and(|u| self.uids.contains(&u)))
            && (self.names.is_empty() || self.names.contains(&p.name))
            && (self.ttys.is_empty() || self.ttys.contains(&p.tty_nr))
            && (self.states.is_empty() || self.states.contains(&p.state))
            && (self.pgids.is_empty() || self.pgids.contains(&p.pgrp))
            && (self.sids.is_empty() || self.sids.contains(&p.session))
            && self.started_before.is_none_or(|t| p.start_ticks < t)
            && self
                .port_pids
                .as_ref()
                .is_none_or(|pids| pids.contains(&p.pid))
            && self.pattern.as_ref().is_none_or(|pat| pat.matches(p))
    }
}

/// One sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    pub column: ColumnId,
    pub descending: bool,
}

/// Parses `[+|-]KEY[,...]`.
pub fn parse_sort(text: &str) -> Result<Vec<SortKey>> {
    let mut keys = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        let (descending, key) = match item.as_bytes().first() {
            Some(b'-') => (true, &item[1..]),
            Some(b'+') => (false, &item[1..]),
            _ => (false, item),
        };
        if key.is_empty() {
            return Err(Error::usage(format!("empty sort key in '{text}'")));
        }
        let spec = columns::lookup(key).map_err(|_| {
            let all = columns::COLUMNS.iter().flat_map(|s| s.keys.iter().copied());
            let hint = closest(key, all)
                .map(|k| format!(" (did you mean '{k}'?)"))
                .unwrap_or_default();
            Error::usage(format!(
                "unknown sort key '{key}'{hint}; see proctl ps --list-columns"
            ))
        })?;
        keys.push(SortKey {
            column: spec.id,
            descending,
        });
    }
    Ok(keys)
}

/// Sorts processes by the keys, stable, then by pid and thread id.
pub fn sort(procs: &mut [ProcessInfo], keys: &[SortKey], ctx: &ColumnCtx) {
    if keys.is_empty() {
        return;
    }
    let mut decorated: Vec<(Vec<columns::Value>, ProcessInfo)> = procs
        .iter_mut()
        .map(|p| {
            let values = keys
                .iter()
                .map(|k| columns::value_of(k.column, p, ctx))
                .collect();
            (values, std::mem::take(p))
        })
        .collect();
    decorated.sort_by(|(a, pa), (b, pb)| {
        for (i, key) in keys.iter().enumerate() {
            let ord = a[i].compare(&b[i]);
            let ord = if key.descending { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        (pa.pid, pa.tid).cmp(&(pb.pid, pb.tid))
    });
    for (slot, (_, p)) in procs.iter_mut().zip(decorated) {
        *slot = p;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc(pid: i32, name: &str, cmdline: &str) -> ProcessInfo {
        ProcessInfo {
            pid,
            tid: pid,
            name: name.as_bytes().to_vec(),
            cmdline: Some(cmdline.replace(' ', "\0").into_bytes()),
            state: 'S',
            ..ProcessInfo::default()
        }
    }

    #[test]
    fn patterns() {
        let p = proc(5, "nginx", "nginx -g daemon off;");
        assert!(
            Pattern::new("ngi", false, false, false)
                .unwrap()
                .matches(&p)
        );
        assert!(!Pattern::new("ngi", false, true, false).unwrap().matches(&p));
        assert!(
            Pattern::new("nginx", false, true, false)
                .unwrap()
                .matches(&p)
        );
        assert!(
            !Pattern::new("daemon", false, false, false)
                .unwrap()
                .matches(&p)
        );
        assert!(
            Pattern::new("daemon", false, false, true)
                .unwrap()
                .matches(&p)
        );
        assert!(
            Pattern::new("^ng.*x$", true, false, false)
                .unwrap()
                .matches(&p)
        );
        assert!(!Pattern::new("ng", true, true, false).unwrap().matches(&p));
        assert!(Pattern::new("(", true, false, false).is_err());
    }

    #[test]
    fn selectors_combine() {
        let mut sel = Selection::scope(Scope::All);
        sel.pids = vec![5, 6];
        sel.states = vec!['S'];
        assert!(sel.matches(&proc(5, "a", "a")));
        assert!(!sel.matches(&proc(7, "a", "a")));
        sel.exclude = vec![5];
        assert!(!sel.matches(&proc(5, "a", "a")));
        assert!(sel.is_explicit());
        assert!(!Selection::scope(Scope::All).is_explicit());
    }

    #[test]
    fn kernel_threads_outside_default_scope() {
        let mut k = proc(2, "kthreadd", "");
        k.flags = 0x0020_0000;
        assert!(!Selection::scope(Scope::NoKernel).matches(&k));
        assert!(Selection::scope(Scope::All).matches(&k));
    }

    #[test]
    fn sort_keys_parse() {
        let keys = parse_sort("-%cpu,+pid,user").unwrap();
        assert_eq!(keys.len(), 3);
        assert!(keys[0].descending && keys[0].column == ColumnId::Pcpu);
        assert!(!keys[1].descending && keys[1].column == ColumnId::Pid);
        let err = parse_sort("-cpuu").unwrap_err().to_string();
        assert!(err.contains("unknown sort key 'cpuu'"), "{err}");
        assert!(parse_sort("pid,").is_err());
    }
}
