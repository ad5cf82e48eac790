//! The option families of procps `ps` (ps(1) "DESCRIPTION": UNIX options
//! after a dash, BSD options without one, GNU long options after two
//! dashes), their arguments and lists, and the second, all-BSD pass.

use std::os::unix::fs::{FileTypeExt, MetadataExt};

use super::layout::{self, SfCode, SfOption};
use super::personality::{self as per, Personality};
use super::{Action, Forest, HeaderType, Rejected, Request, SelKind, SelList, Threads};

/// proctl's own options, recognised only where procps rejects the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// `--format table|plain|json|ndjson|csv`.
    pub output: Option<String>,
    pub sample: Option<String>,
    pub port: Option<String>,
    pub state: Vec<String>,
    /// `--match PATTERN`, or a bare word procps rejects.
    pub pattern: Option<String>,
    pub regex: bool,
    pub exact: bool,
    pub full: bool,
    pub kernel: bool,
    pub list_columns: bool,
    /// `--holding PATH` (repeatable) and `--mount`.
    pub holding: Vec<String>,
    pub mount: bool,
}

impl Extensions {
    /// Whether any extension was given.
    pub fn any(&self) -> bool {
        *self != Extensions::default()
    }
}

// Thread flags (ps/common.h's TF_*), kept as bits because procps checks
// their combinations.
const TF_B_H: u32 = 1;
const TF_B_M: u32 = 2;
const TF_U_M: u32 = 4;
const TF_U_T: u32 = 8;
const TF_U_L: u32 = 16;

// Simple selection flags (SS_*).
const SS_U_A: u32 = 1;
const SS_U_D: u32 = 2;
const SS_B_A: u32 = 4;
const SS_B_G: u32 = 8;
const SS_B_X: u32 = 16;

/// Parser state: what procps keeps in its globals.
#[derive(Debug, Clone, Default)]
pub(super) struct State {
    pub all: bool,
    pub simple_select: u32,
    pub negate: bool,
    pub running_only: bool,
    pub lists: Vec<SelList>,
    pub format_flags: u32,
    pub format_modifiers: u32,
    pub thread_flags: u32,
    pub forest: Option<Forest>,
    pub header: Option<HeaderType>,
    pub cumulative: bool,
    pub bsd_c: bool,
    pub bsd_e: bool,
    pub unix_f: bool,
    pub numeric: bool,
    pub w_count: u32,
    pub screen_cols: Option<usize>,
    pub screen_rows: Option<usize>,
    pub prefer_bsd_defaults: bool,
    /// The personality, as this pass sees it.
    pub pers: Personality,
    pub sf: Vec<SfOption>,
    pub ext: Extensions,
    pub action: Option<Action>,
    pub procps_args: usize,
    pub last_was_ext: bool,
    /// proctl's extensions (and keys) are admitted.
    pub allow_ext: bool,
}

struct Parser<'a> {
    args: &'a [String],
    at: usize,
    force_bsd: bool,
    allow_ext: bool,
    cached_tty: i64,
    st: State,
    /// The words taken as an option's argument (`sleep` in `-g sleep`).
    option_args: Vec<usize>,
    /// Words the first pass took as an option's argument: the second pass
    /// never reads one as proctl's PATTERN, which would give the word a
    /// second meaning (`ps -g sleep` is procps's error, not `g` plus the
    /// pattern `sleep`).
    not_patterns: &'a [usize],
}

/// Parses a ps command line (without the program name) under the
/// personality the environment names. `allow_ext` admits proctl's own
/// options (only used after procps's grammar alone rejected the line).
/// `cached_tty` is ps's own terminal (for `T`, `t`).
pub fn parse(args: &[String], allow_ext: bool, cached_tty: i64) -> Result<Request, Rejected> {
    parse_as(args, allow_ext, cached_tty, Personality::from_env())
}

/// `parse` under a given personality. A personality that forces BSD skips
/// the first pass and reports the second pass's error.
pub fn parse_as(
    args: &[String],
    allow_ext: bool,
    cached_tty: i64,
    pers: Personality,
) -> Result<Request, Rejected> {
    if pers.has(per::FORCE_BSD) {
        return run_pass(args, true, allow_ext, cached_tty, pers, &[]).0;
    }
    let (first, option_args) = run_pass(args, false, allow_ext, cached_tty, pers, &[]);
    first.or_else(|err| {
        run_pass(args, true, allow_ext, cached_tty, pers, &option_args)
            .0
            .map_err(|_| err)
    })
}

/// One pass over the arguments, and the words it took as an option's
/// argument (for the second pass's `not_patterns`).
fn run_pass(
    args: &[String],
    force_bsd: bool,
    allow_ext: bool,
    cached_tty: i64,
    mut pers: Personality,
    not_patterns: &[usize],
) -> (Result<Request, Rejected>, Vec<usize>) {
    // The second pass prefers old Linux's `m` over BSD's unless the
    // personality chose one.
    if force_bsd && !pers.has(per::OLD_M | per::BSD_M) {
        pers.flags |= per::OLD_M;
    }
    let mut p = Parser {
        args,
        at: 0,
        force_bsd,
        allow_ext,
        cached_tty,
        st: State {
            prefer_bsd_defaults: force_bsd || pers.prefer_bsd,
            pers,
            allow_ext,
            ..State::default()
        },
        option_args: Vec::new(),
        not_patterns,
    };
    let parsed = p.all_options();
    let option_args = std::mem::take(&mut p.option_args);
    (parsed.and_then(|()| p.finish()), option_args)
}

