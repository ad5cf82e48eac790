//! `proctl pstree`: the process tree, drawn as psmisc's pstree draws it,
//! with JSON, `--match` and `--depth` on top.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::io::Write;

use crate::cli::{PstreeArgs, TreeFormat};
use crate::error::{Error, Exit, Result};
use crate::model::tree::Tree;
use crate::model::users::{NameCache, resolve_user};
use crate::model::{Needs, ProcSource, ProcessInfo};
use crate::render::Theme;
use crate::render::escape::json_text;
use crate::render::pstree::{ASCII, DrawOptions, Node, UNICODE, draw, psmisc_args};
use crate::select::{Pattern, parse_pid};
use crate::terminal::Terminal;

/// psmisc reads this much of a command line when lines are not cut (BUFSIZ + 1).
const LONG_ARGS_LIMIT: usize = 8193;

/// Where the drawing starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The tree of pid 1.
    Init,
    Pid(i32),
    /// Every tree whose root belongs to this user.
    User {
        uid: u32,
        name: String,
    },
}

/// How threads appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    Hidden,
    /// `{process name}`.
    Shown,
    /// `{thread's own name}` (-t).
    Named,
}

/// Everything `proctl pstree` needs, decided from the command line.
#[derive(Debug)]
pub struct PstreeConfig {
    pub target: Target,
    pub draw: DrawOptions,
    pub numeric_sort: bool,
    pub show_parents: bool,
    pub threads: Threads,
    pub highlight: Option<i32>,
    pub pattern: Option<Pattern>,
    pub depth: Option<usize>,
    pub format: TreeFormat,
}

/// Whether the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG).
fn utf8_locale() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            l.contains("utf-8") || l.contains("utf8")
        })
}

/// The bold and normal sequences psmisc gets from termcap ("md", "me") for
/// -h and -H: nothing without a TERM, or on a dumb one.
fn bold_sequences() -> Option<(String, String)> {
    let term = std::env::var("TERM")
        .ok()
        .filter(|t| !t.is_empty() && t != "dumb")?;
    let off = if term.starts_with("linux") {
        "\x1b[0;10m"
    } else {
        "\x1b[0m"
    };
    Some(("\x1b[1m".to_string(), off.to_string()))
}

impl PstreeConfig {
    /// Validates the arguments; nothing is read yet.
    pub fn from_args(
        args: &PstreeArgs,
        term: &Terminal,
        theme: Theme,
        color_never: bool,
    ) -> Result<PstreeConfig> {
        let target = match args.target.as_deref() {
            None => Target::Init,
            Some(t) if t.starts_with(|c: char| c.is_ascii_digit()) => Target::Pid(
                t.parse()
                    .map_err(|_| Error::usage(format!("invalid pid '{t}'")))?,
            ),
            Some(user) => match resolve_user(user) {
                Some(uid) => Target::User {
                    uid,
                    name: user.to_string(),
                },
                None => return Err(Error::Failed(format!("no such user name: {user}"))),
            },
        };
        let highlight = match (&args.highlight_pid, args.highlight_all) {
            (Some(_), true) => return Err(Error::usage("-h and -H cannot be used together")),
            (Some(p), false) => Some(parse_pid(p, "pid for -H")?),
            (None, true) => Some(std::process::id() as i32),
            (None, false) => None,
        };
        let pattern = args
            .match_pattern
            .as_deref()
            .map(|p| Pattern::new(p, true, false, args.full))
            .transpose()?;
        let symbols = if args.ascii {
            ASCII
        } else if args.unicode || (term.is_tty && utf8_locale()) {
            UNICODE
        } else {
            ASCII
        };
        let width = if args.long {
            None
        } else {
            Some(term.width.unwrap_or(132))
        };
        Ok(PstreeConfig {
            target,
            draw: DrawOptions {
                symbols,
                width,
                args: args.arguments,
                pids: args.show_pids,
                pgids: args.show_pgids,
                uid_changes: args.uid_changes,
                // psmisc 23 documents -g as implying -c but still compacts.
                compact: !(args.compact_not || args.show_pids),
                bold: if color_never { None } else { bold_sequences() },
                theme,
            },
            numeric_sort: args.numeric_sort,
            show_parents: args.show_parents,
            threads: if args.hide_threads {
                Threads::Hidden
            } else if args.thread_names {
                Threads::Named
            } else {
                Threads::Shown
            },
            highlight,
            pattern,
            depth: args.depth,
            format: args.format,
        })
    }
}

