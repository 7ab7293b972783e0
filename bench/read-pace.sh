#!/usr/bin/env bash
# The reading pace in one warm JVM, apart from the JVM's start and its compiler's warm-up: bench/ReadPace.java reads a
# generated log RUNS times and reports its best run on the reading thread's CPU clock and on the whole process's (a
# big log is screened on a second thread the first does not count), beside `grep -c` on the same file (best CPU time
# of RUNS). Both log shapes of bench/log-throughput.sh. Compare two builds by running this on each,
# alternately: on a shared machine identical runs move by +-20 %.
# Usage: bench/read-pace.sh [SIZE_MB=256] [RUNS=5]; BENCH_TINY=1: 2 MB, 2 runs.
set -euo pipefail
size_mb=${1:-256}
runs=${2:-5}
if [ -n "${BENCH_TINY:-}" ]; then size_mb=2; runs=2; fi
here="$(cd "$(dirname "$0")" && pwd)"
top="$(dirname "$here")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$top/hangdoctor" --version >/dev/null   # builds the jar when it is missing or old
javac --release 17 -cp "$top/target/hangdoctor.jar" -d "$work" "$here/ReadPace.java"

pace() {
  local shape=$1 mb=$2 log="$work/$1.log" grep_cpu=""
  "$here/gen-log.sh" "$mb" "$log" "$shape" 2>/dev/null
  cat "$log" > /dev/null
  for _ in $(seq "$runs"); do
    # into a file, not /dev/null: GNU grep stops at the first match when its output is /dev/null
    c=$( { /usr/bin/time -f '%U %S' grep -c 'blocked for more than' "$log" >"$work/count"; } 2>&1 | awk '{print $1 + $2}')
    if [ -z "$grep_cpu" ] || [ "$(echo "$c < $grep_cpu" | bc -l)" -eq 1 ]; then grep_cpu=$c; fi
  done
  read -r secs mbs all < <(java -XX:+UseSerialGC -Xmx256m -cp "$top/target/hangdoctor.jar:$work" ReadPace "$log" "$runs")
  local ratio="n/a (grep too fast to time)"
  if [ "$(echo "$grep_cpu > 0" | bc -l)" -eq 1 ]; then ratio=$(printf '%.2f' "$(echo "$grep_cpu / $secs" | bc -l)"); fi
  printf '%s lines, %s MB: hangdoctor %.3f s CPU on the reading thread (%s MB/s), %.3f s CPU of the process;' \
    "$shape" "$mb" "$secs" "$mbs" "$all"
  printf ' grep -c %.2f s CPU; pace vs grep %s (reading thread), %s (process)\n' "$grep_cpu" "$ratio" \
    "$(if [ "$(echo "$grep_cpu > 0" | bc -l)" -eq 1 ]; then printf '%.2f' "$(echo "$grep_cpu / $all" | bc -l)"; else echo n/a; fi)"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
pace long "$size_mb"
pace short "$(( (size_mb * 2 + 4) / 5 ))"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
