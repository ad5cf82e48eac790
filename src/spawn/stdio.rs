//! Wiring the child's standard streams: inherited, null, files, text fed
//! to stdin, and piped output copied by proctl, prefixed line by line or
//! teed to a file.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rustix::event::{PollFd, PollFlags, poll};

/// Where the child's stdin comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Inherit,
    Null,
    File(PathBuf),
    /// `--input TEXT`: fed, then closed.
    Text(Vec<u8>),
}

/// Where one of the child's outputs goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Inherit,
    Null,
    File { path: PathBuf, append: bool },
}

/// `--stdin inherit|null|FILE`.
pub fn parse_input(text: &str) -> Input {
    match text {
        "inherit" => Input::Inherit,
        "null" => Input::Null,
        path => Input::File(PathBuf::from(path)),
    }
}

/// `--stdout inherit|null|FILE|+FILE` (and `--stderr`, without `stdout`).
pub fn parse_output(text: &str) -> Output {
    match text {
        "inherit" => Output::Inherit,
        "null" => Output::Null,
        path => match path.strip_prefix('+') {
            Some(p) => Output::File {
                path: PathBuf::from(p),
                append: true,
            },
            None => Output::File {
                path: PathBuf::from(path),
                append: false,
            },
        },
    }
}

/// One destination of copied output: proctl's stdout or stderr, or a file.
/// A write error ends copying to it; a closed pipe quietly (as a pipeline
/// member that meets a closed pipe stops), anything else is remembered
/// and reported once.
pub struct SinkState {
    out: Box<dyn Write + Send>,
    what: String,
    alive: bool,
    error: Option<String>,
}

/// A destination shared by the copier threads; whole lines are written
/// under its lock, so lines from stdout and stderr never mix.
pub type Sink = Arc<Mutex<SinkState>>;

/// Makes a sink; `what` names it in an error message.
pub fn sink(out: Box<dyn Write + Send>, what: impl Into<String>) -> Sink {
    Arc::new(Mutex::new(SinkState {
        out,
        what: what.into(),
        alive: true,
        error: None,
    }))
}

/// The error a sink met, other than a closed pipe.
pub fn sink_error(sink: &Sink) -> Option<String> {
    lock(sink).error.clone()
}

fn lock(sink: &Sink) -> std::sync::MutexGuard<'_, SinkState> {
    sink.lock().unwrap_or_else(|e| e.into_inner())
}

impl SinkState {
    fn fail(&mut self, e: io::Error) {
        self.alive = false;
        if e.kind() != io::ErrorKind::BrokenPipe {
            self.error = Some(format!(
                "write error on {}: {}",
                self.what,
                super::files::plain(&e)
            ));
        }
    }
}

/// Writes to every live sink; false when none is left.
fn write_all_to(sinks: &[Sink], bytes: &[u8]) -> bool {
    let mut any = false;
    for s in sinks {
        let mut s = lock(s);
        if s.alive {
            if let Err(e) = s.out.write_all(bytes) {
                s.fail(e);
            }
            any |= s.alive;
        }
    }
    any
}

fn flush_all(sinks: &[Sink]) -> bool {
    let mut any = false;
    for s in sinks {
        let mut s = lock(s);
        if s.alive {
            if let Err(e) = s.out.flush() {
                s.fail(e);
            }
            any |= s.alive;
        }
    }
    any
}

/// How a copier writes each line.
#[derive(Debug, Clone)]
pub struct LineStyle {
    /// Written before every line (with its trailing space), if prefixing.
    pub prefix: Option<Vec<u8>>,
}

/// Tells copiers to stop waiting for the end of their pipe: they copy what
/// is already in it and finish (after a timeout, when a grandchild may hold
/// the pipe open for good).
pub struct StopSwitch {
    read: OwnedFd,
    write: Mutex<Option<OwnedFd>>,
}

impl StopSwitch {
    /// A switch not yet thrown.
    pub fn new() -> io::Result<Arc<StopSwitch>> {
        let (read, write) = pipe()?;
        Ok(Arc::new(StopSwitch {
            read,
            write: Mutex::new(Some(write)),
        }))
    }

    /// Throws it: the read end becomes readable (end of file) for everyone.
    pub fn stop(&self) {
        self.write.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

/// A close-on-exec pipe: (read end, write end).
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(io::Error::from)
}

/// Cuts the input into prefixed lines; a partial line waits for its end.
struct Liner {
    prefix: Vec<u8>,
    partial: Vec<u8>,
    out: Vec<u8>,
}

impl Liner {
    fn feed<'a>(&'a mut self, data: &[u8]) -> &'a [u8] {
        self.out.clear();
        let mut rest = data;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            self.out.extend_from_slice(&self.prefix);
            self.out.extend_from_slice(&self.partial);
            self.out.extend_from_slice(&rest[..=i]);
            self.partial.clear();
            rest = &rest[i + 1..];
        }
        self.partial.extend_from_slice(rest);
        &self.out
    }

    /// The last line without its newline gets one.
    fn finish(&mut self) -> &[u8] {
        self.out.clear();
        if !self.partial.is_empty() {
            self.out.extend_from_slice(&self.prefix);
            self.out.append(&mut self.partial);
            self.out.push(b'\n');
        }
        &self.out
    }
}

