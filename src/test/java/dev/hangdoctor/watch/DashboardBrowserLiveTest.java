package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.report.Chromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running agent (1 s interval, 3 s threshold, API on a free loopback port) next to a real hung FUSE daemon: once
 * the incident is open, headless Chromium loads the dashboard, and the rendered DOM holds the verdict, the wait-for
 * graph, the timeline and the incident. The screenshot is kept as target/report-screenshots/live-incident.png.
 */
@Tag("live")
class DashboardBrowserLiveTest {
    @TempDir
    Path state;

    private WatchAgent agent;
    // written by the agent's threads while a failing assertion joins it: a copy-on-write list iterates safely
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void theDashboardOfALiveFuseHangRendersInChromium() throws Exception {
        Path browser = Chromium.find();
        Assumptions.assumeTrue(browser != null, "chromium not installed (apt-get install chromium): browser test skipped");
        LivePreconditions.assumeFuseHangs();
        WatchLiveTest.assumeFewThreads();
        WatchConfig cfg = WatchConfig.defaults().withStateDir(state).withListen("127.0.0.1:0")
                .withInterval(Duration.ofSeconds(1)).withStuckAfter(Duration.ofSeconds(3))
                .withScan(Duration.ofSeconds(1), Duration.ofSeconds(2), 2);
        agent = new WatchAgent(cfg, log::add).start();
        // a few quiet samples first, so the timeline in the screenshot shows the hang's onset
        Thread.sleep(6_000);
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().waiters(2).nudgeIntoD(true))) {
            Set<Integer> pids = new HashSet<>();
            hang.ownPids().forEach(p -> pids.add(p.pid()));
            ObjectNode inc = awaitIncident(pids, Duration.ofSeconds(30));
            String id = inc.get("id").asText();
            String url = "http://" + WatchAgent.hostPort(agent.apiAddress()) + "/";

            String dom = Chromium.dumpDom(browser, url);
            assertThat(dom).as("verdict").contains("id=\"verdict\"", esc(inc.get("title").asText()));
            assertThat(dom).as("wait-for graph").contains("<svg class=\"graph\"", "class=\"node task blocker\"");
            assertThat(dom).as("timeline").contains("<svg class=\"timeline\"", "<g class=\"strip d\">",
                    "class=\"mark opened\"");
            assertThat(dom).as("incident").contains("<a href=\"/api/incidents/" + id + "\"><code>" + id + "</code></a>",
                    "<span class=\"pill open\">open</span>");
            assertThat(dom).as("the optional script ran under the page's policy").contains(">Expand all</button>");

            Chromium.screenshot(browser, url, Chromium.SCREENSHOTS.resolve("live-incident.png"), 2000);
        }
    }

    private ObjectNode awaitIncident(Set<Integer> pids, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            for (ObjectNode o : agent.tracker().list()) {
                if (!"open".equals(o.path("state").asText())) {
                    continue;
                }
                for (var p : o.get("stuckPids")) {
                    if (pids.contains(p.asInt())) {
                        return o;
                    }
                }
                if (o.get("rootCause").isObject() && pids.contains(o.get("rootCause").get("pid").asInt())) {
                    return o;
                }
            }
            Thread.sleep(200);
        }
        String seen;
        synchronized (log) {
            seen = String.join("\n", log);
        }
        throw new AssertionError("no incident within " + within.toSeconds() + " s; agent log:\n" + seen);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
