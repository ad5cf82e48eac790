//! Where the signal is on a `proctl signal`/`proctl kill` command line.
//!
//! kill(1) and pkill write the signal as `-SIG` (`-9`, `-HUP`, `-sigterm`),
//! which a general option parser cannot tell from a short option or a
//! negative process group. This pass reads the command line with the
//! subcommand's own option table and applies these rules, then hands clap
//! `--signal=SIG` in place of the `-SIG` it found:
//!
//! * With a pkill-style selector (`--name`, `--user`, ...), every `-SIG`
//!   is the signal, wherever it stands, as in pkill(1).
//! * Otherwise, before the first target and before any other signal option,
//!   `-SIG` is the signal, as in kill(1); after that, `-N` is process
//!   group N (kill(1): "kill -9 -1"), and `-NAME` may still give the signal
//!   when none was given yet (procps kill accepts `kill PID -HUP`).
//! * A `-N` read as a signal must be a signal: `-32151` is an error, never a
//!   process group. Two signals are an error. `--` ends options: what follows
//!   is targets.

use std::ffi::OsString;

use clap::{ArgAction, Args, CommandFactory};

use super::parse_signal;
use crate::cli::{Cli, SelectorArgs, SignalArgs};
use crate::error::{Error, Result};

/// What one argument is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An option (or the value attached to it); `selector` when it is one of
    /// the pkill-style selectors; `signal` when it gives the signal itself.
    Option { selector: bool, signal: bool },
    /// The value of the option before it.
    Value,
    /// A target or other positional argument.
    Positional,
    /// `--`.
    EndOfOptions,
    /// `-SIG` whose SIG is a signal name (`numeric` false) or a number.
    Signal { spec: String, numeric: bool },
}

/// One option of `proctl signal`, as clap defines it.
struct OptionSpec {
    short: Option<char>,
    longs: Vec<String>,
    takes_value: bool,
    /// Takes several values (`-l 15 9`).
    many: bool,
    id: String,
}

/// The options of `proctl signal`, global ones included.
struct OptionTable {
    options: Vec<OptionSpec>,
    selector_ids: Vec<String>,
}

impl OptionTable {
    fn build() -> OptionTable {
        let sub = SignalArgs::augment_args(clap::Command::new("signal"));
        let top = Cli::command();
        let selectors = SelectorArgs::augment_args(clap::Command::new("select"));
        let selector_ids = selectors
            .get_arguments()
            .map(|a| a.get_id().to_string())
            .collect();
        let options = sub
            .get_arguments()
            .chain(top.get_arguments())
            .filter(|a| !a.is_positional())
            .map(|a| {
                let mut longs: Vec<String> = a.get_long().into_iter().map(String::from).collect();
                longs.extend(
                    a.get_all_aliases()
                        .unwrap_or_default()
                        .into_iter()
                        .map(String::from),
                );
                OptionSpec {
                    short: a.get_short(),
                    longs,
                    takes_value: matches!(a.get_action(), ArgAction::Set | ArgAction::Append),
                    many: a.get_num_args().is_some_and(|n| n.max_values() > 1),
                    id: a.get_id().to_string(),
                }
            })
            .chain(["help", "version"].map(|id| {
                OptionSpec {
                    short: id
                        .chars()
                        .next()
                        .map(|c| if id == "version" { 'V' } else { c }),
                    longs: vec![id.to_string()],
                    takes_value: false,
                    many: false,
                    id: id.to_string(),
                }
            }))
            .collect();
        OptionTable {
            options,
            selector_ids,
        }
    }

    fn by_long(&self, long: &str) -> Option<&OptionSpec> {
        self.options
            .iter()
            .find(|o| o.longs.iter().any(|l| l == long))
    }

    fn by_short(&self, short: char) -> Option<&OptionSpec> {
        self.options.iter().find(|o| o.short == Some(short))
    }

    fn is_selector(&self, id: &str) -> bool {
        self.selector_ids.iter().any(|s| s == id)
    }
}

/// Whether an option id sets the signal.
fn sets_signal(id: &str) -> bool {
    id == "signal" || id == "signal_number"
}

/// `-SIG` when the text after the dash is a signal name or any number.
fn signal_token(arg: &str) -> Option<Token> {
    let spec = arg.strip_prefix('-')?;
    if spec.is_empty() || spec.starts_with('-') {
        return None;
    }
    if spec.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Token::Signal {
            spec: spec.to_string(),
            numeric: true,
        });
    }
    parse_signal(spec).ok().map(|_| Token::Signal {
        spec: spec.to_string(),
        numeric: false,
    })
}

