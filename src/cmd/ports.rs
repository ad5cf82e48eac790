//! `proctl ports`: who listens on which port, or on which unix socket
//! (`--unix`), with queues and the descriptors that hold each socket.

use std::collections::HashSet;
use std::io::Write;

use crate::cli::{OutputFormat, PortsArgs};
use crate::columns::Align;
use crate::error::{Exit, Result};
use crate::model::net::{Owners, Proto, Socket, parse_port, read_sockets, socket_owners};
use crate::model::sock_diag::inet_queues;
use crate::model::unix::{UnixSocket, read_unix_sockets};
use crate::model::users::NameCache;
use crate::model::{Needs, ProcSource};
use crate::render::csv;
use crate::render::escape::json_text;
use crate::render::escape_bytes;
use crate::render::json;
use crate::render::show::unix_peer_json;
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
    pub unix: bool,
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
            unix: args.unix,
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

/// The owners of a socket: (pid, fd, process name).
type OwnerList = Vec<(i32, i32, Vec<u8>)>;

/// One listed socket with its owners: (pid, fd, name).
struct Row {
    socket: Socket,
    owners: OwnerList,
    user: String,
}

/// The owners of a socket inode with their names, by pid then fd.
fn owners_of(
    source: &ProcSource,
    owners: &Owners,
    inode: u64,
    names: &mut std::collections::HashMap<i32, Option<Vec<u8>>>,
) -> OwnerList {
    let mut list: Vec<(i32, i32)> = owners.fds.get(&inode).cloned().unwrap_or_default();
    list.sort_unstable();
    list.into_iter()
        .filter_map(|(pid, fd)| {
            let name = names
                .entry(pid)
                .or_insert_with(|| source.read_process(pid, Needs::STAT).map(|p| p.name))
                .clone()?;
            Some((pid, fd, name))
        })
        .collect()
}

