//! Differential tests against procps-ng `ps`, byte for byte, inside a
//! private pid namespace (`unshare --pid --fork --mount-proc`) that holds
//! a fixed set of processes: threads, a zombie, a stopped process, another
//! user's process, a niced one, a name over 15 characters with spaces, a
//! command line with a newline, control characters and a byte that is not
//! UTF-8, and a process on a terminal (script(1)). Every command line runs through
//! procps, through the `ps` link to proctl and through `proctl ps`; only the
//! tool's own rows are dropped before comparing, with the exit statuses.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::util::{binary, is_root, which};

/// Command lines procps accepts (and some it rejects), one a line, as a
/// shell would split them.
const CASES: &str = r#"

-e
-A
-a
-d
-N
-ef
-eF
-el
-elf
-ely
-eLf
-eL
-eT
-ej
-ejH
-ejf
-ec
-ecl
-eM
-ef --forest
-eH
-eHf
-e --forest -o pid,ppid,args
-p 1
-p 1 2
-p '1 2'
-p 1,2,3
-p 1 -C sleep
-C sleep
-C sleep -N
--deselect -C sleep
-u root
-u 65534
-U nobody
-U 0 -o pid,ruser,comm
-g 0
-G 65534
-s 1
--sid 1
--ppid 1
--pid 1
--user root
--group 0
--Group 0
--User 0
-q 1
--quick-pid 1
-q 1,1
-q 1 -e
-q 1 x
q 1,1 ax
-q 1,1 -L
-q 1,1 m
-t -
-e -o pid,tty,comm
a
x
ax
aux
auxf
auxc
auxe
auxww
auxS
axj
axjf
axl
axs
axv
axu
axX
axm -N -C ps,proctl
-m -N -C ps,proctl
-em -N -C ps,proctl
axH
ax r
g
T
t
1
1 2
p 1
U root
U nobody
q 1
-aux
-ax
-x
ax o pid,comm
axo pid,args
axo pid,args --sort=-pid
-eo pid,user:12,comm:5,args
-eo pid=,comm
-eo pid=,comm=
-o pid= -p 1
-o comm= -p 1
-o pid,comm=Name -p 1
-o %p%c%a -p 1
-o '%p %c %a' -e
-o '%p %u %U %g %G %n %r %y %z %x %t %C %P' -e
-eO ppid
ax O p
ax O-p
ax Op,wchan
ax O Ur
ax O Ur-P
ax O -Ur
ax O vs -o pid,vsize,comm
ax O sv -o pid,size,vsize,comm
k -pcpu ax
k -pid ax
k comm,-pid ax
--sort=-%mem ax
--sort=vsz,-pid -e
--sort user,pid -e -o pid,user,comm
-e --sort=-rss -o pid,rss,comm
--sort start_time -e -o pid,comm
ax --sort=ppid,-pid o pid,ppid,comm
axh
-e --no-headers
-e --no-heading
-e --headers
-e --cols 50
-e --columns 60 -o pid,args
--width 70 aux
-e --rows 10 --headers
axw
axww
-e -w
-L -p 1
-T -p 1
-e -o pid,lwp,nlwp,comm -L
-eL -o pid,lwp,ag_id,ag_nice,comm
-eL -o pid,lwp,rchars,rops,wchars,wops,args
-eT -o pid,spid,ag_id,rchars,args
axn
axl n
-ef --cumulative
axS -o pid,min_flt,maj_flt,minflt,majflt,args
ax -o pid,stat,state,s,nice,ni,pri,opri,intpri,priority,pri_api,pri_bar,pri_baz,pri_foo
ax -o pid,class,cls,policy,sched,rtprio
ax -o pid,uid,euid,ruid,suid,svuid,fuid,fsuid,gid,egid,rgid,sgid,svgid,fgid,fsgid
ax -o pid,user,euser,ruser,suser,svuser,fuser,fsuser,uname
ax -o pid,group,egroup,rgroup,sgroup,svgroup,fgroup,fsgroup
ax -o pid,ppid,pgid,pgrp,sid,sess,session,tpgid,tgid,tid,spid,lwp,nlwp,thcount
ax -o pid,tty,tt,tname,tty4,tty8,longtname
ax -o pid,vsz,vsize,rss,rssize,rsz,sz,size,%mem,pmem,drs,trs,dsiz,tsiz,m_size,m_drs,m_trs
ax -o pid,f,flag,flags,stat,state,wchan,nwchan,wname
ax -o pid,sig,pending,sigmask,blocked,sigignore,ignored,sigcatch,caught,sig_block,sig_catch,sig_ignore,sig_pend,tsig
-C sleep,script -o pid,min_flt,minflt,maj_flt,majflt,pagein
ax -o pid,start,stime,bsdstart,lstart,start_time
ax -o pid,time,cputime,atime,bsdtime,cputimes,times
ax -o pid,comm,ucmd,ucomm,fname,args,cmd,command
ax -o pid,supgid,supgrp
ax -o pid,psr,cpuid,lastcpu,sgi_p
ax -o pid,ipcns,mntns,netns,pidns,userns,utsns,cgroupns,timens
ax -o pid,oom,oomadj,luid
ax -o pid,label,context,zone
ax -o pid,cgroup,cgname
ax -o pid,unit,slice,uunit,session,seat,machine,ouid,lxc
ax -o pid,uss,pss,numa,ag_id,ag_nice,utilization,cuu,cuc,cp,util
ax -o pid,addr,addr_1,acflag,alarm,argc,cpu,cwd,environ,jid,jobc,sl,re,tmout
-C sleep,script -o pid,rbytes,wbytes,rchars,wchars,rops,wops,wcbytes
ax -o pid,stackp,start_stack,eip,esp
-e -o pid,ni,comm --sort=ni
-e -o pid,etime,comm --sort etime
-e -o pid,tty,comm --sort tty
-e -o pid,tname,comm --sort=-tname,pid
-e -o pid,user,comm --sort=-user,pid
-e -o pid,ruser,euser,comm --sort=ruser,-pid
ax -o pid,wchan:30,comm k wchan,pid
ax -o pid,comm k -comm
ax -o pid,args --sort args
LC_ALL=C ax -o pid,args --sort=-args
ax -o pid,stat,comm --sort stat,-pid
ax -o pid,sigcatch,sigignore,comm --sort -sigcatch,sigignore,pid
ax -o pid,supgrp,supgid,comm --sort supgrp,-pid
ax -o pid,fgid,sgi_p,comm --sort sgi_p,-pid
ax -o pid,context,comm --sort -context
ax -o pid,cgroup,comm --sort cgroup,-pid
ax -o pid,addr,comm --sort -addr
ax -o pid,oom,lim,comm --sort -oom,lim,pid
ax -o pid,exe,comm --sort exe,pid
ax -o pid,unit,slice,comm --sort -slice,unit,pid
ax -o pid,start_code,comm --sort start_code,pid
ax -o pid,end_code,comm --sort -end_code,pid
ax -o pid,vm_exe,vm_lib,comm --sort vm_exe,-vm_lib,pid
ax -o pid,vm_stack,vm_lock,comm --sort -vm_stack,vm_lock,pid
ax -o pid,luid,cutime,comm --sort -luid,-cutime,pid
ax -o pid,luid,comm --sort luid
ax -o pid,utime,vm_data,comm --sort -utime,-vm_data,pid
ax -o pid,resident,m_resident,m_share,comm --sort -m_share,-resident,pid
-p 1 -o pid,user,tty,comm,args --forest
-eL --sort=-lwp -o pid,lwp,nlwp,comm
-eLf --sort=pid
-eT k -pid -o pid,spid,comm
axm --sort=pid -o pid,tid,stat,comm
-em k -pid
axH --sort=-tid -o pid,tid,comm
-e -o pid,size,comm --sort=-size
-e -o pid,vsize,comm --sort=-vsize
-e -o pid,vsize,drs,comm --sort=-vsize
-e -o pid,fgid,comm --sort=-fgid
-el --sort=-fgid
-e -o pid,tty4,comm --sort=-tty4
-e -o pid,tty4,tty,comm --sort=-tty4
-e -o pid,label,comm --sort=-label
-e -o pid,zone,comm --sort=-zone
-e -o pid,stackp,comm --sort=stackp
-e -o pid,start_stack,comm --sort=-start_stack
-e -o pid,start_code,trs,comm --sort=-start_code
-e -o pid,end_code,comm --sort=end_code,tsiz
-e -o pid,vm_data,size,comm --sort=-vm_data
-e -o pid,vm_stack,comm --sort=-vm_stack,size
-e -o _left,_right,_unlimited
L
--info
-p ''
-u ''
-C ''
--ppid ''
-p 0
-p abc
-u no-such-user-zz
-o nosuchkey
-o pid,,comm
-o pid:0
-o pid:2147483647,comm -p 1
-o pid:4294967297,comm -p 1
-o pid:2147483648 -p 1
-o pid:131070,ppid:1,comm -p 1
-o pid:131069,ppid:1,args -p 1
-o pid:65536,ppid:65536,args -p 1
foo
-aZx
--nosuch
-L -H
-q 1 -p 2
-eo pid -O ppid
--
-- -p 1
-e --
k
ax k
-e V
-y
-f -o pid
k nosuch
"#;

