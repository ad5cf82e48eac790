//! Reading one frame: every process with the values top shows, and %CPU
//! measured over the interval since the previous frame.
//!
//! The first frame has no previous one: its %CPU is each process's
//! lifetime average (what `ps` shows), and its CPU shares are those since
//! boot. Between frames only what pays is kept: the CPU ticks of each
//! task (for the interval %CPU), the system's CPU counters, the user
//! names already looked up, and command lines.
//!
//! Each frame reads a process's `stat` and `statm` (as top does) and the
//! owner of its directory; its `cmdline` only when the process is new to
//! the view (a pid, start time and name not seen before: an exec changes
//! the name) and every [`CMDLINE_REFRESH`] frames, for the titles that
//! programs set themselves. That halves the files read per frame.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use super::read::ProcDir;
use super::summary::{self, CpuCounters, Summary, Tasks};
use crate::columns::{ColumnCtx, ColumnId, Value, value_of};
use crate::model::users::NameCache;
use crate::model::{Needs, ProcSource, ProcessInfo, Snapshot, SystemFacts};
use crate::render::escape::escape_bytes;

/// Values of a row that the model does not hold, computed once per frame.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The effective user's name, or the uid when it has none.
    pub user: String,
    /// The name, escaped for display.
    pub name: String,
    /// The command line (or `[name]`), escaped for display.
    pub command: String,
    /// %CPU: over the interval, or the lifetime average on the first frame.
    pub cpu: f64,
    /// %MEM, in tenths truncated as procps does.
    pub mem: f64,
    pub res_kib: u64,
    /// Shared memory from statm; `None` when unreadable or not read.
    pub shr_kib: Option<u64>,
    /// Whether statm was read (the live view reads it for the rows on
    /// screen only, unless it sorts by SHR).
    pub shr_read: bool,
    /// CPU time in hundredths of a second.
    pub time_centis: u64,
}

/// One frame: the summary and every task with its derived values.
#[derive(Debug)]
pub struct Frame {
    pub summary: Summary,
    pub processes: Vec<ProcessInfo>,
    /// `derived[i]` belongs to `processes[i]`.
    pub derived: Vec<Derived>,
    pub system: SystemFacts,
    /// Whether %CPU was measured over an interval (not on the first frame).
    pub measured: bool,
    /// The /proc tree it was read from (ps's value code reads some files itself).
    pub root: PathBuf,
}

/// A row of a frame, for columns and sorting.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub p: &'a ProcessInfo,
    pub d: &'a Derived,
}

impl Frame {
    /// The row at `index`.
    pub fn row(&self, index: usize) -> Row<'_> {
        Row {
            p: &self.processes[index],
            d: &self.derived[index],
        }
    }

    /// The index of the task with this id.
    pub fn index_of(&self, tid: i32) -> Option<usize> {
        self.processes.iter().position(|p| p.tid == tid)
    }
}

/// Every this many frames, every command line is read again.
pub const CMDLINE_REFRESH: u64 = 10;

/// A task as the command-line cache knows it: id, start time, name.
type TaskKey = (i32, u64, Vec<u8>);

/// Reads frames one after another, keeping what the next one needs.
#[derive(Debug)]
pub struct Sampler {
    source: ProcSource,
    /// The tree's root, open: process files are read relative to it.
    dir: Option<ProcDir>,
    /// Command lines of the previous frame's tasks.
    cmdlines: HashMap<TaskKey, Option<Vec<u8>>>,
    frames: u64,
    names: NameCache,
    /// CPU ticks of each task at the previous frame, keyed by task id and
    /// start time (a recycled id is a new task).
    previous: HashMap<(i32, u64), u64>,
    previous_cpu: Option<CpuCounters>,
    previous_at: Option<Instant>,
    /// Leave statm to [`Sampler::shared_kib`] for the rows that need it.
    pub lazy_shared: bool,
}

impl Sampler {
    /// A sampler reading from `source`.
    pub fn new(source: ProcSource) -> Sampler {
        Sampler {
            dir: ProcDir::open(source.root()).ok(),
            source,
            cmdlines: HashMap::new(),
            frames: 0,
            names: NameCache::default(),
            previous: HashMap::new(),
            previous_cpu: None,
            previous_at: None,
            lazy_shared: false,
        }
    }

    /// The source it reads.
    pub fn source(&self) -> &ProcSource {
        &self.source
    }

