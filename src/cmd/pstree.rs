//! `proctl pstree`: the process tree, drawn as psmisc's pstree draws it,
//! with JSON, `--match` and `--depth` on top.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::cli::{PstreeArgs, TreeFormat};
use crate::error::{Error, Exit, Result};
use crate::model::tree::Tree;
use crate::model::users::{NameCache, resolve_user};
use crate::model::{Needs, ProcSource, ProcessInfo, SystemFacts};
use crate::render::Theme;
use crate::render::escape::json_text;
use crate::render::pstree::{
    ASCII, DrawOptions, NAMESPACES, Node, UNICODE, VT100, age_color, draw, draw_namespaces,
    psmisc_args,
};
use crate::select::{Pattern, parse_pid};
use crate::terminal::Terminal;

/// psmisc reads this much of a command line when lines are not cut (BUFSIZ + 1).
const LONG_ARGS_LIMIT: usize = 8193;

/// Where usage errors send the reader.
const HELP: &str = "(see 'proctl pstree --help')";

fn usage(msg: impl std::fmt::Display) -> Error {
    Error::usage(format!("{msg} {HELP}"))
}

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
    /// `-N TYPE`: one tree per namespace of this kind (index in NAMESPACES).
    pub ns_sort: Option<usize>,
    /// `-V`: print the version and stop.
    pub version: bool,
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
    /// Validates the arguments; nothing is read yet. psmisc's highlight
    /// bytes (-h, -H) come from the terminal's description (TERM), not from
    /// `--color`: they are part of the output psmisc prints, so `--color`
    /// leaves them alone.
    pub fn from_args(args: &PstreeArgs, term: &Terminal, theme: Theme) -> Result<PstreeConfig> {
        let target = match args.target.as_deref() {
            None => Target::Init,
            Some(t) if t.starts_with(|c: char| c.is_ascii_digit()) => Target::Pid(
                t.parse()
                    .map_err(|_| usage(format_args!("invalid pid '{t}'")))?,
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
            (Some(_), true) => return Err(usage("-h and -H cannot be used together")),
            (Some(p), false) => {
                Some(parse_pid(p, "pid for -H").map_err(|e| usage(format_args!("{e}")))?)
            }
            (None, true) => Some(std::process::id() as i32),
            (None, false) => None,
        };
        if args.full && args.match_pattern.is_none() {
            return Err(usage("--full needs --match PATTERN"));
        }
        let pattern = args
            .match_pattern
            .as_deref()
            .map(|p| Pattern::new(p, true, false, args.full))
            .transpose()?;
        // psmisc accepts only "age", in any case (pstree(1) -C).
        let age_colors = match args.color_by.as_deref() {
            None => false,
            Some(t) if t.eq_ignore_ascii_case("age") => true,
            Some(t) => return Err(usage(format_args!("invalid -C TYPE '{t}': use age"))),
        };
        let ns_sort = match args.ns_sort.as_deref() {
            None => None,
            Some(t) => match NAMESPACES.iter().position(|n| *n == t) {
                Some(i) => Some(i),
                None => {
                    return Err(usage(format_args!(
                        "invalid -N TYPE '{t}': use one of {}",
                        NAMESPACES.join(", ")
                    )));
                }
            },
        };
        let symbols = if args.ascii {
            ASCII
        } else if args.vt100 {
            VT100
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
                age_colors,
                ns_changes: args.ns_changes,
                contexts: args.security_context,
                bold: bold_sequences(),
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
            ns_sort,
            version: args.version,
        })
    }
}

