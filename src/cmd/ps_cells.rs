//! The text of each procps format key for one process, as procps-ng 4.0.2
//! prints it (ps(1) "STANDARD FORMAT SPECIFIERS"), and the raw values
//! `--sort` orders by.

use std::path::Path;

use crate::columns::keys::{KeySpec, Pr};
use crate::columns::{ColumnCtx, ColumnId, LimitSide, display_of};
use crate::model::limits::Limit;
use crate::model::tty::tty_name;
use crate::model::users::NameCache;
use crate::model::{ProcessInfo, SystemFacts};
use crate::procps::{Request, Threads};

/// What the cells need besides the process.
#[derive(Debug, Clone, Copy)]
pub struct CellCtx<'a> {
    pub system: &'a SystemFacts,
    pub names: &'a NameCache,
    pub root: &'a Path,
    pub req: &'a Request,
    /// Signal masks get 16 digits when the line has room.
    pub wide_signals: bool,
    /// procps's lines_to_next_header (the test keys cycle with it).
    pub line_count: i64,
}

pub use crate::cmd::ps_sort::SortValue;

/// Whether the locale's character set is UTF-8 (procps escapes by the
/// locale's rules); looked up once.
fn utf8_locale() -> bool {
    static UTF8: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *UTF8.get_or_init(|| {
        ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("utf-8") || v.contains("utf8")
            })
    })
}

/// The command line as procps's library reads it: NULs and newlines as
/// blanks, trailing NULs and one trailing blank dropped; `None` when the
/// file is empty (kernel threads, zombies), `?` when it holds only NULs.
pub fn procps_cmdline(p: &ProcessInfo) -> Option<Vec<u8>> {
    let raw = p.cmdline.as_deref().filter(|r| !r.is_empty())?;
    let mut dst = raw.to_vec();
    let n = dst.len();
    let mut i = n;
    while i > 0 && dst[i - 1] == 0 {
        i -= 1;
    }
    for b in &mut dst[..i] {
        if *b == b'\n' || *b == 0 {
            *b = b' ';
        }
    }
    if dst[n - 1] == b' ' {
        dst[n - 1] = 0;
    }
    let end = dst.iter().position(|&b| b == 0).unwrap_or(n);
    dst.truncate(end);
    if dst.is_empty() {
        return Some(b"?".to_vec());
    }
    Some(lib_escape(&dst))
}

/// The escaping procps's library applies to names and command lines: in
/// a UTF-8 locale control characters become `?`, and from the first
/// malformed sequence on, control bytes become `.` and others above 0x7e
/// `?`; in other locales that second rule applies throughout.
pub fn lib_escape(src: &[u8]) -> Vec<u8> {
    let mut out = src.to_vec();
    let esc_all = |s: &mut [u8]| {
        for b in s {
            *b = match *b {
                0x20..=0x7e => *b,
                0x80..=0xff => b'?',
                _ => b'.',
            };
        }
    };
    if !utf8_locale() {
        esc_all(&mut out);
        return out;
    }
    let mut i = 0;
    while i < out.len() {
        let n = match out[i] {
            0x00..=0x7f => 1,
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => 0,
        };
        if n == 0 || i + n > out.len() {
            esc_all(&mut out[i..]);
            return out;
        }
        if out[i] < 0x20 || out[i] == 0x7f {
            out[i] = b'?';
        }
        i += n;
    }
    out
}

/// `[name]`, with ` <defunct>` for a zombie: what procps shows for an
/// empty command line.
fn bracketed(p: &ProcessInfo) -> Vec<u8> {
    let mut out = b"[".to_vec();
    out.extend_from_slice(&lib_escape(&p.name));
    out.push(b']');
    if p.is_zombie() {
        out.extend_from_slice(b" <defunct>");
    }
    out
}

/// /proc/PID/cgroup as procps shows it: the lines that are not a root
/// (`/`) joined by commas, or `-`.
fn cgroup_text(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in raw.split(|&b| b == b'\n' || b == 0) {
        if line.is_empty() || line.ends_with(b"/") {
            continue;
        }
        if !out.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(&lib_escape(line));
    }
    if out.is_empty() {
        out.push(b'-');
    }
    out
}

/// The command line procps shows for `args`: the library's text, or the
/// bracketed name.
pub fn args_text(p: &ProcessInfo) -> Vec<u8> {
    procps_cmdline(p).unwrap_or_else(|| bracketed(p))
}

/// procps's escape_str: at most `room` cells; in a UTF-8 locale printable
/// characters stay and anything else is `?`; otherwise control bytes are
/// `.` and bytes above 0x7e are `?`. Returns the bytes and their cells.
pub fn escape(src: &[u8], room: usize, out: &mut Vec<u8>) -> usize {
    let mut cells = 0;
    if utf8_locale() {
        let mut rest = src;
        while !rest.is_empty() && cells < room {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    for ch in s.chars() {
                        if cells >= room {
                            break;
                        }
                        let w = unicode_width::UnicodeWidthChar::width(ch);
                        if (ch as u32) < 0x80 {
                            out.push(if (' '..='~').contains(&ch) {
                                ch as u8
                            } else {
                                b'?'
                            });
                            cells += 1;
                        } else if ch.is_control() || w.is_none() {
                            out.push(b'?');
                            cells += 1;
                        } else {
                            let w = w.unwrap_or(0);
                            if w > room - cells {
                                return cells;
                            }
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            cells += w;
                        }
                    }
                    return cells;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    let (ok, _) = rest.split_at(good);
                    cells += escape_valid(ok, room - cells, out);
                    if cells >= room {
                        return cells;
                    }
                    out.push(b'?');
                    cells += 1;
                    rest = &rest[good + 1..];
                }
            }
        }
        return cells;
    }
    for &b in src.iter().take(room) {
        out.push(match b {
            0x20..=0x7e => b,
            0x80..=0xff => b'?',
            _ => b'.',
        });
        cells += 1;
    }
    cells
}

