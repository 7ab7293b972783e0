#!/usr/bin/env bash
# The agent's own cost: CPU (share of one core) and resident memory of `hangdoctor watch` at its default 1 s
# interval on a host with THREADS extra threads (one holder process with that many sleeping threads), measured
# after a warm-up over SECONDS, with RSS sampled every 5 s (the last samples also show whether memory stays flat).
#   bench/watch-cost.sh [THREADS=10000] [SECONDS=120] [READS_PER_INTERVAL]
# Runs the agent as deployed (deploy/hangdoctor.service JVM flags). Needs python3 for the thread holder. The CPU is
# the agent's own (utime + stime of its /proc/PID/stat over wall time), full scans it triggers included; the load
# average is printed beside it because the figure is taken on whatever else the host runs.
# HANGDOCTOR_JAR runs another build; HANGDOCTOR_COMPARE_JAR runs a second agent from another build at the same
# time, on the same threads, hangs and load (a fairer before/after on a busy host than two runs one after the other).
# HANGDOCTOR_WATCH_YAML adds lines to the agents' config: 'stuckAfter: 3600s' and 'kmsg: {device: "off"}' measure the
# cheap sample alone (no full scan).
# BENCH_SCAN_EVERY=N (a multiple of 5): every N s of the measured time each agent is asked for a full scan through
# its API (POST /api/scan, actions allowed with a token of the run's own), so both pay for the same scans on a host
# where nothing triggers one; such a scan finds no hang, so it writes no bundle.
# BENCH_TINY=1: 50 threads, 2 s warm-up, 5 s measured (for the test that keeps every bench working).
set -euo pipefail
threads="${1:-10000}"
secs="${2:-120}"
reads="${3:-}"
warm=20
if [ -n "${BENCH_TINY:-}" ]; then threads=50; secs=5; warm=2; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${HANGDOCTOR_JAR:-$here/target/hangdoctor.jar}"
command -v python3 > /dev/null || { echo "watch-cost: skipped: needs python3 (the thread holder)" >&2; exit 77; }
"$here/hangdoctor" --version > /dev/null   # the launcher builds the jar when it is missing or stale
state="$(mktemp -d)"
holder=""
agents=()
cleanup() {
  for a in "${agents[@]}"; do kill "$a" 2>/dev/null || true; done
  [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT
# shellcheck source=fragments/agent-host.bash
. "$here/bench/fragments/agent-host.bash"

start_thread_holder "$threads"
total_threads=$(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l)

: > "$state/watch.yaml"
[ -n "$reads" ] && echo "threadReadsPerInterval: $reads" > "$state/watch.yaml"
[ -n "${HANGDOCTOR_WATCH_YAML:-}" ] && printf '%s\n' "$HANGDOCTOR_WATCH_YAML" >> "$state/watch.yaml"
scan_every="${BENCH_SCAN_EVERY:-}"
if [ -n "$scan_every" ]; then
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$state/token")
  echo "api: {allowActions: true, tokenFile: \"$state/token\"}" >> "$state/watch.yaml"
fi
# JVM flags and environment of the deployed unit (HANGDOCTOR_JVM overrides the flags, to compare settings)
deployed_jvm
echo "JVM flags: ${jvm[*]}"
jars=("$jar")
[ -n "${HANGDOCTOR_COMPARE_JAR:-}" ] && jars+=("$HANGDOCTOR_COMPARE_JAR")
for k in "${!jars[@]}"; do
  mkdir -p "$state/$k"
  java "${jvm[@]}" -jar "${jars[$k]}" watch --config "$state/watch.yaml" --state-dir "$state/$k" --listen 127.0.0.1:0 \
    --for "$((secs + warm + 10))s" 2>"$state/$k.log" &
  agents+=($!)
done

# utime and stime of a process, in clock ticks
times_of() { awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12], f[13] }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
# full scans an agent has run, rescans of open incidents included (the count of its full-scan histogram)
full_scans() {
  local port
  port=$(sed -n 's/.*API on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$state/$1.log" | head -1)
  [ -n "$port" ] && curl -s --max-time 5 "http://127.0.0.1:$port/metrics" 2>/dev/null \
    | awk '/^hangdoctor_scan_duration_seconds_count\{kind="full"/{print $2 + 0; f = 1} END {if (!f) print 0}' || echo 0
}

# asks every agent for a full scan (BENCH_SCAN_EVERY)
request_scans() {
  local k port
  for k in "${!agents[@]}"; do
    port=$(sed -n 's/.*API on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$state/$k.log" | head -1)
    [ -n "$port" ] && curl -s -o /dev/null --max-time 5 -X POST -H "Authorization: Bearer $(cat "$state/token")" \
      "http://127.0.0.1:$port/api/scan" || true
  done
}

sleep "$warm"
l0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a u0 s0 f0 max samples
for k in "${!agents[@]}"; do
  read -r u0[k] s0[k] < <(times_of "${agents[$k]}"); f0[k]=$(full_scans "$k"); max[k]=0; samples[k]=""
done
t0=$(date +%s.%N)
for ((i = 0; i < secs / 5; i++)); do
  sleep 5
  if [ -n "$scan_every" ] && (( (i * 5) % scan_every == 0 )); then request_scans; fi
  for k in "${!agents[@]}"; do
    r=$(rss_kb "${agents[$k]}"); samples[k]+=" $((r / 1024))"
    [ "$r" -gt "${max[$k]}" ] && max[k]=$r
  done
done
t1=$(date +%s.%N)
l1=$(cut -d' ' -f1-3 /proc/loadavg)
hz=$(getconf CLK_TCK)
echo "threads on host: $total_threads (holder: $threads); load average $l0 at start, $l1 at end"
for k in "${!agents[@]}"; do
  read -r u1 s1 < <(times_of "${agents[$k]}")
  f1=$(full_scans "$k")
  echo "agent: ${jars[$k]}"
  awk -v u="$((u1 - u0[k]))" -v s="$((s1 - s0[k]))" -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b - a}')" \
    -v hz="$hz" -v secs="$secs" -v warm="$warm" 'BEGIN {
      printf "agent CPU: %.2f %% of one core (user %.2f %%, system %.2f %%) over %d s after a %d s warm-up, interval 1 s, full scans included\n",
        (u + s) / hz / t * 100, u / hz / t * 100, s / hz / t * 100, secs, warm }'
  echo "agent RSS: max $((max[k] / 1024)) MB; every 5 s (MB):${samples[$k]}"
  echo "full scans meanwhile: $((f1 - f0[k])) ($(grep -c "full scan:" "$state/$k.log" || true) started by a trigger since start, the rest rescans of open incidents)"
  grep "full scan:" "$state/$k.log" | head -3 | cut -c1-160 | sed 's/^/  /' || true
done
