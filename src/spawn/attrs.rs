//! Parsing the attributes set in the child before exec: resource limits
//! (prlimit(1)'s names and forms) and the umask.

use nix::libc::{self, rlim_t};

use crate::error::{Error, Result};

use crate::model::limits::RLIMITS;

const UNLIMITED: rlim_t = nix::libc::RLIM_INFINITY;

/// A resource number, as getrlimit(2) takes it.
pub type Resource = libc::__rlimit_resource_t;

/// A limit to set: `None` keeps that side as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RlimitSetting {
    pub resource: Resource,
    pub name: &'static str,
    pub soft: Option<rlim_t>,
    pub hard: Option<rlim_t>,
}

/// A number with an optional binary suffix (K, M, G, T, or KiB, MiB, GiB,
/// TiB: 1024-based, as systemd's LimitNOFILE= and friends read them), or
/// `unlimited`.
fn limit_value(text: &str) -> Option<rlim_t> {
    if matches!(text, "unlimited" | "infinity") {
        return Some(UNLIMITED);
    }
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, suffix) = text.split_at(digits_end);
    let shift = match suffix.to_ascii_lowercase().as_str() {
        "" => 0,
        "k" | "kib" => 10,
        "m" | "mib" => 20,
        "g" | "gib" => 30,
        "t" | "tib" => 40,
        _ => return None,
    };
    let n: rlim_t = digits.parse().ok()?;
    n.checked_mul(1 << shift).filter(|v| *v != UNLIMITED)
}

/// Parses `NAME=SOFT[:HARD]`, as prlimit(1): one value sets both, `SOFT:`
/// only the soft limit, `:HARD` only the hard one.
pub fn parse_rlimit(text: &str) -> Result<RlimitSetting> {
    let bad = |why: String| Error::usage(format!("invalid --rlimit '{text}': {why}"));
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| bad("use NAME=SOFT[:HARD]".into()))?;
    let lower = name.to_ascii_lowercase();
    // The index in RLIMITS is the RLIMIT_ number.
    let (number, &(name, _)) = RLIMITS
        .iter()
        .enumerate()
        .find(|(_, (n, _))| *n == lower)
        .ok_or_else(|| {
            let mut names: Vec<&str> = RLIMITS.iter().map(|r| r.0).collect();
            names.sort_unstable();
            bad(format!("unknown resource; use one of {}", names.join(", ")))
        })?;
    let resource = Resource::try_from(number).map_err(|_| bad("unknown resource".into()))?;
    let number = |v: &str| {
        limit_value(v).ok_or_else(|| {
            bad(format!(
                "'{v}' is not a number (with K, M, G, T or KiB, MiB, GiB, TiB: 1024-based) or unlimited"
            ))
        })
    };
    let (soft, hard) = match value.split_once(':') {
        None => {
            let v = number(value)?;
            (Some(v), Some(v))
        }
        Some((s, h)) => (
            (!s.is_empty()).then(|| number(s)).transpose()?,
            (!h.is_empty()).then(|| number(h)).transpose()?,
        ),
    };
    if soft.is_none() && hard.is_none() {
        return Err(bad("give a soft or a hard limit".into()));
    }
    if let (Some(s), Some(h)) = (soft, hard)
        && s > h
    {
        return Err(bad("the soft limit is above the hard one".into()));
    }
    Ok(RlimitSetting {
        resource,
        name,
        soft,
        hard,
    })
}

/// A limit as prlimit(1) prints it: the number, or `unlimited`.
pub fn limit_text(v: rlim_t) -> String {
    if v == UNLIMITED {
        "unlimited".to_string()
    } else {
        v.to_string()
    }
}

/// Why `soft` cannot be set with `hard`, when it is above it (setrlimit's
/// EINVAL would not say which numbers clash): in the words spawn and set
/// share.
pub fn soft_above_hard(name: &str, soft: rlim_t, hard: rlim_t) -> Option<String> {
    (soft > hard).then(|| {
        format!(
            "the soft limit of {name} ({}) is above the hard limit ({})",
            limit_text(soft),
            limit_text(hard)
        )
    })
}

/// Parses an octal umask such as `022` or `0077`.
pub fn parse_umask(text: &str) -> Result<u32> {
    u32::from_str_radix(text, 8)
        .ok()
        .filter(|m| *m <= 0o777)
        .ok_or_else(|| {
            Error::usage(format!(
                "invalid --umask '{text}': use an octal mode such as 022"
            ))
        })
}

