package dev.hangdoctor.watch;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ninety seconds (-Dhangdoctor.soakSeconds) of the agent on this host at a 100 ms interval, with a full scan every few seconds and the API
 * scraped all along: the heap after a GC must stay flat and the number of live threads bounded (no leaked reader,
 * scan or HTTP threads). {@code -Dhangdoctor.soakSeconds=N} changes the length; bench/watch-cost.sh gives the cost
 * figures.
 */
@Tag("live")
class WatchSoakTest {
    private static final Duration SOAK = Duration.ofSeconds(Long.getLong("hangdoctor.soakSeconds", 90));
    /** Heap after GC may grow this much from the warmed-up state to the end. */
    private static final long SLACK = 8L << 20;
    /** Live threads may exceed the warmed-up count by this many at any check (readers and HTTP workers come and go). */
    private static final int THREAD_SLACK = 16;

    @TempDir
    Path state;

    @Test
    void memoryStaysFlat() throws Exception {
        WatchConfig cfg = WatchConfig.defaults().withStateDir(state).withListen("127.0.0.1:0")
                .withInterval(Duration.ofMillis(100)).withStuckAfter(Duration.ofSeconds(2))
                .withScan(Duration.ofMillis(300), Duration.ofSeconds(3), 2).withRetention(5, 64L << 20);
        HttpClient http = HttpClient.newHttpClient();
        try (WatchAgent agent = new WatchAgent(cfg, line -> { }).start()) {
            String base = "http://" + WatchAgent.hostPort(agent.apiAddress());
            long end = System.nanoTime() + SOAK.toNanos();
            long warm = System.nanoTime() + SOAK.toNanos() / 4;
            long baseline = -1;
            int baseThreads = -1;
            int maxThreads = 0;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long lastScan = 0;
            int scrapes = 0;
            while (System.nanoTime() < end) {
                for (String p : new String[] {"/metrics", "/api/diagnosis", "/api/incidents", "/healthz"}) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + p)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isIn(200, 503);
                    scrapes++;
                }
                if (System.nanoTime() - lastScan > 5_000_000_000L) {
                    agent.requestScan();
                    lastScan = System.nanoTime();
                }
                if (baseline < 0 && System.nanoTime() > warm) {
                    baseline = heapAfterGc();
                    baseThreads = threads.getThreadCount();
                }
                if (baseThreads >= 0) {
                    maxThreads = Math.max(maxThreads, threads.getThreadCount());
                }
                Thread.sleep(250);
            }
            long after = heapAfterGc();
            System.out.println("watch soak: " + SOAK.toSeconds() + " s, " + agent.fullScans() + " full scans, "
                    + scrapes + " requests, heap after GC " + baseline / 1024 + " KiB -> " + after / 1024 + " KiB, "
                    + "live threads " + baseThreads + " warmed up, at most " + maxThreads);
            assertThat(agent.fullScans()).isGreaterThanOrEqualTo(SOAK.toSeconds() / 20);
            assertThat(agent.healthy()).isTrue();
            assertThat(after - baseline).as("heap growth after GC, bytes").isLessThan(SLACK);
            assertThat(maxThreads - baseThreads).as("live threads above the warmed-up count").isLessThan(THREAD_SLACK);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, m.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