/// The processes and threads, as rows the shared tree model understands:
/// a thread row has `tid != pid` and hangs under its process. proctl's own
/// worker threads are left out: they are not part of what the user asked
/// to see (psmisc's pstree has none).
fn rows(config: &PstreeConfig, source: &ProcSource, procs: Vec<ProcessInfo>) -> Vec<ProcessInfo> {
    let mut rows = Vec::with_capacity(procs.len());
    let want_names = config.threads == Threads::Named || config.format == TreeFormat::Json;
    let own = (source.root() == Path::new("/proc")).then(|| std::process::id() as i32);
    for p in procs {
        if config.threads != Threads::Hidden && p.num_threads > 1 && Some(p.pid) != own {
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
                    start_ticks: p.start_ticks,
                    ..ProcessInfo::default()
                });
            }
        }
        rows.push(p);
    }
    rows
}

/// The inode of each namespace of a task (`/proc/TID/ns/*`, 0 when it
/// cannot be seen), as psmisc's -N and -S compare them.
fn namespaces(root: &Path, tid: i32) -> [u64; 8] {
    let dir = root.join(tid.to_string()).join("ns");
    NAMESPACES.map(|name| std::fs::metadata(dir.join(name)).map_or(0, |m| m.ino()))
}

/// A task's security context as psmisc reads it without libselinux or
/// libapparmor: the first line of `/proc/TID/attr/current` without its last
/// character; nothing when it cannot be read (no LSM: EINVAL).
fn security_context(root: &Path, tid: i32) -> Vec<u8> {
    let path = root.join(tid.to_string()).join("attr/current");
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    // fgets(buf, BUFSIZ): one line of at most 8191 bytes, read as a C string.
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| i + 1)
        .min(8191);
    let mut line = bytes[..line_end].to_vec();
    if let Some(nul) = line.iter().position(|&b| b == 0) {
        line.truncate(nul);
    }
    line.pop();
    line
}

/// The drawable nodes and each node's parent.
struct Forest {
    nodes: Vec<Node>,
    parent: Vec<Option<usize>>,
    /// The node of each pid and thread id shown.
    by_tid: HashMap<i32, usize>,
    /// pid 1, or the `?` that stands for it.
    init: usize,
}

impl Forest {
    fn find(&self, tid: i32) -> Option<usize> {
        self.by_tid.get(&tid).copied()
    }
}

