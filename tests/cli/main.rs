//! Integration tests: they run the built `proctl` binary.

mod completion;
mod fuzz_corpus;
mod generated;
mod hardening;
mod kill_link;
mod pgrep;
mod ports;
mod procps_peer;
mod ps_behaviour;
mod ps_differential;
mod ps_golden;
mod ps_namespace;
mod ps_regressions;
mod ps_terminal;
mod pstree;
mod set;
mod show;
mod signal;
mod signal_rules;
mod spawn;
mod spawn_contract;
mod spawn_coreutils;
mod spawn_terminal;
mod terminal;
mod untrusted_text;
mod util;