fn escape_valid(s: &[u8], room: usize, out: &mut Vec<u8>) -> usize {
    let text = std::str::from_utf8(s).unwrap_or("");
    let mut cells = 0;
    for ch in text.chars() {
        if cells >= room {
            break;
        }
        if (ch as u32) < 0x80 {
            out.push(if (' '..='~').contains(&ch) {
                ch as u8
            } else {
                b'?'
            });
            cells += 1;
        } else {
            match unicode_width::UnicodeWidthChar::width(ch) {
                Some(w) if !ch.is_control() => {
                    if w > room - cells {
                        break;
                    }
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    cells += w;
                }
                _ => {
                    out.push(b'?');
                    cells += 1;
                }
            }
        }
    }
    cells
}

fn ticks_total(p: &ProcessInfo, ctx: &CellCtx) -> u64 {
    let mut t = p.cpu_ticks();
    if ctx.req.cumulative {
        t = t.saturating_add(p.cutime).saturating_add(p.cstime);
    }
    t
}

/// Seconds alive, truncated as procps's TIME_ELAPSED.
fn elapsed(p: &ProcessInfo, sys: &SystemFacts) -> u64 {
    sys.elapsed_secs(p.start_ticks) as u64
}

/// %CPU in tenths, as pr_pcpu computes it.
fn pcpu_tenths(p: &ProcessInfo, ctx: &CellCtx) -> u64 {
    let sys = ctx.system;
    let jiffies = sys.boot_ticks.saturating_sub(p.start_ticks);
    if jiffies == 0 {
        return 0;
    }
    ticks_total(p, ctx).saturating_mul(1000) / jiffies
}

fn rss_kib(p: &ProcessInfo, sys: &SystemFacts) -> u64 {
    p.status
        .as_ref()
        .and_then(|s| s.vm_rss_kib)
        .unwrap_or(p.rss_pages.saturating_mul(sys.page_kib))
}

fn vsz_kib(p: &ProcessInfo) -> u64 {
    match p.status.as_ref() {
        Some(s) if s.vm_size_kib > 0 || p.vsize_bytes == 0 => s.vm_size_kib,
        _ => p.vsize_bytes / 1024,
    }
}

fn ctime(epoch: i64, sys: &SystemFacts) -> String {
    jiff::Timestamp::from_second(epoch)
        .map(|t| {
            sys.tz
                .to_datetime(t)
                .strftime("%a %b %e %H:%M:%S %Y")
                .to_string()
        })
        .unwrap_or_else(|_| "?".repeat(24))
}

fn strftime(epoch: i64, sys: &SystemFacts, fmt: &str) -> String {
    jiff::Timestamp::from_second(epoch)
        .map(|t| sys.tz.to_datetime(t).strftime(fmt).to_string())
        .unwrap_or_default()
}

/// The /proc directory a row's files are read from: when ps lists
/// threads, a thread's own (task/TID), as procps's readtask reads them
/// (its io counts and autogroup, which a task has not, are the thread's);
/// the leader's row and JSON's fields (per process) read the process's.
fn proc_dir(ctx: &CellCtx, p: &ProcessInfo) -> std::path::PathBuf {
    let dir = ctx.root.join(p.pid.to_string());
    let thread_row = p.tid != p.pid && p.tid > 0 && ctx.req.threads != Threads::None;
    if thread_row && ctx.req.ext.output.is_none() {
        dir.join("task").join(p.tid.to_string())
    } else {
        dir
    }
}

/// The number behind a key read from a /proc file of its own (the oom
/// files, the io counters): `None` when that file cannot be read (another
/// user's io), where procps prints a stand-in 0 and JSON says null. Other
/// keys have none.
pub(crate) fn file_number(pr: Pr, ctx: &CellCtx, p: &ProcessInfo) -> Option<String> {
    let io_field = match pr {
        // procps's OOM_ADJ is read from oom_score_adj (-1000..1000,
        // readproc.c), and so is JSON's `oom_score_adj`.
        Pr::Oom | Pr::OomAdj => {
            let file = if pr == Pr::Oom {
                "oom_score"
            } else {
                "oom_score_adj"
            };
            let text = read_file(ctx, p, file)?;
            return Some(String::from_utf8_lossy(&text).trim().to_string());
        }
        Pr::Rchars => "rchar",
        Pr::Rops => "syscr",
        Pr::Wcbytes => "cancelled_write_bytes",
        Pr::Wchars => "wchar",
        Pr::Wops => "syscw",
        _ => return None,
    };
    let io = read_file(ctx, p, "io")?;
    let value = String::from_utf8_lossy(&io).lines().find_map(|l| {
        l.strip_prefix(io_field)?
            .strip_prefix(": ")
            .map(str::to_string)
    });
    // A kernel without the counter: procps's 0.
    Some(value.unwrap_or_else(|| "0".into()))
}

/// Whether a key reads a /proc file of its own ([`file_number`]).
pub(crate) fn has_file_number(pr: Pr) -> bool {
    matches!(
        pr,
        Pr::Oom | Pr::OomAdj | Pr::Rchars | Pr::Rops | Pr::Wcbytes | Pr::Wchars | Pr::Wops
    )
}

/// A /proc file of the row's process (its thread's, for a thread row in
/// procps's table).
pub(crate) fn read_file(ctx: &CellCtx, p: &ProcessInfo, name: &str) -> Option<Vec<u8>> {
    std::fs::read(proc_dir(ctx, p).join(name)).ok()
}

fn ns_inode(ctx: &CellCtx, p: &ProcessInfo, ns: &str) -> String {
    std::fs::read_link(proc_dir(ctx, p).join("ns").join(ns))
        .ok()
        .and_then(|l| {
            let s = l.to_string_lossy().into_owned();
            let open = s.find('[')?;
            Some(s[open + 1..s.len() - 1].to_string())
        })
        .unwrap_or_else(|| "-".into())
}

