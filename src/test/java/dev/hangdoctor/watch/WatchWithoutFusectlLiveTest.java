package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.cli.WithoutFusectl;
import dev.hangdoctor.live.FuseControl;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent on a host without fusectl ({@link WithoutFusectl}: a private mount namespace for the agent alone, the
 * host's mounts untouched). Its FUSE hang is the hard kind: the daemon reads every request and answers none, so its
 * caller sleeps in S and only the connection's waiting count shows that nothing drains. The agent mounts fusectl
 * where it watches, says so in one line and in its audit log, opens an incident within 15 s of the hang's onset, and
 * resolves it once fix (in a namespace without fusectl as well) has ended the hang.
 */
@Tag("live")
class WatchWithoutFusectlLiveTest {
    private static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void theAgentMountsFusectlWhereItWatchesAndOpensAndResolvesTheIncident() throws Exception {
        LivePreconditions.assumeFuseHangs();
        assumeTrue(Files.isDirectory(FuseControl.CONNECTIONS), "fuse module not loaded");
        boolean hostHadIt = FuseControl.mounted();
        Path state = dir.resolve("agent");
        Path config = Files.writeString(dir.resolve("watch.yaml"), String.join("\n",
                "interval: 1s", "stuckAfter: 3s", "listen: \"off\"",
                "scan: {window: 1s, resolveAfter: 2}", ""));
        Path log = dir.resolve("agent.log");
        Process agent = new ProcessBuilder(WithoutFusectl.command("watch", "--config", config.toString(),
                "--state-dir", state.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("the agent started", Duration.ofSeconds(60), () -> read(log).contains("watching:"), log);
            assertThat(read(log)).contains("hangdoctor: mounted fusectl at /sys/fs/fuse/connections");
            assertThat(read(state.resolve("audit.jsonl"))).contains("\"action\":\"fusectl-mount\"")
                    .contains("\"result\":\"attempting\"").contains("\"result\":\"done\"");

            Instant onset = Instant.now();
            try (HungFuseDaemon hang = HungFuseDaemon.start()) {
                int waiter = hang.waiters().get(0).pid().pid();
                JsonNode[] inc = new JsonNode[1];
                await("an incident for caller " + waiter, BOUND.plusSeconds(10),
                        () -> (inc[0] = incidentOf(state, waiter)) != null, log);
                Duration latency = Duration.between(onset, Instant.parse(inc[0].get("openedAt").asText()));
                System.out.println("watch without fusectl: FUSE hang onset to incident " + latency.toMillis() + " ms");
                assertThat(latency).as("onset to incident").isLessThanOrEqualTo(BOUND);
                assertThat(inc[0].get("category").asText()).isEqualTo("fuse");

                String fix = WithoutFusectl.run("fix", "--json", "--yes", "--window", "1s", "--state-dir",
                        dir.resolve("fix").toString(), "--pid", Integer.toString(waiter));
                assertThat(hang.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).as(fix).isTrue();
                String id = inc[0].get("id").asText();
                // two full scans in a row without it; on a big host the agent rescans at most every three times a
                // scan's cost (up to 30 s), so this bound is the agent's, not the latency bound of onset
                await("incident " + id + " resolved", Duration.ofSeconds(90),
                        () -> "resolved".equals(stateOf(state, id)), log);
            }
        } finally {
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
                agent.waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(FuseControl.mounted()).as("the host's own mounts are untouched").isEqualTo(hostHadIt);
    }

    private static JsonNode incidents(Path state) {
        try {
            return new ObjectMapper().readTree(state.resolve("incidents").resolve("index.json").toFile())
                    .get("incidents");
        } catch (IOException e) {
            return null; // not written yet, or being replaced
        }
    }

    /** This test's incident: one whose stuck pids or blocker name the caller. */
    private static JsonNode incidentOf(Path state, int pid) {
        JsonNode all = incidents(state);
        if (all == null) {
            return null;
        }
        for (JsonNode o : all) {
            for (JsonNode p : o.get("stuckPids")) {
                if (p.asInt() == pid) {
                    return o;
                }
            }
        }
        return null;
    }

    private static String stateOf(Path state, String id) {
        JsonNode all = incidents(state);
        if (all != null) {
            for (JsonNode o : all) {
                if (o.get("id").asText().equals(id)) {
                    return o.get("state").asText();
                }
            }
        }
        return null;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls until {@code done}, failing with the agent's output after {@code within}. */
    static void await(String what, Duration within, java.util.function.BooleanSupplier done, Path log)
            throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + within.toSeconds() + " s; agent output:\n"
                        + read(log));
            }
            Thread.sleep(200);
        }
    }
}
