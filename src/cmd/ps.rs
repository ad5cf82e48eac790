//! `proctl ps`: list processes.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cli::{OutputFormat, PsArgs};
use crate::cmd::ps_layout::{machine_columns, modern_columns};
use crate::columns::{self, Column, ColumnCtx, ColumnId};
use crate::duration::parse_nonzero_duration;
use crate::error::{Error, Exit, Result};
use crate::model::extras::Wants;
use crate::model::holding::{HoldTarget, describe_each, holders, parse_targets};
use crate::model::net::{Proto, parse_port, pids_on_port, read_sockets, socket_owners};
use crate::model::tree::Tree;
use crate::model::users::NameCache;
use crate::model::{Needs, ProcSource, ProcessInfo, Snapshot};
use crate::procps::{self, Action, Request};
use crate::render::csv;
use crate::render::json;
use crate::render::table::{TableOptions, write_table};
use crate::render::text::{Cell, TextGrid, TextOptions, write_text};
use crate::render::theme::CellKind;
use crate::render::{Theme, escape_bytes};
use crate::select::{Pattern, Scope, Selection, SortKey};
use crate::terminal::Terminal;

/// The options of proctl's own (modern) view: what `proctl ps` with no
/// arguments, or with only proctl's long options, lists.
#[derive(Debug, Default)]
pub struct ModernArgs {
    pub pattern: Option<String>,
    /// The pattern matches the whole command line.
    pub full: bool,
    pub regex: bool,
    pub exact: bool,
    pub kernel: bool,
    pub state: Vec<String>,
    pub sample: Option<String>,
    pub port: Option<String>,
    /// `--holding PATH` (repeatable), `--mount`.
    pub holding: Vec<String>,
    pub mount: bool,
    pub list_columns: bool,
    pub format: Option<OutputFormat>,
    pub no_header: bool,
}

/// What a `ps` command line asks for.
#[derive(Debug)]
pub enum PsPlan {
    /// proctl's own view.
    Modern(PsConfig),
    /// procps's output, optionally narrowed by proctl's selectors and
    /// printed as JSON or CSV.
    Procps {
        request: Box<Request>,
        extra: Option<Selection>,
        format: Option<OutputFormat>,
        /// For `--format table`: the theme and the width to fit.
        table: (Theme, Option<usize>),
    },
    /// `-V`, `L`, `--help`, `--info`.
    Say(Action),
}

fn output_format(name: &str) -> OutputFormat {
    match name {
        "table" => OutputFormat::Table,
        "json" => OutputFormat::Json,
        "ndjson" => OutputFormat::Ndjson,
        "csv" => OutputFormat::Csv,
        _ => OutputFormat::Plain,
    }
}

