package dev.hangdoctor.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's package) on a loopback port of its own, with its own data directory, for one
 * test: started with a scrape configuration and rule files, queried over its HTTP API, stopped by its pid.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dir;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts prometheus with {@code config} (prometheus.yml text) in {@code dir}; returns once it is ready. */
    public static PrometheusServer start(Path binary, Path dir, String config) throws Exception {
        Files.createDirectories(dir);
        Path cfg = Files.writeString(dir.resolve("prometheus.yml"), config);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + cfg,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(p, dir, port);
        try {
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private void awaitReady(Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready in " + within.toSeconds() + " s: " + log());
    }

    /** An instant query's result array; fails with Prometheus' own error when the query is refused. */
    public JsonNode query(String promql) throws Exception {
        JsonNode r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(r.path("status").asText())) {
            throw new AssertionError("query failed: " + promql + ": " + r);
        }
        return r.path("data").path("result");
    }

    /** The /api/v1/alerts list (pending and firing). */
    public JsonNode alerts() throws Exception {
        return get("/api/v1/alerts").path("data").path("alerts");
    }

    /** The /api/v1/targets active targets. */
    public JsonNode targets() throws Exception {
        return get("/api/v1/targets").path("data").path("activeTargets");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** The server's own log so far (for failure messages). */
    public String log() {
        try {
            String s = Files.readString(dir.resolve("prometheus.log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // the test's temporary directory is removed by JUnit as well
        }
    }

    /** A scrape configuration for the given targets as job "hangdoctor", 1 s scrapes and rule evaluation. */
    public static String scrapeConfig(List<String> targets, List<Path> ruleFiles) {
        StringBuilder sb = new StringBuilder();
        sb.append("global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 900ms}\n");
        sb.append("rule_files:\n");
        for (Path r : ruleFiles) {
            sb.append("  - '").append(r).append("'\n");
        }
        sb.append("scrape_configs:\n  - job_name: hangdoctor\n    static_configs:\n      - targets: [");
        sb.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()));
        sb.append("]\n");
        return sb.toString();
    }
}