/// Runs `proctl ports`.
pub fn run(config: &PortsConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    if config.unix {
        return run_unix(config, source, out);
    }
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
    // /proc/net shows a listener's send queue as 0; inet_diag has the
    // backlog there, as ss prints it.
    if source.is_live()
        && let Some(queues) = inet_queues()
    {
        for s in &mut sockets {
            if let Some(&(rq, wq)) = queues.get(&s.inode) {
                (s.recv_queue, s.send_queue) = (rq, wq);
            }
        }
    }
    let wanted: HashSet<u64> = sockets
        .iter()
        .map(|s| s.inode)
        .filter(|i| *i != 0)
        .collect();
    let owners = socket_owners(source, &wanted);
    let users = NameCache::default();
    let mut names = std::collections::HashMap::new();
    let rows: Vec<Row> = sockets
        .into_iter()
        .map(|socket| {
            let owners = owners_of(source, &owners, socket.inode, &mut names);
            let user = users
                .user(socket.uid)
                .unwrap_or_else(|| socket.uid.to_string());
            Row {
                socket,
                owners,
                user,
            }
        })
        .collect();
    note_unknown_owners(rows.iter().filter(|r| r.owners.is_empty()).count(), &owners);
    match config.format {
        OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::Csv => {
            let names = [
                "proto",
                "address",
                "port",
                "state",
                "remote_address",
                "remote_port",
                "recv_queue",
                "send_queue",
                "uid",
                "user",
                "inode",
                "processes",
            ];
            let values = rows.iter().map(|r| {
                vec![
                    Some(r.socket.proto.to_string().into()),
                    Some(r.socket.local.ip().to_string().into()),
                    Some(r.socket.local.port().into()),
                    Some(r.socket.state.into()),
                    Some(r.socket.remote.ip().to_string().into()),
                    Some(r.socket.remote.port().into()),
                    Some(r.socket.recv_queue.into()),
                    Some(r.socket.send_queue.into()),
                    Some(r.socket.uid.into()),
                    Some(r.user.clone().into()),
                    Some(r.socket.inode.into()),
                    Some(processes_json(&r.owners, !owners.unreadable.is_empty())),
                ]
            });
            write_machine(out, config, &names, values)?;
        }
        OutputFormat::Table | OutputFormat::Plain => {
            let grid = TextGrid {
                headers: [
                    "PROTO", "ADDRESS", "PORT", "STATE", "REMOTE", "RECV-Q", "SEND-Q", "PID", "FD",
                    "USER", "COMMAND",
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
                    Align::Right,
                    Align::Right,
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
            write_grid(out, config, grid)?;
        }
    }
    Ok(Exit::Success)
}

fn write_grid(out: &mut dyn Write, config: &PortsConfig, grid: TextGrid) -> Result<()> {
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
    Ok(())
}

/// JSON, NDJSON or CSV of the same rows: CSV's header is the JSON names
/// and its cells the JSON values (docs/json.md).
fn write_machine(
    out: &mut dyn Write,
    config: &PortsConfig,
    names: &[&str],
    rows: impl Iterator<Item = Vec<json::Field>>,
) -> Result<()> {
    if config.format != OutputFormat::Csv {
        json::write_rows(out, names, rows, config.format == OutputFormat::Ndjson)?;
        return Ok(());
    }
    if config.header {
        csv::write_record(out, names.iter().copied())?;
    }
    for row in rows {
        let cells: Vec<String> = row.iter().map(csv::field_cell).collect();
        csv::write_record(out, cells.iter().map(String::as_str))?;
    }
    Ok(())
}

/// The owners in JSON; null (unknown, docs/json.md) when none was found
/// and some processes' descriptors could not be read: one of those may
/// hold it. `[]` only when every process was read.
fn processes_json(owners: &[(i32, i32, Vec<u8>)], some_unread: bool) -> serde_json::Value {
    if owners.is_empty() && some_unread {
        return serde_json::Value::Null;
    }
    owners
        .iter()
        .map(|(pid, fd, name)| serde_json::json!({"pid": pid, "fd": fd, "name": json_text(name)}))
        .collect::<Vec<_>>()
        .into()
}

fn dash(v: Vec<String>, sep: &str) -> String {
    if v.is_empty() {
        "-".to_string()
    } else {
        v.join(sep)
    }
}

/// The PID, FD and COMMAND texts of a socket's owners.
fn owner_texts(owners: &[(i32, i32, Vec<u8>)]) -> (String, String, String) {
    let pids: Vec<String> = owners.iter().map(|(p, _, _)| p.to_string()).collect();
    let fds: Vec<String> = owners.iter().map(|(_, fd, _)| fd.to_string()).collect();
    let mut names: Vec<String> = owners
        .iter()
        .map(|(_, _, n)| escape_bytes(n).into_owned())
        .collect();
    names.dedup();
    (dash(pids, ","), dash(fds, ","), dash(names, ","))
}

fn text_cells(r: &Row) -> Vec<Cell> {
    let plain = |s: String| Cell::new(s, CellKind::Plain);
    let (pids, fds, names) = owner_texts(&r.owners);
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
        plain(r.socket.recv_queue.to_string()),
        plain(r.socket.send_queue.to_string()),
        plain(pids),
        plain(fds),
        Cell::new(r.user.clone(), CellKind::User),
        plain(names),
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

/// One line on stderr when owners stayed unknown because some processes'
/// descriptors could not be read, whoever runs proctl (root too can be
/// refused: a process with capabilities root lacks, in a container).
fn note_unknown_owners(unknown: usize, owners: &Owners) {
    if unknown > 0 && !owners.unreadable.is_empty() {
        let hint = if nix::unistd::geteuid().is_root() {
            ""
        } else {
            " (run as root to see them)"
        };
        eprintln!(
            "proctl: {} no owner: the descriptors of {} cannot be read without privileges{hint}",
            if unknown == 1 {
                "1 socket shows".to_string()
            } else {
                format!("{unknown} sockets show")
            },
            whose(&owners.unreadable)
        );
    }
}

/// "1 process (pid 1)", "3 processes (pids 1, 5, 9)": the pids when few,
/// so that the next question (which process is it?) has its answer.
fn whose(pids: &[i32]) -> String {
    const NAMED: usize = 5;
    let mut sorted = pids.to_vec();
    sorted.sort_unstable();
    let list = sorted
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match sorted.len() {
        1 => format!("1 process (pid {list})"),
        n if n <= NAMED => format!("{n} processes (pids {list})"),
        n => format!("{n} processes"),
    }
}

/// `ports --unix`: unix sockets (listening ones, or all with --all), as
/// `ss -x` lists them: type, state, queues, name, inode, peer, owners.
fn run_unix(config: &PortsConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    let live = source.is_live();
    let mut sockets: Vec<UnixSocket> = read_unix_sockets(source.root(), live)
        .into_iter()
        .filter(|s| config.all || s.is_listening())
        .collect();
    sockets.sort_by(|a, b| (a.kind, &a.name, a.inode).cmp(&(b.kind, &b.name, b.inode)));
    let wanted: HashSet<u64> = sockets.iter().map(|s| s.inode).collect();
    let owners = socket_owners(source, &wanted);
    let mut names = std::collections::HashMap::new();
    let rows: Vec<(UnixSocket, OwnerList)> = sockets
        .into_iter()
        .map(|s| {
            let o = owners_of(source, &owners, s.inode, &mut names);
            (s, o)
        })
        .collect();
    note_unknown_owners(rows.iter().filter(|r| r.1.is_empty()).count(), &owners);
    let name = |s: &UnixSocket| {
        s.name
            .as_deref()
            .map_or_else(|| "*".to_string(), |n| escape_bytes(n).into_owned())
    };
    let queue = |q: Option<u32>| q.map_or_else(|| "-".to_string(), |n| n.to_string());
    match config.format {
        OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::Csv => {
            let keys = [
                "proto",
                "type",
                "state",
                "path",
                "inode",
                "peer_inode",
                "recv_queue",
                "send_queue",
                "processes",
            ];
            let values = rows.iter().map(|(s, o)| {
                vec![
                    Some("unix".into()),
                    Some(s.kind.into()),
                    Some(s.state.into()),
                    // Left out when unnamed (docs/json.md).
                    s.name.as_deref().map(json_text),
                    Some(s.inode.into()),
                    unix_peer_json(s),
                    Some(s.queues.map(|q| q.0).into()),
                    Some(s.queues.map(|q| q.1).into()),
                    Some(processes_json(o, !owners.unreadable.is_empty())),
                ]
            });
            write_machine(out, config, &keys, values)?;
        }
        OutputFormat::Table | OutputFormat::Plain => {
            let plain = |s: String| Cell::new(s, CellKind::Plain);
            let grid = TextGrid {
                headers: [
                    "TYPE", "STATE", "RECV-Q", "SEND-Q", "PATH", "INODE", "PEER", "PID", "FD",
                    "COMMAND",
                ]
                .iter()
                .map(|h| h.to_string())
                .collect(),
                aligns: vec![
                    Align::Left,
                    Align::Left,
                    Align::Right,
                    Align::Right,
                    Align::Left,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                    Align::Left,
                ],
                rows: rows
                    .iter()
                    .map(|(s, o)| {
                        let (pids, fds, names) = owner_texts(o);
                        vec![
                            plain(s.kind.to_string()),
                            plain(s.state.to_string()),
                            plain(queue(s.queues.map(|q| q.0))),
                            plain(queue(s.queues.map(|q| q.1))),
                            plain(name(s)),
                            plain(s.inode.to_string()),
                            plain(s.peer.map_or_else(|| "-".to_string(), |p| p.to_string())),
                            plain(pids),
                            plain(fds),
                            plain(names),
                        ]
                    })
                    .collect(),
            };
            write_grid(out, config, grid)?;
        }
    }
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::whose;

    /// Regression: the note said "the descriptors of 1 processes" and
    /// never which ones.
    #[test]
    fn the_note_names_few_processes() {
        assert_eq!(whose(&[1]), "1 process (pid 1)");
        assert_eq!(whose(&[9, 1, 5]), "3 processes (pids 1, 5, 9)");
        assert_eq!(whose(&[1, 2, 3, 4, 5, 6]), "6 processes");
    }
}
