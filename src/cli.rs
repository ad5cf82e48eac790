//! Command-line definitions (clap), and nothing else: parsing results are
//! turned into plain configs by the command modules.

use std::path::PathBuf;

use clap::{ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter};

use crate::complete;

/// The top-level command line.
#[derive(Debug, Parser)]
#[command(
    name = "proctl",
    version,
    about = "Inspect and control Linux processes: ps, pstree, kill and spawn in one tool",
    max_term_width = 100,
    after_help = "Exit status: 0 success, 1 nothing matched or an operation failed, 2 bad usage."
)]
pub struct Cli {
    /// When to use colors: auto (only on a terminal), always or never.
    /// NO_COLOR disables colors in auto mode; FORCE_COLOR or CLICOLOR_FORCE enable them.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// Read process information from another /proc tree (for tests).
    #[arg(
        long,
        global = true,
        hide = true,
        env = "PROCTL_PROC_ROOT",
        value_name = "DIR"
    )]
    pub proc_root: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// A subcommand's arguments, added to its `clap::Command` only when that
/// subcommand is parsed or documented (`Command::defer`), so that starting
/// `proctl spawn` does not build the options of every other subcommand.
///
/// The `Args` structs have plain comments, not doc comments: a doc comment
/// would become the subcommand's description when the deferred options are
/// added, replacing the one written on the `Command` variant.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: Args> Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(T::augment_args_for_update)
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

/// When to color output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List processes (a procps `ps` replacement: `proctl ps aux`, `proctl ps -ef`).
    #[command(
        disable_help_flag = true,
        override_usage = "proctl ps [PROCPS OPTIONS...] [--format FORMAT] [--match PATTERN [--regex] [--exact] [--full]] [--state STATES] [--port PORT] [--holding PATH... [--mount]] [--sample DURATION] [--kernel] [--list-columns]",
        after_help = "Every procps-ng ps command line works and prints what procps prints: \
UNIX options (-ef, -p 1, -o pid,comm), BSD options (aux, axjf, k -pcpu) and GNU long options \
(--sort, --forest, --no-headers), mixed. With no arguments at all, proctl's own readable view. \
proctl's long options work where procps would reject the command line.\n\
Exit status: 0 when something was listed, 1 when nothing was (or procps rejects the command line), \
2 on bad usage of proctl's own options."
    )]
    Ps(Deferred<PsArgs>),
    /// Show the process tree (a psmisc `pstree` replacement).
    #[command(
        visible_alias = "tree",
        disable_help_flag = true,
        // psmisc parses with getopt_long, which takes any unambiguous
        // prefix of a long option (--arg for --arguments).
        infer_long_args = true,
        after_help = "Exit status: 0 success, 1 when PID, USER or --match finds nothing, 2 on bad usage."
    )]
    Pstree(Deferred<PstreeArgs>),
    /// Send a signal to processes, safely: by pid, group, pattern, user or subtree.
    #[command(
        visible_alias = "kill",
        allow_negative_numbers = true,
        after_help = "TARGET is a PID (a thread id means its process), -PGID for a process group, 0 for \
proctl's own group, or PID@TICKS to signal the pid only while its start time (ps -o starttime) is TICKS.\n\
The kill forms work too: proctl kill -9 PID, proctl kill -TERM PID, proctl kill -l 15. Before the \
first target, -SIG is the signal; with a selector (--name, -u, ...), -SIG anywhere is the signal, \
as in pkill; after the signal or a target, -N is process group N.\n\
Exit status: 0 when every target got the signal (and exited, with --wait), 1 when any \
failed or nothing matched, 2 on bad usage."
    )]
    Signal(Deferred<SignalArgs>),
    /// Launch a program with its own environment and wired streams, forward
    /// signals to it, and report how it ended.
    #[command(
        after_help = "Exit status: the program's own; 128+N when signal N killed it; 124 when \
--timeout fired; 125 when proctl itself failed; 126 when PROGRAM could not be executed; 127 when \
it was not found; 2 on bad usage."
    )]
    Spawn(Deferred<Box<SpawnArgs>>),
    /// Show what a process holds: identity, command, scheduling, CPU,
    /// memory (PSS, USS), security, I/O, open files, sockets, environment,
    /// limits, cgroups, namespaces, signals; or who holds a path (--holding).
    #[command(
        visible_alias = "inspect",
        after_help = "Exit status: 0 success, 1 when nothing matches, 2 on bad usage."
    )]
    Show(Deferred<ShowArgs>),
    /// List listening sockets (or all with --all), TCP and UDP or unix (--unix), and the processes holding them.
    #[command(after_help = "Exit status: 0 success, 1 when --port finds nothing, 2 on bad usage.")]
    Ports(Deferred<PortsArgs>),
    /// Change how running processes share the machine: nice, CPU affinity,
    /// scheduling policy, I/O priority, resource limits, OOM score.
    #[command(
        after_help = "TARGET is a PID (a thread id means its process) or PID@TICKS; the selectors \
are those of proctl signal. Nice, affinity, policy and I/O priority are changed in every thread.\n\
Outcomes (JSON \"outcome\"): changed; unchanged (the process already had the value); would_change \
(--dry-run, \"after\" is the value it would set); permission_denied (names the capability); \
no_such_process; pid_reused; refused (with the reason).\n\
Exit status: 0 when every change was made or already in place, 1 when any failed or nothing \
matched, 2 on bad usage."
    )]
    Set(Deferred<SetArgs>),
    /// Wait for processes (not only children) to exit, like pidwait.
    #[command(
        after_help = "PIDs, PID@TICKS and the selectors of proctl signal name the processes.\n\
Exit status: 0 when all exited, 1 on timeout, when a PID does not exist or nothing matched."
    )]
    Wait(Deferred<WaitArgs>),
    /// A live view of processes sharing the CPU and memory (like top and
    /// htop), or frames of text or JSON with --batch.
    #[command(
        after_help = "Without a terminal on stdout, frames are printed as with --batch. \
Press ? in the live view for its keys.\n\
Exit status: 0 success, 2 on bad usage."
    )]
    Top(Deferred<TopArgs>),
}