/// The processes and threads, as rows the shared tree model understands:
/// a thread row has `tid != pid` and hangs under its process.
fn rows(config: &PstreeConfig, source: &ProcSource, procs: Vec<ProcessInfo>) -> Vec<ProcessInfo> {
    let mut rows = Vec::with_capacity(procs.len());
    let want_names = config.threads == Threads::Named || config.format == TreeFormat::Json;
    for p in procs {
        if config.threads != Threads::Hidden && p.num_threads > 1 {
            for tid in source.task_ids(p.pid).into_iter().filter(|&t| t != p.pid) {
                let name = if want_names {
                    source
                        .thread_name(p.pid, tid)
                        .unwrap_or_else(|| p.name.clone())
                } else {
                    p.name.clone()
                };
                rows.push(ProcessInfo {
                    pid: p.pid,
                    tid,
                    name,
                    ppid: p.pid,
                    pgrp: p.pgrp,
                    euid: p.euid,
                    flags: p.flags,
                    ..ProcessInfo::default()
                });
            }
        }
        rows.push(p);
    }
    rows
}

/// Builds drawable nodes over the rows, psmisc-style: siblings by name and
/// uid (or by pid with -n); a parent that is not there becomes a `?` node
/// under pid 1. Returns the nodes and each node's parent.
fn build_nodes(
    config: &PstreeConfig,
    rows: &[ProcessInfo],
    names: &NameCache,
) -> (Vec<Node>, Vec<Option<usize>>) {
    let tree = Tree::build(rows);
    let limit = match config.draw.width {
        Some(w) => w + 1,
        None => LONG_ARGS_LIMIT,
    };
    let mut nodes: Vec<Node> = rows
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let thread = p.tid != p.pid;
            let uid = p.euid.unwrap_or(0);
            let name = if thread {
                let mut n = b"{".to_vec();
                n.extend_from_slice(&p.name);
                n.push(b'}');
                n
            } else {
                p.name.clone()
            };
            let args = if !config.draw.args || thread {
                Some(Vec::new())
            } else {
                psmisc_args(p.cmdline.as_deref().unwrap_or(&[]), limit)
            };
            Node {
                name,
                pid: p.tid,
                pgid: p.pgrp,
                uid,
                user: names.user(uid).unwrap_or_else(|| uid.to_string()),
                args,
                thread,
                kernel: p.is_kernel_thread(),
                children: tree.children[i].clone(),
                ..Node::default()
            }
        })
        .collect();
    let mut parent: Vec<Option<usize>> = vec![None; nodes.len()];
    for (i, kids) in tree.children.iter().enumerate() {
        for &k in kids {
            parent[k] = Some(i);
        }
    }
    let by_pid: HashMap<i32, usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, p)| p.tid == p.pid)
        .map(|(i, p)| (p.pid, i))
        .collect();
    let init = match by_pid.get(&1) {
        Some(&i) => i,
        None => {
            nodes.push(placeholder(1));
            parent.push(None);
            nodes.len() - 1
        }
    };
    // Processes whose parent is gone hang under a `?` for that parent, under pid 1.
    let mut placeholders: HashMap<i32, usize> = HashMap::new();
    for &r in &tree.roots {
        let p = &rows[r];
        let ppid = if p.ppid == p.pid { 0 } else { p.ppid };
        if ppid == 0 || p.pid == 1 {
            continue;
        }
        let holder = *placeholders.entry(ppid).or_insert_with(|| {
            nodes.push(placeholder(ppid));
            parent.push(Some(init));
            let h = nodes.len() - 1;
            nodes[init].children.push(h);
            h
        });
        nodes[holder].children.push(r);
        parent[r] = Some(holder);
    }
    let order = |a: &Node, b: &Node| -> Ordering {
        if config.numeric_sort {
            a.pid.cmp(&b.pid)
        } else {
            a.name.cmp(&b.name).then(a.uid.cmp(&b.uid))
        }
    };
    for i in 0..nodes.len() {
        let mut kids = std::mem::take(&mut nodes[i].children);
        kids.sort_by(|&a, &b| order(&nodes[a], &nodes[b]));
        nodes[i].children = kids;
    }
    (nodes, parent)
}

fn placeholder(pid: i32) -> Node {
    Node {
        name: b"?".to_vec(),
        pid,
        user: "root".to_string(),
        args: Some(Vec::new()),
        ..Node::default()
    }
}

