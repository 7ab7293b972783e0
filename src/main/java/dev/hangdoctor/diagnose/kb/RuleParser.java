package dev.hangdoctor.diagnose.kb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.ResourceKind;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one rule file (YAML, or JSON of the same shape) into a {@link Rule}. Strict on purpose: an unknown key
 * is a typo an ops person should hear about, not a silently ignored condition.
 */
final class RuleParser {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private static final Set<String> RULE_KEYS = Set.of("id", "title", "category", "severity", "kernel", "signals",
            "explanation", "fix", "remediation", "supersedes", "exposure", "actions", "needsDuration",
            "fallback", "maxConfidence", "handedInOnly");
    private static final Set<String> EXPOSURE_KEYS = Set.of("ranges", "stillReported", "note", "factors");
    private static final Set<String> FACTOR_KEYS = Set.of("fact", "atLeast", "says");
    private static final Set<String> KERNEL_KEYS = Set.of("ranges", "required");
    private static final Set<String> FIX_KEYS = Set.of("kernels", "commits", "links", "note");
    private static final Set<String> SIGNAL_KEYS = Set.of("id", "role", "required", "oneOf", "absent", "weight",
            "alternativeOf",
            "frames", "anyFrame", "noFrame", "anyModule", "states", "comm", "workqueue", "kernelThread",
            "killPending", "journalHandle", "blockedAtLeast", "waitsFor", "events", "message", "atLeast", "sameKey", "memcg", "fuse", "uffd", "goroutine",
            "text");
    private static final Set<String> TASK_KEYS = Set.of("frames", "anyFrame", "noFrame", "anyModule", "states", "comm",
            "workqueue", "kernelThread", "killPending", "journalHandle", "blockedAtLeast", "waitsFor");
    private static final Set<String> EVENT_KEYS = Set.of("events", "message", "atLeast", "sameKey");

    private RuleParser() {
    }