/// Output formats for set's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetFormat {
    /// Failures on stderr; -v adds a line a change, --dry-run a line a planned change.
    Text,
    /// A JSON array: pid, name, changes [{what, before, after, outcome, reason}].
    Json,
}

/// Output formats for signal reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One line a target (errors always, the rest with -v).
    Text,
    /// A JSON array, an object a process (docs/json.md).
    Json,
}

// pgrep-style selectors, shared by `proctl signal` and `proctl wait`: a
// process must meet every selector given; a comma list means any of its
// values.
#[derive(Debug, Args, Default)]
pub struct SelectorArgs {
    /// Select processes whose name matches this regex (pgrep's PATTERN).
    #[arg(long = "name", value_name = "PATTERN", add = ArgValueCompleter::new(complete::process_names))]
    pub name: Option<String>,

    /// --name matches the whole command line.
    #[arg(short = 'f', long = "full")]
    pub full: bool,

    /// --name must match the whole name (or command line).
    #[arg(short = 'x', long = "exact")]
    pub exact: bool,

    /// --name ignores case.
    #[arg(short = 'i', long = "ignore-case")]
    pub ignore_case: bool,

    /// Select processes of these effective users (names or uids, comma-separated).
    #[arg(short = 'u', long = "user", value_name = "USER,...", add = ArgValueCompleter::new(complete::users))]
    pub user: Option<String>,

    /// Select processes of these real users.
    #[arg(short = 'U', long = "real-user", value_name = "USER,...", add = ArgValueCompleter::new(complete::users))]
    pub real_user: Option<String>,

    /// Select processes of these real groups (names or gids).
    #[arg(short = 'G', long = "real-group", value_name = "GROUP,...")]
    pub real_group: Option<String>,

    /// Select children of these pids.
    #[arg(short = 'P', long = "parent", value_name = "PPID,...", add = ArgValueCompleter::new(complete::pids))]
    pub parent: Option<String>,

