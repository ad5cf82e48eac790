//! completions/ and man/ are generated from the clap definitions and
//! committed; this fails when they are stale. Regenerate with
//! `PROCTL_BLESS=1 cargo test --test cli generated`.

use std::path::Path;

use clap_complete::env::{self, EnvCompleter};

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
    // The shells ask `proctl` itself for completions (clap_complete's
    // dynamic completion); these scripts register it with each shell.
    let shells: [(&dyn EnvCompleter, &str); 5] = [
        (&env::Bash, "proctl.bash"),
        (&env::Zsh, "_proctl"),
        (&env::Fish, "proctl.fish"),
        (&env::Elvish, "proctl.elv"),
        (&env::Powershell, "_proctl.ps1"),
    ];
    for (shell, file) in shells {
        let mut buf = Vec::new();
        shell
            .write_registration(proctl::COMPLETE_VAR, "proctl", "proctl", "proctl", &mut buf)
            .unwrap();
        check(&root.join("completions").join(file), &buf, &mut stale);
    }
    for (file, page) in proctl::manual::pages().expect("render man pages") {
        check(&root.join("man").join(file), &page, &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run PROCTL_BLESS=1 cargo test --test cli generated"
    );
}