/// Copies a pipe to the sinks: with a prefix, line by line (a last line
/// without a newline gets one); without, in blocks. Output is flushed
/// whenever the pipe has nothing more buffered, so it streams live while
/// big outputs go out in large writes. When every sink has failed, the
/// pipe is closed, so the child meets a closed pipe on its next write, as
/// in a shell pipeline.
pub fn spawn_copier(
    pipe: OwnedFd,
    stop: Arc<StopSwitch>,
    sinks: Vec<Sink>,
    style: LineStyle,
) -> JoinHandle<()> {
    std::thread::spawn(move || copy(pipe, &stop, &sinks, style))
}

fn copy(pipe: OwnedFd, stop: &StopSwitch, sinks: &[Sink], style: LineStyle) {
    let _ = rustix::fs::fcntl_setfl(&pipe, rustix::fs::OFlags::NONBLOCK);
    let mut liner = style.prefix.map(|prefix| Liner {
        prefix,
        partial: Vec::new(),
        out: Vec::with_capacity(80 * 1024),
    });
    let mut buf = vec![0u8; 64 * 1024];
    let mut stopping = false;
    let mut file = File::from(pipe);
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let data = match liner.as_mut() {
                    Some(l) => l.feed(&buf[..n]),
                    None => &buf[..n],
                };
                if !data.is_empty() && !write_all_to(sinks, data) {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if !flush_all(sinks) {
                    return;
                }
                if stopping {
                    break;
                }
                let mut fds = [
                    PollFd::new(&file, PollFlags::IN),
                    PollFd::new(&stop.read, PollFlags::IN),
                ];
                let _ = poll(&mut fds, None);
                stopping = !fds[1].revents().is_empty();
            }
            Err(_) => break,
        }
    }
    if let Some(l) = liner.as_mut() {
        let last = l.finish();
        if !last.is_empty() {
            write_all_to(sinks, last);
        }
    }
    flush_all(sinks);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn pipe_with(data: Vec<u8>) -> OwnedFd {
        let (r, w) = pipe().unwrap();
        std::thread::spawn(move || File::from(w).write_all(&data));
        r
    }

    #[test]
    fn targets_parse() {
        assert_eq!(parse_input("null"), Input::Null);
        assert_eq!(parse_input("in.txt"), Input::File("in.txt".into()));
        assert_eq!(
            parse_output("+log"),
            Output::File {
                path: "log".into(),
                append: true
            }
        );
        assert_eq!(
            parse_output("log"),
            Output::File {
                path: "log".into(),
                append: false
            }
        );
        assert_eq!(parse_output("inherit"), Output::Inherit);
    }

    #[test]
    fn prefixes_every_line_and_ends_the_last() {
        let out = Shared::default();
        let handle = spawn_copier(
            pipe_with(b"one\ntwo\nlast".to_vec()),
            StopSwitch::new().unwrap(),
            vec![sink(Box::new(out.clone()), "test")],
            LineStyle {
                prefix: Some(b"[x] ".to_vec()),
            },
        );
        handle.join().unwrap();
        assert_eq!(&*out.0.lock().unwrap(), b"[x] one\n[x] two\n[x] last\n");
    }

    #[test]
    fn lines_split_across_reads_stay_whole() {
        let mut liner = Liner {
            prefix: b"> ".to_vec(),
            partial: Vec::new(),
            out: Vec::new(),
        };
        let mut all = liner.feed(b"ab").to_vec();
        all.extend_from_slice(liner.feed(b"c\nd"));
        all.extend_from_slice(liner.finish());
        assert_eq!(all, b"> abc\n> d\n");
    }

    #[test]
    fn copies_blocks_to_every_sink() {
        let (a, b) = (Shared::default(), Shared::default());
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let handle = spawn_copier(
            pipe_with(data.clone()),
            StopSwitch::new().unwrap(),
            vec![
                sink(Box::new(a.clone()), "a"),
                sink(Box::new(b.clone()), "b"),
            ],
            LineStyle { prefix: None },
        );
        handle.join().unwrap();
        assert_eq!(*a.0.lock().unwrap(), data);
        assert_eq!(*b.0.lock().unwrap(), data);
    }

    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_quiet_other_errors_are_kept() {
        let pipe = sink(Box::new(Failing(io::ErrorKind::BrokenPipe)), "stdout");
        let full = sink(Box::new(Failing(io::ErrorKind::StorageFull)), "stdout");
        assert!(!write_all_to(std::slice::from_ref(&pipe), b"x"));
        assert!(!write_all_to(std::slice::from_ref(&full), b"x"));
        assert_eq!(sink_error(&pipe), None);
        assert!(
            sink_error(&full)
                .unwrap()
                .starts_with("write error on stdout")
        );
    }
}