    /// Select members of these process groups.
    #[arg(short = 'g', long = "pgroup", value_name = "PGID,...")]
    pub pgroup: Option<String>,

    /// Removed: it meant --pgroup, but pgrep's --group is the real group.
    #[arg(long = "group", hide = true, value_name = "PGID")]
    pub group: Option<String>,

    /// Select members of these sessions.
    #[arg(long = "session", value_name = "SID,...")]
    pub session: Option<String>,

    /// Select processes on these terminals (pts/0, tty1).
    #[arg(short = 't', long = "terminal", value_name = "TTY,...")]
    pub terminal: Option<String>,

    /// Select processes in these states (R, S, D, Z, T, t, I; comma-separated or run together).
    #[arg(short = 'r', long = "runstates", value_name = "STATES")]
    pub runstates: Option<String>,

    /// Select the pids listed in FILE (the first word of each line).
    #[arg(short = 'F', long = "pidfile", value_name = "FILE")]
    pub pidfile: Option<PathBuf>,

    /// Select the processes holding a socket on this local port: PORT, PORT/tcp or PORT/udp.
    #[arg(long = "port", value_name = "PORT")]
    pub port: Option<String>,

    /// Select the processes holding PATH: open, or as working directory, root, executable or mapping; a mount point: anything on it (fuser's meaning; repeatable).
    #[arg(long = "holding", value_name = "PATH")]
    pub holding: Vec<PathBuf>,

    /// --holding PATH means the whole filesystem PATH is on (fuser -m).
    #[arg(long = "mount", requires = "holding")]
    pub mount: bool,

    /// Select processes older than DURATION.
    #[arg(long = "older-than", value_name = "DURATION", add = ArgValueCompleter::new(complete::durations))]
    pub older_than: Option<String>,

    /// Select processes younger than DURATION.
    #[arg(long = "younger-than", value_name = "DURATION", add = ArgValueCompleter::new(complete::durations))]
    pub younger_than: Option<String>,

    /// Select the processes that do NOT match the other selectors.
    #[arg(long = "inverse")]
    pub inverse: bool,

    /// Of the selected processes, only the newest.
    #[arg(long, conflicts_with = "oldest")]
    pub newest: bool,

    /// Of the selected processes, only the oldest.
    #[arg(long)]
    pub oldest: bool,
}

// Options of `proctl signal` / `proctl kill`.
#[derive(Debug, Args)]
pub struct SignalArgs {
    /// Processes to signal: PID (a thread id signals its process), -PGID (a
    /// process group, after the first target or after --), 0 (proctl's own
    /// group) or PID@TICKS.
    #[arg(value_name = "TARGET", allow_negative_numbers = true, add = ArgValueCompleter::new(complete::pids))]
    pub targets: Vec<String>,

    /// The signal: a name (TERM, sigterm, RTMIN+1) or a number. Default TERM.
    #[arg(short = 's', long = "signal", value_name = "SIG", add = ArgValueCandidates::new(complete::signal_names))]
    pub signal: Option<String>,

    /// The signal by number (kill -n 9).
    #[arg(short = 'n', value_name = "NUM", conflicts_with = "signal")]
    pub signal_number: Option<String>,

    /// Send the signal with this integer value (sigqueue(3)).
    #[arg(short = 'q', long = "queue", value_name = "VALUE")]
    pub queue: Option<String>,

    /// List signal names, or translate each N or NAME (kill -l 15 prints TERM; 143 names 128+N).
    #[arg(short = 'l', long = "list-names", value_name = "N|NAME", num_args = 0..)]
    pub list_names: Option<Vec<String>>,

    /// Print a table of signals: number, name, default action, description.
    #[arg(short = 'L', long = "list")]
    pub list: bool,

    #[command(flatten)]
    pub select: SelectorArgs,

    /// Signal PID and all its descendants; none escapes by forking.
    #[arg(long = "tree", value_name = "PID", add = ArgValueCompleter::new(complete::pids))]
    pub tree: Option<String>,