/// The fixtures and the runs, as pid 1 of the namespace.
const SCRIPT: &str = r#"
set -u
T=$1; HELPER=$2; PROCTL=$3
cd "$T"
sleep 1000 </dev/null >/dev/null 2>&1 &
nice -n 5 sleep 1001 </dev/null >/dev/null 2>&1 &
setpriv --reuid=65534 --regid=65534 --clear-groups sleep 1002 </dev/null >/dev/null 2>&1 &
sleep 1003 </dev/null >/dev/null 2>&1 &
STOPPED=$!
kill -STOP $STOPPED
bash -c 'sleep 0 & exec sleep 1004' </dev/null >/dev/null 2>&1 &
"$T/a very long process name" 1005 </dev/null >/dev/null 2>&1 &
script -qfc "sleep 1006" /dev/null </dev/null >/dev/null 2>&1 &
bash -c 'exec -a "$(printf "nl\nname\033[31mx\tt\xff")" sleep 1007' </dev/null >/dev/null 2>&1 &
# A login uid of 0 (where the kernel keeps audit's): luid sorts it after
# the unset ones (-1).
sh -c 'echo 0 >/proc/self/loginuid; exec sleep 1008' </dev/null >/dev/null 2>&1 &
PROCTL_THREAD_HOLDER=1 "$HELPER" --exact ps_namespace::thread_holder --ignored --test-threads=1 </dev/null >/dev/null 2>&1 &
# Wait (with a deadline) until every fixture is in place.
for i in $(seq 1 3000); do
  z=$(grep -l '^State:.Z' /proc/[0-9]*/status 2>/dev/null | wc -l)
  t=$(grep -c '^State:.T' /proc/$STOPPED/status 2>/dev/null)
  tty=$(pgrep -f '^sleep 1006$' | wc -l)
  th=$(grep -h '^Threads:' /proc/[0-9]*/status 2>/dev/null | awk '$2 >= 4' | wc -l)
  [ "$z" -ge 1 ] && [ "${t:-0}" -ge 1 ] && [ "$tty" -ge 1 ] && [ "$th" -ge 1 ] && break
  sleep 0.01
