//! Changes to how a running process shares the machine (nice, CPU
//! affinity, scheduling policy, I/O priority, resource limits, OOM score):
//! validated values, and reading and applying them through the kernel's
//! per-thread and per-process interfaces.

pub mod apply;
pub mod cpus;

use std::fmt;

use crate::error::{Error, Result};
use crate::spawn::attrs::{RlimitSetting, limit_text, parse_rlimit, soft_above_hard};

/// Scheduling policies (sched(7)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Other,
    Batch,
    Idle,
    Fifo,
    RoundRobin,
}

/// Policy names, their kernel numbers, and whether they are real-time.
const POLICIES: &[(&str, Policy, i32, bool)] = &[
    ("other", Policy::Other, nix::libc::SCHED_OTHER, false),
    ("batch", Policy::Batch, nix::libc::SCHED_BATCH, false),
    ("idle", Policy::Idle, nix::libc::SCHED_IDLE, false),
    ("fifo", Policy::Fifo, nix::libc::SCHED_FIFO, true),
    ("rr", Policy::RoundRobin, nix::libc::SCHED_RR, true),
];

impl Policy {
    fn row(self) -> &'static (&'static str, Policy, i32, bool) {
        POLICIES
            .iter()
            .find(|r| r.1 == self)
            .expect("every policy has a row")
    }

    /// The name chrt(1) uses, lower case.
    pub fn name(self) -> &'static str {
        self.row().0
    }

    /// The kernel's number for it.
    pub fn number(self) -> i32 {
        self.row().2
    }

    /// Whether it takes a real-time priority (1..99).
    pub fn is_realtime(self) -> bool {
        self.row().3
    }

    /// The policy with this kernel number.
    pub fn from_number(n: i32) -> Option<Policy> {
        POLICIES.iter().find(|r| r.2 == n).map(|r| r.1)
    }
}

/// A policy's name in JSON, as ps and show write it (`normal`,
/// `round-robin`, `deadline`, ...); `None` for a number the kernel does not
/// define.
fn policy_json_name(number: i32) -> Option<&'static str> {
    match crate::render::show::policy_name(u32::try_from(number).ok()) {
        "-" => None,
        name => Some(name),
    }
}

/// I/O scheduling classes (ionice(1)), as `show` reads them.
pub use crate::model::sched::IoClass;

/// One change to make to every target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Absolute nice value, -20..19.
    Nice(i32),
    /// Relative nice change, the result kept within -20..19.
    NiceBy(i32),
    Affinity(Vec<usize>),
    Policy {
        policy: Policy,
        rt_priority: i32,
    },
    Io {
        class: IoClass,
        level: Option<u32>,
    },
    Rlimit(RlimitSetting),
    OomScoreAdj(i32),
}

impl Change {
    /// The name of what it changes, as the report and JSON say it.
    pub fn what(&self) -> &'static str {
        match self {
            Change::Nice(_) | Change::NiceBy(_) => "nice",
            Change::Affinity(_) => "affinity",
            Change::Policy { .. } => "policy",
            Change::Io { .. } => "io",
            Change::Rlimit(_) => "rlimit",
            Change::OomScoreAdj(_) => "oom_score_adj",
        }
    }

    /// The capability the kernel wants when it refuses this change.
    pub fn capability(&self) -> &'static str {
        match self {
            Change::Rlimit(_) | Change::OomScoreAdj(_) => "CAP_SYS_RESOURCE",
            Change::Io {
                class: IoClass::Realtime,
                ..
            } => "CAP_SYS_ADMIN",
            _ => "CAP_SYS_NICE",
        }
    }
}

/// The values of the options of `proctl set`, as given.
#[derive(Debug, Default)]
pub struct ChangeOptions<'a> {
    pub nice: Option<&'a str>,
    pub nice_by: Option<&'a str>,
    pub affinity: Option<&'a str>,
    pub policy: Option<&'a str>,
    pub rt_priority: Option<&'a str>,
    pub io: Option<&'a str>,
    pub rlimits: &'a [String],
    pub oom_score_adj: Option<&'a str>,
}

fn number_in(text: &str, option: &str, range: std::ops::RangeInclusive<i32>) -> Result<i32> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| {
            Error::usage(format!(
                "invalid {option} '{text}': expected a number from {} to {}",
                range.start(),
                range.end()
            ))
        })
}

