package dev.hangdoctor.watch;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-remediation (and an API fix request, which goes the same way) on a host-shaped directory: a finding with a
 * blocker is keyed "signature@pid" by the planner, and its incident must still get its remedy.
 */
class AutoRemediatorTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void anIncidentWhoseFindingHasABlockerIsActedOnAndVerified() throws Exception {
        Path root = Files.createDirectories(dir.resolve("host"));
        Path conn = Files.createDirectories(root.resolve("sys/fs/fuse/connections/40"));
        Files.writeString(conn.resolve("waiting"), "2\n");
        Files.writeString(conn.resolve("abort"), "");
        Evidence ev = new Evidence();
        ev.addFuseConnection(new FuseConnection(40, 2L, List.of("/mnt/hung"), "fuse", List.of(4889)));
        Diagnosis d = Diagnoses.of(Diagnoses.fuse(4889, 4892));
        Path state = Files.createDirectories(dir.resolve("state"));
        IncidentTracker tracker = new IncidentTracker(new IncidentStore(state), 2, 100, 1 << 30, log::add);
        Path bundle = Files.createDirectories(dir.resolve("scan"));
        Instant t = Instant.parse("2025-03-01T10:00:00Z");
        tracker.apply(d, ev, bundle, List.of("fsop:4892 in D for 10 s"), t);
        Incident i = tracker.open().get(0);
        AutoRemediator r = new AutoRemediator(root, state, tracker,
                new WatchMetrics(() -> null, () -> d, tracker,
                        dev.hangdoctor.diagnose.kb.KnowledgeBase.load(List.of()), "6.18.44-fc-v595"), log::add);

        assertThat(r.act(tracker.open(), d, ev)).as("log %s", log).isEqualTo(1);
        assertThat(Files.readString(conn.resolve("abort"))).isEqualTo("1");
        assertThat(i.toJson().get("actions").get(0).get("action").asText()).isEqualTo("fuse-abort");
        assertThat(i.toJson().get("actions").get(0).get("result").asText()).isEqualTo("done");

        r.verify(Diagnoses.of());
        assertThat(i.toJson().get("verification").get(0).get("verdict").asText()).isEqualTo("resolved");
        assertThat(r.act(tracker.open(), d, ev)).as("once per incident").isZero();
    }
}
