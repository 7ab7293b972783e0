package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One hang as the agent saw it over time: opened once when a finding first appears, updated while scans keep showing
 * it, resolved when they no longer do. Identified by {@code key} (finding signature + blocker identity); stored as
 * incident.json beside its diagnosis and evidence bundle. Mutable, and only ever touched under the tracker's lock.
 */
public final class Incident {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_PIDS = 200;

    final String id;
    final String key;
    final String signature;
    final String category;
    final String title;
    final String kernelVersion;
    final Instant openedAt;
    final List<String> triggers;
    String state = "open";
    Instant lastSeenAt;
    Instant resolvedAt;
    int updates;
    int misses;
    String blocker;
    Integer rootPid;
    String rootComm;
    Long rootStartTime;
    int stuckTasks;
    Set<Integer> stuckPids = new LinkedHashSet<>();
    String summary;
    /** Pods and containers of the stuck tasks, blocker's first (labels for people and tickets, never for metrics). */
    final List<String> pods = new java.util.ArrayList<>();
    long bytes;
    final ArrayNode actions = JSON.createArrayNode();
    ArrayNode verification = JSON.createArrayNode();

    Incident(String id, String key, String signature, String category, String title, String kernelVersion,
             Instant openedAt, List<String> triggers) {
        this.id = id;
        this.key = key;
        this.signature = signature;
        this.category = category;
        this.title = title;
        this.kernelVersion = kernelVersion;
        this.openedAt = openedAt;
        this.lastSeenAt = openedAt;
        this.triggers = List.copyOf(triggers);
    }

    public String id() { return id; }
    public String key() { return key; }
    public String signature() { return signature; }
    public String category() { return category; }
    public String kernelVersion() { return kernelVersion; }
    public boolean open() { return state.equals("open"); }
    public Instant openedAt() { return openedAt; }
    public Instant lastSeenAt() { return lastSeenAt; }
    public Instant resolvedAt() { return resolvedAt; }
    public int updates() { return updates; }
    public int stuckTasks() { return stuckTasks; }
    public String summary() { return summary; }
    public long bytes() { return bytes; }

    /** The incident.json document (schema version 1). */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("schemaVersion", 1);
        o.put("id", id);
        o.put("key", key);
        o.put("state", state);
        o.put("signature", signature);
        o.put("category", category);
        o.put("title", title);
        o.put("kernelVersion", kernelVersion);
        o.put("summary", summary);
        o.put("openedAt", openedAt.toString());
        o.put("lastSeenAt", lastSeenAt.toString());
        o.put("resolvedAt", resolvedAt == null ? null : resolvedAt.toString());
        o.put("updates", updates);
        o.put("misses", misses);
        o.put("blocker", blocker);
        if (rootPid == null) {
            o.putNull("rootCause");
        } else {
            ObjectNode r = o.putObject("rootCause");
            r.put("pid", rootPid);
            r.put("comm", rootComm);
            r.put("startTime", rootStartTime);
        }
        o.put("stuckTasks", stuckTasks);
        pods.forEach(o.putArray("pods")::add);
        ArrayNode pids = o.putArray("stuckPids");
        stuckPids.forEach(pids::add);
        ArrayNode t = o.putArray("triggers");
        triggers.forEach(t::add);
        o.set("actions", actions.deepCopy());
        o.set("verification", verification.deepCopy());
        o.put("bytes", bytes);
        return o;
    }

    /** Reads incident.json back; throws IllegalArgumentException when required fields are missing. */
    static Incident fromJson(JsonNode o) {
        String id = text(o, "id");
        String key = text(o, "key");
        String sig = text(o, "signature");
        String opened = text(o, "openedAt");
        if (id == null || key == null || sig == null || opened == null) {
            throw new IllegalArgumentException("incident.json without id, key, signature or openedAt");
        }
        List<String> triggers = new ArrayList<>();
        o.path("triggers").forEach(n -> triggers.add(n.asText()));
        Incident i = new Incident(id, key, sig, text(o, "category"), text(o, "title"), text(o, "kernelVersion"),
                Instant.parse(opened), triggers);
        i.state = "resolved".equals(text(o, "state")) ? "resolved" : "open";
        i.lastSeenAt = text(o, "lastSeenAt") == null ? i.openedAt : Instant.parse(text(o, "lastSeenAt"));
        i.resolvedAt = text(o, "resolvedAt") == null ? null : Instant.parse(text(o, "resolvedAt"));
        i.updates = o.path("updates").asInt();
        i.misses = o.path("misses").asInt();
        i.blocker = text(o, "blocker");
        JsonNode r = o.path("rootCause");
        if (r.isObject()) {
            i.rootPid = r.path("pid").isNumber() ? r.get("pid").asInt() : null;
            i.rootComm = text(r, "comm");
            i.rootStartTime = r.path("startTime").isNumber() ? r.get("startTime").asLong() : null;
        }
        i.stuckTasks = o.path("stuckTasks").asInt();
        o.path("stuckPids").forEach(n -> i.stuckPids.add(n.asInt()));
        i.summary = text(o, "summary");
        o.path("pods").forEach(n -> i.pods.add(n.asText()));
        if (o.path("actions").isArray()) {
            o.get("actions").forEach(n -> i.actions.add(n.deepCopy()));
        }
        if (o.path("verification").isArray()) {
            i.verification = (ArrayNode) o.get("verification").deepCopy();
        }
        i.bytes = o.path("bytes").asLong();
        return i;
    }

    private static String text(JsonNode o, String f) {
        JsonNode n = o.get(f);
        return n == null || n.isNull() ? null : n.asText();
    }
}
