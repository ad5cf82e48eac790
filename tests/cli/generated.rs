//! completions/ and man/ are generated from the clap definitions and
//! committed; this fails when they are stale. Regenerate with
//! `PROCTL_BLESS=1 cargo test --test cli generated`.

use std::path::Path;

use clap_complete::Shell;

fn check(path: &Path, content: &[u8], stale: &mut Vec<String>) {
    if std::env::var_os("PROCTL_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    } else if std::fs::read(path).ok().as_deref() != Some(content) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn generated_completions_and_man_pages_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut cmd = proctl::cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "proctl", &mut buf);
        let name = match shell {
            Shell::Bash => "proctl.bash",
            Shell::Zsh => "_proctl",
            Shell::Fish => "proctl.fish",
            Shell::Elvish => "proctl.elv",
            _ => "_proctl.ps1",
        };
        check(&root.join("completions").join(name), &buf, &mut stale);
    }
    for (file, page) in proctl::manual::pages().expect("render man pages") {
        check(&root.join("man").join(file), &page, &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run PROCTL_BLESS=1 cargo test --test cli generated"
    );
}