/// Signal mask text as procps prints it in 9 (or 16) columns.
fn sig_text(mask: &str, wide: bool) -> String {
    let len = mask.len();
    if wide {
        if len > 8 {
            return mask.to_string();
        }
        return format!("00000000{mask}");
    }
    let significant = len - mask.bytes().take_while(|&b| b == b'0').count();
    if significant > 8 {
        return format!("<{}", &mask[len - 8..]);
    }
    if len < 8 {
        return format!("{}{}", &"00000000"[len..], mask);
    }
    mask[len - 8..].to_string()
}

/// A name, cut to the column with `+` as procps does (or the number with
/// BSD `n`, or when a multibyte name does not fit).
fn name_cell(name: Option<String>, id: u32, room: usize, numeric: bool) -> (Vec<u8>, usize) {
    if !numeric && let Some(name) = name {
        let mut buf = Vec::new();
        let cells = escape(name.as_bytes(), usize::MAX, &mut buf);
        if cells <= room {
            return (buf, cells);
        }
        if room >= 1 && buf.get(room - 1).is_some_and(|&b| b < 127) {
            buf.truncate(room - 1);
            buf.push(b'+');
            return (buf, room);
        }
    }
    let t = id.to_string();
    let n = t.len();
    (t.into_bytes(), n)
}

/// The systemd slice, unit or user unit of a process, from the systemd
/// line of /proc/PID/cgroup (the unified `0::` line, else `name=systemd`),
/// as libsystemd's sd_pid_get_slice/unit/user_unit find them: the last of
/// the leading `.slice` components (`-.slice` when none), the first unit
/// after them, the first unit after a `user@….service`.
/// What systemd's sd-login says of a process (`-` where it fails), as
/// procps's library asks it: the path relative to pid 1's.
fn sd_value(ctx: &CellCtx, p: &ProcessInfo, pr: Pr) -> String {
    use crate::model::sdlogin;
    static LAYOUT: std::sync::OnceLock<sdlogin::Layout> = std::sync::OnceLock::new();
    static ROOT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let layout = *LAYOUT.get_or_init(sdlogin::Layout::detect);
    let root = ROOT.get_or_init(|| {
        let init = std::fs::read(ctx.root.join("1/cgroup")).ok()?;
        sdlogin::systemd_path(&init, layout).map(|p| sdlogin::root_of(&p))
    });
    let run = Path::new("/run/systemd");
    let raw = std::fs::read(ctx.root.join(p.tid.to_string()).join("cgroup")).unwrap_or_default();
    let path = root.as_deref().and_then(|root| {
        sdlogin::systemd_path(&raw, layout).map(|path| sdlogin::shift(&path, root).to_string())
    });
    let Some(path) = path else {
        return "-".to_string();
    };
    let value = match pr {
        Pr::SdUnit => sdlogin::unit(&path),
        Pr::SdSlice => sdlogin::slice(&path),
        Pr::SdUunit => sdlogin::user_unit(&path),
        Pr::SdSession => sdlogin::session(&path),
        Pr::SdOuid => sdlogin::owner_uid(&path).map(|u| (u as i32).to_string()),
        Pr::SdMachine => sdlogin::machine(&path, run),
        _ => sdlogin::session(&path).and_then(|s| sdlogin::seat(&s, run)),
    };
    value.unwrap_or_else(|| "-".to_string())
}

