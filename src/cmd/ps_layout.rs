//! The columns of proctl's own `ps` view (procps's layouts are in
//! src/procps and src/columns/keys.rs).

use crate::columns::{Column, ColumnId};

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
