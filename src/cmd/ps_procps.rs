//! `ps` with procps's grammar: selects, orders and prints processes as
//! procps-ng 4.0.2 does (ps(1): "PROCESS SELECTION", "OUTPUT MODIFIERS",
//! "STANDARD FORMAT SPECIFIERS"). Columns have fixed widths; a value wider
//! than its column pushes the rest of the line right and later columns
//! take the slack back, and the line is cut at the screen width.

use std::io::Write;

use crate::cmd::ps_cells::{CellCtx, cell};
use crate::cmd::ps_sort::sort_value;
use crate::columns::keys::{Just, KeySpec, PrintOn};
use crate::error::{Exit, Result};
use crate::model::extras::Wants;
use crate::model::users::NameCache;
use crate::model::{Needs, ProcSource, ProcessInfo, SystemFacts};
use crate::procps::{Forest, FormatNode, HeaderType, Request, SelKind, Threads};
use crate::select::Selection;

/// procps's output buffer: no column is longer, even when piped.
pub const OUTBUF_SIZE: usize = 2 * 64 * 1024;
/// At most this much padding before a column.
const SPACE_AMOUNT: usize = 144;

/// The screen ps writes to: procps's set_screen_size.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub cols: usize,
    pub rows: usize,
}

impl Screen {
    /// The size of the terminal on stdout, stderr, stdin or /dev/tty (else
    /// 80x24); unlimited columns when stdout is not a terminal; COLUMNS
    /// and LINES override.
    pub fn detect() -> Screen {
        use std::io::IsTerminal;
        let size = [
            terminal_size::terminal_size_of(std::io::stdout()),
            terminal_size::terminal_size_of(std::io::stderr()),
            terminal_size::terminal_size_of(std::io::stdin()),
        ]
        .into_iter()
        .flatten()
        .find(|(w, h)| w.0 > 0 && h.0 > 0)
        .or_else(|| {
            let tty = std::fs::File::open("/dev/tty").ok()?;
            terminal_size::terminal_size_of(&tty).filter(|(w, h)| w.0 > 0 && h.0 > 0)
        });
        let (mut cols, mut rows) = size.map_or((80, 24), |(w, h)| (w.0 as usize, h.0 as usize));
        if !std::io::stdout().is_terminal() {
            cols = OUTBUF_SIZE;
        }
        let env = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| parse_c_long(&v))
                .filter(|&t| t > 0 && (t as usize) < OUTBUF_SIZE)
                .map(|t| t as usize)
        };
        if let Some(c) = env("COLUMNS") {
            cols = c;
        }
        if let Some(r) = env("LINES") {
            rows = r;
        }
        Screen { cols, rows }
    }
}

fn parse_c_long(s: &str) -> Option<i64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return i64::from_str_radix(h, 16).ok();
    }
    if s.len() > 1 && s.starts_with('0') {
        return i64::from_str_radix(&s[1..], 8).ok();
    }
    s.parse().ok()
}

/// Which /proc files the columns, sort keys and selection read.
pub fn needs(req: &Request) -> Needs {
    let specs = req
        .format
        .iter()
        .filter_map(|f| f.spec)
        .chain(req.sort.iter().map(|s| s.spec));
    keys_need(specs)
}

/// Which /proc files the values of these keys come from.
pub fn keys_need<'a>(specs: impl Iterator<Item = &'a KeySpec>) -> Needs {
    use crate::columns::keys::Pr;
    let mut n = Needs::STATUS | Needs::CMDLINE;
    for pr in specs.map(|s| s.pr) {
        match pr {
            Pr::Wchan => n.wchan = true,
            Pr::Cgroup | Pr::Cgname | Pr::SdUnit | Pr::SdSlice | Pr::SdUunit => n.cgroup = true,
            Pr::Exe => n.exe = true,
            Pr::Rbytes | Pr::Wbytes => n.io = true,
            Pr::Fds => n.fds = true,
            _ => {}
        }
    }
    n
}

