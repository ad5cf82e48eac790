//! The format keys of procps `ps`, one declarative row each: key, header,
//! default width, alignment, whether the width follows pid_max, which rows
//! print it under `m`, and the value (named after what it shows). The rows,
//! macros, AIX descriptors and sort codes are those ps(1) and `ps L` of
//! procps-ng 4.0.2 list; the table stays sorted by key for binary search.

use std::sync::OnceLock;

use super::LimitSide;

/// How a column lines up (procps's CF_* justification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Just {
    Left,
    Right,
    /// Free text that may run to the end of the line.
    Unlimited,
    /// A name: left, or right when shown as a number (BSD `n`).
    User,
    /// A kernel function name: left, cut to its column.
    Wchan,
    /// A signal mask: right in 9 columns, 16 when the screen has room.
    Signal,
    /// AIX literal text.
    Aix,
}

/// Which rows show a key when processes and their threads are listed (`m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintOn {
    Process,
    Thread,
    Every,
}

/// The value a key shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Pr {
    Agid,
    Agnice,
    Args,
    Bsdstart,
    Bsdtime,
    C,
    Cgname,
    Cgroup,
    Cgroupns,
    Class,
    Comm,
    Context,
    Cp,
    Drs,
    Dsiz,
    Egid,
    Egroup,
    Eip,
    Esp,
    Etime,
    Etimes,
    Euid,
    Euser,
    Exe,
    Fgid,
    Fgroup,
    Flag,
    Fname,
    Fuid,
    Fuser,
    Ipcns,
    Lim,
    Lstart,
    Luid,
    Lxcname,
    Majflt,
    Minflt,
    Mntns,
    Netns,
    Nice,
    Nlwp,
    Nop,
    Numa,
    Oom,
    OomAdj,
    Opri,
    Pcpu,
    Pgid,
    Pidns,
    Pmem,
    Ppid,
    Pri,
    PriApi,
    PriBar,
    PriBaz,
    PriFoo,
    Priority,
    Procs,
    Psr,
    Pss,
    Rbytes,
    Rchars,
    Rgid,
    Rgroup,
    Rops,
    Rss,
    Rtprio,
    Ruid,
    Ruser,
    S,
    Sched,
    SdMachine,
    SdOuid,
    SdSeat,
    SdSession,
    SdSlice,
    SdUnit,
    SdUunit,
    Sess,
    SgiP,
    Sgid,
    Sgroup,
    Sig,
    Sigcatch,
    Sigignore,
    Sigmask,
    Size,
    Stackp,
    Start,
    Stat,
    Stime,
    Suid,
    Supgid,
    Supgrp,
    Suser,
    Swapable,
    Sz,
    Tasks,
    Time,
    Timens,
    Times,
    Tpgid,
    Trs,
    Tsig,
    Tsiz,
    Tty4,
    Tty8,
    Userns,
    Uss,
    Utilization,
    UtilizationC,
    Utsns,
    Vsz,
    Wbytes,
    Wcbytes,
    Wchan,
    Wchars,
    Wops,
    // procps's test keys: fixed texts that cycle with the line count.
    TLeft,
    TLeft2,
    TRight,
    TRight2,
    TUnlimited,
    TUnlimited2,
    // proctl's own keys.
    Fds,
    Vctx,
    Nvctx,
    Ctxsw,
    RssHuman,
    StartTicks,
    Ports,
    Affinity,
    Io,
    Rlimit(u8, LimitSide),
    Holds,
}

/// One format key.
#[derive(Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub key: &'static str,
    pub head: &'static str,
    pub width: u16,
    pub just: Just,
    /// The width is that of the largest pid (pid_max), at least the header's.
    pub pidmax: bool,
    pub print: PrintOn,
    pub pr: Pr,
    /// proctl's own key: only where procps rejects the command line.
    pub proctl_only: bool,
}

macro_rules! key {
    ($k:literal, $h:literal, $w:literal, $j:ident, $pm:literal, $on:ident, $pr:ident) => {
        KeySpec {
            key: $k,
            head: $h,
            width: $w,
            just: Just::$j,
            pidmax: $pm,
            print: PrintOn::$on,
            pr: Pr::$pr,
            proctl_only: false,
        }
    };
    // proctl's own keys.
    ($k:literal, $h:literal, $w:literal, $j:ident, $pr:ident, proctl) => {
        KeySpec {
            key: $k,
            head: $h,
            width: $w,
            just: Just::$j,
            pidmax: false,
            print: PrintOn::Every,
            pr: Pr::$pr,
            proctl_only: true,
        }
    };
    // proctl's resource limit keys: a limit (getrlimit(2)'s index) and a side.
    ($k:literal, $h:literal, $w:literal, rlimit $i:literal $side:ident) => {
        KeySpec {
            key: $k,
            head: $h,
            width: $w,
            just: Just::Right,
            pidmax: false,
            print: PrintOn::Every,
            pr: Pr::Rlimit($i, LimitSide::$side),
            proctl_only: true,
        }
    };
}

