#!/usr/bin/env bash
# Throughput of `hangdoctor analyze` on a large generated kernel log, against `grep -c 'blocked for more than'`
# on the same file in the same run (both from the page cache). Prints both times, the ratio, and hangdoctor's peak
# RSS. Usage: bench/log-throughput.sh [SIZE_MB=1024] [RUNS=3]
set -euo pipefail
size_mb=${1:-1024}
runs=${2:-3}
here="$(cd "$(dirname "$0")" && pwd)"
top="$(dirname "$here")"
log=$(mktemp --suffix=.log)
trap 'rm -f "$log"' EXIT
"$here/gen-log.sh" "$size_mb" "$log"
"$top/hangdoctor" --version >/dev/null   # build outside the timed runs
cat "$log" > /dev/null                   # page cache, for both tools alike

best() { sort -n | head -1; }
t_grep=$(for _ in $(seq "$runs"); do
  s=$(date +%s.%N); grep -c 'blocked for more than' "$log" >/dev/null || true; e=$(date +%s.%N)
  echo "$e - $s" | bc -l; done | best)
rss_file=$(mktemp)
t_hd=$(for _ in $(seq "$runs"); do
  s=$(date +%s.%N); /usr/bin/time -f %M -o "$rss_file" "$top/hangdoctor" analyze "$log" >/dev/null 2>&1 || true
  e=$(date +%s.%N); echo "$e - $s" | bc -l; done | best)
rss_kb=$(tail -1 "$rss_file"); rm -f "$rss_file"
mb=$(echo "$(stat -c %s "$log") / 1048576" | bc -l)
printf 'file:            %.0f MB\n' "$mb"
printf 'grep -c:         %.3f s  (%.0f MB/s)\n' "$t_grep" "$(echo "$mb / $t_grep" | bc -l)"
printf 'hangdoctor:      %.3f s  (%.0f MB/s), peak RSS %d MB\n' "$t_hd" "$(echo "$mb / $t_hd" | bc -l)" $((rss_kb / 1024))
printf 'speed vs grep:   %.2f (goal >= 0.5)\n' "$(echo "$t_grep / $t_hd" | bc -l)"
