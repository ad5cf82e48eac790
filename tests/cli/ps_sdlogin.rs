//! Differential tests of the keys procps-ng `ps` reads through systemd's
//! sd-login library and the cgroup file (`lsession seat machine ouid unit
//! uunit slice lxc`) and of `lim` (RLIMIT_RSS). Without systemd running,
//! sd-login still reads a process's path in the cgroup hierarchy and
//! /run/systemd: the test puts sleepers into cgroups named as logind,
//! machined, a user manager and LXC name them, writes the session and
//! machine records into a private /run/systemd (a mount namespace), and
//! compares procps with proctl, values and sorting.

use std::process::Command as StdCommand;

use crate::util::{binary, is_root, which};

/// Runs in a private mount namespace: $1 the writable unified cgroup
/// hierarchy, $2 a tag for unique names, $3 proctl; prints both outputs
/// of each command line, separated by lines of `==`.
const SCRIPT: &str = r#"
set -u
CG=$1; TAG=$2; PROCTL=$3
# The directory is made (and removed at the end) on the host's /run when
# it has none; only the tmpfs over it is private.
MADE=
mount -t tmpfs tmpfs /run/systemd 2>/dev/null || { mkdir /run/systemd && MADE=1 && mount -t tmpfs tmpfs /run/systemd; }
mkdir -p /run/systemd/sessions /run/systemd/machines
printf 'UID=4242\nSEAT=seat%s\nACTIVE=1\n' "$TAG" >/run/systemd/sessions/t$TAG
printf '# no seat here\nUID=4243\n' >/run/systemd/sessions/u$TAG
ln -s "vm-$TAG" /run/systemd/machines/unit:machine-t$TAG.scope
dirs=(
  "user.slice/user-4242.slice/session-t$TAG.scope"
  "user.slice/user-4243.slice/session-u$TAG.scope"
  "machine.slice/machine-t$TAG.scope"
  "user.slice/user-4242.slice/user@4242.service/app.slice/t$TAG.service"
  "lxc.payload.t$TAG/init.scope"
  "lxc/outer$TAG/lxc/inner$TAG"
  "system.slice/t$TAG@x.service"
  "_cpu$TAG.service"
)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null
  wait
  for d in "${dirs[@]}"; do
    p=$d
    while [ -n "$p" ] && [ "$p" != . ]; do rmdir "$CG/$p" 2>/dev/null; p=$(dirname "$p"); done
  done
  if [ -n "$MADE" ]; then umount /run/systemd && rmdir /run/systemd; fi
}
trap cleanup EXIT
for d in "${dirs[@]}"; do
  mkdir -p "$CG/$d"
  sleep 1000 </dev/null >/dev/null 2>&1 &
  echo $! >"$CG/$d/cgroup.procs"
  pids+=($!)
done
prlimit --rss=123456789 sleep 1000 </dev/null >/dev/null 2>&1 &
pids+=($!)
sleep 1000 </dev/null >/dev/null 2>&1 &
pids+=($!)
list=$(IFS=,; echo "${pids[*]}")
for args in \
  "-o pid,lsession,seat,machine,ouid -p $list" \
  "-o pid,unit,slice,uunit -p $list" \
  "-o pid,lxc,lim -p $list" \
  "-o pid,lim,lsession,ouid --sort=-lim,lsession,pid -p $list" \
  "-o pid,unit,uunit,machine --sort unit,-uunit,machine,pid -p $list" \
  "-o pid,seat,slice,lxc --sort -seat,slice,-lxc,pid -p $list"; do
  /usr/bin/ps $args; echo "rc=$?"; echo "=="
  "$PROCTL" ps $args; echo "rc=$?"; echo "=="
done
"#;

/// The unified cgroup hierarchy sd-login reads (v2 alone or beside v1), if
/// it may be written and no systemd manages it.
fn writable_hierarchy() -> Option<&'static str> {
    if !is_root() || std::path::Path::new("/run/systemd/system").exists() {
        return None;
    }
    ["/sys/fs/cgroup/unified", "/sys/fs/cgroup"]
        .into_iter()
        .find(|d| std::path::Path::new(d).join("cgroup.procs").exists())
}

#[test]
fn systemd_and_lxc_keys_match_procps() {
    let Some(cg) = writable_hierarchy() else {
        eprintln!("needs root, a cgroup v2 hierarchy and no systemd: skipped");
        return;
    };
    let tag = std::process::id().to_string();
    let out = StdCommand::new(which("unshare"))
        .args([
            "--mount",
            "--propagation",
            "private",
            "bash",
            "-c",
            SCRIPT,
            "_",
        ])
        .arg(cg)
        .arg(&tag)
        .arg(binary())
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let parts: Vec<&str> = text.split("==\n").collect();
    assert!(
        parts.len() >= 12,
        "script failed: {text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for pair in parts.chunks(2).take(6) {
        assert_eq!(pair[0], pair[1], "procps (left) and proctl differ");
    }
    // The fixtures gave real values, not only dashes.
    for want in [
        format!(" t{tag} "),
        format!("seat{tag}"),
        format!("vm-{tag}"),
        "4242".to_string(),
        format!("t{tag}.service"),
        format!("inner{tag}"),
        "120563".to_string(),
        format!("cpu{tag}.service"),
    ] {
        assert!(text.contains(&want), "no {want:?} in:\n{text}");
    }
}