impl Parser<'_> {
    /// The request the options make, once every argument was read.
    fn finish(self) -> Result<Request, Rejected> {
        let mut p = self;
        if let Some(action) = p.st.action.clone() {
            return Ok(p.finish_action(action));
        }
        let threads = p.thread_check()?;
        let (format, sort) = layout::process(&p.st, threads.1)?;
        let (select_bits, all) = p.select_bits()?;
        let mut st = p.st;
        let (w_count, screen_cols) = (st.w_count, st.screen_cols);
        st.all |= all;
        Ok(Request {
            format,
            sort,
            lists: st.lists,
            all: st.all,
            select_bits,
            simple_select: st.simple_select != 0,
            negate: st.negate,
            running_only: st.running_only,
            forest: st.forest,
            threads: threads.0,
            header: st.header.unwrap_or(HeaderType::Single),
            screen_cols,
            screen_rows: st.screen_rows,
            w_count,
            bsd_c: st.bsd_c,
            bsd_e: st.bsd_e,
            unix_f: st.unix_f,
            cumulative: st.cumulative,
            numeric: st.numeric,
            ext: st.ext,
            procps_args: st.procps_args,
            action: Action::List,
        })
    }
}

/// The kind of an argument, from its first characters (procps's arg_type).
#[derive(Debug, PartialEq, Eq)]
enum ArgType {
    Gnu,
    End,
    Pgrp,
    Sysv,
    Pid,
    Bsd,
    Fail,
    Sess,
}

fn arg_type(s: &str) -> ArgType {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    match at(0) {
        c if c.is_ascii_alphabetic() => return ArgType::Bsd,
        c if c.is_ascii_digit() => return ArgType::Pid,
        b'+' => return ArgType::Sess,
        b'-' => {}
        _ => return ArgType::Fail,
    }
    match at(1) {
        c if c.is_ascii_alphabetic() => return ArgType::Sysv,
        c if c.is_ascii_digit() => return ArgType::Pgrp,
        b'-' => {}
        _ => return ArgType::Fail,
    }
    match at(2) {
        c if c.is_ascii_alphabetic() => ArgType::Gnu,
        0 => ArgType::End,
        _ => ArgType::Fail,
    }
}

type Step = Result<(), Rejected>;

/// A one-letter word naming a BSD option is that option even where procps
/// rejects it, never proctl's PATTERN: `ps aux k` (a sort key missing,
/// say from an empty variable), `ps -o pid= p`, `ps -e V` get procps's
/// error, not a listing of the processes whose name holds that letter.
fn is_bsd_letter(arg: &str) -> bool {
    arg.len() == 1 && "HLMSTVWXZacefghjklmnopqrstuvwxOU".contains(arg)
}

fn fail<T>(msg: &str) -> Result<T, Rejected> {
    Err(Rejected::usage(msg))
}