    /// Reads a frame: processes, or with `threads` every thread; `needs`
    /// says which files besides `stat` (the shown columns').
    pub fn sample(&mut self, threads: bool, needs: Needs) -> io::Result<Frame> {
        let root = self.source.root().to_path_buf();
        // Read the counters close together so that the shares and %CPU
        // cover the same interval.
        let cpu = summary::read_cpu(&root);
        let at = Instant::now();
        let snapshot = match &self.dir {
            // What top's own columns need, read the cheap way. In a
            // fixture tree the owners come from status (git keeps none),
            // as the shared reader knows.
            Some(dir) if needs == Needs::STAT && !threads && self.live() => Snapshot {
                processes: dir.processes(&self.source.pids()?),
                system: self.source.system_facts(),
            },
            _ => self.source.snapshot(needs, threads)?,
        };
        let mut processes = snapshot.processes;
        self.fill_cmdlines(&mut processes);
        let system = snapshot.system;
        let interval = self
            .previous_at
            .map(|t| at.duration_since(t).as_secs_f64())
            .filter(|s| *s > 0.0);
        let measured = interval.is_some() && self.previous_cpu.is_some();
        let hz = system.hz as f64;
        let mut next_previous = HashMap::with_capacity(processes.len());
        for p in &mut processes {
            let ticks = p.cpu_ticks();
            next_previous.insert((p.tid, p.start_ticks), ticks);
            if let (true, Some(secs)) = (measured, interval) {
                let before = self.previous.get(&(p.tid, p.start_ticks)).copied();
                // A task born during the interval ran only within it.
                let spent = ticks.saturating_sub(before.unwrap_or(0));
                p.sampled_cpu = Some(spent as f64 / hz / secs * 100.0);
            }
        }
        let shr: Vec<Option<Option<u64>>> = processes
            .par_iter()
            .map(|p| (!self.lazy_shared).then(|| self.shared_kib(p, system.page_kib)))
            .collect();
        let ctx = ColumnCtx {
            system: &system,
            names: &self.names,
            name_width: None,
            wchan_width: None,
        };
        let derived = processes
            .iter()
            .zip(shr)
            .map(|(p, shr)| derive(p, shr, &ctx))
            .collect();
        let (shares, per_cpu) = match &self.previous_cpu {
            Some(before) if measured => (
                cpu.total.since(&before.total).shares(),
                cpu.per_cpu
                    .iter()
                    .zip(
                        before
                            .per_cpu
                            .iter()
                            .chain(std::iter::repeat(&Default::default())),
                    )
                    .map(|(now, then)| now.since(then).shares())
                    .collect(),
            ),
            _ => (
                cpu.total.shares(),
                cpu.per_cpu.iter().map(|c| c.shares()).collect(),
            ),
        };
        let summary = Summary {
            now: system.now,
            uptime_secs: system.boot_ticks / system.hz.max(1),
            load: summary::read_load(&root),
            // Only the live system has its users: not a fixture tree.
            users: if self.live() {
                summary::read_users(std::path::Path::new(summary::UTMP))
            } else {
                0
            },
            tasks: Tasks::count(processes.iter().filter(|p| p.tid == p.pid || threads)),
            cpu: shares,
            per_cpu,
            memory: summary::read_memory(&root),
        };
        self.previous = next_previous;
        self.previous_cpu = Some(cpu);
        self.previous_at = Some(at);
        Ok(Frame {
            summary,
            processes,
            derived,
            system,
            measured,
            root,
        })
    }
}

impl Sampler {
    /// Whether it reads the live /proc.
    fn live(&self) -> bool {
        self.source.is_live()
    }

    /// A file of a process's directory: relative to the open root.
    fn read(&self, pid: i32, name: &str) -> Option<Vec<u8>> {
        let path = format!("{pid}/{name}");
        match &self.dir {
            Some(dir) => dir.read(&path),
            None => std::fs::read(self.source.root().join(path)).ok(),
        }
    }

    /// Shared pages from /proc/PID/statm (third field), in KiB (proc(5)).
    pub fn shared_kib(&self, p: &ProcessInfo, page_kib: u64) -> Option<u64> {
        let text = self.read(p.pid, "statm")?;
        let pages: u64 = std::str::from_utf8(&text)
            .ok()?
            .split_whitespace()
            .nth(2)?
            .parse()
            .ok()?;
        Some(pages.saturating_mul(page_kib))
    }

