#!/usr/bin/env bash
# Times a scan's sampling pass against `ps` on a host with many threads: builds and starts a C program holding
# THREADS sleeping threads (default 10000), then times (a) ps -eLo pid,stat,wchan, (b) a full ProcTreeReader read
# of / (best of RUNS, in one JVM, via dev.hangdoctor.collect.ScanBench) and (c) the whole `hangdoctor scan
# --window 0s` process (best of RUNS) when the command exists, and prints the ratios to (a). Run as root for kernel
# stacks. BENCH_TINY=1: 50 threads, one run each (for the test that keeps every bench working).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads="${THREADS:-10000}"
runs="${RUNS:-5}"
if [ -n "${BENCH_TINY:-}" ]; then threads=50; runs=1; fi
command -v gcc > /dev/null || { echo "scan-vs-ps: skipped: needs gcc (the thread holder is a C program)" >&2; exit 77; }
work="$(mktemp -d)"
holder=""
cleanup() {
  if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

cat > "$work/threads.c" <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void *sleeper(void *arg) { (void)arg; for (;;) pause(); return NULL; }
int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 64 * 1024);
    for (int i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, &a, sleeper, NULL) != 0) { fprintf(stderr, "started %d threads\n", i); break; }
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) pause();
}
C
gcc -O2 -pthread -o "$work/threads" "$work/threads.c"
"$work/threads" "$threads" > "$work/ready" &
holder=$!
for _ in $(seq 1 600); do grep -q ready "$work/ready" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/ready" || { echo "thread holder did not start" >&2; exit 1; }
echo "holder pid $holder: $(ls /proc/$holder/task | wc -l) threads; host: $(ls -d /proc/[0-9]*/task/* | wc -l) tasks"

# best wall time and least CPU time (user + system) of RUNS runs, in ms: on a shared machine the wall time moves
# with the others' load far more than the CPU time does
best_of() {
  local best_wall="" best_cpu="" t r u s w c
  for _ in $(seq 1 "$runs"); do
    t=$( { TIMEFORMAT='%3R %3U %3S'; time "$@" > /dev/null 2>&1; } 2>&1 ) || true
    read -r r u s <<< "$t"
    w=$(awk -v r="$r" 'BEGIN { printf "%d", r * 1000 }')
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }')
    if [ -z "$best_wall" ] || [ "$w" -lt "$best_wall" ]; then best_wall=$w; fi
    if [ -z "$best_cpu" ] || [ "$c" -lt "$best_cpu" ]; then best_cpu=$c; fi
  done
  echo "$best_wall $best_cpu"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r best_ps cpu_ps <<< "$(best_of ps -eLo pid,stat,wchan)"
echo "(a) ps -eLo pid,stat,wchan (best of $runs): ${best_ps} ms, CPU ${cpu_ps} ms"

"$here/hangdoctor" --version > /dev/null
bench_out="$(java -cp "$here/target/hangdoctor.jar" dev.hangdoctor.collect.ScanBench / "$runs" 2>/dev/null | tail -1)"
echo "(b) ProcTreeReader read of / (in-JVM, best of $runs; first = cold, as in a one-shot scan): $bench_out"
best_scan="$(sed -n 's/.*best_ms=\([0-9.]*\).*/\1/p' <<< "$bench_out")"

# where a one-shot scan's time goes: the JVM's start (the launcher's flags and class data archive) on its own
read -r best_start cpu_start <<< "$(best_of "$here/hangdoctor" --version)"
echo "(d) JVM start alone, ./hangdoctor --version (best of $runs): ${best_start} ms, CPU ${cpu_start} ms"

best_cli=""
if "$here/hangdoctor" --help 2>/dev/null | grep -qE '^ +scan( |$)'; then
  read -r best_cli cpu_cli <<< "$(best_of "$here/hangdoctor" scan --window 0s)"
  echo "(c) hangdoctor scan --window 0s, whole process (best of $runs): ${best_cli} ms, CPU ${cpu_cli} ms (goal: 1500 ms)"
else
  echo "(c) skipped: this build has no 'scan' command yet"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$best_ps" -v b="$best_scan" -v c="$best_cli" 'BEGIN {
  if (a <= 0) { print "ratios: ps took 0 ms"; exit }
  printf "ratio (b)/(a), sampling pass vs ps: %.2f\n", b / a
  if (c != "") printf "ratio (c)/(a), whole CLI process vs ps: %.2f\n", c / a
}'
