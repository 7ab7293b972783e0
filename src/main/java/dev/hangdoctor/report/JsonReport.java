package dev.hangdoctor.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.GraphView;
import dev.hangdoctor.diagnose.StackGroup;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.StackContext;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The `--json` view: a stable document (schema version 1, described in the README). Written field by field rather
 * than by reflection so renaming a Java field can never silently change what other tools read, and streamed token
 * by token: a diagnosis of 150 000 tasks is tens of MB of JSON, which as a tree of nodes would not fit the heap.
 */
public final class JsonReport {
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReport() {
    }

    /** The whole document as one string (for small diagnoses: the agent's incidents, tests). */
    public static String render(Diagnosis d) {
        StringWriter out = new StringWriter();
        write(d, out);
        return out.toString();
    }

    /** Streams the indented document to {@code out} (flushed, not closed); nothing but the diagnosis is held. */
    public static void write(Diagnosis d, Writer out) {
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            document(g, d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** The document as a tree, for callers that embed it in a larger one (the agent's API, `fix --json`). */
    public static ObjectNode toTree(Diagnosis d) {
        try (TokenBuffer tokens = new TokenBuffer(MAPPER, false)) {
            document(tokens, d);
            return MAPPER.readTree(tokens.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build JSON: " + e.getMessage(), e);
        }
    }

    private static void document(JsonGenerator g, Diagnosis d) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", SCHEMA_VERSION);
        g.writeBooleanField("hang", d.hangFound());
        g.writeArrayFieldStart("findings");
        for (Finding f : d.findings()) {
            finding(g, f);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("tasks");
        g.writeNumberField("total", d.taskCount());
        g.writeObjectFieldStart("byState");
        for (Map.Entry<String, Integer> e : d.tasksByState().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeArrayFieldStart("stackGroups");
        for (StackGroup sg : d.stackGroups()) {
            stackGroup(g, sg);
        }
        g.writeEndArray();
        g.writeStringField("kernelVersion", d.kernelVersion());
        strings(g, "formats", d.formats());
        strings(g, "logLines", d.logLines());
        strings(g, "goroutines", d.goroutines());
        strings(g, "warnings", d.warnings());
        strings(g, "history", d.history());
        graph(g, d.graph());
        g.writeObjectFieldStart("host");
        for (Map.Entry<String, String> e : d.hostFacts().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("memoryCgroups");
        for (MemCgroup c : d.memCgroups()) {
            memCgroup(g, c);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("fuseConnections");
        for (FuseConnection c : d.fuseConnections()) {
            g.writeStartObject();
            g.writeNumberField("id", c.id());
            longField(g, "waiting", c.waiting());
            strings(g, "mountPoints", c.mountPoints());
            if (c.fsType() != null) {
                g.writeStringField("fsType", c.fsType());
            }
            ints(g, "daemonPids", c.daemonPids());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("signature", f.signature());
        g.writeStringField("category", f.category().id());
        g.writeStringField("title", f.title());
        g.writeNumberField("confidence", f.confidence());
        if (f.rootCause() == null) {
            g.writeNullField("rootCause");
        } else {
            g.writeFieldName("rootCause");
            ref(g, f.rootCause());
        }
        g.writeStringField("blocker", f.blocker());
        g.writeStringField("rootCauseWaitsFor", f.rootCauseResource());
        refs(g, "victims", f.victims());
        strings(g, "chain", f.chain());
        strings(g, "evidence", f.evidence());
        g.writeStringField("explanation", f.explanation());
        g.writeObjectFieldStart("fix");
        Finding.Fix fx = f.fix() == null ? new Finding.Fix(List.of(), List.of(), List.of(), null) : f.fix();
        strings(g, "kernels", fx.kernels());
        strings(g, "commits", fx.commits());
        strings(g, "links", fx.links());
        g.writeStringField("note", fx.note());
        g.writeEndObject();
        strings(g, "remediation", f.remediation());
        g.writeEndObject();
    }

    private static void stackGroup(JsonGenerator g, StackGroup sg) throws IOException {
        g.writeStartObject();
        g.writeStringField("state", sg.state().letter());
        g.writeNumberField("count", sg.count());
        g.writeStringField("headline", sg.headline());
        g.writeStringField("role", sg.role());
        g.writeStringField("waitsFor", sg.waitsFor());
        refs(g, "tasks", sg.tasks());
        g.writeArrayFieldStart("frames");
        for (Frame f : sg.frames()) {
            g.writeStartObject();
            g.writeStringField("function", f.function());
            if (f.module() != null) {
                g.writeStringField("module", f.module());
            }
            if (!f.location().isEmpty()) {
                g.writeStringField("location", f.location());
            }
            if (f.unreliable()) {
                g.writeBooleanField("unreliable", true);
            }
            if (f.cut()) {
                g.writeBooleanField("cut", true);
            }
            if (f.context() != StackContext.TASK) {
                g.writeStringField("context", f.context().name().toLowerCase(Locale.ROOT));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void graph(JsonGenerator g, GraphView graph) throws IOException {
        g.writeObjectFieldStart("graph");
        g.writeArrayFieldStart("nodes");
        for (GraphView.Node n : graph.nodes()) {
            g.writeStartObject();
            g.writeStringField("id", n.id());
            g.writeStringField("kind", n.kind());
            g.writeStringField("label", n.label());
            g.writeStringField("role", n.role());
            g.writeNumberField("count", n.count());
            refs(g, "tasks", n.tasks());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("edges");
        for (GraphView.Edge e : graph.edges()) {
            g.writeStartObject();
            g.writeStringField("from", e.from());
            g.writeStringField("to", e.to());
            g.writeStringField("kind", e.kind());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void memCgroup(JsonGenerator g, MemCgroup c) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", c.path());
        g.writeNumberField("version", c.version());
        longField(g, "usageBytes", c.usageBytes());
        longField(g, "limitBytes", c.limitBytes());
        g.writeBooleanField("unlimited", c.unlimited());
        if (c.underOom() != null) {
            g.writeBooleanField("underOom", c.underOom());
        }
        if (c.oomKillDisable() != null) {
            g.writeBooleanField("oomKillDisable", c.oomKillDisable());
        }
        longField(g, "failcnt", c.failcnt());
        longField(g, "oomKills", c.oomKills());
        ints(g, "pids", c.pids());
        g.writeEndObject();
    }

    private static void longField(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static void refs(JsonGenerator g, String name, List<TaskRef> refs) throws IOException {
        g.writeArrayFieldStart(name);
        for (TaskRef r : refs) {
            ref(g, r);
        }
        g.writeEndArray();
    }

    private static void ref(JsonGenerator g, TaskRef r) throws IOException {
        g.writeStartObject();
        if (r.pid() < 0) {
            g.writeNullField("pid"); // a stack the evidence did not name a task for
        } else {
            g.writeNumberField("pid", r.pid());
        }
        g.writeStringField("comm", r.comm());
        if (r.container() != null) { // only for a task in a container: {runtime, podUid, containerId, podNamespace, ...}
            dev.hangdoctor.model.ContainerRef c = r.container();
            g.writeObjectFieldStart("container");
            g.writeStringField("runtime", c.runtime());
            g.writeStringField("podUid", c.podUid());
            g.writeStringField("containerId", c.containerId());
            g.writeStringField("qos", c.qos());
            g.writeStringField("podNamespace", c.podNamespace());
            g.writeStringField("podName", c.podName());
            g.writeStringField("containerName", c.containerName());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> items) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : items) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, String name, List<Integer> items) throws IOException {
        g.writeArrayFieldStart(name);
        for (Integer i : items) {
            g.writeNumber(i);
        }
        g.writeEndArray();
    }
}
