package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.act.Action;
import dev.hangdoctor.act.AuditLog;
import dev.hangdoctor.act.FuseControlMount;
import dev.hangdoctor.act.RemediationPlanner;
import dev.hangdoctor.act.SafetyGuard;
import dev.hangdoctor.act.Verification;
import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.kb.RemedyIds;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.report.JsonReport;
import dev.hangdoctor.report.TerminalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** `hangdoctor fix`: turn each live diagnosis into the safest remedy that ends it; act only with --yes, then verify. */
@Command(name = "fix", mixinStandardHelpOptions = true,
        description = "Scan the live host, plan the safest remedy for each hang (abort a FUSE connection, raise a stuck"
                + " memory cgroup's limit or kill the process the OOM killer would choose in it, end the owner of an"
                + " orphaned userfaultfd), show the exact steps, and take them only with --yes; then scan again and say"
                + " whether the hang is gone. Every action taken is appended to STATE_DIR/audit.jsonl."
                + " Exit 0: nothing to fix or every hang acted on is gone; 1: a hang remains; 2: bad usage.")
public final class FixCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--yes", description = "Act. Without it nothing on the host changes (dry run).")
    boolean yes;

    @Option(names = "--action", paramLabel = "ID", description = "Only these remedies (fuse-abort, memcg-raise-limit,"
            + " memcg-kill-oom-victim, uffd-kill-owner). Default: each finding's least destructive one.")
    List<String> actions = new ArrayList<>();

    @Option(names = "--connection", paramLabel = "N", description = "The FUSE connection to abort when several are stuck.")
    Integer connection;

    @Option(names = "--pid", paramLabel = "PID", description = "Only act on hangs this process (or thread) takes part"
            + " in, as blocker or victim; repeatable. Other hangs on the host are reported, not touched.")
    List<Integer> onlyPids = new ArrayList<>();

    @Option(names = "--no-kill", description = "Keep to steps that kill nothing: a memory cgroup still stuck after"
            + " its limit was raised is reported, not climbed further to the OOM killer's choice.")
    boolean noKill;

    @Option(names = "--json", description = "Print plan, results and verification as JSON.")
    boolean json;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Sampling window of the scans (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--max-age", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Re-diagnose before acting when the diagnosis is older than this (default: ${DEFAULT-VALUE}).")
    Duration maxAge;

    @Option(names = "--verify-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long to wait for the hang to clear after acting (default: ${DEFAULT-VALUE}).")
    Duration verifyTimeout;

    @Option(names = "--restore-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "After a memory limit was raised, wait this long and put the old limit back if usage has"
                    + " fallen well below it (default: keep the raised limit; the audit log has the old value).")
    Duration restoreAfter;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/hangdoctor",
            description = "Where the audit log lives (default: ${DEFAULT-VALUE}; created 0700).")
    Path stateDir;

    @Option(names = "--rules", paramLabel = "DIR", description = "Also load known-hang rules from this directory.")
    List<Path> ruleDirs = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", hidden = true, defaultValue = "/",
            description = "Host root (tests point it at a fixture tree).")
    Path root;

    private DiagnosisPipeline pipeline;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String a : actions) {
            if (!RemedyIds.ALL.contains(a)) {
                throw new IllegalArgumentException("--action " + a + ": unknown (known: " + String.join(", ", RemedyIds.ALL) + ")");
            }
        }
        if (yes && !root.toAbsolutePath().normalize().equals(Path.of("/"))) {
            // a copied tree's pids are not this host's: acting on them would hit whatever runs here under those numbers
            throw new IllegalArgumentException("--yes acts on this host only; --root " + root + " can only be planned (dry run)");
        }
        pipeline = DiagnosisPipeline.withRules(ruleDirs);
        // without fusectl every FUSE hang is invisible and cannot be aborted: acting mounts it, as systemd does at boot
        String fusectl = yes ? FuseControlMount.ensure(root, () -> new AuditLog(stateDir))
                : root.toAbsolutePath().normalize().equals(Path.of("/")) && Files.isDirectory(FuseControlMount.CONNECTIONS)
                && !FuseControlMount.mounted(root.resolve("proc"))
                ? "fusectl is not mounted at " + FuseControlMount.CONNECTIONS + ": this dry run cannot see FUSE hangs;"
                + " fix --yes mounts it first (as systemd does at boot)" : null;
        if (fusectl != null) {
            err.println("hangdoctor: " + fusectl);
        }
        SafetyGuard guard = new SafetyGuard(root.resolve("proc"));
        RemediationPlanner planner = new RemediationPlanner(root, guard, Set.copyOf(actions), connection);

        long planned = System.nanoTime();
        Evidence ev = scan();
        Diagnosis before = pipeline.diagnose(ev);
        RemediationPlanner.Plan plan = planner.plan(selected(before, ev), ev);

        ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("dryRun", !yes);
        if (fusectl != null) {
            doc.put("fusectl", fusectl);
        }
        doc.set("diagnosis", JsonReport.toTree(before));
        if (!json) {
            out.print(new TerminalReport(Ansi.enabled()).render(before));
            out.println();
        }
        printPlan(plan, out, doc);
        printLadder(plan, before, ev, guard, out, doc);
        if (!before.hangFound()) {
            emit(doc, out);
            return ExitCodes.OK;
        }
        if (!yes) {
            if (!json) {
                out.println(plan.actions().isEmpty() ? "Nothing to do automatically."
                        : "Dry run: nothing was changed. Run again with --yes to take these steps.");
            }
            emit(doc, out);
            return ExitCodes.PROBLEM;
        }
        if (plan.actions().isEmpty()) {
            emit(doc, out);
            return ExitCodes.PROBLEM;
        }
        if (Duration.ofNanos(System.nanoTime() - planned).compareTo(maxAge) > 0) {
            // the host moved on while we looked: diagnose afresh rather than act on an old picture
            ev = scan();
            before = pipeline.diagnose(ev);
            plan = planner.plan(selected(before, ev), ev);
            if (!json) {
                out.println("The diagnosis was older than " + maxAge.toMillis() + " ms; diagnosed again:");
            }
            printPlan(plan, out, doc);
        }
        AuditLog audit = new AuditLog(stateDir);
        ArrayNode results = doc.putArray("results");
        Set<String> actedOn = new LinkedHashSet<>();
        apply(plan.actions(), audit, results, actedOn, out, err);
        doc.put("auditLog", audit.file().toString());
        List<Verification.Outcome> outcomes = verify(before, actedOn);
        ArrayNode ver = doc.putArray("verification");
        boolean allGone = !actedOn.isEmpty();
        for (Verification.Outcome o : outcomes) {
            ver.addObject().put("signature", o.signature()).put("verdict", o.verdict()).put("detail", o.detail());
            allGone &= o.verdict().equals("resolved");
            if (!json) {
                out.println("Verify " + o.signature() + ": " + o.verdict() + " (" + o.detail() + ")");
            }
        }
        if (!noKill && !allGone) {
            Set<String> climbed = climb(plan, outcomes, guard, audit, doc, out, err);
            allGone = !actedOn.isEmpty() && outcomes.stream()
                    .allMatch(o -> o.verdict().equals("resolved") || climbed.contains(o.signature()));
        }
        if (restoreAfter != null) {
            restoreLimits(plan, audit, doc, out);
        }
        if (!json) {
            out.println("Audit log: " + audit.file());
        }
        emit(doc, out);
        err.flush();
        return allGone ? ExitCodes.OK : ExitCodes.PROBLEM;
    }

    /** Takes each step (after its precheck), auditing before and after; the findings acted on go to actedOn. */
    private void apply(List<Action> actions, AuditLog audit, ArrayNode results, Set<String> actedOn, PrintWriter out,
                       PrintWriter err) throws Exception {
        for (Action a : actions) {
            String beforeState = a.observe();
            String refused = a.precheck();
            String result;
            String afterState = null;
            if (refused != null) {
                result = "refused: " + refused;
            } else {
                // the intent is on disk before the host changes: a crash in between still leaves a trace
                if (!audited(audit, a, beforeState, null, "attempting", err)) {
                    result = "refused: the audit log cannot be written";
                    record(results, a, result, beforeState, null, out);
                    continue;
                }
                try {
                    a.apply();
                    result = "done";
                    actedOn.add(a.finding());
                } catch (Exception ex) {
                    result = "failed: " + Main.oneLine(ex);
                }
                Thread.sleep(200);
                afterState = a.observe();
            }
            audited(audit, a, beforeState, afterState, result, err);
            record(results, a, result, beforeState, afterState, out);
        }
    }

    /**
     * The memcg ladder's next rung: a cgroup whose limit was raised and whose hang is still there after verifying
     * gets the step the kernel's own OOM killer would take (SIGKILL to the process it would choose), planned on a
     * fresh scan so it acts only while the hang is still there, then verified. Returns the signatures it resolved.
     */
    private Set<String> climb(RemediationPlanner.Plan plan, List<Verification.Outcome> outcomes, SafetyGuard guard,
                              AuditLog audit, ObjectNode doc, PrintWriter out, PrintWriter err) throws Exception {
        Set<String> still = new LinkedHashSet<>();
        outcomes.stream().filter(o -> !o.verdict().equals("resolved")).forEach(o -> still.add(o.signature()));
        List<String> raised = plan.actions().stream().filter(a -> a.id().equals(RemedyIds.MEMCG_RAISE_LIMIT))
                .map(Action::finding).filter(k -> still.contains(k.split("@")[0])).toList();
        if (raised.isEmpty()) {
            return Set.of();
        }
        Evidence ev = scan();
        Diagnosis now = pipeline.diagnose(ev);
        List<dev.hangdoctor.diagnose.Finding> stuck = selected(now, ev).stream()
                .filter(f -> raised.stream().anyMatch(k -> k.split("@")[0].equals(f.signature())))
                .filter(f -> f.actions().contains(RemedyIds.MEMCG_KILL_OOM_VICTIM)).toList();
        if (stuck.isEmpty()) {
            return Set.of();
        }
        RemediationPlanner killer = new RemediationPlanner(root, guard, Set.of(RemedyIds.MEMCG_KILL_OOM_VICTIM),
                connection);
        RemediationPlanner.Plan next = killer.plan(stuck, ev);
        ArrayNode steps = doc.putArray("climbed");
        if (!json) {
            out.println("Still stuck after the raise: the next step of the ladder");
        }
        Set<String> acted = new LinkedHashSet<>();
        apply(next.actions(), audit, steps, acted, out, err);
        next.notes().forEach(n -> doc.withArray("notes").add(n));
        List<Verification.Outcome> after = acted.isEmpty() ? List.of() : verify(now, acted);
        ArrayNode ver = doc.withArray("verification");
        Set<String> gone = new LinkedHashSet<>();
        for (Verification.Outcome o : after) {
            ver.addObject().put("signature", o.signature()).put("verdict", o.verdict()).put("detail", o.detail())
                    .put("step", RemedyIds.MEMCG_KILL_OOM_VICTIM);
            if (o.verdict().equals("resolved")) {
                gone.add(o.signature());
            }
            if (!json) {
                out.println("Verify " + o.signature() + " after " + RemedyIds.MEMCG_KILL_OOM_VICTIM + ": " + o.verdict()
                        + " (" + o.detail() + ")");
            }
        }
        return gone;
    }

    /**
     * The memcg ladder in the plan: after each limit raise, the step --yes takes only if verification finds the hang
     * still there (the process the cgroup's OOM killer would choose, then verify again), or that --no-kill stops.
     */
    private void printLadder(RemediationPlanner.Plan plan, Diagnosis d, Evidence ev, SafetyGuard guard, PrintWriter out,
                             ObjectNode doc) {
        RemediationPlanner killer = new RemediationPlanner(root, guard, Set.of(RemedyIds.MEMCG_KILL_OOM_VICTIM),
                connection);
        ArrayNode ladder = doc.putArray("ladder");
        for (Action a : plan.actions()) {
            if (!a.id().equals(RemedyIds.MEMCG_RAISE_LIMIT)) {
                continue;
            }
            List<dev.hangdoctor.diagnose.Finding> f = d.findings().stream().filter(x -> x.key().equals(a.finding()))
                    .filter(x -> x.actions().contains(RemedyIds.MEMCG_KILL_OOM_VICTIM)).toList();
            RemediationPlanner.Plan next = f.isEmpty() ? null : killer.plan(f, ev);
            String then = next == null ? "nothing further: this hang's knowledge-base entry allows no kill"
                    : noKill ? "stop: --no-kill keeps to steps that kill nothing"
                    : next.actions().isEmpty() ? "nothing further: " + String.join("; ", next.notes())
                    : next.actions().get(0).summary() + ", then verify";
            ladder.addObject().put("finding", a.finding()).put("first", a.summary() + ", then verify")
                    .put("ifStillStuck", then);
            if (!json) {
                out.println("  ladder for " + a.finding() + ": 1. " + a.summary() + ", verify; 2. only if the hang is"
                        + " still there: " + then);
            }
        }
    }

    /** The findings --pid names, or all of them. */
    private List<dev.hangdoctor.diagnose.Finding> selected(Diagnosis d, Evidence ev) {
        if (onlyPids.isEmpty()) {
            return d.findings();
        }
        return d.findings().stream()
                .filter(f -> RemediationPlanner.pidsOf(f, ev).stream().anyMatch(onlyPids::contains)).toList();
    }

    private void restoreLimits(RemediationPlanner.Plan plan, AuditLog audit, ObjectNode doc, PrintWriter out)
            throws Exception {
        List<dev.hangdoctor.act.MemcgRaiseLimitAction> raised = plan.actions().stream()
                .filter(a -> a instanceof dev.hangdoctor.act.MemcgRaiseLimitAction)
                .map(a -> (dev.hangdoctor.act.MemcgRaiseLimitAction) a).toList();
        if (raised.isEmpty()) {
            return;
        }
        Thread.sleep(restoreAfter.toMillis());
        ArrayNode restored = doc.putArray("restored");
        for (dev.hangdoctor.act.MemcgRaiseLimitAction a : raised) {
            String before = a.observe();
            String result = a.restore();
            audit.record(a, before, a.observe(), result);
            restored.addObject().put("cgroup", a.cgroupDir().toString()).put("result", result);
            if (!json) {
                out.println("[restore] " + a.cgroupDir() + ": " + result);
            }
        }
    }

    /** Writes one audit line; a failure is said on stderr and does not stop the remaining work. */
    private static boolean audited(AuditLog audit, Action a, String before, String after, String result, PrintWriter err) {
        try {
            audit.record(a, before, after, result);
            return true;
        } catch (Exception ex) {
            err.println("hangdoctor: warning: audit log " + audit.file() + ": " + Main.oneLine(ex));
            return false;
        }
    }

    private void record(ArrayNode results, Action a, String result, String before, String after, PrintWriter out) {
        ObjectNode r = results.addObject();
        r.put("action", a.id()).put("finding", a.finding()).put("summary", a.summary()).put("result", result)
                .put("before", before).put("after", after);
        if (!json) {
            out.println("[" + a.id() + "] " + result + ": " + a.summary());
            out.println("    before: " + before + (after == null ? "" : "\n    after:  " + after));
        }
    }

    private Evidence scan() throws Exception {
        return new LiveSampler(root, LiveSampler.Options.defaults().withWindow(window)).scan();
    }

    /** Re-scans until every acted-on finding is gone or the timeout passes. */
    private List<Verification.Outcome> verify(Diagnosis before, Set<String> actedOn) throws Exception {
        long end = System.nanoTime() + verifyTimeout.toNanos();
        List<Verification.Outcome> outcomes = List.of();
        while (true) {
            Evidence now = new LiveSampler(root, LiveSampler.Options.defaults().withWindow(Duration.ofMillis(300))).scan();
            outcomes = Verification.compare(before, pipeline.diagnose(now), actedOn);
            boolean done = outcomes.stream().allMatch(o -> o.verdict().equals("resolved"));
            if (done || System.nanoTime() > end) {
                return outcomes;
            }
            Thread.sleep(500);
        }
    }

    private void printPlan(RemediationPlanner.Plan plan, PrintWriter out, ObjectNode doc) {
        ArrayNode p = doc.putArray("plan");
        for (Action a : plan.actions()) {
            ObjectNode o = p.addObject();
            o.put("action", a.id()).put("finding", a.finding()).put("summary", a.summary());
            a.touches().forEach(o.putArray("touches")::add);
            a.commands().forEach(o.putArray("commands")::add);
        }
        ArrayNode n = doc.putArray("notes");
        plan.notes().forEach(n::add);
        if (json) {
            return;
        }
        if (!plan.actions().isEmpty()) {
            out.println("Plan:");
            for (Action a : plan.actions()) {
                out.println("  [" + a.id() + "] " + a.summary());
                out.println("      touches: " + String.join(", ", a.touches()));
                a.commands().forEach(c -> out.println("      $ " + c));
            }
        }
        plan.notes().forEach(note -> out.println("  note: " + note));
    }

    private void emit(ObjectNode doc, PrintWriter out) throws Exception {
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        }
        out.flush();
    }
}