    /// Gives each task its command line: from the cache when it is known,
    /// else read (in parallel); the cache then holds this frame's tasks.
    fn fill_cmdlines(&mut self, processes: &mut [ProcessInfo]) {
        let refresh = self.frames.is_multiple_of(CMDLINE_REFRESH);
        self.frames += 1;
        let mut previous = std::mem::take(&mut self.cmdlines);
        let keys: Vec<TaskKey> = processes
            .iter()
            .map(|p| (p.tid, p.start_ticks, p.name.clone()))
            .collect();
        let cached: Vec<Option<Option<Vec<u8>>>> = keys
            .iter()
            .map(|k| if refresh { None } else { previous.remove(k) })
            .collect();
        let read: Vec<Option<Vec<u8>>> = processes
            .par_iter()
            .zip(cached)
            .map(|(p, cached)| cached.unwrap_or_else(|| self.read(p.pid, "cmdline")))
            .collect();
        for ((p, cmdline), key) in processes.iter_mut().zip(read).zip(keys) {
            self.cmdlines.insert(key, cmdline.clone());
            p.cmdline = cmdline;
        }
    }
}

/// The derived values; `shr`: statm's shared memory if it was read.
fn derive(p: &ProcessInfo, shr: Option<Option<u64>>, ctx: &ColumnCtx) -> Derived {
    let float = |id| match value_of(id, p, ctx) {
        Value::Float(f) => f,
        _ => 0.0,
    };
    let user = match value_of(ColumnId::User, p, ctx) {
        Value::Text(t) => escape_bytes(&t).into_owned(),
        _ => "?".to_string(),
    };
    let res_kib = match value_of(ColumnId::Rss, p, ctx) {
        Value::Int(n) => n.max(0) as u64,
        _ => 0,
    };
    let mut command = escape_bytes(&p.command_line()).into_owned();
    if p.is_zombie() {
        command.push_str(" <defunct>");
    }
    Derived {
        user,
        name: escape_bytes(&p.name).into_owned(),
        command,
        cpu: float(ColumnId::Pcpu),
        mem: float(ColumnId::Pmem),
        res_kib,
        shr_kib: shr.flatten(),
        shr_read: shr.is_some(),
        time_centis: p.cpu_ticks().saturating_mul(100) / ctx.system.hz.max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_frame_uses_lifetime_cpu_and_the_second_the_interval() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proc");
        let mut sampler = Sampler::new(ProcSource::new(Some(root)));
        let first = sampler.sample(false, Needs::STAT).unwrap();
        assert!(!first.measured);
        let java = first.index_of(400).unwrap();
        assert!(
            first.derived[java].cpu > 0.0,
            "lifetime %CPU of a busy process"
        );
        assert_eq!(first.processes[java].sampled_cpu, None);
        let second = sampler.sample(false, Needs::STAT).unwrap();
        assert!(second.measured);
        // Nothing ran in a fixture between the reads.
        assert_eq!(second.derived[second.index_of(400).unwrap()].cpu, 0.0);
        assert_eq!(second.summary.tasks.total, first.summary.tasks.total);
    }

    fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_tree(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    #[test]
    fn command_lines_are_read_again_after_an_exec_or_a_while() {
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proc");
        let dir = tempfile::tempdir().unwrap();
        for file in ["stat", "meminfo", "uptime"] {
            std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
        }
        copy_tree(&fixture.join("400"), &dir.path().join("400"));
        let mut sampler = Sampler::new(ProcSource::new(Some(dir.path().to_path_buf())));
        let command = |s: &mut Sampler| {
            s.sample(false, Needs::STAT).unwrap().derived[0]
                .command
                .clone()
        };
        assert_eq!(command(&mut sampler), "java -Xmx2g -jar /opt/app/app.jar");
        // A new title alone is seen at the next refresh of every command line.
        std::fs::write(dir.path().join("400/cmdline"), "retitled\0").unwrap();
        assert_eq!(command(&mut sampler), "java -Xmx2g -jar /opt/app/app.jar");
        for _ in 2..CMDLINE_REFRESH {
            command(&mut sampler);
        }
        assert_eq!(command(&mut sampler), "retitled");
        // An exec changes the name: read at once.
        std::fs::write(dir.path().join("400/cmdline"), "/bin/true\0").unwrap();
        let stat = std::fs::read_to_string(dir.path().join("400/stat")).unwrap();
        std::fs::write(
            dir.path().join("400/stat"),
            stat.replace("(java)", "(true)"),
        )
        .unwrap();
        assert_eq!(command(&mut sampler), "/bin/true");
    }
}