    /// Allow pid 1, -1 (every process) and proctl's own pid.
    #[arg(long)]
    pub force: bool,

    /// Do not ask before signalling several processes.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Show what would be signalled; send nothing.
    #[arg(long = "dry-run")]
    pub dry_run: bool,

    /// Wait until every target has exited.
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up after DURATION in all (exit 1).
    #[arg(long, value_name = "DURATION", add = ArgValueCompleter::new(complete::durations))]
    pub timeout: Option<String>,

    /// Send KILL to the targets still running after DURATION.
    #[arg(long = "kill-after", value_name = "DURATION", add = ArgValueCompleter::new(complete::durations))]
    pub kill_after: Option<String>,

    /// Report every target, not only failures.
    #[arg(short = 'v', long)]
    pub verbose: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, value_name = "FORMAT")]
    pub format: ReportFormat,
}

// Options of `proctl set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Processes to change: PID or PID@TICKS.
    #[arg(value_name = "TARGET", add = ArgValueCompleter::new(complete::pids))]
    pub targets: Vec<String>,

    #[command(flatten)]
    pub select: SelectorArgs,

    /// Change PID and all its descendants.
    #[arg(long = "tree", value_name = "PID", add = ArgValueCompleter::new(complete::pids))]
    pub tree: Option<String>,

    /// Set the nice value, -20 (most favoured) to 19.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub nice: Option<String>,

    /// Add N to the nice value (the result stays within -20..19).
    #[arg(long = "nice-by", value_name = "N", allow_negative_numbers = true)]
    pub nice_by: Option<String>,

    /// Run only on these CPUs (taskset's list: 0, 0-3, 0,2,4-7).
    #[arg(long, value_name = "CPUS")]
    pub affinity: Option<String>,

    /// Scheduling policy: other, batch, idle, fifo or rr.
    #[arg(long, value_name = "POLICY")]
    pub policy: Option<String>,

    /// Real-time priority 1..99, with --policy fifo or rr.
    #[arg(long = "rt-priority", value_name = "N")]
    pub rt_priority: Option<String>,

    /// I/O class and level: realtime, best-effort (levels 0..7, default 4) or idle.
    #[arg(long, value_name = "CLASS[:LEVEL]")]
    pub io: Option<String>,

    /// Set a resource limit, NAME=SOFT[:HARD] as prlimit(1) (repeatable).
    #[arg(long, value_name = "NAME=SOFT[:HARD]", action = ArgAction::Append)]
    pub rlimit: Vec<String>,

    /// Set the OOM killer's adjustment, -1000..1000.
    #[arg(
        long = "oom-score-adj",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub oom_score_adj: Option<String>,

    /// Do not ask before changing several processes.
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Show what would change; change nothing.
    #[arg(long = "dry-run")]
    pub dry_run: bool,

    /// Report every change, not only failures.
    #[arg(short = 'v', long)]
    pub verbose: bool,

    /// Report format.
    #[arg(long, value_enum, default_value_t = SetFormat::Text, value_name = "FORMAT")]
    pub format: SetFormat,
}

// Options of `proctl spawn`.
#[derive(Debug, Args)]
pub struct SpawnArgs {
    /// Start with an empty environment.
    #[arg(short = 'i', long = "clear-env")]
    pub clear_env: bool,

    /// Set KEY=VALUE (repeatable; KEY= sets an empty value).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE", action = ArgAction::Append)]
    pub env: Vec<std::ffi::OsString>,

    /// Remove KEY (repeatable).
    #[arg(long = "unset", value_name = "KEY", action = ArgAction::Append)]
    pub unset: Vec<std::ffi::OsString>,

    /// Read KEY=VALUE lines from FILE (repeatable).
    #[arg(long = "env-file", value_name = "FILE", action = ArgAction::Append)]
    pub env_file: Vec<PathBuf>,

    /// Run in DIR.
    #[arg(short = 'C', long = "cwd", value_name = "DIR")]
    pub cwd: Option<PathBuf>,

