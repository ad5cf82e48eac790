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

/// The resource limits in getrlimit(2)'s order, so that a limit's index is
/// its RLIMIT_ number: prlimit(1)'s name and the unit setrlimit(2) takes.
/// `spawn --rlimit`, `set --rlimit`, the ps columns and show all name
/// limits from here.
pub const RLIMITS: [(&str, LimitUnit); 16] = {
    use LimitUnit::*;
    [
        ("cpu", Seconds),
        ("fsize", Bytes),
        ("data", Bytes),
        ("stack", Bytes),
        ("core", Bytes),
        ("rss", Bytes),
        ("nproc", Count),
        ("nofile", Count),
        ("memlock", Bytes),
        ("as", Bytes),
        ("locks", Count),
        ("sigpending", Count),
        ("msgqueue", Bytes),
        ("nice", Count),
        ("rtprio", Count),
        ("rttime", Microseconds),
    ]
};

/// The limits in getrlimit(2)'s order, each with the unit setrlimit(2) gives.
pub fn from_procfs(l: &procfs::process::Limits) -> Vec<LimitInfo> {
    [
        &l.max_cpu_time,
        &l.max_file_size,
        &l.max_data_size,
        &l.max_stack_size,
        &l.max_core_file_size,
        &l.max_resident_set,
        &l.max_processes,
        &l.max_open_files,
        &l.max_locked_memory,
        &l.max_address_space,
        &l.max_file_locks,
        &l.max_pending_signals,
        &l.max_msgqueue_size,
        &l.max_nice_priority,
        &l.max_realtime_priority,
        &l.max_realtime_timeout,
    ]
    .into_iter()
    .zip(RLIMITS)
    .map(|(lim, (name, unit))| LimitInfo {
        name,
        unit,
        soft: limit(&lim.soft_limit),
        hard: limit(&lim.hard_limit),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_is_the_rlimit_number() {
        let number = |name: &str| RLIMITS.iter().position(|(n, _)| *n == name);
        assert_eq!(number("cpu"), Some(libc::RLIMIT_CPU as usize));
        assert_eq!(number("nofile"), Some(libc::RLIMIT_NOFILE as usize));
        assert_eq!(number("as"), Some(libc::RLIMIT_AS as usize));
        assert_eq!(number("rttime"), Some(libc::RLIMIT_RTTIME as usize));
        assert_eq!(number("sigpending"), Some(libc::RLIMIT_SIGPENDING as usize));
    }

    #[test]
    fn the_ps_columns_follow_the_table() {
        use crate::columns::{COLUMNS, ColumnId, LimitSide};
        for (i, (name, unit)) in RLIMITS.iter().enumerate() {
            let info = LimitInfo {
                name,
                unit: *unit,
                soft: Limit::Unlimited,
                hard: Limit::Unlimited,
            };
            for (side, word) in [(LimitSide::Soft, "soft"), (LimitSide::Hard, "hard")] {
                let spec = COLUMNS
                    .iter()
                    .find(|c| c.id == ColumnId::Rlimit(i as u8, side))
                    .unwrap_or_else(|| panic!("no {name}_{word} column"));
                assert_eq!(spec.keys, [format!("{name}_{word}")]);
                let json = info.json_key().replacen(name, &format!("{name}_{word}"), 1);
                assert_eq!(spec.json, json);
            }
        }
        // The procps-grammar key table names them the same way.
        use crate::columns::keys::{KEYS, Pr};
        for key in KEYS {
            if let Pr::Rlimit(i, side) = key.pr {
                let word = if side == LimitSide::Soft {
                    "soft"
                } else {
                    "hard"
                };
                assert_eq!(key.key, format!("{}_{word}", RLIMITS[usize::from(i)].0));
            }
        }
    }
}
