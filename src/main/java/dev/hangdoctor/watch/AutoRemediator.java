package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.act.Action;
import dev.hangdoctor.act.AuditLog;
import dev.hangdoctor.act.RemediationPlanner;
import dev.hangdoctor.act.SafetyGuard;
import dev.hangdoctor.act.Verification;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.model.Evidence;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Takes the knowledge base's remedy for an incident, through the same classes as `hangdoctor fix --yes`: the
 * {@link RemediationPlanner} with its {@link SafetyGuard}, each action's precheck, apply and observe, one
 * {@link AuditLog} line per action, and {@link Verification} against the next full scan. Each incident is acted on
 * at most once; automatic remediation only for signatures the config names, or on an authorised API request.
 */
final class AutoRemediator {
    /** The result label of hangdoctor_remediations_total. */
    static final List<String> RESULTS = List.of("done", "refused", "failed");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path stateDir;
    private final IncidentTracker tracker;
    private final WatchMetrics metrics;
    private final Consumer<String> log;
    /** Incidents acted on, awaiting verification by the next scan. */
    private final Map<Incident, ActedOn> pending = new HashMap<>();

    /** The diagnosis a remedy was planned from, and the key of the finding it was for. */
    private record ActedOn(Diagnosis before, String findingKey) {
    }

    AutoRemediator(Path root, Path stateDir, IncidentTracker tracker, WatchMetrics metrics, Consumer<String> log) {
        this.root = root;
        this.stateDir = stateDir;
        this.tracker = tracker;
        this.metrics = metrics;
        this.log = log;
    }

    /** Verifies the remedies taken after the previous scan against this one. */
    void verify(Diagnosis after) {
        for (Map.Entry<Incident, ActedOn> e : pending.entrySet()) {
            List<Verification.Outcome> outcomes = Verification.compare(e.getValue().before(), after,
                    Set.of(e.getValue().findingKey()));
            ArrayNode a = JSON.createArrayNode();
            for (Verification.Outcome o : outcomes) {
                a.addObject().put("signature", o.signature()).put("verdict", o.verdict()).put("detail", o.detail())
                        .put("time", Instant.now().toString());
                log.accept("incident " + e.getKey().id() + ": verify " + o.verdict() + " (" + o.detail() + ")");
            }
            tracker.recordVerification(e.getKey(), a);
        }
        pending.clear();
    }

    /**
     * Plans and takes the remedies for these incidents (each one at most once); returns how many were taken. Each
     * incident is planned for its own finding only ({@link IncidentTracker#findingOf}), so every action planned is
     * that incident's, however the finding is keyed.
     */
    int act(List<Incident> incidents, Diagnosis d, Evidence ev) {
        int done = 0;
        for (Incident i : incidents) {
            if (!i.actions.isEmpty() || !i.open()) {
                continue;
            }
            Finding f = IncidentTracker.findingOf(i, d, ev);
            if (f == null) {
                // not in this scan with its own blocker (resolving, or now blocked by something else): nothing to
                // act on yet, and nothing recorded, so a later scan that shows it again may still act
                log.accept("incident " + i.id() + ": its blocker is not in this scan, no remedy taken");
                continue;
            }
            RemediationPlanner.Plan plan = new RemediationPlanner(root, new SafetyGuard(root.resolve("proc")),
                    Set.of(), null).plan(List.of(f), ev);
            for (Action a : plan.actions()) {
                if (take(i, a)) {
                    done++;
                }
            }
            if (!plan.actions().isEmpty()) {
                pending.put(i, new ActedOn(d, f.key()));
            } else {
                String why = plan.notes().isEmpty() ? f.signature() + ": no remedy planned" : plan.notes().get(0);
                ObjectNode o = JSON.createObjectNode();
                o.put("time", Instant.now().toString()).put("action", (String) null).put("result", "none: " + why);
                tracker.recordAction(i, o);
                log.accept("incident " + i.id() + ": " + why);
            }
        }
        return done;
    }

    private boolean take(Incident i, Action a) {
        String before = a.observe();
        String refused = a.precheck();
        String result;
        String after = null;
        boolean done = false;
        if (refused != null) {
            result = "refused: " + refused;
        } else {
            try {
                a.apply();
                result = "done";
                done = true;
            } catch (Exception ex) {
                result = "failed: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            after = a.observe();
        }
        try {
            new AuditLog(stateDir).record(a, before, after, result);
        } catch (Exception e) {
            log.accept("audit log not written: " + e.getMessage());
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("time", Instant.now().toString()).put("action", a.id()).put("summary", a.summary()).put("result", result)
                .put("before", before).put("after", after);
        ArrayNode cmds = o.putArray("commands");
        a.commands().forEach(cmds::add);
        tracker.recordAction(i, o);
        metrics.remediation(a.id(), result.startsWith("done") ? "done" : result.startsWith("refused") ? "refused" : "failed");
        log.accept("incident " + i.id() + ": [" + a.id() + "] " + result + ": " + a.summary());
        return done;
    }
}
