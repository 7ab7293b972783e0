package dev.hangdoctor.watch;

import dev.hangdoctor.config.DurationText;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything `hangdoctor watch` can be told, from a YAML file (keys as in {@link #fromMap}) with command-line
 * overrides on top. Unknown keys are an error, so a typo never silently turns a safety switch off.
 *
 * <pre>
 * interval: 1s            # cheap sample period
 * stuckAfter: 10s         # a task in D (or a FUSE/uffd wait, a memcg under_oom) this long triggers a full scan
 * listen: 127.0.0.1:9462  # HTTP API and /metrics; "off" disables
 * stateDir: /var/lib/hangdoctor
 * threadReadsPerInterval: 1000  # threads read per interval for the whole host (round robin; D ones always)
 * scan: {window: 1s, deadline: 8s, rescanEvery: 3s, cooldown: 30s, resolveAfter: 2}
 * kmsg: {device: /dev/kmsg, hold: 30s}
 * retention: {maxIncidents: 200, maxBytes: 512MiB}
 * remediate: {enabled: false, signatures: [hung-fuse-daemon]}
 * api: {allowActions: false, tokenFile: /etc/hangdoctor/token}
 * rules: [/etc/hangdoctor/rules]
 * guard: {...}            # handed to the OOM guard as is
 * </pre>
 */
public record WatchConfig(
        Duration interval,
        Duration stuckAfter,
        String listen,
        Path stateDir,
        int threadReadsPerInterval,
        Duration scanWindow,
        Duration scanDeadline,
        Duration rescanEvery,
        Duration cooldown,
        int resolveAfter,
        Path kmsgDevice,
        Duration kmsgHold,
        int maxIncidents,
        long maxBytes,
        boolean remediate,
        Set<String> remediateSignatures,
        boolean allowActions,
        Path tokenFile,
        List<Path> rules,
        Map<String, Object> guard,
        Path root) {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB|K|M|G|KB|MB|GB)");
    private static final Set<String> TOP = Set.of("interval", "stuckAfter", "listen", "stateDir", "threadReadsPerInterval",
            "scan", "kmsg", "retention", "remediate", "api", "rules", "guard");

    public WatchConfig {
        remediateSignatures = Set.copyOf(remediateSignatures);
        rules = List.copyOf(rules);
        guard = guard == null ? null : Map.copyOf(guard);
    }

    /** The defaults: 1 s samples, 10 s threshold, loopback API, nothing acts. */
    public static WatchConfig defaults() {
        return new WatchConfig(Duration.ofSeconds(1), Duration.ofSeconds(10), "127.0.0.1:9462",
                Path.of("/var/lib/hangdoctor"), 1000, Duration.ofSeconds(1), Duration.ofSeconds(8),
                Duration.ofSeconds(3), Duration.ofSeconds(30), 2, Path.of("/dev/kmsg"), Duration.ofSeconds(30),
                200, 512L << 20, false, Set.of(), false, null, List.of(), null, Path.of("/"));
    }

    /** Reads a YAML config file; an empty file gives the defaults. */
    public static WatchConfig load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return defaults();
        }
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(bytes, Object.class);
        if (tree == null) {
            return defaults();
        }
        if (!(tree instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(file + ": expected a mapping at the top");
        }
        try {
            return fromMap(stringKeys(m, "top level"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Builds a config from a parsed YAML mapping, starting from the defaults. */
    public static WatchConfig fromMap(Map<String, Object> m) {
        unknown(m.keySet(), TOP, "");
        WatchConfig d = defaults();
        Map<String, Object> scan = section(m, "scan", Set.of("window", "deadline", "rescanEvery", "cooldown", "resolveAfter"));
        Map<String, Object> kmsg = section(m, "kmsg", Set.of("device", "hold"));
        Map<String, Object> ret = section(m, "retention", Set.of("maxIncidents", "maxBytes"));
        Map<String, Object> rem = section(m, "remediate", Set.of("enabled", "signatures"));
        Map<String, Object> api = section(m, "api", Set.of("allowActions", "tokenFile"));
        Map<String, Object> guard = m.containsKey("guard") ? section(m, "guard", null) : null;
        if (guard != null) {
            // a typo in the guard's section must stop the agent at start, not leave containers unguarded
            dev.hangdoctor.guard.GuardConfig.fromMap(guard);
        }
        WatchConfig c = new WatchConfig(
                duration(m, "interval", d.interval()),
                duration(m, "stuckAfter", d.stuckAfter()),
                m.containsKey("listen") ? String.valueOf(m.get("listen")) : d.listen(),
                m.containsKey("stateDir") ? Path.of(String.valueOf(m.get("stateDir"))) : d.stateDir(),
                (int) number(m, "threadReadsPerInterval", d.threadReadsPerInterval()),
                duration(scan, "scan.window", "window", d.scanWindow()),
                duration(scan, "scan.deadline", "deadline", d.scanDeadline()),
                duration(scan, "scan.rescanEvery", "rescanEvery", d.rescanEvery()),
                duration(scan, "scan.cooldown", "cooldown", d.cooldown()),
                (int) number(scan, "resolveAfter", d.resolveAfter()),
                kmsg.containsKey("device") ? devicePath(kmsg.get("device")) : d.kmsgDevice(),
                duration(kmsg, "kmsg.hold", "hold", d.kmsgHold()),
                (int) number(ret, "maxIncidents", d.maxIncidents()),
                ret.containsKey("maxBytes") ? size(ret.get("maxBytes")) : d.maxBytes(),
                bool(rem, "remediate.enabled", "enabled", false),
                new TreeSet<>(strings(rem.get("signatures"), "remediate.signatures")),
                bool(api, "api.allowActions", "allowActions", false),
                api.get("tokenFile") == null ? null : Path.of(String.valueOf(api.get("tokenFile"))),
                strings(m.get("rules"), "rules").stream().map(Path::of).toList(),
                guard, d.root());
        return c.validated();
    }

    /** Checks the numbers make sense together; returns this. */
    public WatchConfig validated() {
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("interval " + interval.toMillis() + " ms: at least 10 ms");
        }
        if (stuckAfter.toMillis() < 1000) {
            throw new IllegalArgumentException("stuckAfter " + stuckAfter.toMillis() + " ms: at least 1 s");
        }
        if (threadReadsPerInterval < 100) {
            throw new IllegalArgumentException("threadReadsPerInterval: at least 100");
        }
        if (resolveAfter < 1 || maxIncidents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("scan.resolveAfter, retention.maxIncidents and retention.maxBytes must"
                    + " be positive");
        }
        if (scanDeadline.compareTo(scanWindow) <= 0) {
            throw new IllegalArgumentException("scan.deadline must be longer than scan.window");
        }
        if (allowActions && tokenFile == null) {
            throw new IllegalArgumentException("api.allowActions needs api.tokenFile");
        }
        listenAddress(); // throws when malformed
        return this;
    }

    /** Host and port of {@link #listen}, or null when the API is off. */
    public java.net.InetSocketAddress listenAddress() {
        if (listen == null || listen.equals("off") || listen.isBlank()) {
            return null;
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("listen " + listen + ": expected HOST:PORT");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen " + listen + ": bad port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen " + listen + ": bad port");
        }
        return new java.net.InetSocketAddress(host, port);
    }

    public WatchConfig withInterval(Duration v) { return copy(v, stuckAfter, listen, stateDir, root); }
    public WatchConfig withStuckAfter(Duration v) { return copy(interval, v, listen, stateDir, root); }
    public WatchConfig withListen(String v) { return copy(interval, stuckAfter, v, stateDir, root); }
    public WatchConfig withStateDir(Path v) { return copy(interval, stuckAfter, listen, v, root); }
    /** The host root to read (tests point it at a fixture tree). */
    public WatchConfig withRoot(Path v) { return copy(interval, stuckAfter, listen, stateDir, v); }

    public WatchConfig withKmsgDevice(Path v) {
        return new WatchConfig(interval, stuckAfter, listen, stateDir, threadReadsPerInterval, scanWindow, scanDeadline,
                rescanEvery, cooldown, resolveAfter, v, kmsgHold, maxIncidents, maxBytes, remediate, remediateSignatures,
                allowActions, tokenFile, rules, guard, root);
    }

    public WatchConfig withScan(Duration window, Duration rescan, int resolve) {
        return new WatchConfig(interval, stuckAfter, listen, stateDir, threadReadsPerInterval, window, scanDeadline,
                rescan, cooldown, resolve, kmsgDevice, kmsgHold, maxIncidents, maxBytes, remediate, remediateSignatures,
                allowActions, tokenFile, rules, guard, root);
    }

    public WatchConfig withRetention(int count, long bytes) {
        return new WatchConfig(interval, stuckAfter, listen, stateDir, threadReadsPerInterval, scanWindow, scanDeadline,
                rescanEvery, cooldown, resolveAfter, kmsgDevice, kmsgHold, count, bytes, remediate, remediateSignatures,
                allowActions, tokenFile, rules, guard, root);
    }

    public WatchConfig withActions(boolean allow, Path token) {
        return new WatchConfig(interval, stuckAfter, listen, stateDir, threadReadsPerInterval, scanWindow, scanDeadline,
                rescanEvery, cooldown, resolveAfter, kmsgDevice, kmsgHold, maxIncidents, maxBytes, remediate,
                remediateSignatures, allow, token, rules, guard, root);
    }

    public WatchConfig withRemediation(boolean on, Set<String> signatures) {
        return new WatchConfig(interval, stuckAfter, listen, stateDir, threadReadsPerInterval, scanWindow, scanDeadline,
                rescanEvery, cooldown, resolveAfter, kmsgDevice, kmsgHold, maxIncidents, maxBytes, on, signatures,
                allowActions, tokenFile, rules, guard, root);
    }

    private WatchConfig copy(Duration i, Duration s, String l, Path d, Path r) {
        return new WatchConfig(i, s, l, d, threadReadsPerInterval, scanWindow, scanDeadline, rescanEvery, cooldown,
                resolveAfter, kmsgDevice, kmsgHold, maxIncidents, maxBytes, remediate, remediateSignatures, allowActions,
                tokenFile, rules, guard, r);
    }

    /** Whether auto-remediation is on for this finding signature. */
    public boolean remediates(String signature) {
        return remediate && remediateSignatures.contains(signature);
    }

    // ---- YAML helpers

    private static Path devicePath(Object v) {
        String s = String.valueOf(v);
        return s.equals("off") || s.equals("false") ? null : Path.of(s);
    }

    private static Map<String, Object> section(Map<String, Object> m, String key, Set<String> known) {
        Object v = m.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> sub)) {
            throw new IllegalArgumentException(key + ": expected a mapping");
        }
        Map<String, Object> out = stringKeys(sub, key);
        if (known != null) {
            unknown(out.keySet(), known, key + ".");
        }
        return out;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static void unknown(Set<String> keys, Set<String> known, String prefix) {
        for (String k : keys) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown key " + prefix + k + " (known: " + String.join(", ",
                        new TreeSet<>(known)) + ")");
            }
        }
    }

    private static Duration duration(Map<String, Object> m, String key, Duration dflt) {
        return duration(m, key, key, dflt);
    }

    private static Duration duration(Map<String, Object> m, String name, String key, Duration dflt) {
        Object v = m.get(key);
        return v == null ? dflt : parseDuration(String.valueOf(v), name);
    }

    /** "10s", "500ms", "2m", "1h", or a bare number of seconds. */
    public static Duration parseDuration(String s, String name) {
        return DurationText.parse(s, "s", name);
    }

    /** "512MiB", "2GiB", "1048576", "100M" (binary units either way). */
    public static long size(Object v) {
        String s = String.valueOf(v).trim();
        Matcher mt = SIZE.matcher(s);
        if (!mt.matches()) {
            throw new IllegalArgumentException("retention.maxBytes: '" + s + "' is not a size (examples: 512MiB, 2GiB)");
        }
        long n = Long.parseLong(mt.group(1));
        return switch (mt.group(2).toUpperCase(Locale.ROOT)) {
            case "K", "KB", "KIB" -> n << 10;
            case "M", "MB", "MIB" -> n << 20;
            case "G", "GB", "GIB" -> n << 30;
            default -> n;
        };
    }

    private static long number(Map<String, Object> m, String key, long dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a number");
        }
    }

    private static boolean bool(Map<String, Object> m, String name, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(name + ": expected true or false, not '" + v + "'");
    }

    private static List<String> strings(Object v, String name) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
            return out;
        }
        if (v instanceof String s) {
            out.add(s);
            return out;
        }
        throw new IllegalArgumentException(name + ": expected a list");
    }
}