/// Builds drawable nodes over the rows, psmisc-style: siblings by name and
/// uid (or by pid with -n); a parent that is not there becomes a `?` node
/// under pid 1, and the processes whose parent is 0 (init, kthreadd) hang
/// under a `?` for pid 0 (`pstree 0`).
fn build_nodes(
    config: &PstreeConfig,
    rows: &[ProcessInfo],
    names: &NameCache,
    source: &ProcSource,
    system: &SystemFacts,
) -> Forest {
    let tree = Tree::build(rows);
    let limit = match config.draw.width {
        Some(w) => w + 1,
        None => LONG_ARGS_LIMIT,
    };
    let want_ns = config.draw.ns_changes || config.ns_sort.is_some();
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
                age_color: if config.draw.age_colors {
                    age_color(system.elapsed_secs(p.start_ticks))
                } else {
                    ""
                },
                ns: if want_ns {
                    namespaces(source.root(), p.tid)
                } else {
                    [0; 8]
                },
                context: if config.draw.contexts {
                    security_context(source.root(), p.tid)
                } else {
                    Vec::new()
                },
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
    let mut by_tid: HashMap<i32, usize> =
        rows.iter().enumerate().map(|(i, p)| (p.tid, i)).collect();
    let add = |nodes: &mut Vec<Node>, parent: &mut Vec<Option<usize>>, node: Node, above| {
        nodes.push(node);
        parent.push(above);
        nodes.len() - 1
    };
    let init = match by_tid.get(&1) {
        Some(&i) => i,
        None => add(&mut nodes, &mut parent, placeholder(1, config), None),
    };
    // Processes whose parent is gone hang under a `?` for that parent, under
    // pid 1; those whose parent is 0 under a `?` for pid 0.
    let mut placeholders: HashMap<i32, usize> = HashMap::new();
    let mut zero = None;
    for &r in &tree.roots {
        let p = &rows[r];
        let ppid = if p.ppid == p.pid { 0 } else { p.ppid };
        let holder = if ppid == 0 {
            *zero.get_or_insert_with(|| add(&mut nodes, &mut parent, placeholder(0, config), None))
        } else if p.pid == 1 {
            continue;
        } else {
            *placeholders.entry(ppid).or_insert_with(|| {
                let h = add(
                    &mut nodes,
                    &mut parent,
                    placeholder(ppid, config),
                    Some(init),
                );
                nodes[init].children.push(h);
                h
            })
        };
        nodes[holder].children.push(r);
        parent[r] = Some(holder);
    }
    if let Some(z) = zero {
        by_tid.insert(0, z);
    }
    if config.draw.ns_changes {
        for i in 0..nodes.len() {
            let Some(p) = parent[i] else { continue };
            let (mine, theirs) = (nodes[i].ns, nodes[p].ns);
            nodes[i].ns_marks = (0..NAMESPACES.len())
                .filter(|&k| mine[k] != 0 && theirs[k] != 0 && mine[k] != theirs[k])
                .map(|k| NAMESPACES[k])
                .collect();
        }
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
    Forest {
        nodes,
        parent,
        by_tid,
        init,
    }
}

/// psmisc's stand-in for a process it cannot see: `?`, owned by root, with
/// no namespaces and, for -C age, an age of zero.
fn placeholder(pid: i32, config: &PstreeConfig) -> Node {
    Node {
        name: b"?".to_vec(),
        pid,
        user: "root".to_string(),
        args: Some(Vec::new()),
        age_color: if config.draw.age_colors {
            age_color(0.0)
        } else {
            ""
        },
        ..Node::default()
    }
}

/// psmisc's version text layout, naming proctl: printed on stderr, exit 0.
fn print_version() -> Result<Exit> {
    let mut err = std::io::stderr().lock();
    write!(
        err,
        "pstree (proctl) {}\nCompatible with pstree (PSmisc) 23.6.\n\n\
         proctl comes with ABSOLUTELY NO WARRANTY.\n\
         This is free software, licensed under the MIT or Apache-2.0 license.\n",
        env!("CARGO_PKG_VERSION")
    )?;
    Ok(Exit::Success)
}

/// Runs `proctl pstree`.
pub fn run(config: &PstreeConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    if config.version {
        return print_version();
    }
    if let Some(kind) = config.ns_sort {
        // As psmisc: the kernel must offer this kind of namespace at all.
        let name = NAMESPACES[kind];
        if std::fs::metadata(Path::new("/proc/self/ns").join(name)).is_err() {
            return Err(Error::Failed(format!(
                "procfs file for {name} namespace not available"
            )));
        }
    }
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
    let forest = build_nodes(config, &rows, &names, source, &snapshot.system);
    let find = |tid: i32| forest.find(tid);
    let parent = &forest.parent;
    let mut nodes = forest.nodes.clone();

    let mut roots: Vec<usize> = match &config.target {
        Target::Init => vec![forest.init],
        Target::Pid(pid) => {
            vec![find(*pid).ok_or_else(|| Error::Failed(format!("no such process: {pid}")))?]
        }
        Target::User { uid, name } => {
            let found = roots_of_user(&nodes, forest.init, *uid);
            if found.is_empty() {
                return Err(Error::Failed(format!("no processes found for user {name}")));
            }
            found
        }
    };
    if config.show_parents && matches!(config.target, Target::Pid(_)) {
        // psmisc trims every ancestor to the one child on the path, then
        // draws from pid 1 as usual.
        let mut child = roots[0];
        while let Some(p) = parent[child] {
            nodes[p].children = vec![child];
            child = p;
        }
        roots = vec![forest.init];
    }
    if let Some(pattern) = &config.pattern {
        // With -t a thread row carries the thread's own name: match it too.
        let threads_count = config.threads == Threads::Named;
        let matched: Vec<bool> = (0..nodes.len())
            .map(|i| {
                i < rows.len()
                    && (rows[i].tid == rows[i].pid || threads_count)
                    && pattern.matches(&rows[i])
            })
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
        TreeFormat::Text if config.ns_sort.is_some() => {
            let kind = config.ns_sort.unwrap_or(0);
            let above = parent[forest.init].map(|p| nodes[p].ns[kind]);
            let groups = group_by_namespace(&mut nodes, forest.init, above, kind);
            draw_namespaces(out, &nodes, &groups, &config.draw)?;
        }
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

/// psmisc's sort_by_namespace: from `start` down, every process whose
/// namespace of this kind differs from its parent's (or that has no parent)
/// leaves its parent and starts a tree under that namespace; namespaces in
/// the order they are met. A moved process no longer has a parent, so it
/// shows no `-S` transitions.
fn group_by_namespace(
    nodes: &mut [Node],
    start: usize,
    parent_ns: Option<u64>,
    kind: usize,
) -> Vec<(u64, Vec<usize>)> {
    let mut groups: Vec<(u64, Vec<usize>)> = Vec::new();
    // (node, its parent now, the parent's namespace)
    let mut stack = vec![(start, None::<usize>, parent_ns)];
    let mut seen = vec![false; nodes.len()];
    while let Some((i, above, above_ns)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let ns = nodes[i].ns[kind];
        if above_ns != Some(ns) {
            match groups.iter_mut().find(|(n, _)| *n == ns) {
                Some((_, members)) => members.push(i),
                None => groups.push((ns, vec![i])),
            }
            if let Some(a) = above {
                nodes[a].children.retain(|&c| c != i);
            }
            nodes[i].ns_marks.clear();
        }
        // Depth first, children in drawing order (psmisc recurses).
        for &k in nodes[i].children.clone().iter().rev() {
            stack.push((k, Some(i), Some(ns)));
        }
    }
    groups
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

/// Drops everything deeper than `depth` levels below `i`, leaving a `...`
/// where branches were cut.
fn cut_below(nodes: &mut Vec<Node>, i: usize, depth: usize) {
    if depth == 0 {
        if !nodes[i].children.is_empty() {
            nodes.push(Node {
                name: b"...".to_vec(),
                args: Some(Vec::new()),
                ellipsis: true,
                ..Node::default()
            });
            nodes[i].children = vec![nodes.len() - 1];
        }
        return;
    }
    for k in nodes[i].children.clone() {
        cut_below(nodes, k, depth - 1);
    }
}

fn to_json(nodes: &[Node], rows: &[ProcessInfo], i: usize) -> serde_json::Value {
    let node = &nodes[i];
    let row = rows.get(i);
    let cut = node.children.iter().any(|&c| nodes[c].ellipsis);
    let (threads, children): (Vec<usize>, Vec<usize>) = node
        .children
        .iter()
        .filter(|&&c| !nodes[c].ellipsis)
        .partition(|&&c| nodes[c].thread);
    let text = |b: &[u8]| serde_json::Value::from(json_text(b).into_owned());
    serde_json::json!({
        "pid": node.pid,
        "ppid": row.map(|r| r.ppid),
        "pgid": row.map(|r| r.pgrp),
        "state": row.map(|r| r.state.to_string()),
        "name": text(row.map_or(&node.name[..], |r| &r.name[..])),
        "args": row.map_or_else(Vec::new, |r| r.args().into_iter().map(text).collect::<Vec<_>>()),
        "user": node.user,
        "uid": node.uid,
        "threads": threads
            .iter()
            .map(|&t| serde_json::json!({"tid": nodes[t].pid, "name": text(&rows[t].name)}))
            .collect::<Vec<_>>(),
        "children": children.iter().map(|&c| to_json(nodes, rows, c)).collect::<Vec<_>>(),
        "depth_cut": cut,
    })
}