/// procps's want_this_proc: the simple-selection table, then the lists
/// (a union), then `r`, then `-N`.
pub fn wanted(req: &Request, p: &ProcessInfo, euid: u32, own_tty: i64) -> bool {
    let mut ok = req.all
        || ((req.simple_select || req.lists.is_empty()) && table_accept(req, p, euid, own_tty))
        || listed(req, p);
    if req.running_only && !(p.state == 'R' || p.state == 'D') {
        ok = false;
    }
    ok != req.negate
}

fn table_accept(req: &Request, p: &ProcessInfo, euid: u32, own_tty: i64) -> bool {
    let index = u32::from(p.euid == Some(euid))
        | u32::from(p.session == p.pid) << 1
        | u32::from(p.tty_nr == 0) << 2
        | u32::from(i64::from(p.tty_nr) == own_tty) << 3;
    req.select_bits & (1 << index) != 0
}

fn listed(req: &Request, p: &ProcessInfo) -> bool {
    let st = p.status.as_ref();
    req.lists.iter().any(|l| {
        let value: i64 = match l.kind {
            SelKind::Ruid => st.map_or(-1, |s| i64::from(s.uids[0])),
            SelKind::Euid => p.euid.map_or(-1, i64::from),
            SelKind::Rgid => st.map_or(-1, |s| i64::from(s.gids[0])),
            SelKind::Egid => st.map_or(-1, |s| i64::from(s.gids[1])),
            SelKind::Pgrp => i64::from(p.pgrp),
            SelKind::Pid | SelKind::PidQuick => i64::from(p.pid),
            SelKind::Ppid => i64::from(p.ppid),
            SelKind::Tty => i64::from(p.tty_nr),
            SelKind::Sess => i64::from(p.session),
            SelKind::Comm => {
                // comm holds 15 bytes: a longer name matches on those.
                return l.names.iter().any(|n| {
                    (p.name.len() == 15 && n.len() >= 15 && n[..15] == p.name[..]) || *n == p.name
                });
            }
        };
        l.ids.iter().any(|&id| id as u32 == value as u32)
    })
}

/// Runs the listing; `extra` narrows the selection (proctl's extensions).
pub fn run(
    req: &Request,
    source: &ProcSource,
    extra: Option<&Selection>,
    out: &mut dyn Write,
) -> Result<Exit> {
    // A sorted or forest listing reads threads only for `H`: procps
    // (display.c, fancy_spew) fetches tasks only otherwise, so `-L`, `-T`
    // and `m` with `--sort`/`k` list each process once.
    let fancy = req.forest.is_some() || !req.sort.is_empty();
    let threads = match req.threads {
        Threads::None => false,
        Threads::Loose => true,
        Threads::Tasks | Threads::Both => !fancy,
    };
    let mut snapshot = read(req, source, threads)?;
    // proctl lists itself when selected, as procps does. Its main thread
    // waits for the reader threads while /proc is read, but it is running.
    if let Some(me) = source.own_pid() {
        for p in &mut snapshot.processes {
            if p.pid == me && p.tid == me {
                p.state = 'R';
            }
        }
    }
    let mut procs = select(req, source, extra, snapshot.processes);
    let names = NameCache::default();
    let mut screen = Screen::detect();
    if let Some(c) = req.screen_cols {
        screen.cols = c.min(OUTBUF_SIZE);
    }
    // w: at least 132 columns; ww: unlimited.
    if req.w_count > 0 && screen.cols < 132 {
        screen.cols = 132;
    }
    if req.w_count > 1 {
        screen.cols = OUTBUF_SIZE;
    }
    if let Some(r) = req.screen_rows {
        screen.rows = r;
    }
    let mut printer = Printer::new(req, screen, &snapshot.system, &names, source);
    let ctx = printer.cell_ctx();
    if req.forest.is_some() || !req.sort.is_empty() {
        let mut keys = sort_keys(req);
        if req.forest.is_some() {
            if keys.is_empty() {
                keys.push((forest_key("ppid"), false));
            }
            keys.push((forest_key("start_time"), false));
        }
        procs = sort_on(procs, &keys, &ctx);
        if req.forest.is_some() {
            printer.forest(&procs, out)?;
        } else {
            // procps's fancy_spew prints the process rows of `m` with
            // the process-only columns (show_proc_array, display.c).
            let fmt = match req.threads {
                Threads::Both => printer.only(PrintOn::Process),
                _ => req.format.clone(),
            };
            for p in &procs {
                printer.row(Some(p), &fmt, out)?;
            }
        }
    } else if req.threads == Threads::Both {
        procs.sort_by_key(|p| (p.pid, p.start_ticks));
        let mut last = None;
        for p in &procs {
            if last != Some(p.pid) {
                last = Some(p.pid);
                let proc_fmt = printer.only(PrintOn::Process);
                printer.row(Some(p), &proc_fmt, out)?;
            }
            let task_fmt = printer.only(PrintOn::Thread);
            printer.row(Some(p), &task_fmt, out)?;
        }
    } else {
        for p in &procs {
            printer.row(Some(p), &req.format, out)?;
        }
    }
    Ok(printer.finish(out)?)
}