done
# Each run's pid is left out of its output with every row holding that
# number; so that no other row holds it (a fault count, a size), the runs
# take pids from the top of the range, which no such field reaches here.
PIDMAX=$(cat /proc/sys/kernel/pid_max)
NEXT=0
run() { # name tool args...
  local out=$1; shift
  if [ "$PIDMAX" -gt 1000000 ]; then
    NEXT=$((NEXT + 1))
    echo $((PIDMAX - 100000 + NEXT)) >/proc/sys/kernel/ns_last_pid 2>/dev/null
  fi
  bash -c 'echo $$ >&3; exec "$@"' _ "$@" >"$out" 2>/dev/null 3>"$out.pid"
  echo $? >"$out.rc"
}
n=0
while IFS= read -r line; do
  n=$((n + 1))
  eval "set -- $line"
  # Leading NAME=VALUE words are the environment of that case.
  vars=()
  while [ $# -gt 0 ] && [[ $1 =~ ^[A-Z_]+= ]]; do vars+=("$1"); shift; done
  for k in 1; do
    run "$n.$k.ps1" env "${vars[@]}" /usr/bin/ps "$@"
    run "$n.$k.link" env "${vars[@]}" "$T/bin/ps" "$@"
    if [ $# -gt 0 ]; then run "$n.$k.proctl" env "${vars[@]}" "$PROCTL" ps "$@"; else cp "$n.$k.link" "$n.$k.proctl"; cp "$n.$k.link.pid" "$n.$k.proctl.pid"; cp "$n.$k.link.rc" "$n.$k.proctl.rc"; fi
    run "$n.$k.ps2" env "${vars[@]}" /usr/bin/ps "$@"
  done
done <cases
touch done
"#;

/// Not a test: the multithreaded fixture (run by the namespace script).
#[test]
#[ignore]
fn thread_holder() {
    if std::env::var_os("PROCTL_THREAD_HOLDER").is_none() {
        return;
    }
    let threads: Vec<_> = (0..3)
        .map(|_| std::thread::spawn(std::thread::park))
        .collect();
    for t in threads {
        let _ = t.join();
    }
}

/// One run's output without the rows of the tool itself.
fn without_own_rows(dir: &Path, name: &str) -> (String, String) {
    let out = std::fs::read(dir.join(name)).unwrap_or_default();
    let pid = std::fs::read_to_string(dir.join(format!("{name}.pid"))).unwrap_or_default();
    let pid = pid.trim();
    let rc = std::fs::read_to_string(dir.join(format!("{name}.rc"))).unwrap_or_default();
    let text = String::from_utf8_lossy(&out);
    // The runner script (pid 1 here) forks every case, so its CPU figures
    // (%CPU, TIME, cumulative with S) move between the procps and proctl
    // runs: its digits are not compared, its other fields are.
    let kept: String = text
        .split_inclusive('\n')
        .filter(|l| pid.is_empty() || !l.split_whitespace().any(|t| t == pid))
        .map(|l| {
            if l.contains("/run.sh ") {
                l.chars()
                    .map(|c| if c.is_ascii_digit() { '0' } else { c })
                    .collect()
            } else {
                l.to_string()
            }
        })
        .collect();
    (kept, rc.trim().to_string())
}

/// The first few lines where two outputs differ, for the failure message.
fn first_lines_differing(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut out = String::new();
    let mut shown = 0;
    for i in 0..la.len().max(lb.len()) {
        let (x, y) = (la.get(i).copied(), lb.get(i).copied());
        if x != y && shown < 3 {
            out.push_str(&format!(
                "  - {}\n  + {}\n",
                x.unwrap_or("<none>"),
                y.unwrap_or("<none>")
            ));
            shown += 1;
        }
    }
    out
}

fn tools_present() -> bool {
    is_root()
        && ["unshare", "setpriv", "script", "nice", "ps"]
            .iter()
            .all(|t| {
                std::env::var_os("PATH")
                    .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(t).is_file()))
            })
}