/// Every key, sorted by key.
#[rustfmt::skip]
pub static KEYS: &[KeySpec] = &[
    key!("%cpu", "%CPU", 4, Right, false, Every, Pcpu),
    key!("%mem", "%MEM", 4, Right, false, Process, Pmem),
    key!("_left", "LLLLLLLL", 8, Left, false, Every, TLeft),
    key!("_left2", "L2L2L2L2", 8, Left, false, Every, TLeft2),
    key!("_right", "RRRRRRRRRRR", 11, Right, false, Every, TRight),
    key!("_right2", "R2R2R2R2R2R", 11, Right, false, Every, TRight2),
    key!("_unlimited", "U", 16, Unlimited, false, Every, TUnlimited),
    key!("_unlimited2", "U2", 16, Unlimited, false, Every, TUnlimited2),
    key!("acflag", "ACFLG", 5, Right, false, Every, Nop),
    key!("acflg", "ACFLG", 5, Right, false, Every, Nop),
    key!("addr", "ADDR", 4, Right, false, Every, Nop),
    key!("addr_1", "ADDR", 1, Left, false, Every, Nop),
    key!("affinity", "AFFINITY", 8, Left, Affinity, proctl),
    key!("ag_id", "AGID", 5, Right, false, Every, Agid),
    key!("ag_nice", "AGNI", 4, Right, false, Every, Agnice),
    key!("alarm", "ALARM", 5, Right, false, Every, Nop),
    key!("argc", "ARGC", 4, Right, false, Process, Nop),
    key!("args", "COMMAND", 27, Unlimited, false, Process, Args),
    key!("as_hard", "AS_HARD", 9, rlimit 9 Hard),
    key!("as_soft", "AS_SOFT", 9, rlimit 9 Soft),
    key!("atime", "TIME", 8, Right, false, Every, Time),
    key!("blocked", "BLOCKED", 9, Signal, false, Thread, Sigmask),
    key!("bnd", "BND", 1, Right, false, Thread, Nop),
    key!("bsdstart", "START", 6, Right, false, Every, Bsdstart),
    key!("bsdtime", "TIME", 6, Right, false, Every, Bsdtime),
    key!("c", "C", 2, Right, false, Every, C),
    key!("caught", "CAUGHT", 9, Signal, false, Thread, Sigcatch),
    key!("cgname", "CGNAME", 27, Unlimited, false, Process, Cgname),
    key!("cgroup", "CGROUP", 27, Unlimited, false, Process, Cgroup),
    key!("cgroupns", "CGROUPNS", 10, Right, false, Every, Cgroupns),
    key!("class", "CLS", 3, Left, false, Thread, Class),
    key!("cls", "CLS", 3, Right, false, Thread, Class),
    key!("cmaj_flt", "-", 1, Right, false, Every, Nop),
    key!("cmd", "CMD", 27, Unlimited, false, Process, Args),
    key!("cmin_flt", "-", 1, Right, false, Every, Nop),
    key!("cnswap", "-", 1, Right, false, Every, Nop),
    key!("comm", "COMMAND", 15, Unlimited, false, Process, Comm),
    key!("command", "COMMAND", 27, Unlimited, false, Process, Args),
    key!("context", "CONTEXT", 31, Left, false, Every, Context),
    key!("core_hard", "CORE_HARD", 9, rlimit 4 Hard),
    key!("core_soft", "CORE_SOFT", 9, rlimit 4 Soft),
    key!("cp", "CP", 3, Right, false, Every, Cp),
    key!("cpu", "CPU", 3, Right, false, Every, Nop),
    key!("cpu_hard", "CPU_HARD", 9, rlimit 0 Hard),
    key!("cpu_soft", "CPU_SOFT", 9, rlimit 0 Soft),
    key!("cpuid", "CPUID", 5, Right, false, Thread, Psr),
    key!("cputime", "TIME", 8, Right, false, Every, Time),
    key!("cputimes", "TIME", 8, Right, false, Every, Times),
    key!("ctid", "CTID", 5, Right, false, Every, Nop),
    key!("ctxsw", "CTXSW", 6, Right, Ctxsw, proctl),
    key!("cuc", "%CUC", 7, Right, false, Every, UtilizationC),
    key!("cursig", "CURSIG", 6, Right, false, Every, Nop),
    key!("cutime", "-", 1, Right, false, Every, Nop),
    key!("cuu", "%CUU", 6, Right, false, Every, Utilization),
    key!("cwd", "CWD", 3, Left, false, Every, Nop),
    key!("data_hard", "DATA_HARD", 9, rlimit 2 Hard),
    key!("data_soft", "DATA_SOFT", 9, rlimit 2 Soft),
    key!("drs", "DRS", 5, Right, false, Process, Drs),
    key!("dsiz", "DSIZ", 4, Right, false, Process, Dsiz),
    key!("egid", "EGID", 5, Right, false, Every, Egid),
    key!("egroup", "EGROUP", 8, User, false, Every, Egroup),
    key!("eip", "EIP", 16, Right, false, Thread, Eip),
    key!("emul", "EMUL", 13, Left, false, Process, Nop),
    key!("end_code", "E_CODE", 16, Right, false, Process, Nop),
    key!("environ", "ENVIRONMENT", 11, Unlimited, false, Process, Nop),
    key!("esp", "ESP", 16, Right, false, Thread, Esp),
    key!("etime", "ELAPSED", 11, Right, false, Every, Etime),
    key!("etimes", "ELAPSED", 7, Right, false, Every, Etimes),
    key!("euid", "EUID", 5, Right, false, Every, Euid),
    key!("euser", "EUSER", 8, User, false, Every, Euser),
    key!("exe", "EXE", 27, Unlimited, false, Process, Exe),
    key!("f", "F", 1, Right, false, Every, Flag),
    key!("fds", "FDS", 4, Right, Fds, proctl),
    key!("fgid", "FGID", 5, Right, false, Every, Fgid),
    key!("fgroup", "FGROUP", 8, User, false, Every, Fgroup),
    key!("flag", "F", 1, Right, false, Every, Flag),
    key!("flags", "F", 1, Right, false, Every, Flag),
    key!("fname", "COMMAND", 8, Left, false, Process, Fname),
    key!("fsgid", "FSGID", 5, Right, false, Every, Fgid),
    key!("fsgroup", "FSGROUP", 8, User, false, Every, Fgroup),
    key!("fsize_hard", "FSIZE_HARD", 10, rlimit 1 Hard),
    key!("fsize_soft", "FSIZE_SOFT", 10, rlimit 1 Soft),
    key!("fsuid", "FSUID", 5, Right, false, Every, Fuid),
    key!("fsuser", "FSUSER", 8, User, false, Every, Fuser),
    key!("fuid", "FUID", 5, Right, false, Every, Fuid),
    key!("fuser", "FUSER", 8, User, false, Every, Fuser),
    key!("gid", "GID", 5, Right, false, Every, Egid),
    key!("group", "GROUP", 8, User, false, Every, Egroup),
    key!("holds", "HOLDS", 20, Unlimited, Holds, proctl),
    key!("ignored", "IGNORED", 9, Signal, false, Thread, Sigignore),
    key!("inblk", "INBLK", 5, Right, false, Every, Nop),
    key!("inblock", "INBLK", 5, Right, false, Every, Nop),
    key!("intpri", "PRI", 3, Right, false, Thread, Opri),
    key!("io", "IO", 13, Left, Io, proctl),
    key!("ipcns", "IPCNS", 10, Right, false, Every, Ipcns),
    key!("jid", "JID", 1, Right, false, Process, Nop),
    key!("jobc", "JOBC", 4, Right, false, Every, Nop),
    key!("ktrace", "KTRACE", 8, Right, false, Every, Nop),
    key!("ktracep", "KTRACEP", 8, Right, false, Every, Nop),
    key!("label", "LABEL", 31, Left, false, Every, Context),
    key!("lastcpu", "C", 3, Right, false, Thread, Psr),
    key!("lim", "LIM", 5, Right, false, Every, Lim),
    key!("locks_hard", "LOCKS_HARD", 10, rlimit 10 Hard),
    key!("locks_soft", "LOCKS_SOFT", 10, rlimit 10 Soft),
    key!("login", "LOGNAME", 8, Left, false, Every, Nop),
    key!("logname", "LOGNAME", 8, Left, false, Every, Nop),
    key!("longtname", "TTY", 8, Left, false, Process, Tty8),
    key!("lsession", "SESSION", 11, Left, false, Every, SdSession),
    key!("lstart", "STARTED", 24, Right, false, Every, Lstart),
    key!("luid", "LUID", 5, Right, false, Every, Luid),
    key!("luser", "LUSER", 8, User, false, Every, Nop),
    key!("lwp", "LWP", 5, Right, true, Thread, Tasks),
    key!("lxc", "LXC", 8, Left, false, Every, Lxcname),
    key!("m_drs", "DRS", 5, Right, false, Process, Drs),
    key!("m_dt", "DT", 4, Right, false, Process, Nop),
    key!("m_lrs", "LRS", 5, Right, false, Process, Nop),
    key!("m_resident", "RES", 5, Right, false, Process, Nop),
    key!("m_share", "SHRD", 5, Right, false, Process, Nop),
    key!("m_size", "SIZE", 5, Right, false, Process, Size),
    key!("m_swap", "SWAP", 5, Right, false, Process, Nop),
    key!("m_trs", "TRS", 5, Right, false, Process, Trs),
    key!("machine", "MACHINE", 31, Left, false, Every, SdMachine),
    key!("maj_flt", "MAJFL", 6, Right, false, Every, Majflt),
    key!("majflt", "MAJFLT", 6, Right, false, Every, Majflt),
    key!("mem", "RSS", 6, Right, RssHuman, proctl),
    key!("memlock_hard", "MEMLOCK_HARD", 12, rlimit 8 Hard),
    key!("memlock_soft", "MEMLOCK_SOFT", 12, rlimit 8 Soft),
    key!("min_flt", "MINFL", 6, Right, false, Every, Minflt),
    key!("minflt", "MINFLT", 6, Right, false, Every, Minflt),
    key!("mntns", "MNTNS", 10, Right, false, Every, Mntns),
    key!("msgqueue_hard", "MSGQUEUE_HARD", 13, rlimit 12 Hard),
    key!("msgqueue_soft", "MSGQUEUE_SOFT", 13, rlimit 12 Soft),
    key!("msgrcv", "MSGRCV", 6, Right, false, Every, Nop),
    key!("msgsnd", "MSGSND", 6, Right, false, Every, Nop),
    key!("mwchan", "MWCHAN", 6, Wchan, false, Thread, Nop),
    key!("netns", "NETNS", 10, Right, false, Every, Netns),
    key!("ni", "NI", 3, Right, false, Thread, Nice),
    key!("nice", "NI", 3, Right, false, Thread, Nice),
    key!("nice_hard", "NICE_HARD", 9, rlimit 13 Hard),
    key!("nice_soft", "NICE_SOFT", 9, rlimit 13 Soft),
    key!("nivcsw", "IVCSW", 5, Right, false, Every, Nop),
    key!("nlwp", "NLWP", 4, Right, false, Process, Nlwp),
    key!("nofile_hard", "NOFILE_HARD", 11, rlimit 7 Hard),
    key!("nofile_soft", "NOFILE_SOFT", 11, rlimit 7 Soft),
    key!("nproc_hard", "NPROC_HARD", 10, rlimit 6 Hard),
    key!("nproc_soft", "NPROC_SOFT", 10, rlimit 6 Soft),
    key!("nsignals", "NSIGS", 5, Right, false, Every, Nop),
    key!("nsigs", "NSIGS", 5, Right, false, Every, Nop),
    key!("nswap", "NSWAP", 5, Right, false, Every, Nop),
    key!("numa", "NUMA", 4, Right, false, Every, Numa),
    key!("nvcsw", "VCSW", 5, Right, false, Every, Nop),
    key!("nvctx", "NVCTX", 6, Right, Nvctx, proctl),
    key!("nwchan", "WCHAN", 6, Right, false, Thread, Nop),
    key!("oom", "OOM", 4, Right, false, Thread, Oom),
    key!("oomadj", "OOMADJ", 5, Right, false, Thread, OomAdj),
    key!("opri", "PRI", 3, Right, false, Thread, Opri),
    key!("osz", "SZ", 2, Right, false, Process, Nop),
    key!("oublk", "OUBLK", 5, Right, false, Every, Nop),
    key!("oublock", "OUBLK", 5, Right, false, Every, Nop),
    key!("ouid", "OWNER", 5, Left, false, Every, SdOuid),
    key!("p_ru", "P_RU", 6, Right, false, Every, Nop),
    key!("paddr", "PADDR", 6, Right, false, Every, Nop),
    key!("pagein", "PAGEIN", 6, Right, false, Every, Majflt),
    key!("pcpu", "%CPU", 4, Right, false, Every, Pcpu),
    key!("pending", "PENDING", 9, Signal, false, Every, Sig),
    key!("pgid", "PGID", 5, Right, true, Process, Pgid),
    key!("pgrp", "PGRP", 5, Right, true, Process, Pgid),
    key!("pid", "PID", 5, Right, true, Process, Procs),
    key!("pidns", "PIDNS", 10, Right, false, Every, Pidns),
    key!("pmem", "%MEM", 4, Right, false, Process, Pmem),
    key!("poip", "-", 1, Right, false, Every, Nop),
    key!("policy", "POL", 3, Left, false, Thread, Class),
    key!("ports", "PORTS", 5, Unlimited, Ports, proctl),
    key!("ppid", "PPID", 5, Right, true, Process, Ppid),
    key!("pri", "PRI", 3, Right, false, Thread, Pri),
    key!("pri_api", "API", 3, Right, false, Thread, PriApi),
    key!("pri_bar", "BAR", 3, Right, false, Thread, PriBar),
    key!("pri_baz", "BAZ", 3, Right, false, Thread, PriBaz),
    key!("pri_foo", "FOO", 3, Right, false, Thread, PriFoo),
    key!("priority", "PRI", 3, Right, false, Thread, Priority),
    key!("prmgrp", "PRMGRP", 12, Right, false, Process, Nop),
    key!("prmid", "PRMID", 12, Right, false, Process, Nop),
    key!("project", "PROJECT", 12, Left, false, Process, Nop),
    key!("projid", "PROJID", 5, Right, false, Process, Nop),
    key!("pset", "PSET", 4, Right, false, Thread, Nop),
    key!("psr", "PSR", 3, Right, false, Thread, Psr),
    key!("pss", "PSS", 5, Right, false, Process, Pss),
    key!("psxpri", "PPR", 3, Right, false, Thread, Nop),
    key!("rbytes", "RBYTES", 5, Right, false, Thread, Rbytes),
    key!("rchars", "RCHARS", 5, Right, false, Thread, Rchars),
    key!("re", "RE", 3, Right, false, Every, Nop),
    key!("resident", "RES", 5, Right, false, Process, Nop),
    key!("rgid", "RGID", 5, Right, false, Every, Rgid),
    key!("rgroup", "RGROUP", 8, User, false, Every, Rgroup),
    key!("rlink", "RLINK", 8, Right, false, Every, Nop),
    key!("rops", "ROPS", 5, Right, false, Thread, Rops),
    key!("rss", "RSS", 5, Right, false, Process, Rss),
    key!("rss_hard", "RSS_HARD", 9, rlimit 5 Hard),
    key!("rss_human", "RSS", 6, Right, RssHuman, proctl),
    key!("rss_soft", "RSS_SOFT", 9, rlimit 5 Soft),
    key!("rssize", "RSS", 5, Right, false, Process, Rss),
    key!("rsz", "RSZ", 5, Right, false, Process, Rss),
    key!("rtprio", "RTPRIO", 6, Right, false, Thread, Rtprio),
    key!("rtprio_hard", "RTPRIO_HARD", 11, rlimit 14 Hard),
    key!("rtprio_soft", "RTPRIO_SOFT", 11, rlimit 14 Soft),
    key!("rttime_hard", "RTTIME_HARD", 11, rlimit 15 Hard),
    key!("rttime_soft", "RTTIME_SOFT", 11, rlimit 15 Soft),
    key!("ruid", "RUID", 5, Right, false, Every, Ruid),
    key!("ruser", "RUSER", 8, User, false, Every, Ruser),
    key!("s", "S", 1, Left, false, Thread, S),
    key!("sched", "SCH", 3, Right, false, Thread, Sched),
    key!("scnt", "SCNT", 4, Right, false, Every, Nop),
    key!("scount", "SC", 4, Right, false, Every, Nop),
    key!("seat", "SEAT", 11, Left, false, Every, SdSeat),
    key!("sess", "SESS", 5, Right, true, Process, Sess),
    key!("session", "SESS", 5, Right, true, Process, Sess),
    key!("sgi_p", "P", 1, Right, false, Thread, SgiP),
    key!("sgi_rss", "RSS", 4, Left, false, Process, Rss),
    key!("sgid", "SGID", 5, Right, false, Every, Sgid),
    key!("sgroup", "SGROUP", 8, User, false, Every, Sgroup),
    key!("share", "-", 1, Right, false, Process, Nop),
    key!("sid", "SID", 5, Right, true, Process, Sess),
    key!("sig", "PENDING", 9, Signal, false, Every, Sig),
    key!("sig_block", "BLOCKED", 9, Signal, false, Thread, Sigmask),
    key!("sig_catch", "CATCHED", 9, Signal, false, Thread, Sigcatch),
    key!("sig_ignore", "IGNORED", 9, Signal, false, Thread, Sigignore),
    key!("sig_pend", "SIGNAL", 9, Signal, false, Every, Sig),
    key!("sigcatch", "CAUGHT", 9, Signal, false, Thread, Sigcatch),
    key!("sigignore", "IGNORED", 9, Signal, false, Thread, Sigignore),
    key!("sigmask", "BLOCKED", 9, Signal, false, Thread, Sigmask),
    key!("sigpending_hard", "SIGPENDING_HARD", 15, rlimit 11 Hard),
    key!("sigpending_soft", "SIGPENDING_SOFT", 15, rlimit 11 Soft),
    key!("size", "SIZE", 5, Right, false, Process, Swapable),
    key!("sl", "SL", 3, Right, false, Every, Nop),
    key!("slice", "SLICE", 31, Left, false, Every, SdSlice),
    key!("spid", "SPID", 5, Right, true, Thread, Tasks),
    key!("stack_hard", "STACK_HARD", 10, rlimit 3 Hard),
    key!("stack_soft", "STACK_SOFT", 10, rlimit 3 Soft),
    key!("stackp", "STACKP", 16, Right, false, Process, Stackp),
    key!("start", "STARTED", 8, Right, false, Every, Start),
    key!("start_code", "S_CODE", 16, Right, false, Process, Nop),
    key!("start_stack", "STACKP", 16, Right, false, Process, Stackp),
    key!("start_ticks", "STARTTIME", 10, Right, StartTicks, proctl),
    key!("start_time", "START", 5, Right, false, Every, Stime),
    key!("starttime", "STARTTIME", 10, Right, StartTicks, proctl),
    key!("stat", "STAT", 4, Left, false, Thread, Stat),
    key!("state", "S", 1, Left, false, Thread, S),
    key!("status", "STATUS", 6, Right, false, Every, Nop),
    key!("stime", "STIME", 5, Right, false, Every, Stime),
    key!("suid", "SUID", 5, Right, false, Every, Suid),
    key!("supgid", "SUPGID", 20, Unlimited, false, Process, Supgid),
    key!("supgrp", "SUPGRP", 40, Unlimited, false, Process, Supgrp),
    key!("suser", "SUSER", 8, User, false, Every, Suser),
    key!("svgid", "SVGID", 5, Right, false, Every, Sgid),
    key!("svgroup", "SVGROUP", 8, User, false, Every, Sgroup),
    key!("svuid", "SVUID", 5, Right, false, Every, Suid),
    key!("svuser", "SVUSER", 8, User, false, Every, Suser),
    key!("systime", "SYSTEM", 6, Right, false, Every, Nop),
    key!("sz", "SZ", 5, Right, false, Process, Sz),
    key!("taskid", "TASKID", 5, Right, true, Thread, Nop),
    key!("tdev", "TDEV", 4, Right, false, Every, Nop),
    key!("tgid", "TGID", 5, Right, true, Process, Procs),
    key!("thcount", "THCNT", 5, Right, false, Process, Nlwp),
    key!("tid", "TID", 5, Right, true, Thread, Tasks),
    key!("time", "TIME", 8, Right, false, Every, Time),
    key!("timens", "TIMENS", 10, Right, false, Every, Timens),
    key!("timeout", "TMOUT", 5, Right, false, Every, Nop),
    key!("times", "TIME", 8, Right, false, Every, Times),
    key!("tmout", "TMOUT", 5, Right, false, Every, Nop),
    key!("tname", "TTY", 8, Left, false, Process, Tty8),
    key!("tpgid", "TPGID", 5, Right, true, Process, Tpgid),
    key!("trs", "TRS", 4, Right, false, Process, Trs),
    key!("trss", "TRSS", 4, Right, false, Process, Trs),
    key!("tsess", "TSESS", 5, Right, true, Process, Nop),
    key!("tsession", "TSESS", 5, Right, true, Process, Nop),
    key!("tsid", "TSID", 5, Right, true, Process, Nop),
    key!("tsig", "PENDING", 9, Signal, false, Every, Tsig),
    key!("tsiz", "TSIZ", 4, Right, false, Process, Tsiz),
    key!("tt", "TT", 8, Left, false, Process, Tty8),
    key!("tty", "TT", 8, Left, false, Process, Tty8),
    key!("tty4", "TTY", 4, Left, false, Process, Tty4),
    key!("tty8", "TTY", 8, Left, false, Process, Tty8),
    key!("u_procp", "UPROCP", 6, Right, false, Every, Nop),
    key!("ucmd", "CMD", 15, Unlimited, false, Process, Comm),
    key!("ucomm", "COMMAND", 15, Unlimited, false, Process, Comm),
    key!("uid", "UID", 5, Right, false, Every, Euid),
    key!("uid_hack", "UID", 8, User, false, Every, Euser),
    key!("umask", "UMASK", 5, Right, false, Every, Nop),
    key!("uname", "USER", 8, User, false, Every, Euser),
    key!("unit", "UNIT", 31, Left, false, Every, SdUnit),
    key!("upr", "UPR", 3, Right, false, Thread, Nop),
    key!("uprocp", "UPROCP", 8, Right, false, Every, Nop),
    key!("user", "USER", 8, User, false, Every, Euser),
    key!("userns", "USERNS", 10, Right, false, Every, Userns),
    key!("usertime", "USER", 4, Right, false, Every, Nop),
    key!("usrpri", "UPR", 3, Right, false, Thread, Nop),
    key!("uss", "USS", 5, Right, false, Process, Uss),
    key!("util", "C", 2, Right, false, Every, C),
    key!("utime", "UTIME", 6, Right, false, Every, Nop),
    key!("utsns", "UTSNS", 10, Right, false, Every, Utsns),
    key!("uunit", "UUNIT", 31, Left, false, Every, SdUunit),
    key!("vctx", "VCTX", 6, Right, Vctx, proctl),
    key!("vm_data", "DATA", 5, Right, false, Process, Nop),
    key!("vm_exe", "EXE", 5, Right, false, Process, Nop),
    key!("vm_lib", "LIB", 5, Right, false, Process, Nop),
    key!("vm_lock", "LCK", 3, Right, false, Process, Nop),
    key!("vm_stack", "STACK", 5, Right, false, Process, Nop),
    key!("vsize", "VSZ", 6, Right, false, Process, Vsz),
    key!("vsz", "VSZ", 6, Right, false, Process, Vsz),
    key!("wbytes", "WBYTES", 5, Right, false, Thread, Wbytes),
    key!("wcbytes", "WCBYTES", 5, Right, false, Thread, Wcbytes),
    key!("wchan", "WCHAN", 6, Wchan, false, Thread, Wchan),
    key!("wchars", "WCHARS", 5, Right, false, Thread, Wchars),
    key!("wname", "WCHAN", 6, Wchan, false, Thread, Wchan),
    key!("wops", "WOPS", 5, Right, false, Thread, Wops),
    key!("xstat", "XSTAT", 5, Right, false, Every, Nop),
    key!("zone", "ZONE", 31, Left, false, Every, Context),
    key!("zoneid", "ZONEID", 31, Right, false, Every, Nop),
];

