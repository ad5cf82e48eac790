//! GNU `getopt_long` as procps's tools use it: options and operands in any
//! order (operands keep their order), `--` ends options, clusters (`-lc`),
//! attached or separate values, unambiguous prefixes of long options, and
//! glibc's exact diagnostics, which begin with argv[0] as given.

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
    /// Only attached: `-lHUP`, `--list=HUP`.
    Optional,
}

/// One long option: its name, whether it takes a value, and the key the
/// caller matches on (the short letter it stands for, or another char).
#[derive(Debug, Clone, Copy)]
pub struct LongOpt {
    pub name: &'static str,
    pub arg: HasArg,
    pub key: char,
}

/// A long option table row.
pub const fn long(name: &'static str, arg: HasArg, key: char) -> LongOpt {
    LongOpt { name, arg, key }
}

/// An option as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub key: char,
    pub value: Option<Vec<u8>>,
    /// Index in argv of the argument after the one holding this option
    /// (kill's `-l` peeks at it, as glibc's `argv[optind]`).
    pub next: usize,
}

/// A parse error, as glibc reports it (`'?'` returned to the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    /// An unknown short option; the caller sees it as `optopt`.
    Invalid(u8),
    /// A short option without its required value.
    MissingShort(u8),
    /// `--name` that no long option begins with; `optopt` is 0.
    Unrecognized(Vec<u8>),
    /// `--na` that several long options begin with; `optopt` is 0.
    Ambiguous(Vec<u8>, Vec<&'static str>),
    /// `--name=value` for an option without a value.
    NoValueAllowed(&'static str, char),
    /// `--name` without its required value.
    MissingLong(&'static str, char),
}

impl OptError {
    /// glibc's `optopt` for this error: the option character, or 0.
    pub fn optopt(&self) -> u8 {
        match self {
            OptError::Invalid(c) | OptError::MissingShort(c) => *c,
            OptError::NoValueAllowed(_, k) | OptError::MissingLong(_, k) => {
                u8::try_from(*k).unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// glibc's message (with `opterr` set), without argv[0] and the newline.
    pub fn message(&self) -> Vec<u8> {
        let mut m = Vec::new();
        match self {
            OptError::Invalid(c) => {
                m.extend_from_slice(b"invalid option -- '");
                m.push(*c);
                m.push(b'\'');
            }
            OptError::MissingShort(c) => {
                m.extend_from_slice(b"option requires an argument -- '");
                m.push(*c);
                m.push(b'\'');
            }
            OptError::Unrecognized(text) => {
                m.extend_from_slice(b"unrecognized option '--");
                m.extend_from_slice(text);
                m.push(b'\'');
            }
            OptError::Ambiguous(text, names) => {
                m.extend_from_slice(b"option '--");
                m.extend_from_slice(text);
                m.extend_from_slice(b"' is ambiguous; possibilities:");
                for n in names {
                    m.extend_from_slice(format!(" '--{n}'").as_bytes());
                }
            }
            OptError::NoValueAllowed(name, _) => {
                m.extend_from_slice(
                    format!("option '--{name}' doesn't allow an argument").as_bytes(),
                );
            }
            OptError::MissingLong(name, _) => {
                m.extend_from_slice(format!("option '--{name}' requires an argument").as_bytes());
            }
        }
        m
    }
}

/// A short option table in getopt's syntax: `"l::Ls:h"` (`:` value
/// required, `::` optional).
fn short_spec(spec: &str, c: u8) -> Option<HasArg> {
    let bytes = spec.as_bytes();
    let i = bytes.iter().position(|&b| b == c && b != b':')?;
    Some(match (bytes.get(i + 1), bytes.get(i + 2)) {
        (Some(b':'), Some(b':')) => HasArg::Optional,
        (Some(b':'), _) => HasArg::Required,
        _ => HasArg::No,
    })
}

/// Walks argv (without argv[0]) as glibc's getopt_long does, in order.
pub struct Getopt<'a> {
    args: &'a [Vec<u8>],
    shorts: &'a str,
    longs: &'a [LongOpt],
    /// Index of the next argument to look at.
    index: usize,
    /// Position inside a cluster of short options, when in one.
    cluster: Option<usize>,
    /// Stop at the first operand (POSIXLY_CORRECT).
    posix: bool,
    /// Operands, in their order.
    pub operands: Vec<Vec<u8>>,
    done: bool,
    /// Index of the argument that held the last option or error.
    current: usize,
}

impl<'a> Getopt<'a> {
    /// A parser over `args` (argv[1..]).
    pub fn new(args: &'a [Vec<u8>], shorts: &'a str, longs: &'a [LongOpt]) -> Getopt<'a> {
        Getopt {
            args,
            shorts,
            longs,
            index: 0,
            cluster: None,
            posix: std::env::var_os("POSIXLY_CORRECT").is_some(),
            operands: Vec::new(),
            done: false,
            current: 0,
        }
    }

    /// Index of the argument that held the last option or error returned.
    pub fn current(&self) -> usize {
        self.current
    }

    /// Leaves the rest of the current argument unread (after an error in
    /// a cluster, which glibc would otherwise read on).
    pub fn skip_rest(&mut self) {
        if self.cluster.take().is_some() {
            self.index += 1;
        }
    }

    /// The argument at `i`, if any (glibc's `argv[optind]`).
    pub fn arg(&self, i: usize) -> Option<&'a [u8]> {
        self.args.get(i).map(Vec::as_slice)
    }

    fn finish(&mut self) {
        self.operands
            .extend(self.args[self.index..].iter().cloned());
        self.index = self.args.len();
        self.done = true;
    }

    fn long(&mut self, body: &'a [u8]) -> Result<Opt, OptError> {
        self.index += 1;
        let (name, value) = match body.iter().position(|&b| b == b'=') {
            Some(eq) => (&body[..eq], Some(body[eq + 1..].to_vec())),
            None => (body, None),
        };
        let exact = self.longs.iter().find(|l| l.name.as_bytes() == name);
        let found = match exact {
            Some(l) => *l,
            None => {
                let candidates: Vec<&LongOpt> = self
                    .longs
                    .iter()
                    .filter(|l| l.name.as_bytes().starts_with(name))
                    .collect();
                match candidates.as_slice() {
                    [] => return Err(OptError::Unrecognized(body.to_vec())),
                    [one] => **one,
                    [first, ..]
                        if candidates
                            .iter()
                            .all(|c| c.key == first.key && c.arg == first.arg) =>
                    {
                        **first
                    }
                    _ => {
                        return Err(OptError::Ambiguous(
                            body.to_vec(),
                            candidates.iter().map(|c| c.name).collect(),
                        ));
                    }
                }
            }
        };
        match (found.arg, value) {
            (HasArg::No, Some(_)) => Err(OptError::NoValueAllowed(found.name, found.key)),
            (HasArg::No, None) | (HasArg::Optional, None) => Ok(Opt {
                key: found.key,
                value: None,
                next: self.index,
            }),
            (_, Some(v)) => Ok(Opt {
                key: found.key,
                value: Some(v),
                next: self.index,
            }),
            (HasArg::Required, None) => match self.args.get(self.index) {
                Some(v) => {
                    self.index += 1;
                    Ok(Opt {
                        key: found.key,
                        value: Some(v.clone()),
                        next: self.index,
                    })
                }
                None => Err(OptError::MissingLong(found.name, found.key)),
            },
        }
    }

    fn short(&mut self, pos: usize) -> Result<Opt, OptError> {
        let arg = &self.args[self.index];
        let c = arg[pos];
        let last = pos + 1 == arg.len();
        let spec = short_spec(self.shorts, c);
        let Some(kind) = spec else {
            self.advance_cluster(pos, last);
            return Err(OptError::Invalid(c));
        };
        match kind {
            HasArg::No => {
                self.advance_cluster(pos, last);
                Ok(Opt {
                    key: char::from(c),
                    value: None,
                    next: self.index,
                })
            }
            HasArg::Optional => {
                self.cluster = None;
                self.index += 1;
                Ok(Opt {
                    key: char::from(c),
                    value: (!last).then(|| arg[pos + 1..].to_vec()),
                    next: self.index,
                })
            }
            HasArg::Required => {
                self.cluster = None;
                self.index += 1;
                if !last {
                    return Ok(Opt {
                        key: char::from(c),
                        value: Some(arg[pos + 1..].to_vec()),
                        next: self.index,
                    });
                }
                match self.args.get(self.index) {
                    Some(v) => {
                        self.index += 1;
                        Ok(Opt {
                            key: char::from(c),
                            value: Some(v.clone()),
                            next: self.index,
                        })
                    }
                    None => Err(OptError::MissingShort(c)),
                }
            }
        }
    }

    fn advance_cluster(&mut self, pos: usize, last: bool) {
        if last {
            self.cluster = None;
            self.index += 1;
        } else {
            self.cluster = Some(pos + 1);
        }
    }
}

impl Iterator for Getopt<'_> {
    type Item = Result<Opt, OptError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(pos) = self.cluster {
            self.current = self.index;
            return Some(self.short(pos));
        }
        loop {
            if self.done {
                return None;
            }
            let Some(arg) = self.args.get(self.index) else {
                self.done = true;
                return None;
            };
            if arg.as_slice() == b"--" {
                self.index += 1;
                self.finish();
                return None;
            }
            if arg.len() < 2 || arg[0] != b'-' {
                if self.posix {
                    self.finish();
                    return None;
                }
                self.operands.push(arg.clone());
                self.index += 1;
                continue;
            }
            let args = self.args;
            self.current = self.index;
            if let Some(body) = args[self.index].strip_prefix(b"--") {
                return Some(self.long(body));
            }
            return Some(self.short(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONGS: &[LongOpt] = &[
        long("list-name", HasArg::No, 'l'),
        long("list-full", HasArg::No, 'a'),
        long("count", HasArg::No, 'c'),
        long("delimiter", HasArg::Required, 'd'),
        long("list", HasArg::Optional, 'L'),
    ];

    fn args(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|a| a.as_bytes().to_vec()).collect()
    }

    fn run(list: &[&str]) -> (Vec<Result<Opt, OptError>>, Vec<Vec<u8>>) {
        let argv = args(list);
        let mut g = Getopt::new(&argv, "lacd:x::", LONGS);
        g.posix = false;
        let opts: Vec<_> = g.by_ref().collect();
        (opts, g.operands)
    }

    fn keys(list: &[&str]) -> String {
        run(list)
            .0
            .into_iter()
            .map(|o| o.map(|o| o.key).unwrap_or('?'))
            .collect()
    }

    #[test]
    fn clusters_values_and_operands_in_any_order() {
        assert_eq!(keys(&["-lc", "pat", "-d", ","]), "lcd");
        let (opts, operands) = run(&["a", "-d:", "b", "--", "-l"]);
        assert_eq!(opts[0].as_ref().unwrap().value.as_deref(), Some(&b":"[..]));
        assert_eq!(operands, args(&["a", "b", "-l"]));
        assert_eq!(run(&["-", "x"]).1, args(&["-", "x"]));
        let (opts, _) = run(&["-x", "-xyz"]);
        assert_eq!(opts[0].as_ref().unwrap().value, None);
        assert_eq!(opts[1].as_ref().unwrap().value.as_deref(), Some(&b"yz"[..]));
    }

    #[test]
    fn long_options_and_prefixes() {
        assert_eq!(keys(&["--count", "--list-n", "--del=x"]), "cld");
        let (opts, _) = run(&["--delim", "x", "--list"]);
        assert_eq!(opts[0].as_ref().unwrap().value.as_deref(), Some(&b"x"[..]));
        assert_eq!(opts[1].as_ref().unwrap().key, 'L');
        let (opts, _) = run(&["--lis"]);
        let err = opts[0].as_ref().unwrap_err();
        assert_eq!(
            String::from_utf8(err.message()).unwrap(),
            "option '--lis' is ambiguous; possibilities: '--list-name' '--list-full' '--list'"
        );
    }

    #[test]
    fn posixly_correct_stops_at_the_first_operand() {
        let argv = args(&["-l", "pat", "-c"]);
        let mut g = Getopt::new(&argv, "lc", LONGS);
        g.posix = true;
        assert_eq!(g.by_ref().map(|o| o.unwrap().key).collect::<String>(), "l");
        assert_eq!(g.operands, args(&["pat", "-c"]));
    }

    #[test]
    fn glibc_messages() {
        let msg = |list: &[&str]| {
            let (opts, _) = run(list);
            String::from_utf8(opts.last().unwrap().as_ref().unwrap_err().message()).unwrap()
        };
        assert_eq!(msg(&["-Z"]), "invalid option -- 'Z'");
        assert_eq!(msg(&["-d"]), "option requires an argument -- 'd'");
        assert_eq!(msg(&["--foo=1"]), "unrecognized option '--foo=1'");
        assert_eq!(
            msg(&["--cou=3"]),
            "option '--count' doesn't allow an argument"
        );
        assert_eq!(
            msg(&["--delimiter"]),
            "option '--delimiter' requires an argument"
        );
    }
}
