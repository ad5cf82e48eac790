//! The state of the live view (rows shown, selection, sort, filter, tree
//! folds, the dialog open) as a plain struct, changed only by pure
//! functions: [`TopState::apply_frame`] for each new frame and
//! [`TopState::handle_key`] for each key, which returns what the event
//! loop should do (quit, signal, renice, show details). Drawing only reads
//! it, so all of it is tested without a terminal.

use std::collections::HashSet;
use std::time::Duration;

use regex::bytes::Regex;

use super::columns::{COLUMNS, Shown};
use super::fields::ColumnSet;
use super::help::KEYS;
use super::keys::{KeyCells, KeyColumn};
use super::sample::{Frame, Row};
use crate::cmd::ps_cells::SortValue;
use crate::model::Needs;
use crate::model::tree::Tree;
use crate::procps::Request;
use crate::signal::Signal;
use crate::signal::deliver::Target;

/// A key or mouse event, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Esc,
    Backspace,
    /// Ctrl+C: quits, as in top.
    Interrupt,
    /// Ctrl+Z: the event loop stops proctl (job control); the state has
    /// nothing to do with it.
    Suspend,
    /// A mouse click at a cell (column, row).
    Click {
        x: u16,
        y: u16,
    },
    WheelUp,
    WheelDown,
    /// The terminal now has this many columns and rows.
    Resize {
        width: u16,
        height: u16,
    },
}

/// What the event loop must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    None,
    Quit,
    /// Read a new frame now (threads toggled, or a change needs fresh data).
    Refresh,
    /// Send `signal` to the target (and with `tree`, all its descendants).
    Signal {
        target: Target,
        signal: Signal,
        tree: bool,
    },
    Renice {
        target: Target,
        nice: i32,
    },
    /// Show `proctl show` for the target.
    Details(Target),
}

/// The dialog or prompt in front of the table, if any.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// Typing the filter (it applies as it is typed).
    Filter,
    /// Typing a user name or uid.
    User(String),
    /// Typing a nice value for the target.
    Renice(Target, String),
    /// Typing a new delay.
    Delay(String),
    Help,
    /// The fields screen: which columns are shown; `cursor` is its selected line.
    Fields {
        cursor: usize,
    },
    /// Choosing a signal for the target: an index into [`signal_choices`].
    ChooseSignal {
        target: Target,
        tree: bool,
        choice: usize,
    },
    /// Asking before the signal is sent.
    Confirm {
        target: Target,
        signal: Signal,
        tree: bool,
    },
    /// The details of a process, scrolled by `scroll` lines.
    Details {
        title: String,
        lines: Vec<String>,
        scroll: usize,
    },
}

/// One line of the table: a task and, in the tree view, its branches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRow {
    /// Index into the frame's processes.
    pub index: usize,
    /// The tree branches drawn before the command (empty outside the tree view).
    pub prefix: String,
    /// Whether its subtree is folded away.
    pub folded: bool,
}

/// Which processes to show, from the command line.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only these pids (`-p`); empty for all.
    pub pids: Vec<i32>,
    /// Only this effective user (`-u`).
    pub uid: Option<u32>,
    /// Only processes whose name or command line matches (`--match`).
    pub pattern: Option<Regex>,
}

/// The options the view starts with.
#[derive(Debug, Clone)]
pub struct ViewOptions {
    pub selection: Selection,
    pub sort: Shown,
    /// ps keys shown beside top's columns (`-o`).
    pub keys: Vec<KeyColumn>,
    /// The options ps's value code reads (its defaults).
    pub request: Request,
    pub reverse: bool,
    pub tree: bool,
    pub threads: bool,
    pub delay: Duration,
}

/// Where things are on the screen, from its size and the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Lines of the summary at the top.
    pub header: u16,
    /// The line of the table's column titles.
    pub titles: u16,
    /// How many rows of processes fit.
    pub rows: usize,
    /// The status line (prompts, messages) at the bottom.
    pub status: u16,
}

