#!/usr/bin/env bash
# What node-problem-detector's `hangdoctor check` costs per call, side by side in one run, against a running agent:
# deploy/hangdoctor-check (the NPD recipe's path: the shell reads the agent's socket with perl, no JVM), the
# ./hangdoctor launcher (the same fast path), the JVM's own `check` asking the agent, and with no agent answering
# (deploy/hangdoctor-check falls back to the JVM, which scans by itself); CPU (user+sys, the process and all it
# started) and wall time, best and median of RUNS, with the JVM flags of deploy/hangdoctor-check; then the socket's
# own answer time, from python3.
#   bench/check-cost.sh [RUNS=5]; BENCH_TINY=1: one run each
set -euo pipefail
runs="${1:-5}"
[ -n "${BENCH_TINY:-}" ] && runs=1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/target/hangdoctor.jar"
[ -f "$jar" ] || (cd "$here" && mvn -q -B -DskipTests package)
state="$(mktemp -d)"
agent=""
cleanup() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT
java -XX:-UseContainerSupport -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 -jar "$jar" watch --listen off \
  --state-dir "$state" 2>/dev/null &
agent=$!
for _ in $(seq 1 100); do [ -S "$state/check.sock" ] && break; sleep 0.1; done
[ -S "$state/check.sock" ] || { echo "check-cost: the agent made no socket" >&2; exit 1; }
sleep 2
check=(java -XX:-UseContainerSupport -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto -Xmx64m
  -Xlog:disable -Xlog:all=error:stderr -jar "$jar" check)
measure() { # label, args...: prints "label cpu_s wall_s" per run
  local label="$1"; shift
  for _ in $(seq 1 "$runs"); do
    python3 - "$label" "$@" <<'PY'
import os, resource, subprocess, sys, time
def cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime
# the difference: what python3's own start left in RUSAGE_CHILDREN (e.g. a version manager's shim) is not counted
c = cpu()
t = time.monotonic()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - t
print(sys.argv[1], round(cpu() - c, 4), round(wall, 4))
PY
  done
}
summary() { # reads "label cpu wall" lines
  sort -k2 -n | awk '{cpu[NR]=$2; wall[NR]=$3; l=$1} END {printf "%-16s CPU best %5.0f ms, median %5.0f ms; wall median %5.0f ms (%d runs)\n", l, 1000*cpu[1], 1000*cpu[int((NR+1)/2)], 1000*wall[int((NR+1)/2)], NR}'
}
f=$(HANGDOCTOR_JAR="$jar" measure fast-path "$here/deploy/hangdoctor-check" --agent-socket "$state/check.sock" | summary)
l=$(measure launcher "$here/hangdoctor" check --agent-socket "$state/check.sock" | summary)
a=$(measure jvm-asks-agent "${check[@]}" --agent-socket "$state/check.sock" | summary)
s=$(HANGDOCTOR_JAR="$jar" measure no-agent-scan "$here/deploy/hangdoctor-check" --agent-socket "$state/absent.sock" | summary)
printf '%s\n' "$f" "$l" "$a" "$s"
python3 - "$state/check.sock" <<'PY'
import socket, sys, time
ts = []
for _ in range(50):
    t = time.perf_counter()
    c = socket.socket(socket.AF_UNIX)
    c.connect(sys.argv[1])
    c.recv(1024)
    c.close()
    ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print("agent socket answer     median %.2f ms, max %.2f ms (50 asks, no JVM start)" % (ts[25], ts[-1]))
PY
