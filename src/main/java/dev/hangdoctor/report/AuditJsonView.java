package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.audit.AuditResult;
import dev.hangdoctor.diagnose.audit.HostExposure;
import dev.hangdoctor.diagnose.audit.RiskySetting;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The `audit --json` view, built field by field (like the analyze report) so a renamed Java field never changes
 * what other tools read.
 */
public final class AuditJsonView {
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AuditJsonView() {
    }

    public static String render(AuditResult r) {
        try {
            return MAPPER.writeValueAsString(toTree(r));
        } catch (Exception e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    public static ObjectNode toTree(AuditResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        if (r.kernelRelease() == null) {
            root.putNull("kernelVersion");
        } else {
            root.put("kernelVersion", r.kernelRelease());
        }
        root.put("atRisk", r.problemFound());
        ArrayNode exposures = root.putArray("exposures");
        for (HostExposure e : r.exposures()) {
            ObjectNode o = exposures.addObject();
            o.put("signature", e.signature());
            o.put("category", e.category().id());
            o.put("title", e.title());
            o.put("range", e.range());
            o.put("verdict", e.verdict().id());
            o.put("why", e.why());
            nullable(o, "note", e.note());
            ObjectNode fix = o.putObject("fix");
            strings(fix.putArray("kernels"), e.fix().kernels());
            strings(fix.putArray("commits"), e.fix().commits());
            strings(fix.putArray("links"), e.fix().links());
            nullable(fix, "note", e.fix().note());
            strings(o.putArray("factors"), e.factors());
        }
        ArrayNode settings = root.putArray("settings");
        for (RiskySetting s : r.settings()) {
            ObjectNode o = settings.addObject();
            o.put("key", s.key());
            o.put("value", s.value());
            o.put("risk", s.risk());
            o.put("recommended", s.recommended());
            strings(o.putArray("where"), s.where());
        }
        strings(root.putArray("warnings"), r.warnings());
        return root;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static void nullable(ObjectNode o, String key, String value) {
        if (value == null) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }
}
