#!/usr/bin/env bash
# Soak: the node agent started exactly as the README says (./hangdoctor watch --state-dir DIR, on a loopback port),
# for MINUTES, while real hangs come and go: every PERIOD seconds a FUSE daemon that answers nothing is mounted in a
# private mount namespace, two clients stat a file on it and wait in D, and after HOLD seconds the daemon is killed
# (its connection aborts, the clients return, the namespace and its mount go away). Every SAMPLE seconds the agent's
# RSS, CPU (share of one core since the last sample), threads and open fds are printed; at the end, the figures after
# the warm-up (the first third of the run, at most 5 minutes) against the goal: RSS <= 80 MB and flat within 10 %.
#   sudo bench/soak.sh [MINUTES=30] [PERIOD=90] [HOLD=40] [SAMPLE=10]
# BENCH_TINY=1: 30 seconds, a hang every 12 s held 5 s, a sample every 3 s (for the test that keeps every bench working).
# SOAK_AGENT overrides how the agent is started (to measure other JVM flags), e.g.
#   SOAK_AGENT="java -Xmx256m -jar target/hangdoctor.jar watch" bench/soak.sh 10
# SOAK_DEPLOYED=1 starts it with the JVM flags and environment of deploy/hangdoctor.service instead (as a fleet runs it),
# from a copy of the jar (HANGDOCTOR_JAR, or the build's), so that a build during the soak does not pull it away.
# SOAK_THREADS=N adds a process holding N sleeping threads (a big host: the goal is <= 1 % of a core at 10 000 threads,
# hangs and the full scans they trigger included; needs python3), e.g. SOAK_DEPLOYED=1 SOAK_THREADS=10000 bench/soak.sh 15
# SOAK_HANGS=N makes each period's hang N hangs at once, of two kinds taken in turn: the FUSE hang above (each its own
# daemon, mount and namespace) and a process whose userfaultfd handler exited, its thread in D in get_user_pages.
# SOAK_NO_FUSECTL=1 runs the agent in a mount namespace of its own without the FUSE control filesystem
# (/sys/fs/fuse/connections), as many hosts come; the host's own mounts are left as they are.
set -euo pipefail
minutes="${1:-30}"
period="${2:-90}"
hold="${3:-40}"
sample="${4:-10}"
total=$(( minutes * 60 ))
if [ -n "${BENCH_TINY:-}" ]; then total=30; period=12; hold=5; sample=3; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "soak: needs root (FUSE mounts, /proc of every task)" >&2; exit 2; }
command -v cc >/dev/null || { echo "soak: needs a C compiler (cc) for the hang helpers" >&2; exit 2; }
work="$(mktemp -d)"
agent=""
cycler=""
holder=""
cleanup() {
  [ -n "$cycler" ] && kill "$cycler" 2>/dev/null || true
  [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
  # the daemon of a hang still held: killing it (by its own pid) frees its clients and ends its namespace
  for f in "$work"/daemon.*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  [ -n "$agent" ] && kill "$agent" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=fragments/agent-host.bash
. "$here/bench/fragments/agent-host.bash"
if [ -n "${SOAK_THREADS:-}" ]; then
  command -v python3 > /dev/null || { echo "soak: SOAK_THREADS needs python3 (the thread holder)" >&2; exit 2; }
  threads="$SOAK_THREADS"
  [ -n "${BENCH_TINY:-}" ] && threads=50
  start_thread_holder "$threads"
  echo "thread holder pid $holder with $threads threads; $(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l) tasks on the host"
fi

mkdir "$work/bin"
cc -O2 -o "$work/bin/fusefs" "$here/src/test/c/fusefs.c"
cc -O2 -o "$work/bin/fsop" "$here/src/test/c/fsop.c"
cc -O2 -pthread -o "$work/bin/uffdorphan" "$here/src/test/c/uffdorphan.c"
hangs="${SOAK_HANGS:-1}"
# in its own mount namespace without fusectl: the agent starts there as it would on such a host
ns=()
if [ -n "${SOAK_NO_FUSECTL:-}" ]; then
  ns=(unshare -m --propagation private sh -c 'umount /sys/fs/fuse/connections 2>/dev/null; exec "$@"' _)
fi

# the agent, as the README starts it; the launcher execs java, so $! is the JVM
if [ -n "${SOAK_DEPLOYED:-}" ]; then
  "$here/hangdoctor" --version > /dev/null   # the launcher builds the jar when it is missing or stale
  deployed_jvm
  echo "JVM flags: ${jvm[*]}"
  # a copy, as a package installs it: a build that rewrites target/hangdoctor.jar under a running JVM breaks its
  # class loading (the API thread dies first)
  cp "${HANGDOCTOR_JAR:-$here/target/hangdoctor.jar}" "$work/hangdoctor.jar"
  "${ns[@]}" java "${jvm[@]}" -jar "$work/hangdoctor.jar" watch --state-dir "$work/state" --listen 127.0.0.1:0 2>"$work/agent.log" &
elif [ -n "${SOAK_AGENT:-}" ]; then
  read -r -a cmd <<< "$SOAK_AGENT"
  (cd "$here" && exec "${ns[@]}" "${cmd[@]}" --state-dir "$work/state" --listen 127.0.0.1:0) 2>"$work/agent.log" &
else
  "${ns[@]}" "$here/hangdoctor" watch --state-dir "$work/state" --listen 127.0.0.1:0 2>"$work/agent.log" &
fi
agent=$!
for _ in $(seq 600); do grep -q "API on http://" "$work/agent.log" 2>/dev/null && break; sleep 0.5; done
api="$(grep -o 'API on http://[^, ]*' "$work/agent.log" | head -1 | sed 's/API on //')"
[ -n "$api" ] || { echo "soak: the agent did not start:" >&2; cat "$work/agent.log" >&2; exit 2; }
echo "agent pid $agent, $api, $(awk '/^Threads:/{print $2}' /proc/$agent/status) threads at start"

fuse_hang() {
  local mnt="$work/mnt.$1"
  mkdir -p "$mnt"
  unshare -m --propagation private bash -c '
    bin=$1; mnt=$2; hold=$3; pidfile=$4
    "$bin/fusefs" hung "$mnt" > "$mnt.log" 2>&1 & d=$!
    echo "$d" > "$pidfile"
    for _ in $(seq 100); do grep -q ready "$mnt.log" && break; sleep 0.1; done
    "$bin/fsop" stat "$mnt/w0" 150 >/dev/null 2>&1 &
    "$bin/fsop" stat "$mnt/w1" 150 >/dev/null 2>&1 &
    sleep "$hold"
    kill "$d" 2>/dev/null
    rm -f "$pidfile"
    wait
  ' _ "$work/bin" "$mnt" "$hold" "$work/daemon.$1.pid" || true
  rmdir "$mnt" 2>/dev/null || true
  rm -f "$mnt.log"
}
# a process whose userfaultfd handler exited: its faulting thread waits in D (a killable sleep) until it is killed
uffd_hang() {
  "$work/bin/uffdorphan" gup > /dev/null 2>&1 &
  local p=$!
  echo "$p" > "$work/daemon.$1.pid"
  sleep "$hold"
  kill -9 "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  rm -f "$work/daemon.$1.pid"
}
# N hangs at once, the kinds in turn; returns when all are over
one_period() {
  local i
  for i in $(seq "$hangs"); do
    if [ $((i % 2)) = 1 ]; then fuse_hang "$1.$i" & else uffd_hang "$1.$i" & fi
  done
  wait
}
(
  n=0
  while :; do
    n=$((n + 1))
    one_period "$n"
    sleep "$((period - hold > 0 ? period - hold : 1))"
  done
) &
cycler=$!

ticks() { awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
end=$(( $(date +%s) + total ))
warm=$(( total / 3 < 300 ? total / 3 : 300 ))
start=$(date +%s)
c0=$(ticks "$agent"); t0=$(date +%s.%N)
printf '%8s %8s %8s %8s %6s %6s\n' "t(s)" "RSS(MB)" "CPU(%)" "threads" "fds" "D"
: > "$work/samples"
while [ "$(date +%s)" -lt "$end" ]; do
  sleep "$sample"
  [ -d "/proc/$agent" ] || { echo "soak: the agent exited:" >&2; tail -5 "$work/agent.log" >&2; exit 1; }
  c1=$(ticks "$agent"); t1=$(date +%s.%N)
  cpu=$(awk -v a="$c0" -v b="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", (b - a) / hz / (t1 - t0) * 100 }')
  c0=$c1; t0=$t1
  rss=$(awk '/^VmRSS:/{printf "%.1f", $2 / 1024}' "/proc/$agent/status")
  thr=$(awk '/^Threads:/{print $2}' "/proc/$agent/status")
  fds=$( (ls "/proc/$agent/fd" 2>/dev/null || true) | wc -l)
  # tasks come and go while this reads: cat's complaint about a vanished one must not end the soak
  d=$( (cat /proc/[0-9]*/stat 2>/dev/null || true) | awk '{ s = $0; sub(/.*\) /, "", s); if (substr(s, 1, 1) == "D") n++ } END { print n + 0 }')
  t=$(( $(date +%s) - start ))
  printf '%8d %8s %8s %8s %6s %6s\n' "$t" "$rss" "$cpu" "$thr" "$fds" "$d"
  echo "$t $rss $cpu $thr $fds" >> "$work/samples"
done

incidents="$(curl -s --max-time 5 "$api/api/incidents" || true)"
opened=$(printf '%s' "$incidents" | { grep -o '"state" *: *"[a-z]*"' || true; } | wc -l)
resolved=$(printf '%s' "$incidents" | { grep -o '"state" *: *"resolved"' || true; } | wc -l)
echo "incidents: $opened opened, $resolved resolved ($hangs hang(s) at once every ${period}s, held ${hold}s)"
# where the time went: the agent's own count and wall time of cheap samples and full scans (its /metrics)
curl -s --max-time 5 "$api/metrics" | awk '
  /^hangdoctor_scan_duration_seconds_(count|sum)\{/ { match($0, /kind="[a-z]*"/); k = substr($0, RSTART + 6, RLENGTH - 7)
    if ($0 ~ /_count/) n[k] = $NF; else s[k] = $NF }
  END { for (k in n) printf "%s scans: %d, %.1f ms each on average (wall)\n", k, n[k], n[k] ? s[k] / n[k] * 1000 : 0 }' || true
# and why full scans ran (rescans of open incidents log no reason)
echo "full scans with a reason: $(grep -c 'full scan: ' "$work/agent.log" || true); the reasons' kinds:"
{ grep -o 'full scan: .*' "$work/agent.log" || true; } | sed -E 's/[0-9]+/N/g' | cut -c12-110 | sort | uniq -c | sort -rn | head -8
awk -v warm="$warm" '
  $1 >= warm { n++; if (n == 1 || $2 < lo) lo = $2; if ($2 > hi) hi = $2; cpu += $3
               if (n == 1 || $4 < tlo) tlo = $4; if ($4 > thi) thi = $4; if (n == 1 || $5 < flo) flo = $5; if ($5 > fhi) fhi = $5 }
  { if ($2 > peak) peak = $2 }
  END {
    if (n == 0) { print "no samples after the warm-up"; exit }
    printf "after the %d s warm-up (%d samples): RSS %.1f-%.1f MB (peak of the whole run %.1f MB), spread %.1f %%, CPU %.2f %% of a core, threads %d-%d, fds %d-%d\n",
      warm, n, lo, hi, peak, (hi - lo) / lo * 100, cpu / n, tlo, thi, flo, fhi
    printf "goal RSS <= 80 MB: %s; flat within 10 %%: %s\n", (hi <= 80 ? "met" : "NOT met"), ((hi - lo) / lo <= 0.10 ? "met" : "NOT met")
  }' "$work/samples"
