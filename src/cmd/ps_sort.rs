//! What procps `ps` sorts a key by (`--sort`, `k`, `O`): each key has a
//! sort item in procps-ng 4.0.2's key table, compared as a number, as text
//! with strcoll(3) (the locale's LC_COLLATE), as a terminal name with
//! strverscmp(3) (`pts/9` before `pts/10`), or not at all (keys Linux
//! cannot show leave the order alone).

use std::cmp::Ordering;
use std::ffi::{CString, c_char, c_int};

use crate::cmd::ps_cells::{CellCtx, cell, numeric_sort_value};
use crate::columns::keys::{KeySpec, Pr};
use crate::model::ProcessInfo;

/// A raw value to sort by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    /// A number, ordered by `f64::total_cmp`, held as its bits so the
    /// value is `Eq`.
    Num(u64),
    /// Text compared with strcoll.
    Text(CString),
    /// A terminal name compared with strverscmp.
    Version(CString),
    /// proctl's own binary keys, in byte order.
    Bytes(Vec<u8>),
    /// Procps's no-op sort.
    None,
}

impl SortValue {
    /// A number to sort by.
    pub fn num(v: f64) -> SortValue {
        SortValue::Num(v.to_bits())
    }

    fn text(bytes: Vec<u8>) -> CString {
        // C strings end at the first NUL; so does procps's comparison.
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        CString::new(&bytes[..end]).unwrap_or_default()
    }
}

impl PartialOrd for SortValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

unsafe extern "C" {
    // glibc's version comparison (a GNU extension libc does not declare).
    fn strverscmp(a: *const c_char, b: *const c_char) -> c_int;
}

impl Ord for SortValue {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (SortValue::Num(a), SortValue::Num(b)) => {
                f64::from_bits(*a).total_cmp(&f64::from_bits(*b))
            }
            (SortValue::Text(a), SortValue::Text(b)) => {
                collate_init();
                // SAFETY: both are NUL-terminated C strings that live
                // through the call.
                unsafe { libc::strcoll(a.as_ptr(), b.as_ptr()) }.cmp(&0)
            }
            (SortValue::Version(a), SortValue::Version(b)) => {
                // SAFETY: as above.
                unsafe { strverscmp(a.as_ptr(), b.as_ptr()) }.cmp(&0)
            }
            (SortValue::Bytes(a), SortValue::Bytes(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }
}

/// Adopts the environment's LC_COLLATE once, as procps's setlocale(LC_ALL,
/// "") does; only collation changes, so nothing else proctl prints moves.
fn collate_init() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        // SAFETY: called once, from the thread that sorts, while no other
        // thread uses locale-dependent C functions.
        unsafe {
            libc::setlocale(libc::LC_COLLATE, c"".as_ptr());
        }
    });
}

/// How procps compares a key's sort item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Text,
    Version,
    Noop,
}

/// Keys whose sort item is text (compared with strcoll).
const TEXT_KEYS: &[&str] = &[
    "args",
    "blocked",
    "caught",
    "cgname",
    "cgroup",
    "cmd",
    "comm",
    "command",
    "egroup",
    "euser",
    "exe",
    "fgroup",
    "fname",
    "fsgroup",
    "fsuser",
    "fuser",
    "group",
    "ignored",
    "lsession",
    "lxc",
    "machine",
    "ouid",
    "pending",
    "rgroup",
    "ruser",
    "seat",
    "sgroup",
    "sig",
    "sig_block",
    "sig_catch",
    "sig_ignore",
    "sig_pend",
    "sigcatch",
    "sigignore",
    "sigmask",
    "slice",
    "supgid",
    "supgrp",
    "suser",
    "svgroup",
    "svuser",
    "tsig",
    "ucmd",
    "ucomm",
    "uid_hack",
    "uname",
    "unit",
    "user",
    "uunit",
    "wchan",
    "wname",
];

/// Keys sorted by the terminal's name with strverscmp.
const VERSION_KEYS: &[&str] = &["longtname", "tname", "tt", "tty", "tty4", "tty8"];

