//! Format and sort specifications of procps `ps`: `-o`/`o`/`--format`
//! lists (`KEY`, `KEY=HEADER`, `KEY:WIDTH`, AIX `%p` descriptors),
//! `-O`/`O` (the default layout with extra columns, or BSD sort codes),
//! `k`/`--sort`, and the layouts of `-f -F -l -j -y -c -M`, BSD `j l s u v
//! X m` and `--context` (ps(1) "STANDARD FORMAT SPECIFIERS", "AIX FORMAT
//! DESCRIPTORS", "OUTPUT FORMAT CONTROL").

use super::Rejected;
use super::grammar::State;
use super::personality as per;
use crate::columns::keys::{self, KeySpec};

pub use crate::columns::keys::Just;

// Format flags (ps/common.h's FF_*) and modifiers (FM_*): the layout
// options given, as bits because procps dispatches on their combination.
pub(super) const FF_UF: u32 = 0x0001;
pub(super) const FF_UJ: u32 = 0x0002;
pub(super) const FF_UL: u32 = 0x0004;
pub(super) const FF_BJ: u32 = 0x0008;
pub(super) const FF_BL: u32 = 0x0010;
pub(super) const FF_BS: u32 = 0x0020;
pub(super) const FF_BU: u32 = 0x0040;
pub(super) const FF_BV: u32 = 0x0080;
pub(super) const FF_LX: u32 = 0x0100;
pub(super) const FF_LM: u32 = 0x0200;
pub(super) const FF_FC: u32 = 0x0400;
pub(super) const FM_C: u32 = 0x0001;
pub(super) const FM_J: u32 = 0x0002;
pub(super) const FM_Y: u32 = 0x0004;
pub(super) const FM_P: u32 = 0x0010;
pub(super) const FM_M: u32 = 0x0020;
pub(super) const FM_F: u32 = 0x0080;

/// Which option a deferred format or sort text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SfCode {
    /// `-O`
    UnixBigO,
    /// `-o`
    UnixO,
    /// `O`
    BsdBigO,
    /// `o`
    BsdO,
    /// `k`, `--sort`
    Sort,
    /// BSD `m` as a sort on memory (the `bsd` personality).
    BsdM,
    /// `--format`
    GnuFormat,
}

/// A format or sort option's text, parsed once all options are read.
#[derive(Debug, Clone)]
pub(super) struct SfOption {
    pub text: String,
    pub code: SfCode,
}

/// One output column: a key (or AIX literal text), its header and width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatNode {
    /// `None` for AIX literal text between descriptors.
    pub spec: Option<&'static KeySpec>,
    pub name: String,
    pub width: usize,
}

impl FormatNode {
    /// The alignment rule (literal text has none).
    pub fn just(&self) -> Just {
        self.spec.map_or(Just::Aix, |s| s.just)
    }
}

/// One sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortNode {
    pub spec: &'static KeySpec,
    pub descending: bool,
    /// A key procps keeps but sorts nothing by: a BSD `O` code after the
    /// first without a `+` or `-` of its own (procps-ng 4.0.2's
    /// short_sort_parse leaves its direction 0, which its library refuses).
    pub inert: bool,
}

type Res<T> = Result<T, Rejected>;

fn fail<T>(msg: &str) -> Res<T> {
    Err(Rejected::usage(msg))
}

/// A key, or a macro of keys, as columns (procps's do_one_spec).
fn one_spec(spec: &str, header: Option<&str>) -> Option<Vec<FormatNode>> {
    one_spec_ext(spec, header, false)
}

/// `one_spec`, admitting proctl's own keys when `ext` is set.
fn one_spec_ext(spec: &str, header: Option<&str>, ext: bool) -> Option<Vec<FormatNode>> {
    if let Some(k) = keys::search(spec).filter(|k| ext || !k.proctl_only) {
        let mut w = k.width as usize;
        if k.pidmax {
            w = keys::pid_length().max(k.head.len());
        }
        let (name, width) = match header {
            Some(h) => (h.to_string(), w.max(super::text_bytes(h).len())),
            None => (k.head.to_string(), w),
        };
        return Some(vec![FormatNode {
            spec: Some(k),
            name,
            width,
        }]);
    }
    let list = keys::macro_keys(spec)?;
    Some(
        list.split([',', ' '])
            .filter_map(|k| one_spec(k, header))
            .flatten()
            .collect(),
    )
}

