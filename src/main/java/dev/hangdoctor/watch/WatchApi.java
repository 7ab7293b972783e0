package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.report.AgentStatus;
import dev.hangdoctor.report.AgentStatusJsonView;
import dev.hangdoctor.report.DashboardPage;
import dev.hangdoctor.report.IncidentJsonView;
import dev.hangdoctor.report.InlineScripts;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The agent's HTTP interface (loopback by default): read-only JSON and metrics for anyone who can reach it, and the
 * two requests that act ({@code POST /api/scan}, {@code POST /api/incidents/ID/fix}) only when the config sets
 * {@code api.allowActions} and the request carries {@code Authorization: Bearer TOKEN} matching the token file.
 * <pre>
 * GET /                                 the live dashboard (HTML: timeline, incidents, last scan; reloads itself)
 * GET /healthz                          200 while samples come on time, else 503 (liveness probe)
 * GET /metrics                          Prometheus text exposition
 * GET /api/diagnosis                    {scannedAt, sample, diagnosis} (diagnosis: the `scan --json` document)
 * GET /api/incidents                    {incidents: [incident.json ...]} newest first
 * GET /api/incidents/ID                 incident.json with its diagnosis
 * GET /api/incidents/ID/diagnosis.txt   the diagnosis as the terminal shows it
 * GET /api/incidents/ID/report.html    the incident's bundle diagnosed and drawn as the HTML report
 * GET /api/incidents/ID/bundle          the evidence bundle as a zip (unzip it, then `hangdoctor analyze DIR`)
 * </pre>
 */
