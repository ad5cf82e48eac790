//! Wiring the child's standard streams: inherited, null, files, text fed
//! to stdin, and piped output copied by proctl, prefixed line by line or
//! teed to a file.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::error::{Error, Result};

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

/// Opens an output file (created, truncated or appended to).
pub fn open_output(path: &PathBuf, append: bool) -> Result<File> {
    let mut opts = OpenOptions::new();
    opts.create(true);
    if append {
        opts.append(true);
    } else {
        opts.write(true).truncate(true);
    }
    opts.open(path)
        .map_err(|e| Error::Failed(format!("cannot open {}: {e}", path.display())))
}

/// A destination shared by the copier threads; whole lines are written
/// under its lock, so lines from stdout and stderr never mix.
pub type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

/// Makes a sink.
pub fn sink(w: Box<dyn Write + Send>) -> Sink {
    Arc::new(Mutex::new(w))
}

/// The sink of an output: proctl's own stream, a file, or nowhere.
pub fn output_sink(output: &Output, own: Box<dyn Write + Send>) -> Result<Option<Sink>> {
    Ok(match output {
        Output::Inherit => Some(sink(own)),
        Output::Null => None,
        Output::File { path, append } => {
            Some(sink(Box::new(BufWriter::new(open_output(path, *append)?))))
        }
    })
}

/// How a copier writes each line.
#[derive(Debug, Clone)]
pub struct LineStyle {
    /// Written before every line (with its trailing space), if prefixing.
    pub prefix: Option<Vec<u8>>,
}

fn write_all_to(sinks: &[Sink], bytes: &[u8]) -> io::Result<()> {
    for s in sinks {
        s.lock()
            .unwrap_or_else(|e| e.into_inner())
            .write_all(bytes)?;
    }
    Ok(())
}

fn flush_all(sinks: &[Sink]) {
    for s in sinks {
        let _ = s.lock().unwrap_or_else(|e| e.into_inner()).flush();
    }
}

/// Copies a pipe to the sinks: with a prefix, line by line (a last line
/// without a newline gets one); without, in blocks. Output is flushed
/// whenever the pipe has nothing more buffered, so it streams live while
/// big outputs go out in large writes.
pub fn spawn_copier(
    pipe: impl Read + Send + 'static,
    sinks: Vec<Sink>,
    style: LineStyle,
) -> JoinHandle<io::Result<()>> {
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(64 * 1024, pipe);
        match &style.prefix {
            Some(prefix) => {
                let mut line = Vec::with_capacity(256);
                let mut out = Vec::with_capacity(512);
                loop {
                    line.clear();
                    if reader.read_until(b'\n', &mut line)? == 0 {
                        flush_all(&sinks);
                        return Ok(());
                    }
                    out.clear();
                    out.extend_from_slice(prefix);
                    out.extend_from_slice(&line);
                    if !line.ends_with(b"\n") {
                        out.push(b'\n');
                    }
                    // Keep draining the pipe even if a destination fails,
                    // so the child is never blocked on a full pipe.
                    let _ = write_all_to(&sinks, &out);
                    if reader.buffer().is_empty() {
                        flush_all(&sinks);
                    }
                }
            }
            None => loop {
                let buf = reader.fill_buf()?;
                if buf.is_empty() {
                    flush_all(&sinks);
                    return Ok(());
                }
                let n = buf.len();
                let _ = write_all_to(&sinks, buf);
                reader.consume(n);
                flush_all(&sinks);
            },
        }
    })
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
            &b"one\ntwo\nlast"[..],
            vec![sink(Box::new(out.clone()))],
            LineStyle {
                prefix: Some(b"[x] ".to_vec()),
            },
        );
        handle.join().unwrap().unwrap();
        assert_eq!(&*out.0.lock().unwrap(), b"[x] one\n[x] two\n[x] last\n");
    }

    #[test]
    fn copies_blocks_to_every_sink() {
        let (a, b) = (Shared::default(), Shared::default());
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let handle = spawn_copier(
            std::io::Cursor::new(data.clone()),
            vec![sink(Box::new(a.clone())), sink(Box::new(b.clone()))],
            LineStyle { prefix: None },
        );
        handle.join().unwrap().unwrap();
        assert_eq!(*a.0.lock().unwrap(), data);
        assert_eq!(*b.0.lock().unwrap(), data);
    }
}