/// The text of a key for a process and its width in cells. `room` is
/// what the column may fill (procps's max_rightward); `art` is the forest
/// prefix for command columns.
pub fn cell(
    spec: &KeySpec,
    p: &ProcessInfo,
    ctx: &CellCtx,
    room: usize,
    art: &[u8],
) -> (Vec<u8>, usize) {
    let sys = ctx.system;
    let st = p.status.as_ref();
    let num = |s: String| {
        let n = s.len();
        (s.into_bytes(), n)
    };
    let text = |mut out: Vec<u8>, src: &[u8]| {
        let mut cells = out.len();
        cells += escape(src, room.saturating_sub(cells), &mut out);
        (out, cells)
    };
    let with_env = |mut out: Vec<u8>, mut cells: usize| {
        if ctx.req.bsd_e && room > cells + 1 {
            let environ = ProcessInfo {
                cmdline: read_file(ctx, p, "environ"),
                ..ProcessInfo::default()
            };
            let env = procps_cmdline(&environ).unwrap_or_else(|| b"-".to_vec());
            if env != b"-" {
                out.push(b' ');
                cells += 1;
                cells += escape(&env, room - cells, &mut out);
            }
        }
        (out, cells)
    };
    let uid = |i: usize| st.map_or(0, |s| s.uids[i]);
    let gid = |i: usize| st.map_or(0, |s| s.gids[i]);
    let user = |id: u32| name_cell(ctx.names.user(id), id, room, ctx.req.numeric);
    let group = |id: u32| name_cell(ctx.names.group(id), id, room, ctx.req.numeric);
    let policy = p.policy.map_or(-1, |x| x as i64);
    let start = sys.start_epoch(p.start_ticks);
    match spec.pr {
        Pr::Nop => num("-".into()),
        Pr::Args => {
            let src = if ctx.req.bsd_c {
                lib_escape(&p.name)
            } else {
                args_text(p)
            };
            let (out, cells) = text(art.to_vec(), &src);
            with_env(out, cells)
        }
        Pr::Comm => {
            let src = if ctx.req.unix_f && !ctx.req.bsd_c {
                args_text(p)
            } else {
                lib_escape(&p.name)
            };
            let (out, cells) = text(art.to_vec(), &src);
            with_env(out, cells)
        }
        Pr::Fname => {
            let mut n = lib_escape(&p.name);
            n.truncate(8);
            text(Vec::new(), &n)
        }
        Pr::Cgroup | Pr::Cgname => {
            let all = cgroup_text(&read_file(ctx, p, "cgroup").unwrap_or_default());
            let shown = if spec.pr == Pr::Cgname {
                match all.windows(6).position(|w| w == b":name=") {
                    Some(i) if i + 6 < all.len() => all[i + 6..].to_vec(),
                    _ => all,
                }
            } else {
                all
            };
            text(Vec::new(), &shown)
        }
        Pr::Exe => text(Vec::new(), p.exe.as_deref().unwrap_or(b"-")),
        Pr::Etime => {
            let t = elapsed(p, sys);
            let (ss, mm, hh, dd) = (t % 60, t / 60 % 60, t / 3600 % 24, t / 86400);
            let mut s = String::new();
            if dd > 0 {
                s.push_str(&format!("{dd}-"));
            }
            if dd > 0 || hh > 0 {
                s.push_str(&format!("{hh:02}:"));
            }
            s.push_str(&format!("{mm:02}:{ss:02}"));
            num(s)
        }
        Pr::Etimes => num(elapsed(p, sys).to_string()),
        Pr::C => num(format!("{:2}", (pcpu_tenths(p, ctx) / 10).min(99))),
        Pr::Pcpu => {
            let t = pcpu_tenths(p, ctx);
            num(if t > 999 {
                (t / 10).to_string()
            } else {
                format!("{}.{}", t / 10, t % 10)
            })
        }
        Pr::Cp => num(format!("{:3}", pcpu_tenths(p, ctx).min(999))),
        Pr::Pgid => num(p.pgrp.to_string()),
        Pr::Ppid => num(p.ppid.to_string()),
        Pr::Time => {
            let t = p.cpu_ticks() / sys.hz;
            let (ss, mm, hh, dd) = (t % 60, t / 60 % 60, t / 3600 % 24, t / 86400);
            num(if dd > 0 {
                format!("{dd}-{hh:02}:{mm:02}:{ss:02}")
            } else {
                format!("{hh:02}:{mm:02}:{ss:02}")
            })
        }
        Pr::Times => num((p.cpu_ticks() / sys.hz).to_string()),
        Pr::Vsz => num(vsz_kib(p).to_string()),
        Pr::Priority => num(p.priority.to_string()),
        Pr::Opri => num((60 + p.priority).to_string()),
        Pr::PriFoo => num((p.priority - 20).to_string()),
        Pr::PriBar => num((p.priority + 1).to_string()),
        Pr::PriBaz => num((p.priority + 100).to_string()),
        Pr::Pri => num((39 - p.priority).to_string()),
        Pr::PriApi => num((-1 - p.priority).to_string()),
        Pr::Nice => num(if policy != 0 && policy != 3 && policy != -1 {
            "-".into()
        } else {
            p.nice.to_string()
        }),
        // procps's stand-in for a file it cannot read is 0.
        pr @ (Pr::Oom
        | Pr::OomAdj
        | Pr::Rchars
        | Pr::Rops
        | Pr::Wcbytes
        | Pr::Wchars
        | Pr::Wops) => num(file_number(pr, ctx, p).unwrap_or_else(|| "0".into())),
        Pr::Class => num(match policy {
            -1 => "-",
            0 => "TS",
            1 => "FF",
            2 => "RR",
            3 => "B",
            4 => "ISO",
            5 => "IDL",
            6 => "DLN",
            7 => "#7",
            8 => "#8",
            9 => "#9",
            _ => "?",
        }
        .into()),
        Pr::Rtprio => num(if policy == 0 || policy == -1 {
            "-".into()
        } else {
            p.rt_priority.to_string()
        }),
        Pr::Sched => num(if policy == -1 {
            "-".into()
        } else {
            policy.to_string()
        }),
        Pr::Wchan => {
            let w = match p.wchan.as_deref() {
                None | Some("" | "0") => "-",
                Some(w) => w,
            };
            let mut b = w.as_bytes().to_vec();
            b.truncate(room);
            let n = b.len();
            (b, n)
        }
        Pr::Tty8 => num(tty_name(p.tty_nr).unwrap_or_else(|| "?".into())),
        // The short form drops "tty" and "pts/" (pts/3 is 3, tty1 is 1).
        Pr::Tty4 => {
            let name = tty_name(p.tty_nr).unwrap_or_else(|| "?".into());
            let short = name
                .strip_prefix("tty")
                .filter(|r| !r.is_empty())
                .or_else(|| name.strip_prefix("pts/").filter(|r| !r.is_empty()))
                .unwrap_or(&name)
                .to_string();
            num(short)
        }
        Pr::Stat => {
            let mut s = String::new();
            s.push(p.state);
            if p.nice < 0 {
                s.push('<');
            }
            if p.nice > 0 {
                s.push('N');
            }
            if st.is_some_and(|s| s.vm_lock_kib > 0) {
                s.push('L');
            }
            if p.session == p.pid {
                s.push('s');
            }
            if p.num_threads > 1 {
                s.push('l');
            }
            if p.pgrp == p.tpgid {
                s.push('+');
            }
            num(s)
        }
        Pr::S => num(p.state.to_string()),
        Pr::Flag => num(format!("{:o}", (p.flags >> 6) & 7)),
        Pr::Stackp => num(format!("{:016x}", p.start_stack)),
        Pr::Esp => num(format!("{:016x}", p.kstk_esp)),
        Pr::Eip => num(format!("{:016x}", p.kstk_eip)),
        Pr::Bsdtime => {
            let u = ticks_total(p, ctx) / sys.hz;
            num(format!("{:3}:{:02}", u / 60, u % 60))
        }
        Pr::Bsdstart => {
            let ago = (sys.now - start).max(0);
            let c = ctime(start, sys);
            let s = if ago > 3600 * 24 {
                &c[4..10]
            } else {
                &c[10..16]
            };
            num(s.to_string())
        }
        Pr::Sz => num((vsz_kib(p) / sys.page_kib.max(1)).to_string()),
        Pr::Dsiz | Pr::Drs => num(if p.vsize_bytes > 0 {
            ((p.vsize_bytes
                .wrapping_sub(p.end_code)
                .wrapping_add(p.start_code))
                >> 10)
                .to_string()
        } else {
            "0".into()
        }),
        Pr::Tsiz | Pr::Trs => num(if p.vsize_bytes > 0 {
            (p.end_code.wrapping_sub(p.start_code) >> 10).to_string()
        } else {
            "0".into()
        }),
        Pr::Swapable => num(st.map_or(0, |s| s.vm_data_kib + s.vm_stk_kib).to_string()),
        Pr::Size => num(p.vsize_bytes.to_string()),
        // With S, procps's FLT_MIN_C/FLT_MAJ_C: the process's faults plus
        // its dead children's (library/pids.c), not the children's alone.
        Pr::Minflt => num(if ctx.req.cumulative {
            p.minflt + p.cminflt
        } else {
            p.minflt
        }
        .to_string()),
        Pr::Majflt => num(if ctx.req.cumulative {
            p.majflt + p.cmajflt
        } else {
            p.majflt
        }
        .to_string()),
        Pr::Psr => num(p.processor.unwrap_or(0).to_string()),
        Pr::Rss => num(rss_kib(p, sys).to_string()),
        Pr::Pmem => {
            let t = rss_kib(p, sys)
                .saturating_mul(1000)
                .checked_div(sys.mem_total_kib)
                .unwrap_or(0)
                .min(999);
            num(format!("{:2}.{}", t / 10, t % 10))
        }
        Pr::Lstart => num(ctime(start, sys)),
        Pr::Stime => {
            let now_y = strftime(sys.now, sys, "%Y %j");
            let then = strftime(start, sys, "%Y %j");
            let fmt = if now_y[..4] != then[..4] {
                "%Y"
            } else if now_y != then {
                "%b%d"
            } else {
                "%H:%M"
            };
            num(strftime(start, sys, fmt))
        }
        Pr::Start => {
            let c = ctime(start, sys).into_bytes();
            let mut c = c;
            if c.get(8) == Some(&b' ') {
                c[8] = b'0';
            }
            if c.get(11) == Some(&b' ') {
                c[11] = b'0';
            }
            let c = String::from_utf8_lossy(&c).into_owned();
            num(if start + 86400 > sys.now {
                c[11..19].to_string()
            } else {
                format!("  {}", &c[4..10])
            })
        }
        Pr::Tsig => num(sig_text(st.map_or("0", |s| &s.sig_pnd), ctx.wide_signals)),
        Pr::Sig => num(sig_text(
            st.map_or("0", |s| {
                if p.tid != p.pid {
                    &s.sig_pnd
                } else {
                    &s.shd_pnd
                }
            }),
            ctx.wide_signals,
        )),
        Pr::Sigmask => num(sig_text(st.map_or("0", |s| &s.sig_blk), ctx.wide_signals)),
        Pr::Sigignore => num(sig_text(st.map_or("0", |s| &s.sig_ign), ctx.wide_signals)),
        Pr::Sigcatch => num(sig_text(st.map_or("0", |s| &s.sig_cgt), ctx.wide_signals)),
        Pr::Egid => num(gid(1).to_string()),
        Pr::Rgid => num(gid(0).to_string()),
        Pr::Sgid => num(gid(2).to_string()),
        Pr::Fgid => num(gid(3).to_string()),
        Pr::Euid => num(p.euid.unwrap_or(0).to_string()),
        Pr::Ruid => num(uid(0).to_string()),
        Pr::Suid => num(uid(2).to_string()),
        Pr::Fuid => num(uid(3).to_string()),
        Pr::Luid => num(read_file(ctx, p, "loginuid")
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .filter(|s| s != "4294967295")
            .unwrap_or_else(|| "-".into())),
        Pr::Ruser => user(uid(0)),
        Pr::Euser => user(p.euid.unwrap_or(0)),
        Pr::Fuser => user(uid(3)),
        Pr::Suser => user(uid(2)),
        Pr::Egroup => group(gid(1)),
        Pr::Rgroup => group(gid(0)),
        Pr::Fgroup => group(gid(3)),
        Pr::Sgroup => group(gid(2)),
        Pr::Rbytes => num(p.io.map_or(0, |io| io.read_bytes).to_string()),
        Pr::Wbytes => num(p.io.map_or(0, |io| io.write_bytes).to_string()),
        Pr::Procs => num(p.pid.to_string()),
        Pr::Tasks => num(p.tid.to_string()),
        Pr::Nlwp => num(p.num_threads.to_string()),
        Pr::Sess => num(p.session.to_string()),
        Pr::Supgid => {
            let g = st.map_or(String::new(), |s| {
                s.groups
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            });
            let g = if g.is_empty() { "-".to_string() } else { g };
            text(Vec::new(), g.as_bytes())
        }
        Pr::Supgrp => {
            let g = st.map_or(String::new(), |s| {
                s.groups
                    .iter()
                    .map(|&g| ctx.names.group(g).unwrap_or_else(|| g.to_string()))
                    .collect::<Vec<_>>()
                    .join(",")
            });
            let g = if g.is_empty() { "-".to_string() } else { g };
            text(Vec::new(), g.as_bytes())
        }
        Pr::Tpgid => num(p.tpgid.to_string()),
        Pr::SgiP => num(if p.state == 'R' {
            p.processor.unwrap_or(0).to_string()
        } else {
            "*".into()
        }),
        Pr::Utilization | Pr::UtilizationC => {
            let secs = sys.elapsed_secs(p.start_ticks);
            let mut t = p.cpu_ticks();
            if spec.pr == Pr::UtilizationC {
                t += p.cutime + p.cstime;
            }
            let mut cu = if secs > 0.0 {
                t as f64 / sys.hz as f64 * 100.0 / secs
            } else {
                0.0
            };
            if cu > 99.0 {
                cu = 99.999;
            }
            num(format!("{cu:.3}"))
        }
        Pr::SdUnit
        | Pr::SdSlice
        | Pr::SdUunit
        | Pr::SdSession
        | Pr::SdOuid
        | Pr::SdMachine
        | Pr::SdSeat => num(sd_value(ctx, p, spec.pr)),
        Pr::Lxcname => {
            let raw = read_file(ctx, p, "cgroup").unwrap_or_default();
            let name = crate::model::cgroup::lxc_name(&raw).unwrap_or_else(|| b"-".to_vec());
            let n = name.len();
            (name, n)
        }
        Pr::Cgroupns => num(ns_inode(ctx, p, "cgroup")),
        Pr::Ipcns => num(ns_inode(ctx, p, "ipc")),
        Pr::Mntns => num(ns_inode(ctx, p, "mnt")),
        Pr::Netns => num(ns_inode(ctx, p, "net")),
        Pr::Pidns => num(ns_inode(ctx, p, "pid")),
        Pr::Timens => num(ns_inode(ctx, p, "time")),
        Pr::Userns => num(ns_inode(ctx, p, "user")),
        Pr::Utsns => num(ns_inode(ctx, p, "uts")),
        Pr::Context => {
            let raw = read_file(ctx, p, "attr/current").unwrap_or_default();
            let printable: Vec<u8> = raw
                .iter()
                .copied()
                .take_while(|b| (0x20..0x7f).contains(b))
                .collect();
            if printable.is_empty() {
                num("-".into())
            } else {
                let n = printable.len();
                (printable, n)
            }
        }
        // RLIMIT_RSS in KiB; unlimited is `xx` (ps(1), lim).
        Pr::Lim if p.rsslim == u64::MAX => num("xx".into()),
        Pr::Lim => num(format!("{:5}", p.rsslim >> 10)),
        // Read after selection (model::extras); 0 when unreadable.
        Pr::Pss | Pr::Uss => num(pss_uss(spec.pr, p).to_string()),
        Pr::Affinity | Pr::Io | Pr::Rlimit(..) | Pr::Holds => {
            let typed = ColumnCtx {
                system: sys,
                names: ctx.names,
                name_width: None,
                wchan_width: None,
            };
            let id = match spec.pr {
                Pr::Affinity => ColumnId::Affinity,
                Pr::Io => ColumnId::Io,
                Pr::Rlimit(index, side) => ColumnId::Rlimit(index, side),
                _ => ColumnId::Holds,
            };
            text(Vec::new(), &display_of(id, p, &typed))
        }
        Pr::Numa => num(numa_node(p).to_string()),
        Pr::Fds => num(p.fds.map_or("-".into(), |n| n.to_string())),
        Pr::Vctx => num(st
            .and_then(|s| s.voluntary_ctxt)
            .map_or("-".into(), |n| n.to_string())),
        Pr::Nvctx => num(st
            .and_then(|s| s.nonvoluntary_ctxt)
            .map_or("-".into(), |n| n.to_string())),
        Pr::Ctxsw => num(st
            .and_then(|s| Some(s.voluntary_ctxt? + s.nonvoluntary_ctxt?))
            .map_or("-".into(), |n| n.to_string())),
        Pr::RssHuman => num(crate::columns::format_human_kib(rss_kib(p, sys))),
        Pr::StartTicks => num(p.start_ticks.to_string()),
        Pr::Ports => match &p.ports {
            Some(ports) if !ports.is_empty() => text(Vec::new(), ports.join(",").as_bytes()),
            _ => num("-".into()),
        },
        Pr::TLeft | Pr::TLeft2 | Pr::TRight | Pr::TRight2 | Pr::TUnlimited | Pr::TUnlimited2 => {
            let vals: &[&str] = match spec.pr {
                Pr::TLeft => &["tty7", "pts/9999", "iseries/vtty42", "ttySMX0", "3270/tty4"],
                Pr::TLeft2 => &["tty7", "pts/9999", "ttySMX0", "3270/tty4"],
                Pr::TRight => &["999-23:59:59", "99-23:59:59", "9-23:59:59", "59:59"],
                Pr::TRight2 => &["999-23:59:59", "99-23:59:59", "9-23:59:59"],
                Pr::TUnlimited => &["[123456789-12345] <defunct>", "ps", "123456789-123456"],
                _ => &[
                    "unlimited",
                    "[123456789-12345] <defunct>",
                    "ps",
                    "123456789-123456",
                ],
            };
            let i = (ctx.line_count as u32 as usize) % vals.len();
            let mut t = vals[i].as_bytes().to_vec();
            if matches!(spec.pr, Pr::TUnlimited | Pr::TUnlimited2) {
                t.truncate(room);
            }
            let n = t.len();
            (t, n)
        }
        Pr::Agid | Pr::Agnice => {
            let raw = read_file(ctx, p, "autogroup").unwrap_or_default();
            let t = String::from_utf8_lossy(&raw);
            // "/autogroup-25 nice 0"
            let id = t
                .split_whitespace()
                .next()
                .and_then(|s| s.strip_prefix("/autogroup-"))
                .unwrap_or("-1")
                .to_string();
            let nice = t.split_whitespace().nth(2).unwrap_or("0").to_string();
            num(if spec.pr == Pr::Agid { id } else { nice })
        }
    }
}

