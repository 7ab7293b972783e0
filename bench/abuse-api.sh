#!/usr/bin/env bash
# Hostile HTTP clients against a real agent on loopback, each bounded in count and time, and what held:
# slow headers (slowloris), slow body, a request flood, oversized headers and bodies, DNS-rebinding Host headers,
# method tricks and path traversal, with /healthz timed throughout. Starts its own agent (./hangdoctor watch on
# 127.0.0.1, a temporary state directory) unless given the address of a running one, which must be loopback.
#   bench/abuse-api.sh [127.0.0.1:PORT | [::1]:PORT] [SLOW_CLIENTS=200]
# Exit 0 when everything held, 1 otherwise. Takes about a minute.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-}"
slow="${2:-200}"
# BENCH_TINY=1: 20 slow clients (for the test that keeps every bench working)
[ -n "${BENCH_TINY:-}" ] && [ -z "${2:-}" ] && slow=20
work="$(mktemp -d)"
agent=""
cleanup() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -z "$target" ]; then
  "$here/hangdoctor" watch --state-dir "$work/state" --listen 127.0.0.1:0 2>"$work/agent.log" &
  agent=$!
  for _ in $(seq 600); do grep -q "API on http://" "$work/agent.log" 2>/dev/null && break; sleep 0.5; done
  target="$(grep -o 'API on http://[^, ]*' "$work/agent.log" | head -1 | sed 's|API on http://||')"
  [ -n "$target" ] || { echo "abuse: the agent did not start:" >&2; cat "$work/agent.log" >&2; exit 2; }
fi
case "$target" in
  127.0.0.1:[0-9]*|"[::1]:"[0-9]*) ;;
  *) echo "abuse: only a loopback target (127.0.0.1:PORT or [::1]:PORT), not '$target'" >&2; exit 2 ;;
esac
pid="${agent:-$(ss -ltnpH "sport = :${target##*:}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)}"
echo "agent at $target (pid ${pid:-unknown})"

python3 - "$target" "$slow" "${pid:-0}" <<'PY'
import socket, sys, threading, time

target, slow_n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
host, port = target.rsplit(":", 1)
host = host.strip("[]")
port = int(port)
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
hosthdr = target
results = []

def check(name, ok, detail):
    results.append(ok)
    print(f"  {'held ' if ok else 'FAILED'} {name}: {detail}", flush=True)

def conn(timeout=5):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, port))
    return s

def exchange(raw, timeout=5, limit=1 << 20):
    """Sends raw bytes, returns (status or None, head+body bytes up to limit, seconds)."""
    t0 = time.monotonic()
    try:
        s = conn(timeout)
        s.sendall(raw)
        data = b""
        while len(data) < limit:
            b = s.recv(65536)
            if not b:
                break
            data += b
        s.close()
    except (socket.timeout, OSError) as e:
        return None, repr(e).encode(), time.monotonic() - t0
    st = None
    if data.startswith(b"HTTP/1.1 ") and len(data) >= 12:
        try:
            st = int(data[9:12])
        except ValueError:
            pass
    return st, data, time.monotonic() - t0

def get(path, host_header=None, method="GET", extra=b""):
    h = hosthdr if host_header is None else host_header
    raw = f"{method} {path} HTTP/1.1\r\nHost: {h}\r\nConnection: close\r\n".encode("latin-1") + extra + b"\r\n"
    return exchange(raw)

def healthz_during(seconds):
    lat, fails = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        st, _, dt = get("/healthz")
        if st == 200:
            lat.append(dt)
        else:
            fails += 1
        time.sleep(0.25)
    return lat, fails

def rss():
    try:
        with open(f"/proc/{pid}/status") as f:
            d = dict(l.split(":", 1) for l in f if ":" in l)
        return f"RSS {int(d['VmRSS'].split()[0]) // 1024} MB, {d['Threads'].strip()} threads"
    except Exception:
        return "RSS unknown"

print("before:", rss(), flush=True)

# 1. slow headers: each client sends the start of a request, then one byte every second
print(f"slow headers: {slow_n} clients", flush=True)
socks = []
for i in range(slow_n):
    try:
        s = conn()
        s.sendall(f"GET /api/incidents HTTP/1.1\r\nHost: {hosthdr}\r\nX-A: ".encode())
        socks.append(s)
    except OSError:
        pass
stop = threading.Event()
def trickle():
    while not stop.is_set():
        for s in list(socks):
            try:
                s.send(b"a")
            except OSError:
                socks.remove(s)
        stop.wait(1)
th = threading.Thread(target=trickle, daemon=True)
th.start()
lat, fails = healthz_during(4)
check("/healthz during slow headers", fails == 0 and lat and max(lat) < 1.0,
      f"{len(lat)} answers, {fails} failed, slowest {max(lat) * 1000 if lat else 0:.0f} ms; {len(socks)} slow connections open")
time.sleep(4)
open_after = len(socks)
check("slow clients cut off", open_after < slow_n // 10,
      f"{open_after} of {slow_n} still connected 8 s later; {rss()}")
stop.set()
for s in socks:
    s.close()

