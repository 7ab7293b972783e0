package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.diagnose.Diagnosis;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the agent API's /healthz and /api/diagnosis shapes the README documents: probes read these field names. */
class AgentStatusJsonViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AgentStatus.SampleCounts counts() {
        Map<String, Integer> byState = new LinkedHashMap<>();
        byState.put("D", 2);
        byState.put("S", 40);
        return new AgentStatus.SampleCounts(43, byState, 2, 1, 0, 3L, null, List.of("dd:4892 in D for 130 s"));
    }

    @Test
    void healthIsStatusAgeAndOpenIncidents() {
        assertThat(AgentStatusJsonView.health(new AgentStatus(true, 12, 1, counts(), null, null)).toString())
                .isEqualTo("{\"status\":\"ok\",\"lastSampleAgeMs\":12,\"openIncidents\":1}");
        assertThat(AgentStatusJsonView.health(new AgentStatus(false, -1, 0, null, null, null)).toString())
                .isEqualTo("{\"status\":\"stale\",\"lastSampleAgeMs\":-1,\"openIncidents\":0}");
    }

    @Test
    void beforeTheFirstSampleEverythingIsNull() {
        assertThat(AgentStatusJsonView.diagnosis(new AgentStatus(false, -1, 0, null, null, null)).toString())
                .isEqualTo("{\"schemaVersion\":1,\"scannedAt\":null,\"sample\":null,\"diagnosis\":null}");
    }

    @Test
    void aSampleBeforeAnyScanShowsItsCounts() {
        assertThat(AgentStatusJsonView.diagnosis(new AgentStatus(true, 5, 0, counts(), null, null)).toString())
                .isEqualTo("{\"schemaVersion\":1,\"scannedAt\":null,\"sample\":{\"tasks\":43,"
                        + "\"byState\":{\"D\":2,\"S\":40},\"stuckTasks\":2,\"fuseWaiting\":1,\"memcgsUnderOom\":0,"
                        + "\"uffdPending\":3,\"load1\":null,\"triggers\":[\"dd:4892 in D for 130 s\"]},"
                        + "\"diagnosis\":null}");
    }

    @Test
    void afterAScanTheDiagnosisIsTheScanJsonDocument() throws Exception {
        Diagnosis d = Seeds.diagnose(Path.of("examples/seed001-centos7-jbd2-oom"));
        Instant at = Instant.parse("2026-12-03T10:15:30Z");
        JsonNode doc = AgentStatusJsonView.diagnosis(new AgentStatus(true, 5, 1, counts(), at, d));
        assertThat(doc.get("scannedAt").asText()).isEqualTo("2026-12-03T10:15:30Z");
        assertThat(doc.get("diagnosis")).isEqualTo(JSON.readTree(JsonReport.render(d)));
    }
}
