//! Drawing a process tree exactly as psmisc's pstree does: line symbols,
//! compaction of identical subtrees into `N*[name]`, `{thread}` names,
//! `(pid,pgid,user)` info, arguments with octal escapes, and cutting lines
//! at the output width with a `+` (psmisc pstree.c and pstree(1)).

use std::io::{self, Write};

use super::theme::{CellKind, Theme};

/// The six pieces of line drawing.
#[derive(Debug, Clone, Copy)]
pub struct Symbols {
    pub empty: &'static str,
    pub branch: &'static str,
    pub vert: &'static str,
    pub last: &'static str,
    pub single: &'static str,
    pub first: &'static str,
}

/// `-A`: ASCII line drawing.
pub const ASCII: Symbols = Symbols {
    empty: "  ",
    branch: "|-",
    vert: "| ",
    last: "`-",
    single: "---",
    first: "-+-",
};

/// `-U`: Unicode line drawing.
pub const UNICODE: Symbols = Symbols {
    empty: "  ",
    branch: "├─",
    vert: "│ ",
    last: "└─",
    single: "───",
    first: "─┬─",
};

/// `-G`: VT100 line drawing, each piece switching to the DEC graphics set
/// and back (psmisc pstree.c's VT_BEG/VT_END; the switch bytes count as
/// columns there, so they do here too).
pub const VT100: Symbols = Symbols {
    empty: "  ",
    branch: "\x1b(0\x0ftq\x1b(B",
    vert: "\x1b(0\x0fx\x1b(B ",
    last: "\x1b(0\x0fmq\x1b(B",
    single: "\x1b(0\x0fqqq\x1b(B",
    first: "\x1b(0\x0fqwq\x1b(B",
};

/// Namespace kinds in psmisc's order (pstree -S prints transitions in it).
pub const NAMESPACES: [&str; 8] = ["cgroup", "ipc", "mnt", "net", "pid", "user", "uts", "time"];

/// psmisc's `-C age` colors: under a minute green, under an hour yellow,
/// else red (pstree(1)).
pub fn age_color(age_secs: f64) -> &'static str {
    // psmisc compares the age truncated to whole seconds.
    match age_secs as i64 {
        a if a < 60 => "\x1b[32m",
        a if a < 3600 => "\x1b[33m",
        _ => "\x1b[31m",
    }
}

/// One node of the drawn tree: a process or a thread.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The name as drawn: the process name, or `{name}` for a thread.
    pub name: Vec<u8>,
    pub pid: i32,
    pub pgid: i32,
    pub uid: u32,
    /// The user name (or uid) for `-u`.
    pub user: String,
    /// Arguments after argv[0] as psmisc splits them, or `None` when the
    /// command line is empty (kernel threads, zombies: drawn as `(name)`).
    pub args: Option<Vec<Vec<u8>>>,
    pub thread: bool,
    pub kernel: bool,
    /// Part of a highlighted chain (`-h`, `-H`).
    pub highlight: bool,
    /// Matched by `--match`.
    pub matched: bool,
    /// The `-C age` color sequence.
    pub age_color: &'static str,
    /// Namespace inode numbers in [`NAMESPACES`] order, 0 when unknown.
    pub ns: [u64; 8],
    /// Namespaces that differ from the parent's (`-S`).
    pub ns_marks: Vec<&'static str>,
    /// The security context (`-Z`).
    pub context: Vec<u8>,
    /// Stands for the branches `--depth` cut off: drawn as `...`.
    pub ellipsis: bool,
    /// Children, in drawing order.
    pub children: Vec<usize>,
}

/// How to draw.
#[derive(Debug, Clone)]
pub struct DrawOptions {
    pub symbols: Symbols,
    /// Cut lines at this width; `None` with `-l`.
    pub width: Option<usize>,
    pub args: bool,
    pub pids: bool,
    pub pgids: bool,
    pub uid_changes: bool,
    pub compact: bool,
    /// `-C age`: color names by age.
    pub age_colors: bool,
    /// `-S`: mark namespace transitions.
    pub ns_changes: bool,
    /// `-Z`: show security contexts (one process a line, as with -a).
    pub contexts: bool,
    /// Escape sequences that start and end a highlighted name.
    pub bold: Option<(String, String)>,
    pub theme: Theme,
}