/// The whole state of the live view.
#[derive(Debug)]
pub struct TopState {
    pub frame: Frame,
    /// The rows shown, in order.
    pub view: Vec<ViewRow>,
    /// The sort column (it may be hidden).
    pub sort: Shown,
    /// With a ps key as the sort column: each task's value, by frame index.
    sort_values: Vec<SortValue>,
    /// The columns chosen, and [`ColumnSet::shown`] of it.
    pub columns: ColumnSet,
    pub shown: Vec<Shown>,
    /// What ps's value code needs for the key columns' cells.
    pub cells: KeyCells,
    pub reverse: bool,
    pub tree: bool,
    /// Pids whose subtrees are folded in the tree view.
    pub folded: HashSet<i32>,
    pub threads: bool,
    /// The interactive filter on name and command line (case-insensitive).
    pub filter: String,
    pub selection: Selection,
    /// The selected task id, followed across frames and re-sorts once
    /// the user has moved the selection off the first line.
    pub selected: Option<i32>,
    /// Whether the cursor follows `selected`: once the user moved it off
    /// the first line or kept a filter. Until then it stays on the first
    /// line (htop keeps its cursor's place the same way):
    /// following the task that happened to be first when the view opened
    /// scrolled the busiest processes off the screen as soon as that
    /// task calmed down, and a sort key showed the middle of the list.
    pub following: bool,
    /// The selected line of `view`.
    pub cursor: usize,
    /// The first line of `view` on screen.
    pub scroll: usize,
    pub paused: bool,
    pub delay: Duration,
    pub mode: Mode,
    /// A message for the status line, until the next key.
    pub message: Option<String>,
    /// The terminal's size: columns, rows.
    pub size: (u16, u16),
}

/// Signals offered by `k`: the standard ones, in number order.
pub fn signal_choices() -> Vec<Signal> {
    (1..=31).filter_map(Signal::from_number).collect()
}

/// The smallest delay accepted: a shorter one would cost a core.
pub const MIN_DELAY: Duration = Duration::from_millis(100);

impl TopState {
    /// The state for the first frame.
    pub fn new(frame: Frame, options: ViewOptions, size: (u16, u16)) -> TopState {
        let columns = ColumnSet::new(options.keys);
        let mut state = TopState {
            frame,
            view: Vec::new(),
            sort: options.sort,
            sort_values: Vec::new(),
            shown: columns.shown(),
            columns,
            cells: KeyCells::new(options.request),
            reverse: options.reverse,
            tree: options.tree,
            folded: HashSet::new(),
            threads: options.threads,
            filter: String::new(),
            selection: options.selection,
            selected: None,
            following: false,
            cursor: 0,
            scroll: 0,
            paused: false,
            delay: options.delay,
            mode: Mode::Normal,
            message: None,
            size,
        };
        state.rebuild();
        state
    }

    /// Takes a new frame, keeping the selection on the same task.
    pub fn apply_frame(&mut self, frame: Frame) {
        self.frame = frame;
        self.rebuild();
    }

    /// The /proc files a frame must read for the columns shown.
    pub fn needs(&self) -> Needs {
        super::keys::needs(&self.columns.keys)
    }

    /// Takes note of a change to the columns shown.
    pub fn columns_changed(&mut self) {
        self.shown = self.columns.shown();
        self.rebuild();
    }

    /// Reads statm's shared memory (with `read`) for the rows that show
    /// it and have it not: those on screen, or every row when sorting by
    /// SHR (then the view is sorted again).
    pub fn fill_shared(&mut self, read: impl Fn(&crate::model::ProcessInfo, u64) -> Option<u64>) {
        let page_kib = self.frame.system.page_kib;
        let by_shared = self.sort == Shown::top("SHR");
        let rows: Vec<usize> = if by_shared {
            (0..self.frame.derived.len()).collect()
        } else {
            let page = self.layout().rows;
            self.view
                .iter()
                .skip(self.scroll)
                .take(page)
                .map(|v| v.index)
                .collect()
        };
        let mut filled = false;
        for i in rows {
            if !self.frame.derived[i].shr_read {
                self.frame.derived[i].shr_kib = read(&self.frame.processes[i], page_kib);
                self.frame.derived[i].shr_read = true;
                filled = true;
            }
        }
        if filled && by_shared {
            self.rebuild();
        }
    }

    /// The text of a key column's cell for the task at `index`.
    pub fn key_text(&self, column: &KeyColumn, index: usize) -> String {
        let f = &self.frame;
        self.cells
            .text(column, &f.processes[index], &f.system, &f.root)
    }

