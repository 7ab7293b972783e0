package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentTrackerTest {
    @TempDir
    Path state;

    private final List<String> warnings = new ArrayList<>();
    private Instant t = Instant.parse("2025-03-01T10:00:00Z");

    private IncidentTracker tracker(int maxCount, long maxBytes) throws Exception {
        return new IncidentTracker(new IncidentStore(state), 2, maxCount, maxBytes, warnings::add);
    }

    private Path bundle(String name, int bytes) throws Exception {
        Path b = Files.createDirectories(state.resolve("scan-" + name));
        Files.createDirectories(b.resolve("proc/4892"));
        Files.writeString(b.resolve("proc/4892/stat"), "x".repeat(bytes));
        return b;
    }

    private IncidentTracker.Changes apply(IncidentTracker tr, dev.hangdoctor.diagnose.Diagnosis d) throws Exception {
        t = t.plusSeconds(3);
        return tr.apply(d, null, bundle(Long.toString(t.getEpochSecond()), 100), List.of("fsop:4892 in D for 10 s"), t);
    }

    @Test
    void opensOnceUpdatesWhileItLastsAndResolvesWhenGone() throws Exception {
        IncidentTracker tr = tracker(100, 1 << 30);
        IncidentTracker.Changes c1 = apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892)));
        assertThat(c1.opened()).hasSize(1);
        Incident i = c1.opened().get(0);
        Path dir = state.resolve("incidents").resolve(i.id());
        assertThat(dir.resolve("incident.json")).exists();
        assertThat(dir.resolve("diagnosis.json")).content().contains("\"hung-fuse-daemon\"");
        assertThat(dir.resolve("diagnosis.txt")).exists();
        assertThat(dir.resolve("bundle/proc/4892/stat")).exists();
        assertThat(i.summary()).isEqualTo("HANG fuse: fused:4889 blocks 1 task [hung-fuse-daemon]");

        IncidentTracker.Changes c2 = apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892, 4893)));
        assertThat(c2.opened()).isEmpty();
        assertThat(c2.updated()).containsExactly(i);
        assertThat(i.updates()).isEqualTo(1);
        assertThat(i.stuckTasks()).isEqualTo(3);

        // one clean scan is not enough (resolveAfter 2), the second is
        assertThat(apply(tr, Diagnoses.of()).resolved()).isEmpty();
        assertThat(i.open()).isTrue();
        IncidentTracker.Changes c4 = apply(tr, Diagnoses.of());
        assertThat(c4.resolved()).containsExactly(i);
        assertThat(i.open()).isFalse();
        JsonNode saved = new ObjectMapper().readTree(dir.resolve("incident.json").toFile());
        assertThat(saved.get("state").asText()).isEqualTo("resolved");
        assertThat(saved.get("resolvedAt").asText()).isEqualTo(t.toString());
        assertThat(saved.get("triggers").get(0).asText()).contains("in D");
        JsonNode index = new ObjectMapper().readTree(state.resolve("incidents/index.json").toFile());
        assertThat(index.get("incidents")).hasSize(1);

        // the same hang again later is a new incident
        assertThat(apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892))).opened()).hasSize(1);
    }

    @Test
    void aMissBetweenSightingsDoesNotResolve() throws Exception {
        IncidentTracker tr = tracker(100, 1 << 30);
        Incident i = apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892))).opened().get(0);
        apply(tr, Diagnoses.of());
        apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892)));
        apply(tr, Diagnoses.of());
        assertThat(i.open()).isTrue();
        assertThat(tr.size()).isEqualTo(1);
    }

    @Test
    void aBlockerNamedDifferentlyStaysOneIncidentWhenTheStuckTasksAreShared() throws Exception {
        IncidentTracker tr = tracker(100, 1 << 30);
        apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892)));
        IncidentTracker.Changes c = apply(tr, Diagnoses.of(Diagnoses.fuse(4890, 4892)));
        assertThat(c.opened()).isEmpty();
        assertThat(c.updated()).hasSize(1);
    }

    @Test
    void twoHangsInOneScanAreTwoIncidentsEachWithTheBundle() throws Exception {
        IncidentTracker tr = tracker(100, 1 << 30);
        IncidentTracker.Changes c = apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892), Diagnoses.memcg("memcg /h5test")));
        assertThat(c.opened()).hasSize(2);
        for (Incident i : c.opened()) {
            assertThat(state.resolve("incidents").resolve(i.id()).resolve("bundle/proc/4892/stat")).exists();
        }
        assertThat(tr.openBySignature()).hasSize(2);
    }

    @Test
    void retentionDropsTheOldestResolvedFirst() throws Exception {
        IncidentTracker tr = tracker(3, 1 << 30);
        List<Incident> made = new ArrayList<>();
        made.add(apply(tr, Diagnoses.of(Diagnoses.fuse(1000, 2000))).opened().get(0));
        made.add(apply(tr, Diagnoses.of(Diagnoses.fuse(1000, 2000), Diagnoses.fuse(1001, 2001))).opened().get(0));
        made.add(apply(tr, Diagnoses.of(Diagnoses.fuse(1000, 2000), Diagnoses.fuse(1001, 2001),
                Diagnoses.fuse(1002, 2002))).opened().get(0));
        // resolve the middle one only: the others keep being seen
        apply(tr, Diagnoses.of(Diagnoses.fuse(1000, 2000), Diagnoses.fuse(1002, 2002)));
        apply(tr, Diagnoses.of(Diagnoses.fuse(1000, 2000), Diagnoses.fuse(1002, 2002)));
        assertThat(made.get(1).open()).isFalse();
        Incident newest = apply(tr, Diagnoses.of(Diagnoses.fuse(1000, 2000), Diagnoses.fuse(1002, 2002),
                Diagnoses.fuse(1003, 2003))).opened().get(0);
        assertThat(tr.size()).isEqualTo(3);
        assertThat(tr.get(made.get(1).id())).isNull();
        assertThat(state.resolve("incidents").resolve(made.get(1).id())).doesNotExist();
        assertThat(tr.get(newest.id())).isNotNull();
        assertThat(tr.get(made.get(0).id())).isNotNull();
    }

    @Test
    void retentionByBytes() throws Exception {
        IncidentTracker tr = tracker(100, 20_000);
        for (int k = 0; k < 5; k++) {
            t = t.plusSeconds(3);
            Incident i = tr.apply(Diagnoses.of(Diagnoses.fuse(1000 + k, 2000 + k)), null, bundle("b" + k, 8000),
                    List.of(), t).opened().get(0);
            assertThat(i.bytes()).isGreaterThan(8000);
        }
        assertThat(tr.size()).isLessThanOrEqualTo(2);
        assertThat(IncidentStore.size(state.resolve("incidents"))).isLessThan(30_000);
    }

    @Test
    void aRestartKeepsTheHistoryAndOpenIncidentsResolveLater() throws Exception {
        IncidentTracker tr = tracker(100, 1 << 30);
        Incident gone = apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892), Diagnoses.memcg("memcg /a"))).opened().get(1);
        apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892)));
        apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892)));
        assertThat(tr.get(gone.id()).get("state").asText()).isEqualTo("resolved");

        IncidentTracker again = tracker(100, 1 << 30);
        assertThat(again.size()).isEqualTo(2);
        assertThat(again.open()).hasSize(1);
        Incident open = again.open().get(0);
        assertThat(open.updates()).isEqualTo(2);
        assertThat(again.get(gone.id()).get("state").asText()).isEqualTo("resolved");
        // the same hang after the restart updates the incident instead of opening another
        assertThat(apply(again, Diagnoses.of(Diagnoses.fuse(4889, 4892))).updated()).containsExactly(open);
        apply(again, Diagnoses.of());
        assertThat(apply(again, Diagnoses.of()).resolved()).containsExactly(open);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aDamagedIncidentFileIsSkippedWithAWarning() throws Exception {
        IncidentTracker tr = tracker(100, 1 << 30);
        Incident i = apply(tr, Diagnoses.of(Diagnoses.fuse(4889, 4892))).opened().get(0);
        Files.writeString(state.resolve("incidents").resolve(i.id()).resolve("incident.json"), "{not json");
        IncidentTracker again = tracker(100, 1 << 30);
        assertThat(again.size()).isZero();
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("incident.json"));
    }
}
