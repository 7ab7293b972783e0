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

    /** A host with one stuck FUSE connection (40, its daemon 4889) and an incident open for it. */
    private record Host(Path root, Path conn, Path state, Evidence ev, Diagnosis d, IncidentTracker tracker,
                        Incident incident) {
        AutoRemediator remediator(List<String> log) {
            return new AutoRemediator(root, state, tracker, new WatchMetrics(() -> null, () -> d, tracker,
                    dev.hangdoctor.diagnose.kb.KnowledgeBase.load(List.of()), "6.18.44-fc-v595"), log::add);
        }
    }

    private Host host() throws Exception {
        Path root = Files.createDirectories(dir.resolve("host"));
        Path conn = Files.createDirectories(root.resolve("sys/fs/fuse/connections/40"));
        Files.writeString(conn.resolve("waiting"), "2\n");
        Files.writeString(conn.resolve("abort"), "");
        Evidence ev = new Evidence();
        ev.addFuseConnection(new FuseConnection(40, 2L, List.of("/mnt/hung"), "fuse", List.of(4889)));
        Diagnosis d = Diagnoses.of(Diagnoses.fuse(4889, 4892));
        Path state = Files.createDirectories(dir.resolve("state"));
        IncidentTracker tracker = new IncidentTracker(new IncidentStore(state), 2, 100, 1 << 30, log::add);
        tracker.apply(d, ev, Files.createDirectories(dir.resolve("scan")), List.of("fsop:4892 in D for 10 s"),
                Instant.parse("2025-03-01T10:00:00Z"));
        return new Host(root, conn, state, ev, d, tracker, tracker.open().get(0));
    }

    @Test
    void anIncidentWhoseFindingHasABlockerIsActedOnAndVerified() throws Exception {
        Host h = host();
        Incident i = h.incident();
        AutoRemediator r = h.remediator(log);

        assertThat(r.act(h.tracker().open(), h.d(), h.ev())).as("log %s", log).isEqualTo(1);
        assertThat(Files.readString(h.conn().resolve("abort"))).isEqualTo("1");
        assertThat(i.toJson().get("actions").get(0).get("action").asText()).isEqualTo("fuse-abort");
        assertThat(i.toJson().get("actions").get(0).get("result").asText()).isEqualTo("done");
        assertThat(i.toJson().get("actions").get(0).get("commands").get(0).asText())
                .isEqualTo("echo 1 > " + h.conn().resolve("abort"));
        // the intent was on disk before the abort was written, then the outcome
        List<String> audit = Files.readAllLines(h.state().resolve("audit.jsonl"));
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0)).contains("\"action\":\"fuse-abort\"").contains("\"result\":\"attempting\"");
        assertThat(audit.get(1)).contains("\"result\":\"done\"").contains("\"after\":\"connection 40 waiting=2\"");

        r.verify(Diagnoses.of());
        assertThat(i.toJson().get("verification").get(0).get("verdict").asText()).isEqualTo("resolved");
        assertThat(r.act(h.tracker().open(), h.d(), h.ev())).as("once per incident").isZero();
    }

    /** No trace, no action: an agent whose audit log cannot be opened refuses the remedy and says why. */
    @Test
    void anUnwritableAuditLogRefusesTheRemedy() throws Exception {
        Host h = host();
        Files.createDirectory(h.state().resolve("audit.jsonl")); // not a regular file: the log cannot be opened
        AutoRemediator r = h.remediator(log);

        assertThat(r.act(h.tracker().open(), h.d(), h.ev())).isZero();
        assertThat(Files.readString(h.conn().resolve("abort"))).as("the connection was not aborted").isEmpty();
        assertThat(h.incident().toJson().get("actions").get(0).get("result").asText())
                .startsWith("refused: the audit log cannot be opened: audit log " + h.state().resolve("audit.jsonl"));
    }
}