/// Classifies every argument after the subcommand.
fn classify(table: &OptionTable, args: &[OsString]) -> Result<Vec<Token>> {
    let mut tokens = Vec::with_capacity(args.len());
    let mut i = 0;
    let mut ended = false;
    while i < args.len() {
        let Some(arg) = args[i].to_str() else {
            tokens.push(Token::Positional);
            i += 1;
            continue;
        };
        if ended {
            tokens.push(Token::Positional);
        } else if arg == "--" {
            ended = true;
            tokens.push(Token::EndOfOptions);
        } else if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            match table.by_long(name) {
                Some(spec) => {
                    tokens.push(Token::Option {
                        selector: table.is_selector(&spec.id),
                        signal: sets_signal(&spec.id),
                    });
                    if spec.takes_value && !inline {
                        i += 1;
                        if i < args.len() {
                            tokens.push(Token::Value);
                        }
                        if spec.many {
                            while i + 1 < args.len()
                                && !args[i + 1].to_str().is_some_and(|a| a.starts_with('-'))
                            {
                                i += 1;
                                tokens.push(Token::Value);
                            }
                        }
                    }
                }
                // clap names the unknown option.
                None => tokens.push(Token::Option {
                    selector: false,
                    signal: false,
                }),
            }
        } else if let Some(token) = signal_token(arg) {
            tokens.push(token);
        } else if let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) {
            let mut selector = false;
            let mut signal = false;
            let mut needs_value = false;
            let mut many = false;
            for (at, c) in cluster.char_indices() {
                let Some(spec) = table.by_short(c) else {
                    return Err(unknown(cluster, at == 0));
                };
                selector |= table.is_selector(&spec.id);
                signal |= sets_signal(&spec.id);
                if spec.takes_value {
                    needs_value = at + c.len_utf8() == cluster.len();
                    many = spec.many;
                    break;
                }
            }
            tokens.push(Token::Option { selector, signal });
            if needs_value {
                i += 1;
                if i < args.len() {
                    tokens.push(Token::Value);
                }
            }
            if many {
                while i + 1 < args.len()
                    && !args[i + 1].to_str().is_some_and(|a| a.starts_with('-'))
                {
                    i += 1;
                    tokens.push(Token::Value);
                }
            }
        } else {
            tokens.push(Token::Positional);
        }
        i += 1;
    }
    Ok(tokens)
}

/// The error for `-BOGUS`: it reads as a signal that does not exist.
fn unknown(cluster: &str, first: bool) -> Error {
    match parse_signal(cluster) {
        Err(e) if first => e,
        _ => Error::usage(format!("unknown option in '-{cluster}'")),
    }
}

