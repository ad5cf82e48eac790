//! `PROCTL_TOP_TIMING=FILE`, for `bench/top.sh`: one line a frame appended
//! to FILE, the milliseconds spent reading /proc, rebuilding the view
//! (selection, sort, tree; keys included) and drawing it (or writing a
//! batch frame), in wall time, then the same in CPU time of the whole
//! process (all its threads: on a busy machine the wall time mostly
//! measures the wait for a CPU), then what the frame was: `batch`,
//! `refresh` (a new frame read and drawn) or `key` (a redraw after a key,
//! which reads only the shared memory of rows new on screen). Unset:
//! nothing is measured.

use std::io::Write;
use std::time::Instant;

/// What a frame's time is spent on.
#[derive(Debug, Clone, Copy)]
pub enum Phase {
    Read = 0,
    Rebuild = 1,
    Draw = 2,
}

/// Frame times, written when asked for.
#[derive(Debug, Default)]
pub struct Timing {
    file: Option<std::fs::File>,
    spent: [f64; 3],
    cpu: [f64; 3],
}

impl Timing {
    /// Times to the file PROCTL_TOP_TIMING names, if it can be opened.
    pub fn from_env() -> Timing {
        let file = std::env::var_os("PROCTL_TOP_TIMING").and_then(|path| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()
        });
        Timing {
            file,
            spent: [0.0; 3],
            cpu: [0.0; 3],
        }
    }

    /// Runs `work`, adding its time to `phase`.
    pub fn time<T>(&mut self, phase: Phase, work: impl FnOnce() -> T) -> T {
        if self.file.is_none() {
            return work();
        }
        let (start, cpu) = (Instant::now(), cpu_ms());
        let result = work();
        self.spent[phase as usize] += start.elapsed().as_secs_f64() * 1000.0;
        self.cpu[phase as usize] += cpu_ms() - cpu;
        result
    }

    /// Writes the frame's line (`what` it was) and starts the next frame.
    pub fn frame_done(&mut self, what: &str) {
        if let Some(file) = &mut self.file {
            let [read, rebuild, draw] = self.spent;
            let [read_cpu, rebuild_cpu, draw_cpu] = self.cpu;
            // A bench aid: a failed write only loses a figure.
            let _ = writeln!(
                file,
                "{read:.2} {rebuild:.2} {draw:.2} {read_cpu:.2} {rebuild_cpu:.2} {draw_cpu:.2} {what}"
            );
        }
        self.spent = [0.0; 3];
        self.cpu = [0.0; 3];
    }
}

/// The CPU time of the process so far, in milliseconds.
fn cpu_ms() -> f64 {
    nix::time::clock_gettime(nix::time::ClockId::CLOCK_PROCESS_CPUTIME_ID)
        .map(|t| t.tv_sec() as f64 * 1000.0 + t.tv_nsec() as f64 / 1e6)
        .unwrap_or(0.0)
}