    /// Print the program, arguments, directory and environment changes; start nothing.
    #[arg(long = "dry-run")]
    pub dry_run: bool,

    /// stdin: inherit, null or FILE.
    #[arg(long, value_name = "SOURCE", conflicts_with = "input")]
    pub stdin: Option<String>,

    /// Feed TEXT to stdin, then close it.
    #[arg(long, value_name = "TEXT")]
    pub input: Option<std::ffi::OsString>,

    /// stdout: inherit, null, FILE or +FILE (append).
    #[arg(long, value_name = "TARGET")]
    pub stdout: Option<String>,

    /// stderr: inherit, null, FILE, +FILE (append) or stdout (merge).
    #[arg(long, value_name = "TARGET")]
    pub stderr: Option<String>,

    /// Prefix every output line: --prefix for "[PROGRAM]", --prefix=TEXT for TEXT; stderr lines get "!" after it.
    #[arg(long, value_name = "TEXT", num_args = 0..=1, default_missing_value = "", require_equals = true)]
    pub prefix: Option<String>,

    /// Also copy the output (stdout, and stderr when merged) to FILE.
    #[arg(long, value_name = "FILE")]
    pub tee: Option<PathBuf>,

    /// Start the program in a new session (setsid).
    #[arg(long = "new-session")]
    pub new_session: bool,

    /// Start the program in its own process group; signals go to the group,
    /// and what is left of the group when the program ends is killed (if
    /// proctl itself is killed, only --die-with-parent ends the program).
    #[arg(long = "new-group")]
    pub new_group: bool,

    /// Niceness, -20 (favoured) to 19.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub nice: Option<i32>,

    /// Resource limit NAME=SOFT[:HARD] (nofile, nproc, as, core, cpu, fsize, stack, memlock, ...).
    #[arg(long, value_name = "NAME=LIMIT", action = ArgAction::Append)]
    pub rlimit: Vec<String>,

    /// Kill the program if proctl dies.
    #[arg(long = "die-with-parent", conflicts_with = "detach")]
    pub die_with_parent: bool,

    /// File mode creation mask, in octal.
    #[arg(long, value_name = "MODE")]
    pub umask: Option<String>,

    /// Send --timeout-signal to the program's process group after DURATION
    /// (exit 124; 0 disables), as timeout(1).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// With --timeout: keep the program in proctl's process group and signal
    /// only it, not its children (timeout(1)'s --foreground).
    #[arg(long, requires = "timeout", conflicts_with_all = ["new_group", "new_session"])]
    pub foreground: bool,

    /// With --timeout: exit with the program's status even when it timed out.
    #[arg(long = "preserve-status", requires = "timeout")]
    pub preserve_status: bool,

    /// With --timeout: say on stderr which signal is sent when it fires.
    #[arg(long, requires = "timeout")]
    pub verbose: bool,

    /// The signal --timeout sends (default TERM).
    #[arg(long = "timeout-signal", value_name = "SIG", requires = "timeout")]
    pub timeout_signal: Option<String>,

    /// After the timeout signal, send KILL if still running after DURATION.
    #[arg(long = "kill-after", value_name = "DURATION", requires = "timeout")]
    pub kill_after: Option<String>,