    /// The task on the selected line.
    pub fn selected_row(&self) -> Option<Row<'_>> {
        self.view.get(self.cursor).map(|v| self.frame.row(v.index))
    }

    /// Where things are on the screen.
    pub fn layout(&self) -> Layout {
        let height = self.size.1;
        let header = header_lines(self.frame.summary.per_cpu.len()).min(height.saturating_sub(3));
        Layout {
            header,
            titles: header,
            rows: usize::from(height.saturating_sub(header + 2)),
            status: height.saturating_sub(1),
        }
    }

    /// The x range of each column on the titles line (the last runs to the edge).
    pub fn column_spans(&self) -> Vec<(u16, u16)> {
        let mut x = 0u16;
        self.shown
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let start = x;
                let width = if i + 1 == self.shown.len() {
                    self.size.0.saturating_sub(x)
                } else {
                    c.width() as u16
                };
                x = x.saturating_add(width + 1);
                (start, start.saturating_add(width))
            })
            .collect()
    }

    /// Recomputes the view: selection, filters, sort and tree.
    pub fn rebuild(&mut self) {
        self.sort_values = match &self.sort {
            Shown::Key(column) => {
                let f = &self.frame;
                f.processes
                    .iter()
                    .map(|p| self.cells.sort_value(column, p, &f.system, &f.root))
                    .collect()
            }
            Shown::Top(_) => Vec::new(),
        };
        let needle = self.filter.to_lowercase();
        let keep: Vec<bool> = (0..self.frame.processes.len())
            .map(|i| self.shown(i, &needle))
            .collect();
        self.view = if self.tree {
            self.tree_view(&keep)
        } else {
            let mut order: Vec<usize> = (0..keep.len()).filter(|&i| keep[i]).collect();
            order.sort_by(|&a, &b| self.compare(a, b));
            order
                .into_iter()
                .map(|index| ViewRow {
                    index,
                    prefix: String::new(),
                    folded: false,
                })
                .collect()
        };
        self.follow_selection();
    }

    /// Whether task `i` passes the command-line selection and the filter
    /// (`needle`: the filter in lower case).
    fn shown(&self, i: usize, needle: &str) -> bool {
        let row = self.frame.row(i);
        let s = &self.selection;
        (s.pids.is_empty() || s.pids.contains(&row.p.pid))
            && s.uid.is_none_or(|u| row.p.euid == Some(u))
            && s.pattern
                .as_ref()
                .is_none_or(|re| re.is_match(&row.p.name) || re.is_match(row.d.command.as_bytes()))
            && (needle.is_empty()
                || row.d.name.to_lowercase().contains(needle)
                || row.d.command.to_lowercase().contains(needle))
    }

    /// The order of two tasks: the sort column, then the pid.
    fn compare(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let (ra, rb) = (self.frame.row(a), self.frame.row(b));
        let mut order = match &self.sort {
            Shown::Top(i) => (COLUMNS[*i].compare)(ra, rb),
            Shown::Key(_) => self.sort_values[a].cmp(&self.sort_values[b]),
        };
        if self.sort.descending() {
            order = order.reverse();
        }
        if self.reverse {
            order = order.reverse();
        }
        order.then(ra.p.tid.cmp(&rb.p.tid))
    }

    /// The tree of the shown tasks, siblings in sort order: a task hidden by
    /// the filter stays when something below it is shown, so that every
    /// shown task keeps its place in the tree.
    fn tree_view(&self, keep: &[bool]) -> Vec<ViewRow> {
        let mut tree = Tree::build(&self.frame.processes);
        tree.roots.sort_by(|&a, &b| self.compare(a, b));
        for kids in &mut tree.children {
            kids.sort_by(|&a, &b| self.compare(a, b));
        }
        let walk = tree.walk(&tree.roots);
        let mut parent = vec![usize::MAX; keep.len()];
        for (p, kids) in tree.children.iter().enumerate() {
            for &k in kids {
                parent[k] = p;
            }
        }
        let mut wanted = keep.to_vec();
        for row in walk.iter().rev() {
            let p = parent[row.index];
            if wanted[row.index] && p != usize::MAX {
                wanted[p] = true;
            }
        }
        let mut rows = Vec::new();
        // Depth below which rows are folded away, while inside a folded subtree.
        let mut hidden_below: Option<usize> = None;
        for row in walk {
            let depth = row.more_siblings.len();
            if let Some(d) = hidden_below {
                if depth > d {
                    continue;
                }
                hidden_below = None;
            }
            if !wanted[row.index] {
                continue;
            }
            let pid = self.frame.processes[row.index].tid;
            let folded = self.folded.contains(&pid) && !tree.children[row.index].is_empty();
            if folded {
                hidden_below = Some(depth);
            }
            rows.push(ViewRow {
                index: row.index,
                prefix: branches(&row.more_siblings, folded),
                folded,
            });
        }
        rows
    }

    /// Puts the cursor back on the selected task, or keeps it in range.
    fn follow_selection(&mut self) {
        if self.following
            && let Some(tid) = self.selected
            && let Some(line) = self
                .view
                .iter()
                .position(|v| self.frame.processes[v.index].tid == tid)
        {
            self.cursor = line;
        }
        self.cursor = self.cursor.min(self.view.len().saturating_sub(1));
        self.selected = self
            .view
            .get(self.cursor)
            .map(|v| self.frame.processes[v.index].tid);
        self.keep_cursor_visible();
    }

    fn keep_cursor_visible(&mut self) {
        let page = self.layout().rows.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + page {
            self.scroll = self.cursor + 1 - page;
        }
        self.scroll = self.scroll.min(self.view.len().saturating_sub(page));
    }

    /// Moves the cursor to a line and selects its task, which is then
    /// followed unless the line is the first.
    fn move_to(&mut self, line: usize) {
        self.cursor = line.min(self.view.len().saturating_sub(1));
        self.following = self.cursor > 0;
        self.selected = self
            .view
            .get(self.cursor)
            .map(|v| self.frame.processes[v.index].tid);
        self.keep_cursor_visible();
    }

    fn move_by(&mut self, delta: isize) {
        let line = self.cursor.saturating_add_signed(delta);
        self.move_to(line);
    }

    /// The selected task as a signal target: who it was when it was seen.
    fn target(&self) -> Option<Target> {
        self.selected_row().map(|r| Target {
            pid: r.p.pid,
            start_ticks: r.p.start_ticks,
            name: r.p.name.clone(),
            euid: r.p.euid,
        })
    }

    fn set_sort(&mut self, column: Shown) {
        if self.sort == column {
            self.reverse = !self.reverse;
        } else {
            self.sort = column;
            self.reverse = false;
        }
        self.rebuild();
    }

    /// Sorts by the shown column `delta` places from the sort column's
    /// (from the first or last when the sort column is hidden).
    fn move_sort(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1);
        let at = match self.shown.iter().position(|c| *c == self.sort) {
            Some(at) => at.saturating_add_signed(delta).min(last),
            None if delta < 0 => 0,
            None => last,
        };
        if let Some(column) = self.shown.get(at) {
            self.sort = column.clone();
            self.rebuild();
        }
    }

    /// Shows the details of a process (the text of `proctl show`).
    pub fn show_details(&mut self, title: String, lines: Vec<String>) {
        self.mode = Mode::Details {
            title,
            lines,
            scroll: 0,
        };
    }

    /// Changes the state for a key; says what else must happen.
    pub fn handle_key(&mut self, key: Key) -> Action {
        if let Key::Resize { width, height } = key {
            self.size = (width, height);
            self.keep_cursor_visible();
            return Action::None;
        }
        if key == Key::Interrupt {
            return Action::Quit;
        }
        self.message = None;
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal => self.normal_key(key),
            Mode::Filter => {
                match key {
                    Key::Esc => {
                        self.filter.clear();
                        self.rebuild();
                    }
                    // A kept filter found the process wanted: it stays
                    // selected once the filter is cleared.
                    Key::Enter => self.following = !self.filter.is_empty(),
                    Key::Backspace => {
                        self.filter.pop();
                        self.rebuild();
                        self.mode = Mode::Filter;
                    }
                    Key::Char(c) => {
                        self.filter.push(c);
                        self.rebuild();
                        self.mode = Mode::Filter;
                    }
                    _ => self.mode = Mode::Filter,
                }
                Action::None
            }
            Mode::User(text) => {
                match edit(text, key) {
                    Edit::Typing(text) => self.mode = Mode::User(text),
                    Edit::Cancel => {}
                    Edit::Done(text) => self.set_user(text.trim()),
                }
                Action::None
            }
            Mode::Delay(text) => {
                match edit(text, key) {
                    Edit::Typing(text) => self.mode = Mode::Delay(text),
                    Edit::Cancel => {}
                    Edit::Done(text) => match crate::duration::parse_duration(&text) {
                        Ok(d) => self.delay = d.max(MIN_DELAY),
                        Err(e) => self.message = Some(e.to_string()),
                    },
                }
                Action::None
            }
            Mode::Renice(target, text) => match edit(text, key) {
                Edit::Typing(text) => {
                    self.mode = Mode::Renice(target, text);
                    Action::None
                }
                Edit::Cancel => Action::None,
                Edit::Done(text) => match text.trim().parse::<i32>() {
                    Ok(nice) if (-20..=19).contains(&nice) => Action::Renice { target, nice },
                    _ => {
                        self.message = Some(format!(
                            "invalid nice value '{}': use -20 to 19",
                            text.trim()
                        ));
                        Action::None
                    }
                },
            },
            Mode::Help => Action::None,
            Mode::Fields { cursor } => self.fields_key(cursor, key),
            Mode::ChooseSignal {
                target,
                tree,
                choice,
            } => {
                let last = signal_choices().len() - 1;
                let choice = match key {
                    Key::Esc | Key::Char('q') => return Action::None,
                    Key::Enter => {
                        self.mode = Mode::Confirm {
                            target,
                            signal: signal_choices()[choice],
                            tree,
                        };
                        return Action::None;
                    }
                    Key::Up => choice.saturating_sub(1),
                    Key::Down => (choice + 1).min(last),
                    Key::PageUp => choice.saturating_sub(10),
                    Key::PageDown => (choice + 10).min(last),
                    Key::Home => 0,
                    Key::End => last,
                    // A digit picks the signal with that number (1 to 9).
                    Key::Char(c @ '1'..='9') => c as usize - '1' as usize,
                    _ => choice,
                };
                self.mode = Mode::ChooseSignal {
                    target,
                    tree,
                    choice,
                };
                Action::None
            }
            Mode::Confirm {
                target,
                signal,
                tree,
            } => match key {
                Key::Char('y' | 'Y') | Key::Enter => Action::Signal {
                    target,
                    signal,
                    tree,
                },
                _ => {
                    self.message = Some("nothing sent".to_string());
                    Action::None
                }
            },
            Mode::Details {
                title,
                lines,
                scroll,
            } => {
                let page = self.layout().rows.max(1) + 2;
                let last = lines.len().saturating_sub(1);
                let scroll = match key {
                    Key::Esc | Key::Char('q') | Key::Enter => return Action::None,
                    Key::Up | Key::WheelUp => scroll.saturating_sub(1),
                    Key::Down | Key::WheelDown => (scroll + 1).min(last),
                    Key::PageUp => scroll.saturating_sub(page),
                    Key::PageDown | Key::Char(' ') => (scroll + page).min(last),
                    Key::Home => 0,
                    Key::End => last,
                    _ => scroll,
                };
                self.mode = Mode::Details {
                    title,
                    lines,
                    scroll,
                };
                Action::None
            }
        }
    }

    fn normal_key(&mut self, key: Key) -> Action {
        let page = self.layout().rows.max(1) as isize;
        match key {
            Key::Char('q') => return Action::Quit,
            Key::Up => self.move_by(-1),
            Key::Down => self.move_by(1),
            Key::WheelUp => self.move_by(-3),
            Key::WheelDown => self.move_by(3),
            Key::PageUp => self.move_by(-page),
            Key::PageDown => self.move_by(page),
            Key::Home => self.move_to(0),
            Key::End => self.move_to(usize::MAX),
            Key::Char(c @ ('P' | 'M' | 'T' | 'N')) => {
                let header = match c {
                    'P' => "%CPU",
                    'M' => "%MEM",
                    'T' => "TIME+",
                    _ => "PID",
                };
                self.sort = Shown::top(header);
                self.reverse = false;
                self.rebuild();
            }
            Key::Char('<') | Key::Left => self.move_sort(-1),
            Key::Char('>') | Key::Right => self.move_sort(1),
            Key::Char('f' | 'F') => self.mode = Mode::Fields { cursor: 0 },
            Key::Char('R') => {
                self.reverse = !self.reverse;
                self.rebuild();
            }
            Key::Char('t') => {
                self.tree = !self.tree;
                self.rebuild();
            }
            Key::Char('-') if self.tree => {
                if let Some(tid) = self.selected {
                    self.folded.insert(tid);
                    self.rebuild();
                }
            }
            Key::Char('+' | '=') if self.tree => {
                if let Some(tid) = self.selected {
                    self.folded.remove(&tid);
                    self.rebuild();
                }
            }
            Key::Char('/') => self.mode = Mode::Filter,
            Key::Esc if !self.filter.is_empty() => {
                self.filter.clear();
                self.rebuild();
            }
            Key::Char('u') => self.mode = Mode::User(String::new()),
            Key::Char('H') => {
                self.threads = !self.threads;
                return Action::Refresh;
            }
            Key::Char(c @ ('k' | 'K')) => {
                if let Some(target) = self.target() {
                    let choice = signal_choices()
                        .iter()
                        .position(|s| *s == Signal::TERM)
                        .unwrap_or(0);
                    self.mode = Mode::ChooseSignal {
                        target,
                        tree: c == 'K',
                        choice,
                    };
                }
            }
            Key::Char('r') => {
                if let Some(target) = self.target() {
                    self.mode = Mode::Renice(target, String::new());
                }
            }
            Key::Enter => {
                if let Some(target) = self.target() {
                    return Action::Details(target);
                }
            }
            Key::Char(' ') => {
                self.paused = !self.paused;
                if !self.paused {
                    return Action::Refresh;
                }
            }
            Key::Char('s' | 'd') => self.mode = Mode::Delay(String::new()),
            Key::Char('?' | 'h') => self.mode = Mode::Help,
            Key::Click { x, y } => return self.click(x, y),
            _ => {}
        }
        Action::None
    }

    fn click(&mut self, x: u16, y: u16) -> Action {
        let layout = self.layout();
        if y == layout.titles {
            if let Some(column) = self
                .column_spans()
                .iter()
                .position(|&(start, end)| x >= start && x <= end)
            {
                self.set_sort(self.shown[column].clone());
            }
        } else if y > layout.titles && usize::from(y - layout.titles) <= layout.rows {
            let line = self.scroll + usize::from(y - layout.titles - 1);
            if line < self.view.len() {
                self.move_to(line);
            }
        }
        Action::None
    }

    fn set_user(&mut self, text: &str) {
        if text.is_empty() {
            self.selection.uid = None;
        } else {
            match crate::model::users::resolve_user(text) {
                Some(uid) => self.selection.uid = Some(uid),
                None => self.message = Some(format!("unknown user '{text}'")),
            }
        }
        self.rebuild();
    }

    /// The prompt shown on the status line, if a prompt is open.
    pub fn prompt(&self) -> Option<String> {
        Some(match &self.mode {
            Mode::Filter => format!("Filter: {}", self.filter),
            Mode::User(t) => format!("Show the processes of user (empty for all): {t}"),
            Mode::Delay(t) => format!(
                "Change delay from {:.1} s to: {t}",
                self.delay.as_secs_f64()
            ),
            Mode::Renice(target, t) => format!("Renice PID {} to value: {t}", target.pid),
            Mode::Confirm {
                target,
                signal,
                tree,
            } => format!(
                "Send {signal} to {} {} ({})? [y/N]",
                if *tree { "the tree of PID" } else { "PID" },
                target.pid,
                crate::render::escape::escape_bytes(&target.name)
            ),
            _ => return None,
        })
    }

    /// The lines of the help screen.
    pub fn help_lines() -> Vec<String> {
        KEYS.iter()
            .map(|(k, what)| format!("{k:>14}  {what}"))
            .collect()
    }
}