/// Runs command lines in a fresh namespace; returns a failure report for
/// each that differs (`None` where procps, the link and proctl agree).
fn run_in_namespace(cases: &[String]) -> Vec<Option<String>> {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path();
    std::fs::create_dir(t.join("bin")).unwrap();
    std::os::unix::fs::symlink(binary(), t.join("bin/ps")).unwrap();
    std::fs::copy(which("sleep"), t.join("a very long process name")).unwrap();
    std::fs::write(t.join("cases"), cases.join("\n") + "\n").unwrap();
    let helper = std::env::current_exe().unwrap();
    std::fs::write(t.join("run.sh"), SCRIPT).unwrap();
    // Everything in the namespace runs on one CPU, so that PSR (the CPU a
    // process last ran on) of the busy runner script cannot change between
    // the runs of procps and proctl.
    let allowed = nix::sched::sched_getaffinity(nix::unistd::Pid::from_raw(0)).unwrap();
    let cpu = (0..nix::sched::CpuSet::count())
        .find(|&c| allowed.is_set(c).unwrap_or(false))
        .unwrap();
    let mut command = StdCommand::new(which("taskset"));
    crate::util::without_output_variables(&mut command)
        .args(["-c", &cpu.to_string()])
        .arg(which("unshare"))
        .args(["--pid", "--fork", "--mount-proc", "bash"])
        .arg(t.join("run.sh"))
        .arg(t)
        .arg(&helper)
        .arg(binary())
        .env("LC_ALL", "C.UTF-8");
    let status = command.status().unwrap();
    assert!(
        status.success() && t.join("done").exists(),
        "namespace run failed"
    );
    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let n = i + 1;
            let theirs1 = without_own_rows(t, &format!("{n}.1.ps1"));
            let theirs2 = without_own_rows(t, &format!("{n}.1.ps2"));
            let link = without_own_rows(t, &format!("{n}.1.link"));
            let ours = without_own_rows(t, &format!("{n}.1.proctl"));
            let same = (link == theirs1 || link == theirs2) && ours == link;
            (!same).then(|| {
                format!(
                    "ps {case}: status {} / link {} / proctl {}\n{}{}",
                    theirs1.1,
                    link.1,
                    ours.1,
                    first_lines_differing(&theirs1.0, &link.0),
                    first_lines_differing(&link.0, &ours.0)
                )
            })
        })
        .collect()
}

