package dev.hangdoctor.act;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Runs one action the one way every caller (fix, the agent's auto-remediation, the OOM guard) runs it: observe,
 * precheck, write the intent ("attempting") to the audit log before the host changes, apply, observe again, and write
 * the outcome. A crash between the intent and the outcome still leaves a trace of what was being done. A dry run
 * writes the plan as one "dry-run" line and changes nothing.
 */
public final class ActionRunner {
    /** What happens when the intent line cannot be written. */
    public enum Intent {
        /** No trace, no action: the action is refused. */
        REQUIRED,
        /**
         * Act anyway and say so: for the OOM guard, whose kill keeps the kernel out of a memcg deadlock and is worth
         * more than its audit line (a full disk must not turn the guard off).
         */
        BEST_EFFORT
    }

    /** Why an action was refused when its intent could not be written. */
    public static final String NO_INTENT = "the audit log cannot be written";

    private final AuditLog audit;
    private final Intent intent;
    private final Duration settle;
    private final Consumer<String> warn;
    /** Why every action is refused (the audit log could not even be opened), or null. */
    private final String refuseAll;
    /**
     * Whether the precheck also runs before the intent is written, so that a step refused at once leaves one line
     * instead of two. Every action's apply() checks again right before it acts; the guard, racing a filling cgroup,
     * keeps to that one check.
     */
    private final boolean checkFirst;

    /**
     * @param audit  where intents and outcomes go; null runs without an audit log (tests, a guard without state)
     * @param settle how long to let the kernel settle before observing the state after (fix waits; the guard not)
     * @param warn   told, in one line, of every audit line that could not be written
     */
    public ActionRunner(AuditLog audit, Intent intent, Duration settle, Consumer<String> warn) {
        this(audit, intent, settle, warn, null, true);
    }

    private ActionRunner(AuditLog audit, Intent intent, Duration settle, Consumer<String> warn, String refuseAll,
                         boolean checkFirst) {
        this.audit = audit;
        this.intent = intent;
        this.settle = settle;
        this.warn = warn;
        this.refuseAll = refuseAll;
        this.checkFirst = checkFirst;
    }

    /** A runner that refuses every action with this reason: for a caller whose audit log could not be opened. */
    public static ActionRunner refusing(String why) {
        return new ActionRunner(null, Intent.REQUIRED, Duration.ZERO, w -> { }, why, true);
    }

    /**
     * The OOM guard's runner: best-effort intent, no settling, and only the action's own check right before the
     * signal (a second full re-check would cost the race against the filling cgroup), so a kill refused there is an
     * intent line and a refusal.
     */
    public static ActionRunner forGuard(AuditLog audit, Consumer<String> warn) {
        return new ActionRunner(audit, Intent.BEST_EFFORT, Duration.ZERO, warn, null, false);
    }

    /** Runs the action, with the state before it read from the action itself. */
    public ActionOutcome run(Action a) {
        return run(a, a.observe());
    }

    /**
     * Runs the action; {@code before} is the state the caller judged it on (the guard's usage and rate). An action
     * whose own last-moment check refuses ({@code apply} throwing "refused: ...") is refused, not failed: every
     * {@link Action#apply} re-checks its precheck itself, right before it acts.
     */
    public ActionOutcome run(Action a, String before) {
        String refused = refuseAll != null ? refuseAll : checkFirst ? a.precheck() : null;
        if (refused != null) {
            return finish(a, ActionOutcome.Status.REFUSED, refused, before, null);
        }
        if (!write(a, before, null, "attempting") && intent == Intent.REQUIRED) {
            return finish(a, ActionOutcome.Status.REFUSED, NO_INTENT, before, null);
        }
        ActionOutcome.Status status = ActionOutcome.Status.DONE;
        String detail = null;
        try {
            a.apply();
        } catch (Exception ex) {
            String why = oneLine(ex);
            status = why.startsWith("refused: ") ? ActionOutcome.Status.REFUSED : ActionOutcome.Status.FAILED;
            detail = status == ActionOutcome.Status.REFUSED ? why.substring("refused: ".length()) : why;
        }
        if (!settle.isZero()) {
            try {
                Thread.sleep(settle.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return finish(a, status, detail, before, a.observe());
    }

    /** The dry run: records the plan (one "dry-run" line, no intent, no outcome) and touches nothing else. */
    public ActionOutcome dryRun(Action a, String before) {
        return finish(a, ActionOutcome.Status.DRY_RUN, null, before, null);
    }

    /**
     * Records a refusal the caller decided before asking the action (the guard's "the members hold too little of the
     * usage"): one "refused: ..." line, nothing touched.
     */
    public ActionOutcome refuse(Action a, String before, String why) {
        return finish(a, ActionOutcome.Status.REFUSED, why, before, null);
    }

    /** Loads and runs the bookkeeping of an outcome without writing a line: a cold first run costs class loading. */
    public void warmUp(Action a) {
        new ActionOutcome(a, ActionOutcome.Status.DRY_RUN, null, "warm-up", null, Instant.now(), null).result();
        if (audit != null) {
            audit.warmUp(a);
        }
    }

    private ActionOutcome finish(Action a, ActionOutcome.Status status, String detail, String before, String after) {
        Action undo = status == ActionOutcome.Status.DONE ? a.undo() : null;
        ActionOutcome o = new ActionOutcome(a, status, detail, before, after, Instant.now(), undo);
        write(a, before, after, o.result());
        return o;
    }

    /** Writes one audit line; false (and one warning) when it could not be written. No audit log: nothing to write. */
    private boolean write(Action a, String before, String after, String result) {
        if (audit == null) {
            return true;
        }
        try {
            audit.record(a, before, after, result);
            return true;
        } catch (IOException | RuntimeException ex) {
            warn.accept("audit log " + audit.file() + ": " + oneLine(ex));
            return false;
        }
    }

    private static String oneLine(Exception ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
