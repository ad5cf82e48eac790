//! procps `ps` personalities: `PS_PERSONALITY` (else `CMD_ENV`) names the
//! ps flavour to imitate, which changes a few option meanings and default
//! layouts (ps(1) "ENVIRONMENT VARIABLES" and "PERSONALITY"; the effects
//! below are those procps-ng 4.0.2 shows).

use std::ffi::OsString;

// What a personality changes (ps/common.h's PER_* names).
/// BSD `h` repeats the header instead of dropping it.
pub const BSD_H: u32 = 0x0002;
/// BSD `m` sorts on memory.
pub const BSD_M: u32 = 0x0004;
/// `-l` has SGI's columns (RSS and `:`, PRI).
pub const IRIX_L: u32 = 0x0008;
/// Every option is read as BSD (the UNIX pass is skipped).
pub const FORCE_BSD: u32 = 0x0010;
/// BSD `m` is the old Linux memory layout.
pub const OLD_M: u32 = 0x0040;
/// Without `g`, BSD selection leaves out group leaders (SunOS 4).
pub const NO_DEFAULT_G: u32 = 0x0080;
/// `-l` shows the processor (sgi_p) where ADDR was.
pub const ZAP_ADDR: u32 = 0x0100;
/// `-f` shows user names in full (USER, not UID).
pub const SANE_USER: u32 = 0x0200;
/// `-x` extends the command line (HP-UX).
pub const HPUX_X: u32 = 0x0400;
/// `-x` is `-y` (SVR4).
pub const SVR4_X: u32 = 0x0800;

/// A personality's effects on parsing and layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Personality {
    pub flags: u32,
    /// BSD defaults (selection and layout) even without BSD options.
    pub prefer_bsd: bool,
    /// The macros of BSD `j l s u v`.
    pub bsd: [&'static str; 5],
    /// The macros of `-f`, `-fl`, `-j` and `-l`; `None` builds the UNIX
    /// layout column by column.
    pub sysv: [Option<&'static str>; 4],
}

const OLD_BSD: [&str; 5] = ["OL_j", "OL_l", "OL_s", "OL_u", "OL_v"];
// FreeBSD's layouts; `s` keeps the old one.
const FREE_BSD: [&str; 5] = ["FB_j", "FB_l", "OL_s", "FB_u", "FB_v"];
const DIGITAL_BSD: [&str; 5] = ["JFMT", "LFMT", "SFMT", "UFMT", "VFMT"];
const NO_SYSV: [Option<&str>; 4] = [None; 4];

/// One row: the names (matched without regard to case) and the effects.
struct Row {
    names: &'static [&'static str],
    personality: Personality,
}