    /// Start in the background (new session, stdin null), print the pid, exit 0.
    #[arg(long, conflicts_with_all = [
        "timeout", "kill_after", "timeout_signal", "foreground", "preserve_status", "verbose",
        "report", "prefix", "tee", "input",
    ])]
    pub detach: bool,

    /// With --detach: write the pid to FILE (atomically).
    #[arg(long, value_name = "FILE", requires = "detach")]
    pub pidfile: Option<PathBuf>,

    /// After the program ends, write a JSON report to FILE (- for stdout).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Start the program with SIG ignored (a comma list; all signals when
    /// no SIG is given), as env(1).
    #[arg(long = "ignore-signal", value_name = "SIG", num_args = 0..=1, require_equals = true,
          default_missing_value = "", action = ArgAction::Append)]
    pub ignore_signal: Vec<String>,

    /// Start the program with SIG at its default action (a comma list; all
    /// signals when no SIG is given), as env(1).
    #[arg(long = "default-signal", value_name = "SIG", num_args = 0..=1, require_equals = true,
          default_missing_value = "", action = ArgAction::Append)]
    pub default_signal: Vec<String>,

    /// Start the program with SIG blocked (a comma list; all signals when
    /// no SIG is given), as env(1).
    #[arg(long = "block-signal", value_name = "SIG", num_args = 0..=1, require_equals = true,
          default_missing_value = "", action = ArgAction::Append)]
    pub block_signal: Vec<String>,

    /// The name the program sees as its argv[0] (PROGRAM is still what runs).
    #[arg(long, value_name = "NAME")]
    pub argv0: Option<std::ffi::OsString>,

    /// The program and its arguments. An option proctl does not know
    /// before the program is an error, not a program to run (env(1) says
    /// "unrecognized option" too); after `--` anything goes.
    #[arg(value_name = "PROGRAM", required = true, trailing_var_arg = true)]
    pub command: Vec<std::ffi::OsString>,
}

// Options of `proctl show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A pid, or a pattern matched against process names (every match is shown).
    #[arg(
        value_name = "PID|PATTERN",
        required_unless_present = "holding",
        add = ArgValueCompleter::new(complete::pids)
    )]
    pub target: Option<String>,

    /// Show the processes holding PATH open, as working directory, root, executable or mapping; a mount point: anything on it (fuser's meaning; repeatable).
    #[arg(long, value_name = "PATH")]
    pub holding: Vec<PathBuf>,

    /// --holding PATH means the whole filesystem PATH is on (fuser -m).
    #[arg(long, requires = "holding")]
    pub mount: bool,

    /// List the mapped files with permissions and sizes.
    #[arg(long)]
    pub maps: bool,

    /// PATTERN matches the whole command line.
    #[arg(short = 'f', long)]
    pub full: bool,

    /// List the threads with their states.
    #[arg(long)]
    pub threads: bool,

    /// List the open file descriptors.
    #[arg(long)]
    pub files: bool,

    /// List the environment variables.
    #[arg(long)]
    pub env: bool,

    /// Do not mask values of secret-looking variables (*TOKEN*, *SECRET*, *PASSWORD*, *KEY*, ...).
    #[arg(long)]
    pub show_secrets: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text, value_name = "FORMAT")]
    pub format: ShowFormat,
}

// Options of `proctl ports`.
#[derive(Debug, Args)]
pub struct PortsArgs {
    /// Sockets in every state, not only listening ones.
    #[arg(short = 'a', long)]
    pub all: bool,

    /// TCP sockets only.
    #[arg(short = 't', long)]
    pub tcp: bool,

    /// UDP sockets only.
    #[arg(short = 'u', long)]
    pub udp: bool,

    /// Unix domain sockets instead (path or @abstract name, type, state, queues, peer), as ss -x.
    #[arg(short = 'x', long, conflicts_with_all = ["tcp", "udp", "port"])]
    pub unix: bool,

    /// Only sockets on this local port.
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,

    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,

    /// Do not print the header line.
    #[arg(long = "no-header", visible_alias = "no-headers")]
    pub no_header: bool,
}

// Options of `proctl wait`.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// The processes to wait for: PID or PID@TICKS.
    #[arg(value_name = "PID", add = ArgValueCompleter::new(complete::pids))]
    pub pids: Vec<String>,

    #[command(flatten)]
    pub select: SelectorArgs,

    /// Give up after DURATION (exit 1).
    #[arg(long, value_name = "DURATION", add = ArgValueCompleter::new(complete::durations))]
    pub timeout: Option<String>,

    /// Say when each process exits.
    #[arg(short = 'v', long)]
    pub verbose: bool,

    /// Output format: json prints, once all are done, an array of {pid,
    /// name, outcome} (exited, still_running, no_such_process, pid_reused).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, value_name = "FORMAT")]
    pub format: ReportFormat,
}

