#!/usr/bin/env bash
# What node-problem-detector's `hangdoctor check` costs per call, both ways, side by side in one run: asking a
# running agent over its check socket, and scanning by itself (--no-agent); CPU (user+sys) and wall time of the
# whole process, best and median of RUNS, with the JVM flags of deploy/npd-custom-plugin.json; then the socket's
# own answer time (no JVM start), from python3.
#   bench/check-cost.sh [RUNS=5]
set -euo pipefail
runs="${1:-5}"
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
check=(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto -Xmx64m -jar "$jar" check)
measure() { # label, args...: prints "label cpu_s wall_s" per run
  local label="$1"; shift
  for _ in $(seq 1 "$runs"); do
    python3 - "$label" "$@" <<'PY'
import os, resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(sys.argv[1], round(ru.ru_utime + ru.ru_stime, 3), round(wall, 3))
PY
  done
}
summary() { # reads "label cpu wall" lines
  sort -k2 -n | awk '{cpu[NR]=$2; wall[NR]=$3; l=$1} END {printf "%-22s CPU best %.2f s, median %.2f s; wall median %.2f s (%d runs)\n", l, cpu[1], cpu[int((NR+1)/2)], wall[int((NR+1)/2)], NR}'
}
a=$(measure agent "${check[@]}" --agent-socket "$state/check.sock" | summary)
s=$(measure self-scan "${check[@]}" --no-agent | summary)
echo "$a"
echo "$s"
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
