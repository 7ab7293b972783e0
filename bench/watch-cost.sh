#!/usr/bin/env bash
# The agent's own cost: CPU (share of one core) and resident memory of `hangdoctor watch` at its default 1 s
# interval on a host with THREADS extra threads (one holder process with that many sleeping threads), measured
# after a warm-up over SECONDS, with RSS sampled every 5 s (the last samples also show whether memory stays flat).
#   bench/watch-cost.sh [THREADS=10000] [SECONDS=120] [READS_PER_INTERVAL]
# Runs the agent as deployed (deploy/hangdoctor.service JVM flags). Needs python3 for the thread holder.
# BENCH_TINY=1: 50 threads, 2 s warm-up, 5 s measured (for the test that keeps every bench working).
set -euo pipefail
threads="${1:-10000}"
secs="${2:-120}"
reads="${3:-}"
warm=20
if [ -n "${BENCH_TINY:-}" ]; then threads=50; secs=5; warm=2; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/target/hangdoctor.jar"
command -v python3 > /dev/null || { echo "watch-cost: skipped: needs python3 (the thread holder)" >&2; exit 77; }
"$here/hangdoctor" --version > /dev/null   # the launcher builds the jar when it is missing or stale
state="$(mktemp -d)"
holder=""
agent=""
cleanup() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null || true
  [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT

python3 - "$threads" <<'PY' &
import sys, threading, time
threading.stack_size(64 * 1024)
n = int(sys.argv[1])
stop = threading.Event()
for _ in range(n):
    threading.Thread(target=stop.wait, daemon=True).start()
time.sleep(10**6)
PY
holder=$!
while [ "$(awk '/^Threads:/{print $2}' /proc/$holder/status 2>/dev/null || echo 0)" -lt "$threads" ]; do sleep 0.5; done
total_threads=$(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l)

: > "$state/watch.yaml"
[ -n "$reads" ] && echo "threadReadsPerInterval: $reads" > "$state/watch.yaml"
# JVM flags: HANGDOCTOR_JVM overrides the deployed ones (to compare settings)
read -r -a jvm <<< "${HANGDOCTOR_JVM:--XX:+UseSerialGC -Xmx64m -Xmn6m -Xss512k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:MaxMetaspaceSize=64m -XX:-UsePerfData -Xlog:disable -Xlog:all=error:stderr}"
java "${jvm[@]}" \
  -jar "$jar" watch --config "$state/watch.yaml" --state-dir "$state" --listen 127.0.0.1:0 --for "$((secs + warm + 10))s" 2>"$state.log" &
agent=$!

ticks() { awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

sleep "$warm"
c0=$(ticks "$agent"); t0=$(date +%s.%N)
max=0; samples=()
for ((i = 0; i < secs / 5; i++)); do
  sleep 5
  r=$(rss_kb "$agent"); samples+=("$((r / 1024))")
  [ "$r" -gt "$max" ] && max=$r
done
c1=$(ticks "$agent"); t1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
cpu=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz / (t1 - t0) * 100 }')
scans=$(grep -c "full scan" "$state.log" || true)
echo "threads on host: $total_threads (holder: $threads)"
echo "agent CPU: $cpu % of one core over $((secs)) s (after ${warm} s warm-up), interval 1 s"
echo "agent RSS: max $((max / 1024)) MB; every 5 s (MB): ${samples[*]}"
echo "full scans triggered meanwhile: $scans (by what the host had stuck)"
grep "full scan:" "$state.log" | head -3 | cut -c1-200 || true
rm -f "$state.log"