/// Named lists of keys (procps's macros: the layouts of BSD options and
/// the `-O` trailers, usable in `-o` too).
static MACROS: &[(&str, &str)] = &[
    ("DFMT", "pid,tname,state,cputime,cmd"),
    ("DefBSD", "pid,tname,stat,bsdtime,args"),
    ("DefSysV", "pid,tname,time,cmd"),
    ("END_BSD", "state,tname,cputime,comm"),
    ("END_SYS5", "state,tname,time,command"),
    ("F5FMT", "uname,pid,ppid,c,start,tname,time,cmd"),
    ("FB_", "pid,tt,stat,time,command"),
    ("FB_j", "user,pid,ppid,pgid,sess,jobc,stat,tt,time,command"),
    (
        "FB_l",
        "uid,pid,ppid,cpu,pri,nice,vsz,rss,wchan,stat,tt,time,command",
    ),
    (
        "FB_u",
        "user,pid,pcpu,pmem,vsz,rss,tt,stat,start,time,command",
    ),
    (
        "FB_v",
        "pid,stat,time,sl,re,pagein,vsz,rss,lim,tsiz,pcpu,pmem,command",
    ),
    ("FD_", "pid,tty,time,comm"),
    ("FD_f", "user,pid,ppid,start_time,tty,time,comm"),
    ("FD_fj", "user,pid,ppid,start_time,tty,time,pgid,sid,comm"),
    ("FD_j", "pid,tty,time,pgid,sid,comm"),
    (
        "FD_l",
        "flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,comm",
    ),
    (
        "FD_lj",
        "flags,state,uid,pid,ppid,priority,nice,vsz,wchan,tty,time,pgid,sid,comm",
    ),
    (
        "FL5FMT",
        "f,state,uid,pid,ppid,pcpu,pri,nice,rss,wchan,start,time,command",
    ),
    ("FLASK_context", "pid,context,command"),
    ("HP_", "pid,tty,time,comm"),
    ("HP_f", "user,pid,ppid,cpu,stime,tty,time,args"),
    (
        "HP_fl",
        "flags,state,user,pid,ppid,cpu,intpri,nice,addr,sz,wchan,stime,tty,time,args",
    ),
    (
        "HP_l",
        "flags,state,uid,pid,ppid,cpu,intpri,nice,addr,sz,wchan,tty,time,comm",
    ),
    ("J390", "pid,sid,pgrp,tname,atime,args"),
    (
        "JFMT",
        "user,pid,ppid,pgid,sess,jobc,state,tname,cputime,command",
    ),
    (
        "L5FMT",
        "f,state,uid,pid,ppid,c,pri,nice,addr,sz,wchan,tt,time,ucmd",
    ),
    (
        "LFMT",
        "uid,pid,ppid,cp,pri,nice,vsz,rss,wchan,state,tname,cputime,command",
    ),
    (
        "OL_X",
        "pid,start_stack,esp,eip,timeout,alarm,stat,tname,bsdtime,args",
    ),
    (
        "OL_j",
        "ppid,pid,pgid,sid,tname,tpgid,stat,uid,bsdtime,args",
    ),
    (
        "OL_l",
        "flags,uid,pid,ppid,priority,nice,vsz,rss,wchan,stat,tname,bsdtime,args",
    ),
    (
        "OL_m",
        "pid,tname,majflt,minflt,m_trs,m_drs,m_size,m_swap,rss,m_share,vm_lib,m_dt,args",
    ),
    (
        "OL_s",
        "uid,pid,pending,sig_block,sig_ignore,caught,stat,tname,bsdtime,args",
    ),
    (
        "OL_u",
        "user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args",
    ),
    (
        "OL_v",
        "pid,tname,stat,bsdtime,maj_flt,m_trs,m_drs,rss,pmem,args",
    ),
    ("RD_", "pid,tname,state,bsdtime,comm"),
    ("RD_f", "uid,pid,ppid,start_time,tname,bsdtime,args"),
    (
        "RD_fj",
        "uid,pid,ppid,start_time,tname,bsdtime,pgid,sid,args",
    ),
    ("RD_j", "pid,tname,state,bsdtime,pgid,sid,comm"),
    (
        "RD_l",
        "flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,comm",
    ),
    (
        "RD_lj",
        "flags,state,uid,pid,ppid,priority,nice,wchan,tname,bsdtime,pgid,sid,comm",
    ),
    (
        "RUSAGE",
        "minflt,majflt,nswap,inblock,oublock,msgsnd,msgrcv,nsigs,nvcsw,nivcsw",
    ),
    ("SCHED", "user,pcpu,pri,usrpri,nice,psxpri,psr,policy,pset"),
    (
        "SFMT",
        "uid,pid,cursig,sig,sigmask,sigignore,sigcatch,stat,tname,command",
    ),
    ("Std_f", "uid_hack,pid,ppid,c,stime,tname,time,cmd"),
    (
        "Std_fl",
        "f,s,uid_hack,pid,ppid,c,opri,ni,addr,sz,wchan,stime,tname,time,cmd",
    ),
    (
        "Std_l",
        "f,s,uid,pid,ppid,c,opri,ni,addr,sz,wchan,tname,time,ucmd",
    ),
    ("THREAD", "user,pcpu,pri,scnt,wchan,usertime,systime"),
    (
        "UFMT",
        "uname,pid,pcpu,pmem,vsz,rss,tt,state,start,time,command",
    ),
    (
        "VFMT",
        "pid,tt,state,time,sl,pagein,vsz,rss,pcpu,pmem,command",
    ),
];

