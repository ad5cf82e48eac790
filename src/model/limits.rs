//! Resource limits of a process (/proc/PID/limits) with their units.

use procfs::process::LimitValue;

/// The unit of a limit's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitUnit {
    Bytes,
    Seconds,
    Microseconds,
    Count,
}

/// One side of a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Unlimited,
    Value(u64),
}

/// A resource limit: name (prlimit(1)'s), unit, soft and hard values.
#[derive(Debug, Clone)]
pub struct LimitInfo {
    pub name: &'static str,
    pub unit: LimitUnit,
    pub soft: Limit,
    pub hard: Limit,
}

impl LimitInfo {
    /// The JSON key: the name with its unit, as every JSON field carries it.
    pub fn json_key(&self) -> String {
        match self.unit {
            LimitUnit::Bytes => format!("{}_bytes", self.name),
            LimitUnit::Seconds => format!("{}_seconds", self.name),
            LimitUnit::Microseconds => format!("{}_microseconds", self.name),
            LimitUnit::Count => self.name.to_string(),
        }
    }
}

fn limit(v: &LimitValue) -> Limit {
    match v {
        LimitValue::Unlimited => Limit::Unlimited,
        LimitValue::Value(n) => Limit::Value(*n),
    }
}

/// The limits in getrlimit(2)'s order, each with the unit setrlimit(2) gives.
pub fn from_procfs(l: &procfs::process::Limits) -> Vec<LimitInfo> {
    use LimitUnit::*;
    [
        ("cpu", Seconds, &l.max_cpu_time),
        ("fsize", Bytes, &l.max_file_size),
        ("data", Bytes, &l.max_data_size),
        ("stack", Bytes, &l.max_stack_size),
        ("core", Bytes, &l.max_core_file_size),
        ("rss", Bytes, &l.max_resident_set),
        ("nproc", Count, &l.max_processes),
        ("nofile", Count, &l.max_open_files),
        ("memlock", Bytes, &l.max_locked_memory),
        ("as", Bytes, &l.max_address_space),
        ("locks", Count, &l.max_file_locks),
        ("sigpending", Count, &l.max_pending_signals),
        ("msgqueue", Bytes, &l.max_msgqueue_size),
        ("nice", Count, &l.max_nice_priority),
        ("rtprio", Count, &l.max_realtime_priority),
        ("rttime", Microseconds, &l.max_realtime_timeout),
    ]
    .into_iter()
    .map(|(name, unit, lim)| LimitInfo {
        name,
        unit,
        soft: limit(&lim.soft_limit),
        hard: limit(&lim.hard_limit),
    })
    .collect()
}
