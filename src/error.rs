//! The error type and the exit statuses proctl documents.

use std::fmt;
use std::io;

/// Exit statuses, named in one place (see README "Exit status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Success,
    /// Nothing matched, or an operation failed.
    Failure,
    /// Bad usage: an unknown option, column, sort key, duration, ...
    Usage,
    /// `spawn` mirrors its child: the child's status, 128+N, or 124 to 127.
    Child(u8),
}

impl Exit {
    /// The numeric status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::Child(code) => code,
        }
    }
}

/// An error that ends the command with a one-line message.
#[derive(Debug)]
pub enum Error {
    /// The user asked for something invalid (exit 2).
    Usage(String),
    /// Something the user named does not exist, or an operation failed (exit 1).
    Failed(String),
    /// Reading or writing failed (exit 1); a broken pipe is handled by the caller.
    Io(io::Error),
}

impl Error {
    /// A usage error with the given message.
    pub fn usage(msg: impl Into<String>) -> Error {
        Error::Usage(msg.into())
    }

    /// The exit status this error maps to.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) => Exit::Usage,
            Error::Failed(_) | Error::Io(_) => Exit::Failure,
        }
    }

    /// Whether this is a write to a closed pipe, which ends quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(msg) | Error::Failed(msg) => f.write_str(msg),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Error {
        Error::Io(e)
    }
}

/// Prints one `proctl: ...` line on stderr. A stderr that is closed, full
/// or a broken pipe loses the line; it never ends proctl (`eprintln!`
/// would panic).
pub fn warn(msg: impl fmt::Display) {
    use std::io::Write;
    let _ = writeln!(io::stderr().lock(), "proctl: {msg}");
}

/// An I/O error's text without std's " (os error N)": one plain line.
/// For a write to stdout, the system's words alone, for a message that
/// names stdout itself.
pub fn plain(e: &io::Error) -> String {
    if let Some(StdoutError(inner)) = e.get_ref().and_then(|r| r.downcast_ref()) {
        return plain(inner);
    }
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// proctl's standard output, whose write errors name it ("cannot write
/// to standard output: No space left on device"): every command writes
/// through it, so a full disk or a closed terminal is reported the same
/// way everywhere. The error keeps its kind, so that a broken pipe is
/// still recognised and ends proctl quietly.
pub struct Stdout<W> {
    inner: W,
    /// A write or flush failed and the command was told.
    failed: bool,
}

impl<W> Stdout<W> {
    pub fn new(inner: W) -> Stdout<W> {
        Stdout {
            inner,
            failed: false,
        }
    }

    /// Whether the command was already handed a write error (and so has
    /// reported it or passed it on).
    pub fn failed(&self) -> bool {
        self.failed
    }

    fn seen<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        let r = r.map_err(stdout_error);
        if matches!(&r, Err(e) if e.kind() != io::ErrorKind::Interrupted) {
            self.failed = true;
        }
        r
    }
}

impl<W: io::Write> io::Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.seen(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.seen(r)
    }
}

/// A failed write to stdout, as the error's payload.
#[derive(Debug)]
struct StdoutError(io::Error);

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write to standard output: {}", plain(&self.0))
    }
}

impl std::error::Error for StdoutError {}

fn stdout_error(e: io::Error) -> io::Error {
    match e.kind() {
        // Retried by write_all; never shown.
        io::ErrorKind::Interrupted => e,
        kind => io::Error::new(kind, StdoutError(e)),
    }
}

/// Result with proctl's error.
pub type Result<T> = std::result::Result<T, Error>;

/// The closest candidate to `word` by edit distance, if any is close enough.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_documented_values() {
        assert_eq!(Exit::Success.code(), 0);
        assert_eq!(Exit::Failure.code(), 1);
        assert_eq!(Exit::Usage.code(), 2);
        assert_eq!(Exit::Child(124).code(), 124);
        assert_eq!(Error::usage("x").exit(), Exit::Usage);
        assert_eq!(Error::Failed("x".into()).exit(), Exit::Failure);
    }

    #[test]
    fn closest_suggests_near_words_only() {
        let keys = ["pid", "ppid", "user", "%cpu", "args"];
        assert_eq!(closest("pdi", keys), Some("pid"));
        assert_eq!(closest("usr", keys), Some("user"));
        assert_eq!(closest("zzzzzzzz", keys), None);
    }

    #[test]
    fn broken_pipe_is_recognised() {
        let e = Error::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(e.is_broken_pipe());
        assert!(!Error::usage("x").is_broken_pipe());
    }

    /// A writer that fails with one OS error.
    struct Failing(i32);

    impl io::Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn stdout_errors_name_stdout_and_keep_their_kind() {
        use std::io::Write;
        let full = Stdout::new(Failing(nix::libc::ENOSPC)).write_all(b"x");
        let e = Error::from(full.unwrap_err());
        assert_eq!(
            e.to_string(),
            "cannot write to standard output: No space left on device"
        );
        let full = Stdout::new(Failing(nix::libc::ENOSPC)).write_all(b"x");
        assert_eq!(plain(&full.unwrap_err()), "No space left on device");
        let pipe = Stdout::new(Failing(nix::libc::EPIPE)).write_all(b"x");
        assert!(Error::from(pipe.unwrap_err()).is_broken_pipe());
    }
}