/// Output formats for `proctl show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Sections of text, one per subject.
    Text,
    /// One JSON object (an array of them for a PATTERN).
    Json,
}

/// Output formats for trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TreeFormat {
    /// The tree drawn as psmisc's pstree draws it.
    Text,
    /// Nested JSON objects.
    Json,
}

// Options of `proctl pstree` (psmisc's letters and meanings, plus extras).
#[derive(Debug, Args)]
pub struct PstreeArgs {
    /// Start at this PID, or show every tree whose root belongs to USER.
    #[arg(value_name = "PID|USER")]
    pub target: Option<String>,

    /// Show command line arguments.
    #[arg(short = 'a', long = "arguments")]
    pub arguments: bool,

    /// Use ASCII line drawing characters.
    #[arg(short = 'A', long = "ascii", overrides_with_all = ["unicode", "vt100"])]
    pub ascii: bool,

    /// Use Unicode line drawing characters.
    #[arg(short = 'U', long = "unicode", overrides_with_all = ["ascii", "vt100"])]
    pub unicode: bool,

    /// Use VT100 line drawing characters.
    #[arg(short = 'G', long = "vt100", overrides_with_all = ["ascii", "unicode"])]
    pub vt100: bool,

    /// Color each name by the process's age: TYPE is age (green under a
    /// minute, yellow under an hour, red older). psmisc's --color=age works too.
    #[arg(short = 'C', value_name = "TYPE")]
    pub color_by: Option<String>,

    /// Do not compact identical subtrees.
    #[arg(short = 'c', long = "compact-not")]
    pub compact_not: bool,

    /// Show process group ids (identical subtrees are still compacted, as psmisc 23 does).
    #[arg(short = 'g', long = "show-pgids")]
    pub show_pgids: bool,

    /// Highlight the current process and its ancestors.
    #[arg(short = 'h', long = "highlight-all")]
    pub highlight_all: bool,

    /// Highlight this process and its ancestors.
    #[arg(short = 'H', long = "highlight-pid", value_name = "PID")]
    pub highlight_pid: Option<String>,

    /// Do not cut long lines.
    #[arg(short = 'l', long = "long")]
    pub long: bool,

    /// Sort siblings by pid instead of by name.
    #[arg(short = 'n', long = "numeric-sort")]
    pub numeric_sort: bool,

    /// One tree per namespace of TYPE: cgroup, ipc, mnt, net, pid, time, user or uts.
    #[arg(short = 'N', long = "ns-sort", value_name = "TYPE")]
    pub ns_sort: Option<String>,

    /// Show pids; implies -c.
    #[arg(short = 'p', long = "show-pids")]
    pub show_pids: bool,

    /// Show the parents of the selected process.
    #[arg(short = 's', long = "show-parents")]
    pub show_parents: bool,

    /// Show namespace transitions.
    #[arg(short = 'S', long = "ns-changes")]
    pub ns_changes: bool,

    /// Show full thread names.
    #[arg(short = 't', long = "thread-names")]
    pub thread_names: bool,

    /// Hide threads, show only processes.
    #[arg(short = 'T', long = "hide-threads")]
    pub hide_threads: bool,

    /// Show uid transitions.
    #[arg(short = 'u', long = "uid-changes")]
    pub uid_changes: bool,

    /// Show each process's security context (SELinux, AppArmor).
    #[arg(short = 'Z', long = "security-context")]
    pub security_context: bool,

    /// Print version information (on stderr, as psmisc does).
    #[arg(short = 'V', long = "version")]
    pub version: bool,

    /// Only the branches that lead to processes matching PATTERN (a regex on
    /// the name), with everything below each match.
    #[arg(long = "match", value_name = "PATTERN")]
    pub match_pattern: Option<String>,

    /// With --match: match the whole command line instead of the name.
    #[arg(short = 'f', long = "full")]
    pub full: bool,