/// Draws the tree under `root` (a root is drawn without indentation).
pub fn draw(
    out: &mut dyn Write,
    nodes: &[Node],
    root: usize,
    prev_uid: u32,
    opts: &DrawOptions,
) -> io::Result<()> {
    let mut drawer = Drawer::new(nodes, opts);
    drawer.dump(root, 0, 1, true, true, prev_uid, 0);
    out.write_all(&drawer.out)
}

/// Draws one tree per namespace (`-N`): a `[INODE]` line, then the trees
/// of the processes that entered it. As in psmisc, that line's newline is
/// counted as a column, so the first tree line of each namespace is cut
/// that much earlier.
pub fn draw_namespaces(
    out: &mut dyn Write,
    nodes: &[Node],
    groups: &[(u64, Vec<usize>)],
    opts: &DrawOptions,
) -> io::Result<()> {
    let mut drawer = Drawer::new(nodes, opts);
    for (inode, roots) in groups {
        // psmisc formats it into a 14-byte buffer: longer numbers are cut.
        let mut head = format!("[{inode}]\n").into_bytes();
        head.truncate(13);
        drawer.out_str(&head);
        for &r in roots {
            drawer.dump(r, 0, 1, true, true, 0, 0);
        }
    }
    out.write_all(&drawer.out)
}

/// Whether two subtrees draw the same, for compaction.
fn tree_equal(nodes: &[Node], a: usize, b: usize, uid_matters: bool, ns_matter: bool) -> bool {
    let (na, nb) = (&nodes[a], &nodes[b]);
    na.name == nb.name
        && (!uid_matters || na.uid == nb.uid)
        && (!ns_matter || na.ns == nb.ns)
        && na.children.len() == nb.children.len()
        && na
            .children
            .iter()
            .zip(&nb.children)
            .all(|(&x, &y)| tree_equal(nodes, x, y, uid_matters, ns_matter))
}

/// psmisc's escaping: printable ASCII as is, a backslash doubled, any other
/// byte as `\ooo`.
pub fn escape_octal(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b' '..=b'~' => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out
}

struct Drawer<'a> {
    nodes: &'a [Node],
    opts: &'a DrawOptions,
    out: Vec<u8>,
    /// The column of the next character, from 1, counting characters.
    cur_x: usize,
    /// Continuation bytes left of the current UTF-8 character.
    char_left: u8,
    /// psmisc's `width[]`: may be -1 in the one-process-a-line layouts.
    widths: Vec<isize>,
    more: Vec<bool>,
}

