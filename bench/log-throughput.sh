#!/usr/bin/env bash
# Throughput of `hangdoctor analyze` on a large generated kernel log, against `grep -c 'blocked for more than'`
# on the same file in the same run (both from the page cache). Prints both times, the ratio, and hangdoctor's peak
# RSS. Usage: bench/log-throughput.sh [SIZE_MB=1024] [RUNS=3]; BENCH_TINY=1: 2 MB, one run (for the test that keeps
# every bench working).
set -euo pipefail
size_mb=${1:-1024}
runs=${2:-3}
if [ -n "${BENCH_TINY:-}" ]; then size_mb=2; runs=1; fi
here="$(cd "$(dirname "$0")" && pwd)"
top="$(dirname "$here")"
log=$(mktemp --suffix=.log)
sink=$(mktemp)
trap 'rm -f "$log" "$sink"' EXIT
"$here/gen-log.sh" "$size_mb" "$log"
"$top/hangdoctor" --version >/dev/null   # build outside the timed runs
cat "$log" > /dev/null                   # page cache, for both tools alike

# best wall time of RUNS runs, in nanoseconds
best_ns() {
  local best=0 s e d
  for _ in $(seq "$runs"); do
    # not >/dev/null: GNU grep stops at the first match when its output is /dev/null
    s=$(date +%s%N); "$@" >"$sink" 2>&1 || true; e=$(date +%s%N)
    d=$((e - s)); if [ "$best" -eq 0 ] || [ "$d" -lt "$best" ]; then best=$d; fi
  done
  echo "$best"
}
ns_grep=$(best_ns grep -c 'blocked for more than' "$log")
ns_hd=$(best_ns "$top/hangdoctor" analyze "$log")
rss_file=$(mktemp)
/usr/bin/time -f %M -o "$rss_file" "$top/hangdoctor" analyze "$log" >/dev/null 2>&1 || true
rss_kb=$(tail -1 "$rss_file"); rm -f "$rss_file"
t_grep=$(echo "$ns_grep / 1000000000" | bc -l)
t_hd=$(echo "$ns_hd / 1000000000" | bc -l)
mb=$(echo "$(stat -c %s "$log") / 1048576" | bc -l)
printf 'file:            %.0f MB\n' "$mb"
printf 'grep -c:         %.3f s  (%.0f MB/s)\n' "$t_grep" "$(echo "$mb / $t_grep" | bc -l)"
printf 'hangdoctor:      %.3f s  (%.0f MB/s), peak RSS %d MB\n' "$t_hd" "$(echo "$mb / $t_hd" | bc -l)" $((rss_kb / 1024))
printf 'speed vs grep:   %.2f (goal >= 0.5)\n' "$(echo "$t_grep / $t_hd" | bc -l)"
