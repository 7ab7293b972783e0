package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;

/**
 * The agent API's incident documents: {@code /api/incidents} (the list, newest first) and {@code /api/incidents/ID}
 * (one incident.json with its stored diagnosis). The incidents come as the agent persists them.
 */
public final class IncidentJsonView {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IncidentJsonView() {
    }

    /** {@code {schemaVersion, incidents: [incident.json ...]}}. */
    public static ObjectNode list(List<? extends JsonNode> incidents) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schemaVersion", 1);
        incidents.forEach(o.putArray("incidents")::add);
        return o;
    }

    /**
     * A copy of {@code incident} with "diagnosis" set to the stored `scan --json` document, or null when none is
     * stored or the file is damaged (the incident still answers).
     */
    public static ObjectNode withDiagnosis(ObjectNode incident, String diagnosisJson) {
        JsonNode d = null;
        try {
            d = diagnosisJson == null ? null : MAPPER.readTree(diagnosisJson);
        } catch (IOException e) {
            // a damaged file: the incident still answers
        }
        ObjectNode o = incident.deepCopy();
        o.set("diagnosis", d);
        return o;
    }
}