/// AIX descriptors: letter, key, header.
static AIX: &[(char, &str, &str)] = &[
    ('C', "pcpu", "%CPU"),
    ('G', "group", "GROUP"),
    ('P', "ppid", "PPID"),
    ('U', "user", "USER"),
    ('a', "args", "COMMAND"),
    ('c', "comm", "COMMAND"),
    ('g', "rgroup", "RGROUP"),
    ('n', "nice", "NI"),
    ('p', "pid", "PID"),
    ('r', "pgid", "PGID"),
    ('t', "etime", "ELAPSED"),
    ('u', "ruser", "RUSER"),
    ('x', "time", "TIME"),
    ('y', "tty", "TTY"),
    ('z', "vsz", "VSZ"),
];

/// BSD `O` sort codes.
static SHORT_SORT: &[(char, &str)] = &[
    ('C', "pcpu"),
    ('G', "tpgid"),
    ('J', "cstime"),
    ('M', "maj_flt"),
    ('N', "cmaj_flt"),
    ('P', "ppid"),
    ('R', "resident"),
    ('S', "share"),
    ('T', "start_time"),
    ('U', "uid"),
    ('c', "cmd"),
    ('f', "flags"),
    ('g', "pgrp"),
    ('j', "cutime"),
    ('k', "utime"),
    ('m', "min_flt"),
    ('n', "cmin_flt"),
    ('o', "session"),
    ('p', "pid"),
    ('r', "rss"),
    ('s', "size"),
    ('t', "tty"),
    ('u', "user"),
    ('v', "vsize"),
    ('y', "priority"),
];

