//! `proctl ports`: who listens on which port.

use std::collections::HashSet;
use std::io::Write;

use crate::cli::{OutputFormat, PortsArgs};
use crate::columns::Align;
use crate::error::{Exit, Result};
use crate::model::net::{Owners, Proto, Socket, parse_port, read_sockets, socket_owners};
use crate::model::users::NameCache;
use crate::model::{Needs, ProcSource};
use crate::render::csv;
use crate::render::escape::json_text;
use crate::render::escape_bytes;
use crate::render::json;
use crate::render::table::{TableOptions, write_table};
use crate::render::text::{Cell, TextGrid, TextOptions, write_text};
use crate::render::theme::{CellKind, Theme};
use crate::terminal::Terminal;

/// What `proctl ports` lists.
#[derive(Debug)]
pub struct PortsConfig {
    pub all: bool,
    pub tcp: bool,
    pub udp: bool,
    pub port: Option<(u16, Option<Proto>)>,
    pub format: OutputFormat,
    pub header: bool,
    pub theme: Theme,
    pub width: Option<usize>,
}

impl PortsConfig {
    /// Validates the arguments.
    pub fn from_args(args: &PortsArgs, term: &Terminal, theme: Theme) -> Result<PortsConfig> {
        let port = args.port.as_deref().map(parse_port).transpose()?;
        let (mut tcp, mut udp) = (args.tcp, args.udp);
        if let Some((_, Some(proto))) = port {
            tcp |= proto == Proto::Tcp;
            udp |= proto == Proto::Udp;
        }
        if !tcp && !udp {
            (tcp, udp) = (true, true);
        }
        let format = args.format.unwrap_or(OutputFormat::Table);
        Ok(PortsConfig {
            all: args.all,
            tcp,
            udp,
            port,
            format,
            header: !args.no_header,
            theme: if format == OutputFormat::Plain {
                Theme::plain()
            } else {
                theme
            },
            width: if term.is_tty { term.width } else { None },
        })
    }
}

/// One listed socket with its owners.
struct Row {
    socket: Socket,
    owners: Vec<(i32, Vec<u8>)>,
    user: String,
}

