//! `proctl pstree`: the process tree, drawn as psmisc's pstree draws it,
//! with JSON, `--match` and `--depth` on top.

use std::io::Write;
use std::path::Path;

use crate::cli::{PstreeArgs, TreeFormat};
use crate::error::{Error, Exit, Result};
use crate::model::users::{NameCache, resolve_user};
use crate::model::{Needs, ProcSource, ProcessInfo};
use crate::render::Theme;
use crate::render::escape::json_text;
use crate::render::pstree::{
    ASCII, DrawOptions, NAMESPACES, Node, UNICODE, VT100, draw, draw_namespaces,
};

use super::pstree_forest::{
    build_nodes, cut_below, group_by_namespace, prune_to_matches, roots_of_user, rows,
};
use crate::select::{Pattern, parse_pid};
use crate::terminal::Terminal;

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

/// Which process `-h`/`-H` marks, with its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    /// `-H PID`.
    Pid(i32),
    /// `-h`: proctl itself.
    Own,
}

/// Everything `proctl pstree` needs, decided from the command line.
#[derive(Debug)]
pub struct PstreeConfig {
    pub target: Target,
    pub draw: DrawOptions,
    pub numeric_sort: bool,
    pub show_parents: bool,
    pub threads: Threads,
    pub highlight: Option<Highlight>,
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
            (Some(p), false) => Some(Highlight::Pid(
                parse_pid(p, "pid for -H").map_err(|e| usage(format_args!("{e}")))?,
            )),
            (None, true) => Some(Highlight::Own),
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
        // Once every value is known good: psmisc's -H fails when it cannot
        // look up the terminal's bold (pstree(1): "Unlike with -h, pstree
        // fails when using -H if highlighting is not available").
        if args.highlight_pid.is_some() {
            match std::env::var_os("TERM") {
                None => return Err(Error::Failed("TERM is not set".into())),
                Some(t) if t.is_empty() => {
                    return Err(Error::Failed("can't get terminal capabilities".into()));
                }
                Some(_) => {}
            }
        }
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
    let mut forest = build_nodes(config, &rows, &names, source, &snapshot.system);
    let mut nodes = std::mem::take(&mut forest.nodes);
    let find = |tid: i32| forest.find(tid);
    let parent = &forest.parent;

    let mut roots: Vec<usize> = match &config.target {
        Target::Init => vec![forest.init],
        Target::Pid(pid) => {
            let Some(found) = find(*pid) else {
                // JSON is an array: empty when nothing matched.
                if config.format == TreeFormat::Json {
                    out.write_all(b"[]\n")?;
                }
                return Err(Error::Failed(format!("no such process: {pid}")));
            };
            vec![found]
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
    let highlight = match config.highlight {
        Some(Highlight::Pid(pid)) => Some(pid),
        // In a fixture tree there is no "current process" to mark.
        Some(Highlight::Own) => source.own_pid(),
        None => None,
    };
    if let Some(h) = highlight {
        let mut at = find(h);
        while let Some(i) = at {
            nodes[i].highlight = true;
            at = parent[i];
        }
    }
    match config.format {
        TreeFormat::Text if let Some(kind) = config.ns_sort => {
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
            let trees: Vec<serde_json::Value> = roots
                .iter()
                .map(|&r| to_json(&nodes, &rows, r, config.threads != Threads::Hidden))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &trees).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(Exit::Success)
}

/// One process and its subtree. `threads` is the count, as in ps and show;
/// `thread_list` the threads drawn (left out with -T, which hides them).
fn to_json(
    nodes: &[Node],
    rows: &[ProcessInfo],
    i: usize,
    with_threads: bool,
) -> serde_json::Value {
    let node = &nodes[i];
    let row = rows.get(i);
    let cut = node.children.iter().any(|&c| nodes[c].ellipsis);
    let (threads, children): (Vec<usize>, Vec<usize>) = node
        .children
        .iter()
        .filter(|&&c| !nodes[c].ellipsis)
        .partition(|&&c| nodes[c].thread);
    let text = |b: &[u8]| json_text(b);
    let mut o = serde_json::json!({
        "pid": node.pid,
        "ppid": row.map(|r| r.ppid),
        "pgid": row.map(|r| r.pgrp),
        "state": row.map(|r| r.state.to_string()),
        "name": text(row.map_or(&node.name[..], |r| &r.name[..])),
        "args": row.map_or_else(Vec::new, |r| r.args().into_iter().map(text).collect::<Vec<_>>()),
        "user": node.user,
        "uid": node.uid,
        "threads": row.map(|r| r.num_threads),
        "children": children
            .iter()
            .map(|&c| to_json(nodes, rows, c, with_threads))
            .collect::<Vec<_>>(),
        "depth_cut": cut,
    });
    if with_threads {
        o["thread_list"] = threads
            .iter()
            .map(|&t| serde_json::json!({"tid": nodes[t].pid, "name": text(&rows[t].name)}))
            .collect::<Vec<_>>()
            .into();
    }
    o
}
