//! The report of `proctl show`: sections of labelled values as text
//! (`text`), or one flat JSON object (`json`).

use std::collections::BTreeMap;

use super::theme::Theme;
use crate::model::SystemFacts;
use crate::model::detail::{ProcessDetail, mask_signals};
use crate::model::files::FdKind;
use crate::signal::Signal;

mod json;
mod text;
pub use json::{to_json, unix_peer_json};
pub use text::write_text;

/// What to include and how.
#[derive(Debug, Clone, Copy)]
pub struct ShowOptions {
    pub threads: bool,
    pub files: bool,
    pub maps: bool,
    pub env: bool,
    pub show_secrets: bool,
    pub theme: Theme,
}

const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "KEY",
    "CREDENTIAL",
    "AUTH",
    "PRIVATE",
    "COOKIE",
];

/// Whether an environment variable's name looks like it holds a secret.
pub fn is_secret_name(name: &[u8]) -> bool {
    let upper = String::from_utf8_lossy(name).to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

pub(crate) const MASK: &[u8] = b"********";

pub(crate) fn policy_name(policy: Option<u32>) -> &'static str {
    match policy {
        Some(0) => "normal",
        Some(1) => "fifo",
        Some(2) => "round-robin",
        Some(3) => "batch",
        Some(5) => "idle",
        Some(6) => "deadline",
        _ => "-",
    }
}

pub(crate) fn names(mask: u64) -> Vec<String> {
    mask_signals(mask)
        .into_iter()
        .map(|n| Signal::from_number(n).map_or_else(|| n.to_string(), Signal::name))
        .collect()
}

pub(crate) fn fd_counts(d: &ProcessDetail) -> Option<BTreeMap<FdKind, usize>> {
    d.files.as_ref().ok().map(|files| {
        let mut counts = BTreeMap::new();
        for f in files {
            *counts.entry(f.kind).or_insert(0) += 1;
        }
        counts
    })
}

pub(crate) fn cpu_percent(d: &ProcessDetail, sys: &SystemFacts) -> f64 {
    let life = sys.boot_ticks.saturating_sub(d.info.start_ticks);
    if life == 0 {
        0.0
    } else {
        (d.info.cpu_ticks() as f64 * 1000.0 / life as f64).floor() / 10.0
    }
}

pub(crate) fn mem_percent(rss_kib: u64, sys: &SystemFacts) -> f64 {
    if sys.mem_total_kib == 0 {
        0.0
    } else {
        (rss_kib as f64 * 1000.0 / sys.mem_total_kib as f64).floor() / 10.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "GITHUB_TOKEN",
            "db_password",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "npm_config__auth",
        ] {
            assert!(is_secret_name(name.as_bytes()), "{name}");
        }
        for name in ["PATH", "HOME", "LANG", "TERM"] {
            assert!(!is_secret_name(name.as_bytes()), "{name}");
        }
    }
}
