//! ps's format keys as more columns of the table: `-o` lists read by ps's
//! own grammar (so top takes every key `proctl ps -o` takes, `KEY=HEADER`
//! and `KEY:WIDTH` too), the keys the fields screen offers, and each
//! cell's text, sort value and JSON value from ps's value code
//! (src/cmd/ps_cells.rs), never a copy of it.

use std::path::Path;

use super::columns::Align;
use crate::cmd::ps_cells::{CellCtx, SortValue, cell};
use crate::cmd::ps_procps::{keys_need, machine_value};
use crate::cmd::ps_sort::sort_value;
use crate::columns::ColumnCtx;
use crate::columns::keys::{Just, KEYS, KeySpec, Pr, pid_length};
use crate::error::{Error, Result};
use crate::model::users::NameCache;
use crate::model::{Needs, ProcessInfo, SystemFacts};
use crate::procps::Request;

/// A ps key shown as a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyColumn {
    pub spec: &'static KeySpec,
    pub header: String,
    /// Cells are padded to this width (and cut to it in the live view).
    pub width: usize,
}

impl KeyColumn {
    /// The key with ps's header and width.
    pub fn of(spec: &'static KeySpec) -> KeyColumn {
        let width = if spec.pidmax {
            pid_length().max(spec.head.len())
        } else {
            usize::from(spec.width)
        };
        KeyColumn {
            spec,
            header: spec.head.to_string(),
            width,
        }
    }

    /// Numbers and signal masks line up on the right, as in ps.
    pub fn align(&self) -> Align {
        match self.spec.just {
            Just::Right | Just::Signal => Align::Right,
            _ => Align::Left,
        }
    }
}

/// The columns of `-o` lists (each `KEY[=HEADER][:WIDTH],...`, as ps's
/// `-o` reads them), and the request ps's value code reads its options
/// from (none of ps's output modifiers apply: its defaults).
pub fn parse_lists(lists: &[String]) -> Result<(Vec<KeyColumn>, Request)> {
    let mut columns: Vec<KeyColumn> = Vec::new();
    for list in lists {
        let args = ["-o".to_string(), list.clone()];
        let request = crate::procps::parse(&args, true, -1)
            .map_err(|r| Error::usage(format!("invalid -o '{list}': {}", r.message)))?;
        for node in request.format {
            // AIX descriptors' literal text between keys is no column.
            let Some(spec) = node.spec else { continue };
            let column = KeyColumn {
                spec,
                header: node.name,
                width: node.width,
            };
            // A key shown twice is one column (its values are the same).
            if !columns.iter().any(|c| c.spec.key == spec.key) {
                columns.push(column);
            }
        }
    }
    let base = ["-o".to_string(), "pid".to_string()];
    let request = crate::procps::parse(&base, true, -1)
        .map_err(|r| Error::Failed(format!("ps's defaults: {}", r.message)))?;
    Ok((columns, request))
}

/// The keys the fields screen offers: every key that shows a value (those
/// `ps L` lists, aliases included, and proctl's own), in ps's order.
pub fn offered() -> impl Iterator<Item = &'static KeySpec> {
    KEYS.iter()
        .filter(|k| k.pr != Pr::Nop && !k.key.starts_with('_'))
}

/// The /proc files the keys' values come from, besides what each frame
/// reads anyway (the command line has a cache of its own).
pub fn needs(columns: &[KeyColumn]) -> Needs {
    if columns.is_empty() {
        return Needs::STAT;
    }
    Needs {
        cmdline: false,
        ..keys_need(columns.iter().map(|c| c.spec))
    }
}

/// What the key cells need besides the process.
#[derive(Debug)]
pub struct KeyCells {
    request: Request,
    names: NameCache,
}

impl KeyCells {
    /// Cells with ps's default options.
    pub fn new(request: Request) -> KeyCells {
        KeyCells {
            request,
            names: NameCache::default(),
        }
    }

    fn ctx<'a>(&'a self, system: &'a SystemFacts, root: &'a Path) -> CellCtx<'a> {
        CellCtx {
            system,
            names: &self.names,
            root,
            req: &self.request,
            wide_signals: false,
            line_count: 0,
        }
    }

    /// The text ps shows for the key (never cut here).
    pub fn text(
        &self,
        column: &KeyColumn,
        p: &ProcessInfo,
        system: &SystemFacts,
        root: &Path,
    ) -> String {
        // ps's own limit for one cell (its output buffer).
        const ROOM: usize = 4096;
        let (bytes, _) = cell(column.spec, p, &self.ctx(system, root), ROOM, &[]);
        String::from_utf8_lossy(&bytes).trim().to_string()
    }

    /// The value to sort by: ps's raw value, or the text for keys ps
    /// cannot sort by.
    pub fn sort_value(
        &self,
        column: &KeyColumn,
        p: &ProcessInfo,
        system: &SystemFacts,
        root: &Path,
    ) -> SortValue {
        // ps orders elapsed times as procps does, the longest the largest,
        // so it comes first like other numbers.
        match sort_value(column.spec, p, &self.ctx(system, root)) {
            SortValue::None => SortValue::Bytes(self.text(column, p, system, root).into_bytes()),
            value => value,
        }
    }

    /// The value in a JSON frame: as `proctl ps -o KEY --format json` has it.
    pub fn json(
        &self,
        column: &KeyColumn,
        p: &ProcessInfo,
        system: &SystemFacts,
        root: &Path,
    ) -> crate::render::json::Field {
        let typed = ColumnCtx {
            system,
            names: &self.names,
            name_width: None,
            wchan_width: None,
        };
        machine_value(column.spec, p, &self.ctx(system, root), &typed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read_as_ps_reads_them() {
        let (columns, _) =
            parse_lists(&["pid,ppid".to_string(), "lstart=Began,fds".to_string()]).unwrap();
        let keys: Vec<&str> = columns.iter().map(|c| c.spec.key).collect();
        assert_eq!(keys, ["pid", "ppid", "lstart", "fds"]);
        assert_eq!(columns[2].header, "Began");
        let (columns, _) = parse_lists(&["pid,ppid=Parent".to_string()]).unwrap();
        assert_eq!(columns[1].header, "Parent");
        let (columns, _) = parse_lists(&["nlwp:6,fds,pid,pid".to_string()]).unwrap();
        assert_eq!(columns.len(), 3, "a key shown twice is one column");
        assert_eq!(columns[0].width, 6);
        assert_eq!(columns[0].align(), Align::Right);
        let err = parse_lists(&["pid,nope".to_string()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid -o 'pid,nope'"), "{err}");
        assert!(err.contains("nope"), "{err}");
        assert!(parse_lists(&[String::new()]).is_err());
    }

    #[test]
    fn offered_keys_show_values() {
        let keys: Vec<&str> = offered().map(|k| k.key).collect();
        assert!(keys.contains(&"lstart") && keys.contains(&"fds"));
        assert!(!keys.contains(&"_left") && !keys.contains(&"acflag"));
    }
}