    /** Parses file text; {@code json} picks the JSON reader. Throws IllegalArgumentException saying what is wrong. */
    static Rule parse(String text, boolean json, String source) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty file");
        }
        JsonNode root;
        try {
            root = (json ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new IllegalArgumentException("invalid " + (json ? "JSON" : "YAML") + where + ": "
                    + firstLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException("empty file");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("a rule file must hold one mapping (id, title, category, signals, ...)");
        }
        return rule(root, source);
    }

    private static Rule rule(JsonNode n, String source) {
        checkKeys(n, RULE_KEYS, "rule");
        String id = requiredText(n, "id", "rule");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad id '" + id + "': use lower-case letters, digits and '-'");
        }
        String title = requiredText(n, "title", "rule " + id);
        Category category;
        try {
            category = Category.fromId(requiredText(n, "category", "rule " + id));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (one of " + categoryIds() + ")");
        }
        Severity severity = n.has("severity") ? Severity.fromId(text(n, "severity")) : Severity.HIGH;

        List<VersionRange> ranges = new ArrayList<>();
        boolean kernelRequired = false;
        JsonNode k = n.get("kernel");
        if (k != null && !k.isNull()) {
            if (!k.isObject()) {
                throw new IllegalArgumentException("'kernel' must be a mapping with 'ranges' and 'required'");
            }
            checkKeys(k, KERNEL_KEYS, "kernel");
            for (String r : stringList(k, "ranges")) {
                ranges.add(VersionRange.parse(r));
            }
            kernelRequired = bool(k, "required", false);
            if (kernelRequired && ranges.isEmpty()) {
                throw new IllegalArgumentException("kernel.required is true but no kernel.ranges are given");
            }
        }

        JsonNode sigs = n.get("signals");
        if (sigs == null || !sigs.isArray() || sigs.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " has no 'signals' list");
        }
        List<Signal> signals = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode s : sigs) {
            Signal sig = signal(s, signals.size() + 1);
            if (!ids.add(sig.id())) {
                throw new IllegalArgumentException("signal id '" + sig.id() + "' used twice");
            }
            if (sig.alternativeOf() != null) {
                Signal of = signals.stream().filter(o -> o.id().equals(sig.alternativeOf())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("signal '" + sig.id() + "': alternativeOf '"
                                + sig.alternativeOf() + "' is not an earlier signal of this rule"));
                if (of.absent() || of.alternativeOf() != null) {
                    throw new IllegalArgumentException("signal '" + sig.id() + "': alternativeOf must name a signal"
                            + " that is neither absent nor itself an alternative");
                }
            }
            signals.add(sig);
        }
        boolean anchored = signals.stream().anyMatch(s -> !s.absent() && (s.required() || s.oneOf() != null));
        if (!anchored) {
            throw new IllegalArgumentException("rule " + id
                    + " needs at least one signal with 'required: true' or 'oneOf', or it would match anything");
        }

        Finding.Fix fix = null;
        JsonNode f = n.get("fix");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) {
                throw new IllegalArgumentException("'fix' must be a mapping (kernels, commits, links, note)");
            }
            checkKeys(f, FIX_KEYS, "fix");
            fix = new Finding.Fix(stringList(f, "kernels"), stringList(f, "commits"), stringList(f, "links"),
                    f.has("note") ? text(f, "note").trim() : null);
        }
        String explanation = n.has("explanation") ? text(n, "explanation").trim() : "";
        return new Rule(id, title.trim(), category, severity, ranges, kernelRequired, signals, explanation, fix,
                stringList(n, "remediation"), stringList(n, "supersedes"), source, exposure(n.get("exposure")),
                actions(n), n.has("needsDuration") && n.get("needsDuration").asBoolean(false), bool(n, "fallback", false),
                maxConfidence(n), bool(n, "handedInOnly", false));
    }

    private static Double maxConfidence(JsonNode n) {
        if (!n.has("maxConfidence")) {
            return null;
        }
        double v = n.get("maxConfidence").asDouble(-1);
        if (!n.get("maxConfidence").isNumber() || v <= 0 || v > 1) {
            throw new IllegalArgumentException("maxConfidence must be a number above 0 and at most 1");
        }
        return v;
    }

    /** Remedies `hangdoctor fix` may take for this problem, by id; unknown ids are an error, not a silent no-op. */
    private static List<String> actions(JsonNode n) {
        List<String> ids = stringList(n, "actions");
        for (String id : ids) {
            if (!RemedyIds.ALL.contains(id)) {
                throw new IllegalArgumentException("unknown action '" + id + "' (known: " + String.join(", ",
                        RemedyIds.ALL) + ")");
            }
        }
        return ids;
    }

    private static Exposure exposure(JsonNode e) {
        if (e == null || e.isNull()) {
            return Exposure.NONE;
        }
        if (!e.isObject()) {
            throw new IllegalArgumentException("'exposure' must be a mapping (ranges, stillReported, note, factors)");
        }
        checkKeys(e, EXPOSURE_KEYS, "exposure");
        List<VersionRange> ranges = new ArrayList<>();
        for (String r : stringList(e, "ranges")) {
            ranges.add(VersionRange.parse(r));
        }
        List<VersionRange> reported = new ArrayList<>();
        for (String r : stringList(e, "stillReported")) {
            reported.add(VersionRange.parse(r));
        }
        List<Exposure.RiskFactor> factors = new ArrayList<>();
        JsonNode fs = e.get("factors");
        if (fs != null && !fs.isNull()) {
            if (!fs.isArray()) {
                throw new IllegalArgumentException("exposure.factors must be a list");
            }
            int i = 0;
            for (JsonNode f : fs) {
                i++;
                String what = "exposure factor " + i;
                if (!f.isObject()) {
                    throw new IllegalArgumentException(what + " is not a mapping (fact, atLeast, says)");
                }
                checkKeys(f, FACTOR_KEYS, what);
                String fact = requiredText(f, "fact", what).trim();
                String says = requiredText(f, "says", what).trim();
                JsonNode least = f.get("atLeast");
                long atLeast = 1;
                if (least != null) {
                    if (!least.canConvertToLong()) {
                        throw new IllegalArgumentException(what + ": atLeast must be a whole number");
                    }
                    atLeast = least.asLong();
                }
                factors.add(new Exposure.RiskFactor(fact, atLeast, says));
            }
        }
        String note = e.has("note") ? text(e, "note").trim() : null;
        return new Exposure(ranges, reported, note, factors);
    }

    private static Signal signal(JsonNode s, int index) {
        if (!s.isObject()) {
            throw new IllegalArgumentException("signal " + index + " is not a mapping");
        }
        String id = s.has("id") ? text(s, "id") : "signal-" + index;
        String what = "signal '" + id + "'";
        checkKeys(s, SIGNAL_KEYS, what);
        Role role = s.has("role") ? Role.fromId(text(s, "role")) : Role.CONTEXT;
        boolean required = bool(s, "required", false);
        String oneOf = s.has("oneOf") ? text(s, "oneOf") : null;
        boolean absent = bool(s, "absent", false);
        String alternativeOf = s.has("alternativeOf") ? text(s, "alternativeOf") : null;
        if (absent && (required || oneOf != null || alternativeOf != null)) {
            throw new IllegalArgumentException(what + ": 'absent' cannot be combined with 'required', 'oneOf' or"
                    + " 'alternativeOf'");
        }
        int weight = s.has("weight") ? s.get("weight").asInt(-1) : 1;
        if (weight < 1 || weight > 100) {
            throw new IllegalArgumentException(what + ": weight must be a whole number from 1 to 100");
        }

        int kinds = 0;
        Signal.TaskTest task = null;
        Signal.EventTest event = null;
        Signal.MemcgTest memcg = null;
        Signal.FuseTest fuse = null;
        Signal.UffdTest uffd = null;
        Signal.GoroutineTest goroutine = null;
        if (TASK_KEYS.stream().anyMatch(s::has)) {
            kinds++;
            task = taskTest(s, what);
        }
        if (EVENT_KEYS.stream().anyMatch(s::has)) {
            kinds++;
            event = eventTest(s, what);
        }
        if (s.has("memcg")) {
            kinds++;
            JsonNode m = object(s, "memcg", what);
            checkKeys(m, Set.of("underOom", "fillAtLeast", "oomKillDisable"), what + " memcg");
            Double fill = m.has("fillAtLeast") ? m.get("fillAtLeast").asDouble() : null;
            memcg = new Signal.MemcgTest(m.has("underOom") ? bool(m, "underOom", true) : null, fill,
                    m.has("oomKillDisable") ? bool(m, "oomKillDisable", true) : null);
        }
        if (s.has("fuse")) {
            kinds++;
            JsonNode m = object(s, "fuse", what);
            checkKeys(m, Set.of("waitingAtLeast"), what + " fuse");
            fuse = new Signal.FuseTest(m.path("waitingAtLeast").asLong(1));
        }
        if (s.has("uffd")) {
            kinds++;
            JsonNode m = object(s, "uffd", what);
            checkKeys(m, Set.of("pendingAtLeast"), what + " uffd");
            uffd = new Signal.UffdTest(m.path("pendingAtLeast").asLong(1));
        }
        if (s.has("goroutine")) {
            kinds++;
            JsonNode m = object(s, "goroutine", what);
            checkKeys(m, Set.of("waitMinutesAtLeast", "function"), what + " goroutine");
            goroutine = new Signal.GoroutineTest(m.has("waitMinutesAtLeast") ? m.get("waitMinutesAtLeast").asLong() : null,
                    m.has("function") ? regex(text(m, "function"), what) : null);
        }
        Signal.TextTest words = null;
        if (s.has("text")) {
            kinds++;
            words = new Signal.TextTest(regex(text(s, "text"), what));
        }
        if (kinds == 0) {
            throw new IllegalArgumentException(what + " tests nothing: give frames/comm/..., events, memcg, fuse, uffd, goroutine or text");
        }
        if (kinds > 1) {
            throw new IllegalArgumentException(what + " mixes task, event and live-object tests: split it into several signals");
        }
        return new Signal(id, role, required, oneOf, absent, weight, task, event, memcg, fuse, uffd, goroutine,
                alternativeOf, words);
    }

    private static Signal.TaskTest taskTest(JsonNode s, String what) {
        Set<TaskState> states = null;
        if (s.has("states")) {
            states = EnumSet.noneOf(TaskState.class);
            for (String st : stringList(s, "states")) {
                TaskState t = TaskState.parse(st);
                if (t == TaskState.UNKNOWN) {
                    throw new IllegalArgumentException(what + ": unknown task state '" + st + "' (R, S, D, T, Z, I, ...)");
                }
                states.add(t);
            }
        }
        Long blocked = s.has("blockedAtLeast") ? s.get("blockedAtLeast").asLong() : null;
        ResourceKind waitsFor = null;
        if (s.has("waitsFor")) {
            String w = text(s, "waitsFor");
            try {
                waitsFor = ResourceKind.valueOf(w.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(what + ": unknown wait '" + w + "' (one of "
                        + List.of(ResourceKind.values()) + ")");
            }
        }
        return new Signal.TaskTest(names(s, "frames", what), names(s, "anyFrame", what), names(s, "noFrame", what),
                Set.copyOf(names(s, "anyModule", what)), states, s.has("comm") ? regex(text(s, "comm"), what) : null, optBool(s, "kernelThread"),
                optBool(s, "killPending"), optBool(s, "journalHandle"), blocked, waitsFor,
                s.has("workqueue") ? regex(text(s, "workqueue"), what) : null);
    }

    private static Signal.EventTest eventTest(JsonNode s, String what) {
        List<String> names = stringList(s, "events");
        if (names.isEmpty()) {
            throw new IllegalArgumentException(what + ": 'message', 'atLeast' and 'sameKey' need an 'events' list");
        }
        Set<KernelEventKind> kinds = EnumSet.noneOf(KernelEventKind.class);
        for (String e : names) {
            try {
                kinds.add(KernelEventKind.valueOf(e.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(what + ": unknown event kind '" + e + "' (one of "
                        + List.of(KernelEventKind.values()) + ")");
            }
        }
        int atLeast = s.has("atLeast") ? s.get("atLeast").asInt(0) : 1;
        if (atLeast < 1) {
            throw new IllegalArgumentException(what + ": atLeast must be 1 or more");
        }
        return new Signal.EventTest(kinds, s.has("message") ? regex(text(s, "message"), what) : null, atLeast,
                s.has("sameKey") ? regex(text(s, "sameKey"), what) : null);
    }

    private static List<String> names(JsonNode s, String key, String what) {
        List<String> list = stringList(s, key);
        for (String f : list) {
            if (f.isBlank() || f.indexOf(' ') >= 0) {
                throw new IllegalArgumentException(what + ": '" + f + "' in " + key + " is not a function name");
            }
        }
        return list;
    }

    private static Pattern regex(String r, String what) {
        try {
            return Pattern.compile(r);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(what + ": bad regular expression '" + r + "': " + e.getDescription());
        }
    }

    private static void checkKeys(JsonNode n, Set<String> allowed, String what) {
        Set<String> unknown = new LinkedHashSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(what + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
    }

    private static JsonNode object(JsonNode n, String key, String what) {
        JsonNode v = n.get(key);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException(what + ": '" + key + "' must be a mapping");
        }
        return v;
    }

    private static String requiredText(JsonNode n, String key, String what) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || (v.isValueNode() && v.asText().isBlank())) {
            throw new IllegalArgumentException(what + ": missing '" + key + "'");
        }
        return text(n, key);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("'" + key + "' must be a single value, not a list or mapping");
        }
        return v.asText();
    }

    private static List<String> stringList(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isValueNode()) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("'" + key + "' must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isValueNode()) {
                throw new IllegalArgumentException("'" + key + "' must be a list of plain values");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static boolean bool(JsonNode n, String key, boolean dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("'" + key + "' must be true or false");
        }
        return v.asBoolean();
    }

    private static Boolean optBool(JsonNode n, String key) {
        return n.has(key) ? bool(n, key, true) : null;
    }

    private static String categoryIds() {
        List<String> ids = new ArrayList<>();
        for (Category c : Category.values()) {
            ids.add(c.id());
        }
        return String.join(", ", ids);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
