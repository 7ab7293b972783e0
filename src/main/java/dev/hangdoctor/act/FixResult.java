package dev.hangdoctor.act;

import dev.hangdoctor.diagnose.Diagnosis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What `fix` found, planned and did: the diagnosis, the plan and its ladder, each action's outcome, the verification,
 * the ladder's second rung and the undone raises. The views in report/ render it; lists left null were never reached
 * (a dry run has no results), which the views tell apart from empty.
 *
 * @param fusectl          what was done about a missing FUSE control file system, or null
 * @param rediagnosedAfter set when the diagnosis had grown older than --max-age and the plan was made again
 * @param replan           that second plan, or null
 * @param results          the outcome of each step of the plan; null when nothing was acted on
 * @param climbed          the outcomes of the ladder's second rung; null when it was not climbed
 * @param restored         the outcomes of putting raised limits back (--restore-after); null when not asked or none
 * @param auditLog         the audit log written to, or null (dry run)
 */
public record FixResult(boolean dryRun, String fusectl, Diagnosis diagnosis, RemediationPlanner.Plan plan,
                        List<Ladder> ladder, Duration rediagnosedAfter, RemediationPlanner.Plan replan,
                        List<ActionOutcome> results, List<Check> verification, List<ActionOutcome> climbed,
                        List<String> climbNotes, List<ActionOutcome> restored, Path auditLog) {

    /** The memcg ladder of one raise: the first step, and what follows only if the hang is still there. */
    public record Ladder(String finding, String first, String ifStillStuck) {
    }

    /** One verification after acting; {@code step} names the ladder rung it followed, or is null for the plan. */
    public record Check(Verification.Outcome outcome, String step) {
    }

    /** Before acting: the diagnosis, its plan and ladder. */
    public static FixResult planned(boolean dryRun, String fusectl, Diagnosis d, RemediationPlanner.Plan plan,
                                    List<Ladder> ladder) {
        return new FixResult(dryRun, fusectl, d, plan, List.copyOf(ladder), null, null, null, null, null, List.of(),
                null, null);
    }

    /** The plan actually acted on: the second one when the diagnosis was made again. */
    public RemediationPlanner.Plan finalPlan() {
        return replan != null ? replan : plan;
    }

    public FixResult withReplan(Duration after, RemediationPlanner.Plan again) {
        return new FixResult(dryRun, fusectl, diagnosis, plan, ladder, after, again, results, verification, climbed,
                climbNotes, restored, auditLog);
    }

    public FixResult withActed(List<ActionOutcome> outcomes, List<Check> checks, Path log) {
        return new FixResult(dryRun, fusectl, diagnosis, plan, ladder, rediagnosedAfter, replan, List.copyOf(outcomes),
                List.copyOf(checks), climbed, climbNotes, restored, log);
    }

    /** Adds the ladder's second rung: its outcomes, the planner's notes and the checks made after it. */
    public FixResult withClimbed(List<ActionOutcome> outcomes, List<String> notes, List<Check> checks) {
        List<Check> all = new java.util.ArrayList<>(verification == null ? List.of() : verification);
        all.addAll(checks);
        return new FixResult(dryRun, fusectl, diagnosis, plan, ladder, rediagnosedAfter, replan, results,
                List.copyOf(all), List.copyOf(outcomes), List.copyOf(notes), restored, auditLog);
    }

    public FixResult withRestored(List<ActionOutcome> outcomes) {
        return new FixResult(dryRun, fusectl, diagnosis, plan, ladder, rediagnosedAfter, replan, results, verification,
                climbed, climbNotes, List.copyOf(outcomes), auditLog);
    }
}
