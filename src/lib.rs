//! proctl: a Linux process inspector and control tool.

pub mod adjust;
pub mod cli;
pub mod cmd;
pub mod columns;
pub mod complete;
pub mod duration;
pub mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod manual;
pub mod model;
pub mod personality;
pub mod procps;
pub mod render;
pub mod select;
pub mod signal;
pub mod spawn;
pub mod startup;
pub mod targets;
pub mod terminal;
pub mod top;

use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::cli::{Cli, Command};
use crate::error::{Error, Exit};
use crate::model::ProcSource;
use crate::render::Theme;
use crate::terminal::Terminal;

/// The environment variable through which shells ask for completions.
pub const COMPLETE_VAR: &str = "PROCTL_COMPLETE";

/// Runs proctl with these arguments and returns the exit status; errors are
/// printed as one `proctl: ...` line.
pub fn main_with_args(args: Vec<OsString>) -> Exit {
    // Links named kill, pkill, pgrep or pidwait speak procps's grammar.
    if let Some(exit) = personality::dispatch(&args) {
        return exit;
    }
    // A shell asking for completions (PROCTL_COMPLETE=bash proctl ...):
    // answer and exit. A variable of proctl's own, so that a COMPLETE set
    // for another tool cannot change what proctl does.
    if std::env::var_os(COMPLETE_VAR).is_some_and(|v| !v.is_empty()) {
        clap_complete::CompleteEnv::with_factory(cli::command)
            .var(COMPLETE_VAR)
            .complete();
    }
    let args = match rewrite_args(args) {
        Ok(args) => args,
        Err(e) => {
            error::warn(&e);
            return e.exit();
        }
    };
    let subcommand = subcommand_position(&args)
        .and_then(|i| args[i].to_str())
        .map(str::to_string);
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
            error::warn(one_line(&e, subcommand.as_deref()));
            return Exit::Usage;
        }
    };
    match run(cli, &matches) {
        Ok(exit) => exit,
        Err(e) if e.is_broken_pipe() => Exit::Success,
        Err(e) => {
            error::warn(&e);
            e.exit()
        }
    }
}

fn run(cli: Cli, matches: &clap::ArgMatches) -> Result<Exit, Error> {
    let term = Terminal::stdout();
    let theme = Theme::decide(cli.color, term.is_tty);
    let source = ProcSource::new(cli.proc_root);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(
        64 * 1024,
        error::Stdout::new(startup::StandardOutput::new(stdout.lock())),
    );
    let exit = match cli.command {
        Command::Ps(cli::Deferred(args)) => {
            columns::keys::init_pid_length(source.root());
            let plan = cmd::ps::PsPlan::from_args(&args, &term, theme)?;
            cmd::ps::run_plan(&plan, &source, &mut out)?
        }
        Command::Pstree(cli::Deferred(args)) => {
            let config = cmd::pstree::PstreeConfig::from_args(&args, &term, theme)?;
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
            // Flushed by the match below, which knows whether spawn has
            // already reported a failed write.
            cmd::spawn::run(&config, &mut out)?
        }
        Command::Show(cli::Deferred(args)) => {
            let config = cmd::show::ShowConfig::from_args(&args, &source, theme)?;
            cmd::show::run(&config, &source, &mut out)?
        }
        Command::Ports(cli::Deferred(args)) => {
            let config = cmd::ports::PortsConfig::from_args(&args, &term, theme)?;
            cmd::ports::run(&config, &source, &mut out)?
        }
        Command::Set(cli::Deferred(args)) => {
            let config = cmd::set::SetConfig::from_args(&args)?;
            cmd::set::run(&config, &source, &mut out)?
        }
        Command::Wait(cli::Deferred(args)) => {
            let config = cmd::wait::WaitConfig::from_args(&args)?;
            cmd::wait::run(&config, &source, &mut out)?
        }
        Command::Top(cli::Deferred(args)) => {
            // Its pid columns are as wide as ps's, from the same source.
            columns::keys::init_pid_length(source.root());
            let config = cmd::top::TopConfig::from_args(&args, &term, theme)?;
            cmd::top::run(&config, source, &mut out)?
        }
    };
    let told = out.get_ref().failed();
    match out.flush() {
        // A command that was handed a write error and still returned
        // said why itself (spawn's "cannot write the pid to stdout"); the
        // same unwritten bytes must not fail it again. Any other failed
        // flush is reported, whatever the command's status.
        Err(_) if told && exit != Exit::Success => Ok(exit),
        flushed => flushed.map(|()| exit).map_err(Error::from),
    }
}

/// Clap's message folded into one line, keeping its tip when it has one,
/// and naming the help of the subcommand it is about.
fn one_line(e: &clap::Error, subcommand: Option<&str>) -> String {
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut first = lines
        .next()
        .unwrap_or("bad usage")
        .trim_start_matches("error: ")
        .to_string();
    if first.ends_with(':') {
        // "the following required arguments were not provided:" lists
        // them on the lines below, up to the usage.
        let listed: Vec<&str> = lines
            .clone()
            .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("tip:"))
            .collect();
        first = format!("{} {}", first, listed.join(", "));
    }
    let help = subcommand
        .and_then(|name| {
            let cmd = cli::command();
            cmd.find_subcommand(name)
                .map(|sub| format!("proctl {} --help", sub.get_name()))
        })
        .unwrap_or_else(|| "proctl --help".to_string());
    match lines.find(|l| l.starts_with("tip: ")) {
        Some(tip) => format!("{first} ({tip}; see '{help}')"),
        None => format!("{first} (see '{help}')"),
    }
}