fn spec_or_die(spec: &str) -> Vec<FormatNode> {
    one_spec(spec, None).unwrap_or_default()
}

/// Splits a list the way procps counts items: separators are blanks,
/// commas, tabs and newlines; one trailing separator is allowed.
fn items_of(text: &str, seps: &[char]) -> Result<Vec<usize>, ()> {
    // Start offsets of items; an empty item anywhere but the end is an error.
    let b = text.as_bytes();
    let mut starts = Vec::new();
    let mut need = true;
    for (i, &c) in b.iter().enumerate() {
        if seps.contains(&(c as char)) {
            if need {
                return Err(());
            }
            need = true;
        } else {
            if need {
                starts.push(i);
            }
            need = false;
        }
    }
    if b.is_empty() {
        return Err(());
    }
    Ok(starts)
}

/// Parses a format list (procps's format_parse), falling back to AIX
/// descriptors when the text has a `%`.
fn format_parse(text: &str, ext: bool) -> Res<Vec<FormatNode>> {
    match format_list(text, ext) {
        Err(_) if text.contains('%') => aix_parse(text),
        other => other,
    }
}

fn format_list(text: &str, ext: bool) -> Res<Vec<FormatNode>> {
    const SEPS: &[char] = &[' ', ',', '\t', '\n'];
    let starts = match items_of(text, SEPS) {
        Ok(s) if s.is_empty() => return fail("empty format list"),
        Ok(s) => s,
        Err(()) => {
            if text.is_empty() {
                return fail("empty format list");
            }
            return fail("improper format list");
        }
    };
    // Drop one trailing separator.
    let text = match text.chars().last() {
        Some(c) if SEPS.contains(&c) => &text[..text.len() - 1],
        _ => text,
    };
    let mut out = Vec::new();
    let count = starts.len();
    for (n, &start) in starts.iter().enumerate() {
        let rest = &text[start..];
        // The last item's header runs to the end of the argument; others
        // end at the next separator.
        let item = if n + 1 < count {
            &rest[..rest.find(SEPS).unwrap_or(rest.len())]
        } else {
            rest
        };
        let (keyw, header) = match item.split_once('=') {
            Some((k, h)) => (k, Some(h)),
            None => (item, None),
        };
        let (key, width) = match keyw.split_once(':') {
            Some((k, w)) => {
                // procps reads the digits with atoi(3): strtol's value
                // (LONG_MAX on overflow) cut to an int, which must be
                // positive (4294967297 is 1, 2147483648 is refused).
                let width = w.parse::<i64>().unwrap_or(i64::MAX) as i32;
                let valid = !w.is_empty()
                    && w.bytes().all(|b| b.is_ascii_digit())
                    && !w.starts_with('0')
                    && width > 0;
                if !valid {
                    return fail("column widths must be unsigned decimal numbers");
                }
                (k, Some(width as usize))
            }
            None => (keyw, None),
        };
        let Some(mut nodes) = one_spec_ext(key, header, ext) else {
            return Err(Rejected::usage(format!(
                "unknown user-defined format specifier \"{key}\""
            )));
        };
        if let Some(w) = width {
            if nodes.len() > 1 {
                return fail("can not set width for a macro (multi-column) format specifier");
            }
            nodes[0].width = w;
        }
        out.extend(nodes);
    }
    Ok(out)
}