impl Parser<'_> {
    fn finish_action(self, action: Action) -> Request {
        Request {
            format: Vec::new(),
            sort: Vec::new(),
            lists: Vec::new(),
            all: false,
            select_bits: 0,
            simple_select: false,
            negate: false,
            running_only: false,
            forest: None,
            threads: Threads::None,
            header: HeaderType::Single,
            screen_cols: None,
            screen_rows: None,
            w_count: 0,
            bsd_c: false,
            bsd_e: false,
            unix_f: false,
            cumulative: false,
            numeric: false,
            ext: Extensions::default(),
            procps_args: 0,
            action,
        }
    }

    fn all_options(&mut self) -> Step {
        while self.at < self.args.len() {
            let arg = self.args[self.at].clone();
            self.st.last_was_ext = false;
            match arg_type(&arg) {
                ArgType::Gnu => self.gnu_option(&arg)?,
                ArgType::Sysv if !self.force_bsd => self.sysv_option(&arg)?,
                // The second pass reads only dashed words as BSD, unless the
                // personality forces BSD.
                ArgType::Bsd if self.force_bsd && !self.st.pers.has(per::FORCE_BSD) => {
                    self.second_pass_word(&arg)?;
                }
                ArgType::Sysv | ArgType::Bsd => {
                    self.st.prefer_bsd_defaults = true;
                    self.bsd_word(&arg)?;
                }
                ArgType::Pgrp | ArgType::Sess | ArgType::Pid => {
                    self.st.prefer_bsd_defaults = true;
                    return self.trailing_pids();
                }
                ArgType::End | ArgType::Fail => return fail("garbage option"),
            }
            if !self.st.last_was_ext {
                self.st.procps_args += 1;
            }
            if self.st.action.is_some() {
                return Ok(());
            }
            self.at += 1;
        }
        Ok(())
    }

    /// A BSD word; with extensions, a word procps rejects is a PATTERN.
    fn bsd_word(&mut self, arg: &str) -> Step {
        if !self.allow_ext
            || arg.starts_with('-')
            || is_bsd_letter(arg)
            || self.not_patterns.contains(&self.at)
        {
            return self.bsd_option(arg);
        }
        let saved = (self.st.clone(), self.at);
        match self.bsd_option(arg) {
            Ok(()) => Ok(()),
            Err(e) => {
                (self.st, self.at) = saved;
                if self.st.ext.pattern.is_some() {
                    return Err(e);
                }
                self.st.ext.pattern = Some(arg.to_string());
                self.st.last_was_ext = true;
                Ok(())
            }
        }
    }

    /// A bare word in the second pass: procps refuses it ("way bad"); with
    /// extensions, a word that is not a BSD option is proctl's PATTERN.
    fn second_pass_word(&mut self, arg: &str) -> Step {
        if !self.allow_ext
            || self.st.ext.pattern.is_some()
            || is_bsd_letter(arg)
            || self.not_patterns.contains(&self.at)
        {
            return fail("way bad");
        }
        let saved = (self.st.clone(), self.at);
        let as_bsd = self.bsd_option(arg);
        (self.st, self.at) = saved;
        if as_bsd.is_ok() {
            return fail("way bad");
        }
        self.st.ext.pattern = Some(arg.to_string());
        self.st.last_was_ext = true;
        Ok(())
    }

    /// The argument of an option letter: the rest of this word, else the
    /// next argument (an empty next argument counts as missing).
    fn opt_arg(&mut self, word: &str, pos: usize) -> Option<String> {
        if pos + 1 < word.len() {
            return Some(word[pos + 1..].to_string());
        }
        let next = self.args.get(self.at + 1)?;
        if next.is_empty() {
            return None;
        }
        self.at += 1;
        self.option_args.push(self.at);
        Some(next.clone())
    }

    fn exclusive(&self, what: &str) -> Step {
        if self.args.len() != 1 || self.args[0] != what {
            return Err(Rejected::usage(format!("the option is exclusive: {what}")));
        }
        Ok(())
    }

    fn add_list(&mut self, kind: SelKind, arg: &str) -> Step {
        let list = parse_list(arg, kind, self.st.negate)?;
        self.st.lists.push(list);
        Ok(())
    }

    fn sysv_option(&mut self, word: &str) -> Step {
        let bytes = word.as_bytes();
        let mut i = 1;
        while i < bytes.len() {
            let c = bytes[i] as char;
            match c {
                'A' | 'e' => self.st.all = true,
                'C' | 'G' | 'U' | 'p' | 'q' | 's' | 't' | 'u' | 'o' | 'O' | 'g' => {
                    return self.sysv_with_arg(word, i, c);
                }
                'F' => {
                    self.st.format_modifiers |= layout::FM_F;
                    self.st.format_flags |= layout::FF_UF;
                    self.st.unix_f = true;
                }
                'H' => self.st.forest = Some(Forest::Unix),
                'L' => self.st.thread_flags |= TF_U_L,
                'M' | 'Z' => self.st.format_modifiers |= layout::FM_M,
                'N' => self.st.negate = true,
                'P' => self.st.format_modifiers |= layout::FM_P,
                'T' => self.st.thread_flags |= TF_U_T,
                'V' => {
                    self.exclusive("-V")?;
                    self.st.action = Some(Action::Version);
                    return Ok(());
                }
                'a' => self.st.simple_select |= SS_U_A,
                'c' => self.st.format_modifiers |= layout::FM_C,
                'd' => self.st.simple_select |= SS_U_D,
                'f' => {
                    self.st.format_flags |= layout::FF_UF;
                    self.st.unix_f = true;
                }
                // Flavours with a `-j` layout of their own (Debian, Digital).
                'j' if self.st.pers.sysv[2].is_some() => self.st.format_flags |= layout::FF_UJ,
                'j' => self.st.format_modifiers |= layout::FM_J,
                'l' => self.st.format_flags |= layout::FF_UL,
                'm' => self.st.thread_flags |= TF_U_M,
                'w' => self.st.w_count += 1,
                'x' if self.st.pers.has(per::SVR4_X) => self.st.format_modifiers |= layout::FM_Y,
                'x' if self.st.pers.has(per::HPUX_X) => {
                    self.st.w_count += 2;
                    self.st.unix_f = true;
                }
                'x' => return fail("must set personality to get -x option"),
                'y' => self.st.format_modifiers |= layout::FM_Y,
                '-' => return fail("embedded '-' among SysV options makes no sense"),
                _ => return fail("unsupported SysV option"),
            }
            i += 1;
        }
        Ok(())
    }

    fn sysv_with_arg(&mut self, word: &str, i: usize, c: char) -> Step {
        let missing = match c {
            'C' => "list of command names must follow -C",
            'G' => "list of real groups must follow -G",
            'U' => "list of real users must follow -U",
            'p' => "list of process IDs must follow -p",
            'q' => "List of process IDs must follow -q.",
            's' => "list of session IDs must follow -s",
            't' => "list of terminals (pty, tty...) must follow -t",
            'u' => "list of users must follow -u",
            'o' => "format specification must follow -o",
            'O' => "format or sort specification must follow -O",
            _ => "list of session leaders OR effective group names must follow -g",
        };
        let Some(arg) = self.opt_arg(word, i) else {
            return fail(missing);
        };
        match c {
            'C' => self.add_list(SelKind::Comm, &arg),
            'G' => self.add_list(SelKind::Rgid, &arg),
            'U' => self.add_list(SelKind::Ruid, &arg),
            'p' => self.add_list(SelKind::Pid, &arg),
            'q' => self.add_list(SelKind::PidQuick, &arg),
            's' => self.add_list(SelKind::Sess, &arg),
            't' => self.add_list(SelKind::Tty, &arg),
            'u' => self.add_list(SelKind::Euid, &arg),
            'o' => self.defer(arg, SfCode::UnixO),
            'O' => self.defer(arg, SfCode::UnixBigO),
            _ => {
                // -g: sessions when the list parses as pids, else groups.
                if self.add_list(SelKind::Sess, &arg).is_ok() {
                    return Ok(());
                }
                if self.add_list(SelKind::Egid, &arg).is_ok() {
                    return Ok(());
                }
                fail("list of session leaders OR effective group IDs was invalid")
            }
        }
    }

    fn defer(&mut self, arg: String, code: SfCode) -> Step {
        self.st.sf.push(SfOption { text: arg, code });
        Ok(())
    }

    fn own_tty_list(&mut self) {
        self.st.lists.push(SelList {
            kind: SelKind::Tty,
            ids: vec![self.cached_tty],
            names: Vec::new(),
        });
    }

    fn bsd_option(&mut self, word: &str) -> Step {
        let bytes = word.as_bytes();
        let mut i = usize::from(bytes.first() == Some(&b'-'));
        while i < bytes.len() {
            let c = bytes[i] as char;
            match c {
                '0'..='9' => return self.add_list(SelKind::Pid, &word[i..]),
                'O' | 'U' | 'k' | 'o' | 'p' | 'q' | 't' => return self.bsd_with_arg(word, i, c),
                'H' => self.st.thread_flags |= TF_B_H,
                'L' => {
                    self.exclusive("L")?;
                    self.st.action = Some(Action::ListKeys);
                    return Ok(());
                }
                'M' => self.st.thread_flags |= TF_B_M,
                'S' => self.st.cumulative = true,
                'T' => self.own_tty_list(),
                'V' => {
                    self.exclusive("V")?;
                    self.st.action = Some(Action::Version);
                    return Ok(());
                }
                'W' => return fail("obsolete W option not supported (you have a /dev/drum?)"),
                'X' => self.st.format_flags |= layout::FF_LX,
                'Z' => self.st.format_modifiers |= layout::FM_M,
                'a' => self.st.simple_select |= SS_B_A,
                'c' => self.st.bsd_c = true,
                'e' => self.st.bsd_e = true,
                'f' => self.st.forest = Some(Forest::Bsd),
                'g' => self.st.simple_select |= SS_B_G,
                'h' => {
                    if self.st.header.is_some() {
                        return fail("only one heading option may be specified");
                    }
                    self.st.header = Some(if self.st.pers.has(per::BSD_H) {
                        HeaderType::Multi
                    } else {
                        HeaderType::None
                    });
                }
                'j' => self.st.format_flags |= layout::FF_BJ,
                'l' => self.st.format_flags |= layout::FF_BL,
                'm' => {
                    if self.st.pers.has(per::OLD_M) {
                        self.st.format_flags |= layout::FF_LM;
                    } else if self.st.pers.has(per::BSD_M) {
                        self.defer("pmem".to_string(), SfCode::BsdM)?;
                    } else {
                        self.st.thread_flags |= TF_B_M;
                    }
                }
                'n' => self.st.numeric = true,
                'r' => self.st.running_only = true,
                's' => self.st.format_flags |= layout::FF_BS,
                'u' => self.st.format_flags |= layout::FF_BU,
                'v' => self.st.format_flags |= layout::FF_BV,
                'w' => self.st.w_count += 1,
                'x' => self.st.simple_select |= SS_B_X,
                '-' => return fail("embedded '-' among BSD options makes no sense"),
                _ => return fail("unsupported option (BSD syntax)"),
            }
            i += 1;
        }
        Ok(())
    }

    fn bsd_with_arg(&mut self, word: &str, i: usize, c: char) -> Step {
        let arg = self.opt_arg(word, i);
        let missing = match c {
            'O' => "format or sort specification must follow O",
            'U' => "list of users must follow U",
            'k' => "long sort specification must follow 'k'",
            'o' => "format specification must follow o",
            'p' => "list of process IDs must follow p",
            'q' => "List of process IDs must follow q.",
            _ => "",
        };
        let Some(arg) = arg else {
            if c == 't' {
                // Obsolete BSD syntax: a bare t is this terminal.
                self.own_tty_list();
                return Ok(());
            }
            return fail(missing);
        };
        match c {
            'O' => self.defer(arg, SfCode::BsdBigO),
            'U' => self.add_list(SelKind::Euid, &arg),
            'k' => self.defer(arg, SfCode::Sort),
            'o' => self.defer(arg, SfCode::BsdO),
            'p' => self.add_list(SelKind::Pid, &arg),
            'q' => self.add_list(SelKind::PidQuick, &arg),
            _ => self.add_list(SelKind::Tty, &arg),
        }
    }

    /// The argument of a long option: after `=` or `:`, else the next
    /// argument (an empty one counts as missing).
    fn gnu_arg(&mut self, rest: &str) -> Option<String> {
        match rest.as_bytes().first() {
            Some(b'=' | b':') => (rest.len() > 1).then(|| rest[1..].to_string()),
            Some(_) => None,
            None => {
                let next = self.args.get(self.at + 1)?;
                if next.is_empty() {
                    return None;
                }
                self.at += 1;
                self.option_args.push(self.at);
                Some(next.clone())
            }
        }
    }

    fn gnu_option(&mut self, word: &str) -> Step {
        let body = &word[2..];
        let len = body.find([':', '=']).unwrap_or(body.len());
        if len > 15 {
            return self
                .extension(word)
                .unwrap_or(fail("unknown gnu long option"));
        }
        let (name, rest) = body.split_at(len);
        let no_arg = |msg: &str| -> Step { if rest.is_empty() { Ok(()) } else { fail(msg) } };
        let list = |p: &mut Self, kind: SelKind, missing: &str| -> Step {
            let Some(arg) = p.gnu_arg(rest) else {
                return fail(missing);
            };
            p.add_list(kind, &arg)
        };
        match name {
            "Group" => list(
                self,
                SelKind::Rgid,
                "list of real groups must follow --Group",
            ),
            "User" => list(self, SelKind::Ruid, "list of real users must follow --User"),
            "cols" | "width" | "columns" => {
                match self.gnu_arg(rest).as_deref().and_then(parse_c_long) {
                    Some(t) if t > 0 && t < 2_000_000_000 => {
                        self.st.screen_cols = Some(t as usize);
                        Ok(())
                    }
                    _ => fail("number of columns must follow --cols, --width, or --columns"),
                }
            }
            "cumulative" => {
                no_arg("option --cumulative does not take an argument")?;
                self.st.cumulative = true;
                Ok(())
            }
            "deselect" => {
                no_arg("option --deselect does not take an argument")?;
                self.st.negate = true;
                Ok(())
            }
            "no-header" | "no-headers" | "no-heading" | "no-headings" | "noheader"
            | "noheaders" | "noheading" | "noheadings" => {
                no_arg("option --no-heading does not take an argument")?;
                // proctl's own view honours it too.
                self.st.last_was_ext = self.allow_ext;
                self.one_header(HeaderType::None)
            }
            "header" | "headers" | "heading" | "headings" => {
                no_arg("option --heading does not take an argument")?;
                self.one_header(HeaderType::Multi)
            }
            "forest" => {
                no_arg("option --forest does not take an argument")?;
                self.st.forest = Some(Forest::Gnu);
                Ok(())
            }
            "format" => {
                let Some(arg) = self.gnu_arg(rest) else {
                    return fail("format specification must follow --format");
                };
                if self.allow_ext && is_output_format(&arg) {
                    self.st.ext.output = Some(arg);
                    self.st.last_was_ext = true;
                    return Ok(());
                }
                self.defer(arg, SfCode::GnuFormat)
            }
            "group" => list(
                self,
                SelKind::Egid,
                "list of effective groups must follow --group",
            ),
            "help" => {
                let arg = self.gnu_arg(rest);
                self.st.action = Some(Action::Help(arg));
                Ok(())
            }
            "info" => {
                self.exclusive("--info")?;
                self.st.action = Some(Action::Info);
                Ok(())
            }
            "pid" => list(self, SelKind::Pid, "list of process IDs must follow --pid"),
            "ppid" => list(
                self,
                SelKind::Ppid,
                "list of process IDs must follow --ppid",
            ),
            "quick-pid" => list(
                self,
                SelKind::PidQuick,
                "List of process IDs must follow --quick-pid.",
            ),
            "rows" | "lines" => match self.gnu_arg(rest).as_deref().and_then(parse_c_long) {
                Some(t) if t > 0 && t < 2_000_000_000 => {
                    self.st.screen_rows = Some(t as usize);
                    Ok(())
                }
                _ => fail("number of rows must follow --rows or --lines"),
            },
            "sid" => list(self, SelKind::Sess, "some sid thing(s) must follow --sid"),
            "sort" => {
                let Some(arg) = self.gnu_arg(rest) else {
                    return fail("long sort specification must follow --sort");
                };
                self.defer(arg, SfCode::Sort)
            }
            "tty" => list(self, SelKind::Tty, "list of ttys must follow --tty"),
            "user" => list(
                self,
                SelKind::Euid,
                "list of effective users must follow --user",
            ),
            "version" => {
                self.exclusive("--version")?;
                self.st.action = Some(Action::Version);
                Ok(())
            }
            "context" => {
                self.st.format_flags |= layout::FF_FC;
                Ok(())
            }
            _ => self
                .extension(word)
                .unwrap_or(fail("unknown gnu long option")),
        }
    }

    fn one_header(&mut self, h: HeaderType) -> Step {
        if self.st.header.is_some() {
            return fail("only one heading option may be specified");
        }
        self.st.header = Some(h);
        Ok(())
    }

    /// proctl's long options; `None` when `word` is not one of them (or
    /// extensions are off).
    fn extension(&mut self, word: &str) -> Option<Step> {
        if !self.allow_ext {
            return None;
        }
        self.st.last_was_ext = true;
        let (name, inline) = match word.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (word, None),
        };
        let flag = |p: &mut Self, set: fn(&mut Extensions)| -> Step {
            if inline.is_some() {
                return Err(Rejected {
                    message: format!("option {name} does not take a value"),
                    status: 2,
                });
            }
            set(&mut p.st.ext);
            Ok(())
        };
        let value = |p: &mut Self| -> Result<String, Rejected> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            match p.args.get(p.at + 1) {
                Some(v) => {
                    p.at += 1;
                    Ok(v.clone())
                }
                None => Err(Rejected {
                    message: format!("option {name} needs a value"),
                    status: 2,
                }),
            }
        };
        Some(match name {
            "--regex" => flag(self, |e| e.regex = true),
            "--exact" => flag(self, |e| e.exact = true),
            "--full" => flag(self, |e| e.full = true),
            "--kernel" => flag(self, |e| e.kernel = true),
            "--list-columns" => flag(self, |e| e.list_columns = true),
            "--mount" => flag(self, |e| e.mount = true),
            "--holding" => value(self).map(|v| self.st.ext.holding.push(v)),
            "--match" => value(self).map(|v| self.st.ext.pattern = Some(v)),
            "--sample" => value(self).map(|v| self.st.ext.sample = Some(v)),
            "--port" => value(self).map(|v| self.st.ext.port = Some(v)),
            "--state" => value(self).map(|v| self.st.ext.state.push(v)),
            "--format" => value(self).and_then(|v| {
                if is_output_format(&v) {
                    self.st.ext.output = Some(v);
                    Ok(())
                } else {
                    Err(Rejected {
                        message: format!("invalid --format '{v}'"),
                        status: 2,
                    })
                }
            }),
            _ => return None,
        })
    }

    fn trailing_pids(&mut self) -> Step {
        let mut pids = Vec::new();
        let mut groups = Vec::new();
        let mut sessions = Vec::new();
        for data in &self.args[self.at..] {
            let (list, text) = match data.as_bytes().first() {
                Some(b'-') => (&mut groups, &data[1..]),
                Some(b'+') => (&mut sessions, &data[1..]),
                _ => (&mut pids, &data[..]),
            };
            list.push(parse_pid(text)?);
        }
        self.at = self.args.len();
        for (kind, ids) in [
            (SelKind::Pid, pids),
            (SelKind::Pgrp, groups),
            (SelKind::Sess, sessions),
        ] {
            if !ids.is_empty() {
                self.st.lists.push(SelList {
                    kind,
                    ids,
                    names: Vec::new(),
                });
            }
        }
        Ok(())
    }

    /// Resolves the thread flags: the display and whether a format must
    /// accept the threads' extra column.
    fn thread_check(&mut self) -> Result<(Threads, bool), Rejected> {
        let tf = self.st.thread_flags;
        if tf == 0 {
            return Ok((Threads::None, false));
        }
        if self.st.forest.is_some() {
            return fail("thread display conflicts with forest display");
        }
        if tf & TF_B_H != 0 && tf & (TF_B_M | TF_U_M) != 0 {
            return fail("thread flags conflict; can't use H with m or -m");
        }
        if tf & TF_B_M != 0 && tf & TF_U_M != 0 {
            return fail("thread flags conflict; can't use both m and -m");
        }
        if tf & TF_U_L != 0 && tf & TF_U_T != 0 {
            return fail("thread flags conflict; can't use both -L and -T");
        }
        let unix = tf & (TF_U_T | TF_U_L) != 0;
        let must_use = unix && tf & (TF_B_M | TF_U_M | TF_B_H) != 0;
        let threads = if tf & (TF_B_M | TF_U_M) != 0 {
            Threads::Both
        } else if tf & TF_B_H != 0 {
            Threads::Loose
        } else {
            Threads::Tasks
        };
        let _ = must_use;
        Ok((threads, must_use))
    }

    /// procps's select_bits_setup: the table of the simple selection, and
    /// whether it turned into "every process".
    fn select_bits(&mut self) -> Result<(u32, bool), Rejected> {
        let ss = self.st.simple_select;
        if ss == 0 && !self.st.prefer_bsd_defaults {
            return Ok((0xaa00, false));
        }
        // Every BSD but SunOS 4 behaves as if `g` were given.
        let switch = if !self.st.pers.has(per::NO_DEFAULT_G) && ss & (SS_U_A | SS_U_D) == 0 {
            ss | SS_B_G
        } else {
            ss
        };
        let bits = match switch {
            x if x == SS_U_A | SS_U_D => 0x3f3f,
            SS_U_A => 0x0303,
            SS_U_D => 0x3333,
            0 => 0x0202,
            SS_B_A => 0x0303,
            SS_B_X => 0x2222,
            x if x == SS_B_X | SS_B_A => 0x3333,
            SS_B_G => 0x0a0a,
            x if x == SS_B_G | SS_B_A => 0x0f0f,
            x if x == SS_B_G | SS_B_X => 0xaaaa,
            x if x == SS_B_G | SS_B_X | SS_B_A => {
                self.st.simple_select = 0;
                return Ok((0, true));
            }
            _ => return fail("process selection options conflict"),
        };
        Ok((bits, false))
    }
}