/// PSS or USS in KiB as read after selection, 0 when unreadable.
fn pss_uss(pr: Pr, p: &ProcessInfo) -> u64 {
    let (pss, uss) = p
        .extras
        .as_ref()
        .and_then(|e| e.pss_uss_kib)
        .unwrap_or((0, 0));
    if pr == Pr::Pss { pss } else { uss }
}

/// The raw value of proctl's own scheduling and limit keys: an affinity
/// by how many CPUs it allows, then which (a process pinned to one CPU
/// sorts first); an I/O priority by ioprio_get's number (no class, then
/// realtime, best-effort, idle, each by level); a limit by its number,
/// unlimited above every number; unknown values last.
fn own_sort_value(pr: Pr, p: &ProcessInfo) -> SortValue {
    let extras = p.extras.as_deref();
    match pr {
        Pr::Affinity => match extras.and_then(|e| e.affinity.as_ref()) {
            Some(cpus) => {
                let mut key = (cpus.len() as u32).to_be_bytes().to_vec();
                for &c in cpus {
                    key.extend_from_slice(&(c as u32).to_be_bytes());
                }
                SortValue::Bytes(key)
            }
            None => SortValue::Bytes(vec![0xff; 5]),
        },
        Pr::Io => SortValue::num(extras.and_then(|e| e.io).map_or(f64::MAX, f64::from)),
        Pr::Rlimit(index, side) => {
            let limit = extras
                .and_then(|e| e.limits.as_ref()?.get(usize::from(index)))
                .map(|l| {
                    if side == LimitSide::Soft {
                        l.soft
                    } else {
                        l.hard
                    }
                });
            SortValue::num(match limit {
                Some(Limit::Value(n)) => n as f64,
                Some(Limit::Unlimited) => f64::INFINITY,
                None => f64::NAN,
            })
        }
        Pr::Holds => SortValue::Bytes(
            extras
                .and_then(|e| e.holds.as_ref())
                .map(|h| h.join(", ").into_bytes())
                .unwrap_or_default(),
        ),
        _ => SortValue::None,
    }
}

