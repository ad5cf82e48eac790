//! Process attributes set in the child before exec: session, niceness,
//! resource limits, death signal and umask.

use nix::sys::resource::{Resource, rlim_t, setrlimit};

use crate::error::{Error, Result};

const UNLIMITED: rlim_t = nix::libc::RLIM_INFINITY;

/// The resource names `--rlimit` takes (prlimit(1)'s), with their resource.
const RESOURCES: &[(&str, Resource)] = &[
    ("as", Resource::RLIMIT_AS),
    ("core", Resource::RLIMIT_CORE),
    ("cpu", Resource::RLIMIT_CPU),
    ("data", Resource::RLIMIT_DATA),
    ("fsize", Resource::RLIMIT_FSIZE),
    ("locks", Resource::RLIMIT_LOCKS),
    ("memlock", Resource::RLIMIT_MEMLOCK),
    ("msgqueue", Resource::RLIMIT_MSGQUEUE),
    ("nice", Resource::RLIMIT_NICE),
    ("nofile", Resource::RLIMIT_NOFILE),
    ("nproc", Resource::RLIMIT_NPROC),
    ("rss", Resource::RLIMIT_RSS),
    ("rtprio", Resource::RLIMIT_RTPRIO),
    ("rttime", Resource::RLIMIT_RTTIME),
    ("sigpending", Resource::RLIMIT_SIGPENDING),
    ("stack", Resource::RLIMIT_STACK),
];

/// A limit to set: `None` keeps that side as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RlimitSetting {
    pub resource: Resource,
    pub name: &'static str,
    pub soft: Option<rlim_t>,
    pub hard: Option<rlim_t>,
}

fn limit_value(text: &str) -> Option<rlim_t> {
    match text {
        "unlimited" | "infinity" => Some(UNLIMITED),
        n => n.parse().ok(),
    }
}

/// Parses `NAME=SOFT[:HARD]`, as prlimit(1): one value sets both, `SOFT:`
/// only the soft limit, `:HARD` only the hard one.
pub fn parse_rlimit(text: &str) -> Result<RlimitSetting> {
    let bad = |why: String| Error::usage(format!("invalid --rlimit '{text}': {why}"));
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| bad("use NAME=SOFT[:HARD]".into()))?;
    let &(name, resource) = RESOURCES
        .iter()
        .find(|(n, _)| *n == name.to_ascii_lowercase())
        .ok_or_else(|| {
            let names: Vec<&str> = RESOURCES.iter().map(|r| r.0).collect();
            bad(format!("unknown resource; use one of {}", names.join(", ")))
        })?;
    let number =
        |v: &str| limit_value(v).ok_or_else(|| bad(format!("'{v}' is not a number or unlimited")));
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

/// Everything set in the child between fork and exec.
#[derive(Debug, Clone, Default)]
pub struct ChildSetup {
    pub new_session: bool,
    pub nice: Option<i32>,
    pub rlimits: Vec<RlimitSetting>,
    /// proctl's pid, when the child must die with it.
    pub die_with_parent: Option<i32>,
    pub umask: Option<u32>,
}

impl ChildSetup {
    /// Whether there is nothing to set.
    pub fn is_empty(&self) -> bool {
        !self.new_session
            && self.nice.is_none()
            && self.rlimits.is_empty()
            && self.die_with_parent.is_none()
            && self.umask.is_none()
    }

    /// Runs in the child after fork: only system calls, no allocation.
    pub fn apply(&self) -> std::io::Result<()> {
        if self.new_session {
            nix::unistd::setsid()?;
        }
        if let Some(n) = self.nice {
            rustix::process::setpriority_process(None, n)?;
        }
        for r in &self.rlimits {
            let (cur_soft, cur_hard) = nix::sys::resource::getrlimit(r.resource)?;
            setrlimit(
                r.resource,
                r.soft.unwrap_or(cur_soft),
                r.hard.unwrap_or(cur_hard),
            )?;
        }
        if let Some(parent) = self.die_with_parent {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)?;
            // The parent may have died before the death signal was armed.
            if nix::unistd::getppid().as_raw() != parent {
                return Err(std::io::Error::other("parent exited"));
            }
        }
        if let Some(mask) = self.umask {
            nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(mask));
        }
        Ok(())
    }
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
        for bad in ["nofile", "files=1", "nofile=x", "nofile=:", "nofile=10:5"] {
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