const fn row(
    names: &'static [&'static str],
    flags: u32,
    prefer_bsd: bool,
    bsd: [&'static str; 5],
    sysv: [Option<&'static str>; 4],
) -> Row {
    Row {
        names,
        personality: Personality {
            flags,
            prefer_bsd,
            bsd,
            sysv,
        },
    }
}

/// The personalities procps knows. `irix`/`sgi` lose IRIX_L when `_XPG`
/// starts with a digit 1-9 (see `from_vars`).
const TABLE: &[Row] = &[
    row(&["bsd"], FORCE_BSD | BSD_H | BSD_M, true, FREE_BSD, NO_SYSV),
    row(&["old"], FORCE_BSD | OLD_M, true, OLD_BSD, NO_SYSV),
    row(
        &["debian", "gnu"],
        OLD_M,
        true,
        OLD_BSD,
        [Some("RD_f"), None, Some("RD_j"), Some("RD_l")],
    ),
    row(&["linux"], ZAP_ADDR | SANE_USER, false, OLD_BSD, NO_SYSV),
    row(&["aix"], 0, false, FREE_BSD, NO_SYSV),
    row(
        &["tru64", "compaq", "digital"],
        BSD_H,
        true,
        DIGITAL_BSD,
        [Some("F5FMT"), Some("FL5FMT"), Some("JFMT"), Some("L5FMT")],
    ),
    row(&["sunos4"], NO_DEFAULT_G, true, FREE_BSD, NO_SYSV),
    row(&["irix", "sgi"], IRIX_L, false, OLD_BSD, NO_SYSV),
    row(
        &["os390", "s390", "390"],
        0,
        false,
        OLD_BSD,
        [None, None, Some("J390"), None],
    ),
    row(&["hp", "hpux"], HPUX_X, false, OLD_BSD, NO_SYSV),
    row(&["svr4", "sysv", "sco"], SVR4_X, false, OLD_BSD, NO_SYSV),
    row(
        &[
            "posix", "solaris2", "unix95", "unix98", "unix", "default", "unknown",
        ],
        0,
        false,
        OLD_BSD,
        NO_SYSV,
    ),
];

impl Default for Personality {
    /// procps's own behaviour (`unknown`).
    fn default() -> Personality {
        Personality {
            flags: 0,
            prefer_bsd: false,
            bsd: OLD_BSD,
            sysv: NO_SYSV,
        }
    }
}

impl Personality {
    /// The personality the environment names.
    pub fn from_env() -> Personality {
        Personality::from_vars(|name| std::env::var_os(name))
    }

    /// The personality named by `PS_PERSONALITY`, else `CMD_ENV` (an empty
    /// value counts as unset); `I_WANT_A_BROKEN_PS` (set at all) means
    /// `old`. A name procps does not know, or longer than 15 bytes, is
    /// procps's default, silently.
    pub fn from_vars(get: impl Fn(&str) -> Option<OsString>) -> Personality {
        use std::os::unix::ffi::OsStrExt;
        let set = |name: &str| get(name).filter(|v| !v.is_empty());
        let name = if get("I_WANT_A_BROKEN_PS").is_some() {
            OsString::from("old")
        } else {
            match set("PS_PERSONALITY").or_else(|| set("CMD_ENV")) {
                Some(v) => v,
                None => return Personality::default(),
            }
        };
        let name = name.as_bytes();
        if name.len() > 15 {
            return Personality::default();
        }
        let Some(row) = TABLE.iter().find(|r| {
            r.names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
        }) else {
            return Personality::default();
        };
        let mut p = row.personality;
        if p.flags & IRIX_L != 0 {
            let xpg = get("_XPG").unwrap_or_default();
            if matches!(xpg.as_bytes().first(), Some(b'1'..=b'9')) {
                p.flags &= !IRIX_L;
            }
        }
        p
    }

    /// Whether a PER_* flag is set.
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(vars: &[(&str, &str)]) -> Personality {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Personality::from_vars(|name| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| OsString::from(v))
        })
    }

    #[test]
    fn names_choose_rows_without_regard_to_case() {
        assert!(named(&[("PS_PERSONALITY", "BSD")]).has(FORCE_BSD));
        assert!(named(&[("CMD_ENV", "hpux")]).has(HPUX_X));
        // An empty PS_PERSONALITY falls back to CMD_ENV.
        assert!(named(&[("PS_PERSONALITY", ""), ("CMD_ENV", "sco")]).has(SVR4_X));
        assert_eq!(
            named(&[("PS_PERSONALITY", "nonsense")]),
            Personality::default()
        );
        assert_eq!(
            named(&[("PS_PERSONALITY", "bsdbsdbsdbsdbsdbsd")]),
            Personality::default()
        );
        assert!(named(&[("PS_PERSONALITY", "linux"), ("I_WANT_A_BROKEN_PS", "")]).has(OLD_M));
    }

    #[test]
    fn irix_yields_to_xpg() {
        assert!(named(&[("PS_PERSONALITY", "irix")]).has(IRIX_L));
        assert!(!named(&[("PS_PERSONALITY", "sgi"), ("_XPG", "1")]).has(IRIX_L));
        assert!(named(&[("PS_PERSONALITY", "sgi"), ("_XPG", "0")]).has(IRIX_L));
    }

    #[test]
    fn layouts_of_the_flavours() {
        assert_eq!(named(&[("PS_PERSONALITY", "gnu")]).sysv[0], Some("RD_f"));
        assert_eq!(named(&[("PS_PERSONALITY", "digital")]).bsd[2], "SFMT");
        assert_eq!(named(&[("PS_PERSONALITY", "aix")]).bsd[0], "FB_j");
        assert!(named(&[("PS_PERSONALITY", "sunos4")]).prefer_bsd);
    }
}
