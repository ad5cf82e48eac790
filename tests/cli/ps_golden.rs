//! Exact output of `proctl ps` on the fixture /proc tree.

use crate::util::{assert_golden, fixture};

fn golden(name: &str, args: &[&str]) {
    let out = fixture().arg("ps").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    assert_golden(name, &out.stdout);
}

#[test]
fn aux() {
    golden("ps_aux.txt", &["aux"]);
}

#[test]
fn ef() {
    golden("ps_ef.txt", &["-ef"]);
}

#[test]
fn extra_full() {
    golden("ps_eF.txt", &["-eF"]);
}

#[test]
fn long() {
    golden("ps_el.txt", &["-el"]);
}

#[test]
fn long_full() {
    golden("ps_elf.txt", &["-elf"]);
}

#[test]
fn threads_full() {
    golden("ps_eLf.txt", &["-eLf"]);
}

#[test]
fn procps_default_format() {
    golden("ps_e.txt", &["-e"]);
}

#[test]
fn default_view() {
    golden("ps_default.txt", &[]);
}

#[test]
fn default_view_with_kernel_threads() {
    golden("ps_kernel.txt", &["--kernel"]);
}

#[test]
fn bsd_forest() {
    golden("ps_axf.txt", &["axf"]);
}

#[test]
fn custom_columns_with_renamed_header() {
    golden(
        "ps_o.txt",
        &[
            "-e",
            "-o",
            "pid,ppid,pgid,sid,tpgid,tty,user,ruser,uid,ruid,group,gid,nlwp,ni,pri,psr",
            "-o",
            "stat,state,%cpu,%mem,vsz,rss,sz,start,stime,lstart,etime,etimes,time,times,c,f,lwp,vctx,nvctx,ctxsw",
            "-o",
            "comm=NAME",
        ],
    );
}

#[test]
fn json() {
    golden("ps.json", &["--format", "json"]);
}

#[test]
fn json_custom_columns() {
    golden(
        "ps_o.json",
        &[
            "--format",
            "json",
            "-e",
            "-o",
            "pid,comm,args,stat,%cpu,rss,etime,lstart,tty,nice",
        ],
    );
}

#[test]
fn ndjson() {
    golden(
        "ps.ndjson",
        &["--format", "ndjson", "-e", "-o", "pid,comm,user"],
    );
}

#[test]
fn csv() {
    golden(
        "ps.csv",
        &[
            "--format",
            "csv",
            "-e",
            "-o",
            "pid,user,comm,args,%cpu,stime",
        ],
    );
}

#[test]
fn sorted_by_cpu_descending_then_pid() {
    golden(
        "ps_sort.txt",
        &["-e", "-o", "pid,%cpu,comm", "--sort", "-%cpu,pid"],
    );
}

#[test]
fn forest_with_custom_columns() {
    golden("ps_forest.txt", &["-e", "-o", "pid,ppid,args", "--forest"]);
}

#[test]
fn selection_by_user_and_state() {
    golden(
        "ps_select.txt",
        &[
            "-o",
            "pid,user,state,comm",
            "-u",
            "www-data",
            "--state",
            "S,Z",
        ],
    );
}

#[test]
fn pattern_regex_and_full() {
    golden(
        "ps_pattern.txt",
        &[
            "-e",
            "-o",
            "pid,comm",
            "--regex",
            "--match",
            "^(bash|sleep)$",
        ],
    );
    golden(
        "ps_pattern_full.txt",
        &["-e", "-o", "pid,args", "--full", "--match", "jar"],
    );
}

#[test]
fn plain_format_without_header() {
    golden(
        "ps_plain.txt",
        &[
            "--format",
            "plain",
            "--no-header",
            "-e",
            "-o",
            "pid,user,args",
        ],
    );
}

/// proctl run as pid 1 of a private pid namespace, reading the fixture tree
/// (where pid 1 is /sbin/init), through `name` (a link to the binary).
fn as_pid_1(dir: &std::path::Path, name: &str, args: &[&str]) -> std::process::Output {
    let link = dir.join(name);
    if !link.exists() {
        std::os::unix::fs::symlink(crate::util::binary(), &link).unwrap();
    }
    std::process::Command::new("unshare")
        .args(["--pid", "--fork", "--"])
        .arg(&link)
        .args(args)
        .env("PROCTL_PROC_ROOT", crate::util::fixture_root())
        .env("PROCTL_NOW", crate::util::FIXTURE_NOW)
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8")
        .env("TERM", "xterm")
        .env_remove("COLUMNS")
        .output()
        .expect("unshare (util-linux)")
}

#[test]
fn fixture_output_does_not_depend_on_proctls_own_pid() {
    // CI once ran proctl as pid 701, a fixture process, which `ps aux` then
    // showed running as itself ("Rs" for "ts").
    if !crate::util::is_root() {
        eprintln!("skipped: needs root (for unshare --pid)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = as_pid_1(dir.path(), "proctl", &["ps", "aux"]);
    assert!(out.status.success(), "{out:?}");
    assert_golden("ps_aux.txt", &out.stdout);
    // A pattern excludes proctl itself, never the fixture's pid 1.
    let out = as_pid_1(
        dir.path(),
        "proctl",
        &["ps", "-e", "-o", "pid,comm", "--match", "init"],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "  PID COMMAND\n    1 init\n"
    );
    let out = as_pid_1(dir.path(), "proctl", &["show", "init", "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\"pid\": 1,"),
        "{out:?}"
    );
    // pstree -h marks the current process: there is none in a fixture tree.
    let out = as_pid_1(dir.path(), "proctl", &["pstree", "-h"]);
    assert!(out.status.success(), "{out:?}");
    assert!(!out.stdout.contains(&0x1b), "{out:?}");
}
