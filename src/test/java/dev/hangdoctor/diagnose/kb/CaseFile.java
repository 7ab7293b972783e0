package dev.hangdoctor.diagnose.kb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.Goroutine;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import dev.hangdoctor.model.UffdHandle;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test cases of one rule, read from kb/cases/<rule-id>.yaml: evidence described by hand (stacks pasted from real
 * traces) and what the rule must say about it. Only a test helper: the real parsers live in the parse package.
 */
final class CaseFile {
    private static final YAMLMapper YAML = new YAMLMapper();
    /** crash bt: "#2 [ffff9f53ff35bc98] jbd2_journal_commit_transaction at ffffffffc01fe8b0 [jbd2]" */
    private static final Pattern CRASH = Pattern.compile("^#\\d+\\s+\\[[0-9a-f]+\\]\\s+(\\S+?)(?:\\+\\w+)?\\s+at\\s+\\S+(?:\\s+\\[(\\S+)\\])?");
    /** /proc/PID/stack and hung-task traces: "[<ffffffffba3da5f5>] wait_iff_congested+0x135/0x150", "? fn+0x1/0x2 [mod]" */
    private static final Pattern PROC = Pattern.compile("^(?:\\[<[0-9a-fx]+>\\]\\s*)?(\\?\\s+)?([A-Za-z_][\\w.]*)\\+0x[0-9a-f]+/0x[0-9a-f]+(?:\\s+\\[(\\S+)\\])?");
    private static final Pattern EXCEPTION = Pattern.compile("^\\[exception RIP: ([A-Za-z_][\\w.]*)\\+\\d+\\]");
    private static final Pattern BARE = Pattern.compile("^[A-Za-z_][\\w.]*$");

    record Case(String name, boolean match, Evidence evidence, List<Integer> blockers, List<Integer> victims,
                String verdict, Double minConfidence, Double maxConfidence) {
    }

    private CaseFile() {
    }