/// AIX descriptors: `%p %c` with literal text between them. The items are
/// counted first (a descriptor, then text that may only hold blanks up to
/// the next `%`), then read; as in procps, the count includes an empty
/// text item after a trailing descriptor.
fn aix_parse(text: &str) -> Res<Vec<FormatNode>> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut items = 0;
    let mut i = 0;
    let mut c = at(i);
    i += 1;
    'count: loop {
        // initial
        if c != b'%' {
            if c == 0 {
                break 'count;
            }
            items += 1;
            loop {
                c = at(i);
                i += 1;
                match c {
                    b'%' => break,
                    b' ' => continue,
                    0 => break 'count,
                    _ => return fail("improper AIX field descriptor"),
                }
            }
        }
        // get_desc
        items += 1;
        c = at(i);
        i += 1;
        if c == 0 || c == b' ' {
            return fail("missing AIX field descriptor");
        }
    }
    let mut out = Vec::new();
    let mut w = 0;
    for _ in 0..items {
        if at(w) == b'%' {
            let d = at(w + 1);
            if d == b'%' {
                return fail("missing AIX field descriptor");
            }
            let Some((spec, head)) = keys::aix(d as char) else {
                return fail("unknown AIX field descriptor");
            };
            out.extend(one_spec(spec, Some(head)).unwrap_or_default());
            w += 2;
        } else {
            let len = text[w.min(text.len())..]
                .find('%')
                .unwrap_or(text.len().saturating_sub(w));
            let start = w.min(text.len());
            out.push(FormatNode {
                spec: None,
                name: text[start..start + len].to_string(),
                width: len,
            });
            w = start + len;
        }
    }
    Ok(out)
}

fn one_sort(spec: &str, ext: bool) -> Option<SortNode> {
    let (descending, key) = match spec.as_bytes().first() {
        Some(b'-') => (true, &spec[1..]),
        Some(b'+') => (false, &spec[1..]),
        _ => (false, spec),
    };
    keys::search(key)
        .filter(|k| ext || !k.proctl_only)
        .map(|spec| SortNode {
            spec,
            descending,
            inert: false,
        })
}

/// `k`/`--sort` lists.
fn long_sort_parse(text: &str, ext: bool) -> Res<Vec<SortNode>> {
    const SEPS: &[char] = &[' ', ',', '\t', '\n'];
    let starts = match items_of(text, SEPS) {
        Ok(s) if s.is_empty() => return fail("empty sort list"),
        Ok(s) => s,
        Err(()) => return fail("improper sort list"),
    };
    let mut out = Vec::new();
    for start in starts {
        let rest = &text[start..];
        let item = &rest[..rest.find(SEPS).unwrap_or(rest.len())];
        match one_sort(item, ext) {
            Some(n) => out.push(n),
            None => return fail("unknown sort specifier"),
        }
    }
    Ok(out)
}

/// BSD `O` sort codes (`O-p`, `OPt`): checked before they are tried as a
/// format.
fn verify_short_sort(arg: &str, forest: bool) -> Res<()> {
    const ALL: &str = "CGJKMNPRSTUcfgjkmnoprstuvy+-";
    if !arg.chars().all(|c| ALL.contains(c)) {
        return fail("bad sorting code");
    }
    let b = arg.as_bytes();
    let mut seen = [false; 128];
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'+' | b'-' => {
                if matches!(b.get(i + 1), None | Some(b'+' | b'-')) {
                    return fail("bad sorting code");
                }
            }
            _ => {
                if c == b'P' && forest {
                    return fail("PPID sort and forest output conflict");
                }
                if seen[c as usize] {
                    return fail("bad sorting code");
                }
                seen[c as usize] = true;
            }
        }
    }
    Ok(())
}

fn short_sort_parse(arg: &str) -> Res<Vec<SortNode>> {
    let mut out = Vec::new();
    // The first code sorts ascending unless signed; a later one sorts
    // only with a sign of its own (ps/sortformat.c resets the direction
    // to 0 after each code).
    let mut direction = Some(false);
    for c in arg.chars() {
        match c {
            '+' => direction = Some(false),
            '-' => direction = Some(true),
            _ => {
                let node = keys::short_sort(c)
                    .and_then(|k| one_sort(k, false))
                    .ok_or_else(|| Rejected::usage("unknown sort specifier"))?;
                out.push(SortNode {
                    descending: direction == Some(true),
                    inert: direction.is_none(),
                    ..node
                });
                direction = None;
            }
        }
    }
    Ok(out)
}

/// `-O`/`O` formats: the default layout with the list after PID.
fn o_wrap(user: Vec<FormatNode>, bsd: bool) -> Vec<FormatNode> {
    let mut out = spec_or_die("pid");
    out.extend(user);
    out.extend(spec_or_die(if bsd { "END_BSD" } else { "END_SYS5" }));
    out
}

