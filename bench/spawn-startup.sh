#!/usr/bin/env bash
# `proctl spawn -- true` start-up against `env true`, in ROUNDS rounds
# (default 10) of RUNS runs each (default 300), one command after the other
# in each round, so that a machine whose load drifts over minutes compares
# like with like: the ratio is taken per round, and the median and range of
# the rounds' ratios are printed. Also measured, to tell the costs apart:
# `spawn --new-group -- true` (no witness process: the child has its own
# group), `proctl --version` (proctl's own start-up) and `true`.
#
#   bench/spawn-startup.sh [ROUNDS] [RUNS]
#
# Needs hyperfine; builds proctl in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10} runs=${2:-300}
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --locked --quiet
P="$PWD/target/release/proctl"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
for ((r = 0; r < rounds; r++)); do
  hyperfine -N --warmup 30 --runs "$runs" --output null --export-json "$OUT/$r.json" \
    "env true" "$P spawn -- true" "$P spawn --new-group -- true" "$P --version" "true" >/dev/null 2>&1
done
python3 - "$OUT" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
per = {}  # command -> [median of each round]
for r in range(rounds):
    for res in json.load(open(f"{out}/{r}.json"))["results"]:
        name = res["command"].replace(sys.argv[1], "")
        name = name.split("/release/")[-1]
        per.setdefault(name, []).append(statistics.median(res["times"]))
env = per["env true"]
print("| command | median of round medians (ms) | / `env true`, median (range) |")
print("|---|---:|---:|")
for name, times in per.items():
    ratios = sorted(t / e for t, e in zip(times, env))
    print(f"| `{name}` | {statistics.median(times) * 1000:.3f} | "
          f"{statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f}) |")
PY
