#!/usr/bin/env bash
# Times a scan's sampling pass against `ps` on a host with many threads: builds and starts a C program holding
# THREADS sleeping threads (default 10000), then times (a) ps -eLo pid,stat,wchan, (b) a full ProcTreeReader read
# of / (best of RUNS, in one JVM, via dev.hangdoctor.collect.ScanBench) and (c) the whole `hangdoctor scan
# --window 0s` process (best of RUNS) when the command exists, and prints the ratios to (a). Not part of the test
# suite. Run as root for kernel stacks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads="${THREADS:-10000}"
runs="${RUNS:-5}"
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

ms() { date +%s%N; }
best_ps=""
for _ in $(seq 1 "$runs"); do
  t0=$(ms); ps -eLo pid,stat,wchan > /dev/null; t1=$(ms)
  d=$(( (t1 - t0) / 1000000 ))
  if [ -z "$best_ps" ] || [ "$d" -lt "$best_ps" ]; then best_ps=$d; fi
done
echo "(a) ps -eLo pid,stat,wchan: best of $runs: ${best_ps} ms"

"$here/hangdoctor" --version > /dev/null
bench_out="$(java -cp "$here/target/hangdoctor.jar" dev.hangdoctor.collect.ScanBench / "$runs" 2>/dev/null | tail -1)"
echo "(b) ProcTreeReader read of / (in-JVM, best of $runs): $bench_out"
best_scan="$(sed -n 's/.*best_ms=\([0-9.]*\).*/\1/p' <<< "$bench_out")"

best_cli=""
if "$here/hangdoctor" --help 2>/dev/null | grep -qE '^ +scan( |$)'; then
  for _ in $(seq 1 "$runs"); do
    t0=$(ms); "$here/hangdoctor" scan --window 0s > /dev/null 2>&1 || true; t1=$(ms)
    d=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best_cli" ] || [ "$d" -lt "$best_cli" ]; then best_cli=$d; fi
  done
  echo "(c) hangdoctor scan --window 0s, whole process (best of $runs): ${best_cli} ms"
else
  echo "(c) skipped: this build has no 'scan' command yet"
fi
awk -v a="$best_ps" -v b="$best_scan" -v c="$best_cli" 'BEGIN {
  if (a <= 0) { print "ratios: ps took 0 ms"; exit }
  printf "ratio (b)/(a), sampling pass vs ps: %.2f\n", b / a
  if (c != "") printf "ratio (c)/(a), whole CLI process vs ps: %.2f\n", c / a
}'