/// Turns the deferred format and sort options and the layout flags into
/// the columns and sort keys (procps's process_sf_options).
pub(super) fn process(st: &State, must_use: bool) -> Res<(Vec<FormatNode>, Vec<SortNode>)> {
    let mut format: Vec<FormatNode> = Vec::new();
    let mut sort: Vec<SortNode> = Vec::new();
    let mut parsed_format = false;
    let mut parsed_sort = false;
    let have_gnu_sort = st.sf.iter().any(|s| s.code == SfCode::Sort);
    for sf in &st.sf {
        match sf.code {
            SfCode::UnixO | SfCode::BsdO | SfCode::GnuFormat => {
                format.extend(format_parse(&sf.text, st.allow_ext)?);
                parsed_format = true;
            }
            SfCode::UnixBigO => {
                if parsed_format {
                    return fail("option -O can not follow other format options");
                }
                let user = format_parse(&sf.text, st.allow_ext)?;
                format.extend(o_wrap(user, false));
                parsed_format = true;
            }
            SfCode::BsdBigO => {
                let as_sort = if have_gnu_sort || parsed_sort {
                    fail("multiple sort options")
                } else {
                    verify_short_sort(&sf.text, st.forest.is_some())
                };
                match as_sort {
                    Ok(()) => {
                        sort.extend(short_sort_parse(&sf.text)?);
                        parsed_sort = true;
                    }
                    Err(e) => {
                        if parsed_format {
                            return fail("option O is neither first format nor sort order");
                        }
                        match format_parse(&sf.text, st.allow_ext) {
                            Ok(user) => {
                                format.extend(o_wrap(user, true));
                                parsed_format = true;
                            }
                            Err(_) => return Err(e),
                        }
                    }
                }
            }
            SfCode::Sort | SfCode::BsdM => {
                if parsed_sort {
                    return fail("multiple sort options");
                }
                sort.extend(long_sort_parse(&sf.text, st.allow_ext)?);
                parsed_sort = true;
            }
        }
    }
    if st.format_flags == 0
        && st.format_modifiers == 0
        && format.is_empty()
        && let Some(env) = std::env::var_os("PS_FORMAT").map(|v| super::arg_text(&v))
        && !env.is_empty()
    {
        if must_use {
            return fail(
                "tell <procps@freelists.org> what you want (-L/-T, -m/m/H, and $PS_FORMAT)",
            );
        }
        match format_parse(&env, false) {
            Ok(f) => return Ok((f, sort)),
            Err(e) => eprintln!("proctl: warning: $PS_FORMAT ignored. ({})", e.message),
        }
    }
    if !format.is_empty() {
        if st.format_flags != 0 {
            return fail("conflicting format options");
        }
        if st.format_modifiers != 0 {
            return fail("can not use output modifiers with user-defined output");
        }
        if must_use {
            return fail("-L/-T with H/m/-m and -o/-O/o/O is nonsense");
        }
        return Ok((format, sort));
    }
    let pers = &st.pers;
    let spec = match st.format_flags {
        0 => None,
        FF_UF => pers.sysv[0],
        x if x == FF_UF | FF_UL => pers.sysv[1],
        FF_UJ => pers.sysv[2],
        FF_UL => pers.sysv[3],
        x if x == FF_UJ | FF_UL => Some("RD_lj"),
        x if x == FF_UJ | FF_UF => Some("RD_fj"),
        FF_BJ => Some(pers.bsd[0]),
        FF_BL => Some(pers.bsd[1]),
        FF_BS => Some(pers.bsd[2]),
        FF_BU => Some(pers.bsd[3]),
        FF_BV => Some(pers.bsd[4]),
        FF_LX => Some("OL_X"),
        FF_LM => Some("OL_m"),
        FF_FC => Some("FLASK_context"),
        _ => return fail("conflicting format options"),
    };
    let Some(spec) = spec else {
        return Ok((sysv_list(st)?, sort));
    };
    let mut list = spec_or_die(spec);
    modify(st, &mut list, must_use)?;
    Ok((list, sort))
}

fn position(list: &[FormatNode], name: &str) -> Option<usize> {
    list.iter().position(|n| n.name == name)
}

fn add_after(list: &mut Vec<FormatNode>, find: &str, node: FormatNode) -> bool {
    match position(list, find) {
        Some(i) => {
            list.insert(i + 1, node);
            true
        }
        None => false,
    }
}