/// Validates every change; nothing is touched yet.
pub fn parse_changes(o: &ChangeOptions) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    if o.nice.is_some() && o.nice_by.is_some() {
        return Err(Error::usage("--nice and --nice-by cannot be used together"));
    }
    if let Some(n) = o.nice {
        changes.push(Change::Nice(number_in(n, "--nice", -20..=19)?));
    }
    if let Some(n) = o.nice_by {
        changes.push(Change::NiceBy(number_in(n, "--nice-by", -39..=39)?));
    }
    if let Some(list) = o.affinity {
        changes.push(Change::Affinity(cpus::parse_cpu_list(
            list,
            cpus::possible_cpus(),
        )?));
    }
    match (o.policy, o.rt_priority) {
        (Some(name), prio) => {
            let policy = POLICIES
                .iter()
                .find(|r| r.0 == name.to_ascii_lowercase())
                .map(|r| r.1)
                .ok_or_else(|| {
                    Error::usage(format!(
                        "invalid --policy '{name}': use other, batch, idle, fifo or rr"
                    ))
                })?;
            let rt_priority = match (policy.is_realtime(), prio) {
                (true, Some(p)) => number_in(p, "--rt-priority", 1..=99)?,
                (true, None) => {
                    return Err(Error::usage(format!(
                        "--policy {} needs --rt-priority 1..99",
                        policy.name()
                    )));
                }
                (false, Some(_)) => {
                    return Err(Error::usage(format!(
                        "--rt-priority goes with --policy fifo or rr, not {}",
                        policy.name()
                    )));
                }
                (false, None) => 0,
            };
            changes.push(Change::Policy {
                policy,
                rt_priority,
            });
        }
        (None, Some(_)) => {
            return Err(Error::usage("--rt-priority goes with --policy fifo or rr"));
        }
        (None, None) => {}
    }
    if let Some(text) = o.io {
        changes.push(parse_io(text)?);
    }
    for r in o.rlimits {
        changes.push(Change::Rlimit(parse_rlimit(r)?));
    }
    if let Some(n) = o.oom_score_adj {
        changes.push(Change::OomScoreAdj(number_in(
            n,
            "--oom-score-adj",
            -1000..=1000,
        )?));
    }
    if changes.is_empty() {
        return Err(Error::usage(
            "nothing to change: give --nice, --nice-by, --affinity, --policy, --io, --rlimit \
             or --oom-score-adj",
        ));
    }
    Ok(changes)
}

/// `CLASS[:LEVEL]`: realtime, best-effort, idle (or ionice's 1, 2, 3), level 0..7.
fn parse_io(text: &str) -> Result<Change> {
    let bad = |why: &str| Error::usage(format!("invalid --io '{text}': {why}"));
    let (class, level) = match text.split_once(':') {
        Some((c, l)) => (c, Some(l)),
        None => (text, None),
    };
    let class = match class.to_ascii_lowercase().as_str() {
        "realtime" | "rt" | "1" => IoClass::Realtime,
        "best-effort" | "be" | "2" => IoClass::BestEffort,
        "idle" | "3" => IoClass::Idle,
        _ => return Err(bad("use realtime, best-effort or idle, with :LEVEL 0..7")),
    };
    let level = match (class, level) {
        (IoClass::Idle, Some(_)) => return Err(bad("the idle class takes no level")),
        (_, Some(l)) => Some(
            l.parse::<u32>()
                .ok()
                .filter(|&l| l <= 7)
                .ok_or_else(|| bad("the level is 0..7"))?,
        ),
        (IoClass::Idle, None) => None,
        // ionice's default level.
        (_, None) => Some(4),
    };
    Ok(Change::Io { class, level })
}

/// A value read back from the kernel, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Nice(i32),
    Affinity(Vec<usize>),
    Policy {
        /// The kernel's number (sched(7)): set can read back a policy it
        /// cannot set (deadline).
        number: i32,
        rt_priority: i32,
    },
    Io {
        class: IoClass,
        level: u32,
    },
    Rlimit {
        resource: &'static str,
        soft: u64,
        hard: u64,
    },
    OomScoreAdj(i32),
}