macro_rules! nop {
    ($j:ident) => {
        KeySpec {
            key: "~",
            head: "-",
            width: 1,
            just: Just::$j,
            pidmax: false,
            print: PrintOn::Every,
            pr: Pr::Nop,
            proctl_only: false,
        }
    };
}

static NOPS: [KeySpec; 6] = [
    nop!(Left),
    nop!(Right),
    nop!(Unlimited),
    nop!(User),
    nop!(Wchan),
    nop!(Signal),
];

/// A key that prints `-` with this alignment (a process-only column on a
/// thread's row under `m`, and the reverse).
pub fn nop(just: Just) -> &'static KeySpec {
    NOPS.iter().find(|k| k.just == just).unwrap_or(&NOPS[1])
}

/// The key of this exact (case-sensitive) name.
pub fn search(key: &str) -> Option<&'static KeySpec> {
    KEYS.binary_search_by(|k| k.key.cmp(key))
        .ok()
        .map(|i| &KEYS[i])
}

/// The keys of a macro.
pub fn macro_keys(name: &str) -> Option<&'static str> {
    MACROS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
}

/// The key and header of an AIX descriptor letter.
pub fn aix(c: char) -> Option<(&'static str, &'static str)> {
    AIX.iter()
        .find(|(d, _, _)| *d == c)
        .map(|(_, k, h)| (*k, *h))
}

