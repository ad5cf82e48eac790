//! `proctl top`: batch frames on the fixture tree (golden files), JSON
//! frames validated, bad usage; the live view in a real terminal (tmux).

use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{assert_golden, fixture, proctl, spawn_named};

fn golden_run(name: &str, args: &[&str]) {
    let out = fixture().arg("top").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    assert_golden(name, &out.stdout);
}

#[test]
fn batch_frames_like_top_b() {
    // The first frame shows lifetime %CPU; the second, measured over the
    // interval, shows none (nothing runs in a fixture).
    golden_run(
        "top_batch.txt",
        &["--batch", "--iterations", "2", "--delay", "0"],
    );
}

/// The summary lines of a text frame with every number as `N` and runs
/// of blanks as one: their shape, which scripts split on.
fn summary_shape(text: &str) -> Vec<String> {
    let number = regex::Regex::new(r"[0-9][0-9.:]*").unwrap();
    text.lines()
        .take(5)
        .map(|l| {
            // "100.0 id" fills its column: ",100.0 id" (and
            // "%Cpu(s):100.0 us") have no blank.
            number
                .replace_all(l, "N")
                .replace(',', ", ")
                .replace(':', ": ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Regression: the first line lacked procps's logged-in users ("0 user,"),
/// so a script counting fields to the load averages read the wrong ones;
/// with -H the second line said "Tasks:" where top says "Threads:".
/// Compared with procps `top -b -n 1` on this machine (again if a minute
/// or an hour turned between the two, which changes the uptime's words).
#[test]
fn batch_summary_lines_read_like_procps_top_b() {
    let frame = |mut cmd: StdCommand| {
        // procps top calls setlocale: in de_DE its load averages read
        // "0,52"; both run in the C locale.
        let out = crate::util::without_output_variables(&mut cmd)
            .env("TZ", "UTC")
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        summary_shape(&String::from_utf8_lossy(&out.stdout))
    };
    // With -H the second line counts threads, and says so (it said Tasks).
    for threads in [&[][..], &["-H"][..]] {
        let mut attempts = 0;
        loop {
            let mut theirs = StdCommand::new(crate::util::which("top"));
            theirs.args(["-b", "-n", "1"]).args(threads);
            let theirs = frame(theirs);
            let mut ours = StdCommand::new(crate::util::binary());
            ours.args(["top", "-b", "-n", "1"]).args(threads);
            let ours = frame(ours);
            attempts += 1;
            if ours == theirs || attempts == 3 {
                assert_eq!(ours, theirs);
                assert!(ours[0].contains(" user"), "{ours:?}");
                break;
            }
        }
    }
}

#[test]
fn batch_is_the_default_without_a_terminal() {
    let out = fixture().args(["top", "-n", "1"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("top - 10:00:00 up 371 days,  9:06,"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no escape codes in batch frames");
    assert_eq!(text.matches("top - ").count(), 1);
}

#[test]
fn batch_tree_sort_and_selection() {
    golden_run(
        "top_tree.txt",
        &["-b", "-n", "1", "--tree", "--sort", "mem"],
    );
    golden_run(
        "top_select.txt",
        &["-b", "-n", "1", "-u", "www-data", "--sort", "pid"],
    );
    golden_run(
        "top_pids.txt",
        &["-b", "-n", "1", "-p", "700,1", "-p", "400"],
    );
    golden_run(
        "top_match.txt",
        &["-b", "-n", "1", "--match", "^(java|sleep)"],
    );
}

#[test]
fn ndjson_frames_carry_the_ps_vocabulary() {
    golden_run(
        "top_frames.ndjson",
        &["--format", "ndjson", "-n", "2", "-d", "0"],
    );
    let out = fixture()
        .args(["top", "--format", "ndjson", "-n", "2", "-d", "0"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let frames: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0]["cpu_measured"], false);
    assert_eq!(frames[1]["cpu_measured"], true);
    // The field names and values of `proctl ps --format json`.
    // proctl ps's default JSON listing: every field it shares with a
    // frame has the same name and value (%CPU aside: frame 2 measures it).
    let ps = fixture().args(["ps", "--format", "json"]).output().unwrap();
    let ps: Value = serde_json::from_slice(&ps.stdout).unwrap();
    assert!(ps.as_array().unwrap().len() > 5);
    for frame in &frames {
        assert_eq!(frame["timestamp"], "2026-11-26T10:00:00+00:00");
        assert_eq!(frame["tasks"]["total"], 12);
        assert_eq!(frame["memory"]["total_kib"], 16_000_000);
        let procs = frame["processes"].as_array().unwrap();
        assert_eq!(procs.len(), 12);
        for row in ps.as_array().unwrap() {
            let pid = row["pid"].as_i64().unwrap();
            let ours = procs
                .iter()
                .find(|p| p["pid"].as_i64() == Some(pid))
                .unwrap_or_else(|| panic!("pid {pid} in the frame"));
            let mut shared = 0;
            for (key, value) in row.as_object().unwrap() {
                if key == "cpu_percent" || ours.get(key).is_none() {
                    continue;
                }
                shared += 1;
                assert_eq!(&ours[key], value, "pid {pid} field {key}");
            }
            assert!(shared >= 10, "pid {pid}: {shared} fields shared");
        }
    }
    // Frame 1 has ps's lifetime %CPU: burn (600) ran 60 s of its 120.
    let burn = |f: &Value| {
        f["processes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["pid"] == 600)
            .unwrap()["cpu_percent"]
            .clone()
    };
    assert_eq!(burn(&frames[0]), 50.0);
    assert_eq!(burn(&frames[1]), 0.0);
}

#[test]
fn batch_frames_with_ps_keys() {
    // Any key of ps -o, with its header and width rules, before COMMAND;
    // --sort takes them too (ELAPSED: the longest first).
    golden_run(
        "top_fields.txt",
        &[
            "-b",
            "-n",
            "1",
            "-o",
            "ppid,lstart,nlwp:5,ruser=REAL",
            "-o",
            "etime,fds",
            "--sort",
            "etime",
        ],
    );
    // In JSON frames, under ps's names with ps's values.
    let keys = "ppid,lstart,nlwp,ruser,etime,fds,wchan";
    let out = fixture()
        .args(["top", "--format", "ndjson", "-n", "1", "-o", keys])
        .output()
        .unwrap();
    assert!(out.status.success());
    let frame: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ps = fixture()
        .args(["ps", "-e", "-o", &format!("pid,{keys}"), "--format", "json"])
        .output()
        .unwrap();
    let ps: Value = serde_json::from_slice(&ps.stdout).unwrap();
    let procs = frame["processes"].as_array().unwrap();
    assert_eq!(procs.len(), ps.as_array().unwrap().len());
    for row in ps.as_array().unwrap() {
        let ours = procs
            .iter()
            .find(|p| p["pid"] == row["pid"])
            .unwrap_or_else(|| panic!("{row} in the frame"));
        for (key, value) in row.as_object().unwrap() {
            assert_eq!(ours.get(key), Some(value), "pid {} field {key}", row["pid"]);
        }
    }
}

#[test]
fn frame_times_for_the_benchmark() {
    // bench/top-frame.sh reads these lines: read, rebuild, write in wall
    // time, the same in CPU time, and what the frame was.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("times");
    let out = fixture()
        .env("PROCTL_TOP_TIMING", &file)
        .args(["top", "-b", "-n", "2", "-d", "0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 7, "{line}");
        assert!(
            fields[..6]
                .iter()
                .all(|f| f.parse::<f64>().is_ok_and(|ms| ms >= 0.0))
        );
        assert_eq!(fields[6], "batch");
    }
}

#[test]
fn json_is_one_array_of_frames() {
    let out = fixture()
        .args(["top", "--format", "json", "-n", "3", "-d", "0", "-p", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let frames: Value = serde_json::from_slice(&out.stdout).unwrap();
    let frames = frames.as_array().unwrap();
    assert_eq!(frames.len(), 3);
    assert_eq!(frames[2]["processes"][0]["name"], "init");
}

#[test]
fn bad_usage_is_one_line_and_exit_2() {
    for (args, culprit) in [
        (&["--sort", "nope"][..], "unknown sort key 'nope'"),
        (&["--iterations", "0"], "invalid --iterations '0'"),
        (&["-n", "x"], "invalid --iterations 'x'"),
        (&["--delay", "soon"], "invalid duration 'soon'"),
        (&["-p", "1,abc"], "invalid pid 'abc'"),
        (
            &["-u", "no-such-user-here"],
            "unknown user 'no-such-user-here'",
        ),
        (&["--match", "("], "invalid regex '('"),
        (&["--format", "yaml"], "invalid value 'yaml'"),
        (&["-o", "pid,nope"], "invalid -o 'pid,nope'"),
        (&["-o", ""], "invalid -o ''"),
        (&["--sort", "lstart"], "unknown sort key 'lstart'"),
    ] {
        let out = fixture().arg("top").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing printed before the check"
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("proctl: ") && err.contains(culprit),
            "{err}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_batch_mode_quietly() {
    let mut child = StdCommand::new(crate::util::binary())
        .args(["top", "-b", "-d", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe: the next write fails with EPIPE.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 6];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    assert_eq!(&first, b"top - ");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_busy_process_is_measured_over_the_interval() {
    let dir = tempfile::tempdir().unwrap();
    let busy = spawn_named(
        dir.path(),
        "pxtopbusy",
        "sh",
        &["-c", "while :; do :; done"],
    );
    let idle = spawn_named(dir.path(), "pxtopidle", "sleep", &["1000"]);
    let pids = format!("{},{}", busy.pid(), idle.pid());
    let out = proctl()
        .args([
            "top", "--format", "ndjson", "-n", "2", "-d", "1", "-p", &pids,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let frames: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(frames[1]["cpu_measured"], true);
    let rows = frames[1]["processes"].as_array().unwrap();
    // Sorted by %CPU: the loop first, the sleeper at 0.
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "pxtopbusy");
    assert_eq!(rows[1]["name"], "pxtopidle");
    assert_eq!(rows[1]["cpu_percent"], 0.0);
    // However loaded the machine, a loop that never sleeps ran in the
    // interval; one thread cannot use more than one core.
    let cpu = rows[0]["cpu_percent"].as_f64().unwrap();
    assert!(cpu > 0.0 && cpu <= 105.0, "{}", rows[0]);
}

/// A private tmux server (`-L`, no configuration) running one command in
/// a window of a given size; killed when dropped.
struct Tmux {
    server: String,
}

impl Tmux {
    fn start(name: &str, width: u16, height: u16, command: &str) -> Tmux {
        let tmux = Tmux {
            server: format!("pxtop{name}{}", std::process::id()),
        };
        let (w, h) = (width.to_string(), height.to_string());
        let out = tmux.run(&["new-session", "-d", "-s", "t", "-x", &w, "-y", &h, command]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        StdCommand::new(crate::util::which("tmux"))
            .args(["-L", &self.server, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("tmux is needed for these tests (apt-get install tmux)")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    /// Types text literally (no key names).
    fn type_text(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", "t", "-l", text])
                .status
                .success()
        );
    }

    fn format(&self, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["display-message", "-p", "-t", "t", format])
                .stdout,
        )
        .trim()
        .to_string()
    }

    /// Waits until the screen satisfies `check`, and returns that screen.
    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// `proctl top` as a shell command line for tmux, with fast refreshes.
fn top_line(args: &str) -> String {
    format!(
        "{} --color never top --delay 0.3 {args}",
        crate::util::binary().display()
    )
}

/// The same, kept in a shell that reports how it ended (so that a failure
/// shows on the captured screen instead of closing the pane).
fn top_command(args: &str) -> String {
    format!(
        "sh -c '{}; echo proctl-exit=$?; sleep 1000'",
        top_line(args)
    )
}

/// The table rows on a screen: the lines after the titles, before the
/// status line (the screen's last).
fn table_rows(screen: &str) -> Vec<&str> {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(titles) = lines
        .iter()
        .position(|l| l.trim_start().starts_with("PID USER"))
    else {
        return Vec::new();
    };
    lines[titles + 1..lines.len() - 1]
        .iter()
        .copied()
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// A numeric column (0-based among the whitespace-separated cells).
fn column(rows: &[&str], index: usize) -> Vec<f64> {
    rows.iter()
        .filter_map(|r| r.split_whitespace().nth(index)?.parse().ok())
        .collect()
}

fn sorted_descending(values: &[f64]) -> bool {
    values.len() > 3 && values.windows(2).all(|w| w[0] >= w[1])
}

fn alive(child: &mut crate::util::Reaped) -> bool {
    child.0.try_wait().unwrap().is_none()
}

#[test]
fn live_view_busy_process_on_top_and_sort_keys() {
    // Only the test's own processes (--match on their names): the machine
    // may run busier ones, so a rank among all processes would prove
    // nothing.
    let dir = tempfile::tempdir().unwrap();
    let idle_before: Vec<_> = (0..2)
        .map(|i| spawn_named(dir.path(), &format!("pxtopidle{i}"), "sleep", &["1000"]))
        .collect();
    let busy = spawn_named(
        dir.path(),
        "pxtopspin",
        "sh",
        &["-c", "while :; do :; done"],
    );
    let _idle_after: Vec<_> = (2..4)
        .map(|i| spawn_named(dir.path(), &format!("pxtopidle{i}"), "sleep", &["1000"]))
        .collect();
    let first_pid = idle_before[0].pid() as f64;
    // Not ^pxtop alone: the other live-view tests' processes (pxtopfam,
    // pxtopkill, ...) run at the same time and would add rows.
    let tmux = Tmux::start(
        "sort",
        160,
        40,
        &top_command("--match \"^pxtop(idle|spin)\""),
    );
    tmux.wait_for("the test's five processes", |s| table_rows(s).len() == 5);
    // Sorted by %CPU, the loop (started third) reaches the first row once
    // measured.
    let pid = busy.pid().to_string();
    tmux.wait_for("the busy loop in the first row", |s| {
        table_rows(s).first().is_some_and(|r| {
            r.split_whitespace().next() == Some(pid.as_str()) && r.contains("pxtopspin")
        })
    });
    // %CPU is the 9th cell: PID USER PRI NI VIRT RES SHR S %CPU.
    tmux.wait_for("rows by %CPU", |s| {
        sorted_descending(&column(&table_rows(s), 8))
    });
    // The selection stays on its process: Home shows the first rows.
    tmux.keys(&["N", "Home"]);
    tmux.wait_for("rows by pid", |s| {
        let pids = column(&table_rows(s), 0);
        pids.first() == Some(&first_pid) && pids.windows(2).all(|w| w[0] < w[1])
    });
    tmux.keys(&["R"]);
    tmux.wait_for("rows by pid, reversed", |s| {
        sorted_descending(&column(&table_rows(s), 0))
    });
    tmux.keys(&["M"]);
    tmux.wait_for("rows by %MEM", |s| {
        sorted_descending(&column(&table_rows(s), 9))
    });
    tmux.keys(&["T"]);
    tmux.wait_for("the sort on TIME+", |s| {
        // TIME+ is M:SS.hh: compare as seconds.
        let times: Vec<f64> = table_rows(s)
            .iter()
            .filter_map(|r| {
                let (m, rest) = r.split_whitespace().nth(10)?.split_once(':')?;
                Some(m.parse::<f64>().ok()? * 60.0 + rest.parse::<f64>().ok()?)
            })
            .collect();
        sorted_descending(&times)
    });
    tmux.keys(&["q"]);
}

/// Regression: the cursor began on the first row's process and followed
/// it, so when that process calmed down the view scrolled after it and
/// the busy one went off the screen (on any machine with more processes
/// than rows), until Home was pressed.
#[test]
fn live_view_keeps_the_busiest_on_screen_until_the_selection_moves() {
    let dir = tempfile::tempdir().unwrap();
    // More idle processes than the table's rows, started first.
    let _idle: Vec<_> = (0..14)
        .map(|i| spawn_named(dir.path(), &format!("pxtfidle{i}"), "sleep", &["1000"]))
        .collect();
    let first = spawn_named(
        dir.path(),
        "pxtfspina",
        "sh",
        &["-c", "while :; do :; done"],
    );
    let tmux = Tmux::start("first", 120, 16, &top_command("--match ^pxtf"));
    let top_pid = |s: &str| {
        table_rows(s)
            .first()
            .and_then(|r| r.split_whitespace().next().map(str::to_string))
    };
    let a = first.pid().to_string();
    tmux.wait_for("the first loop in the first row", |s| {
        top_pid(s).as_deref() == Some(a.as_str())
    });
    // It stops; another loop starts: the new one takes the first row.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(first.pid()),
        nix::sys::signal::Signal::SIGSTOP,
    )
    .unwrap();
    let second = spawn_named(
        dir.path(),
        "pxtfspinb",
        "sh",
        &["-c", "while :; do :; done"],
    );
    let b = second.pid().to_string();
    tmux.wait_for("the second loop in the first row", |s| {
        top_pid(s).as_deref() == Some(b.as_str())
    });
    tmux.keys(&["q"]);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(first.pid()),
        nix::sys::signal::Signal::SIGCONT,
    )
    .unwrap();
}

#[test]
fn live_view_filter_and_tree() {
    let dir = tempfile::tempdir().unwrap();
    let parent = spawn_named(
        dir.path(),
        "pxtopfam",
        "sh",
        &["-c", "sleep 1000 & sleep 1001 & wait"],
    );
    let tmux = Tmux::start("filter", 160, 40, &top_command(""));
    tmux.wait_for("the table", |s| table_rows(s).len() > 5);
    tmux.keys(&["/"]);
    tmux.type_text("pxtopfam");
    // Typed in full (a prefix may already leave one row).
    tmux.wait_for("only the filtered process", |s| {
        let rows = table_rows(s);
        s.contains("Filter: pxtopfam") && rows.len() == 1 && rows[0].contains("pxtopfam")
    });
    // The tree keeps the filtered process's ancestors; its children show
    // with the filter cleared.
    tmux.keys(&["Enter", "t", "Escape"]);
    // The selection stays on pxtopfam, maybe on the last line: two steps
    // down bring its children on screen.
    tmux.wait_for("the whole tree", |s| table_rows(s).len() > 5);
    tmux.keys(&["Down", "Down"]);
    let pid = parent.pid().to_string();
    // Columns in characters: the branches are not ASCII.
    let column_of = |row: &str, what: &str| row.find(what).map(|b| row[..b].chars().count());
    tmux.wait_for("the family as a tree", |s| {
        let rows = table_rows(s);
        let Some(at) = rows
            .iter()
            .position(|r| r.split_whitespace().next() == Some(pid.as_str()))
        else {
            return false;
        };
        // A child's branch starts under its parent's command.
        let command = column_of(rows[at], "/");
        rows.len() > at + 2
            && rows[at + 1].contains("├─ sleep 100")
            && rows[at + 2].contains("└─ sleep 100")
            && column_of(rows[at + 2], "└─") == command
    });
    // The filter again, in the tree: the path from the root down to it.
    tmux.keys(&["/"]);
    tmux.type_text("pxtopfam");
    tmux.wait_for("the path to the match", |s| {
        let rows = table_rows(s);
        rows.len() >= 2
            && rows.last().is_some_and(|r| r.contains("pxtopfam"))
            && rows[0].split_whitespace().next() == Some("1")
    });
    // Escape clears it.
    tmux.keys(&["Escape"]);
    tmux.wait_for("every process again", |s| table_rows(s).len() > 5);
    tmux.keys(&["q"]);
}

#[test]
fn live_view_k_asks_then_ends_only_the_selected_process() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = spawn_named(dir.path(), "pxtopkilla", "sleep", &["1000"]);
    let mut second = spawn_named(dir.path(), "pxtopkillb", "sleep", &["1000"]);
    let tmux = Tmux::start(
        "kill",
        160,
        40,
        &top_command("--match ^pxtopkill --sort pid"),
    );
    tmux.wait_for("both processes", |s| table_rows(s).len() == 2);
    // Select the second row: pxtopkillb when its pid is the larger one.
    let (victim, bystander) = if second.pid() > first.pid() {
        (&mut second, &mut first)
    } else {
        (&mut first, &mut second)
    };
    tmux.keys(&["End", "k"]);
    let victim_pid = victim.pid();
    tmux.wait_for("the signal chooser", |s| {
        s.contains(&format!("Signal to PID {victim_pid}")) && s.contains("15 TERM")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the confirmation", |s| {
        s.contains(&format!("Send TERM to PID {victim_pid} (pxtopkill"))
    });
    // No: nothing is sent.
    tmux.keys(&["n"]);
    tmux.wait_for("the refusal", |s| s.contains("nothing sent"));
    assert!(alive(victim) && alive(bystander));
    tmux.keys(&["k"]);
    tmux.wait_for("the signal chooser again", |s| s.contains("Signal to PID"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the confirmation again", |s| s.contains("Send TERM"));
    tmux.keys(&["y"]);
    tmux.wait_for("the report", |s| {
        s.contains(&format!("TERM sent to PID {victim_pid}"))
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while alive(victim) {
        assert!(Instant::now() < deadline, "the victim did not end");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        alive(bystander),
        "only the selected process gets the signal"
    );
    tmux.wait_for("one row left", |s| table_rows(s).len() == 1);
    tmux.keys(&["q"]);
}

#[test]
fn live_view_f_adds_a_ps_key_as_a_column() {
    let dir = tempfile::tempdir().unwrap();
    let shown = spawn_named(dir.path(), "pxtopfields", "sleep", &["1000"]);
    let tmux = Tmux::start("fields", 160, 40, &top_command("--match ^pxtopfields"));
    tmux.wait_for("the process", |s| table_rows(s).len() == 1);
    tmux.keys(&["f"]);
    // `>` marks the selected line; a letter finds the next key with it.
    let selected = |s: &str| {
        s.lines()
            .find_map(|l| l.split_once("> [")?.1.split_whitespace().nth(2))
            .map(str::to_string)
    };
    let mut screen = tmux.wait_for("the fields screen", |s| selected(s).is_some());
    for _ in 0..60 {
        if screen.contains("> [ ] ps  ppid ") {
            break;
        }
        let before = selected(&screen);
        tmux.keys(&["p"]);
        screen = tmux.wait_for("the next key", |s| selected(s) != before);
    }
    tmux.keys(&["Space"]);
    tmux.wait_for("ppid shown", |s| s.contains("> [x] ps  ppid "));
    tmux.keys(&["Enter"]);
    // The new column, before COMMAND, holds the process's parent (this
    // test): the 12th cell, after PID USER PRI NI VIRT RES SHR S %CPU %MEM TIME+.
    let parent = std::process::id().to_string();
    let pid = shown.pid().to_string();
    tmux.wait_for("the PPID column", |s| {
        let Some(titles) = s.lines().find(|l| l.contains("PID USER")) else {
            return false;
        };
        let rows = table_rows(s);
        titles.contains(" PPID COMMAND")
            && rows.len() == 1
            && rows[0].split_whitespace().next() == Some(pid.as_str())
            && rows[0].split_whitespace().nth(11) == Some(parent.as_str())
    });
    tmux.keys(&["q"]);
}

/// The line of the table's titles on a screen (0-based).
fn titles_line(screen: &str) -> usize {
    screen
        .lines()
        .position(|l| l.trim_start().starts_with("PID USER"))
        .expect("the titles on screen")
}

/// The first cell (the pid) of each table row.
fn row_pids(screen: &str) -> Vec<String> {
    table_rows(screen)
        .iter()
        .filter_map(|r| r.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn live_view_mouse_selects_rows_and_sorts_by_titles() {
    let dir = tempfile::tempdir().unwrap();
    let a = spawn_named(dir.path(), "pxtopmousea", "sleep", &["1000"]);
    let b = spawn_named(dir.path(), "pxtopmouseb", "sleep", &["1000"]);
    let tmux = Tmux::start(
        "mouse",
        160,
        40,
        &top_command("--match ^pxtopmouse --sort pid"),
    );
    let mut ascending = [a.pid().to_string(), b.pid().to_string()];
    ascending.sort_by_key(|p| p.parse::<i32>().unwrap());
    let screen = tmux.wait_for("both rows", |s| row_pids(s) == ascending);
    // A click (xterm's SGR mouse report, 1-based) on the second row.
    let y = titles_line(&screen) + 3;
    tmux.type_text(&format!("\x1b[<0;3;{y}M\x1b[<0;3;{y}m"));
    tmux.keys(&["k"]);
    tmux.wait_for("the chooser for the clicked row", |s| {
        s.contains(&format!("Signal to PID {} ", ascending[1]))
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the chooser closed", |s| !s.contains("Signal to PID"));
    // A click on the sorted column's title reverses the order.
    let y = titles_line(&screen) + 1;
    tmux.type_text(&format!("\x1b[<0;5;{y}M\x1b[<0;5;{y}m"));
    let descending = [ascending[1].clone(), ascending[0].clone()];
    tmux.wait_for("the rows reversed", |s| row_pids(s) == descending);
    tmux.keys(&["q"]);
}

#[test]
fn live_view_u_shows_one_users_processes() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = spawn_named(
        dir.path(),
        "pxtopuser",
        "setpriv",
        &[
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "sleep",
            "1000",
        ],
    );
    let pid = theirs.pid().to_string();
    let tmux = Tmux::start(
        "user",
        160,
        40,
        &top_command(&format!("-p 1,{pid} --sort pid")),
    );
    tmux.wait_for("both rows", |s| row_pids(s) == ["1", pid.as_str()]);
    tmux.keys(&["u"]);
    tmux.type_text("65534");
    tmux.keys(&["Enter"]);
    tmux.wait_for("only uid 65534's process", |s| {
        row_pids(s) == [pid.as_str()]
    });
    // Empty: everyone's again.
    tmux.keys(&["u", "Enter"]);
    tmux.wait_for("both rows again", |s| row_pids(s) == ["1", pid.as_str()]);
    tmux.keys(&["q"]);
}

#[test]
fn live_view_h_shows_threads() {
    // This test's own process has threads (the harness runs each test in
    // one of its own).
    let pid = std::process::id().to_string();
    let tids = || -> Vec<String> {
        let mut tids: Vec<i32> = std::fs::read_dir(format!("/proc/{pid}/task"))
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        tids.sort();
        tids.iter().map(i32::to_string).collect()
    };
    assert!(tids().len() > 1);
    let tmux = Tmux::start(
        "threads",
        160,
        40,
        &top_command(&format!("-p {pid} --sort pid")),
    );
    tmux.wait_for("the process", |s| row_pids(s) == [pid.as_str()]);
    tmux.keys(&["H"]);
    // Each thread a row, sorted by id like the rest: the leader and the
    // harness's threads (one of which runs this test), each a thread of
    // this process (a test that ends takes its thread away: then the next
    // frame is awaited).
    tmux.wait_for("its threads", |s| {
        let rows = row_pids(s);
        let now = tids();
        rows.len() > 1 && rows.contains(&pid) && rows.iter().all(|t| now.contains(t))
    });
    tmux.keys(&["H"]);
    tmux.wait_for("the process alone again", |s| row_pids(s) == [pid.as_str()]);
    tmux.keys(&["q"]);
}

#[test]
fn live_view_big_k_ends_the_selected_tree_and_r_renices() {
    let dir = tempfile::tempdir().unwrap();
    // A family: the shell and two children, and a bystander.
    let mut family = spawn_named(
        dir.path(),
        "pxtopkfam",
        "sh",
        &["-c", "sleep 1000 & sleep 1001 & wait"],
    );
    let mut bystander = spawn_named(dir.path(), "pxtopkby", "sleep", &["1000"]);
    let pid = family.pid();
    let children = || -> Vec<i32> {
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|c| c.parse().ok())
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while children().len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the shell's children did not start"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let kids = children();
    // ^pxtopk alone would match the k test's pxtopkill* too.
    let tmux = Tmux::start(
        "ktree",
        160,
        40,
        &top_command("--match \"^pxtopk(fam|by)\" --sort pid"),
    );
    let by_pid = bystander.pid();
    let screen = tmux.wait_for("both processes", |s| table_rows(s).len() == 2);
    // Select the family's row.
    let rows = row_pids(&screen);
    if rows[0] != pid.to_string() {
        tmux.keys(&["Down"]);
    }
    // r: renice the selected process.
    tmux.keys(&["r"]);
    tmux.wait_for("the renice prompt", |s| {
        s.contains(&format!("Renice PID {pid} to value:"))
    });
    tmux.type_text("7");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the report", |s| {
        s.contains(&format!("PID {pid} reniced to 7"))
    });
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let nice = stat.rsplit_once(") ").unwrap().1.split_whitespace().nth(16);
    assert_eq!(nice, Some("7"), "{stat}");
    // K: TERM to it and all its descendants, after the confirmation.
    tmux.keys(&["K"]);
    tmux.wait_for("the chooser", |s| {
        s.contains(&format!("Signal to the tree of PID {pid}"))
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the confirmation", |s| {
        s.contains(&format!("Send TERM to the tree of PID {pid}"))
    });
    tmux.keys(&["y"]);
    tmux.wait_for("the report", |s| s.contains("TERM sent to the tree of PID"));
    let gone = |p: i32| {
        std::fs::read_to_string(format!("/proc/{p}/stat")).map_or(true, |s| s.contains(") Z "))
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while !kids.iter().all(|&k| gone(k)) {
        assert!(Instant::now() < deadline, "the children did not end");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The shell itself, this test's child, ended by TERM too.
    let status = family.0.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(15)
    );
    assert!(
        alive(&mut bystander),
        "only the selected tree gets the signal"
    );
    tmux.wait_for("the bystander alone", |s| {
        row_pids(s) == [by_pid.to_string()]
    });
    tmux.keys(&["q"]);
}

#[test]
fn live_view_ctrl_c_quits_and_restores_the_terminal() {
    let script = format!(
        "echo marker-before; {}; echo exit=$?; sleep 1000",
        top_line("")
    );
    let tmux = Tmux::start("ctrlc", 100, 30, &format!("sh -c '{script}'"));
    tmux.wait_for("the live view", |s| s.contains("PID USER"));
    assert_eq!(tmux.format("#{alternate_on}"), "1");
    // Raw mode: Ctrl+C is a key to the view, which quits as top does.
    tmux.keys(&["C-c"]);
    let screen = tmux.wait_for("the shell again", |s| s.contains("exit="));
    assert!(screen.contains("marker-before\nexit=0"), "{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    assert_eq!(tmux.format("#{cursor_flag}"), "1");
}

#[test]
fn live_view_enter_shows_details_and_escape_goes_back() {
    let dir = tempfile::tempdir().unwrap();
    let shown = spawn_named(dir.path(), "pxtopshow", "sleep", &["1000"]);
    let tmux = Tmux::start("show", 160, 40, &top_command("--match ^pxtopshow"));
    tmux.wait_for("the process", |s| table_rows(s).len() == 1);
    tmux.keys(&["Enter"]);
    let pid = shown.pid();
    tmux.wait_for("the details", |s| {
        s.contains("Identity") && s.contains(&format!("pid                {pid} (pxtopshow)"))
    });
    tmux.keys(&["End"]);
    tmux.wait_for("the end of the details", |s| !s.contains("Identity"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("the table again", |s| table_rows(s).len() == 1);
    tmux.keys(&["q"]);
}

#[test]
fn live_view_leaves_the_terminal_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before");
    let after = dir.path().join("after");
    // The shell records the terminal's settings around proctl, then waits.
    let script = format!(
        "stty -g > {b}; echo marker-before; {top}; echo exit=$?; stty -g > {a}; echo marker-after; sleep 1000",
        b = before.display(),
        a = after.display(),
        top = top_line("")
    );
    let tmux = Tmux::start("quit", 100, 30, &format!("sh -c '{script}'"));
    tmux.wait_for("the live view", |s| s.contains("PID USER"));
    assert_eq!(tmux.format("#{alternate_on}"), "1");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the shell again", |s| s.contains("marker-after"));
    assert!(
        screen.contains("marker-before\nexit=0\nmarker-after"),
        "{screen}"
    );
    assert!(
        !screen.contains("PID USER"),
        "the table is gone with the alternate screen"
    );
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    assert_eq!(
        tmux.format("#{cursor_flag}"),
        "1",
        "the cursor is shown again"
    );
    assert_eq!(
        std::fs::read_to_string(&before).unwrap(),
        std::fs::read_to_string(&after).unwrap(),
        "raw mode is undone"
    );
}

/// Regression: stopped by job control (SIGTSTP from `kill`, or Ctrl+Z),
/// the view left the shell in the alternate screen with mouse reporting
/// on and the cursor hidden, and after `fg` it drew only what had changed
/// over what the shell had printed, in the shell's cooked mode (keys
/// waited for Enter). Now it gives the terminal back before stopping and
/// takes it again, redrawn whole, when continued.
#[test]
fn live_view_stops_and_continues_with_job_control() {
    // An interactive shell: job control, so that a stop really stops.
    let tmux = Tmux::start(
        "jobs",
        100,
        30,
        "env PS1='pxjobs$ ' sh -c 'exec bash --norc --noprofile -i'",
    );
    tmux.wait_for("the shell", |s| s.contains("pxjobs$"));
    tmux.type_text(&top_line(""));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the live view", |s| table_rows(s).len() > 3);
    let shell: u32 = tmux.format("#{pane_pid}").parse().unwrap();
    let top: i32 = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let state = || {
        std::fs::read_to_string(format!("/proc/{top}/stat"))
            .ok()
            .and_then(|s| s.rsplit_once(") ").map(|(_, r)| r.chars().next()))
            .flatten()
    };
    let modes =
        || tmux.format("#{alternate_on} #{mouse_any_flag} #{mouse_sgr_flag} #{cursor_flag}");
    let stopped_then_back = |stop: &dyn Fn()| {
        stop();
        crate::show::wait_until("proctl stopped", || state() == Some('T'));
        // The shell has its terminal as it was: normal screen, no mouse
        // reporting, a cursor.
        crate::show::wait_until("the terminal given back", || modes() == "0 0 0 1");
        tmux.type_text("fg");
        tmux.keys(&["Enter"]);
        crate::show::wait_until("the terminal taken again", || modes() == "1 1 1 0");
        // Redrawn whole: the shell's lines are gone from the screen.
        tmux.wait_for("the whole view again", |s| {
            table_rows(s).len() > 3 && !s.contains("pxjobs$") && !s.contains("Stopped")
        });
    };
    stopped_then_back(&|| {
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(top),
            nix::sys::signal::Signal::SIGTSTP,
        )
        .unwrap()
    });
    stopped_then_back(&|| tmux.keys(&["C-z"]));
    // Raw mode again: one key, no Enter, quits.
    tmux.keys(&["q"]);
    crate::show::wait_until("proctl gone", || state().is_none());
    let screen = tmux.wait_for("the shell again", |s| {
        s.ends_with("pxjobs$ \n") || s.trim_end().ends_with("pxjobs$")
    });
    assert_eq!(modes(), "0 0 0 1");
    // Nothing proctl asked the terminal reached the shell as typed text.
    assert!(!screen.contains("command not found"), "{screen}");
    assert!(!screen.contains("syntax error"), "{screen}");
}

#[test]
fn live_view_panic_restores_the_terminal_and_exits_101() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before");
    let after = dir.path().join("after");
    // Debug builds panic after the second draw when asked to (the tests
    // run the debug binary); the shell records the terminal around it.
    let script = format!(
        "stty -g > {b}; echo marker-before; RUST_BACKTRACE=0 PROCTL_TOP_PANIC_AFTER=2 {top}; echo exit=$?; stty -g > {a}; echo marker-after; sleep 1000",
        b = before.display(),
        a = after.display(),
        top = top_line("")
    );
    let tmux = Tmux::start("panic", 100, 30, &format!("sh -c '{script}'"));
    let screen = tmux.wait_for("the shell again", |s| s.contains("marker-after"));
    assert!(screen.contains("marker-before\n"), "{screen}");
    assert!(
        screen.contains("PROCTL_TOP_PANIC_AFTER=2: a panic forced for the tests"),
        "the panic message is on the normal screen: {screen}"
    );
    assert!(screen.contains("\nexit=101\n"), "{screen}");
    assert!(!screen.contains("PID USER"), "{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    assert_eq!(tmux.format("#{cursor_flag}"), "1", "the cursor is shown");
    assert_eq!(
        std::fs::read_to_string(&before).unwrap(),
        std::fs::read_to_string(&after).unwrap(),
        "raw mode is undone (echo and canonical mode back)"
    );
}

#[test]
fn live_view_sigterm_restores_the_terminal() {
    let script = format!(
        "echo marker-before; {}; echo exit=$?; sleep 1000",
        top_line("")
    );
    let tmux = Tmux::start("term", 100, 30, &format!("sh -c '{script}'"));
    tmux.wait_for("the live view", |s| s.contains("PID USER"));
    let shell: i32 = tmux.format("#{pane_pid}").parse().unwrap();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap();
    let top: i32 = children.split_whitespace().next().unwrap().parse().unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(top),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let screen = tmux.wait_for("the shell again", |s| s.contains("exit="));
    assert!(screen.contains("marker-before\nexit=143"), "{screen}");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    assert_eq!(tmux.format("#{cursor_flag}"), "1");
}

#[test]
fn live_view_follows_resizes() {
    let tmux = Tmux::start("resize", 120, 40, &top_command(""));
    let last_line_is_status = |s: &str, height: usize| {
        let lines: Vec<&str> = s.lines().collect();
        lines.len() == height && lines[height - 1].contains("? help")
    };
    tmux.wait_for("the view at 40 lines", |s| last_line_is_status(s, 40));
    assert!(
        tmux.run(&["resize-window", "-t", "t", "-x", "70", "-y", "16"])
            .status
            .success()
    );
    // tmux keeps the cut-off ends of lines until they are drawn again.
    let screen = tmux.wait_for("the view redrawn in 70x16", |s| {
        last_line_is_status(s, 16)
            && s.lines().all(|l| l.chars().count() <= 70)
            && table_rows(s).len() >= 3
    });
    assert!(screen.contains("TIME+"), "{screen}");
    assert!(
        tmux.run(&["resize-window", "-t", "t", "-x", "150", "-y", "45"])
            .status
            .success()
    );
    tmux.wait_for("the view at 45 lines", |s| {
        last_line_is_status(s, 45) && s.lines().any(|l| l.chars().count() > 100)
    });
    tmux.keys(&["q"]);
}

#[test]
fn live_view_ends_when_its_terminal_goes_away() {
    // proctl is the pane's process itself, so it is gone with the pane.
    let tmux = Tmux::start("hangup", 100, 30, &format!("exec {}", top_line("")));
    tmux.wait_for("the live view", |s| s.contains("PID USER"));
    let pid: i32 = tmux.format("#{pane_pid}").parse().unwrap();
    let stat = format!("/proc/{pid}/stat");
    assert!(std::fs::read_to_string(&stat).unwrap().contains("(proctl)"));
    drop(tmux);
    // Whether SIGHUP is ignored or not, the hung-up terminal ends it (it
    // must not spin on the dead terminal).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match std::fs::read_to_string(&stat) {
            Ok(s) if s.contains("(proctl)") && !s.contains(") Z ") => {}
            _ => break,
        }
        assert!(
            Instant::now() < deadline,
            "proctl top outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
