#!/usr/bin/env bash
# The cost of `proctl top` beside procps top and htop:
#
#   1. idle CPU (% of one core) and peak memory of each live view at a 1 s
#      refresh, with IDLE extra sleeping processes (default 1000), each in a
#      terminal of its own (a private tmux server), over SECONDS (default 20);
#      and of the batch modes (`top -b -d 1`, `proctl top -b -d 1`);
#   2. the time of one frame with FRAME processes in all (default 10000;
#      extra idle processes are started up to that number): the first
#      (start-up included) and the steady one (later frames).
#
# Processes are only started while pid_max leaves 2000 pids free.
#
#   bench/top.sh [IDLE [FRAME [SECONDS]]]
#
# Needs tmux, procps (top) and htop (apt-get install tmux procps htop);
# builds proctl in release mode. Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."

idle_n=${1:-1000}
frame_n=${2:-10000}
secs=${3:-20}
for tool in tmux top htop; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install $tool)" >&2; exit 2; }
done
cargo build --release --locked --quiet
P="$PWD/target/release/proctl"
HZ=$(getconf CLK_TCK)
SERVER="pxbenchtop$$"
T=(tmux -L "$SERVER" -f /dev/null)
groups=()
cleanup() {
  "${T[@]}" kill-server 2>/dev/null || true
  for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
  kill $(jobs -p) 2>/dev/null || true
}
trap cleanup EXIT

# How many processes exist now (a glob: no pipe to fail when one exits).
count_procs() {
  local all=(/proc/[0-9]*)
  echo "${#all[@]}"
}

# Starts N idle processes in their own process group; prints the group id.
# Refuses when that would leave fewer than 2000 free pids (other work on
# the machine may need them).
start_idle() {
  local now max
  now=$(count_procs)
  max=$(cat /proc/sys/kernel/pid_max)
  if [ $((max - now - $1)) -lt 2000 ]; then
    echo "bench: not starting $1 processes: $now exist, pid_max is $max" >&2
    exit 3
  fi
  setsid bash -c 'for ((i = 0; i < $1; i++)); do sleep 1000000 & done; wait' _ "$1" </dev/null >/dev/null 2>&1 &
  local leader=$!
  while [ "$(pgrep -c -g "$leader" -x sleep || true)" -lt "$1" ]; do sleep 0.2; done
  echo "$leader"
}

# CPU ticks (user + system) of a pid: fields 14 and 15 of its stat line,
# counted after the ')' that ends the name.
ticks() {
  local rest
  rest=$(sed 's/.*) //' "/proc/$1/stat")
  awk '{ print $12 + $13 }' <<<"$rest"
}

peak_kib() {
  awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}

# Measures a running pid over $secs after a warm-up; prints "cpu% | MiB".
measure_pid() {
  local pid=$1
  sleep 3
  local t0 t1
  t0=$(ticks "$pid")
  sleep "$secs"
  t1=$(ticks "$pid")
  local peak
  peak=$(peak_kib "$pid")
  awk -v d=$((t1 - t0)) -v hz="$HZ" -v s="$secs" -v p="$peak" \
    'BEGIN { printf "%.2f%% | %.1f MiB", d / hz / s * 100, p / 1024 }'
}

# A live view in a 160x50 terminal, on a tmux server of its own (a new
# server under the name just killed can race with the old one's exit).
live_runs=0
measure_live() {
  live_runs=$((live_runs + 1))
  T=(tmux -L "$SERVER-$live_runs" -f /dev/null)
  "${T[@]}" new-session -d -s bench -x 160 -y 50 "exec $1"
  local pid
  pid=$("${T[@]}" display-message -p -t bench '#{pane_pid}')
  measure_pid "$pid"
  "${T[@]}" kill-server 2>/dev/null || true
}

measure_batch() {
  bash -c "exec $1" >/dev/null &
  local pid=$!
  measure_pid "$pid"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

echo "machine: $(nproc) cores, $(uname -sr), procps $(dpkg-query -W -f "\${Version}" procps 2>/dev/null || echo "?"), $(htop --version | head -1)"
echo
groups+=("$(start_idle "$idle_n")")
total=$(count_procs)
echo "### Idle cost at a 1 s refresh, $total processes ($idle_n extra), over ${secs} s"
echo
echo "| view | CPU (one core) | peak memory |"
echo "|---|---|---|"
echo "| proctl top | $(measure_live "$P top") |"
echo "| top -d 1 | $(measure_live "top -d 1") |"
echo "| htop -d 10 | $(measure_live "htop -d 10") |"
echo "| proctl top -b -d 1 | $(measure_batch "$P top -b -d 1") |"
echo "| top -b -d 1 | $(measure_batch "top -b -d 1") |"
kill -KILL -- "-${groups[0]}" 2>/dev/null || true

total=$(count_procs)
if [ "$total" -lt "$frame_n" ]; then
  groups+=("$(start_idle $((frame_n - total)))")
  total=$(count_procs)
fi
ms_of() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
one=$(for _ in 1 2 3 4 5; do ms_of "$P" top -b -n 1; done | median)
eleven=$(for _ in 1 2 3; do ms_of "$P" top -b -n 11 -d 0; done | median)
top_one=$(for _ in 1 2 3 4 5; do ms_of top -b -n 1; done | median)
echo
echo "### One frame with $total processes, medians"
echo
echo "| | ms |"
echo "|---|---|"
echo "| proctl top -b -n 1 (start, read, sort, every row written) | $one |"
echo "| proctl top, each later frame ((-n 11) - (-n 1)) / 10 | $(((eleven - one) / 10)) |"
echo "| top -b -n 1 | $top_one |"
