//! The tree `proctl pstree` draws, built as psmisc builds it: process and
//! thread rows, `?` stand-ins for parents it cannot see, sibling order,
//! namespaces and security contexts, and the cuts made by `-s`, `--match`,
//! `--depth` and `-N`.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::pstree::{PstreeConfig, Threads};
use crate::cli::TreeFormat;
use crate::model::tree::Tree;
use crate::model::users::NameCache;
use crate::model::{ProcSource, ProcessInfo, SystemFacts};
use crate::render::pstree::{NAMESPACES, Node, age_color, psmisc_args};

/// psmisc reads this much of a command line when lines are not cut (BUFSIZ + 1).
const LONG_ARGS_LIMIT: usize = 8193;

/// The processes and threads, as rows the shared tree model understands:
/// a thread row has `tid != pid` and hangs under its process. proctl's own
/// worker threads are left out: they are not part of what the user asked
/// to see (psmisc's pstree has none).
pub(super) fn rows(
    config: &PstreeConfig,
    source: &ProcSource,
    procs: Vec<ProcessInfo>,
) -> Vec<ProcessInfo> {
    let mut rows = Vec::with_capacity(procs.len());
    let want_names = config.threads == Threads::Named || config.format == TreeFormat::Json;
    let own = source.own_pid();
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
pub(super) fn namespaces(root: &Path, tid: i32) -> [u64; 8] {
    let dir = root.join(tid.to_string()).join("ns");
    NAMESPACES.map(|name| std::fs::metadata(dir.join(name)).map_or(0, |m| m.ino()))
}

/// A task's security context as psmisc reads it without libselinux or
/// libapparmor: the first line of `/proc/TID/attr/current` without its last
/// character; nothing when it cannot be read (no LSM: EINVAL).
pub(super) fn security_context(root: &Path, tid: i32) -> Vec<u8> {
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
pub(super) struct Forest {
    pub nodes: Vec<Node>,
    pub parent: Vec<Option<usize>>,
    /// The node of each pid and thread id shown.
    by_tid: HashMap<i32, usize>,
    /// pid 1, or the `?` that stands for it.
    pub init: usize,
}

impl Forest {
    pub fn find(&self, tid: i32) -> Option<usize> {
        self.by_tid.get(&tid).copied()
    }
}

/// Builds drawable nodes over the rows, psmisc-style: siblings by name and
/// uid (or by pid with -n); a parent that is not there becomes a `?` node
/// under pid 1, and the processes whose parent is 0 (init, kthreadd) hang
/// under a `?` for pid 0 (`pstree 0`).
pub(super) fn build_nodes(
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
pub(super) fn placeholder(pid: i32, config: &PstreeConfig) -> Node {
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

/// psmisc's sort_by_namespace: from `start` down, every process whose
/// namespace of this kind differs from its parent's (or that has no parent)
/// leaves its parent and starts a tree under that namespace; namespaces in
/// the order they are met. A moved process no longer has a parent, so it
/// shows no `-S` transitions.
pub(super) fn group_by_namespace(
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
pub(super) fn roots_of_user(nodes: &[Node], start: usize, uid: u32) -> Vec<usize> {
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
pub(super) fn prune_to_matches(
    nodes: &mut [Node],
    i: usize,
    matched: &[bool],
    under_match: bool,
) -> bool {
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
pub(super) fn cut_below(nodes: &mut Vec<Node>, i: usize, depth: usize) {
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