/// Keys procps cannot sort by (its no-op item); the test keys too.
const NOOP_KEYS: &[&str] = &[
    "_left",
    "_left2",
    "_right",
    "_right2",
    "_unlimited",
    "_unlimited2",
    "acflag",
    "acflg",
    "addr",
    "addr_1",
    "alarm",
    "argc",
    "bnd",
    "cmaj_flt",
    "cmin_flt",
    "cnswap",
    "cpu",
    "ctid",
    "cursig",
    "cwd",
    "emul",
    "environ",
    "inblk",
    "inblock",
    "jid",
    "jobc",
    "ktrace",
    "ktracep",
    "login",
    "logname",
    "luser",
    "m_dt",
    "m_lrs",
    "m_swap",
    "msgrcv",
    "msgsnd",
    "mwchan",
    "nivcsw",
    "nsignals",
    "nsigs",
    "nswap",
    "nvcsw",
    "nwchan",
    "osz",
    "oublk",
    "oublock",
    "p_ru",
    "paddr",
    "poip",
    "prmgrp",
    "prmid",
    "project",
    "projid",
    "pset",
    "psxpri",
    "re",
    "rlink",
    "scnt",
    "scount",
    "share",
    "sl",
    "status",
    "systime",
    "taskid",
    "tdev",
    "timeout",
    "tmout",
    "tsess",
    "tsession",
    "tsid",
    "u_procp",
    "umask",
    "upr",
    "uprocp",
    "usertime",
    "usrpri",
    "xstat",
    "zoneid",
    "~",
];

/// Keys whose sort item is another key's value (procps's table says so:
/// the security labels sort by process id, `fgid` by the flags, `sgi_p`
/// by state, `size` and `vsize` by the size in bytes from stat, `tty4` by
/// the terminal's whole name).
const SORT_AS: &[(&str, Pr)] = &[
    ("context", Pr::Procs),
    ("fgid", Pr::Flag),
    ("label", Pr::Procs),
    ("sgi_p", Pr::Stat),
    ("size", Pr::Size),
    ("tty4", Pr::Tty8),
    ("vsize", Pr::Size),
    ("zone", Pr::Procs),
];

/// The values whose columns make procps read the address range of the
/// code (pr_drs, pr_dsiz, pr_trs, pr_tsiz).
const CODE: &[Pr] = &[Pr::Drs, Pr::Dsiz, Pr::Trs, Pr::Tsiz];

/// Keys whose sort item procps-ng 4.0.2 reads only when a column or sort
/// key of the command line prints it: its library sorts only on items it
/// fetched (procps_pids_sort fails on any other, and ps leaves the order
/// alone), and ps fetches an item for the fixed set display.c's
/// finalize_stacks names and for the print functions of the columns and
/// sort keys. Each key with the values whose print functions fetch its
/// item (output.c); none: never fetched, so never sorted.
const FETCHED_BY: &[(&str, &[Pr])] = &[
    ("cutime", &[]),
    ("end_code", CODE),
    ("fgid", &[Pr::Flag]),
    ("m_resident", &[]),
    ("m_share", &[]),
    ("resident", &[]),
    ("start_code", CODE),
    ("tty4", &[Pr::Tty8]),
    ("utime", &[]),
    ("vm_data", &[Pr::Swapable]),
    ("vm_exe", &[]),
    ("vm_lib", &[]),
    ("vm_stack", &[Pr::Swapable]),
    (
        "vsize",
        &[Pr::Drs, Pr::Dsiz, Pr::Size, Pr::Swapable, Pr::Trs, Pr::Tsiz],
    ),
];

/// Whether procps can sort by `key` in a command line whose columns and
/// sort keys print `printed`: false for the keys of [`FETCHED_BY`] whose
/// item none of them fetches.
pub fn item_fetched(key: &KeySpec, printed: &[Pr]) -> bool {
    FETCHED_BY
        .iter()
        .find(|(k, _)| *k == key.key)
        .is_none_or(|(_, by)| by.iter().any(|pr| printed.contains(pr)))
}

fn kind(spec: &KeySpec) -> Kind {
    if spec.proctl_only {
        return Kind::Number;
    }
    if TEXT_KEYS.contains(&spec.key) {
        Kind::Text
    } else if VERSION_KEYS.contains(&spec.key) {
        Kind::Version
    } else if NOOP_KEYS.contains(&spec.key) {
        Kind::Noop
    } else {
        Kind::Number
    }
}