/// Runs `proctl ports`.
pub fn run(config: &PortsConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let mut sockets: Vec<Socket> = read_sockets(source.root(), config.tcp, config.udp)
        .into_iter()
        .filter(|s| config.all || s.is_listening())
        .filter(|s| config.port.is_none_or(|(p, _)| s.local.port() == p))
        .collect();
    sockets.sort_by(|a, b| {
        (
            a.proto,
            a.local.port(),
            a.local.is_ipv6(),
            a.local.ip(),
            a.remote,
        )
            .cmp(&(
                b.proto,
                b.local.port(),
                b.local.is_ipv6(),
                b.local.ip(),
                b.remote,
            ))
    });
    if sockets.is_empty() && config.port.is_some() {
        return Ok(Exit::Failure);
    }
    let wanted: HashSet<u64> = sockets
        .iter()
        .map(|s| s.inode)
        .filter(|i| *i != 0)
        .collect();
    let owners = socket_owners(source, &wanted);
    let names = NameCache::default();
    let rows: Vec<Row> = sockets
        .into_iter()
        .map(|socket| {
            let pids = owners
                .by_inode
                .get(&socket.inode)
                .cloned()
                .unwrap_or_default();
            let owners = pids
                .into_iter()
                .filter_map(|pid| source.read_process(pid, Needs::STAT).map(|p| (pid, p.name)))
                .collect();
            let user = names
                .user(socket.uid)
                .unwrap_or_else(|| socket.uid.to_string());
            Row {
                socket,
                owners,
                user,
            }
        })
        .collect();
    note_unknown_owners(&rows, &owners);
    match config.format {
        OutputFormat::Json | OutputFormat::Ndjson => {
            let names = [
                "proto",
                "address",
                "port",
                "state",
                "remote_address",
                "remote_port",
                "uid",
                "user",
                "inode",
                "processes",
            ];
            let values = rows.iter().map(|r| {
                vec![
                    r.socket.proto.to_string().into(),
                    r.socket.local.ip().to_string().into(),
                    r.socket.local.port().into(),
                    r.socket.state.into(),
                    r.socket.remote.ip().to_string().into(),
                    r.socket.remote.port().into(),
                    r.socket.uid.into(),
                    r.user.clone().into(),
                    r.socket.inode.into(),
                    r.owners
                        .iter()
                        .map(|(pid, name)| serde_json::json!({"pid": pid, "name": json_text(name)}))
                        .collect::<Vec<_>>()
                        .into(),
                ]
            });
            json::write_rows(out, &names, values, config.format == OutputFormat::Ndjson)?;
        }
        OutputFormat::Csv => {
            if config.header {
                csv::write_record(
                    out,
                    [
                        "proto", "address", "port", "state", "remote", "pids", "user", "command",
                    ]
                    .into_iter(),
                )?;
            }
            for r in &rows {
                let cells = text_cells(r);
                csv::write_record(out, cells.iter().map(|c| c.text.as_str()))?;
            }
        }
        OutputFormat::Table | OutputFormat::Plain => {
            let grid = TextGrid {
                headers: [
                    "PROTO", "ADDRESS", "PORT", "STATE", "REMOTE", "PID", "USER", "COMMAND",
                ]
                .iter()
                .map(|h| h.to_string())
                .collect(),
                aligns: vec![
                    Align::Left,
                    Align::Left,
                    Align::Right,
                    Align::Left,
                    Align::Left,
                    Align::Right,
                    Align::Left,
                    Align::Left,
                ],
                rows: rows.iter().map(text_cells).collect(),
            };
            let grid = if config.all {
                grid
            } else {
                drop_columns(grid, &[3, 4])
            };
            if config.format == OutputFormat::Table {
                let elastic = Some(grid.headers.len() - 1);
                write_table(
                    out,
                    &grid,
                    TableOptions {
                        header: config.header,
                        width: config.width,
                        elastic_column: elastic,
                        theme: config.theme,
                    },
                )?;
            } else {
                write_text(
                    out,
                    &grid,
                    TextOptions {
                        header: config.header,
                        max_width: None,
                        theme: config.theme,
                    },
                )?;
            }
        }
    }
    Ok(Exit::Success)
}

fn text_cells(r: &Row) -> Vec<Cell> {
    let plain = |s: String| Cell::new(s, CellKind::Plain);
    let pids: Vec<String> = r.owners.iter().map(|(p, _)| p.to_string()).collect();
    let mut names: Vec<String> = r
        .owners
        .iter()
        .map(|(_, n)| escape_bytes(n).into_owned())
        .collect();
    names.dedup();
    let dash = |v: Vec<String>, sep: &str| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(sep)
        }
    };
    let remote = if r.socket.remote.port() == 0 && r.socket.remote.ip().is_unspecified() {
        "*".to_string()
    } else {
        r.socket.remote.to_string()
    };
    vec![
        plain(r.socket.proto.to_string()),
        plain(r.socket.local.ip().to_string()),
        plain(r.socket.local.port().to_string()),
        plain(r.socket.state.to_string()),
        plain(remote),
        plain(dash(pids, ",")),
        Cell::new(r.user.clone(), CellKind::User),
        plain(dash(names, ",")),
    ]
}

fn drop_columns(mut grid: TextGrid, drop: &[usize]) -> TextGrid {
    let keep = |i: &usize| !drop.contains(i);
    grid.headers = grid
        .headers
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep(i))
        .map(|(_, h)| h)
        .collect();
    grid.aligns = grid
        .aligns
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep(i))
        .map(|(_, a)| a)
        .collect();
    grid.rows = grid
        .rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .filter(|(i, _)| keep(i))
                .map(|(_, c)| c)
                .collect()
        })
        .collect();
    grid
}

/// One line on stderr when owners stayed unknown for lack of privileges.
fn note_unknown_owners(rows: &[Row], owners: &Owners) {
    let unknown = rows.iter().filter(|r| r.owners.is_empty()).count();
    if unknown > 0 && !owners.unreadable.is_empty() {
        eprintln!(
            "proctl: {unknown} sockets show no owner: the descriptors of {} processes cannot be read without privileges (run as root to see them)",
            owners.unreadable.len()
        );
    }
}