/// The key of a BSD sort code.
pub fn short_sort(c: char) -> Option<&'static str> {
    SHORT_SORT.iter().find(|(d, _)| *d == c).map(|(_, k)| *k)
}

static PID_LENGTH: OnceLock<usize> = OnceLock::new();

/// Reads the width of the largest pid from ROOT/sys/kernel/pid_max (5
/// when it cannot be read), once.
pub fn init_pid_length(root: &std::path::Path) {
    let _ = PID_LENGTH.set(
        std::fs::read_to_string(root.join("sys/kernel/pid_max"))
            .ok()
            .map(|s| s.trim_end_matches('\n').len())
            .filter(|n| *n > 0)
            .unwrap_or(5),
    );
}

/// The number of digits of the largest pid.
pub fn pid_length() -> usize {
    *PID_LENGTH.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/pid_max")
            .map(|s| s.trim_end_matches('\n').len())
            .unwrap_or(5)
    })
}

/// `ps L`: every key that shows a value, with its header.
pub fn list_text() -> String {
    let mut out = String::new();
    for k in KEYS.iter().filter(|k| k.pr != Pr::Nop && !k.proctl_only) {
        let head: String = k.head.chars().take(8).collect();
        out.push_str(&format!("{:<12.12} {:<8}\n", k.key, head));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for pair in KEYS.windows(2) {
            assert!(pair[0].key < pair[1].key, "{} {}", pair[0].key, pair[1].key);
        }
        assert_eq!(search("pid").unwrap().head, "PID");
        assert!(search("PID").is_none());
    }

    #[test]
    fn list_matches_procps_shape() {
        let text = list_text();
        assert!(text.starts_with("%cpu         %CPU    \n"), "{text}");
    }
}