impl PsPlan {
    /// Reads a ps command line: procps's grammar first; proctl's own long
    /// options only where procps rejects the line (and never under the
    /// name `ps` alone... they are allowed there too, after procps).
    pub fn from_args(args: &PsArgs, term: &Terminal, theme: Theme) -> Result<PsPlan> {
        let words: Vec<String> = args.args.iter().map(|a| procps::arg_text(a)).collect();
        if words.is_empty() && !args.as_ps {
            let modern = ModernArgs::default();
            return Ok(PsPlan::Modern(PsConfig::from_args(&modern, term, theme)?));
        }
        let tty = crate::cmd::ps_procps::own_tty();
        let request = match procps::parse(&words, false, tty) {
            Ok(r) => r,
            Err(rejected) => match procps::parse(&words, true, tty) {
                // procps rejected it; proctl's options or keys made it valid.
                Ok(r) => r,
                _ => {
                    return Err(if rejected.status == 2 {
                        Error::Usage(rejected.message)
                    } else {
                        Error::Failed(rejected.message)
                    });
                }
            },
        };
        if request.action != Action::List {
            return Ok(PsPlan::Say(request.action));
        }
        quick_pid_conflicts(&request)?;
        let ext = &request.ext;
        let holding = holding_targets(&ext.holding, ext.mount)?;
        let wants_holds = request
            .format
            .iter()
            .filter_map(|f| f.spec)
            .chain(request.sort.iter().map(|s| s.spec))
            .any(|s| s.pr == crate::columns::keys::Pr::Holds);
        if wants_holds && holding.is_empty() {
            return Err(Error::usage(
                "the holds column needs --holding PATH (what it says is how PATH is held)",
            ));
        }
        let format = ext.output.as_deref().map(output_format);
        if !ext.any() || (request.procps_args > 0 && only_output(ext)) {
            return Ok(PsPlan::Procps {
                request: Box::new(request),
                extra: None,
                format,
                table: (theme, term.is_tty.then_some(term.width).flatten()),
            });
        }
        if request.procps_args == 0 {
            let modern = ModernArgs {
                pattern: ext.pattern.clone(),
                full: ext.full,
                regex: ext.regex,
                exact: ext.exact,
                kernel: ext.kernel,
                state: ext.state.clone(),
                sample: ext.sample.clone(),
                port: ext.port.clone(),
                holding: ext.holding.clone(),
                mount: ext.mount,
                list_columns: ext.list_columns,
                format,
                no_header: request.header == procps::HeaderType::None,
            };
            return Ok(PsPlan::Modern(PsConfig::from_args(&modern, term, theme)?));
        }
        if ext.sample.is_some() || ext.list_columns || ext.kernel {
            return Err(Error::usage(
                "--sample, --kernel and --list-columns work only without procps options",
            ));
        }
        let mut extra = Selection::scope(Scope::All);
        extra.states = parse_states(&ext.state)?;
        if let Some(text) = &ext.pattern {
            extra.pattern = Some(Pattern::new(text, ext.regex, ext.exact, ext.full)?);
            // A pattern never matches proctl itself (its own command line holds it).
            extra.exclude_self = true;
        } else if ext.regex || ext.exact || ext.full {
            return Err(Error::usage(
                "--regex, --exact and --full need --match PATTERN",
            ));
        }
        if let Some(port) = &ext.port {
            let (port, proto) = parse_port(port)?;
            extra.port_pids = Some(pids_on_port(&ProcSource::new(None), port, proto));
        }
        extra.holding = holding;
        Ok(PsPlan::Procps {
            request: Box::new(request),
            extra: Some(extra),
            format,
            table: (theme, term.is_tty.then_some(term.width).flatten()),
        })
    }
}

/// procps's checks on `-q` (display.c's arg_check_conflicts), made after
/// the command line parsed: it reads the listed pids directly, so it
/// combines with no other selection, forest, sort or `-N`.
fn quick_pid_conflicts(r: &Request) -> Result<()> {
    let quick = r
        .lists
        .iter()
        .filter(|l| l.kind == procps::SelKind::PidQuick)
        .count();
    let message = if quick > 1 {
        "q/-q/--quick-pid can only be used once."
    } else if quick == 0 {
        return Ok(());
    } else if r.lists.len() > quick {
        "q/-q/--quick-pid cannot be combined with other selection options."
    } else if r.forest.is_some() {
        "q/-q/--quick-pid cannot be used together with forest type listings."
    } else if !r.sort.is_empty() {
        "q/-q,--quick-pid cannot be used together with sort options."
    } else if r.negate {
        "q/-q/--quick-pid cannot be used together with negation switches."
    } else {
        return Ok(());
    };
    Err(Error::Failed(message.to_string()))
}

/// Validates `--holding` paths (each must exist) and `--mount`, before
/// anything is read.
fn holding_targets(paths: &[String], mount: bool) -> Result<Vec<HoldTarget>> {
    if mount && paths.is_empty() {
        return Err(Error::usage("--mount needs --holding PATH"));
    }
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    parse_targets(Path::new("/proc"), &paths, mount)
}

/// Narrows rows already selected to the processes holding a `--holding`
/// path (fuser's meaning), reading the descriptors of those rows only, and
/// records how each holds them for the `holds` column. Processes whose
/// descriptors or mappings could not be read are counted in one stderr
/// line, as `show --holding` does.
pub(crate) fn narrow_to_holders(
    source: &ProcSource,
    rows: &mut Vec<ProcessInfo>,
    targets: &[HoldTarget],
) {
    if targets.is_empty() {
        return;
    }
    let mut pids: Vec<i32> = rows.iter().map(|p| p.pid).collect();
    pids.dedup();
    let found = holders(source.root(), &pids, targets);
    if !found.unreadable.is_empty() {
        crate::error::warn(crate::model::holding::unreadable_note(
            found.unreadable.len(),
        ));
    }
    rows.retain(|p| found.by_pid.contains_key(&p.pid));
    for p in rows {
        let held = describe_each(&found.by_pid[&p.pid], targets);
        p.extras.get_or_insert_with(Box::default).holds = Some(held);
    }
}