final class WatchApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,64}");
    /** Open connections at once, over all clients (the JDK server closes any beyond). */
    static final int MAX_CONNECTIONS = 256;
    /** Seconds a client has to send its whole request. */
    static final int MAX_REQ_SECONDS = 5;
    /** Requests one client address may have in progress, /healthz and /metrics aside. */
    static final int MAX_PER_CLIENT = 8;
    /** Pages, zips and reports made at once: what costs the agent CPU or disk reads per request. */
    static final int MAX_HEAVY = 2;
    private static final long WORKER_STACK = 256 * 1024;

    private final Semaphore heavy = new Semaphore(MAX_HEAVY);
    private final ConcurrentHashMap<InetAddress, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ReportCache reports = new ReportCache(4, TimeUnit.SECONDS.toNanos(1));

    private final HttpServer server;
    private final ExecutorService pool;
    private final WatchAgent agent;
    private final WatchConfig cfg;

    private WatchApi(HttpServer server, ExecutorService pool, WatchAgent agent, WatchConfig cfg) {
        this.server = server;
        this.pool = pool;
        this.agent = agent;
        this.cfg = cfg;
    }

    static WatchApi start(InetSocketAddress addr, WatchAgent agent, WatchConfig cfg) throws IOException {
        serverLimits();
        if (addr.getAddress() != null && !addr.getAddress().isLoopbackAddress()) {
            System.err.println("hangdoctor: warning: the API listens on " + addr + ", not loopback: incidents and"
                    + " evidence bundles can be read by anyone who reaches it (a NetworkPolicy does not cover"
                    + " hostNetwork pods)");
        }
        HttpServer server = HttpServer.create(addr, 64);
        // The JDK server hands a connection to a worker at its first byte, and the worker then waits for the rest of
        // the request. So no connection may wait for a free worker: each gets its own thread at once, up to the
        // connection cap (beyond it the server refuses the connection), and a thread is held at most MAX_REQ_SECONDS
        // by a client that sends its request slowly. /healthz never queues behind slow clients.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, MAX_CONNECTIONS, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(null, r, "hangdoctor-api", WORKER_STACK);
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(pool);
        WatchApi api = new WatchApi(server, pool, agent, cfg);
        MetricsHandler metrics = new MetricsHandler(agent.metrics().registry());
        server.createContext("/metrics", ex -> {
            try (ex) {
                secure(ex);
                if (!HostHeader.allowed(ex.getRequestHeaders().getFirst("Host"), server.getAddress())) {
                    api.send(ex, 421, error("Host header must name this agent's address"));
                    return;
                }
                if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                    api.send(ex, 405, error("only GET"));
                    return;
                }
                metrics.handle(ex);
            }
        });
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /**
     * The JDK server's own limits (read once per JVM, when its first server is made; an operator's -D wins): how long
     * a request may take to arrive and an answer to leave, idle keep-alive, header count and size, connections.
     */
    private static void serverLimits() {
        setIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(MAX_REQ_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", "30");
        setIfAbsent("sun.net.httpserver.timerMillis", "250");
        setIfAbsent("sun.net.httpserver.idleInterval", "10");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "16");
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "64");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", "16384");
        setIfAbsent("jdk.httpserver.maxConnections", String.valueOf(MAX_CONNECTIONS));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Headers every answer carries: nothing it returns is to be sniffed into HTML, framed, or run. */
    private static void secure(HttpExchange ex) {
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            secure(ex);
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (!HostHeader.allowed(ex.getRequestHeaders().getFirst("Host"), server.getAddress())) {
                // DNS rebinding: a web page on the node must not read bundles through a name it controls
                send(ex, 421, error("Host header must name this agent's address"));
                return;
            }
            if (path.equals("/healthz")) {
                // the liveness probe is never limited: its answer is cheap and a refusal would restart the agent
                dispatch(ex, method, path);
                return;
            }
            InetAddress client = ex.getRemoteAddress().getAddress();
            AtomicInteger n = inFlight.computeIfAbsent(client, k -> new AtomicInteger());
            try {
                if (n.incrementAndGet() > MAX_PER_CLIENT) {
                    ex.getResponseHeaders().set("Retry-After", "1");
                    send(ex, 429, error("too many requests in progress from " + client.getHostAddress()));
                    return;
                }
                dispatch(ex, method, path);
            } finally {
                if (n.decrementAndGet() == 0) {
                    inFlight.remove(client, n);
                }
            }
        } catch (RuntimeException e) {
            send(ex, 500, error(String.valueOf(e.getMessage())));
        }
    }

    private void dispatch(HttpExchange ex, String method, String path) throws IOException {
        if (method.equals("POST")) {
            post(ex, path);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(ex, 405, error("method " + method + " not allowed"));
            return;
        }
        get(ex, path);
    }

    /** Runs {@code work} if fewer than MAX_HEAVY such requests are in progress; otherwise answers 503 at once. */
    private void heavy(HttpExchange ex, IoAction work) throws IOException {
        if (!heavy.tryAcquire()) {
            ex.getResponseHeaders().set("Retry-After", "1");
            send(ex, 503, error("busy: retry in a second"));
            return;
        }
        try {
            work.run();
        } finally {
            heavy.release();
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void get(HttpExchange ex, String path) throws IOException {
        if (path.equals("/")) {
            heavy(ex, () -> {
                ex.getResponseHeaders().set("Content-Security-Policy", DashboardPage.contentSecurityPolicy());
                sendBytes(ex, 200, "text/html; charset=utf-8", Dashboard.render(agent).getBytes(StandardCharsets.UTF_8));
            });
            return;
        }
        if (path.equals("/healthz")) {
            AgentStatus status = agent.status();
            send(ex, status.healthy() ? 200 : 503, AgentStatusJsonView.health(status));
            return;
        }
        if (path.equals("/api/diagnosis")) {
            send(ex, 200, AgentStatusJsonView.diagnosis(agent.status()));
            return;
        }
        if (path.equals("/api/incidents") || path.equals("/api/incidents/")) {
            send(ex, 200, IncidentJsonView.list(agent.tracker().list()));
            return;
        }
        if (path.startsWith("/api/incidents/")) {
            String[] parts = path.substring("/api/incidents/".length()).split("/", -1);
            String id = parts[0];
            if (!ID.matcher(id).matches() || parts.length > 2) {
                send(ex, 404, error("no such incident"));
                return;
            }
            ObjectNode inc = agent.tracker().get(id);
            if (inc == null) {
                send(ex, 404, error("no such incident: " + id));
                return;
            }
            IncidentStore store = agent.tracker().store();
            if (parts.length == 1) {
                send(ex, 200, IncidentJsonView.withDiagnosis(inc, store.read(id, IncidentStore.DIAGNOSIS_JSON)));
            } else if (parts[1].equals("diagnosis.txt")) {
                String t = store.read(id, IncidentStore.DIAGNOSIS_TXT);
                if (t == null) {
                    send(ex, 404, error("no diagnosis text stored"));
                } else {
                    sendBytes(ex, 200, "text/plain; charset=utf-8", t.getBytes(StandardCharsets.UTF_8));
                }
            } else if (parts[1].equals("report.html")) {
                // the incident's own evidence, diagnosed again and drawn: the same page `analyze --html` writes. Made
                // once per version of the incident and at most one a second: it costs tens of ms of CPU
                Path b = store.bundle(id);
                if (b == null) {
                    send(ex, 404, error("no bundle stored"));
                    return;
                }
                String version = inc.path("updates").asText() + "/" + inc.path("lastSeenAt").asText() + "/"
                        + inc.path("state").asText();
                heavy(ex, () -> {
                    byte[] html = reports.get(id, version, () -> report(b));
                    if (html == null) {
                        ex.getResponseHeaders().set("Retry-After", "1");
                        send(ex, 429, error("a report was made less than a second ago: retry"));
                        return;
                    }
                    ex.getResponseHeaders().set("Content-Security-Policy", InlineScripts.contentSecurityPolicy(html));
                    sendBytes(ex, 200, "text/html; charset=utf-8", html);
                });
            } else if (parts[1].equals("bundle")) {
                Path b = store.bundle(id);
                if (b == null) {
                    send(ex, 404, error("no bundle stored"));
                    return;
                }
                heavy(ex, () -> {
                    ex.getResponseHeaders().set("Content-Type", "application/zip");
                    ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + id + ".zip\"");
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream out = ex.getResponseBody()) {
                        IncidentStore.zip(b, out);
                    }
                });
            } else {
                send(ex, 404, error("not found"));
            }
            return;
        }
        send(ex, 404, error("not found"));
    }

    private void post(HttpExchange ex, String path) throws IOException {
        String refused = authorise(ex);
        if (refused != null) {
            send(ex, 403, error(refused));
            return;
        }
        if (path.equals("/api/scan")) {
            agent.requestScan();
            send(ex, 202, JSON.createObjectNode().put("status", "scan requested"));
            return;
        }
        if (path.startsWith("/api/incidents/") && path.endsWith("/fix")) {
            String id = path.substring("/api/incidents/".length(), path.length() - "/fix".length());
            ObjectNode inc = ID.matcher(id).matches() ? agent.tracker().get(id) : null;
            if (inc == null) {
                send(ex, 404, error("no such incident: " + id));
                return;
            }
            if (!"open".equals(inc.path("state").asText())) {
                send(ex, 409, error("incident " + id + " is not open"));
                return;
            }
            agent.requestFix(id);
            send(ex, 202, JSON.createObjectNode().put("status", "fix requested at the next scan; see the incident's"
                    + " actions and the audit log"));
            return;
        }
        send(ex, 404, error("not found"));
    }

    /** Null when the request may act; otherwise why not. */
    private String authorise(HttpExchange ex) {
        if (!cfg.allowActions()) {
            return "actions are disabled (api.allowActions is false)";
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return "a bearer token is required";
        }
        String want;
        try {
            // a token anyone on the host can read or rewrite is no token: root's own file, 0600 or stricter, no link
            Path tf = cfg.tokenFile();
            if (Files.isSymbolicLink(tf)) {
                return "the token file is a symlink";
            }
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
                    Files.getPosixFilePermissions(tf, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            for (java.nio.file.attribute.PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    return "the token file is readable or writable by others (make it 0600)";
                }
            }
            String owner = Files.getOwner(tf, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(System.getProperty("user.name"))) {
                return "the token file belongs to " + owner;
            }
            want = Files.readString(tf, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "the token file is not readable";
        }
        if (want.isEmpty()) {
            return "the token file is empty";
        }
        byte[] a = want.getBytes(StandardCharsets.UTF_8);
        byte[] b = h.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(a, b) ? null : "wrong token";
    }

    /** The bundle diagnosed again through the agent's own pipeline: the site rules the incident was diagnosed with. */
    private byte[] report(Path bundle) {
        try {
            Diagnosis d = agent.pipeline().diagnose(dev.hangdoctor.collect.EvidenceLoader.load(bundle.toString(), InputStream.nullInputStream()));
            return dev.hangdoctor.report.HtmlReport.render(d).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        sendBytes(ex, code, "application/json", (JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void sendBytes(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
