package dev.hangdoctor.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.act.ActionOutcome;
import dev.hangdoctor.act.ActionRunner;
import dev.hangdoctor.act.FixResult;
import dev.hangdoctor.act.MemcgRaiseLimitAction;
import dev.hangdoctor.act.RemediationPlanner;
import dev.hangdoctor.act.Verification;
import dev.hangdoctor.collect.LiveSource;
import dev.hangdoctor.diagnose.Diagnosis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the `fix --json` shape the README documents: a consumer's field names must not move. */
class FixJsonViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cg;

    private MemcgRaiseLimitAction raise() throws Exception {
        long limit = 32L << 20;
        Files.writeString(cg.resolve("memory.limit_in_bytes"), limit + "\n");
        Files.writeString(cg.resolve("memory.usage_in_bytes"), limit + "\n");
        Files.writeString(cg.resolve("memory.oom_control"), "oom_kill_disable 1\nunder_oom 1\noom_kill 0\n");
        return new MemcgRaiseLimitAction(LiveSource.at(cg), "memcg-oom-kill-disabled@/c1", cg, "/c1", 1, limit,
                MemcgRaiseLimitAction.raisedLimit(limit));
    }

    private static List<String> keys(JsonNode o) {
        List<String> k = new ArrayList<>();
        for (Iterator<String> i = o.fieldNames(); i.hasNext(); ) {
            k.add(i.next());
        }
        return k;
    }

    private FixResult planned(MemcgRaiseLimitAction a, boolean dryRun) throws Exception {
        Diagnosis d = Seeds.diagnose(Path.of("examples/seed001-centos7-jbd2-oom"));
        RemediationPlanner.Plan plan = new RemediationPlanner.Plan(List.of(a), List.of("nfs-server-gone: advice only"));
        return FixResult.planned(dryRun, null, d, plan, List.of(new FixResult.Ladder(a.finding(),
                a.summary() + ", then verify", "stop: --no-kill keeps to steps that kill nothing")));
    }

    @Test
    void aDryRunHasThePlanAndNothingActedOn() throws Exception {
        MemcgRaiseLimitAction a = raise();
        JsonNode doc = JSON.readTree(FixJsonView.render(planned(a, true)));
        assertThat(keys(doc)).containsExactly("dryRun", "diagnosis", "plan", "notes", "ladder");
        assertThat(doc.get("dryRun").asBoolean()).isTrue();
        assertThat(doc.get("diagnosis").get("schemaVersion").asInt()).isEqualTo(1);
        JsonNode step = doc.get("plan").get(0);
        assertThat(keys(step)).containsExactly("action", "finding", "summary", "touches", "commands");
        assertThat(step.get("action").asText()).isEqualTo("memcg-raise-limit");
        assertThat(step.get("touches").get(0).asText()).isEqualTo(cg.resolve("memory.limit_in_bytes").toString());
        assertThat(step.get("commands").get(0).asText()).isEqualTo("echo " + (96L << 20) + " > "
                + cg.resolve("memory.limit_in_bytes"));
        assertThat(doc.get("notes").get(0).asText()).isEqualTo("nfs-server-gone: advice only");
        assertThat(keys(doc.get("ladder").get(0))).containsExactly("finding", "first", "ifStillStuck");
    }

    @Test
    void anActedFixHasResultsVerificationClimbAndRestore() throws Exception {
        MemcgRaiseLimitAction a = raise();
        ActionRunner runner = new ActionRunner(null, ActionRunner.Intent.REQUIRED, Duration.ZERO, w -> { });
        ActionOutcome done = runner.run(a);
        Files.writeString(cg.resolve("memory.usage_in_bytes"), (8L << 20) + "\n");
        ActionOutcome restored = runner.run(done.undo());
        Verification.Outcome still = new Verification.Outcome("memcg-oom-kill-disabled", "still-there",
                "1 of its 2 task(s) still stuck");
        Verification.Outcome gone = new Verification.Outcome("memcg-oom-kill-disabled", "resolved", "the hang is gone");
        FixResult r = planned(a, false)
                .withReplan(Duration.ofSeconds(5), new RemediationPlanner.Plan(List.of(a), List.of()))
                .withActed(List.of(done), List.of(new FixResult.Check(still, null)), Path.of("/state/audit.jsonl"))
                .withClimbed(List.of(), List.of("no process to kill"), List.of(new FixResult.Check(gone,
                        "memcg-kill-oom-victim")))
                .withRestored(List.of(restored));
        JsonNode doc = JSON.readTree(FixJsonView.render(r));
        assertThat(keys(doc)).containsExactly("dryRun", "diagnosis", "plan", "notes", "ladder", "rediagnosedAfterMs",
                "results", "auditLog", "verification", "climbed", "restored");
        assertThat(doc.get("rediagnosedAfterMs").asLong()).isEqualTo(5000);
        assertThat(doc.get("notes").toString()).contains("no process to kill");
        JsonNode result = doc.get("results").get(0);
        assertThat(keys(result)).containsExactly("action", "finding", "summary", "touches", "commands", "result",
                "before", "after", "time");
        assertThat(result.get("result").asText()).isEqualTo("done");
        assertThat(result.get("before").asText()).startsWith("limit=" + (32L << 20));
        assertThat(result.get("after").asText()).startsWith("limit=" + (96L << 20));
        assertThat(doc.get("auditLog").asText()).isEqualTo("/state/audit.jsonl");
        JsonNode first = doc.get("verification").get(0);
        assertThat(keys(first)).containsExactly("signature", "verdict", "detail");
        assertThat(keys(doc.get("verification").get(1))).containsExactly("signature", "verdict", "detail", "step");
        assertThat(doc.get("climbed")).isEmpty();
        JsonNode back = doc.get("restored").get(0);
        assertThat(back.get("action").asText()).isEqualTo("memcg-restore-limit");
        assertThat(back.get("result").asText()).isEqualTo("done");
        assertThat(back.get("after").asText()).startsWith("limit=" + (32L << 20));
    }

    @Test
    void aStepNotTriedHasANullAfterAndTheRefusal() throws Exception {
        MemcgRaiseLimitAction a = raise();
        Files.writeString(cg.resolve("memory.limit_in_bytes"), (512L << 20) + "\n");
        ActionOutcome refused = new ActionRunner(null, ActionRunner.Intent.REQUIRED, Duration.ZERO, w -> { }).run(a);
        JsonNode step = FixJsonView.step(refused);
        assertThat(step.get("result").asText()).startsWith("refused: the limit of /c1 changed since the diagnosis");
        assertThat(step.get("after").isNull()).isTrue();
    }

    /** The text view says the same, in the order an operator reads it. */
    @Test
    void theTextViewPrintsThePlanThenWhatWasDone() throws Exception {
        MemcgRaiseLimitAction a = raise();
        FixResult dry = planned(a, true);
        String plan = new FixTextView(false).plan(dry);
        assertThat(plan).contains("Plan:\n  [memcg-raise-limit] raise the memory limit of cgroup /c1")
                .contains("  note: nfs-server-gone: advice only")
                .contains("  ladder for memcg-oom-kill-disabled@/c1: 1. ")
                .endsWith("Dry run: nothing was changed. Run again with --yes to take these steps.\n");
        ActionOutcome done = new ActionRunner(null, ActionRunner.Intent.REQUIRED, Duration.ZERO, w -> { }).run(a);
        FixResult acted = planned(a, false).withActed(List.of(done), List.of(new FixResult.Check(
                new Verification.Outcome("memcg-oom-kill-disabled", "resolved", "the hang is gone"), null)),
                Path.of("/state/audit.jsonl"));
        String text = new FixTextView(false).render(acted);
        assertThat(text).doesNotContain("Dry run")
                .contains("[memcg-raise-limit] done: raise the memory limit")
                .contains("    before: limit=" + (32L << 20))
                .contains("Verify memcg-oom-kill-disabled: resolved (the hang is gone)")
                .endsWith("Audit log: /state/audit.jsonl\n");
    }
}