/// Why setting `limits` in order (what the child will do before exec)
/// would fail, found before anything is opened for good or started: a
/// failure in the child comes after output files are truncated. `None`
/// when each would be accepted as far as can be told without trying.
pub fn rlimit_problem(limits: &[RlimitSetting]) -> Option<String> {
    if limits.is_empty() {
        // Nothing to read: a start without limits pays for no /proc read.
        return None;
    }
    let has_sys_resource = may_raise_hard_limits();
    let nr_open = std::fs::read_to_string("/proc/sys/fs/nr_open")
        .ok()
        .and_then(|t| t.trim().parse::<rlim_t>().ok());
    let mut now: Vec<(Resource, libc::rlimit)> = Vec::new();
    for r in limits {
        let current = match now.iter().find(|(res, _)| *res == r.resource) {
            Some((_, l)) => *l,
            None => {
                let mut l = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                // SAFETY: getrlimit fills `l`.
                if unsafe { libc::getrlimit(r.resource, &mut l) } != 0 {
                    continue;
                }
                l
            }
        };
        let soft = r.soft.unwrap_or(current.rlim_cur);
        let hard = r.hard.unwrap_or(current.rlim_max);
        let name = r.name;
        if let Some(why) = soft_above_hard(name, soft, hard) {
            return Some(format!("cannot set --rlimit: {why}"));
        }
        if hard > current.rlim_max && !has_sys_resource {
            return Some(format!(
                "cannot set --rlimit {name}: raising the hard limit above {} needs CAP_SYS_RESOURCE",
                limit_text(current.rlim_max)
            ));
        }
        if r.resource == libc::RLIMIT_NOFILE
            && let Some(max) = nr_open
            && hard > max
        {
            return Some(format!(
                "cannot set --rlimit {name}: {} is above the system's maximum, fs.nr_open = {max}",
                limit_text(hard)
            ));
        }
        now.retain(|(res, _)| *res != r.resource);
        now.push((
            r.resource,
            libc::rlimit {
                rlim_cur: soft,
                rlim_max: hard,
            },
        ));
    }
    None
}

/// Whether proctl may raise hard limits: CAP_SYS_RESOURCE in its
/// effective set (capget(2); unknown counts as no).
fn may_raise_hard_limits() -> bool {
    use rustix::thread::{CapabilitySet, capabilities};
    capabilities(None).is_ok_and(|sets| sets.effective.contains(CapabilitySet::SYS_RESOURCE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rlimits_parse_like_prlimit() {
        let r = parse_rlimit("nofile=100:200").unwrap();
        assert_eq!((r.name, r.soft, r.hard), ("nofile", Some(100), Some(200)));
        let r = parse_rlimit("CORE=0").unwrap();
        assert_eq!((r.soft, r.hard), (Some(0), Some(0)));
        let r = parse_rlimit("stack=unlimited:").unwrap();
        assert_eq!((r.soft, r.hard), (Some(UNLIMITED), None));
        let r = parse_rlimit("cpu=:10").unwrap();
        assert_eq!((r.soft, r.hard), (None, Some(10)));
        let r = parse_rlimit("as=512M:1G").unwrap();
        assert_eq!((r.soft, r.hard), (Some(512 << 20), Some(1 << 30)));
        let r = parse_rlimit("fsize=4k").unwrap();
        assert_eq!((r.soft, r.hard), (Some(4096), Some(4096)));
        let r = parse_rlimit("as=1KiB:2GiB").unwrap();
        assert_eq!((r.soft, r.hard), (Some(1024), Some(2 << 30)));
        let r = parse_rlimit("memlock=1tib").unwrap();
        assert_eq!(r.soft, Some(1 << 40));
        for bad in [
            "nofile",
            "files=1",
            "nofile=x",
            "nofile=:",
            "nofile=10:5",
            "as=K",
            "as=1Q",
            "as=-1",
            "as=1KB",
            "as=1iB",
            "as=1 K",
            "as=+1",
        ] {
            assert!(parse_rlimit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn umasks() {
        assert_eq!(parse_umask("022").unwrap(), 0o22);
        assert_eq!(parse_umask("0077").unwrap(), 0o77);
        assert!(parse_umask("999").is_err());
        assert!(parse_umask("1000").is_err());
    }
}
