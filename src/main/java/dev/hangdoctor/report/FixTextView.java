package dev.hangdoctor.report;

import dev.hangdoctor.act.Action;
import dev.hangdoctor.act.ActionOutcome;
import dev.hangdoctor.act.FixResult;
import dev.hangdoctor.act.RemediationPlanner;
import dev.hangdoctor.act.Verification;

/**
 * The terminal view of `fix`, in the three parts the command prints as it goes (the plan before anything happens,
 * what was done and verified, what was put back), so an operator sees the steps before they are taken.
 */
public final class FixTextView {
    private final boolean colour;

    public FixTextView(boolean colour) {
        this.colour = colour;
    }

    /** Everything at once. */
    public String render(FixResult r) {
        return plan(r) + acted(r) + restored(r);
    }

    /** The diagnosis, the plan, the memcg ladder and, for a dry run, that nothing was changed. */
    public String plan(FixResult r) {
        StringBuilder sb = new StringBuilder(new TerminalReport(colour).render(r.diagnosis())).append('\n');
        plan(sb, r.plan());
        for (FixResult.Ladder l : r.ladder()) {
            sb.append("  ladder for ").append(l.finding()).append(": 1. ").append(l.first())
                    .append(", verify; 2. only if the hang is still there: ").append(l.ifStillStuck()).append('\n');
        }
        if (r.dryRun() && r.diagnosis().hangFound()) {
            sb.append(r.plan().actions().isEmpty() ? "Nothing to do automatically."
                    : "Dry run: nothing was changed. Run again with --yes to take these steps.").append('\n');
        }
        return sb.toString();
    }

    /** The plan made again (when the diagnosis had aged), each step's outcome, the verification, the second rung. */
    public String acted(FixResult r) {
        StringBuilder sb = new StringBuilder();
        if (r.replan() != null) {
            sb.append("The diagnosis was older than ").append(r.rediagnosedAfter().toMillis())
                    .append(" ms; diagnosed again:\n");
            plan(sb, r.replan());
        }
        if (r.results() == null) {
            return sb.toString();
        }
        r.results().forEach(o -> sb.append(step(o)));
        checks(sb, r, false);
        if (r.climbed() != null) {
            sb.append("Still stuck after the raise: the next step of the ladder\n");
            r.climbed().forEach(o -> sb.append(step(o)));
            r.climbNotes().forEach(n -> sb.append("  note: ").append(n).append('\n'));
            checks(sb, r, true);
        }
        return sb.toString();
    }

    /** The raised limits put back (or why not), and where the audit log is. */
    public String restored(FixResult r) {
        StringBuilder sb = new StringBuilder();
        if (r.restored() != null) {
            r.restored().forEach(o -> sb.append(step(o)));
        }
        if (r.auditLog() != null) {
            sb.append("Audit log: ").append(r.auditLog()).append('\n');
        }
        return sb.toString();
    }

    /** One step's outcome: "[id] result: summary", then the state before and after. */
    public static String step(ActionOutcome o) {
        return headline(o) + "\n    before: " + o.before() + (o.after() == null ? "" : "\n    after:  " + o.after())
                + "\n";
    }

    /** One step's outcome in one line. */
    public static String headline(ActionOutcome o) {
        return "[" + o.action().id() + "] " + o.result() + ": " + o.action().summary();
    }

    /** One verification in one line: "resolved (the hang is gone; ...)". */
    public static String check(Verification.Outcome o) {
        return o.verdict() + " (" + o.detail() + ")";
    }

    private static void checks(StringBuilder sb, FixResult r, boolean climbed) {
        for (FixResult.Check c : r.verification()) {
            if ((c.step() != null) == climbed) {
                sb.append("Verify ").append(c.outcome().signature())
                        .append(c.step() == null ? "" : " after " + c.step()).append(": ").append(check(c.outcome()))
                        .append('\n');
            }
        }
    }

    private static void plan(StringBuilder sb, RemediationPlanner.Plan plan) {
        if (!plan.actions().isEmpty()) {
            sb.append("Plan:\n");
            for (Action a : plan.actions()) {
                sb.append("  [").append(a.id()).append("] ").append(a.summary()).append('\n');
                sb.append("      touches: ").append(String.join(", ", a.touches())).append('\n');
                a.commands().forEach(c -> sb.append("      $ ").append(c).append('\n'));
            }
        }
        plan.notes().forEach(note -> sb.append("  note: ").append(note).append('\n'));
    }
}