/// Runs `proctl pstree`.
pub fn run(config: &PstreeConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let wants_cmdline = config.draw.args
        || config.format == TreeFormat::Json
        || config.pattern.as_ref().is_some_and(|p| p.full);
    let needs = if wants_cmdline {
        Needs::CMDLINE
    } else {
        Needs::STAT
    };
    let snapshot = source
        .snapshot(needs, false)
        .map_err(|e| Error::Failed(format!("cannot read {}: {e}", source.root().display())))?;
    let names = NameCache::default();
    let rows = rows(config, source, snapshot.processes);
    let (mut nodes, parent) = build_nodes(config, &rows, &names);
    let find = |pid: i32| (0..rows.len()).find(|&i| rows[i].tid == pid && rows[i].pid == pid);

    let mut roots: Vec<usize> = match &config.target {
        Target::Init => vec![find(1).unwrap_or(nodes.len() - 1)],
        Target::Pid(pid) => {
            vec![find(*pid).ok_or_else(|| Error::Failed(format!("no such process: {pid}")))?]
        }
        Target::User { uid, name } => {
            let start = find(1).unwrap_or(nodes.len() - 1);
            let found = roots_of_user(&nodes, start, *uid);
            if found.is_empty() {
                return Err(Error::Failed(format!("no processes found for user {name}")));
            }
            found
        }
    };
    if config.show_parents && matches!(config.target, Target::Pid(_)) {
        let mut child = roots[0];
        while let Some(p) = parent[child] {
            nodes[p].children = vec![child];
            child = p;
        }
        roots = vec![child];
    }
    if let Some(pattern) = &config.pattern {
        let matched: Vec<bool> = (0..nodes.len())
            .map(|i| i < rows.len() && rows[i].tid == rows[i].pid && pattern.matches(&rows[i]))
            .collect();
        let mut any = false;
        for &r in &roots {
            any |= prune_to_matches(&mut nodes, r, &matched, false);
        }
        if !any {
            return Ok(Exit::Failure);
        }
        roots.retain(|&r| nodes[r].matched || !nodes[r].children.is_empty());
    }
    if let Some(depth) = config.depth {
        for &r in &roots {
            cut_below(&mut nodes, r, depth);
        }
    }
    if let Some(h) = config.highlight {
        let mut at = find(h);
        while let Some(i) = at {
            nodes[i].highlight = true;
            at = parent[i];
        }
    }
    match config.format {
        TreeFormat::Text => {
            let prev_uid = match &config.target {
                Target::User { uid, .. } => *uid,
                _ => 0,
            };
            for (k, &r) in roots.iter().enumerate() {
                if k > 0 {
                    out.write_all(b"\n")?;
                }
                draw(out, &nodes, r, prev_uid, &config.draw)?;
            }
        }
        TreeFormat::Json => {
            let trees: Vec<serde_json::Value> =
                roots.iter().map(|&r| to_json(&nodes, &rows, r)).collect();
            serde_json::to_writer_pretty(&mut *out, &trees).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(Exit::Success)
}

/// psmisc's dump_by_user: the highest processes of `uid` below `start`.
fn roots_of_user(nodes: &[Node], start: usize, uid: u32) -> Vec<usize> {
    let mut found = Vec::new();
    let mut stack = vec![start];
    let mut seen = vec![false; nodes.len()];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        if nodes[i].uid == uid && !nodes[i].thread {
            found.push(i);
            continue;
        }
        stack.extend(nodes[i].children.iter().rev());
    }
    found
}

/// Keeps only the branches that lead to matches, and everything below a
/// match; marks the matches. Returns whether anything under `i` matched.
fn prune_to_matches(nodes: &mut [Node], i: usize, matched: &[bool], under_match: bool) -> bool {
    let is_match = matched[i];
    nodes[i].matched = is_match;
    let inside = under_match || is_match;
    let kids = std::mem::take(&mut nodes[i].children);
    let mut kept = Vec::new();
    let mut any = is_match;
    for k in kids {
        let below = prune_to_matches(nodes, k, matched, inside);
        if inside || below {
            kept.push(k);
        }
        any |= below;
    }
    nodes[i].children = kept;
    any
}

/// Drops everything deeper than `depth` levels below `i`.
fn cut_below(nodes: &mut [Node], i: usize, depth: usize) {
    if depth == 0 {
        nodes[i].children.clear();
        return;
    }
    for k in nodes[i].children.clone() {
        cut_below(nodes, k, depth - 1);
    }
}

fn to_json(nodes: &[Node], rows: &[ProcessInfo], i: usize) -> serde_json::Value {
    let node = &nodes[i];
    let row = rows.get(i);
    let (threads, children): (Vec<usize>, Vec<usize>) =
        node.children.iter().partition(|&&c| nodes[c].thread);
    let text = |b: &[u8]| serde_json::Value::from(json_text(b).into_owned());
    serde_json::json!({
        "pid": node.pid,
        "ppid": row.map(|r| r.ppid),
        "name": text(row.map_or(&node.name[..], |r| &r.name[..])),
        "args": row.map_or_else(Vec::new, |r| r.args().into_iter().map(text).collect::<Vec<_>>()),
        "user": node.user,
        "uid": node.uid,
        "threads": threads
            .iter()
            .map(|&t| serde_json::json!({"tid": nodes[t].pid, "name": text(&rows[t].name)}))
            .collect::<Vec<_>>(),
        "children": children.iter().map(|&c| to_json(nodes, rows, c)).collect::<Vec<_>>(),
    })
}
