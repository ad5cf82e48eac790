//! Which columns and which processes `proctl ps` shows for a set of
//! options: the modern default view and the procps layouts (aux, -ef, -l, ...).

use crate::cmd::ps::ModernArgs;
use crate::columns::{Column, ColumnId};

/// procps-compatible options in play, BSD letters included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompatFlags {
    pub every: bool,
    pub full: bool,
    pub extra_full: bool,
    pub long: bool,
    /// BSD `a`: all processes with a terminal.
    pub bsd_a: bool,
    /// BSD `u`: the user-oriented layout.
    pub bsd_u: bool,
    /// BSD `x`: processes without a terminal too.
    pub bsd_x: bool,
    /// BSD `f`: forest.
    pub bsd_f: bool,
    /// BSD `h`: no header.
    pub bsd_h: bool,
    /// Count of BSD `w` letters.
    pub bsd_w: u8,
}

impl CompatFlags {
    /// Reads the procps options from the parsed arguments.
    pub fn from_args(args: &ModernArgs) -> CompatFlags {
        let letters = args.bsd.as_deref().unwrap_or("");
        CompatFlags {
            every: args.every,
            // The modern view's --full is about patterns; procps's -f is
            // handled by the procps front end.
            full: false,
            extra_full: args.extra_full,
            long: args.long,
            bsd_a: letters.contains('a'),
            bsd_u: letters.contains('u'),
            bsd_x: letters.contains('x'),
            bsd_f: letters.contains('f'),
            bsd_h: letters.contains('h'),
            bsd_w: letters.matches('w').count() as u8,
        }
    }

    /// Whether any procps layout or scope option was given.
    pub fn any(&self) -> bool {
        self.every || self.full || self.extra_full || self.long || self.any_bsd()
    }

    fn any_bsd(&self) -> bool {
        self.bsd_a || self.bsd_u || self.bsd_x || self.bsd_f || self.bsd_h || self.bsd_w > 0
    }
}

fn cols(list: &[(ColumnId, &str)]) -> Vec<Column> {
    list.iter().map(|&(id, h)| Column::titled(id, h)).collect()
}

/// The modern default view's columns.
pub fn modern_columns(threads: bool) -> Vec<Column> {
    use ColumnId::*;
    let mut c = cols(&[
        (Pid, "PID"),
        (User, "USER"),
        (Pcpu, "%CPU"),
        (Pmem, "%MEM"),
        (RssHuman, "RSS"),
        (Stat, "STAT"),
        (Stime, "START"),
        (Time, "TIME"),
        (Args, "COMMAND"),
    ]);
    if threads {
        c.insert(1, Column::of(Lwp));
    }
    c
}

/// The columns JSON and CSV get in the modern view when no `-o` is given.
pub fn machine_columns(threads: bool) -> Vec<Column> {
    use ColumnId::*;
    let mut c: Vec<Column> = [
        Pid, Ppid, User, Uid, Comm, State, Pcpu, Pmem, Vsz, Rss, Tty, Stime, Etimes, Time, Args,
    ]
    .into_iter()
    .map(Column::of)
    .collect();
    if threads {
        c.insert(1, Column::of(Lwp));
    }
    c
}

/// The procps layout for these flags, as procps-ng 4 prints it.
pub fn compat_columns(f: &CompatFlags, threads: bool) -> Vec<Column> {
    use ColumnId::*;
    if f.bsd_u {
        return cols(&[
            (User, "USER"),
            (Pid, "PID"),
            (Pcpu, "%CPU"),
            (Pmem, "%MEM"),
            (Vsz, "VSZ"),
            (Rss, "RSS"),
            (Tty, "TTY"),
            (Stat, "STAT"),
            (Stime, "START"),
            (BsdTime, "TIME"),
            (Args, "COMMAND"),
        ]);
    }
    let unix = f.every || f.full || f.extra_full || f.long || !(f.bsd_a || f.bsd_x);
    if !unix {
        let mut c = cols(&[
            (Pid, "PID"),
            (Tty, "TTY"),
            (Stat, "STAT"),
            (BsdTime, "TIME"),
            (Args, "COMMAND"),
        ]);
        if threads {
            c.insert(1, Column::of(Lwp));
        }
        return c;
    }
    let full = f.full || f.extra_full;
    let user = if full { (User, "UID") } else { (Uid, "UID") };
    let command = if full { (Args, "CMD") } else { (Comm, "CMD") };
    let mut c = Vec::new();
    if f.long {
        c.extend(cols(&[(Flags, "F"), (State, "S")]));
    }
    if full || f.long {
        c.extend(cols(&[user, (Pid, "PID"), (Ppid, "PPID")]));
        if threads {
            c.push(Column::of(Lwp));
        }
        c.push(Column::of(C));
        if threads && full {
            c.push(Column::of(Nlwp));
        }
    } else {
        c.push(Column::of(Pid));
        if threads {
            c.push(Column::of(Lwp));
        }
    }
    if f.long {
        c.extend(cols(&[
            (Opri, "PRI"),
            (Nice, "NI"),
            (Addr, "ADDR"),
            (Sz, "SZ"),
            (Wchan, "WCHAN"),
        ]));
    } else if f.extra_full {
        c.extend(cols(&[(Sz, "SZ"), (Rss, "RSS"), (Psr, "PSR")]));
    }
    if full {
        c.push(Column::titled(Stime, "STIME"));
    }
    c.extend(cols(&[(Tty, "TTY"), (Time, "TIME"), command]));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(flags: CompatFlags, threads: bool) -> String {
        compat_columns(&flags, threads)
            .iter()
            .map(|c| c.header.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn procps_headers() {
        let e = CompatFlags {
            every: true,
            ..CompatFlags::default()
        };
        assert_eq!(headers(e, false), "PID TTY TIME CMD");
        assert_eq!(headers(e, true), "PID LWP TTY TIME CMD");
        let ef = CompatFlags { full: true, ..e };
        assert_eq!(headers(ef, false), "UID PID PPID C STIME TTY TIME CMD");
        assert_eq!(
            headers(ef, true),
            "UID PID PPID LWP C NLWP STIME TTY TIME CMD"
        );
        let e_f = CompatFlags {
            extra_full: true,
            ..e
        };
        assert_eq!(
            headers(e_f, false),
            "UID PID PPID C SZ RSS PSR STIME TTY TIME CMD"
        );
        assert_eq!(
            headers(e_f, true),
            "UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD"
        );
        let el = CompatFlags { long: true, ..e };
        assert_eq!(
            headers(el, false),
            "F S UID PID PPID C PRI NI ADDR SZ WCHAN TTY TIME CMD"
        );
        let elf = CompatFlags {
            long: true,
            full: true,
            ..e
        };
        assert_eq!(
            headers(elf, false),
            "F S UID PID PPID C PRI NI ADDR SZ WCHAN STIME TTY TIME CMD"
        );
        let aux = CompatFlags {
            bsd_a: true,
            bsd_u: true,
            bsd_x: true,
            ..CompatFlags::default()
        };
        assert_eq!(
            headers(aux, false),
            "USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND"
        );
        let ax = CompatFlags {
            bsd_u: false,
            ..aux
        };
        assert_eq!(headers(ax, false), "PID TTY STAT TIME COMMAND");
    }
}