/// Whether the only extension is the output format.
fn only_output(ext: &procps::Extensions) -> bool {
    procps::Extensions {
        output: None,
        ..ext.clone()
    } == procps::Extensions::default()
}

fn parse_states(values: &[String]) -> Result<Vec<char>> {
    split_list(values)
        .flat_map(|s| s.chars().filter(|c| *c != ' '))
        .map(|c| {
            let c = if "rsdzix".contains(c) {
                c.to_ascii_uppercase()
            } else {
                c
            };
            if "RSDZTtIXWP".contains(c) {
                Ok(c)
            } else {
                Err(Error::usage(format!(
                    "invalid state '{c}': use R, S, D, Z, T, t, I or X"
                )))
            }
        })
        .collect()
}

/// Runs a plan.
pub fn run_plan(plan: &PsPlan, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    match plan {
        PsPlan::Modern(config) => run(config, source, out),
        PsPlan::Procps {
            request,
            extra,
            format,
            table,
        } => match format {
            Some(f @ (OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::Csv)) => {
                crate::cmd::ps_procps::run_machine(request, source, extra.as_ref(), *f, out)
            }
            // proctl's own text formats, asked for by name: its escaping.
            Some(OutputFormat::Table) => {
                crate::cmd::ps_procps::run_text(request, source, extra.as_ref(), Some(*table), out)
            }
            Some(OutputFormat::Plain) => {
                crate::cmd::ps_procps::run_text(request, source, extra.as_ref(), None, out)
            }
            _ => crate::cmd::ps_procps::run(request, source, extra.as_ref(), out),
        },
        PsPlan::Say(action) => {
            match action {
                Action::Version => {
                    writeln!(
                        out,
                        "proctl ps {} (procps-ng 4.0.2 compatible)",
                        env!("CARGO_PKG_VERSION")
                    )?;
                }
                Action::ListKeys => out.write_all(crate::columns::keys::list_text().as_bytes())?,
                Action::Info => {
                    // procps's --info describes its build on stderr.
                    eprintln!(
                        "proctl {}: procps-ng 4.0.2 ps grammar, personality unknown",
                        env!("CARGO_PKG_VERSION")
                    );
                }
                Action::Help(_) | Action::List => {
                    let mut cmd = crate::cli::command();
                    let help = cmd
                        .find_subcommand_mut("ps")
                        .map(|c| c.render_long_help().to_string())
                        .unwrap_or_default();
                    out.write_all(help.as_bytes())?;
                }
            }
            Ok(Exit::Success)
        }
    }
}

/// Everything `proctl ps` needs to know, decided from the command line.
#[derive(Debug)]
pub struct PsConfig {
    pub columns: Vec<Column>,
    pub selection: Selection,
    pub sort: Vec<SortKey>,
    pub forest: bool,
    pub threads: bool,
    pub format: OutputFormat,
    pub header: bool,
    pub sample: Option<Duration>,
    /// procps layouts cut names to this width.
    pub name_width: Option<usize>,
    pub wchan_width: Option<usize>,
    /// Cut lines to this width (procps layouts on a terminal).
    pub max_width: Option<usize>,
    /// Fit the table to this width (modern view on a terminal).
    pub table_width: Option<usize>,
    pub theme: Theme,
    pub list_columns: bool,
    /// `--port`: select the holders of this port.
    pub port: Option<(u16, Option<Proto>)>,
}

