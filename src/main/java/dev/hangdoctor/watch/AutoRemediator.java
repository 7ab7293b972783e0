package dev.hangdoctor.watch;

import dev.hangdoctor.act.Action;
import dev.hangdoctor.act.ActionOutcome;
import dev.hangdoctor.act.ActionRunner;
import dev.hangdoctor.act.AuditLog;
import dev.hangdoctor.act.RemediationPlanner;
import dev.hangdoctor.act.SafetyGuard;
import dev.hangdoctor.act.Verification;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.report.FixJsonView;
import dev.hangdoctor.report.FixTextView;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Takes the knowledge base's remedy for an incident, through the same classes as `hangdoctor fix --yes`: the
 * {@link RemediationPlanner} with its {@link SafetyGuard}, the {@link ActionRunner} (the intent in the
 * {@link AuditLog} before acting, then the outcome; no audit log, no action), and {@link Verification} against the
 * next full scan. The incident records each step and check in the JSON shape `fix --json` uses. Each incident is
 * acted on at most once; automatic remediation only for signatures the config names, or on an authorised API request.
 */
final class AutoRemediator {
    /** The result label of hangdoctor_remediations_total. */
    static final List<String> RESULTS = List.of("done", "refused", "failed");
    /** How long the kernel gets after an action before its effect is read back (as in fix). */
    private static final Duration SETTLE = Duration.ofMillis(200);

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
            outcomes.forEach(o -> log.accept("incident " + e.getKey().id() + ": verify " + FixTextView.check(o)));
            tracker.recordVerification(e.getKey(), FixJsonView.checks(outcomes, Instant.now()));
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
            ActionRunner runner = plan.actions().isEmpty() ? null : runner();
            for (Action a : plan.actions()) {
                if (take(i, runner, a)) {
                    done++;
                }
            }
            if (!plan.actions().isEmpty()) {
                pending.put(i, new ActedOn(d, f.key()));
            } else {
                String why = plan.notes().isEmpty() ? f.signature() + ": no remedy planned" : plan.notes().get(0);
                tracker.recordAction(i, FixJsonView.noRemedy(why, Instant.now()));
                log.accept("incident " + i.id() + ": " + why);
            }
        }
        return done;
    }

    /** A runner over the audit log; when the log cannot be opened, one that refuses every action (no trace, no act). */
    private ActionRunner runner() {
        Consumer<String> warn = w -> log.accept("warning: " + w);
        try {
            return new ActionRunner(new AuditLog(stateDir), ActionRunner.Intent.REQUIRED, SETTLE, warn);
        } catch (IOException | RuntimeException e) {
            return ActionRunner.refusing("the audit log cannot be opened: " + e.getMessage());
        }
    }

    private boolean take(Incident i, ActionRunner runner, Action a) {
        ActionOutcome o = runner.run(a);
        tracker.recordAction(i, FixJsonView.step(o));
        metrics.remediation(a.id(), switch (o.status()) {
            case DONE -> "done";
            case REFUSED -> "refused";
            default -> "failed";
        });
        log.accept("incident " + i.id() + ": " + FixTextView.headline(o));
        return o.done();
    }
}