/// The NUMA node of the CPU a process last ran on, as libnuma's
/// numa_node_of_cpu says it (procps-ng's `numa` and its sort item
/// PIDS_PROCESSOR_NODE): the node whose cpulist in sysfs holds the CPU,
/// node 0 when the kernel has no NUMA nodes, -1 for a CPU in no node.
/// (procps prints -1 everywhere when libnuma cannot be loaded.)
pub(crate) fn numa_node(p: &ProcessInfo) -> i64 {
    /// Each node with its CPUs; `None` when the kernel has no nodes.
    type Nodes = Option<Vec<(i64, Vec<usize>)>>;
    static NODES: std::sync::OnceLock<Nodes> = std::sync::OnceLock::new();
    let nodes = NODES.get_or_init(|| {
        let dir = std::fs::read_dir("/sys/devices/system/node").ok()?;
        let mut nodes = Vec::new();
        for entry in dir.flatten() {
            let name = entry.file_name();
            let Some(n) = name
                .to_str()
                .and_then(|n| n.strip_prefix("node"))
                .and_then(|n| n.parse::<i64>().ok())
            else {
                continue;
            };
            let list = std::fs::read_to_string(entry.path().join("cpulist")).unwrap_or_default();
            nodes.push((
                n,
                crate::model::extras::parse_kernel_cpu_list(&list).unwrap_or_default(),
            ));
        }
        nodes.sort();
        Some(nodes)
    });
    let Some(nodes) = nodes else { return 0 };
    let cpu = p.processor.unwrap_or(0);
    usize::try_from(cpu)
        .ok()
        .and_then(|cpu| nodes.iter().find(|(_, cpus)| cpus.contains(&cpu)))
        .map_or(-1, |(n, _)| *n)
}