/// After selection: proctl's `--holding` narrows the rows (it reads every
/// descriptor, so only the survivors'), then the facts some columns need
/// are read for the rows left.
fn complete(
    req: &Request,
    source: &ProcSource,
    extra: Option<&Selection>,
    rows: &mut Vec<ProcessInfo>,
) {
    if let Some(extra) = extra {
        crate::cmd::ps::narrow_to_holders(source, rows, &extra.holding);
    }
    let wants = req
        .format
        .iter()
        .filter_map(|f| f.spec)
        .chain(req.sort.iter().map(|s| s.spec))
        .filter_map(|s| typed_column(s.pr))
        .fold(Wants::default(), |w, id| {
            w | crate::columns::extra_wants(id)
        });
    crate::cmd::ps::fill_extras(source, rows, wants);
}

/// The processes the request selects: procps's selection, narrowed by
/// proctl's `extra` selectors, completed for the columns shown.
fn select(
    req: &Request,
    source: &ProcSource,
    extra: Option<&Selection>,
    processes: Vec<ProcessInfo>,
) -> Vec<ProcessInfo> {
    let euid = nix::unistd::geteuid().as_raw();
    let own_tty = own_tty();
    let extra = extra.map(|s| s.with_own_pid(source.own_pid()));
    let mut selected: Vec<ProcessInfo> = processes
        .into_iter()
        .filter(|p| wanted(req, p, euid, own_tty))
        .filter(|p| extra.as_ref().is_none_or(|s| s.matches(p)))
        .collect();
    complete(req, source, extra.as_deref(), &mut selected);
    // -q reads only the listed pids, in the order given (procps's
    // simple_spew selects them, display.c): `-q 1 -e` is pid 1 alone;
    // without threads a pid listed twice prints twice, with threads
    // (a selection of their tasks) once. The same for every format.
    if let Some(quick) = req.lists.iter().find(|l| l.kind == SelKind::PidQuick) {
        let mut listed = Vec::new();
        for (i, &id) in quick.ids.iter().enumerate() {
            if req.threads != Threads::None && quick.ids[..i].contains(&id) {
                continue;
            }
            listed.extend(selected.iter().filter(|p| i64::from(p.pid) == id).cloned());
        }
        selected = listed;
    }
    selected
}