/// Rewrites the arguments after `proctl signal` so that clap sees the
/// signal as `--signal=SIG`; errors for an ambiguous or invalid signal.
pub fn normalize(args: &[OsString]) -> Result<Vec<OsString>> {
    let table = OptionTable::build();
    let tokens = classify(&table, args)?;
    let pkill_style = tokens
        .iter()
        .any(|t| matches!(t, Token::Option { selector: true, .. }));
    let mut signal_given = false;
    let mut seen_target = false;
    let mut out = Vec::with_capacity(args.len());
    let mut signal_at: Option<usize> = None;
    for (i, (arg, token)) in args.iter().zip(&tokens).enumerate() {
        match token {
            Token::Positional => {
                seen_target = true;
                out.push(arg.clone());
            }
            Token::Signal { spec, numeric } => {
                let is_signal = pkill_style || (!seen_target && !signal_given) || !numeric;
                if !is_signal {
                    // kill(1): after the signal or a target, -N is process group N.
                    seen_target = true;
                    out.push(arg.clone());
                    continue;
                }
                parse_signal(spec)?;
                if signal_given {
                    let first = signal_at
                        .map(|at| args[at].to_string_lossy().into_owned())
                        .unwrap_or_else(|| "-s/-n".to_string());
                    return Err(Error::usage(format!(
                        "two signals given ({first} and -{spec}); to name process group \
                         {spec} write it after a target or after --"
                    )));
                }
                signal_given = true;
                signal_at = Some(i);
                out.push(OsString::from(format!("--signal={spec}")));
            }
            Token::Option { signal, .. } => {
                signal_given |= *signal;
                out.push(arg.clone());
            }
            Token::Value | Token::EndOfOptions => out.push(arg.clone()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(args: &[&str]) -> Result<Vec<String>> {
        let os: Vec<OsString> = args.iter().map(OsString::from).collect();
        normalize(&os).map(|v| v.into_iter().map(|a| a.into_string().unwrap()).collect())
    }

    #[test]
    fn signal_before_the_first_target() {
        assert_eq!(norm(&["-9", "42"]).unwrap(), ["--signal=9", "42"]);
        assert_eq!(norm(&["-TERM", "42"]).unwrap(), ["--signal=TERM", "42"]);
        assert_eq!(
            norm(&["-sigusr1", "42"]).unwrap(),
            ["--signal=sigusr1", "42"]
        );
        assert_eq!(
            norm(&["-v", "-9", "42"]).unwrap(),
            ["-v", "--signal=9", "42"]
        );
        assert_eq!(
            norm(&["--format", "json", "-9", "42"]).unwrap(),
            ["--format", "json", "--signal=9", "42"]
        );
        assert_eq!(norm(&["-0", "42"]).unwrap(), ["--signal=0", "42"]);
    }

    #[test]
    fn negative_numbers_after_a_target_or_signal_are_groups() {
        assert_eq!(norm(&["42", "-9"]).unwrap(), ["42", "-9"]);
        assert_eq!(norm(&["-9", "-1"]).unwrap(), ["--signal=9", "-1"]);
        assert_eq!(norm(&["-s", "HUP", "-77"]).unwrap(), ["-s", "HUP", "-77"]);
        assert_eq!(norm(&["--", "-4321"]).unwrap(), ["--", "-4321"]);
    }

    #[test]
    fn a_name_after_a_target_is_the_signal() {
        assert_eq!(norm(&["42", "-HUP"]).unwrap(), ["42", "--signal=HUP"]);
        assert!(norm(&["-TERM", "42", "-HUP"]).is_err());
    }

    #[test]
    fn with_selectors_every_dash_sig_is_the_signal() {
        assert_eq!(
            norm(&["--name", "nginx", "-1"]).unwrap(),
            ["--name", "nginx", "--signal=1"]
        );
        assert_eq!(
            norm(&["-u", "root", "42", "-HUP"]).unwrap(),
            ["-u", "root", "42", "--signal=HUP"]
        );
        assert!(norm(&["--name", "x", "42", "-32151"]).is_err());
    }

    #[test]
    fn invalid_signal_numbers_are_errors_not_groups() {
        let err = norm(&["-32151", "42"]).unwrap_err().to_string();
        assert!(err.contains("unknown signal '32151'"), "{err}");
    }

    #[test]
    fn two_signals_are_an_error() {
        let err = norm(&["-s", "HUP", "-TERM", "42"]).unwrap_err().to_string();
        assert!(err.contains("two signals"), "{err}");
        assert!(norm(&["--name", "x", "-9", "-1"]).is_err());
        // A -s after a numeric signal does not turn it into a group.
        assert_eq!(
            norm(&["-9", "-s", "HUP", "42"]).unwrap(),
            ["--signal=9", "-s", "HUP", "42"]
        );
    }

    #[test]
    fn unknown_dash_words_name_the_signal() {
        let err = norm(&["-BOGUS", "42"]).unwrap_err().to_string();
        assert!(err.contains("unknown signal 'BOGUS'"), "{err}");
        let err = norm(&["-TREM", "42"]).unwrap_err().to_string();
        assert!(err.contains("did you mean TERM"), "{err}");
    }

    #[test]
    fn option_values_are_not_signals() {
        assert_eq!(
            norm(&["--name", "-HUP", "-9"]).unwrap(),
            ["--name", "-HUP", "--signal=9"]
        );
        assert_eq!(norm(&["-l", "15", "9"]).unwrap(), ["-l", "15", "9"]);
        assert_eq!(norm(&["-s", "9", "42"]).unwrap(), ["-s", "9", "42"]);
        assert_eq!(norm(&["-n", "9", "42"]).unwrap(), ["-n", "9", "42"]);
        assert_eq!(norm(&["-vy", "42"]).unwrap(), ["-vy", "42"]);
    }
}
