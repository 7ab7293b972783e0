package dev.hangdoctor.watch;

import dev.hangdoctor.config.ConfigYaml;
import dev.hangdoctor.config.GuardSettings;
import dev.hangdoctor.config.NearestNames;
import dev.hangdoctor.config.WatchSettings;
import dev.hangdoctor.guard.GuardConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything `hangdoctor watch` can be told, from a YAML file ({@link WatchSettings}) with command-line
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
 * remediate: {enabled: false, signatures: [fuse-daemon-hung]}
 * api: {allowActions: false, tokenFile: /etc/hangdoctor/token}
 * rules: [/etc/hangdoctor/rules]
 * guard: {...}            # the OOM guard's section ({@link GuardSettings})
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
        GuardSettings guard,
        Path root) {

    public WatchConfig {
        remediateSignatures = Set.copyOf(remediateSignatures);
        rules = List.copyOf(rules);
    }

    /** The defaults: 1 s samples, 10 s threshold, loopback API, nothing acts. */
    public static WatchConfig defaults() {
        return new WatchConfig(Duration.ofSeconds(1), Duration.ofSeconds(10), "127.0.0.1:9462",
                Path.of("/var/lib/hangdoctor"), 1000, Duration.ofSeconds(1), Duration.ofSeconds(8),
                Duration.ofSeconds(3), Duration.ofSeconds(30), 2, Path.of("/dev/kmsg"), Duration.ofSeconds(30),
                200, 512L << 20, false, Set.of(), false, null, List.of(), null, Path.of("/"));
    }

    /** Reads a YAML config file; an empty file gives the defaults. Mistakes are one line naming file, line and key. */
    public static WatchConfig load(Path file) throws IOException {
        try {
            return from(ConfigYaml.read(file, WatchSettings.class));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw m.startsWith(file.toString()) ? e : new IllegalArgumentException(file + ": " + m, e);
        }
    }

    /** Builds a config from a parsed YAML mapping (tests), starting from the defaults. */
    public static WatchConfig fromMap(Map<String, Object> m) {
        return from(ConfigYaml.bind(m, WatchSettings.class, ""));
    }

    /** Applies the bound file over the defaults and checks the result; null is the defaults. */
    public static WatchConfig from(WatchSettings s) {
        WatchConfig d = defaults();
        if (s == null) {
            return d;
        }
        WatchSettings.Scan scan = or(s.scan(), new WatchSettings.Scan(null, null, null, null, null));
        WatchSettings.Kmsg kmsg = or(s.kmsg(), new WatchSettings.Kmsg(null, null));
        WatchSettings.Retention ret = or(s.retention(), new WatchSettings.Retention(null, null));
        WatchSettings.Remediate rem = or(s.remediate(), new WatchSettings.Remediate(null, null));
        WatchSettings.Api api = or(s.api(), new WatchSettings.Api(null, null));
        if (s.guard() != null) {
            // a typo in the guard's section must stop the agent at start, not leave containers unguarded
            GuardConfig.from(s.guard());
        }
        return new WatchConfig(
                or(s.interval(), d.interval()),
                or(s.stuckAfter(), d.stuckAfter()),
                or(s.listen(), d.listen()),
                s.stateDir() == null ? d.stateDir() : Path.of(s.stateDir()),
                or(s.threadReadsPerInterval(), d.threadReadsPerInterval()),
                or(scan.window(), d.scanWindow()),
                or(scan.deadline(), d.scanDeadline()),
                or(scan.rescanEvery(), d.rescanEvery()),
                or(scan.cooldown(), d.cooldown()),
                or(scan.resolveAfter(), d.resolveAfter()),
                kmsg.device() == null ? d.kmsgDevice() : devicePath(kmsg.device()),
                or(kmsg.hold(), d.kmsgHold()),
                or(ret.maxIncidents(), d.maxIncidents()),
                or(ret.maxBytes(), d.maxBytes()),
                or(rem.enabled(), false),
                new TreeSet<>(or(rem.signatures(), List.of())),
                or(api.allowActions(), false),
                api.tokenFile() == null ? null : Path.of(api.tokenFile()),
                or(s.rules(), List.<String>of()).stream().map(Path::of).toList(),
                s.guard(), d.root()).validated();
    }

    private static <T> T or(T v, T dflt) {
        return v == null ? dflt : v;
    }

    /**
     * Refuses remediation signatures the knowledge base does not know: one line naming the unknown id and the nearest
     * known ones, since a misspelt id would otherwise leave a hang alone that the operator asked to have fixed.
     */
    public void checkSignatures(Collection<String> knownIds) {
        for (String sig : remediateSignatures) {
            if (!knownIds.contains(sig)) {
                throw new IllegalArgumentException("remediate.signatures: unknown signature '" + sig + "' (nearest known: "
                        + String.join(", ", NearestNames.of(sig, knownIds, 3)) + ")");
            }
        }
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

    /** Extra knowledge-base directories (the site's rules). */
    public WatchConfig withRules(List<Path> dirs) {
        return new WatchConfig(interval, stuckAfter, listen, stateDir, threadReadsPerInterval, scanWindow, scanDeadline,
                rescanEvery, cooldown, resolveAfter, kmsgDevice, kmsgHold, maxIncidents, maxBytes, remediate,
                remediateSignatures, allowActions, tokenFile, dirs, guard, root);
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

    private static Path devicePath(String s) {
        return s.equals("off") || s.equals("false") ? null : Path.of(s);
    }
}