/// `procs` in the order of `keys` (each with its descending flag), a
/// stable sort; each process's sort values are read once, not on every
/// comparison (some, such as `luid`, read a file).
fn sort_on(
    procs: Vec<ProcessInfo>,
    keys: &[(crate::procps::SortNode, bool)],
    ctx: &CellCtx,
) -> Vec<ProcessInfo> {
    if keys.is_empty() {
        return procs;
    }
    let values: Vec<Vec<crate::cmd::ps_sort::SortValue>> = procs
        .iter()
        .map(|p| {
            keys.iter()
                .map(|(k, _)| sort_value(k.spec, p, ctx))
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = (0..procs.len()).collect();
    order.sort_by(|&a, &b| {
        for (i, (_, desc)) in keys.iter().enumerate() {
            let o = values[a][i].cmp(&values[b][i]);
            let o = if *desc { o.reverse() } else { o };
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    });
    let mut slots: Vec<Option<ProcessInfo>> = procs.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// The request's own sort keys (`--sort`, `k`, `O`), without those procps
/// cannot sort by in this command line (their item is not read).
fn sort_keys(req: &Request) -> Vec<(crate::procps::SortNode, bool)> {
    let printed: Vec<crate::columns::keys::Pr> = req
        .format
        .iter()
        .filter_map(|f| f.spec)
        .chain(req.sort.iter().map(|s| s.spec))
        .map(|s| s.pr)
        .collect();
    req.sort
        .iter()
        .filter(|s| !s.inert && crate::cmd::ps_sort::item_fetched(s.spec, &printed))
        .map(|s| (*s, s.descending))
        .collect()
}

/// Reads the processes the request needs (listening ports only for `ports`).
/// `threads` says whether each thread is read too.
fn read(req: &Request, source: &ProcSource, threads: bool) -> Result<crate::model::Snapshot> {
    let mut snapshot = source
        .snapshot(needs(req), threads)
        .map_err(|e| crate::error::Error::Failed(format!("cannot read /proc: {e}")))?;
    let wants_ports = req.format.iter().any(|f| {
        f.spec
            .is_some_and(|s| s.pr == crate::columns::keys::Pr::Ports)
    });
    if wants_ports {
        crate::cmd::ps::fill_ports(source, &mut snapshot.processes);
    }
    Ok(snapshot)
}

fn forest_key(key: &str) -> crate::procps::SortNode {
    crate::procps::SortNode {
        spec: crate::columns::keys::search(key).expect("ppid and start_time are keys"),
        descending: false,
        inert: false,
    }
}

/// proctl's own controlling terminal (procps selects on its own).
pub fn own_tty() -> i64 {
    std::fs::read("/proc/self/stat")
        .ok()
        .and_then(|b| {
            let close = b.iter().rposition(|&c| c == b')')?;
            let rest = std::str::from_utf8(b.get(close + 2..)?).ok()?;
            rest.split(' ').nth(4)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Line-by-line output with procps's column arithmetic.
struct Printer<'a> {
    req: &'a Request,
    system: &'a SystemFacts,
    names: &'a NameCache,
    source: &'a ProcSource,
    /// procps's unsigned active_cols: the line width, a multiple of the
    /// screen's.
    active_cols: u32,
    wide_signals: bool,
    lines_to_next_header: i64,
    header_gap: i64,
    did_stuff: bool,
    forest_prefix: Vec<u8>,
    line: Vec<u8>,
}

impl<'a> Printer<'a> {
    fn new(
        req: &'a Request,
        screen: Screen,
        system: &'a SystemFacts,
        names: &'a NameCache,
        source: &'a ProcSource,
    ) -> Printer<'a> {
        // check_header_width: widen the line to a multiple of the screen
        // width that holds every column.
        // procps's sums are unsigned ints (output.c: total, active_cols);
        // with widths near INT_MAX they wrap, and so do these.
        let mut total = 0u32;
        let mut was_normal = 0u32;
        let mut sigs = 0u32;
        for (i, f) in req.format.iter().enumerate() {
            let last = i + 1 == req.format.len();
            match f.just() {
                Just::Aix => {
                    total = total.wrapping_add(f.width as u32);
                    was_normal = 0;
                    continue;
                }
                Just::Signal => sigs += 1,
                Just::Unlimited if last => {
                    total = total.wrapping_add(3 + was_normal);
                    was_normal = 1;
                    continue;
                }
                _ => {}
            }
            total = total.wrapping_add(f.width as u32).wrapping_add(was_normal);
            was_normal = 1;
        }
        let cols = screen.cols.max(1) as u32;
        let mut i = 0u32;
        let active_cols = loop {
            i += 1;
            let a = cols.wrapping_mul(i);
            if a >= total || a >= OUTBUF_SIZE as u32 / 2 {
                break a;
            }
        };
        let headed = req
            .format
            .iter()
            .any(|f| !f.name.is_empty() && f.spec.is_some());
        let (lines_to_next_header, header_gap) = match req.header {
            HeaderType::Multi => (1, screen.rows as i64 - 1),
            HeaderType::None => (-1, -1),
            HeaderType::Single if headed => (1, -1),
            HeaderType::Single => (-1, -1),
        };
        Printer {
            req,
            system,
            names,
            source,
            active_cols,
            wide_signals: total.wrapping_add(sigs * 7) <= active_cols,
            lines_to_next_header,
            header_gap,
            did_stuff: false,
            forest_prefix: Vec::new(),
            line: Vec::with_capacity(512),
        }
    }

    fn cell_ctx(&self) -> CellCtx<'a> {
        CellCtx {
            system: self.system,
            names: self.names,
            root: self.source.root(),
            req: self.req,
            wide_signals: false,
            line_count: self.lines_to_next_header,
        }
    }

    /// The columns a row of this kind prints, the others as `-` (for `m`).
    fn only(&self, on: PrintOn) -> Vec<FormatNode> {
        self.req
            .format
            .iter()
            .map(|f| match f.spec {
                Some(s) if s.print != PrintOn::Every && s.print != on => FormatNode {
                    spec: Some(crate::columns::keys::nop(s.just)),
                    ..f.clone()
                },
                _ => f.clone(),
            })
            .collect()
    }

    /// At the end: with nothing printed, the header alone and exit 1.
    fn finish(&mut self, out: &mut dyn Write) -> std::io::Result<Exit> {
        if self.did_stuff {
            return Ok(Exit::Success);
        }
        self.lines_to_next_header -= 1;
        if self.lines_to_next_header == 0 {
            let fmt = self.req.format.clone();
            self.print(None, &fmt, out)?;
        }
        Ok(Exit::Failure)
    }

    fn row(
        &mut self,
        p: Option<&ProcessInfo>,
        fmt: &[FormatNode],
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        self.lines_to_next_header -= 1;
        if self.lines_to_next_header == 0 {
            self.lines_to_next_header = self.header_gap;
            let head = self.req.format.clone();
            self.print(None, &head, out)?;
        }
        self.print(p, fmt, out)
    }

    /// procps's show_forest and show_tree over processes sorted by
    /// (parent, start time): roots are those whose parent is not listed,
    /// taken from the end; the children of pid 1 stay at its level
    /// except with `-H`.
    fn forest(&mut self, procs: &[ProcessInfo], out: &mut dyn Write) -> std::io::Result<()> {
        let pids: std::collections::HashSet<i32> = procs.iter().map(|p| p.pid).collect();
        let fmt = self.req.format.clone();
        for i in (0..procs.len()).rev() {
            if !pids.contains(&procs[i].ppid) {
                self.tree(procs, i, 0, false, &fmt, out)?;
            }
        }
        Ok(())
    }

    fn tree(
        &mut self,
        procs: &[ProcessInfo],
        me: usize,
        level: usize,
        have_sibling: bool,
        fmt: &[FormatNode],
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        if level > 0 {
            self.set_prefix(level - 1, if have_sibling { b'+' } else { b'L' });
        }
        self.set_prefix(level, 0);
        self.row(Some(&procs[me]), fmt, out)?;
        let pid = procs[me].pid;
        let Some(mut i) = procs.iter().position(|p| p.ppid == pid) else {
            return Ok(());
        };
        if level > 0 {
            self.set_prefix(level - 1, if have_sibling { b'|' } else { b' ' });
        }
        self.set_prefix(level, 0);
        while i < procs.len() {
            let more = i + 1 < procs.len() && procs[i + 1].ppid == pid;
            let next_level = if pid == 1 && self.req.forest != Some(Forest::Unix) {
                level
            } else {
                level + 1
            };
            self.tree(procs, i, next_level, more, fmt, out)?;
            i += 1;
            if !more {
                break;
            }
        }
        self.set_prefix(level, 0);
        Ok(())
    }

    /// procps keeps the prefix in a NUL-terminated array whose bytes after
    /// the NUL survive; so does this.
    fn set_prefix(&mut self, at: usize, c: u8) {
        if self.forest_prefix.len() <= at {
            self.forest_prefix.resize(at + 1, 0);
        }
        self.forest_prefix[at] = c;
    }

    /// procps's forest art for the current prefix, within `room` cells.
    fn forest_art(&self, room: usize) -> Vec<u8> {
        let mut art = Vec::new();
        if self.req.forest.is_none() {
            return art;
        }
        let step = if self.req.forest == Some(Forest::Unix) {
            2
        } else {
            4
        };
        let mut left = room.min(OUTBUF_SIZE - 1);
        for &c in self.forest_prefix.iter().take_while(|&&c| c != 0) {
            if left < step {
                break;
            }
            let piece: &[u8] = match (step, c) {
                (2, _) => b"  ",
                (_, b' ') => b"    ",
                (_, b'|') => b" |  ",
                _ => b" \\_ ",
            };
            art.extend_from_slice(piece);
            left -= step;
        }
        art
    }

    /// One line (a header when `p` is `None`): procps's show_one_proc.
    fn print(
        &mut self,
        p: Option<&ProcessInfo>,
        fmt: &[FormatNode],
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        self.did_stuff = true;
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        // procps's arithmetic (show_one_proc, output.c): the positions are
        // ints, active_cols and max_rightward unsigned; a column wider
        // than the line makes them wrap (a room that would be negative is
        // then the whole buffer), and so do these.
        let (mut correct, mut actual, mut dospace) = (0i32, 0i32, 0i32);
        let active = self.active_cols;
        let mut ctx = self.cell_ctx();
        ctx.wide_signals = self.wide_signals;
        for (i, f) in fmt.iter().enumerate() {
            let last = i + 1 == fmt.len();
            let width = f.width as i32;
            let mut legit = 0;
            let mut tmpspace = 0i32;
            let max_right = if !last {
                width as u32
            } else {
                tmpspace = correct.wrapping_sub(actual);
                if tmpspace < 1 {
                    tmpspace = dospace;
                    active
                        .wrapping_sub(actual as u32)
                        .wrapping_sub(tmpspace as u32)
                } else {
                    active.wrapping_sub(correct.max(actual) as u32)
                }
            };
            let max_right = max_right.min(OUTBUF_SIZE as u32 - 1) as i64;
            let (mut text, amount) = match (p, f.spec) {
                (Some(p), Some(spec)) => {
                    let art = if matches!(spec.pr, crate::columns::keys::Pr::Args)
                        || matches!(spec.pr, crate::columns::keys::Pr::Comm)
                    {
                        self.forest_art(max_right as usize)
                    } else {
                        Vec::new()
                    };
                    cell(spec, p, &ctx, max_right as usize, &art)
                }
                _ => {
                    let name = crate::procps::text_bytes(&f.name);
                    let len = name.len();
                    (name, len)
                }
            };
            let amount = amount as i32;
            let leftpad = match f.just() {
                Just::Aix | Just::Left => 0,
                Just::Right => (width - amount).max(0),
                Just::Signal => {
                    if self.wide_signals {
                        legit = 7;
                        (16 - amount).max(0)
                    } else {
                        (9 - amount).max(0)
                    }
                }
                Just::User if self.req.numeric => (width - amount).max(0),
                Just::User => 0,
                Just::Wchan if self.req.numeric => (width - amount).max(0),
                Just::Wchan | Just::Unlimited => {
                    let room = active
                        .wrapping_sub(actual as u32)
                        .wrapping_sub(tmpspace as u32);
                    if room < 1 {
                        text.truncate(1);
                    }
                    0
                }
            };
            let mut space = correct.wrapping_sub(actual).wrapping_add(leftpad);
            if space < 1 {
                space = dospace;
            }
            let space = space.min(SPACE_AMOUNT as i32) as usize;
            line.extend(std::iter::repeat_n(b' ', space));
            line.extend_from_slice(&text);
            if last {
                line.push(b'\n');
                break;
            }
            actual = actual.wrapping_add(space as i32).wrapping_add(amount);
            correct = correct.wrapping_add(width).wrapping_add(legit);
            if f.spec.is_some() && fmt[i + 1].spec.is_some() {
                correct = correct.wrapping_add(1);
                dospace = 1;
            } else {
                dospace = 0;
            }
        }
        let result = out.write_all(&line);
        self.line = line;
        result
    }
}

/// The selected processes with procps's columns as JSON, NDJSON or CSV:
/// each key under its own name, numbers as numbers.
pub fn run_machine(
    req: &Request,
    source: &ProcSource,
    extra: Option<&Selection>,
    format: crate::cli::OutputFormat,
    out: &mut dyn Write,
) -> Result<Exit> {
    use crate::cli::OutputFormat;
    let crate::model::Snapshot { processes, system } =
        read(req, source, !matches!(req.threads, Threads::None))?;
    let names = NameCache::default();
    let ctx = CellCtx {
        system: &system,
        names: &names,
        root: source.root(),
        req,
        wide_signals: true,
        line_count: 0,
    };
    let typed = crate::columns::ColumnCtx {
        system: &system,
        names: &names,
        name_width: None,
        wchan_width: None,
    };
    // Each quantity once (docs/json.md): a later key with the same JSON
    // name as an earlier one (`-o time,times`, `-o pid,pid`) shows the
    // same value, so it is left out rather than numbered or repeated.
    let mut keys: Vec<&'static str> = Vec::new();
    let mut columns: Vec<(&KeySpec, crate::cmd::ps_json::Kind)> = Vec::new();
    for spec in req.format.iter().filter_map(|f| f.spec) {
        let (name, kind) = crate::cmd::ps_json::field(spec);
        if !keys.contains(&name) {
            keys.push(name);
            columns.push((spec, kind));
        }
    }
    let procs = sort_on(select(req, source, extra, processes), &sort_keys(req), &ctx);
    let rows = procs.iter().map(|p| {
        columns
            .iter()
            .map(|&(spec, kind)| {
                let value = crate::cmd::ps_json::value(spec, p, &ctx, &typed);
                crate::cmd::ps_json::to_json(kind, &value, &system.tz)
            })
            .collect::<Vec<_>>()
    });
    let names = keys;
    match format {
        OutputFormat::Csv => {
            if req.header != HeaderType::None {
                crate::render::csv::write_record(out, names.iter().copied())?;
            }
            for row in rows {
                let fields: Vec<String> = row.iter().map(crate::render::csv::field_cell).collect();
                crate::render::csv::write_record(out, fields.iter().map(String::as_str))?;
            }
        }
        _ => crate::render::json::write_rows(out, &names, rows, format == OutputFormat::Ndjson)?,
    }
    Ok(if procs.is_empty() {
        Exit::Failure
    } else {
        Exit::Success
    })
}

/// The JSON value of a key for a process (also `proctl top`'s JSON frames).
pub fn machine_value(
    spec: &KeySpec,
    p: &ProcessInfo,
    ctx: &CellCtx,
    typed: &crate::columns::ColumnCtx,
) -> crate::render::json::Field {
    let (_, kind) = crate::cmd::ps_json::field(spec);
    let value = crate::cmd::ps_json::value(spec, p, ctx, typed);
    crate::cmd::ps_json::to_json(kind, &value, &ctx.system.tz)
}

/// The typed column a key shares with proctl's own view, for JSON and CSV:
/// ids and sizes as numbers, times as seconds or ISO 8601, arguments as a
/// list.
pub fn typed_column(pr: crate::columns::keys::Pr) -> Option<crate::columns::ColumnId> {
    use crate::columns::ColumnId as C;
    use crate::columns::keys::Pr;
    Some(match pr {
        Pr::Procs => C::Pid,
        Pr::Tasks => C::Lwp,
        Pr::Ppid => C::Ppid,
        Pr::Pgid => C::Pgid,
        Pr::Sess => C::Sid,
        Pr::Tpgid => C::Tpgid,
        Pr::Tty4 | Pr::Tty8 => C::Tty,
        Pr::Euser => C::User,
        Pr::Ruser => C::Ruser,
        Pr::Euid => C::Uid,
        Pr::Ruid => C::Ruid,
        Pr::Egroup => C::Group,
        Pr::Rgroup => C::Rgroup,
        Pr::Egid => C::Gid,
        Pr::Rgid => C::Rgid,
        Pr::Comm => C::Comm,
        Pr::Args => C::Args,
        Pr::Stat => C::Stat,
        Pr::S => C::State,
        Pr::Pcpu => C::Pcpu,
        Pr::Pmem => C::Pmem,
        Pr::Vsz => C::Vsz,
        Pr::Rss => C::Rss,
        Pr::Sz => C::Sz,
        Pr::Nlwp => C::Nlwp,
        Pr::Nice => C::Nice,
        Pr::Pri => C::Pri,
        Pr::Opri => C::Opri,
        Pr::Psr => C::Psr,
        Pr::Wchan => C::Wchan,
        Pr::Start | Pr::Stime | Pr::Bsdstart | Pr::Lstart => C::Start,
        Pr::Etime | Pr::Etimes => C::Etimes,
        Pr::Time | Pr::Times | Pr::Bsdtime => C::Time,
        Pr::C => C::C,
        Pr::Flag => C::Flags,
        Pr::Exe => C::Exe,
        Pr::Cgroup => C::Cgroup,
        Pr::Fds => C::Fds,
        Pr::Vctx => C::Vctx,
        Pr::Nvctx => C::Nvctx,
        Pr::Ctxsw => C::Ctxsw,
        Pr::RssHuman => C::RssHuman,
        Pr::StartTicks => C::StartTicks,
        Pr::Ports => C::Ports,
        Pr::Rbytes => C::Rbytes,
        Pr::Wbytes => C::Wbytes,
        Pr::Pss => C::Pss,
        Pr::Uss => C::Uss,
        Pr::Affinity => C::Affinity,
        Pr::Io => C::Io,
        Pr::Rlimit(index, side) => C::Rlimit(index, side),
        Pr::Holds => C::Holds,
        _ => return None,
    })
}

/// A procps selection and column list in proctl's own text formats
/// (`--format table|plain`): proctl's escaping and alignment, colors in
/// `table` on a terminal.
pub fn run_text(
    req: &Request,
    source: &ProcSource,
    extra: Option<&Selection>,
    table: Option<(crate::render::Theme, Option<usize>)>,
    out: &mut dyn Write,
) -> Result<Exit> {
    use crate::columns::Align;
    use crate::render::text::{Cell, TextGrid, TextOptions, write_text};
    use crate::render::theme::CellKind;
    let crate::model::Snapshot { processes, system } =
        read(req, source, !matches!(req.threads, Threads::None))?;
    let names = NameCache::default();
    let ctx = CellCtx {
        system: &system,
        names: &names,
        root: source.root(),
        req,
        wide_signals: true,
        line_count: 0,
    };
    let typed = crate::columns::ColumnCtx {
        system: &system,
        names: &names,
        name_width: None,
        wchan_width: None,
    };
    let columns: Vec<&FormatNode> = req.format.iter().filter(|f| f.spec.is_some()).collect();
    let procs = sort_on(select(req, source, extra, processes), &sort_keys(req), &ctx);
    let rows = procs
        .iter()
        .map(|p| {
            columns
                .iter()
                .map(|f| {
                    let spec = f.spec.expect("filtered to keys");
                    let raw = match typed_column(spec.pr) {
                        Some(id) => crate::columns::display_of(id, p, &typed),
                        None => cell(spec, p, &ctx, OUTBUF_SIZE - 1, &[]).0,
                    };
                    let text = crate::render::escape_bytes(&raw).into_owned();
                    Cell::new(text, CellKind::Plain)
                })
                .collect()
        })
        .collect();
    let grid = TextGrid {
        headers: columns.iter().map(|f| f.name.clone()).collect(),
        aligns: columns
            .iter()
            .map(|f| match f.just() {
                Just::Right | Just::Signal => Align::Right,
                _ => Align::Left,
            })
            .collect(),
        rows,
    };
    let header = req.header != HeaderType::None && columns.iter().any(|f| !f.name.is_empty());
    match table {
        Some((theme, width)) => {
            let opts = crate::render::table::TableOptions {
                header,
                width,
                elastic_column: columns.iter().rposition(|f| {
                    f.spec.is_some_and(|s| {
                        matches!(
                            s.pr,
                            crate::columns::keys::Pr::Args | crate::columns::keys::Pr::Comm
                        )
                    })
                }),
                theme,
            };
            crate::render::table::write_table(out, &grid, opts)?;
        }
        None => {
            let opts = TextOptions {
                header,
                max_width: None,
                theme: crate::render::Theme::plain(),
            };
            write_text(out, &grid, opts)?;
        }
    }
    Ok(if procs.is_empty() {
        Exit::Failure
    } else {
        Exit::Success
    })
}