/// Multi-call (a link named `ps` runs `proctl ps`), procps's BSD-style
/// options (`ps aux`) and kill's `-SIG`: all become ordinary clap
/// arguments here. An ambiguous or invalid signal is an error.
pub fn rewrite_args(mut args: Vec<OsString>) -> Result<Vec<OsString>, Error> {
    let invoked = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string();
    if invoked == "ps" {
        // Under the name ps, every command line is procps's, even an empty one.
        args.insert(1, OsString::from("ps"));
        args.insert(2, OsString::from("--procps-personality"));
    } else if invoked == "pstree" {
        args.insert(1, OsString::from(invoked));
    }
    let Some(sub) = subcommand_position(&args) else {
        return Ok(args);
    };
    if args[sub] == "signal" || args[sub] == "kill" {
        let rest = signal::grammar::normalize(&args[sub + 1..])?;
        args.truncate(sub + 1);
        args.extend(rest);
        return Ok(args);
    }
    if args[sub] == "pstree" || args[sub] == "tree" {
        pstree_color_by_age(&mut args, sub + 1);
        return Ok(args);
    }
    if args[sub] == "ps" {
        ps_keep_double_dash(&mut args, sub + 1);
    }
    Ok(args)
}

/// procps's `ps` has no `--` separator: `ps -- -p 1` and `ps --` are its
/// "garbage option" (ps(1) lists no such option). Clap would take a first
/// `--` as its own separator, so that one is passed on doubled.
fn ps_keep_double_dash(args: &mut Vec<OsString>, from: usize) {
    let mut i = from;
    while let Some(a) = args.get(i).and_then(|a| a.to_str()) {
        match a {
            "--procps-personality" => i += 1,
            "--color" | "--proc-root" => i += 2,
            "--" => {
                args.insert(i, OsString::from("--"));
                return;
            }
            _ if a.starts_with("--color=") || a.starts_with("--proc-root=") => i += 1,
            _ => return,
        }
    }
}

/// psmisc's `pstree --color=age` (or an abbreviation such as `--col age`)
/// is its `-C age`, not proctl's global `--color WHEN`: rewritten to `-C`.
fn pstree_color_by_age(args: &mut [OsString], from: usize) {
    let is_color = |name: &str| name.len() >= 3 && "color".starts_with(name);
    let mut i = from;
    while i < args.len() {
        let Some(a) = args[i].to_str().and_then(|a| a.strip_prefix("--")) else {
            i += 1;
            continue;
        };
        if a.is_empty() {
            break;
        }
        match a.split_once('=') {
            Some((name, value)) if is_color(name) && value.eq_ignore_ascii_case("age") => {
                args[i] = OsString::from(format!("-C{value}"));
            }
            None if is_color(a)
                && args
                    .get(i + 1)
                    .and_then(|v| v.to_str())
                    .is_some_and(|v| v.eq_ignore_ascii_case("age")) =>
            {
                args[i] = OsString::from("-C");
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(args: &[&str]) -> Vec<String> {
        rewrite_args(args.iter().map(OsString::from).collect())
            .unwrap()
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn kill_style_signals_become_an_option() {
        assert_eq!(
            rewrite(&["proctl", "kill", "-9", "42"]),
            ["proctl", "kill", "--signal=9", "42"]
        );
        assert_eq!(
            rewrite(&["proctl", "--color", "never", "signal", "-HUP", "42"]),
            ["proctl", "--color", "never", "signal", "--signal=HUP", "42"]
        );
        assert!(
            rewrite_args(
                ["proctl", "kill", "-4242", "1"]
                    .map(OsString::from)
                    .to_vec()
            )
            .is_err()
        );
    }

    #[test]
    fn multi_call_through_a_link_named_ps() {
        assert_eq!(
            rewrite(&["/usr/local/bin/ps", "aux"]),
            ["/usr/local/bin/ps", "ps", "--procps-personality", "aux"]
        );
        assert_eq!(
            rewrite(&["ps", "-ef"]),
            ["ps", "ps", "--procps-personality", "-ef"]
        );
        assert_eq!(rewrite(&["proctl", "ps", "aux"]), ["proctl", "ps", "aux"]);
        // procps has no `--`: it reaches the grammar, which rejects it.
        assert_eq!(
            rewrite(&["ps", "--", "-p", "1"]),
            ["ps", "ps", "--procps-personality", "--", "--", "-p", "1"]
        );
        assert_eq!(
            rewrite(&["proctl", "ps", "--color", "never", "--"]),
            ["proctl", "ps", "--color", "never", "--", "--"]
        );
        assert_eq!(
            rewrite(&["proctl", "ps", "-e", "--"]),
            ["proctl", "ps", "-e", "--"]
        );
    }
}