impl Change {
    /// The value this change leaves where the value is `now` (a relative
    /// nice or a one-sided limit needs `now`; `None` when it is unknown).
    pub fn target(&self, now: Option<&Value>) -> Option<Value> {
        Some(match (self, now) {
            (Change::Nice(n), _) => Value::Nice(*n),
            (Change::NiceBy(d), Some(Value::Nice(n))) => Value::Nice((n + d).clamp(-20, 19)),
            (Change::Affinity(cpus), _) => Value::Affinity(cpus.clone()),
            (
                Change::Policy {
                    policy,
                    rt_priority,
                },
                _,
            ) => Value::Policy {
                number: policy.number(),
                rt_priority: *rt_priority,
            },
            (Change::Io { class, level }, _) => Value::Io {
                class: *class,
                level: level.unwrap_or(0),
            },
            (Change::Rlimit(r), Some(Value::Rlimit { soft, hard, .. })) => Value::Rlimit {
                resource: r.name,
                soft: r.soft.unwrap_or(*soft),
                hard: r.hard.unwrap_or(*hard),
            },
            (Change::Rlimit(r), None) => Value::Rlimit {
                resource: r.name,
                soft: r.soft?,
                hard: r.hard?,
            },
            (Change::OomScoreAdj(n), _) => Value::OomScoreAdj(*n),
            _ => return None,
        })
    }

    /// Whether this change would alter `now`; an unknown value counts as
    /// altered.
    pub fn alters(&self, now: Option<&Value>) -> bool {
        match (now, self.target(now)) {
            (Some(now), Some(target)) => !now.same_as(&target),
            _ => true,
        }
    }
}

fn limit_json(v: u64) -> serde_json::Value {
    if v == nix::libc::RLIM_INFINITY {
        "unlimited".into()
    } else {
        v.into()
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nice(n) | Value::OomScoreAdj(n) => write!(f, "{n}"),
            Value::Affinity(cpus) => f.write_str(&cpus::format_cpu_list(cpus)),
            // chrt(1)'s words, as --policy takes them.
            Value::Policy {
                number,
                rt_priority,
            } => match Policy::from_number(*number) {
                Some(p) if p.is_realtime() => write!(f, "{} {rt_priority}", p.name()),
                Some(p) => f.write_str(p.name()),
                None => f.write_str(policy_json_name(*number).unwrap_or("unknown")),
            },
            Value::Io { class, level } => match class {
                IoClass::Idle | IoClass::None => f.write_str(class.name()),
                _ => write!(f, "{}:{level}", class.name()),
            },
            Value::Rlimit {
                resource,
                soft,
                hard,
            } => write!(f, "{resource} {}:{}", limit_text(*soft), limit_text(*hard)),
        }
    }
}

