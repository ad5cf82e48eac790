#!/usr/bin/env bash
# The time of one `proctl top` frame with N processes in all (default
# 10000; idle `sleep`s are started up to that number, and killed at the
# end), from proctl's own timing (PROCTL_TOP_TIMING: reading /proc,
# rebuilding the view, drawing or writing it; in wall and in CPU time):
#
#   1. batch frames: `proctl top -b -n 11 -d 0` (the first frame, which
#      also reads every command line, is left out);
#   2. the live view in a 160x50 terminal (a private tmux server) at
#      `--delay 0.5`: the refreshes (read, rebuild, draw), and the redraws
#      after a key (Down, with no new frame read).
#
# Processes are only started while pid_max leaves 2000 pids free.
#
#   bench/top-frame.sh [N]
#
# RT=1 runs proctl under SCHED_FIFO (chrt -f 10; needs root), so that on
# a busy machine the wall time is proctl's own and not the wait for a CPU
# behind other work.
#
# Needs tmux; builds proctl in release mode. Prints a Markdown table of
# medians, in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-10000}
command -v tmux >/dev/null || { echo "bench: tmux is needed (apt-get install tmux)" >&2; exit 2; }
cargo build --release --locked --quiet
P="$PWD/target/release/proctl"
if [ "${RT:-0}" = 1 ]; then
  P="chrt -f 10 $P"
fi
T=(tmux -L "pxbenchframe$$" -f /dev/null)
work=$(mktemp -d)
group=""
cleanup() {
  "${T[@]}" kill-server 2>/dev/null || true
  [ -n "$group" ] && kill -KILL -- "-$group" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

count_procs() {
  local all=(/proc/[0-9]*)
  echo "${#all[@]}"
}

now=$(count_procs)
if [ "$now" -lt "$want" ]; then
  extra=$((want - now))
  max=$(cat /proc/sys/kernel/pid_max)
  if [ $((max - now - extra)) -lt 2000 ]; then
    echo "bench: not starting $extra processes: $now exist, pid_max is $max" >&2
    exit 3
  fi
  # The shell leads a session (and process group) of its own, whatever
  # setsid had to fork for: it writes its pid, the group to kill.
  setsid bash -c 'echo $$ >"$2"; for ((i = 0; i < $1; i++)); do sleep 1000000 & done; wait' \
    _ "$extra" "$work/group" </dev/null >/dev/null 2>&1 &
  while [ ! -s "$work/group" ]; do sleep 0.1; done
  group=$(cat "$work/group")
  while [ "$(pgrep -c -g "$group" -x sleep || true)" -lt "$extra" ]; do sleep 0.2; done
fi
total=$(count_procs)

# The median of field $2 of the lines of file $1 that end with word $3.
median() {
  awk -v f="$2" -v what="$3" '$NF == what { print $f }' "$1" | sort -n |
    awk '{ a[NR] = $1 } END { if (NR) printf "%.1f", a[int((NR + 1) / 2)]; else print "-" }'
}
row() {
  local file=$1 what=$2 label=$3
  local n
  n=$(awk -v what="$what" '$NF == what' "$file" | wc -l)
  echo "| $label ($n) | $(median "$file" 1 "$what") | $(median "$file" 2 "$what") | $(median "$file" 3 "$what") | $(median "$file" 4 "$what") | $(median "$file" 5 "$what") | $(median "$file" 6 "$what") |"
}

batch="$work/batch"
PROCTL_TOP_TIMING="$batch" $P top -b -n 11 -d 0 >/dev/null
# The first frame reads every command line: leave it out.
sed -i 1d "$batch"

live="$work/live"
"${T[@]}" new-session -d -s bench -x 160 -y 50 \
  "PROCTL_TOP_TIMING=$live exec $P --color never top --delay 0.5"
frames() { awk '$NF == "refresh"' "$live" 2>/dev/null | wc -l; }
while [ "$(frames)" -lt 3 ]; do sleep 0.2; done
for _ in $(seq 10); do
  before=$(wc -l <"$live")
  "${T[@]}" send-keys -t bench Down
  while [ "$(wc -l <"$live")" -le "$before" ]; do sleep 0.05; done
done
while [ "$(frames)" -lt 12 ]; do sleep 0.2; done
"${T[@]}" send-keys -t bench q
# The first live frame reads every command line too.
sed -i 1d "$live"

sched=""
[ "${RT:-0}" = 1 ] && sched=", proctl under SCHED_FIFO"
echo "### One frame of proctl top with $total processes ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)$sched), medians in ms"
echo
echo "| frames (count) | read | rebuild | draw/write | read CPU | rebuild CPU | draw/write CPU |"
echo "|---|---:|---:|---:|---:|---:|---:|"
row "$batch" batch "batch, every row written"
row "$live" refresh "live view, a refresh"
row "$live" key "live view, a redraw after a key"