impl<'a> Drawer<'a> {
    fn new(nodes: &'a [Node], opts: &'a DrawOptions) -> Drawer<'a> {
        Drawer {
            nodes,
            opts,
            out: Vec::with_capacity(4096),
            cur_x: 1,
            char_left: 0,
            widths: Vec::new(),
            more: Vec::new(),
        }
    }

    fn out_byte(&mut self, b: u8) {
        if self.char_left == 0 {
            self.char_left = match b {
                _ if b & 0x80 == 0 => 1,
                _ if b & 0xe0 == 0xc0 => 2,
                _ if b & 0xf0 == 0xe0 => 3,
                _ if b & 0xf8 == 0xf0 => 4,
                _ => 1,
            };
            self.cur_x += 1;
        }
        self.char_left -= 1;
        match self.opts.width {
            Some(w) if self.cur_x > w => {
                if self.cur_x == w + 1 {
                    self.out.push(b'+');
                }
            }
            _ => self.out.push(b),
        }
    }

    fn out_str(&mut self, s: &[u8]) {
        for &b in s {
            self.out_byte(b);
        }
    }

    /// Writes bytes that take no room (escape sequences).
    fn out_raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    /// psmisc's out_int: a zero prints nothing but counts as one digit.
    fn out_int(&mut self, n: i64) -> usize {
        if n == 0 {
            return 1;
        }
        let text = n.to_string();
        self.out_str(text.as_bytes());
        text.len()
    }

    /// Writes a name or argument with psmisc's escaping; returns its width.
    fn out_escaped(&mut self, bytes: &[u8]) -> usize {
        let escaped = escape_octal(bytes);
        self.out_str(&escaped);
        escaped.len()
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        self.cur_x = 1;
    }

    fn paint_start(&mut self, kind: CellKind) -> bool {
        let painted = self.opts.theme.paint(kind, "\u{0}");
        match painted.split_once('\u{0}') {
            Some((start, _)) if !start.is_empty() => {
                self.out_raw(start);
                true
            }
            _ => false,
        }
    }

    fn paint_end(&mut self, started: bool) {
        if started {
            self.out_raw("\x1b[0m");
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn dump(
        &mut self,
        index: usize,
        level: usize,
        rep: usize,
        leaf: bool,
        last: bool,
        prev_uid: u32,
        closing: usize,
    ) {
        let node = &self.nodes[index];
        let sym = self.opts.symbols;
        if !leaf {
            for lvl in 0..level {
                for _ in 0..self.widths[lvl] + 1 {
                    self.out_byte(b' ');
                }
                let piece = if lvl == level - 1 {
                    if last { sym.last } else { sym.branch }
                } else if self.more[lvl + 1] {
                    sym.vert
                } else {
                    sym.empty
                };
                let lines = self.paint_start(CellKind::TreeLines);
                self.out_str(piece.as_bytes());
                self.paint_end(lines);
            }
        }
        let add = if rep < 2 {
            0
        } else {
            let digits = self.out_int(rep as i64);
            self.out_str(b"*[");
            digits + 2
        };
        if self.opts.age_colors {
            self.out_raw(node.age_color);
        }
        if let (true, Some((on, _))) = (node.highlight, &self.opts.bold) {
            self.out_raw(on);
        }
        let kind = if node.matched {
            CellKind::Match
        } else if node.kernel {
            CellKind::Kernel
        } else {
            CellKind::Plain
        };
        let painted = self.paint_start(kind);
        let show_args = self.opts.args;
        // -Z puts one process on each line, as -a does.
        let one_per_line = show_args || self.opts.contexts;
        let swapped = show_args && node.args.is_none();
        let mut info = usize::from(show_args);
        if swapped {
            self.out_byte(b'(');
        }
        let comm_len = if node.ellipsis {
            self.out_str(b"...");
            3
        } else {
            self.out_escaped(&node.name)
        };
        self.paint_end(painted);
        let offset = self.cur_x;
        if node.ellipsis {
            // A mark, not a process: nothing to say about it.
        } else {
            info = self.info(node, prev_uid, info);
        }
        if swapped || (!show_args && info > 0) {
            self.out_byte(b')');
        }
        if let (true, Some((_, off))) = (node.highlight, &self.opts.bold) {
            self.out_raw(off);
        }
        if show_args {
            self.args(node);
        }
        if self.opts.age_colors {
            self.out_raw("\x1b[0m");
        }
        if one_per_line || node.children.is_empty() {
            for _ in 0..closing {
                self.out_byte(b']');
            }
            self.newline();
        }
        if self.more.len() <= level {
            self.more.resize(level + 1, false);
            self.widths.resize(level + 1, 0);
        }
        self.more[level] = !last;
        let groups = self.group_children(node, one_per_line);
        if one_per_line {
            // psmisc: width = print_args + (comm_len > 1 ? 0 : -1).
            self.widths[level] = isize::from(show_args) - isize::from(comm_len <= 1);
            let count = groups.len();
            for (g, (child, reps)) in groups.into_iter().enumerate() {
                let compacted_thread = self.opts.compact && self.nodes[child].thread;
                let child_closing = if compacted_thread {
                    closing + usize::from(reps > 1)
                } else {
                    0
                };
                self.dump(
                    child,
                    level + 1,
                    reps,
                    false,
                    g + 1 == count,
                    node.uid,
                    child_closing,
                );
            }
            return;
        }
        // Only used for children; a childless node's line has ended already.
        self.widths[level] = (comm_len + self.cur_x + add) as isize - offset as isize;
        if self.opts.width.is_some_and(|w| self.cur_x >= w) {
            self.out_str(sym.first.as_bytes());
            self.out_byte(b'+');
            self.newline();
            return;
        }
        let count = groups.len();
        for (g, (child, reps)) in groups.into_iter().enumerate() {
            if g == 0 {
                let lines = self.paint_start(CellKind::TreeLines);
                self.out_str(if count > 1 { sym.first } else { sym.single }.as_bytes());
                self.paint_end(lines);
            }
            let child_closing = closing + usize::from(reps > 1);
            self.dump(
                child,
                level + 1,
                reps,
                g == 0,
                g + 1 == count,
                node.uid,
                child_closing,
            );
        }
    }

    /// The parenthesised information after a name: pid, pgid, user change,
    /// namespace changes, security context. Returns the new item count.
    fn info(&mut self, node: &Node, prev_uid: u32, mut info: usize) -> usize {
        if self.opts.pids {
            self.out_byte(if info > 0 { b',' } else { b'(' });
            info += 1;
            self.out_int(node.pid.into());
        }
        if self.opts.pgids {
            self.out_byte(if info > 0 { b',' } else { b'(' });
            info += 1;
            self.out_int(node.pgid.into());
        }
        if self.opts.uid_changes && prev_uid != node.uid {
            self.out_byte(if info > 0 { b',' } else { b'(' });
            info += 1;
            let user = self.paint_start(CellKind::User);
            self.out_str(node.user.as_bytes());
            self.paint_end(user);
        }
        if self.opts.ns_changes {
            for name in &node.ns_marks {
                self.out_byte(if info > 0 { b',' } else { b'(' });
                info += 1;
                self.out_str(name.as_bytes());
            }
        }
        if self.opts.contexts {
            self.out_byte(if info > 0 { b',' } else { b'(' });
            info += 1;
            self.out_byte(b'`');
            self.out_escaped(&node.context);
            self.out_byte(b'\'');
        }
        info
    }

    /// The arguments after the name (`-a`), cut with `...` where they would
    /// not fit, as psmisc does.
    fn args(&mut self, node: &Node) {
        let args = node.args.as_deref().unwrap_or(&[]);
        let argc = args.len();
        for (i, arg) in args.iter().enumerate() {
            if i + 1 < argc {
                self.out_byte(b' ');
            }
            let len: usize = arg
                .iter()
                .map(|&b| if (b' '..=b'~').contains(&b) { 1 } else { 4 })
                .sum();
            let room = match self.opts.width {
                Some(w) => {
                    (self.cur_x + len) as i64 <= w as i64 - if i + 1 == argc { 0 } else { 4 }
                }
                None => true,
            };
            if room {
                self.out_escaped(arg);
            } else {
                self.out_str(b"...");
                break;
            }
        }
    }

    /// The children to draw, each with how many identical siblings it
    /// stands for. With -a only threads are compacted, as in psmisc.
    fn group_children(&self, node: &Node, one_per_line: bool) -> Vec<(usize, usize)> {
        let kids = &node.children;
        let mut taken = vec![false; kids.len()];
        let mut groups = Vec::new();
        for i in 0..kids.len() {
            if taken[i] {
                continue;
            }
            let mut reps = 1;
            let compactable = self.opts.compact && (!one_per_line || self.nodes[kids[i]].thread);
            if compactable {
                for j in i + 1..kids.len() {
                    if !taken[j]
                        && tree_equal(
                            self.nodes,
                            kids[i],
                            kids[j],
                            self.opts.uid_changes,
                            self.opts.ns_changes,
                        )
                    {
                        taken[j] = true;
                        reps += 1;
                    }
                }
            }
            groups.push((kids[i], reps));
        }
        groups
    }
}

/// Splits a command line as psmisc does: it reads at most `limit` bytes
/// (one less when that many arrive), and the arguments are the NUL-separated
/// strings after argv[0]. `None` for an empty command line.
pub fn psmisc_args(cmdline: &[u8], limit: usize) -> Option<Vec<Vec<u8>>> {
    let mut size = cmdline.len().min(limit);
    if size >= limit {
        size -= 1;
    }
    if size == 0 {
        return None;
    }
    let mut buf = cmdline[..size].to_vec();
    buf.push(0);
    let size = buf.len();
    let mut argc = 0;
    let mut i = 0;
    while i < size - 1 {
        if buf[i] == 0 {
            argc += 1;
            while i < size - 1 && buf[i] == 0 {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    if argc == 0 {
        return Some(Vec::new());
    }
    let first_nul = buf.iter().position(|&b| b == 0).unwrap_or(size - 1);
    let mut rest = &buf[first_nul + 1..];
    let mut args = Vec::with_capacity(argc);
    for _ in 0..argc {
        let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        args.push(rest[..end].to_vec());
        rest = if end < rest.len() {
            &rest[end + 1..]
        } else {
            &[]
        };
    }
    Some(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, pid: i32, children: Vec<usize>) -> Node {
        Node {
            name: name.as_bytes().to_vec(),
            pid,
            pgid: pid,
            user: "root".into(),
            args: Some(Vec::new()),
            children,
            ..Node::default()
        }
    }

    fn opts() -> DrawOptions {
        DrawOptions {
            symbols: ASCII,
            width: Some(132),
            args: false,
            pids: false,
            pgids: false,
            uid_changes: false,
            compact: true,
            age_colors: false,
            ns_changes: false,
            contexts: false,
            bold: None,
            theme: Theme::plain(),
        }
    }

    fn render(nodes: &[Node], opts: &DrawOptions) -> String {
        let mut out = Vec::new();
        draw(&mut out, nodes, 0, 0, opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample() -> Vec<Node> {
        vec![
            node("init", 1, vec![1, 2, 3, 4]),
            node("bash", 10, vec![5]),
            node("getty", 11, vec![]),
            node("getty", 12, vec![]),
            node("sshd", 13, vec![]),
            node("vim", 20, vec![]),
        ]
    }

    #[test]
    fn compacts_identical_siblings() {
        assert_eq!(
            render(&sample(), &opts()),
            "init-+-bash---vim\n     |-2*[getty]\n     `-sshd\n"
        );
    }

    #[test]
    fn pids_and_no_compaction() {
        let o = DrawOptions {
            pids: true,
            compact: false,
            ..opts()
        };
        assert_eq!(
            render(&sample(), &o),
            "init(1)-+-bash(10)---vim(20)\n        |-getty(11)\n        |-getty(12)\n        `-sshd(13)\n"
        );
    }

    #[test]
    fn cuts_lines_with_a_plus() {
        let o = DrawOptions {
            width: Some(10),
            ..opts()
        };
        // As psmisc: width - 1 characters, then '+'.
        assert_eq!(
            render(&sample(), &o),
            "init-+-ba+\n     |-2*+\n     `-ss+\n"
        );
    }

    #[test]
    fn arguments_layout() {
        let mut nodes = sample();
        nodes[1].args = Some(vec![b"-l".to_vec(), Vec::new()]);
        nodes[4].args = None;
        let o = DrawOptions {
            args: true,
            compact: false,
            ..opts()
        };
        assert_eq!(
            render(&nodes, &o),
            "init\n  |-bash -l\n  |   `-vim\n  |-getty\n  |-getty\n  `-(sshd)\n"
        );
    }

    #[test]
    fn unicode_symbols() {
        let o = DrawOptions {
            symbols: UNICODE,
            ..opts()
        };
        assert_eq!(
            render(&sample(), &o),
            "init─┬─bash───vim\n     ├─2*[getty]\n     └─sshd\n"
        );
    }

    #[test]
    fn octal_escapes() {
        assert_eq!(escape_octal(b"a\nb\\c\x1b"), b"a\\012b\\\\c\\033");
        assert_eq!(escape_octal("é".as_bytes()), b"\\303\\251");
    }

    #[test]
    fn psmisc_argument_splitting() {
        let split = |c: &[u8], limit| psmisc_args(c, limit);
        assert_eq!(
            split(b"sleep\x00600\x00", 133),
            Some(vec![b"600".to_vec(), Vec::new()])
        );
        assert_eq!(split(b"", 133), None);
        assert_eq!(split(b"title only", 133), Some(Vec::new()));
        // Cut mid-argument: the partial last argument has no NUL after it.
        assert_eq!(
            split(b"prog\x00abcdef\x00ghijkl\x00", 14),
            Some(vec![b"abcdef".to_vec(), b"g".to_vec()])
        );
    }
}
