#!/usr/bin/env bash
# Finds the highest memory fill rate the OOM guard beats TRIALS times out of TRIALS (default 20): a hog fills a
# 256 MiB cgroup v1 memory cgroup with the kernel OOM killer on, beside a quiet sibling; the guard runs with its
# defaults (dryRun off) for that cgroup. Prints one line per rate tried and a RESULT line. Needs root, gcc and the
# v1 memory controller at /sys/fs/cgroup/memory. Not part of the test suite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trials="${TRIALS:-20}"
steps="${STEPS:-5}"
cd "$here"
if [ "$(id -u)" != 0 ]; then echo "guard-rate: needs root (it makes memory cgroups)" >&2; exit 2; fi
if [ ! -e /sys/fs/cgroup/memory/memory.oom_control ]; then
  echo "guard-rate: no cgroup v1 memory controller at /sys/fs/cgroup/memory" >&2; exit 2
fi
mvn -o -q -DskipTests test-compile
cp="$(mvn -o -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
echo "machine: $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%d MiB", $2/1024}' /proc/meminfo)," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
exec java -Xmx256m -Dbasedir="$here" -cp "target/classes:target/test-classes:$cp" \
  dev.hangdoctor.guard.GuardRateBench "$trials" "$steps"