fn delete(list: &mut Vec<FormatNode>, name: &str) -> bool {
    match position(list, name) {
        Some(i) => {
            list.remove(i);
            true
        }
        None => false,
    }
}

fn one(spec: &str) -> FormatNode {
    spec_or_die(spec).remove(0)
}

/// The modifiers applied to a named layout (after procps's format list
/// surgery: -j adds PGID and SID, -y swaps ADDR for RSS, -c scheduling
/// class, -T SPID, -L LWP and NLWP, -M the label).
fn modify(st: &State, list: &mut Vec<FormatNode>, must_use: bool) -> Res<()> {
    let fm = st.format_modifiers;
    if fm & FM_J != 0 {
        let pgid = one("pgid");
        if !add_after(list, "PPID", pgid.clone()) {
            add_after(list, "PID", pgid);
        }
        if !add_after(list, "PGID", one("sid")) {
            return fail("lost my PGID");
        }
    }
    if fm & FM_Y != 0 {
        delete(list, "F");
        if add_after(list, "ADDR", one("rss")) {
            delete(list, "ADDR");
        }
    }
    if fm & FM_C != 0 {
        for h in ["%CPU", "CPU", "CP", "C", "NI"] {
            delete(list, h);
        }
        add_after(list, "PRI", one("class"));
        delete(list, "PRI");
        if !add_after(list, "CLS", one("pri")) {
            return fail("lost my CLS");
        }
    }
    if st.thread_flags & 8 != 0 && !add_after(list, "PID", one("spid")) && must_use {
        return fail("-T with H/-m/m but no PID for SPID to follow");
    }
    if st.thread_flags & 16 != 0 {
        let lwp = one("lwp");
        let placed = ["SID", "SESS", "PGID", "PGRP", "PPID", "PID"]
            .iter()
            .any(|h| add_after(list, h, lwp.clone()));
        if !placed && must_use {
            return fail("-L with H/-m/m but no PID/PGID/SID/SESS for NLWP to follow");
        }
        add_after(list, "%CPU", one("nlwp"));
    }
    if fm & FM_M != 0 {
        list.insert(0, one("label"));
    }
    // The personality's own changes to named layouts (Linux's -l and -f).
    if st.pers.has(per::ZAP_ADDR)
        && st.format_flags & FF_UL != 0
        && add_after(list, "ADDR", one("sgi_p"))
    {
        delete(list, "ADDR");
    }
    if st.pers.has(per::SANE_USER)
        && st.format_flags & FF_UF != 0
        && add_after(list, "UID", one("user"))
    {
        delete(list, "UID");
    }
    Ok(())
}