impl PsConfig {
    /// Validates the arguments and decides the view. Nothing is read yet.
    pub fn from_args(args: &ModernArgs, term: &Terminal, theme: Theme) -> Result<PsConfig> {
        let machine = matches!(
            args.format,
            Some(OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::Csv)
        );
        let mut columns = if machine {
            machine_columns(false)
        } else {
            modern_columns(false)
        };
        let mut selection = build_selection(args)?;
        selection.holding = holding_targets(&args.holding, args.mount)?;
        if !selection.holding.is_empty() {
            // How each process holds the paths, before the command (cut last).
            let at = columns
                .iter()
                .rposition(Column::is_command)
                .unwrap_or(columns.len());
            columns.insert(at, Column::of(ColumnId::Holds));
            selection.scope = Scope::All;
        }
        let sample = args
            .sample
            .as_deref()
            .map(parse_nonzero_duration)
            .transpose()?;
        let format = args.format.unwrap_or(OutputFormat::Table);
        Ok(PsConfig {
            name_width: None,
            wchan_width: None,
            columns,
            selection,
            sort: Vec::new(),
            forest: false,
            threads: false,
            format,
            header: !args.no_header,
            sample,
            max_width: None,
            table_width: if term.is_tty { term.width } else { None },
            theme: if format == OutputFormat::Plain {
                Theme::plain()
            } else {
                theme
            },
            list_columns: args.list_columns,
            port: args.port.as_deref().map(parse_port).transpose()?,
        })
    }

    fn needs(&self) -> Needs {
        let cols = self.columns.iter().map(|c| columns::needs(c.id()));
        let sorts = self.sort.iter().map(|k| columns::needs(k.column));
        cols.chain(sorts).fold(self.selection.needs(), |a, b| a | b)
    }
}

fn split_list(values: &[String]) -> impl Iterator<Item = &str> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn build_selection(args: &ModernArgs) -> Result<Selection> {
    let scope = if args.kernel {
        Scope::All
    } else {
        Scope::NoKernel
    };
    let mut sel = Selection::scope(scope);
    sel.states = parse_states(&args.state)?;
    if let Some(text) = &args.pattern {
        sel.pattern = Some(Pattern::new(text, args.regex, args.exact, args.full)?);
    } else if args.regex || args.exact {
        return Err(Error::usage("--regex and --exact need a PATTERN"));
    }
    if sel.is_explicit() {
        sel.scope = Scope::All;
        sel.exclude_self = sel.pattern.is_some();
    }
    Ok(sel)
}

/// Runs `proctl ps`.
pub fn run(config: &PsConfig, source: &ProcSource, out: &mut dyn Write) -> Result<Exit> {
    if config.list_columns {
        out.write_all(columns::list_text().as_bytes())?;
        return Ok(Exit::Success);
    }
    let needs = config.needs();
    let mut selection = config.selection.with_own_pid(source.own_pid()).into_owned();
    if let Some((port, proto)) = config.port {
        selection.port_pids = Some(pids_on_port(source, port, proto));
        selection.scope = Scope::All;
    }
    let mut snapshot = take_snapshot(config, source, needs)?;
    if config.columns.iter().any(|c| c.id() == ColumnId::Ports) {
        fill_ports(source, &mut snapshot.processes);
    }
    let names = NameCache::default();
    let ctx = ColumnCtx {
        system: &snapshot.system,
        names: &names,
        name_width: config.name_width,
        wchan_width: config.wchan_width,
    };
    let mut procs: Vec<ProcessInfo> = std::mem::take(&mut snapshot.processes)
        .into_iter()
        .filter(|p| selection.matches(p))
        .collect();
    narrow_to_holders(source, &mut procs, &selection.holding);
    let wants = config
        .columns
        .iter()
        .map(|c| c.id())
        .chain(config.sort.iter().map(|k| k.column))
        .fold(Wants::default(), |w, id| w | columns::extra_wants(id));
    fill_extras(source, &mut procs, wants);
    if procs.is_empty() && selection.is_explicit() {
        // JSON is an array: empty when nothing matched (CSV: the header).
        match config.format {
            OutputFormat::Json => write_json(config, &procs, &ctx, out)?,
            OutputFormat::Csv => write_csv(config, &procs, &ctx, out)?,
            _ => {}
        }
        return Ok(Exit::Failure);
    }
    let prefixes = if config.forest {
        let (ordered, prefixes) = forest_order(procs, &config.sort, &ctx);
        procs = ordered;
        Some(prefixes)
    } else {
        crate::select::sort(&mut procs, &config.sort, &ctx);
        None
    };
    match config.format {
        OutputFormat::Json | OutputFormat::Ndjson => write_json(config, &procs, &ctx, out)?,
        OutputFormat::Csv => write_csv(config, &procs, &ctx, out)?,
        OutputFormat::Table | OutputFormat::Plain => {
            let grid = text_grid(config, &procs, prefixes.as_deref(), &ctx);
            if config.format == OutputFormat::Table {
                let opts = TableOptions {
                    header: config.header,
                    width: config.table_width,
                    elastic_column: config.columns.iter().rposition(Column::is_command),
                    theme: config.theme,
                };
                write_table(out, &grid, opts)?;
            } else {
                let opts = TextOptions {
                    header: config.header,
                    max_width: config.max_width,
                    theme: config.theme,
                };
                write_text(out, &grid, opts)?;
            }
        }
    }
    Ok(Exit::Success)
}

