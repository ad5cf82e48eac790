//! procps-ng `ps` as a front end: its option grammar (UNIX `-x`, BSD `x`
//! and GNU `--x` families, mixed) turned into a plain [`Request`] that the
//! `ps` command runs with the shared model, selection and value code.
//!
//! The rules follow procps-ng 4.0.2's ps(1) man page and observed
//! behaviour: a first pass reads the arguments as UNIX/GNU/BSD options; when
//! it fails, a second pass reads every option as BSD (so `ps -aux` works),
//! and when that fails too the first pass's error is reported.

mod grammar;
mod layout;
pub mod personality;

pub use grammar::{Extensions, parse, parse_as};
pub use layout::{FormatNode, Just, SortNode};

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn arguments_keep_bytes_that_are_not_utf8() {
        for raw in [&b"pid=\xff\xfe"[..], b"A\xc3\xa9B", b"\xe9t\xe9", b"plain"] {
            let text = arg_text(std::ffi::OsStr::from_bytes(raw));
            assert_eq!(text_bytes(&text), raw);
        }
        assert_eq!(
            arg_text(std::ffi::OsStr::from_bytes(b"a\xc3\xa9")),
            "a\u{e9}"
        );
    }
}

/// An argument as the grammar's text, losslessly: bytes that are not
/// UTF-8 become characters of Unicode's last private-use plane
/// (U+10FF80..U+10FFFF), which [`text_bytes`] turns back into the bytes.
/// procps handles arguments as bytes: a header or command name in
/// another encoding (`-o pid=$'\xff'`, `-C $'\xe9t\xe9'`) is printed and
/// matched as given.
pub fn arg_text(arg: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut text = String::new();
    for chunk in arg.as_bytes().utf8_chunks() {
        text.push_str(chunk.valid());
        for &b in chunk.invalid() {
            text.extend(char::from_u32(ESCAPED_BYTES + u32::from(b)));
        }
    }
    text
}

/// The bytes an argument's text stands for (see [`arg_text`]).
pub fn text_bytes(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        match u32::from(c).checked_sub(ESCAPED_BYTES) {
            Some(b @ 0x80..=0xff) => bytes.push(b as u8),
            _ => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    bytes
}

/// Where [`arg_text`] puts a byte that is not UTF-8 (plus the byte).
const ESCAPED_BYTES: u32 = 0x10ff00;

/// What a selection list names (procps's `SEL_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelKind {
    /// Real user ids (`-U`, `--User`).
    Ruid,
    /// Effective user ids (`-u`, `U`, `--user`).
    Euid,
    /// Real group ids (`-G`, `--Group`).
    Rgid,
    /// Effective group ids (`-g NAME`, `--group`).
    Egid,
    /// Process groups (trailing `-PGID`).
    Pgrp,
    /// Process ids (`-p`, `p`, `--pid`, bare numbers).
    Pid,
    /// Process ids read directly (`-q`, `q`, `--quick-pid`).
    PidQuick,
    /// Parent process ids (`--ppid`).
    Ppid,
    /// Terminals (`-t`, `t`, `T`, `--tty`).
    Tty,
    /// Sessions (`-s`, `-g SID`, `--sid`, trailing `+SID`).
    Sess,
    /// Command names (`-C`).
    Comm,
}

/// One selection list: a process is listed when any item of any list matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelList {
    pub kind: SelKind,
    /// Numbers (ids, tty device numbers), for every kind but `Comm`.
    pub ids: Vec<i64>,
    /// Names, for `Comm`.
    pub names: Vec<Vec<u8>>,
}

/// How `h`/`--headers` asked for headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderType {
    /// One header line (the default).
    Single,
    /// No header (`h`, `--no-headers`).
    None,
    /// A header every screenful (`--headers`).
    Multi,
}

/// Thread display (procps's thread flags, resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// One row a process.
    None,
    /// One row a thread (`-L`, `-T`).
    Tasks,
    /// One row a thread, threads as loose processes (`H`).
    Loose,
    /// A process row followed by its threads (`m`, `-m`).
    Both,
}

/// The forest styles: BSD `f`, GNU `--forest`, UNIX `-H`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forest {
    Bsd,
    Gnu,
    Unix,
}

/// Everything a procps command line asks for.
#[derive(Debug, Clone)]
pub struct Request {
    /// The columns, in order.
    pub format: Vec<FormatNode>,
    /// Sort keys, the first the most significant.
    pub sort: Vec<SortNode>,
    /// Selection lists (a union).
    pub lists: Vec<SelList>,
    /// `-e`, `-A`, or BSD `ax`.
    pub all: bool,
    /// The table of procps's simple selection (`-a`, `-d`, `a`, `x`, `g`),
    /// indexed by (own euid, session leader, no tty, on our tty); `None`
    /// when that table is not consulted.
    pub select_bits: u32,
    /// Whether the simple selection applies even with lists.
    pub simple_select: bool,
    /// `-N`, `--deselect`.
    pub negate: bool,
    /// BSD `r`: only running processes.
    pub running_only: bool,
    pub forest: Option<Forest>,
    pub threads: Threads,
    pub header: HeaderType,
    /// `--cols N`, `--width N`, `--columns N`.
    pub screen_cols: Option<usize>,
    /// `--rows N`, `--lines N`.
    pub screen_rows: Option<usize>,
    /// Count of `w`, `-w`.
    pub w_count: u32,
    /// BSD `c`: the true command name in the command column.
    pub bsd_c: bool,
    /// BSD `e`: the environment after the command.
    pub bsd_e: bool,
    /// `-f`: `comm` shows the whole command line.
    pub unix_f: bool,
    /// BSD `S`, `--cumulative`: dead children's CPU time counts.
    pub cumulative: bool,
    /// BSD `n`: numeric user and wchan.
    pub numeric: bool,
    /// proctl's own options, in command lines procps rejects.
    pub ext: Extensions,
    /// How many arguments were procps options (not proctl's).
    pub procps_args: usize,
    /// What to do instead of listing.
    pub action: Action,
}

/// Requests answered without listing processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    List,
    /// `-V`, `V`, `--version`.
    Version,
    /// BSD `L`: the format keys.
    ListKeys,
    /// `--help [SECTION]`.
    Help(Option<String>),
    /// `--info`.
    Info,
}

/// A command line procps rejects: its message (without procps's `error: `
/// prefix) and the exit status procps gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub message: String,
    pub status: u8,
}

impl Rejected {
    fn usage(message: impl Into<String>) -> Rejected {
        Rejected {
            message: message.into(),
            status: 1,
        }
    }
}
