package dev.hangdoctor.cli;

import dev.hangdoctor.act.Action;
import dev.hangdoctor.act.ActionOutcome;
import dev.hangdoctor.act.ActionRunner;
import dev.hangdoctor.act.AuditLog;
import dev.hangdoctor.act.FixResult;
import dev.hangdoctor.act.FuseControlMount;
import dev.hangdoctor.act.RemediationPlanner;
import dev.hangdoctor.act.SafetyGuard;
import dev.hangdoctor.act.Verification;
import dev.hangdoctor.collect.LiveSampler;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.DiagnosisPipeline;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.kb.RemedyIds;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.report.FixJsonView;
import dev.hangdoctor.report.FixTextView;
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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

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
    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
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
        FixTextView text = new FixTextView(Ansi.enabled());

        long planned = System.nanoTime();
        Evidence ev = scan();
        Diagnosis before = pipeline.diagnose(ev);
        RemediationPlanner.Plan plan = planner.plan(selected(before, ev), ev);
        FixResult result = FixResult.planned(!yes, fusectl, before, plan, ladder(plan, before, ev, guard));
        show(text.plan(result));
        if (!before.hangFound() || !yes || plan.actions().isEmpty()) {
            return finish(result, before.hangFound() ? ExitCodes.PROBLEM : ExitCodes.OK, err);
        }
        if (Duration.ofNanos(System.nanoTime() - planned).compareTo(maxAge) > 0) {
            // the host moved on while we looked: diagnose afresh rather than act on an old picture
            ev = scan();
            before = pipeline.diagnose(ev);
            plan = planner.plan(selected(before, ev), ev);
            result = result.withReplan(maxAge, plan);
        }
        AuditLog audit = new AuditLog(stateDir);
        ActionRunner runner = new ActionRunner(audit, ActionRunner.Intent.REQUIRED, SETTLE,
                w -> err.println("hangdoctor: warning: " + w));
        List<ActionOutcome> outcomes = plan.actions().stream().map(runner::run).toList();
        Set<String> actedOn = findings(outcomes);
        List<Verification.Outcome> checks = actedOn.isEmpty() ? List.of() : verify(before, actedOn);
        result = result.withActed(outcomes, checks.stream().map(c -> new FixResult.Check(c, null)).toList(),
                audit.file());
        boolean allGone = !actedOn.isEmpty() && checks.stream().allMatch(o -> o.verdict().equals("resolved"));
        if (!noKill && !allGone) {
            result = climb(result, guard, runner);
            Set<String> climbed = result.verification().stream().filter(c -> c.step() != null)
                    .filter(c -> c.outcome().verdict().equals("resolved")).map(c -> c.outcome().signature())
                    .collect(Collectors.toSet());
            allGone = !actedOn.isEmpty() && checks.stream()
                    .allMatch(o -> o.verdict().equals("resolved") || climbed.contains(o.signature()));
        }
        show(text.acted(result));
        if (restoreAfter != null) {
            result = restore(result, runner);
        }
        show(text.restored(result));
        return finish(result, allGone ? ExitCodes.OK : ExitCodes.PROBLEM, err);
    }

    /** How long the kernel gets after an action before its effect is read back. */
    private static final Duration SETTLE = Duration.ofMillis(200);

    /**
     * The memcg ladder's next rung: a cgroup whose limit was raised and whose hang is still there after verifying
     * gets the step the kernel's own OOM killer would take (SIGKILL to the process it would choose), planned on a
     * fresh scan so it acts only while the hang is still there, then verified.
     */
    private FixResult climb(FixResult r, SafetyGuard guard, ActionRunner runner) throws Exception {
        Set<String> still = new LinkedHashSet<>();
        r.verification().stream().filter(c -> !c.outcome().verdict().equals("resolved"))
                .forEach(c -> still.add(c.outcome().signature()));
        List<String> raised = r.results().stream().map(ActionOutcome::action)
                .filter(a -> a.id().equals(RemedyIds.MEMCG_RAISE_LIMIT))
                .map(Action::finding).filter(k -> still.contains(k.split("@")[0])).toList();
        if (raised.isEmpty()) {
            return r;
        }
        Evidence ev = scan();
        Diagnosis now = pipeline.diagnose(ev);
        List<Finding> stuck = selected(now, ev).stream()
                .filter(f -> raised.stream().anyMatch(k -> k.split("@")[0].equals(f.signature())))
                .filter(f -> f.actions().contains(RemedyIds.MEMCG_KILL_OOM_VICTIM)).toList();
        if (stuck.isEmpty()) {
            return r;
        }
        RemediationPlanner killer = new RemediationPlanner(root, guard, Set.of(RemedyIds.MEMCG_KILL_OOM_VICTIM),
                connection);
        RemediationPlanner.Plan next = killer.plan(stuck, ev);
        List<ActionOutcome> outcomes = next.actions().stream().map(runner::run).toList();
        Set<String> acted = findings(outcomes);
        List<FixResult.Check> checks = (acted.isEmpty() ? List.<Verification.Outcome>of() : verify(now, acted))
                .stream().map(c -> new FixResult.Check(c, RemedyIds.MEMCG_KILL_OOM_VICTIM)).toList();
        return r.withClimbed(outcomes, next.notes(), checks);
    }

    /**
     * The memcg ladder in the plan: after each limit raise, the step --yes takes only if verification finds the hang
     * still there (the process the cgroup's OOM killer would choose, then verify again), or that --no-kill stops.
     */
    private List<FixResult.Ladder> ladder(RemediationPlanner.Plan plan, Diagnosis d, Evidence ev, SafetyGuard guard) {
        RemediationPlanner killer = new RemediationPlanner(root, guard, Set.of(RemedyIds.MEMCG_KILL_OOM_VICTIM),
                connection);
        List<FixResult.Ladder> ladder = new ArrayList<>();
        for (Action a : plan.actions()) {
            if (!a.id().equals(RemedyIds.MEMCG_RAISE_LIMIT)) {
                continue;
            }
            List<Finding> f = d.findings().stream().filter(x -> x.key().equals(a.finding()))
                    .filter(x -> x.actions().contains(RemedyIds.MEMCG_KILL_OOM_VICTIM)).toList();
            RemediationPlanner.Plan next = f.isEmpty() ? null : killer.plan(f, ev);
            String then = next == null ? "nothing further: this hang's knowledge-base entry allows no kill"
                    : noKill ? "stop: --no-kill keeps to steps that kill nothing"
                    : next.actions().isEmpty() ? "nothing further: " + String.join("; ", next.notes())
                    : next.actions().get(0).summary() + ", then verify";
            ladder.add(new FixResult.Ladder(a.finding(), a.summary() + ", then verify", then));
        }
        return ladder;
    }

    /** The findings --pid names, or all of them. */
    private List<Finding> selected(Diagnosis d, Evidence ev) {
        if (onlyPids.isEmpty()) {
            return d.findings();
        }
        return d.findings().stream()
                .filter(f -> RemediationPlanner.pidsOf(f, ev).stream().anyMatch(onlyPids::contains)).toList();
    }

    /** After --restore-after, runs the undo of every step that has one (a raised limit goes back if usage fell). */
    private FixResult restore(FixResult r, ActionRunner runner) throws Exception {
        List<Action> undos = new ArrayList<>();
        r.results().stream().map(ActionOutcome::undo).filter(Objects::nonNull).forEach(undos::add);
        if (undos.isEmpty()) {
            return r;
        }
        Thread.sleep(restoreAfter.toMillis());
        return r.withRestored(undos.stream().map(runner::run).toList());
    }

    /** The findings (keys) of the steps that were done. */
    private static Set<String> findings(List<ActionOutcome> outcomes) {
        Set<String> s = new LinkedHashSet<>();
        outcomes.stream().filter(ActionOutcome::done).forEach(o -> s.add(o.action().finding()));
        return s;
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

    /** The text view prints as the work goes; the JSON view is one document at the end. */
    private void show(String text) {
        if (!json) {
            out.print(text);
            out.flush();
        }
    }

    private int finish(FixResult r, int exit, PrintWriter err) {
        if (json) {
            out.println(FixJsonView.render(r));
        }
        out.flush();
        err.flush();
        return exit;
    }
}
