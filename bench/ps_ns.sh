#!/usr/bin/env bash
# Benchmarks `ps aux` and `ps -ef` of proctl against procps inside a
# private pid namespace holding exactly N idle processes (default 1000 and
# 10000), so that other work on the machine does not change what is
# listed. Reports medians of wall time (hyperfine) and of peak memory
# (GNU time, 9 runs each).
#
#   bench/ps_ns.sh            # N = 1000 and 10000 (needs root: unshare)
#   bench/ps_ns.sh 500        # one N
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--inside" ]; then
  n=$2 P=$3
  for ((i = 0; i < n; i++)); do sleep 1000000 </dev/null >/dev/null 2>&1 & done
  while [ "$(ls -d /proc/[0-9]* | wc -l)" -lt "$n" ]; do sleep 0.1; done
  out=$(mktemp)
  hyperfine -N --warmup 3 --min-runs 20 --export-json "$out" --output null \
    "ps aux" "$P ps aux" "ps -ef" "$P ps -ef" >/dev/null
  echo "### N = $n idle processes ($(ls -d /proc/[0-9]* | wc -l) in the namespace)"
  echo
  python3 - "$out" <<'PY'
import json, statistics, sys
med = {r["command"].split("release/")[-1]: statistics.median(r["times"]) * 1000
       for r in json.load(open(sys.argv[1]))["results"]}
print("| command | median (ms) | ratio to procps |")
print("|---|---:|---:|")
for cmd, ms in med.items():
    peer = cmd.replace("proctl ", "")
    ratio = f"{ms / med[peer]:.2f}x" if cmd.startswith("proctl") else ""
    print(f"| `{cmd}` | {ms:.1f} | {ratio} |")
PY
  echo
  echo "| peak memory (median of 9) | max RSS (KiB) |"
  echo "|---|---:|"
  for c in "ps aux" "$P ps aux" "ps -ef" "$P ps -ef"; do
    # shellcheck disable=SC2086
    rss=$(for _ in 1 2 3 4 5 6 7 8 9; do /usr/bin/time -f %M $c 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 5p)
    echo "| \`${c##*/}\` | $rss |"
  done
  echo
  rm -f "$out"
  kill $(jobs -p) 2>/dev/null || true
  exit 0
fi

command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time is needed" >&2; exit 2; }
cargo build --release --locked --quiet
P="$PWD/target/release/proctl"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
for n in "${sizes[@]}"; do
  unshare --pid --fork --mount-proc bash "$0" --inside "$n" "$P"
done