fn take_snapshot(config: &PsConfig, source: &ProcSource, needs: Needs) -> Result<Snapshot> {
    let read_err =
        |e: std::io::Error| Error::Failed(format!("cannot read {}: {e}", source.root().display()));
    let Some(interval) = config.sample else {
        return source.snapshot(needs, config.threads).map_err(read_err);
    };
    let before = source
        .snapshot(Needs::STAT, config.threads)
        .map_err(read_err)?;
    let first: HashMap<(i32, i32, u64), u64> = before
        .processes
        .iter()
        .map(|p| ((p.pid, p.tid, p.start_ticks), p.cpu_ticks()))
        .collect();
    let started = Instant::now();
    std::thread::sleep(interval);
    let mut after = source.snapshot(needs, config.threads).map_err(read_err)?;
    let seconds = started.elapsed().as_secs_f64().max(1e-3);
    let hz = after.system.hz as f64;
    for p in &mut after.processes {
        let base = first
            .get(&(p.pid, p.tid, p.start_ticks))
            .copied()
            .unwrap_or(0);
        let ticks = p.cpu_ticks().saturating_sub(base) as f64;
        p.sampled_cpu = Some(ticks / hz / seconds * 100.0);
    }
    Ok(after)
}

/// Reads what the columns need after selection (`model::extras`).
pub(crate) fn fill_extras(source: &ProcSource, procs: &mut [ProcessInfo], wants: Wants) {
    let live = source.is_live();
    crate::model::extras::fill(source.root(), live, procs, wants);
}

/// Fills each process's listening ports (the `ports` column).
pub(crate) fn fill_ports(source: &ProcSource, procs: &mut [ProcessInfo]) {
    let sockets: Vec<_> = read_sockets(source.root(), true, true)
        .into_iter()
        .filter(|s| s.is_listening())
        .collect();
    let wanted: HashSet<u64> = sockets.iter().map(|s| s.inode).collect();
    let owners = socket_owners(source, &wanted);
    let mut by_pid: HashMap<i32, Vec<String>> = HashMap::new();
    for s in &sockets {
        for pid in owners.by_inode.get(&s.inode).into_iter().flatten() {
            let entry = format!("{}/{}", s.local.port(), s.proto);
            let ports = by_pid.entry(*pid).or_default();
            if !ports.contains(&entry) {
                ports.push(entry);
            }
        }
    }
    for p in procs {
        let readable = !owners.unreadable.contains(&p.pid);
        p.ports = readable.then(|| by_pid.get(&p.pid).cloned().unwrap_or_default());
    }
}