/// The lines of the summary: the clock and load, tasks, the total CPU,
/// the cores (two a line, none when there are more than 16), memory, swap.
pub fn header_lines(cpus: usize) -> u16 {
    let core_lines = if (2..=16).contains(&cpus) {
        cpus.div_ceil(2)
    } else {
        0
    };
    5 + core_lines as u16
}

/// The branches before a tree row's command, as htop draws them.
fn branches(more_siblings: &[bool], folded: bool) -> String {
    let mut out = String::new();
    let Some((last, above)) = more_siblings.split_last() else {
        return if folded {
            "+ ".to_string()
        } else {
            String::new()
        };
    };
    for &more in above {
        out.push_str(if more { "│  " } else { "   " });
    }
    out.push_str(if *last { "├─" } else { "└─" });
    out.push_str(if folded { "+ " } else { " " });
    out
}

enum Edit {
    Typing(String),
    Cancel,
    Done(String),
}

/// One key of a line being typed.
fn edit(mut text: String, key: Key) -> Edit {
    match key {
        Key::Esc => Edit::Cancel,
        Key::Enter => Edit::Done(text),
        Key::Backspace => {
            text.pop();
            Edit::Typing(text)
        }
        Key::Char(c) => {
            text.push(c);
            Edit::Typing(text)
        }
        _ => Edit::Typing(text),
    }
}
