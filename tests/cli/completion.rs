//! Shell completion driven through real shells: bash's completion function
//! and fish's `complete -C`, both asking the built binary for values.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::util::{binary, which};

/// PATH with the built binary first, so the scripts' `proctl` is it.
fn path_with_binary() -> String {
    let dir = binary().parent().unwrap().to_path_buf();
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn completions_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/completions"))
}

/// What bash offers for the last word of `line`.
fn bash(line: &[&str]) -> Vec<String> {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source {}/proctl.bash; COMP_WORDS=({}); COMP_CWORD={}; COMP_TYPE=9; \
         _clap_complete_proctl proctl '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        completions_dir().display(),
        words.join(" "),
        line.len() - 1,
        line.last().unwrap()
    );
    let out = StdCommand::new(which("bash"))
        .args(["--norc", "-c", &script])
        .env("PATH", path_with_binary())
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_values() {
    let signals = bash(&["proctl", "kill", "-s", "TE"]);
    assert_eq!(signals, ["TERM"], "{signals:?}");
    let columns = bash(&["proctl", "signal", "--timeout", "5"]);
    assert!(columns.contains(&"5s".to_string()), "{columns:?}");
    let users = bash(&["proctl", "signal", "-u", "roo"]);
    assert_eq!(users, ["root"], "{users:?}");
    let me = std::process::id().to_string();
    let pids = bash(&["proctl", "kill", &me]);
    assert!(pids.iter().any(|p| p.starts_with(&me)), "{pids:?}");
    let formats = bash(&["proctl", "signal", "--format", "j"]);
    assert_eq!(formats, ["json"], "{formats:?}");
    // Hidden options stay hidden.
    let options = bash(&["proctl", "--"]);
    assert!(options.contains(&"--color".to_string()), "{options:?}");
    assert!(
        !options.iter().any(|o| o.contains("proc-root")),
        "{options:?}"
    );
}

#[test]
fn fish_completes_values() {
    let Ok(fish) = std::env::var("PATH").map(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("fish"))
            .find(|f| f.is_file())
    }) else {
        return;
    };
    let Some(fish) = fish else {
        // .ci/install-peers installs fish; a developer machine may lack it.
        eprintln!("skipped: fish is not installed");
        return;
    };
    let script = format!(
        "source {}/proctl.fish; complete -C 'proctl kill -s KI'",
        completions_dir().display()
    );
    let out = StdCommand::new(fish)
        .args(["--no-config", "-c", &script])
        .env("PATH", path_with_binary())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let values: Vec<&str> = text
        .lines()
        .map(|l| l.split('\t').next().unwrap_or(""))
        .collect();
    assert_eq!(values, ["KILL"], "{text}");
}
