package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.report.JsonReport;
import dev.hangdoctor.report.TerminalReport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns the stream of full-scan diagnoses into incidents: a finding not yet open opens one (with the scan's bundle and
 * the diagnosis as JSON and text), a finding still there updates it, and an open incident that {@code resolveAfter}
 * scans in a row no longer show is resolved. A finding matches an open incident by key (signature + blocker pid and
 * start time, or the blocker in words), else by signature and shared stuck pids, so a hang whose blocker the
 * diagnosis names differently from one scan to the next stays one incident. Retention (count, bytes) removes the
 * oldest resolved incidents first. All methods are thread-safe.
 */
public final class IncidentTracker {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** What one scan changed. */
    public record Changes(List<Incident> opened, List<Incident> updated, List<Incident> resolved) {
    }

    private final IncidentStore store;
    private final int resolveAfter;
    private final int maxIncidents;
    private final long maxBytes;
    private final Consumer<String> warn;
    private final List<Incident> all = new ArrayList<>();
    private int seq;

    public IncidentTracker(IncidentStore store, int resolveAfter, int maxIncidents, long maxBytes, Consumer<String> warn) {
        this.store = store;
        this.resolveAfter = resolveAfter;
        this.maxIncidents = maxIncidents;
        this.maxBytes = maxBytes;
        this.warn = warn;
        all.addAll(store.load(warn));
        seq = all.size();
    }

    /** Applies one full scan's diagnosis. {@code scanBundle} is the scan's saved evidence (moved into a new incident). */
    public synchronized Changes apply(Diagnosis d, Evidence ev, Path scanBundle, List<String> triggers, Instant now) {
        return apply(d, ev, () -> scanBundle, triggers, now);
    }

    /**
     * Applies one full scan's diagnosis; {@code scanBundle} gives the scan's saved evidence (moved into a new
     * incident) and is asked only when an incident opens: the agent writes a bundle to disk only then.
     */
    public synchronized Changes apply(Diagnosis d, Evidence ev, java.util.function.Supplier<Path> scanBundle,
                                      List<String> triggers, Instant now) {
        List<Incident> opened = new ArrayList<>();
        List<Incident> updated = new ArrayList<>();
        List<Incident> resolved = new ArrayList<>();
        Set<Incident> seen = new HashSet<>();
        Path sharedBundle = null;
        String diagJson = null;
        String diagText = null;
        for (Finding f : d.findings()) {
            String key = key(f, ev);
            Set<Integer> pids = pids(f);
            Incident match = null;
            for (Incident i : all) {
                if (i.open() && !seen.contains(i) && i.key.equals(key)) {
                    match = i;
                    break;
                }
            }
            if (match == null) {
                for (Incident i : all) {
                    if (i.open() && !seen.contains(i) && sharesTasks(i, f)) {
                        match = i;
                        break;
                    }
                }
            }
            if (match != null) {
                seen.add(match);
                match.lastSeenAt = now;
                match.updates++;
                match.misses = 0;
                describe(match, f, ev, pids);
                updated.add(match);
                save(match);
                continue;
            }
            Incident i = new Incident(newId(now), key, f.signature(), f.category() == null ? null : f.category().id(), f.title(),
                    d.kernelVersion(), now, triggers);
            describe(i, f, ev, pids);
            seen.add(i);
            if (diagJson == null) {
                diagJson = JsonReport.render(d);
                diagText = new TerminalReport(false).render(d);
            }
            try {
                store.create(i, diagJson, diagText, sharedBundle == null ? scanBundle.get() : null, sharedBundle);
                if (sharedBundle == null) {
                    sharedBundle = store.bundle(i.id());
                }
            } catch (IOException | RuntimeException e) {
                warn.accept("incident " + i.id() + ": not stored (" + e.getMessage() + ")");
            }
            all.add(i);
            opened.add(i);
        }
        for (Incident i : all) {
            if (i.open() && !seen.contains(i)) {
                i.misses++;
                if (i.misses >= resolveAfter) {
                    i.state = "resolved";
                    i.resolvedAt = now;
                    resolved.add(i);
                }
                save(i);
            }
        }
        if (!opened.isEmpty()) {
            retain(Set.copyOf(opened));
        }
        if (!opened.isEmpty() || !resolved.isEmpty() || !updated.isEmpty()) {
            index();
        }
        return new Changes(opened, updated, resolved);
    }

    /** Records a remedy taken (or refused) for an incident. */
    public synchronized void recordAction(Incident i, ObjectNode action) {
        i.actions.add(action);
        save(i);
        index();
    }

    /** Records the verification of the remedies after the next scan. */
    public synchronized void recordVerification(Incident i, ArrayNode outcomes) {
        i.verification = outcomes;
        save(i);
        index();
    }

    /** Open incidents, oldest first. */
    public synchronized List<Incident> open() {
        return all.stream().filter(Incident::open).toList();
    }

    /** Every incident as its JSON, newest first. */
    public synchronized List<ObjectNode> list() {
        List<ObjectNode> out = new ArrayList<>(all.size());
        for (int k = all.size() - 1; k >= 0; k--) {
            out.add(all.get(k).toJson());
        }
        return out;
    }