fn is_output_format(v: &str) -> bool {
    matches!(v, "table" | "plain" | "json" | "ndjson" | "csv")
}

/// strtol(s, &end, 0) that must consume everything: decimal, 0x hex, 0 octal.
fn parse_c_long(s: &str) -> Option<i64> {
    parse_c_number(s).map(|(n, neg)| if neg { -(n as i64) } else { n as i64 })
}

/// strtoul-style number with base 0; `None` unless the whole text is used.
fn parse_c_number(s: &str) -> Option<(u64, bool)> {
    let t = s.trim_start_matches([' ', '\t', '\n']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (16, h)
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .map(|n| (n, neg))
        .or(Some((u64::MAX, neg)).filter(|_| digits.chars().all(|c| c.is_digit(radix))))
}

fn parse_pid(s: &str) -> Result<i64, Rejected> {
    let Some((n, neg)) = parse_c_number(s) else {
        return fail("process ID list syntax error");
    };
    // strtoul negates a "-N" into a huge number.
    let n = if neg { n.wrapping_neg() } else { n };
    if !(1..=0x7fff_ffff).contains(&n) {
        return fail("process ID out of range");
    }
    Ok(n as i64)
}

fn parse_uid(s: &str, negate: bool) -> Result<i64, Rejected> {
    let n = match parse_c_number(s) {
        Some((n, neg)) => {
            if neg {
                n.wrapping_neg()
            } else {
                n
            }
        }
        None => match nix::unistd::User::from_name(s).ok().flatten() {
            Some(u) => u64::from(u.uid.as_raw()),
            None if negate => u64::MAX,
            None => return fail("user name does not exist"),
        },
    };
    if !negate && n > 0xffff_fffe {
        return fail("user ID out of range");
    }
    Ok(n as u32 as i64)
}

fn parse_gid(s: &str, negate: bool) -> Result<i64, Rejected> {
    let n = match parse_c_number(s) {
        Some((n, neg)) => {
            if neg {
                n.wrapping_neg()
            } else {
                n
            }
        }
        None => match nix::unistd::Group::from_name(s).ok().flatten() {
            Some(g) => u64::from(g.gid.as_raw()),
            None if negate => u64::MAX,
            None => return fail("group name does not exist"),
        },
    };
    if !negate && n > 0xffff_fffe {
        return fail("group ID out of range");
    }
    Ok(n as u32 as i64)
}

/// A terminal by name as procps finds it: /dev/pts/NAME, /dev/NAME,
/// /dev/ttyNAME, /dev/ptyNAME, /dev/NAMEnsole; `-` and `?` mean none.
fn parse_tty(s: &str) -> Result<i64, Rejected> {
    let found = if s.starts_with('/') {
        std::fs::metadata(s).ok()
    } else {
        [
            format!("/dev/pts/{s}"),
            format!("/dev/{s}"),
            format!("/dev/tty{s}"),
            format!("/dev/pty{s}"),
            format!("/dev/{s}nsole"),
        ]
        .iter()
        .find_map(|p| std::fs::metadata(p).ok())
    };
    let Some(meta) = found else {
        if s == "-" || s == "?" || (s.len() == 1 && std::fs::metadata(s).is_ok()) {
            return Ok(0);
        }
        return fail("TTY could not be found");
    };
    if !meta.file_type().is_char_device() {
        return fail("list member was not a TTY");
    }
    Ok(kernel_dev(meta.rdev()))
}

/// A device number as /proc/PID/stat encodes tty_nr.
fn kernel_dev(rdev: u64) -> i64 {
    let major = nix::sys::stat::major(rdev);
    let minor = nix::sys::stat::minor(rdev);
    ((minor & 0xff) | (major << 8) | ((minor & !0xff) << 12)) as i64
}

/// A list of items separated by blanks or commas (procps's parse_list):
/// no empty item anywhere, not even at the end.
fn parse_list(arg: &str, kind: SelKind, negate: bool) -> Result<SelList, Rejected> {
    let items: Vec<&str> = arg.split([' ', ',', '\t']).collect();
    if arg.is_empty() || items.iter().any(|i| i.is_empty()) {
        return fail("improper list");
    }
    let mut list = SelList {
        kind,
        ids: Vec::new(),
        names: Vec::new(),
    };
    for item in items {
        match kind {
            SelKind::Comm => {
                let mut name = super::text_bytes(item);
                name.truncate(63);
                list.names.push(name);
            }
            SelKind::Ruid | SelKind::Euid => list.ids.push(parse_uid(item, negate)?),
            SelKind::Rgid | SelKind::Egid => list.ids.push(parse_gid(item, negate)?),
            SelKind::Tty => list.ids.push(parse_tty(item)?),
            _ => list.ids.push(parse_pid(item)?),
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    // procps's own personality, whatever the environment says.
    fn ok(s: &[&str]) -> Request {
        parse_as(&args(s), false, 0, Personality::default()).unwrap()
    }

    fn err(s: &[&str]) -> String {
        parse_as(&args(s), false, 0, Personality::default())
            .unwrap_err()
            .message
    }

    #[test]
    fn argument_types() {
        assert_eq!(arg_type("aux"), ArgType::Bsd);
        assert_eq!(arg_type("-ef"), ArgType::Sysv);
        assert_eq!(arg_type("--sort"), ArgType::Gnu);
        assert_eq!(arg_type("--"), ArgType::End);
        assert_eq!(arg_type("123"), ArgType::Pid);
        assert_eq!(arg_type("-12"), ArgType::Pgrp);
        assert_eq!(arg_type("+12"), ArgType::Sess);
        assert_eq!(arg_type("/x"), ArgType::Fail);
    }

    #[test]
    fn empty_lists_are_errors() {
        assert_eq!(err(&["-p", ""]), "list of process IDs must follow -p");
        assert_eq!(err(&["-u", ""]), "list of users must follow -u");
        assert_eq!(err(&["-C", ""]), "list of command names must follow -C");
        assert_eq!(
            err(&["--ppid", ""]),
            "list of process IDs must follow --ppid"
        );
        assert_eq!(err(&["-p", "1,"]), "improper list");
    }

    #[test]
    fn lists_split_on_commas_and_blanks() {
        let r = ok(&["-p", "1 2,3"]);
        assert_eq!(r.lists[0].ids, vec![1, 2, 3]);
        let r = ok(&["p", "1"]);
        assert_eq!(r.lists[0].kind, SelKind::Pid);
        let r = ok(&["1234"]);
        assert_eq!(r.lists[0].ids, vec![1234]);
        let r = ok(&["-p", "1", "2"]);
        assert_eq!(r.lists.len(), 2);
    }

    #[test]
    fn second_pass_reads_dash_words_as_bsd() {
        let r = ok(&["-aux"]);
        assert!(r.all);
        assert_eq!(err(&["-q"]), "List of process IDs must follow -q.");
    }

    #[test]
    fn the_second_pass_refuses_bare_words() {
        // procps 4.0.2: `ps a -xu` fails on -x and the all-BSD pass refuses
        // `a` ("way bad"), so the first error is the one reported.
        assert_eq!(err(&["a", "-xu"]), "must set personality to get -x option");
        let bsd = Personality::from_vars(|n| (n == "PS_PERSONALITY").then(|| "bsd".into()));
        assert!(parse_as(&args(&["a", "-xu"]), false, 0, bsd).unwrap().all);
        let hp = Personality::from_vars(|n| (n == "PS_PERSONALITY").then(|| "hpux".into()));
        let r = parse_as(&args(&["-x"]), false, 0, hp).unwrap();
        assert!(r.unix_f && r.w_count == 2);
    }

    #[test]
    fn bsd_ax_is_every_process() {
        assert!(ok(&["ax"]).all);
        assert_eq!(ok(&[]).select_bits, 0xaa00);
        assert_eq!(ok(&["x"]).select_bits, 0xaaaa);
    }

    #[test]
    fn extensions_only_when_allowed() {
        let p = Personality::default();
        assert!(parse_as(&args(&["nginx"]), false, 0, p).is_err());
        let r = parse_as(&args(&["nginx"]), true, 0, p).unwrap();
        assert_eq!(r.ext.pattern.as_deref(), Some("nginx"));
        let r = parse_as(&args(&["--format", "json", "-p", "1"]), true, 0, p).unwrap();
        assert_eq!(r.ext.output.as_deref(), Some("json"));
        assert!(parse(&args(&["--holding", "/"]), false, 0).is_err());
        let r = parse(
            &args(&["-e", "--holding", "/a", "--holding=/b", "--mount"]),
            true,
            0,
        )
        .unwrap();
        assert_eq!(r.ext.holding, ["/a", "/b"]);
        assert!(r.ext.mount && r.all);
    }

    #[test]
    fn a_bsd_letter_that_fails_is_never_a_pattern() {
        let p = Personality::default();
        let err = |a: &[&str]| parse_as(&args(a), true, 0, p).unwrap_err().message;
        assert_eq!(err(&["k"]), "long sort specification must follow 'k'");
        assert_eq!(err(&["ax", "k"]), "long sort specification must follow 'k'");
        assert_eq!(
            err(&["-o", "pid=", "p"]),
            "list of process IDs must follow p"
        );
        assert_eq!(err(&["aux", "U"]), "list of users must follow U");
        assert_eq!(err(&["-e", "V"]), "the option is exclusive: V");
        assert_eq!(err(&["-e", "L"]), "the option is exclusive: L");
        // Longer words procps rejects stay patterns.
        let r = parse_as(&args(&["ax", "sleep"]), true, 0, p).unwrap();
        assert_eq!(r.ext.pattern.as_deref(), Some("sleep"));
    }

    #[test]
    fn an_options_argument_is_never_a_pattern() {
        let p = Personality::default();
        let err = |a: &[&str]| parse_as(&args(a), true, 0, p).unwrap_err().message;
        // procps's errors: the word was the option's argument.
        assert_eq!(
            err(&["-g", "sleep"]),
            "list of session leaders OR effective group IDs was invalid"
        );
        assert_eq!(err(&["--sort", "sleep"]), "unknown sort specifier");
        assert!(parse_as(&args(&["-u", "nosuchuser-x"]), true, 0, p).is_err());
        // The same word standing alone is the pattern.
        let r = parse_as(&args(&["-e", "sleep"]), true, 0, p).unwrap();
        assert_eq!(r.ext.pattern.as_deref(), Some("sleep"));
    }
}
