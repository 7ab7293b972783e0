package dev.hangdoctor.watch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent on a copy of the 6.18 bundle as its host: GET / is the dashboard, before and after an incident. */
class DashboardHttpTest {
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

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://" + WatchAgent.hostPort(agent.apiAddress()) + path);
        return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootIsTheDashboardBeforeAndAfterAnIncident() throws Exception {
        WatchConfig cfg = WatchConfig.defaults().withRoot(host()).withStateDir(tmp.resolve("state"))
                .withListen("127.0.0.1:0").withKmsgDevice(null).withInterval(Duration.ofMillis(200))
                .withStuckAfter(Duration.ofHours(1));
        agent = new WatchAgent(cfg, log::add).start();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agent.lastSample() == null && System.nanoTime() < end) {
            Thread.sleep(50);
        }

        HttpResponse<String> r = send("GET", "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString().startsWith("default-src 'none'");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.body()).startsWith("<!DOCTYPE html>").contains("<svg class=\"timeline\"", "No open incident",
                "No incidents on record.", "No full scan yet", "<meta http-equiv=\"refresh\"");
        // the host has two tasks in D: the timeline's current value
        String strip = r.body().substring(r.body().indexOf("<g class=\"strip d\">"));
        assertThat(strip.substring(0, strip.indexOf("</g>"))).contains("<tspan class=\"v\">2</tspan> now");

        agent.requestScan();
        end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (agent.tracker().size() == 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        String seen;
        synchronized (log) {
            seen = String.join("\n", log);
        }
        assertThat(agent.tracker().size()).as(seen).isPositive();
        String id = agent.tracker().list().get(0).get("id").asText();
        String page = send("GET", "/").body();
        assertThat(page).doesNotContain("No open incident");
        assertThat(page).contains("open incident", "<a href=\"/api/incidents/" + id + "\"><code>" + id,
                "<a href=\"/api/incidents/" + id + "/bundle\">bundle</a>", "id=\"verdict\"", "<svg class=\"graph\"",
                "class=\"mark opened\"", "kernel 6.18.44-fc-v595");
        assertThat(send("GET", "/api/incidents/" + id + "/bundle").statusCode()).isEqualTo(200);
        // any incident as the HTML report: its own bundle diagnosed again
        var report = send("GET", "/api/incidents/" + id + "/report.html");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("<svg", "id=\"verdict\"");

        assertThat(send("HEAD", "/").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/").statusCode()).isEqualTo(403);
        assertThat(send("PUT", "/").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/index.html").statusCode()).isEqualTo(404);
    }
}
