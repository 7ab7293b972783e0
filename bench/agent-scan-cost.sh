#!/usr/bin/env bash
# The CPU of one full scan of the agent on a host with THREADS extra threads (one holder process with that many
# sleeping threads, as in watch-cost.sh): the agent's scan options and deployed JVM flags, SCANS scans each after a
# cheap sample, and for each the scan, its diagnosis, and writing then deleting its bundle as an incident that opens
# would (dev.hangdoctor.watch.AgentScanBench), in user and system time of the process.
#   bench/agent-scan-cost.sh [THREADS=10000] [SCANS=10] [WINDOW_MS=1000]
# HANGDOCTOR_JAR runs another build (one that has AgentScanBench); the bundles go under TMPDIR (the agent writes its
# own under its state directory: put TMPDIR on that file system to measure what the agent pays).
# BENCH_TINY=1: 50 threads, 3 scans, no window (for the test that keeps every bench working).
set -euo pipefail
threads="${1:-10000}"
scans="${2:-10}"
window="${3:-1000}"
if [ -n "${BENCH_TINY:-}" ]; then threads=50; scans=3; window=0; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${HANGDOCTOR_JAR:-$here/target/hangdoctor.jar}"
command -v python3 > /dev/null || { echo "agent-scan-cost: skipped: needs python3 (the thread holder)" >&2; exit 77; }
"$here/hangdoctor" --version > /dev/null   # the launcher builds the jar when it is missing or stale
holder=""
out="$(mktemp)"
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -f "$out"
}
trap cleanup EXIT
# shellcheck source=fragments/agent-host.bash
. "$here/bench/fragments/agent-host.bash"

start_thread_holder "$threads"

deployed_jvm
l0=$(cut -d' ' -f1-3 /proc/loadavg)
java "${jvm[@]}" -Djava.io.tmpdir="${TMPDIR:-/tmp}" -cp "$jar" dev.hangdoctor.watch.AgentScanBench "$scans" "$window" write > "$out"
l1=$(cut -d' ' -f1-3 /proc/loadavg)
sed 's/^/  /' "$out"
hz=$(getconf CLK_TCK)
echo "threads on host: $(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l) (holder: $threads); load average $l0 at start, $l1 at end"
# the first scans pay for loading and compiling the code: the figures are of the rest (all of them when few)
awk -v hz="$hz" -v scans="$scans" '
  /^scan=/ {
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    if (scans > 3 && v["scan"] < 2) next
    n++; su += v["scan_user"]; ss += v["scan_sys"]; du += v["diagnose_user"]; ds += v["diagnose_sys"]
    wu += v["write_user"]; ws += v["write_sys"]; e += v["bundle_entries"]
  }
  END {
    if (n == 0) { print "no scan ran"; exit 1 }
    f = 1000 / hz / n
    printf "agent scan CPU: %.0f ms (user %.0f, system %.0f) a scan, diagnosis %.0f ms, over %d scans\n", (su + ss) * f, su * f, ss * f, (du + ds) * f, n
    printf "bundle of an incident that opens: %.0f entries, written in %.0f ms (user %.0f, system %.0f)\n", e / n, (wu + ws) * f, wu * f, ws * f
  }' "$out"