    static List<Case> load(String ruleId) throws IOException {
        String res = "kb/cases/" + ruleId + ".yaml";
        try (InputStream in = CaseFile.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) {
                return List.of();
            }
            JsonNode root = YAML.readTree(in);
            List<Case> out = new ArrayList<>();
            java.util.Map<String, JsonNode> byName = new java.util.HashMap<>();
            for (JsonNode c : root.path("cases")) {
                byName.put(c.path("name").asText(), c);
                if (c.has("sameAs")) {
                    // "sameAs: <case name>": the same tasks and events under other conditions (kernel, ...)
                    JsonNode base = byName.get(c.get("sameAs").asText());
                    com.fasterxml.jackson.databind.node.ObjectNode o = ((com.fasterxml.jackson.databind.node.ObjectNode) c);
                    for (String k : List.of("tasks", "events", "memcgs", "fuse", "uffds", "goroutines", "text")) {
                        if (!o.has(k) && base.has(k)) {
                            o.set(k, base.get(k));
                        }
                    }
                }
                out.add(parseCase(c));
            }
            return out;
        }
    }

    static Case parseCase(JsonNode c) {
        Evidence ev = new Evidence();
        if (c.has("kernel")) {
            ev.host().kernelRelease(c.get("kernel").asText());
        }
        for (JsonNode t : c.path("tasks")) {
            Task task = new Task(t.get("pid").asInt())
                    .comm(t.path("comm").asText(null))
                    .state(TaskState.parse(t.path("state").asText(null)))
                    .frames(stack(t.path("stack").asText(""), t.path("stackCutAtEnd").asBoolean(false)));
            if (t.has("ppid")) task.ppid(t.get("ppid").asInt());
            if (t.has("shdPnd")) task.shdPnd(Long.parseLong(t.get("shdPnd").asText(), 16));
            if (t.has("sigPnd")) task.sigPnd(Long.parseLong(t.get("sigPnd").asText(), 16));
            if (t.has("journalInfo")) task.journalInfo(Long.parseUnsignedLong(t.get("journalInfo").asText().replace("0x", ""), 16));
            if (t.has("blockedSeconds")) task.blockedSeconds(t.get("blockedSeconds").asLong());
            if (t.has("workqueue")) task.workqueue(t.get("workqueue").asText());
            if (t.has("flags")) task.flags(Long.parseLong(t.get("flags").asText().replace("0x", ""), 16));
            int copies = t.path("copies").asInt(1);
            ev.addTask(task);
            for (int i = 1; i < copies; i++) {
                ev.addTask(task.withPid(task.pid() + i));
            }
        }
        for (JsonNode e : c.path("events")) {
            ev.addEvent(new KernelEvent(KernelEventKind.valueOf(e.get("kind").asText()),
                    e.has("timestamp") ? e.get("timestamp").asDouble() : null,
                    e.has("pid") ? e.get("pid").asInt() : null, e.path("comm").asText(null),
                    e.has("cpu") ? e.get("cpu").asInt() : null, null, e.get("message").asText(), "case"));
        }
        for (JsonNode m : c.path("memcgs")) {
            List<Integer> pids = new ArrayList<>();
            m.path("pids").forEach(p -> pids.add(p.asInt()));
            ev.addMemCgroup(new MemCgroup(m.get("path").asText(), m.path("version").asInt(1),
                    m.has("usage") ? m.get("usage").asLong() : null, m.has("limit") ? m.get("limit").asLong() : null,
                    false, m.has("underOom") ? m.get("underOom").asBoolean() : null,
                    m.has("oomKillDisable") ? m.get("oomKillDisable").asBoolean() : null, null, null, null, null, pids));
        }
        for (JsonNode f : c.path("fuse")) {
            ev.addFuseConnection(new FuseConnection(f.get("id").asInt(), f.get("waiting").asLong(),
                    List.of(f.path("mount").asText("/mnt")), f.path("fsType").asText(null), List.of()));
        }
        for (JsonNode u : c.path("uffds")) {
            ev.addUffd(new UffdHandle(u.get("pid").asInt(), u.get("fd").asInt(), u.get("pending").asLong(), null, null));
        }
        // "handedIn: true": evidence handed to analyze as a hang's report; "live: true": read from a running host
        if (c.path("handedIn").asBoolean(false)) {
            ev.savedReport(true);
        }
        if (c.path("live").asBoolean(false)) {
            ev.live(true);
        }
        // the words of a report handed in: the case is then one (analyze), not a live scan
        for (JsonNode l : c.path("text")) {
            ev.addReportText(l.asText());
            ev.savedReport(true);
        }
        for (JsonNode g : c.path("goroutines")) {
            List<String> fns = new ArrayList<>();
            g.path("functions").forEach(f -> fns.add(f.asText()));
            ev.addGoroutine(new Goroutine(g.get("id").asLong(), g.get("reason").asText(),
                    g.has("minutes") ? g.get("minutes").asLong() : null, fns, null));
        }
        return new Case(c.get("name").asText(), c.get("expect").asText().equals("match"), ev,
                ints(c.path("blockers")), ints(c.path("victims")), c.path("verdict").asText(null),
                c.has("minConfidence") ? c.get("minConfidence").asDouble() : null,
                c.has("maxConfidence") ? c.get("maxConfidence").asDouble() : null);
    }

    private static List<Integer> ints(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asInt()));
        return out;
    }

    /** Frames from pasted trace lines (crash bt, /proc/PID/stack, hung-task Call Trace) or bare function names. */
    /** "stackCutAtEnd: true": the paste ended inside the last frame's line, as the parser marks it. */
    static List<Frame> stack(String text, boolean cutAtEnd) {
        List<Frame> frames = stack(text);
        if (cutAtEnd && !frames.isEmpty()) {
            frames.set(frames.size() - 1, frames.get(frames.size() - 1).cutShort());
        }
        return frames;
    }

    static List<Frame> stack(String text) {
        List<Frame> frames = new ArrayList<>();
        StackContext ctx = StackContext.TASK;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("---") || line.startsWith("<")) {
                continue;
            }
            Matcher m = EXCEPTION.matcher(line);
            if (m.find()) {
                frames.add(new Frame(m.group(1), "", null, false, StackContext.EXCEPTION));
                continue;
            }
            m = CRASH.matcher(line);
            if (m.find()) {
                frames.add(new Frame(m.group(1), "", m.group(2), false, ctx));
                continue;
            }
            m = PROC.matcher(line);
            if (m.find()) {
                frames.add(new Frame(m.group(2), "", m.group(3), m.group(1) != null, ctx));
                continue;
            }
            if (BARE.matcher(line).matches()) {
                frames.add(Frame.of(line));
            }
        }
        return frames;
    }
}
