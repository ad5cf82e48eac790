#!/usr/bin/env bash
# Runs the whole test suite under perf and checks that every signal it
# sends lands in its own process tree: no test, and no proctl or peer
# command a test runs, may signal a process the suite did not start.
#   usage: tests/audit/signals.sh [cargo test arguments...]
# Needs root, perf (apt-get install linux-perf) and the kernel's tracepoints
# signal:signal_generate and sched:sched_process_fork. Not part of CI: it
# traces the whole machine. The suite runs in a private pid namespace;
# signals 0 and CHLD are not counted.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# perf blocks WINCH in its workload; the tests that catch it unblock it.
perf record -q -a -o "$data/perf.data" \
    -e signal:signal_generate --filter 'sig != 17 && sig != 0' \
    -e sched:sched_process_fork \
    -- unshare --pid --fork --mount-proc \
    cargo test --locked --no-fail-fast "$@" </dev/null || true
perf script -i "$data/perf.data" >"$data/events" 2>/dev/null
python3 - "$data/events" <<'PY'
import re, sys
parent, signals, root = {}, [], None
# Names may hold newlines (the hostile-name tests): match across lines.
text = open(sys.argv[1], errors='replace').read()
event = re.compile(
    r'sched_process_fork: comm=(.*?) pid=(\d+) child_comm=.*? child_pid=(\d+)'
    r'|^\s*(\S[^\n]*?)\s+(\d+)\s+\[\d+\]\s+[\d.]+:\s+signal:signal_generate: '
    r'sig=(\d+) errno=-?\d+ code=-?\d+ comm=(.*?) pid=(\d+) grp=\d+ res=\d+',
    re.S | re.M)
for m in event.finditer(text):
    if m.group(2):
        p, c = int(m.group(2)), int(m.group(3))
        parent[c] = p
        if root is None and m.group(1) == 'unshare':
            root = p  # perf's workload; the machine's other forks come first too
    else:
        signals.append((m.group(4), int(m.group(5)), int(m.group(6)), m.group(7), int(m.group(8))))
def started_by_suite(pid):
    while pid in parent:
        if pid == root:
            return True
        pid = parent[pid]
    return pid == root
outside = [s for s in signals if not started_by_suite(s[4])]
print(f"{len(signals)} signals sent during the run, {len(outside)} to processes outside it")
for sender, spid, number, comm, pid in outside:
    print(f"  {sender} ({spid}) sent {number} to {comm} ({pid})")
sys.exit(1 if outside else 0)
PY