    /// Draw no deeper than N levels below the root; `...` marks a cut branch.
    #[arg(long, value_name = "N")]
    pub depth: Option<usize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TreeFormat::Text, value_name = "FORMAT")]
    pub format: TreeFormat,

    /// Print help.
    #[arg(long, action = ArgAction::Help)]
    pub help: Option<bool>,
}

/// Output formats for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A table: colored and fitted to the width on a terminal.
    Table,
    /// Space-aligned text, no colors, nothing cut.
    Plain,
    /// A JSON array of objects with typed fields.
    Json,
    /// One JSON object a line.
    Ndjson,
    /// Comma-separated values (RFC 4180).
    Csv,
}

// Options of `proctl ps`: every argument goes through procps's grammar
// (src/procps), so clap only collects them.
#[derive(Debug, Args)]
pub struct PsArgs {
    // Behave as procps `ps` even without arguments (set for the `ps` link).
    #[arg(long = "procps-personality", hide = true)]
    pub as_ps: bool,

    // procps `ps` options (UNIX -x, BSD x and GNU --x families), then
    // proctl's long options where procps rejects the command line.
    #[arg(
        value_name = "OPTION",
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 0..
    )]
    pub args: Vec<std::ffi::OsString>,
}

/// Output formats for `proctl top --batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopFormat {
    /// Frames of text laid out as `top -b`.
    Text,
    /// One JSON array of frames.
    Json,
    /// One JSON object a line, a frame each.
    Ndjson,
}

// Options of `proctl top`.
#[derive(Debug, Args)]
pub struct TopArgs {
    /// Print frames one after another instead of the live view.
    #[arg(short = 'b', long)]
    pub batch: bool,

    /// Stop after N frames.
    #[arg(short = 'n', long, value_name = "N")]
    pub iterations: Option<String>,

    /// Time between frames (default 1s): seconds, or with units (500ms, 2s).
    #[arg(short = 'd', long, value_name = "DURATION")]
    pub delay: Option<String>,

    /// Only these process ids (comma-separated, repeatable).
    #[arg(short = 'p', long = "pid", value_name = "PID,...", action = ArgAction::Append)]
    pub pid: Vec<String>,

    /// Only the processes of this effective user (name or uid).
    #[arg(short = 'u', long, value_name = "USER")]
    pub user: Option<String>,

    /// Only processes whose name or command line matches this regex.
    #[arg(long = "match", value_name = "PATTERN")]
    pub match_pattern: Option<String>,

    /// Start in the tree view.
    #[arg(long)]
    pub tree: bool,

    /// Sort by this column: pid, user, pri, ni, virt, res, shr, s, %cpu (default), %mem, time, command, or a key of -o.
    #[arg(long, value_name = "KEY")]
    pub sort: Option<String>,

    /// Show threads instead of processes.
    #[arg(short = 'H', long)]
    pub threads: bool,

    /// More columns: any `proctl ps -o` key (KEY[=HEADER][:WIDTH], comma-separated, repeatable), before COMMAND.
    #[arg(short = 'o', long = "fields", value_name = "KEY,...", action = ArgAction::Append)]
    pub fields: Vec<String>,

    /// Batch output format (implies --batch).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TopFormat>,
}

/// The values of several options of one subcommand in command-line order
/// (clap keeps each option's values apart): `(option id, value)`.
pub fn values_in_order(
    matches: &clap::ArgMatches,
    ids: &[&str],
) -> Vec<(String, std::ffi::OsString)> {
    let mut all: Vec<(usize, String, std::ffi::OsString)> = Vec::new();
    for id in ids {
        if let (Some(values), Some(indices)) = (matches.get_raw(id), matches.indices_of(id)) {
            for (value, index) in values.zip(indices) {
                all.push((index, id.to_string(), value.to_os_string()));
            }
        }
    }
    all.sort_by_key(|(i, _, _)| *i);
    all.into_iter().map(|(_, id, v)| (id, v)).collect()
}

/// Builds the clap command (for completions, man pages and tests).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definitions_are_consistent() {
        super::command().debug_assert();
    }
}