/// The key's text as ps shows it, uncut.
fn shown(spec: &KeySpec, p: &ProcessInfo, ctx: &CellCtx) -> Vec<u8> {
    cell(spec, p, ctx, crate::cmd::ps_procps::OUTBUF_SIZE, &[]).0
}

/// The value procps sorts `spec` by.
pub fn sort_value(spec: &KeySpec, p: &ProcessInfo, ctx: &CellCtx) -> SortValue {
    let pr = SORT_AS
        .iter()
        .find(|(k, _)| *k == spec.key)
        .map_or(spec.pr, |(_, pr)| *pr);
    // Items no column shows (pr_nop keys whose sort item procps kept).
    let st = p.status.as_ref();
    let item = match spec.key {
        "start_code" => Some(p.start_code as f64),
        "end_code" => Some(p.end_code as f64),
        "vm_data" => Some(st.map_or(0, |s| s.vm_data_kib) as f64),
        "vm_stack" => Some(st.map_or(0, |s| s.vm_stk_kib) as f64),
        _ => None,
    };
    if let Some(v) = item {
        return SortValue::num(v);
    }
    match kind(spec) {
        Kind::Noop => SortValue::None,
        Kind::Version => {
            let spec = if pr == spec.pr {
                spec
            } else {
                crate::columns::keys::KEYS
                    .iter()
                    .find(|k| k.pr == pr)
                    .unwrap_or(spec)
            };
            SortValue::Version(SortValue::text(shown(spec, p, ctx)))
        }
        Kind::Text => SortValue::Text(SortValue::text(text_value(spec, p, ctx))),
        Kind::Number => match numeric_sort_value(pr, p, ctx) {
            SortValue::None => {
                // A number procps reads from /proc as ps shows it; `-`
                // (nothing to read) sorts as 0.
                let text = shown(spec, p, ctx);
                let v = std::str::from_utf8(&text)
                    .ok()
                    .and_then(|t| t.trim().parse::<f64>().ok())
                    .unwrap_or(0.0);
                SortValue::num(v)
            }
            v => v,
        },
    }
}

/// The text procps compares: names even under BSD `n` (which shows
/// numbers), the raw signal masks, the command name before escaping;
/// otherwise the value as shown.
fn text_value(spec: &KeySpec, p: &ProcessInfo, ctx: &CellCtx) -> Vec<u8> {
    let st = p.status.as_ref();
    let user = |uid: u32| ctx.names.user(uid).unwrap_or_else(|| uid.to_string());
    let group = |gid: u32| ctx.names.group(gid).unwrap_or_else(|| gid.to_string());
    let uid = |i: usize| st.map_or(0, |s| s.uids[i]);
    let gid = |i: usize| st.map_or(0, |s| s.gids[i]);
    let mask = |f: fn(&crate::model::process::StatusInfo) -> &String| {
        st.map_or_else(|| b"0".to_vec(), |s| f(s).as_bytes().to_vec())
    };
    match spec.pr {
        Pr::Euser => user(p.euid.unwrap_or(0)).into_bytes(),
        Pr::Ruser => user(uid(0)).into_bytes(),
        Pr::Suser => user(uid(2)).into_bytes(),
        Pr::Fuser => user(uid(3)).into_bytes(),
        Pr::Egroup => group(gid(1)).into_bytes(),
        Pr::Rgroup => group(gid(0)).into_bytes(),
        Pr::Sgroup => group(gid(2)).into_bytes(),
        Pr::Fgroup => group(gid(3)).into_bytes(),
        Pr::Comm | Pr::Fname => p.name.clone(),
        Pr::Tsig => mask(|s| &s.sig_pnd),
        Pr::Sig if p.tid != p.pid => mask(|s| &s.sig_pnd),
        Pr::Sig => mask(|s| &s.shd_pnd),
        Pr::Sigmask => mask(|s| &s.sig_blk),
        Pr::Sigignore => mask(|s| &s.sig_ign),
        Pr::Sigcatch => mask(|s| &s.sig_cgt),
        _ => match numeric_sort_value(spec.pr, p, ctx) {
            SortValue::Text(t) => t.into_bytes(),
            _ => shown(spec, p, ctx),
        },
    }
}