    /** One incident's JSON, or null. */
    public synchronized ObjectNode get(String id) {
        for (Incident i : all) {
            if (i.id.equals(id)) {
                return i.toJson();
            }
        }
        return null;
    }

    /** Open incidents counted by (signature, category, kernel version), for the metrics. */
    public synchronized Map<List<String>, Integer> openBySignature() {
        Map<List<String>, Integer> out = new TreeMap<>((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
        for (Incident i : all) {
            if (i.open()) {
                out.merge(List.of(i.signature, i.category == null ? "other" : i.category,
                        i.kernelVersion == null ? "unknown" : i.kernelVersion), 1, Integer::sum);
            }
        }
        return out;
    }

    public synchronized int size() {
        return all.size();
    }

    public IncidentStore store() {
        return store;
    }

    /**
     * The finding of a diagnosis that is incident {@code i}'s hang with the blocker the incident names: the same
     * {@link #key} (signature + blocker pid and start time). A finding that only shares stuck tasks continues the
     * incident in {@link #apply}, but may name another blocker (another daemon, another cgroup): a remedy asked for
     * this incident is not taken against that one. Null when the diagnosis does not show it.
     */
    static Finding findingOf(Incident i, Diagnosis d, Evidence ev) {
        for (Finding f : d.findings()) {
            if (i.key.equals(key(f, ev))) {
                return f;
            }
        }
        return null;
    }

    private static boolean sharesTasks(Incident i, Finding f) {
        return i.signature.equals(f.signature()) && !Collections.disjoint(i.stuckPids, pids(f));
    }

    /** Identity of a hang: signature + blocker (pid and start time when a task, its description otherwise). */
    static String key(Finding f, Evidence ev) {
        String who;
        if (f.rootCause() != null && f.rootCause().pid() > 0) {
            Task t = ev == null ? null : ev.taskOrNull(f.rootCause().pid());
            Long start = t == null ? null : t.startTime();
            who = "pid:" + f.rootCause().pid() + (start == null ? "" : "@" + start);
        } else {
            who = "blocker:" + (f.blocker() == null ? "?" : f.blocker());
        }
        return f.signature() + "|" + who;
    }

    static Set<Integer> pids(Finding f) {
        Set<Integer> s = new LinkedHashSet<>();
        if (f.rootCause() != null && f.rootCause().pid() > 0) {
            s.add(f.rootCause().pid());
        }
        for (TaskRef v : f.victims()) {
            if (v.pid() > 0 && s.size() < Incident.MAX_PIDS) {
                s.add(v.pid());
            }
        }
        return s;
    }

    private static void describe(Incident i, Finding f, Evidence ev, Set<Integer> pids) {
        i.blocker = f.blocker();
        if (f.rootCause() != null && f.rootCause().pid() > 0) {
            i.rootPid = f.rootCause().pid();
            i.rootComm = f.rootCause().comm();
            Task t = ev == null ? null : ev.taskOrNull(f.rootCause().pid());
            i.rootStartTime = t == null ? null : t.startTime();
        }
        i.stuckTasks = f.victims().size() + (f.rootCause() != null ? 1 : 0);
        i.stuckPids.addAll(pids);
        while (i.stuckPids.size() > Incident.MAX_PIDS) {
            i.stuckPids.remove(i.stuckPids.iterator().next());
        }
        i.summary = Summary.line(f, Integer.MAX_VALUE);
        i.pods.clear();
        for (dev.hangdoctor.model.ContainerRef c : dev.hangdoctor.diagnose.FindingPods.of(f)) {
            if (i.pods.size() < dev.hangdoctor.diagnose.FindingPods.MAX_NAMED * 4) {
                i.pods.add(c.describe());
            }
        }
    }

    private String newId(Instant now) {
        seq++;
        return ID_TIME.format(now) + "-" + String.format("%04d", seq % 10_000);
    }

    /** Oldest resolved first, then oldest open; never the incidents just opened. */
    private void retain(Set<Incident> keep) {
        long bytes = all.stream().mapToLong(Incident::bytes).sum();
        List<Incident> order = new ArrayList<>();
        all.stream().filter(i -> !i.open()).forEach(order::add);
        all.stream().filter(Incident::open).forEach(order::add);
        for (Incident victim : order) {
            if (all.size() <= maxIncidents && bytes <= maxBytes) {
                break;
            }
            if (keep.contains(victim)) {
                continue;
            }
            store.delete(victim);
            all.remove(victim);
            bytes -= victim.bytes();
        }
    }

    private void save(Incident i) {
        try {
            store.save(i);
        } catch (IOException | RuntimeException e) {
            warn.accept("incident " + i.id() + ": not saved (" + e.getMessage() + ")");
        }
    }

    private void index() {
        try {
            store.writeIndex(all);
        } catch (IOException | RuntimeException e) {
            warn.accept("incident index not written (" + e.getMessage() + ")");
        }
    }
}
