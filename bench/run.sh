#!/usr/bin/env bash
# Benchmarks proctl against procps ps (and procs, when installed) with N
# extra idle processes, for each N given (default: 1000 10000).
#
#   bench/run.sh            # N = 1000 and 10000
#   bench/run.sh 500        # one N
#
# Needs hyperfine, procps, psmisc, iproute2 and GNU time
# (apt-get install hyperfine procps psmisc iproute2 time); builds
# proctl in release mode. Prints a Markdown table of medians, the ratio to
# procps ps aux measured in the same run, and peak memory (max RSS).
set -euo pipefail
cd "$(dirname "$0")/.."

# Internal: start a tree of N sleeping processes under one shell, write the
# shell's pid to FILE once all exist (used as hyperfine's --prepare).
if [ "${1:-}" = "--start-tree" ]; then
  n=$2 file=$3
  setsid bash -c 'for ((i = 0; i < $1; i++)); do sleep 1000000 & done; wait' _ "$n" </dev/null >/dev/null 2>&1 &
  leader=$!
  while [ "$(pgrep -c -P "$leader" || true)" -lt "$n" ]; do sleep 0.1; done
  echo "$leader" > "$file"
  exit 0
fi

command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time is needed (apt-get install time)" >&2; exit 2; }
cargo build --release --locked --quiet
P="$PWD/target/release/proctl"
OUT="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$OUT"' EXIT

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

# Starts N idle processes in their own process group; prints the group id.
start_idle() {
  setsid bash -c 'for ((i = 0; i < $1; i++)); do sleep 1000000 & done; wait' _ "$1" </dev/null >/dev/null 2>&1 &
  local leader=$!
  while [ "$(pgrep -c -g "$leader" -x sleep || true)" -lt "$1" ]; do sleep 0.2; done
  echo "$leader"
}

# Peak RSS in KiB of one run of a command, output discarded. GNU time
# forks a small process, so the floor is about 1 MiB (`time true`).
max_rss() {
  /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), $(ps --version)"
for n in "${sizes[@]}"; do
  group=$(start_idle "$n")
  total=$(ls -d /proc/[0-9]* | wc -l)
  cmds=(
    "ps aux" "$P ps aux"
    "ps -ef" "$P ps -ef"
    "$P ps" "$P ps --format json"
    "pstree" "$P pstree"
    "pstree -p" "$P pstree -p"
    "ss -tulpn" "$P ports"
  )
  command -v procs >/dev/null && cmds+=("procs --color disable --pager disable")
  hyperfine -N --warmup 3 --min-runs 20 --export-json "$OUT/$n.json" --output null "${cmds[@]}" >/dev/null
  echo
  echo "### N = $n extra idle processes ($total processes in all)"
  echo
  python3 - "$OUT/$n.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
med = {r["command"]: statistics.median(r["times"]) * 1000 for r in results}
# Each proctl command is compared with the peer command measured in the
# same run: ps aux for the ps views, pstree for pstree.
def peer(cmd):
    name = cmd.split("release/")[-1]
    if name.startswith("proctl pstree"):
        return name.replace("proctl ", "")
    if name.startswith("proctl ps -ef"):
        return "ps -ef"
    if name.startswith("proctl ports"):
        return "ss -tulpn"
    return "ps aux"
print("| command | median (ms) | peer | ratio to peer |")
print("|---|---:|---|---:|")
for cmd, ms in med.items():
    name = cmd.split("release/")[-1]
    if name.startswith("proctl"):
        p = peer(cmd)
        print(f"| `{name}` | {ms:.1f} | `{p}` | {ms / med[p]:.2f}x |")
    else:
        print(f"| `{name}` | {ms:.1f} | | |")
PY
  echo
  echo "| peak memory | max RSS (KiB) |"
  echo "|---|---:|"
  for c in "ps aux" "$P ps aux" "$P ps --format json"; do
    # shellcheck disable=SC2086
    echo "| \`${c##*/}\` | $(max_rss $c) |"
  done
  kill -- "-$group" 2>/dev/null || true
  wait 2>/dev/null || true
done

# spawn: start-up overhead against env(1), and --prefix throughput against
# cat on 64 MiB of lines through a pipe.
echo
echo "### spawn"
echo
DATA="$OUT/lines.txt"
python3 -c 'import sys
line = b"a line of text that is about sixty characters long, give or take\n"
sys.stdout.buffer.write(line * (64 * 1024 * 1024 // len(line)))' > "$DATA"
hyperfine -N --warmup 50 --runs 1000 --export-json "$OUT/spawn.json" --output null \
  "env true" "$P spawn -- true" >/dev/null
hyperfine --warmup 2 --min-runs 10 --export-json "$OUT/prefix.json" --output null \
  "cat $DATA | cat" "cat $DATA | $P spawn --prefix -- cat" >/dev/null
python3 - "$OUT/spawn.json" "$OUT/prefix.json" <<'PY'
import json, statistics, sys
def med(path):
    return {r["command"]: statistics.median(r["times"]) for r in json.load(open(path))["results"]}
start, prefix = med(sys.argv[1]), med(sys.argv[2])
env_t, spawn_t = start["env true"], next(v for k, v in start.items() if "spawn" in k)
cat_t, pre_t = next(v for k, v in prefix.items() if "spawn" not in k), next(v for k, v in prefix.items() if "spawn" in k)
mib = 64
print("| measure | proctl | peer | ratio |")
print("|---|---:|---:|---:|")
print(f"| `spawn -- true` vs `env true` (ms) | {spawn_t * 1000:.2f} | {env_t * 1000:.2f} | {spawn_t / env_t:.2f}x |")
print(f"| `--prefix` vs `cat` throughput (MiB/s) | {mib / pre_t:.0f} | {mib / cat_t:.0f} | {cat_t / pre_t:.2f}x |")
PY

# Signal and wait for a tree of 1000 processes (root and 1000 children).
echo
echo "### proctl signal --tree on 1000 processes"
echo
hyperfine --runs 10 --export-json "$OUT/tree.json" --output null \
  --prepare "bash bench/run.sh --start-tree 1000 $OUT/tree.pid" \
  "$P signal --tree \$(cat $OUT/tree.pid) --wait --timeout 30s -y" >/dev/null
python3 - "$OUT/tree.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("| command | median (ms) | user + system CPU (ms) |")
print("|---|---:|---:|")
print(f"| `proctl signal --tree ROOT --wait -y` | {statistics.median(r['times']) * 1000:.1f} | {(r['user'] + r['system']) * 1000:.1f} |")
PY
