#!/usr/bin/env bash
# Benchmarks `proctl show PID` (target: at most 20 ms) and who holds the
# root filesystem, `proctl ps --holding /` (target: at most `fuser -m /`),
# `proctl ps -e -o pid,holds --holding /` (procps's grammar) and
# `proctl signal --dry-run --holding /`, against psmisc's `fuser -m /`, with
# N extra idle processes for each N given (default: 1000 10000).
#
#   bench/holding.sh           # N = 1000 and 10000
#   bench/holding.sh 500       # one N
#   RUNS=3 bench/holding.sh    # fewer runs (fuser -m / is slow with many processes)
#
# Needs hyperfine and psmisc; builds proctl in release mode. Prints
# Markdown tables of medians and the ratio to fuser measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
command -v fuser >/dev/null || { echo "bench: fuser is needed (apt-get install psmisc)" >&2; exit 2; }
cargo build --release --locked --quiet
P="$PWD/target/release/proctl"
OUT="$(mktemp -d)"
group=
# The idle processes lead their own group (setsid), so they are killed by
# group, also when the script stops early.
trap '[ -n "$group" ] && kill -- "-$group" 2>/dev/null; rm -rf "$OUT"' EXIT

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

# Starts N idle processes in their own process group; prints the group id.
start_idle() {
  setsid bash -c 'for ((i = 0; i < $1; i++)); do sleep 1000000 & done; wait' _ "$1" </dev/null >/dev/null 2>&1 &
  local leader=$!
  while [ "$(pgrep -c -g "$leader" -x sleep || true)" -lt "$1" ]; do sleep 0.2; done
  echo "$leader"
}

echo "machine: $(nproc) cores, $(uname -sr), $(fuser --version 2>&1 | head -1)"
for n in "${sizes[@]}"; do
  group=$(start_idle "$n")
  total=$(ls /proc | grep -c '^[0-9]' || true)
  target=$(pgrep -n -g "$group" -x sleep)
  # fuser -m / names every process (and prints a line per process it
  # cannot read) on stderr; both are discarded, as proctl's output is.
  hyperfine -N --warmup 1 --runs "${RUNS:-10}" --export-json "$OUT/$n.json" --output null \
    "$P show $target" \
    "$P show --files $target" \
    "fuser -m /" \
    "$P ps --holding /" \
    "$P ps -e -o pid,holds --holding /" \
    "$P signal --dry-run --holding /" >/dev/null
  echo
  echo "### N = $n extra idle processes ($total processes in all)"
  echo
  python3 - "$OUT/$n.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
med = {r["command"].split("release/")[-1]: statistics.median(r["times"]) * 1000 for r in results}
print("| command | median (ms) | peer | ratio to peer |")
print("|---|---:|---|---:|")
for name, ms in med.items():
    if "holding" in name:
        print(f"| `{name}` | {ms:.1f} | `fuser -m /` | {ms / med['fuser -m /']:.2f}x |")
    elif name.startswith("proctl show"):
        print(f"| `{name.rsplit(' ', 1)[0]} PID` | {ms:.1f} | (target 20 ms) | |")
    else:
        print(f"| `{name}` | {ms:.1f} | | |")
PY
  kill -- "-$group" 2>/dev/null || true
  wait 2>/dev/null || true
done
