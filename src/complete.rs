//! Values for shell completion: the shells ask the binary itself
//! (clap_complete's dynamic completion, `COMPLETE=bash proctl`), which
//! answers with column keys, signal names, pids with their names, users
//! and duration units.

use std::ffi::OsStr;

use clap_complete::engine::CompletionCandidate;

use crate::model::{Needs, ProcSource};
use crate::render::escape_bytes;
use crate::signal::Signal;

fn candidate(value: impl Into<std::ffi::OsString>, help: &str) -> CompletionCandidate {
    CompletionCandidate::new(value).help(Some(help.to_string().into()))
}

/// Column keys for `-o` and `--sort`, completing the last item of a comma
/// list (and keeping a `+`/`-` sort prefix).
pub fn column_list(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let (done, last) = match current.rfind(',') {
        Some(at) => current.split_at(at + 1),
        None => ("", current.as_ref()),
    };
    let (sign, last) = match last.strip_prefix(['+', '-']) {
        Some(rest) => (&last[..1], rest),
        None => ("", last),
    };
    crate::columns::list_text()
        .lines()
        .filter_map(|line| {
            let (key, help) = line.split_once(' ')?;
            key.starts_with(last)
                .then(|| candidate(format!("{done}{sign}{key}"), help.trim()))
        })
        .collect()
}

/// Signal names, for `-s`/`--signal`.
pub fn signal_names() -> Vec<CompletionCandidate> {
    Signal::all()
        .into_iter()
        .map(|s| candidate(s.name(), &s.description()))
        .collect()
}

/// Pids of the processes now running, each with its name.
pub fn pids(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let Ok(snapshot) = ProcSource::new(None).snapshot(Needs::STAT, false) else {
        return Vec::new();
    };
    snapshot
        .processes
        .iter()
        .filter(|p| p.pid.to_string().starts_with(current.as_ref()))
        .map(|p| candidate(p.pid.to_string(), &escape_bytes(&p.name)))
        .collect()
}

/// Names of the processes now running, for `--name`.
pub fn process_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let Ok(snapshot) = ProcSource::new(None).snapshot(Needs::STAT, false) else {
        return Vec::new();
    };
    let mut names: Vec<String> = snapshot
        .processes
        .iter()
        .filter_map(|p| std::str::from_utf8(&p.name).ok().map(str::to_string))
        .filter(|n| n.starts_with(current.as_ref()) && !n.contains(char::is_control))
        .collect();
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// User names from the password database, for `-u`.
pub fn users(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let (done, last) = match current.rfind(',') {
        Some(at) => current.split_at(at + 1),
        None => ("", current.as_ref()),
    };
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|u| !u.is_empty() && u.starts_with(last))
        .map(|u| CompletionCandidate::new(format!("{done}{u}")))
        .collect()
}

/// A number gets the duration units after it (`5` → `5s`, `5m`, ...).
pub fn durations(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    if current.is_empty() || !current.ends_with(|c: char| c.is_ascii_digit()) {
        return Vec::new();
    }
    [
        ("ms", "milliseconds"),
        ("s", "seconds"),
        ("m", "minutes"),
        ("h", "hours"),
        ("d", "days"),
    ]
    .into_iter()
    .map(|(unit, what)| candidate(format!("{current}{unit}"), what))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(c: Vec<CompletionCandidate>) -> Vec<String> {
        c.into_iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn column_lists_complete_the_last_item() {
        let v = values(column_list(OsStr::new("pid,pp")));
        assert_eq!(v, ["pid,ppid"]);
        assert_eq!(values(column_list(OsStr::new("-%c"))), ["-%cpu"]);
    }

    #[test]
    fn durations_get_units() {
        assert_eq!(values(durations(OsStr::new("5")))[..2], ["5ms", "5s"]);
        assert!(durations(OsStr::new("5s")).is_empty());
    }

    #[test]
    fn signals_are_named() {
        assert!(values(signal_names()).contains(&"TERM".to_string()));
    }
}
