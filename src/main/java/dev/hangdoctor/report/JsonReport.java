package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.GraphView;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.diagnose.StackGroup;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.Frame;

import java.util.List;

/**
 * The `--json` view: a stable document (schema version 1, described in the README). Built field by field rather
 * than by reflection so renaming a Java field can never silently change what other tools read.
 */
public final class JsonReport {
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(Diagnosis d) {
        try {
            return MAPPER.writeValueAsString(toTree(d));
        } catch (Exception e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    public static ObjectNode toTree(Diagnosis d) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("hang", d.hangFound());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : d.findings()) {
            ObjectNode o = findings.addObject();
            o.put("signature", f.signature());
            o.put("category", f.category().id());
            o.put("title", f.title());
            o.put("confidence", f.confidence());
            if (f.rootCause() == null) {
                o.putNull("rootCause");
            } else {
                ref(o.putObject("rootCause"), f.rootCause());
            }
            o.put("blocker", f.blocker());
            if (f.rootCauseResource() == null) {
                o.putNull("rootCauseWaitsFor");
            } else {
                o.put("rootCauseWaitsFor", f.rootCauseResource());
            }
            ArrayNode victims = o.putArray("victims");
            f.victims().forEach(v -> ref(victims.addObject(), v));
            strings(o.putArray("chain"), f.chain());
            strings(o.putArray("evidence"), f.evidence());
            o.put("explanation", f.explanation());
            ObjectNode fix = o.putObject("fix");
            Finding.Fix fx = f.fix() == null ? new Finding.Fix(List.of(), List.of(), List.of(), null) : f.fix();
            strings(fix.putArray("kernels"), fx.kernels());
            strings(fix.putArray("commits"), fx.commits());
            strings(fix.putArray("links"), fx.links());
            if (fx.note() == null) {
                fix.putNull("note");
            } else {
                fix.put("note", fx.note());
            }
            strings(o.putArray("remediation"), f.remediation());
        }
        ObjectNode tasks = root.putObject("tasks");
        tasks.put("total", d.taskCount());
        ObjectNode byState = tasks.putObject("byState");
        d.tasksByState().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> byState.put(e.getKey(), e.getValue()));
        ArrayNode groups = root.putArray("stackGroups");
        for (StackGroup g : d.stackGroups()) {
            ObjectNode o = groups.addObject();
            o.put("state", g.state().letter());
            o.put("count", g.count());
            o.put("headline", g.headline());
            if (g.role() == null) {
                o.putNull("role");
            } else {
                o.put("role", g.role());
            }
            if (g.waitsFor() == null) {
                o.putNull("waitsFor");
            } else {
                o.put("waitsFor", g.waitsFor());
            }
            ArrayNode ts = o.putArray("tasks");
            g.tasks().forEach(t -> ref(ts.addObject(), t));
            ArrayNode frames = o.putArray("frames");
            for (Frame f : g.frames()) {
                ObjectNode fo = frames.addObject();
                fo.put("function", f.function());
                if (f.module() != null) {
                    fo.put("module", f.module());
                }
                if (!f.location().isEmpty()) {
                    fo.put("location", f.location());
                }
                if (f.unreliable()) {
                    fo.put("unreliable", true);
                }
                if (f.context() != dev.hangdoctor.model.StackContext.TASK) {
                    fo.put("context", f.context().name().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        if (d.kernelVersion() == null) {
            root.putNull("kernelVersion");
        } else {
            root.put("kernelVersion", d.kernelVersion());
        }
        strings(root.putArray("formats"), d.formats());
        strings(root.putArray("logLines"), d.logLines());
        strings(root.putArray("goroutines"), d.goroutines());
        strings(root.putArray("warnings"), d.warnings());
        strings(root.putArray("history"), d.history());
        ObjectNode graph = root.putObject("graph");
        ArrayNode nodes = graph.putArray("nodes");
        for (GraphView.Node n : d.graph().nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("id", n.id());
            o.put("kind", n.kind());
            o.put("label", n.label());
            if (n.role() == null) {
                o.putNull("role");
            } else {
                o.put("role", n.role());
            }
            o.put("count", n.count());
            ArrayNode ts = o.putArray("tasks");
            n.tasks().forEach(t -> ref(ts.addObject(), t));
        }
        ArrayNode edges = graph.putArray("edges");
        for (GraphView.Edge e : d.graph().edges()) {
            edges.addObject().put("from", e.from()).put("to", e.to()).put("kind", e.kind());
        }
        ObjectNode host = root.putObject("host");
        d.hostFacts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> host.put(e.getKey(), e.getValue()));
        ArrayNode cgs = root.putArray("memoryCgroups");
        for (MemCgroup c : d.memCgroups()) {
            ObjectNode o = cgs.addObject();
            o.put("path", c.path());
            o.put("version", c.version());
            putLong(o, "usageBytes", c.usageBytes());
            putLong(o, "limitBytes", c.limitBytes());
            o.put("unlimited", c.unlimited());
            if (c.underOom() != null) {
                o.put("underOom", c.underOom());
            }
            if (c.oomKillDisable() != null) {
                o.put("oomKillDisable", c.oomKillDisable());
            }
            putLong(o, "failcnt", c.failcnt());
            putLong(o, "oomKills", c.oomKills());
            ArrayNode pids = o.putArray("pids");
            c.pids().forEach(pids::add);
        }
        ArrayNode fuse = root.putArray("fuseConnections");
        for (FuseConnection c : d.fuseConnections()) {
            ObjectNode o = fuse.addObject();
            o.put("id", c.id());
            putLong(o, "waiting", c.waiting());
            strings(o.putArray("mountPoints"), c.mountPoints());
            if (c.fsType() != null) {
                o.put("fsType", c.fsType());
            }
            ArrayNode pids = o.putArray("daemonPids");
            c.daemonPids().forEach(pids::add);
        }
        return root;
    }

    private static void putLong(ObjectNode o, String name, Long v) {
        if (v == null) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    private static void ref(ObjectNode o, TaskRef r) {
        if (r.pid() < 0) {
            o.putNull("pid"); // a stack the evidence did not name a task for
        } else {
            o.put("pid", r.pid());
        }
        if (r.comm() == null) {
            o.putNull("comm");
        } else {
            o.put("comm", r.comm());
        }
    }

    private static void strings(ArrayNode a, List<String> items) {
        items.forEach(a::add);
    }
}
