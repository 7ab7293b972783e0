#!/usr/bin/env bash
# Throughput of `hangdoctor analyze` on large generated kernel logs of two shapes, against
# `grep -c 'blocked for more than'` on the same file in the same run (both from the page cache):
#   long:  SIZE_MB of boot-log lines (~70 bytes) with a hang report about every 2 000 lines;
#   short: 0.4 x SIZE_MB of one-line messages (~50 bytes) with a hang report about every 300 lines.
# Prints, per shape, both wall times and CPU times (user + system: the machine may be shared), the ratios, and
# hangdoctor's peak RSS. Usage: bench/log-throughput.sh [SIZE_MB=1024] [RUNS=3]; BENCH_TINY=1: 2 MB, one run (for
# the test that keeps every bench working).
set -euo pipefail
size_mb=${1:-1024}
runs=${2:-3}
if [ -n "${BENCH_TINY:-}" ]; then size_mb=2; runs=1; fi
here="$(cd "$(dirname "$0")" && pwd)"
top="$(dirname "$here")"
log=$(mktemp --suffix=.log)
sink=$(mktemp)
times=$(mktemp)
trap 'rm -f "$log" "$sink" "$times"' EXIT
"$top/hangdoctor" --version >/dev/null   # build outside the timed runs

# best wall time and best CPU time (user + system) of RUNS runs: "WALL_NS CPU_S"
best() {
  local best=0 cpu="" s e d c
  for _ in $(seq "$runs"); do
    # not >/dev/null: GNU grep stops at the first match when its output is /dev/null
    s=$(date +%s%N); /usr/bin/time -f '%U %S' -o "$times" "$@" >"$sink" 2>/dev/null || true; e=$(date +%s%N)
    d=$((e - s)); c=$(awk '{print $1 + $2}' "$times" | tail -1)
    if [ "$best" -eq 0 ] || [ "$d" -lt "$best" ]; then best=$d; fi
    if [ -z "$cpu" ] || [ "$(echo "$c < $cpu" | bc -l)" -eq 1 ]; then cpu=$c; fi
  done
  echo "$best $cpu"
}

measure() {
  local shape=$1 mb_wanted=$2
  "$here/gen-log.sh" "$mb_wanted" "$log" "$shape" 2>/dev/null
  cat "$log" > /dev/null                   # page cache, for both tools alike
  read -r ns_grep cpu_grep < <(best grep -c 'blocked for more than' "$log")
  read -r ns_hd cpu_hd < <(best "$top/hangdoctor" analyze "$log")
  /usr/bin/time -f %M -o "$times" "$top/hangdoctor" analyze "$log" >/dev/null 2>&1 || true
  local rss_kb t_grep t_hd mb lines
  rss_kb=$(tail -1 "$times")
  t_grep=$(echo "$ns_grep / 1000000000" | bc -l)
  t_hd=$(echo "$ns_hd / 1000000000" | bc -l)
  mb=$(echo "$(stat -c %s "$log") / 1048576" | bc -l)
  lines=$(wc -l < "$log")
  printf '%s lines: %.0f MB, %d lines (%.0f bytes a line)\n' "$shape" "$mb" "$lines" \
    "$(echo "$(stat -c %s "$log") / $lines" | bc -l)"
  printf '  grep -c:         %.3f s  (%.0f MB/s), CPU %.2f s\n' "$t_grep" "$(echo "$mb / $t_grep" | bc -l)" "$cpu_grep"
  printf '  hangdoctor:      %.3f s  (%.0f MB/s), CPU %.2f s, peak RSS %d MB\n' "$t_hd" \
    "$(echo "$mb / $t_hd" | bc -l)" "$cpu_hd" $((rss_kb / 1024))
  printf '  speed vs grep:   %.2f wall, %.2f CPU (goal >= 0.5)\n' "$(echo "$t_grep / $t_hd" | bc -l)" \
    "$(echo "$cpu_grep / $cpu_hd" | bc -l)"
  # the JVM's start (a one-line log's whole run) is paid once whatever the size: the pace of the reading itself
  if [ "$(echo "$t_hd > $t_start + 0.01" | bc -l)" -eq 1 ]; then
    printf '  reading pace:    %.0f MB/s after start-up; %.2f of grep'"'"'s\n' "$(echo "$mb / ($t_hd - $t_start)" | bc -l)" \
      "$(echo "$t_grep / ($t_hd - $t_start)" | bc -l)"
  fi
}

# start-up: analyze of a one-line log, best of RUNS
echo '[    0.000000] Linux version 6.1.0 (builder@host) #1 SMP' > "$log"
read -r ns_start _ < <(best "$top/hangdoctor" analyze "$log")
t_start=$(echo "$ns_start / 1000000000" | bc -l)
printf 'start-up (analyze of a one-line log): %.3f s\n' "$t_start"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
measure long "$size_mb"
measure short "$(( (size_mb * 2 + 4) / 5 ))"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
