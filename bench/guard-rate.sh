#!/usr/bin/env bash
# Finds the highest memory fill rate the OOM guard beats TRIALS times out of TRIALS (default 20): a hog fills a
# 256 MiB cgroup v1 memory cgroup with the kernel OOM killer on, beside a quiet sibling; the guard runs with its
# defaults (dryRun off) for that cgroup. Prints one line per rate tried and a RESULT line. Needs root, gcc and the
# v1 memory controller at /sys/fs/cgroup/memory (else it says so and exits 77: skipped). BENCH_TINY=1: one trial
# at the fastest rate and no search (for the test that keeps every bench working).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trials="${TRIALS:-20}"
steps="${STEPS:-5}"
if [ -n "${BENCH_TINY:-}" ]; then trials=1; steps=0; fi
cd "$here"
skip() { echo "guard-rate: skipped: $*" >&2; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (it makes memory cgroups)"
[ -e /sys/fs/cgroup/memory/memory.oom_control ] || skip "no cgroup v1 memory controller at /sys/fs/cgroup/memory"
command -v gcc > /dev/null || skip "needs gcc (the hog is a C program)"
# the product and its libraries: the launcher builds target/hangdoctor.jar when it is missing or stale
"$here/hangdoctor" --version > /dev/null
# the bench itself is a test class (it drives the live tests' cgroup helpers): compile the tests when needed
bench_class=target/test-classes/dev/hangdoctor/guard/GuardRateBench.class
if [ ! -f "$bench_class" ] || [ -n "$(find src/test/java -newer "$bench_class" -print -quit)" ]; then
  mvn -q -B -Dstyle.color=never -DskipTests test-compile
fi
echo "machine: $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
exec java -Xmx256m -Dbasedir="$here" -cp "target/test-classes:target/hangdoctor.jar" \
  dev.hangdoctor.guard.GuardRateBench "$trials" "$steps"