/// Compares every case; a case that differs gets two more tries, each in a
/// fresh namespace (a value such as the runner's CPU time may move between
/// the runs of procps and proctl).
fn assert_all_match(cases: &[String]) {
    let mut pending: Vec<String> = cases.to_vec();
    let mut reports = Vec::new();
    for _round in 0..3 {
        reports = run_in_namespace(&pending);
        pending = pending
            .iter()
            .zip(&reports)
            .filter(|(_, r)| r.is_some())
            .map(|(c, _)| c.clone())
            .collect();
        if pending.is_empty() {
            return;
        }
        eprintln!("{} command lines differ; trying them again", pending.len());
    }
    let failures: Vec<String> = reports.into_iter().flatten().collect();
    panic!(
        "{} of {} command lines differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_family_layout_and_key_matches_procps_in_a_pid_namespace() {
    if !tools_present() {
        eprintln!("needs root, unshare, setpriv, script and procps ps: skipped");
        return;
    }
    let cases: Vec<String> = CASES.lines().skip(1).map(str::to_string).collect();
    assert_all_match(&cases);
}

/// `numa` is the node of the CPU a process last ran on when procps can
/// load libnuma (it prints -1 without it): compared only where it can.
#[test]
fn numa_node_matches_procps_in_a_pid_namespace() {
    let libnuma = ["/lib", "/usr/lib", "/lib64", "/usr/lib64"]
        .iter()
        .any(|d| {
            std::fs::read_dir(d).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    let p = e.path();
                    p.join("libnuma.so.1").exists() || p.ends_with("libnuma.so.1")
                })
            })
        });
    if !tools_present() || !libnuma {
        eprintln!("needs root, unshare, setpriv, script, procps ps and libnuma: skipped");
        return;
    }
    let cases: Vec<String> = [
        "ax -o pid,numa,psr,comm",
        "-e -o pid,numa,comm --sort=-numa",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    assert_all_match(&cases);
}

/// Every personality procps-ng 4.0.2 knows (ps/global.c's table, matched
/// without regard to case), and names it does not know.
const PERSONALITIES: &[&str] = &[
    "390",
    "aix",
    "bsd",
    "compaq",
    "debian",
    "default",
    "digital",
    "gnu",
    "hp",
    "hpux",
    "irix",
    "linux",
    "old",
    "os390",
    "posix",
    "s390",
    "sco",
    "sgi",
    "solaris2",
    "sunos4",
    "svr4",
    "sysv",
    "tru64",
    "unix",
    "unix95",
    "unix98",
    "unknown",
    "Bsd",
    "nonsense",
    "aaaaaaaaaaaaaaaabsd",
];

/// What a personality may change: default selection and layout, the
/// UNIX and BSD layouts, `-x`, BSD `h` and `m` (threads, a layout or a
/// sort; on pids, as proctl has threads of its own), the all-BSD reading.
const PERSONALITY_ARGS: &[&str] = &[
    "",
    "-ef",
    "-el",
    "-ej",
    "-e -x",
    "axjh",
    "m -p 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
];

/// Layouts and options tried under one personality of each kind.
const PERSONALITY_MORE: &[&str] = &[
    "axl",
    "axu",
    "axv",
    "axs",
    "-efl",
    "-ejl",
    "-ejf",
    "-ely",
    "-elx",
    "-eF",
    "a -xu",
    "-ax",
    "ax -o pid,comm",
    "-e --sort=-pid -o pid,comm",
];

#[test]
fn each_personality_matches_procps_in_a_pid_namespace() {
    if !tools_present() {
        eprintln!("needs root, unshare, setpriv, script and procps ps: skipped");
        return;
    }
    let mut cases = Vec::new();
    for p in PERSONALITIES {
        for a in PERSONALITY_ARGS {
            cases.push(format!("PS_PERSONALITY={p} {a}"));
        }
    }
    for p in [
        "bsd", "old", "gnu", "linux", "aix", "tru64", "sunos4", "irix", "s390", "hp", "svr4",
        "posix",
    ] {
        for a in PERSONALITY_MORE {
            cases.push(format!("PS_PERSONALITY={p} {a}"));
        }
    }
    // CMD_ENV when PS_PERSONALITY is unset or empty, the override that
    // means `old`, and IRIX's layout turned off by _XPG.
    for line in [
        "CMD_ENV=bsd -ef",
        "PS_PERSONALITY= CMD_ENV=svr4 -elx",
        "PS_PERSONALITY=linux CMD_ENV=bsd -ef",
        "I_WANT_A_BROKEN_PS=1 PS_PERSONALITY=linux -el",
        "I_WANT_A_BROKEN_PS= axm",
        "PS_PERSONALITY=irix _XPG=1 -el",
        "PS_PERSONALITY=sgi _XPG=0 -el",
    ] {
        cases.push(line.to_string());
    }
    assert_all_match(&cases);
}
