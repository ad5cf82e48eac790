//! proctl: a Linux process inspector and control tool.

pub mod cli;
pub mod cmd;
pub mod columns;
pub mod duration;
pub mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod model;
pub mod render;
pub mod select;
pub mod signal;
pub mod spawn;
pub mod startup;
pub mod terminal;

use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::cli::{Cli, Command};
use crate::error::{Error, Exit};
use crate::model::ProcSource;
use crate::render::Theme;
use crate::terminal::Terminal;

/// Runs proctl with these arguments and returns the exit status; errors are
/// printed as one `proctl: ...` line.
pub fn main_with_args(args: Vec<OsString>) -> Exit {
    let args = rewrite_args(args);
    let parsed = cli::command()
        .try_get_matches_from(args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(pair) => pair,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return Exit::Success;
        }
        Err(e) => {
            eprintln!("proctl: {}", one_line(&e));
            return Exit::Usage;
        }
    };
    match run(cli, &matches) {
        Ok(exit) => exit,
        Err(e) if e.is_broken_pipe() => Exit::Success,
        Err(e) => {
            eprintln!("proctl: {e}");
            e.exit()
        }
    }
}

fn run(cli: Cli, matches: &clap::ArgMatches) -> Result<Exit, Error> {
    let term = Terminal::stdout();
    let theme = Theme::decide(cli.color, term.is_tty);
    let source = ProcSource::new(cli.proc_root);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let exit = match cli.command {
        Command::Ps(cli::Deferred(args)) => {
            let config = cmd::ps::PsConfig::from_args(&args, &term, theme)?;
            cmd::ps::run(&config, &source, &mut out)?
        }
        Command::Pstree(cli::Deferred(args)) => {
            let never = cli.color == cli::ColorWhen::Never;
            let config = cmd::pstree::PstreeConfig::from_args(&args, &term, theme, never)?;
            cmd::pstree::run(&config, &source, &mut out)?
        }
        Command::Signal(cli::Deferred(args)) => {
            let mode = cmd::signal::SignalMode::from_args(&args)?;
            let exit = cmd::signal::run(&mode, &source, &mut out)?;
            out.flush()?;
            exit
        }
        Command::Spawn(cli::Deferred(args)) => {
            let ops = matches
                .subcommand_matches("spawn")
                .map(|m| cli::values_in_order(m, &["env", "unset", "env_file"]))
                .unwrap_or_default();
            let color = theme.enabled();
            let config = cmd::spawn::SpawnConfig::from_args(&args, ops, color)?;
            let exit = cmd::spawn::run(&config, &mut out);
            out.flush()?;
            exit?
        }
        Command::Show(cli::Deferred(args)) => {
            let config = cmd::show::ShowConfig::from_args(&args, theme)?;
            cmd::show::run(&config, &source, &mut out)?
        }
        Command::Ports(cli::Deferred(args)) => {
            let config = cmd::ports::PortsConfig::from_args(&args, &term, theme)?;
            cmd::ports::run(&config, &source, &mut out)?
        }
        Command::Wait(cli::Deferred(args)) => {
            let config = cmd::wait::WaitConfig::from_args(&args)?;
            cmd::wait::run(&config, &source, &mut out)?
        }
    };
    out.flush()?;
    Ok(exit)
}

/// Clap's message folded into one line, keeping its tip when it has one.
fn one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines
        .next()
        .unwrap_or("bad usage")
        .trim_start_matches("error: ");
    match lines.find(|l| l.starts_with("tip: ")) {
        Some(tip) => format!("{first} ({tip})"),
        None => format!("{first} (see 'proctl --help')"),
    }
}

/// Multi-call (a link named `ps` runs `proctl ps`) and procps's BSD-style
/// options (`ps aux`): both become ordinary clap arguments here.
pub fn rewrite_args(mut args: Vec<OsString>) -> Vec<OsString> {
    let invoked = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    if invoked == "ps" || invoked == "pstree" {
        args.insert(1, OsString::from(invoked));
    }
    let Some(sub) = subcommand_position(&args) else {
        return args;
    };
    if args[sub] == "signal" || args[sub] == "kill" {
        // kill(1)'s signal comes first; proctl's own switches may precede it.
        let at = (sub + 1..args.len()).find(|&i| !args[i].to_str().is_some_and(is_signal_switch));
        if let Some(i) = at
            && let Some(spec) = args[i].to_str().and_then(kill_style_signal)
        {
            args[i] = OsString::from(format!("--signal={spec}"));
        }
        return args;
    }
    if args[sub] == "ps"
        && let Some(first) = args.get(sub + 1).and_then(|a| a.to_str())
        && is_bsd_letters(first)
    {
        let letters = first.to_string();
        args[sub + 1] = OsString::from(format!("--bsd={letters}"));
    }
    args
}

