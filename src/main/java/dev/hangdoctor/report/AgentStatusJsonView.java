package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The agent API's {@code /healthz} and {@code /api/diagnosis} documents (shapes in the README), built field by field
 * so a renamed Java field never changes what probes and dashboards read.
 */
public final class AgentStatusJsonView {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AgentStatusJsonView() {
    }

    /** {@code {status, lastSampleAgeMs, openIncidents}}; status is "ok" or "stale". */
    public static ObjectNode health(AgentStatus s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("status", s.healthy() ? "ok" : "stale");
        o.put("lastSampleAgeMs", s.lastSampleAgeMs());
        o.put("openIncidents", s.openIncidents());
        return o;
    }

    /** {@code {schemaVersion, scannedAt, sample, diagnosis}}; the diagnosis is the `scan --json` document. */
    public static ObjectNode diagnosis(AgentStatus s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schemaVersion", 1);
        o.put("scannedAt", s.scannedAt() == null ? null : s.scannedAt().toString());
        AgentStatus.SampleCounts c = s.sample();
        if (c != null) {
            ObjectNode so = o.putObject("sample");
            so.put("tasks", c.tasks());
            ObjectNode bs = so.putObject("byState");
            c.byState().forEach(bs::put);
            so.put("stuckTasks", c.stuckTasks());
            so.put("fuseWaiting", c.fuseWaiting());
            so.put("memcgsUnderOom", c.memcgsUnderOom());
            so.put("uffdPending", c.uffdPending());
            so.put("load1", c.load1());
            ArrayNode tr = so.putArray("triggers");
            c.triggers().forEach(tr::add);
        } else {
            o.putNull("sample");
        }
        o.set("diagnosis", s.diagnosis() == null ? null : JsonReport.toTree(s.diagnosis()));
        return o;
    }
}