# 2. slow body: a POST announcing 1 MB and sending a byte a second
s = conn()
s.sendall(f"POST /api/scan HTTP/1.1\r\nHost: {hosthdr}\r\nContent-Length: 1000000\r\n\r\n".encode())
t0 = time.monotonic()
closed = None
s.settimeout(1)
while time.monotonic() - t0 < 30:
    try:
        s.send(b"x")
        d = s.recv(4096)
        if d == b"" or d:
            closed = time.monotonic() - t0
            break
    except socket.timeout:
        continue
    except OSError:
        closed = time.monotonic() - t0
        break
s.close()
check("slow body (1 MB announced, a byte a second) to POST /api/scan", closed is not None and closed < 15,
      f"answered or closed after {closed:.1f} s" if closed is not None else "still open after 30 s")

# 3. flood: 2 000 requests from 50 threads
counts = {}
lock = threading.Lock()
def flood(n):
    for _ in range(n):
        st, _, _ = get("/api/incidents")
        with lock:
            counts[st] = counts.get(st, 0) + 1
t0 = time.monotonic()
ths = [threading.Thread(target=flood, args=(40,)) for _ in range(50)]
for t in ths:
    t.start()
lat, fails = healthz_during(2)
for t in ths:
    t.join(120)
dt = time.monotonic() - t0
check("flood of 2 000 requests", fails == 0 and counts.get(None, 0) < 100,
      f"{dt:.1f} s, answers {dict(sorted((str(k), v) for k, v in counts.items()))}; /healthz {len(lat)} ok, {fails} failed; {rss()}")

# 4. oversized headers and bodies
st, data, dt = exchange(f"GET /healthz HTTP/1.1\r\nHost: {hosthdr}\r\nX-Big: ".encode() + b"a" * (1 << 20) + b"\r\n\r\n", 10)
check("1 MiB header", st != 200 and dt < 10, f"status {st}, {dt:.1f} s")
many = b"".join(f"X-H{i}: v\r\n".encode() for i in range(500))
st, data, dt = exchange(f"GET /healthz HTTP/1.1\r\nHost: {hosthdr}\r\n".encode() + many + b"\r\n", 10)
check("500 headers", st != 200 and dt < 10, f"status {st}, {dt:.1f} s")
t0 = time.monotonic()
sent = 0
try:
    s = conn(10)
    s.sendall(f"POST /api/scan HTTP/1.1\r\nHost: {hosthdr}\r\nContent-Length: {100 << 20}\r\n\r\n".encode())
    chunk = b"x" * 65536
    while sent < (100 << 20) and time.monotonic() - t0 < 20:
        s.sendall(chunk)
        sent += len(chunk)
    s.close()
except OSError:
    pass
check("100 MiB body to POST /api/scan", sent < (100 << 20) or time.monotonic() - t0 < 20,
      f"the agent took {sent >> 20} MiB before closing, {time.monotonic() - t0:.1f} s")

# 5. DNS rebinding: names that are not this agent's, on every path
bad = ["evil.example", "bad.cafe", "localhost.evil.example", "127.0.0.1.nip.io", "127.1", "0x7f000001", "[::1%lo]"]
refused = []
for h in bad:
    for p in ("/", "/metrics", "/api/incidents", "/healthz"):
        st, _, _ = get(p, host_header=h)
        refused.append(st == 421)
check("rebinding Host headers", all(refused), f"{sum(refused)} of {len(refused)} requests refused with 421")

# 6. method tricks
tricks = {}
for m in ("TRACE", "OPTIONS", "PUT", "DELETE", "CONNECT", "PATCH", "get", "FOO"):
    st, _, _ = get("/api/incidents", method=m)
    tricks[m] = st
st_override, _, _ = get("/api/incidents", extra=b"X-HTTP-Method-Override: POST\r\n")
st_scan, _, _ = get("/api/scan", method="POST", extra=b"Content-Length: 0\r\n")
st_badtok, _, _ = get("/api/scan", method="POST", extra=b"Content-Length: 0\r\nAuthorization: Bearer x\r\n")
ok = all(v in (400, 405, 501, None) for v in tricks.values()) and st_scan == 403 and st_badtok == 403
check("method tricks", ok, f"{tricks}; method override on GET {st_override}; POST /api/scan without token {st_scan},"
      f" wrong token {st_badtok}")

# 7. path traversal
paths = ["/api/incidents/../../../../etc/passwd", "/api/incidents/..%2f..%2f..%2fetc%2fpasswd",
         "/api/incidents/%2e%2e/%2e%2e/etc/passwd/bundle", "//etc/passwd", "/api/incidents/x/../../../etc/shadow",
         "/api/incidents/" + "a" * 5000, "/%00/etc/passwd"]
leaks, statuses = 0, []
for p in paths:
    st, data, _ = get(p)
    statuses.append(st)
    if b"root:" in data:
        leaks += 1
check("path traversal", leaks == 0 and 200 not in statuses, f"statuses {statuses}, {leaks} leaked a system file")

time.sleep(12)
lat, fails = healthz_during(1)
check("/healthz afterwards", fails == 0, f"{len(lat)} answers; 12 s after the last attack: {rss()}")
print(f"{sum(results)} of {len(results)} held", flush=True)
sys.exit(0 if all(results) else 1)
PY