/// The index of the subcommand, skipping global options before it.
fn subcommand_position(args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_str()?;
        if a == "--color" || a == "--proc-root" {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            return Some(i);
        }
    }
    None
}

/// The switches of `proctl signal` that take no value.
fn is_signal_switch(arg: &str) -> bool {
    matches!(
        arg,
        "-v" | "-y"
            | "-f"
            | "-x"
            | "--verbose"
            | "--yes"
            | "--force"
            | "--full"
            | "--exact"
            | "--dry-run"
            | "--wait"
            | "--newest"
            | "--oldest"
    )
}

/// kill(1)'s `-9`, `-TERM`, `-SIGHUP`: the signal spec, when the argument
/// is one and not one of proctl's own short options.
fn kill_style_signal(arg: &str) -> Option<&str> {
    let spec = arg.strip_prefix('-')?;
    if spec.starts_with('-')
        || matches!(
            spec,
            "s" | "l" | "L" | "f" | "x" | "u" | "P" | "y" | "v" | "h" | "V"
        )
    {
        return None;
    }
    signal::parse_signal(spec).ok().map(|_| spec)
}

/// Whether an argument is a cluster of the BSD option letters proctl knows.
fn is_bsd_letters(arg: &str) -> bool {
    !arg.is_empty() && arg.chars().all(|c| "auxwfh".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(args: &[&str]) -> Vec<String> {
        rewrite_args(args.iter().map(OsString::from).collect())
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn bsd_letters_become_an_option() {
        assert_eq!(
            rewrite(&["proctl", "ps", "aux"]),
            ["proctl", "ps", "--bsd=aux"]
        );
        assert_eq!(
            rewrite(&["proctl", "--color", "never", "ps", "axww"]),
            ["proctl", "--color", "never", "ps", "--bsd=axww"]
        );
        assert_eq!(
            rewrite(&["proctl", "ps", "nginx"]),
            ["proctl", "ps", "nginx"]
        );
        assert_eq!(rewrite(&["proctl", "ps", "-ef"]), ["proctl", "ps", "-ef"]);
    }

    #[test]
    fn kill_style_signals_become_an_option() {
        assert_eq!(
            rewrite(&["proctl", "kill", "-9", "42"]),
            ["proctl", "kill", "--signal=9", "42"]
        );
        assert_eq!(
            rewrite(&["proctl", "kill", "-TERM", "42"]),
            ["proctl", "kill", "--signal=TERM", "42"]
        );
        assert_eq!(
            rewrite(&["proctl", "signal", "-sigusr1", "42"]),
            ["proctl", "signal", "--signal=sigusr1", "42"]
        );
        assert_eq!(
            rewrite(&["proctl", "kill", "-l", "15"]),
            ["proctl", "kill", "-l", "15"]
        );
        assert_eq!(
            rewrite(&["proctl", "kill", "-s", "INT", "42"]),
            ["proctl", "kill", "-s", "INT", "42"]
        );
        assert_eq!(
            rewrite(&["proctl", "kill", "-4242", "1"]),
            ["proctl", "kill", "-4242", "1"]
        );
        assert_eq!(
            rewrite(&["proctl", "kill", "-v", "-9", "42"]),
            ["proctl", "kill", "-v", "--signal=9", "42"]
        );
        assert_eq!(
            rewrite(&["proctl", "kill", "42", "-9"]),
            ["proctl", "kill", "42", "-9"]
        );
    }

    #[test]
    fn multi_call_through_a_link_named_ps() {
        assert_eq!(
            rewrite(&["/usr/local/bin/ps", "aux"]),
            ["/usr/local/bin/ps", "ps", "--bsd=aux"]
        );
        assert_eq!(rewrite(&["ps", "-ef"]), ["ps", "ps", "-ef"]);
    }
}