/// The raw value procps sorts a key by.
/// The numbers procps sorts by, read raw (not as shown); `None` for keys
/// whose value is read as shown (see ps_sort).
pub fn numeric_sort_value(pr: Pr, p: &ProcessInfo, ctx: &CellCtx) -> SortValue {
    let sys = ctx.system;
    let st = p.status.as_ref();
    let n = SortValue::num;
    let uid = |i: usize| st.map_or(0, |s| s.uids[i]) as f64;
    let gid = |i: usize| st.map_or(0, |s| s.gids[i]) as f64;
    match pr {
        Pr::Pcpu | Pr::C | Pr::Cp | Pr::Utilization => {
            let secs = sys.elapsed_secs(p.start_ticks);
            n(if secs > 0.0 {
                p.cpu_ticks() as f64 / sys.hz as f64 * 100.0 / secs
            } else {
                0.0
            })
        }
        Pr::Pmem | Pr::Rss => n(rss_kib(p, sys) as f64),
        Pr::Vsz | Pr::Sz => n(vsz_kib(p) as f64),
        Pr::Size | Pr::Drs | Pr::Dsiz | Pr::Trs | Pr::Tsiz => n(p.vsize_bytes as f64),
        Pr::Procs => n(p.pid.into()),
        Pr::Tasks => n(p.tid.into()),
        Pr::Ppid => n(p.ppid.into()),
        Pr::Pgid => n(p.pgrp.into()),
        Pr::Sess => n(p.session.into()),
        Pr::Tpgid => n(p.tpgid.into()),
        Pr::Euid => n(p.euid.unwrap_or(0).into()),
        Pr::Ruid => n(uid(0)),
        Pr::Suid => n(uid(2)),
        Pr::Fuid => n(uid(3)),
        Pr::Egid => n(gid(1)),
        Pr::Rgid => n(gid(0)),
        Pr::Sgid => n(gid(2)),
        Pr::Fgid => n(gid(3)),
        Pr::Args => SortValue::Text(std::ffi::CString::new(args_text(p)).unwrap_or_default()),
        Pr::Time | Pr::Times | Pr::Bsdtime => n(p.cpu_ticks() as f64),
        // Elapsed time: the later the start, the less.
        Pr::Etime | Pr::Etimes => n(-(p.start_ticks as f64)),
        Pr::Start | Pr::Stime | Pr::Lstart | Pr::Bsdstart => n(p.start_ticks as f64),
        Pr::Nice => n(p.nice as f64),
        Pr::Priority | Pr::Opri | Pr::Pri | Pr::PriApi | Pr::PriBar | Pr::PriBaz | Pr::PriFoo => {
            n(p.priority as f64)
        }
        Pr::Nlwp => n(p.num_threads as f64),
        Pr::Psr => n(p.processor.unwrap_or(0).into()),
        Pr::Numa => n(numa_node(p) as f64),
        // procps's PIDS_ADDR_STACK_START: the address, not its hex text.
        Pr::Stackp => n(p.start_stack as f64),
        Pr::Flag => n(p.flags.into()),
        Pr::Lim => n(p.rsslim as f64),
        // procps's login id is a signed int: unset (4294967295) is -1,
        // before root's 0.
        Pr::Luid => n(read_file(ctx, p, "loginuid")
            .and_then(|b| String::from_utf8_lossy(&b).trim().parse::<u32>().ok())
            .map_or(-1.0, |v| f64::from(v as i32))),
        // procps's state item is one character, compared as a number.
        Pr::Stat | Pr::S => n(f64::from(p.state as u32)),
        Pr::Minflt => n(p.minflt as f64),
        Pr::Majflt => n(p.majflt as f64),
        Pr::Class | Pr::Sched => n(p.policy.map_or(-1.0, f64::from)),
        Pr::Rtprio => n(p.rt_priority.into()),
        Pr::Fds => n(p.fds.map_or(-1.0, |v| v as f64)),
        Pr::Vctx => n(st.and_then(|s| s.voluntary_ctxt).map_or(-1.0, |v| v as f64)),
        Pr::Nvctx => n(st
            .and_then(|s| s.nonvoluntary_ctxt)
            .map_or(-1.0, |v| v as f64)),
        Pr::RssHuman => n(rss_kib(p, sys) as f64),
        Pr::StartTicks => n(p.start_ticks as f64),
        // procps 4.0.2 sorts these by their library items (PIDS_SMAP_PSS,
        // PIDS_SMAP_PRV_TOTAL), numbers.
        Pr::Pss | Pr::Uss => n(pss_uss(pr, p) as f64),
        Pr::Affinity | Pr::Io | Pr::Rlimit(..) | Pr::Holds => own_sort_value(pr, p),
        _ => SortValue::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_as_procps_reads_them() {
        let p = |raw: &[u8]| ProcessInfo {
            name: b"x".to_vec(),
            cmdline: Some(raw.to_vec()),
            ..ProcessInfo::default()
        };
        assert_eq!(args_text(&p(b"a\0b\nc\0\0")), b"a b c");
        assert_eq!(args_text(&p(b"title ")), b"title");
        assert_eq!(args_text(&p(b"\0")), b"?");
        assert_eq!(args_text(&p(b"")), b"[x]");
        assert_eq!(cgroup_text(b"1:cpu:/\n0::/a/b\n"), b"0::/a/b");
        assert_eq!(cgroup_text(b"0::/\n"), b"-");
    }

    #[test]
    fn own_keys_sort_on_raw_values() {
        use crate::model::extras::Extras;
        use crate::model::limits::{LimitInfo, LimitUnit};
        let row = |affinity: Option<Vec<usize>>, io: Option<i32>, nofile: Option<Limit>| {
            let limits = nofile.map(|l| {
                vec![
                    LimitInfo {
                        name: "nofile",
                        unit: LimitUnit::Count,
                        soft: l,
                        hard: l,
                    };
                    16
                ]
            });
            ProcessInfo {
                extras: Some(Box::new(Extras {
                    affinity,
                    io,
                    limits,
                    ..Extras::default()
                })),
                ..ProcessInfo::default()
            }
        };
        let key = |pr: Pr, p: &ProcessInfo| own_sort_value(pr, p);
        // Fewer CPUs first, then the lower ones; unknown last.
        let one = row(Some(vec![3]), None, None);
        let two = row(Some(vec![0, 1]), None, None);
        let other_two = row(Some(vec![0, 2]), None, None);
        let unknown = row(None, None, None);
        let aff = Pr::Affinity;
        assert!(key(aff, &one) < key(aff, &two));
        assert!(key(aff, &two) < key(aff, &other_two));
        assert!(key(aff, &other_two) < key(aff, &unknown));
        // The kernel's ioprio: no class, realtime, best-effort, idle.
        let io = |v| key(Pr::Io, &row(None, Some(v), None));
        assert!(io(0) < io(1 << 13) && io((1 << 13) | 7) < io(2 << 13));
        assert!(io((2 << 13) | 7) < io(3 << 13));
        assert!(io(3 << 13) < key(Pr::Io, &unknown));
        // A limit: numbers, then unlimited, then unknown.
        let lim = |l| key(Pr::Rlimit(7, LimitSide::Soft), &row(None, None, l));
        assert!(lim(Some(Limit::Value(10))) < lim(Some(Limit::Value(20))));
        assert!(lim(Some(Limit::Value(u64::MAX - 1))) < lim(Some(Limit::Unlimited)));
        assert!(lim(Some(Limit::Unlimited)) < lim(None));
    }

    #[test]
    fn signal_masks_in_nine_or_sixteen_columns() {
        assert_eq!(sig_text("0000000000000000", false), "00000000");
        assert_eq!(sig_text("0000000180004002", false), "<80004002");
        assert_eq!(sig_text("0000000180004002", true), "0000000180004002");
        assert_eq!(sig_text("", false), "00000000");
    }
}
