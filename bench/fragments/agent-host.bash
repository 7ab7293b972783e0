# Sourced by the agent's benches (watch-cost.sh, agent-scan-cost.sh): what they both set up. Needs $here (the
# project's top directory).

# start_thread_holder N: a python3 process with N sleeping threads (a big host's thread count); sets $holder to its
# pid and returns once all of them run. The caller kills it.
start_thread_holder() {
  python3 - "$1" <<'PY' &
import sys, threading, time
threading.stack_size(64 * 1024)
n = int(sys.argv[1])
stop = threading.Event()
for _ in range(n):
    threading.Thread(target=stop.wait, daemon=True).start()
time.sleep(10**6)
PY
  holder=$!
  while [ "$(awk '/^Threads:/{print $2}' /proc/$holder/status 2>/dev/null || echo 0)" -lt "$1" ]; do sleep 0.5; done
}

# deployed_jvm: fills the array jvm with the JVM flags of deploy/hangdoctor.service's ExecStart (so a bench measures
# what is deployed; HANGDOCTOR_JVM overrides them) and exports the unit's Environment= lines (malloc arenas).
deployed_jvm() {
  local deployed
  deployed=$(awk '/^ExecStart=/{f = 1} f {l = l " " $0; if ($0 !~ /\\$/) exit} END {print l}' \
    "$here/deploy/hangdoctor.service" | tr -d '\\' | sed 's/.*java //; s/ -jar .*//')
  read -r -a jvm <<< "${HANGDOCTOR_JVM:-$deployed}"
  while read -r kv; do export "${kv?}"; done < <(sed -n 's/^Environment=//p' "$here/deploy/hangdoctor.service")
}