/// The UNIX layouts built column by column (procps's generate_sysv_list).
fn sysv_list(st: &State) -> Res<Vec<FormatNode>> {
    let ff = st.format_flags;
    let fm = st.format_modifiers;
    let tf = st.thread_flags;
    if fm & FM_Y != 0 && ff & FF_UL == 0 {
        return fail("modifier -y without format -l makes no sense");
    }
    // Built from the right, as procps pushes onto the front.
    let mut rev: Vec<&str> = Vec::new();
    if st.prefer_bsd_defaults {
        rev.push(if ff != 0 { "cmd" } else { "args" });
        rev.push("bsdtime");
        if ff & FF_UL == 0 {
            rev.push("stat");
        }
    } else {
        rev.push(if ff & FF_UF != 0 { "cmd" } else { "ucmd" });
        rev.push("time");
    }
    rev.push("tname");
    if ff & FF_UF != 0 {
        rev.push("stime");
    }
    if fm & FM_F != 0 {
        if fm & FM_P == 0 {
            rev.push("psr");
        }
        if !(ff & FF_UL != 0 && fm & FM_Y != 0) {
            rev.push("rss");
        }
    }
    let mut colon = None;
    if ff & FF_UL != 0 {
        rev.push("wchan");
        // SGI's -l: RSS and a `:` before it, where -y would add RSS.
        if st.pers.has(per::IRIX_L) && fm & FM_Y == 0 {
            rev.push("sgi_rss");
            colon = Some(rev.len());
        }
    }
    if fm & FM_F != 0 || ff & FF_UL != 0 {
        rev.push("sz");
    }
    if ff & FF_UL != 0 {
        rev.push(if fm & FM_Y != 0 {
            "rss"
        } else if st.pers.has(per::ZAP_ADDR | per::IRIX_L) {
            "sgi_p"
        } else {
            "addr_1"
        });
    }
    if fm & FM_C != 0 {
        rev.push("pri");
        rev.push("class");
    } else if ff & FF_UL != 0 {
        rev.push("ni");
        rev.push(if st.pers.has(per::IRIX_L) {
            "priority"
        } else {
            "opri"
        });
    }
    if tf & 16 != 0 && ff & FF_UF != 0 {
        rev.push("nlwp");
    }
    if ff & (FF_UF | FF_UL) != 0 && fm & FM_C == 0 {
        rev.push("c");
    }
    if fm & FM_P != 0 {
        rev.push("psr");
    }
    if tf & 16 != 0 {
        rev.push("lwp");
    }
    if fm & FM_J != 0 {
        rev.push("sid");
        rev.push("pgid");
    }
    if ff & (FF_UF | FF_UL) != 0 {
        rev.push("ppid");
    }
    if tf & 8 != 0 {
        rev.push("spid");
    }
    rev.push("pid");
    if ff & FF_UF != 0 {
        rev.push(if st.pers.has(per::SANE_USER) {
            "user"
        } else {
            "uid_hack"
        });
    } else if ff & FF_UL != 0 {
        rev.push("uid");
    }
    if ff & FF_UL != 0 {
        rev.push("s");
        if fm & FM_Y == 0 {
            rev.push("f");
        }
    }
    if fm & FM_M != 0 {
        rev.push("label");
    }
    let mut list: Vec<FormatNode> = rev.iter().rev().map(|s| one(s)).collect();
    if let Some(after) = colon {
        // A one-character literal, as AIX text between descriptors.
        list.insert(
            rev.len() - after,
            FormatNode {
                spec: None,
                name: ":".to_string(),
                width: 1,
            },
        );
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_list_t(t: &str) -> Res<Vec<FormatNode>> {
        format_list(t, false)
    }

    fn format_parse_t(t: &str) -> Res<Vec<FormatNode>> {
        format_parse(t, false)
    }

    fn long_sort_parse_t(t: &str) -> Res<Vec<SortNode>> {
        long_sort_parse(t, false)
    }

    #[test]
    fn proctl_keys_only_as_extensions() {
        assert!(format_list("pid,fds", false).is_err());
        assert!(format_list("pid,fds", true).is_ok());
    }

    fn names(list: &[FormatNode]) -> String {
        list.iter()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn headers_end_at_the_next_separator() {
        let l = format_list_t("pid=,comm").unwrap();
        assert_eq!(names(&l), " COMMAND");
        // A header ends at the next separator: procps 4.0.2 reads "B" as a key.
        assert_eq!(
            format_list_t("pid,comm=A,B").unwrap_err().message,
            "unknown user-defined format specifier \"B\""
        );
        let l = format_list_t("pid,comm=Program").unwrap();
        assert_eq!(names(&l), "PID Program");
        let l = format_list_t("pid:9").unwrap();
        assert_eq!(l[0].width, 9);
        assert!(format_list_t("pid:0").is_err());
        assert!(format_list_t("").is_err());
        assert!(format_list_t("pid,,comm").is_err());
        assert!(format_list_t("pid,").is_ok());
    }

    #[test]
    fn aix_descriptors() {
        let l = format_parse_t("%p %c").unwrap();
        // The count includes an empty text after the last descriptor.
        assert_eq!(names(&l), "PID   COMMAND ");
        assert_eq!(
            format_parse_t("%p %G{").unwrap_err().message,
            "improper AIX field descriptor"
        );
        assert_eq!(
            format_parse_t("%p %%a").unwrap_err().message,
            "missing AIX field descriptor"
        );
        assert_eq!(
            format_parse_t("%p %Z").unwrap_err().message,
            "unknown AIX field descriptor"
        );
    }

    #[test]
    fn sort_lists() {
        let s = long_sort_parse_t("-%cpu,pid").unwrap();
        assert!(s[0].descending && s[0].spec.key == "%cpu");
        assert!(long_sort_parse_t("nope").is_err());
        assert!(verify_short_sort("-p", false).is_ok());
        assert!(verify_short_sort("pp", false).is_err());
    }
}
