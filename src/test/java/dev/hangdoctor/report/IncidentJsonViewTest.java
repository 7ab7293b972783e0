package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the agent API's incident list and incident-with-diagnosis shapes. */
class IncidentJsonViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode incident(String id) {
        return JSON.createObjectNode().put("id", id).put("state", "open");
    }

    @Test
    void theListKeepsTheOrderGiven() {
        assertThat(IncidentJsonView.list(List.of(incident("b"), incident("a"))).toString()).isEqualTo(
                "{\"schemaVersion\":1,\"incidents\":[{\"id\":\"b\",\"state\":\"open\"},{\"id\":\"a\",\"state\":\"open\"}]}");
        assertThat(IncidentJsonView.list(List.of()).toString()).isEqualTo("{\"schemaVersion\":1,\"incidents\":[]}");
    }

    @Test
    void anIncidentCarriesItsStoredDiagnosis() {
        ObjectNode inc = incident("a");
        assertThat(IncidentJsonView.withDiagnosis(inc, "{\"schemaVersion\":1,\"hang\":true}").toString())
                .isEqualTo("{\"id\":\"a\",\"state\":\"open\",\"diagnosis\":{\"schemaVersion\":1,\"hang\":true}}");
        assertThat(inc.has("diagnosis")).as("the incident given is left as it was").isFalse();
    }

    @Test
    void noneOrADamagedFileIsANullDiagnosis() {
        assertThat(IncidentJsonView.withDiagnosis(incident("a"), null).get("diagnosis").isNull()).isTrue();
        assertThat(IncidentJsonView.withDiagnosis(incident("a"), "{\"hang\": tr").get("diagnosis").isNull()).isTrue();
    }
}
