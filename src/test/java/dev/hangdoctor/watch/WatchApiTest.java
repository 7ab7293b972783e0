package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent on a copy of the 6.18 bundle as its host: the API's status codes and JSON, the metrics, the token. */
class WatchApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private WatchAgent agent;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // written by the agent's threads while a failing assertion joins it: a copy-on-write list iterates safely
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    /** A writable copy of the captured 6.18 bundle as the agent's host. */
    private Path host() throws IOException {
        return dev.hangdoctor.collect.ProcFixtures.copyBundle(tmp.resolve("host"));
    }

    private WatchAgent start(boolean allowActions, Path token) throws Exception {
        WatchConfig cfg = WatchConfig.defaults().withRoot(host()).withStateDir(tmp.resolve("state"))
                .withListen("127.0.0.1:0").withKmsgDevice(null).withInterval(Duration.ofMillis(200))
                .withStuckAfter(Duration.ofHours(1)).withActions(allowActions, token);
        agent = new WatchAgent(cfg, log::add).start();
        return agent;
    }

    private String url(String path) {
        return "http://" + WatchAgent.hostPort(agent.apiAddress()) + path;
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private void awaitIncident() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (agent.tracker().size() == 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        String seen;
        synchronized (log) {
            seen = String.join("\n", log);
        }
        assertThat(agent.tracker().size()).as(seen).isPositive();
    }

    @Test
    void readOnlyApiAnswersWithJson() throws Exception {
        start(false, null);
        assertThat(agent.apiAddress().getAddress().isLoopbackAddress()).isTrue();
        Thread.sleep(500);
        HttpResponse<byte[]> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("ok");

        JsonNode d = json(get("/api/diagnosis"));
        assertThat(d.get("scannedAt").isNull()).isTrue();
        assertThat(d.get("sample").get("byState").get("D").asInt()).isEqualTo(2);

        agent.requestScan();
        awaitIncident();
        d = json(get("/api/diagnosis"));
        assertThat(d.get("scannedAt").isNull()).isFalse();
        assertThat(d.get("diagnosis").get("hang").asBoolean()).isTrue();
        assertThat(d.get("diagnosis").get("schemaVersion").asInt()).isEqualTo(1);

        JsonNode list = json(get("/api/incidents"));
        assertThat(list.get("incidents")).isNotEmpty();
        JsonNode first = list.get("incidents").get(0);
        String id = first.get("id").asText();
        assertThat(first.get("state").asText()).isEqualTo("open");
        assertThat(first.get("summary").asText()).startsWith("HANG ");

        HttpResponse<byte[]> one = get("/api/incidents/" + id);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("diagnosis").get("findings")).isNotEmpty();
        assertThat(new String(get("/api/incidents/" + id + "/diagnosis.txt").body())).isNotBlank();

        HttpResponse<byte[]> zip = get("/api/incidents/" + id + "/bundle");
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        List<String> names = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        // the agent's bundle keeps a process's files in pack files (collect/ProcessPack), not a directory a thread
        assertThat(names).contains("proc/4892/hangdoctor-pack.1.txt", "hangdoctor/window.txt")
                .noneMatch(n -> n.contains("/task/"));

        assertThat(get("/api/incidents/nope").statusCode()).isEqualTo(404);
        assertThat(get("/api/incidents/../../etc").statusCode()).isEqualTo(404);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url("/api/incidents"))).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void anIncidentsReportPageUsesTheSiteRulesItWasDiagnosedWith() throws Exception {
        // a site rule replacing the built-in the bundle matches, with a title only the site's copy has
        dev.hangdoctor.diagnose.Diagnosis plain = dev.hangdoctor.diagnose.DiagnosisPipeline.withRules(List.of())
                .diagnose(dev.hangdoctor.collect.EvidenceLoader.load(dev.hangdoctor.collect.ProcFixtures.bundle()
                        .toString(), java.io.InputStream.nullInputStream()));
        String signature = plain.findings().get(0).signature();
        String builtIn = new String(getClass().getResourceAsStream("/kb/" + signature + ".yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Path site = Files.createDirectories(tmp.resolve("site-rules"));
        Files.writeString(site.resolve(signature + ".yaml"),
                builtIn.replaceFirst("(?m)^title:.*$", "title: Site title for this fleet"));

        WatchConfig cfg = WatchConfig.defaults().withRoot(host()).withStateDir(tmp.resolve("state"))
                .withListen("127.0.0.1:0").withKmsgDevice(null).withInterval(Duration.ofMillis(200))
                .withStuckAfter(Duration.ofHours(1)).withRules(List.of(site));
        agent = new WatchAgent(cfg, log::add).start();
        agent.requestScan();
        awaitIncident();
        String id = json(get("/api/incidents")).get("incidents").get(0).get("id").asText();
        assertThat(json(get("/api/incidents/" + id)).get("diagnosis").get("findings").get(0).get("title").asText())
                .isEqualTo("Site title for this fleet");
        HttpResponse<byte[]> report = get("/api/incidents/" + id + "/report.html");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(new String(report.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("Site title for this fleet").doesNotContain(plain.findings().get(0).title());
    }

    @Test
    void metricsExposeTheNamedSeries() throws Exception {
        start(false, null);
        agent.requestScan();
        awaitIncident();
        agent.metrics().guardAction("WOULD_KILL");
        String m = new String(get("/metrics").body());
        assertThat(m).contains("hangdoctor_tasks{state=\"D\"} 2.0")
                .contains("hangdoctor_stuck_tasks{category=")
                .contains("kernel=\"6.18.44-fc-v595\",signature=")
                .contains("hangdoctor_guard_actions_total{kind=\"WOULD_KILL\"} 1.0")
                .contains("hangdoctor_scan_duration_seconds_count{kind=\"cheap\"}")
                .contains("hangdoctor_scan_duration_seconds_count{kind=\"full\"} ")
                .contains("process_cpu_seconds_total ")
                .contains("process_resident_memory_bytes ")
                .contains("hangdoctor_fuse_waiting_requests 2.0")
                .contains("hangdoctor_memcgs_under_oom ");
    }

    @Test
    void actingNeedsTheSwitchAndTheToken() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "s3cret-token\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        start(true, token);
        // a token others can read is refused outright
        assertThat(post("/api/scan", "s3cret-token").statusCode()).isEqualTo(403);
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(post("/api/scan", null).statusCode()).isEqualTo(403);
        assertThat(post("/api/scan", "wrong").statusCode()).isEqualTo(403);
        assertThat(post("/api/scan", "s3cret-token").statusCode()).isEqualTo(202);
        awaitIncident();
        assertThat(post("/api/incidents/nope/fix", "s3cret-token").statusCode()).isEqualTo(404);
    }

    @Test
    void withoutTheSwitchEveryPostIsRefused() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "s3cret-token\n");
        start(false, token);
        HttpResponse<String> r = post("/api/scan", "s3cret-token");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("allowActions");
    }

    @Test
    void aRestartedAgentServesTheSameHistory() throws Exception {
        start(false, null);
        agent.requestScan();
        awaitIncident();
        String id = agent.tracker().list().get(0).get("id").asText();
        agent.close();
        WatchConfig cfg = agent.config();
        agent = new WatchAgent(cfg, log::add).start();
        assertThat(get("/api/incidents/" + id).statusCode()).isEqualTo(200);
    }
}