/// Orders processes as `ps --forest` does (procps display.c): siblings by
/// the sort keys (start time when none), roots in reverse; and the tree
/// prefix of each row's command.
fn forest_order(
    mut procs: Vec<ProcessInfo>,
    keys: &[SortKey],
    ctx: &ColumnCtx,
) -> (Vec<ProcessInfo>, Vec<String>) {
    let keys: Vec<SortKey> = if keys.is_empty() {
        vec![SortKey {
            column: ColumnId::Stime,
            descending: false,
        }]
    } else {
        keys.to_vec()
    };
    crate::select::sort(&mut procs, &keys, ctx);
    let tree = Tree::build(&procs);
    let mut roots = tree.roots.clone();
    roots.sort_by_key(|&i| procs[i].ppid);
    roots.reverse();
    let mut rows = tree.walk(&roots);
    let mut seen = vec![false; procs.len()];
    rows.iter().for_each(|r| seen[r.index] = true);
    let strays: Vec<usize> = (0..procs.len()).filter(|&i| !seen[i]).collect();
    rows.extend(tree.walk(&strays));
    let prefixes = rows
        .iter()
        .map(|r| forest_prefix(&r.more_siblings))
        .collect();
    let mut slots: Vec<Option<ProcessInfo>> = procs.into_iter().map(Some).collect();
    let ordered = rows.iter().filter_map(|r| slots[r.index].take()).collect();
    (ordered, prefixes)
}

/// procps's ASCII forest art: ` |  ` or four spaces per ancestor level, then ` \_ `.
fn forest_prefix(more: &[bool]) -> String {
    let Some((_, ancestors)) = more.split_last() else {
        return String::new();
    };
    let mut s: String = ancestors
        .iter()
        .map(|&m| if m { " |  " } else { "    " })
        .collect();
    s.push_str(" \\_ ");
    s
}

fn cell_kind(id: ColumnId, p: &ProcessInfo, text: &str) -> CellKind {
    match id {
        ColumnId::Stat | ColumnId::State => CellKind::State(p.state),
        ColumnId::Pcpu | ColumnId::Pmem => CellKind::Load(
            text.split('.')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        ),
        ColumnId::Args | ColumnId::Comm if p.is_kernel_thread() => CellKind::Kernel,
        _ => CellKind::Plain,
    }
}

fn text_grid(
    config: &PsConfig,
    procs: &[ProcessInfo],
    prefixes: Option<&[String]>,
    ctx: &ColumnCtx,
) -> TextGrid {
    let rows = procs
        .iter()
        .enumerate()
        .map(|(row, p)| {
            config
                .columns
                .iter()
                .map(|c| {
                    let raw = columns::display_of(c.id(), p, ctx);
                    let mut text = escape_bytes(&raw).into_owned();
                    if let (Some(prefixes), true) = (prefixes, c.is_command()) {
                        text.insert_str(0, &prefixes[row]);
                    }
                    let kind = cell_kind(c.id(), p, &text);
                    Cell::new(text, kind)
                })
                .collect()
        })
        .collect();
    TextGrid {
        headers: config.columns.iter().map(|c| c.header.clone()).collect(),
        aligns: config.columns.iter().map(|c| c.spec.align).collect(),
        rows,
    }
}

fn json_names(config: &PsConfig) -> Vec<&'static str> {
    config.columns.iter().map(|c| c.spec.json).collect()
}

fn json_row(config: &PsConfig, p: &ProcessInfo, ctx: &ColumnCtx) -> Vec<json::Field> {
    config
        .columns
        .iter()
        .map(|c| json::to_json(&columns::value_of(c.id(), p, ctx), &ctx.system.tz))
        .collect()
}

fn write_json(
    config: &PsConfig,
    procs: &[ProcessInfo],
    ctx: &ColumnCtx,
    out: &mut dyn Write,
) -> Result<()> {
    let names = json_names(config);
    let rows = procs.iter().map(|p| json_row(config, p, ctx));
    json::write_rows(out, &names, rows, config.format == OutputFormat::Ndjson)?;
    Ok(())
}

fn write_csv(
    config: &PsConfig,
    procs: &[ProcessInfo],
    ctx: &ColumnCtx,
    out: &mut dyn Write,
) -> Result<()> {
    if config.header {
        csv::write_record(out, json_names(config).into_iter())?;
    }
    for p in procs {
        let fields: Vec<String> = json_row(config, p, ctx)
            .iter()
            .map(csv::field_cell)
            .collect();
        csv::write_record(out, fields.iter().map(String::as_str))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forest_prefixes_match_procps_art() {
        assert_eq!(forest_prefix(&[]), "");
        assert_eq!(forest_prefix(&[false]), " \\_ ");
        assert_eq!(forest_prefix(&[true, false]), " |   \\_ ");
        assert_eq!(forest_prefix(&[false, true]), "     \\_ ");
    }
}