impl Value {
    /// Equal as far as the kernel is concerned: the idle and none I/O
    /// classes have no level (ioprio_get(2) still reports one).
    pub fn same_as(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Io { class: a, level: x }, Value::Io { class: b, level: y }) => {
                a == b && (matches!(a, IoClass::Idle | IoClass::None) || x == y)
            }
            _ => self == other,
        }
    }

    /// What is wrong with this value as a change's target, when something
    /// is: a soft limit above the hard one (prlimit(1) refuses it too, and
    /// the kernel's EINVAL would not say which numbers clash).
    pub fn conflict(&self) -> Option<String> {
        match self {
            Value::Rlimit {
                resource,
                soft,
                hard,
            } => soft_above_hard(resource, *soft, *hard),
            _ => None,
        }
    }

    /// The value in JSON, typed: numbers, a list of CPUs, objects.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Nice(n) | Value::OomScoreAdj(n) => (*n).into(),
            Value::Affinity(cpus) => cpus.clone().into(),
            // ps's and show's words (docs/json.md: one vocabulary).
            Value::Policy {
                number,
                rt_priority,
            } => serde_json::json!({
                "policy": policy_json_name(*number),
                "rt_priority": rt_priority,
            }),
            // The idle class and "none" have no level: left out.
            Value::Io { class, level } => match class {
                IoClass::Idle | IoClass::None => serde_json::json!({"class": class.name()}),
                _ => serde_json::json!({"class": class.name(), "level": level}),
            },
            Value::Rlimit {
                resource,
                soft,
                hard,
            } => serde_json::json!({
                "resource": resource,
                "soft": limit_json(*soft),
                "hard": limit_json(*hard),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(o: ChangeOptions) -> Result<Vec<Change>> {
        parse_changes(&o)
    }

    #[test]
    fn each_change_parses() {
        let rl = ["nofile=1024:4096".to_string()];
        let all = changes(ChangeOptions {
            nice: Some("10"),
            affinity: Some("0"),
            policy: Some("fifo"),
            rt_priority: Some("5"),
            io: Some("best-effort:7"),
            rlimits: &rl,
            oom_score_adj: Some("500"),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(all[0], Change::Nice(10));
        assert_eq!(
            all[2],
            Change::Policy {
                policy: Policy::Fifo,
                rt_priority: 5
            }
        );
        assert_eq!(
            all[3],
            Change::Io {
                class: IoClass::BestEffort,
                level: Some(7)
            }
        );
    }

    #[test]
    fn bad_values_name_the_option() {
        for (o, needle) in [
            (
                ChangeOptions {
                    nice: Some("20"),
                    ..Default::default()
                },
                "--nice",
            ),
            (
                ChangeOptions {
                    policy: Some("fifo"),
                    ..Default::default()
                },
                "--rt-priority",
            ),
            (
                ChangeOptions {
                    policy: Some("batch"),
                    rt_priority: Some("3"),
                    ..Default::default()
                },
                "--rt-priority",
            ),
            (
                ChangeOptions {
                    io: Some("idle:3"),
                    ..Default::default()
                },
                "--io",
            ),
            (
                ChangeOptions {
                    oom_score_adj: Some("1001"),
                    ..Default::default()
                },
                "--oom-score-adj",
            ),
            (ChangeOptions::default(), "nothing to change"),
            (
                ChangeOptions {
                    nice: Some("1"),
                    nice_by: Some("1"),
                    ..Default::default()
                },
                "--nice-by",
            ),
        ] {
            let err = changes(o).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
        }
    }

    #[test]
    fn targets_follow_the_value_now() {
        let rl = |t: &str| Change::Rlimit(parse_rlimit(t).unwrap());
        let limit = |soft, hard| Value::Rlimit {
            resource: "nofile",
            soft,
            hard,
        };
        assert_eq!(
            Change::NiceBy(5).target(Some(&Value::Nice(17))),
            Some(Value::Nice(19))
        );
        assert_eq!(Change::NiceBy(5).target(None), None);
        assert_eq!(
            rl("nofile=:10").target(Some(&limit(1024, 4096))),
            Some(limit(1024, 10))
        );
        assert_eq!(rl("nofile=:10").target(None), None);
        assert_eq!(rl("nofile=7").target(None), Some(limit(7, 7)));
        assert!(!Change::Nice(4).alters(Some(&Value::Nice(4))));
        assert!(Change::Nice(4).alters(Some(&Value::Nice(3))));
        assert!(Change::Nice(4).alters(None));
        let idle = Change::Io {
            class: IoClass::Idle,
            level: None,
        };
        assert!(!idle.alters(Some(&Value::Io {
            class: IoClass::Idle,
            level: 7
        })));
        assert!(rl("nofile=:10").alters(Some(&limit(5, 20))));
        assert!(!rl("nofile=5:").alters(Some(&limit(5, 20))));
    }

    #[test]
    fn values_print_as_the_peers_do() {
        assert_eq!(Value::Affinity(vec![0, 1, 2]).to_string(), "0-2");
        assert_eq!(
            Value::Policy {
                number: Policy::Fifo.number(),
                rt_priority: 10
            }
            .to_string(),
            "fifo 10"
        );
        let deadline = Value::Policy {
            number: 6,
            rt_priority: 0,
        };
        assert_eq!(deadline.to_string(), "deadline");
        assert_eq!(
            deadline.to_json(),
            serde_json::json!({"policy": "deadline", "rt_priority": 0})
        );
        let rr = Value::Policy {
            number: Policy::RoundRobin.number(),
            rt_priority: 3,
        };
        assert_eq!(rr.to_string(), "rr 3");
        assert_eq!(rr.to_json()["policy"], "round-robin");
        assert_eq!(
            Value::Io {
                class: IoClass::BestEffort,
                level: 4
            }
            .to_string(),
            "best-effort:4"
        );
        assert_eq!(
            Value::Rlimit {
                resource: "nofile",
                soft: 1024,
                hard: nix::libc::RLIM_INFINITY
            }
            .to_string(),
            "nofile 1024:unlimited"
        );
    }
}
