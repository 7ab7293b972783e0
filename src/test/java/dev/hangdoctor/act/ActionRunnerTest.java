package dev.hangdoctor.act;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ActionRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    /** An action over one file: apply writes "1" to it; what the audit log held at that moment is kept. */
    private final class FileAction implements Action {
        final Path file = dir.resolve("target");
        String refuse;
        Exception fail;
        AuditLog audit;
        List<String> auditAtApply;
        int applied;

        @Override
        public String id() {
            return "test-write";
        }

        @Override
        public String finding() {
            return "test-finding";
        }

        @Override
        public String summary() {
            return "write 1 to " + file;
        }

        @Override
        public List<String> touches() {
            return List.of(file.toString());
        }

        @Override
        public List<String> commands() {
            return List.of("echo 1 > " + file);
        }

        @Override
        public String precheck() {
            return refuse;
        }

        @Override
        public String observe() {
            return Files.exists(file) ? "value=" + read(file) : "value=none";
        }

        @Override
        public void apply() throws Exception {
            if (refuse != null) {
                throw new IllegalStateException("refused: " + refuse);
            }
            applied++;
            auditAtApply = audit == null ? List.of() : Files.readAllLines(audit.file());
            if (fail != null) {
                throw fail;
            }
            Files.writeString(file, "1");
        }

        @Override
        public Action undo() {
            return new FileAction();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "?";
        }
    }

    private ActionRunner runner(AuditLog audit, ActionRunner.Intent intent) {
        return new ActionRunner(audit, intent, Duration.ZERO, warnings::add);
    }

    private static List<String> results(AuditLog audit) throws IOException {
        List<String> r = new ArrayList<>();
        for (String line : Files.readAllLines(audit.file())) {
            r.add(JSON.readTree(line).get("result").asText());
        }
        return r;
    }

    @Test
    void theIntentIsOnDiskBeforeTheActionRunsThenTheOutcome() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        a.audit = audit;
        ActionOutcome o = runner(audit, ActionRunner.Intent.REQUIRED).run(a);

        assertThat(a.auditAtApply).hasSize(1);
        JsonNode intent = JSON.readTree(a.auditAtApply.get(0));
        assertThat(intent.get("result").asText()).isEqualTo("attempting");
        assertThat(intent.get("action").asText()).isEqualTo("test-write");
        assertThat(intent.get("before").asText()).isEqualTo("value=none");
        assertThat(intent.get("after").isNull()).isTrue();

        assertThat(o.status()).isEqualTo(ActionOutcome.Status.DONE);
        assertThat(o.result()).isEqualTo("done");
        assertThat(o.before()).isEqualTo("value=none");
        assertThat(o.after()).isEqualTo("value=1");
        assertThat(o.undo()).as("a done action carries its undo").isNotNull();
        assertThat(results(audit)).containsExactly("attempting", "done");
        assertThat(JSON.readTree(Files.readAllLines(audit.file()).get(1)).get("after").asText()).isEqualTo("value=1");
    }

    @Test
    void aRefusedPrecheckNeverActsAndIsOneLine() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        a.refuse = "the connection is gone";
        ActionOutcome o = runner(audit, ActionRunner.Intent.REQUIRED).run(a);
        assertThat(a.applied).isZero();
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.REFUSED);
        assertThat(o.result()).isEqualTo("refused: the connection is gone");
        assertThat(o.after()).isNull();
        assertThat(o.undo()).isNull();
        assertThat(results(audit)).containsExactly("refused: the connection is gone");
    }

    @Test
    void aFailureIsAnOutcomeAfterTheIntent() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        a.fail = new IOException("Device or resource busy");
        ActionOutcome o = runner(audit, ActionRunner.Intent.REQUIRED).run(a);
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.FAILED);
        assertThat(o.result()).isEqualTo("failed: Device or resource busy");
        assertThat(o.after()).isEqualTo("value=none");
        assertThat(o.undo()).isNull();
        assertThat(results(audit)).containsExactly("attempting", "failed: Device or resource busy");
    }

    /** The action's own check right before acting (pid reused, limit changed) refused: refused, not failed. */
    @Test
    void aLastMomentRefusalInsideApplyIsARefusal() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        a.fail = new IllegalStateException("refused: pid 42 now belongs to another process");
        ActionOutcome o = runner(audit, ActionRunner.Intent.REQUIRED).run(a);
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.REFUSED);
        assertThat(o.detail()).isEqualTo("pid 42 now belongs to another process");
        assertThat(results(audit)).containsExactly("attempting", "refused: pid 42 now belongs to another process");
    }

    @Test
    void aDryRunWritesThePlanOnlyAndTouchesNothing() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        ActionOutcome o = runner(audit, ActionRunner.Intent.REQUIRED).dryRun(a, "usage 90%");
        assertThat(a.applied).isZero();
        assertThat(Files.exists(a.file)).isFalse();
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.DRY_RUN);
        assertThat(o.undo()).isNull();
        assertThat(results(audit)).containsExactly("dry-run");
        JsonNode line = JSON.readTree(Files.readAllLines(audit.file()).get(0));
        assertThat(line.get("before").asText()).isEqualTo("usage 90%");
        assertThat(line.get("commands").asText()).isEqualTo("echo 1 > " + a.file);
    }

    /** No trace, no action: an unwritable audit log refuses; the guard's best effort acts and warns. */
    @Test
    void anIntentThatCannotBeWrittenRefusesUnlessBestEffort() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        Files.delete(audit.file());
        Files.createDirectory(audit.file()); // appending to it fails
        FileAction a = new FileAction();
        ActionOutcome o = runner(audit, ActionRunner.Intent.REQUIRED).run(a);
        assertThat(a.applied).isZero();
        assertThat(o.result()).isEqualTo("refused: the audit log cannot be written");
        assertThat(warnings).isNotEmpty().allSatisfy(w -> assertThat(w).startsWith("audit log " + audit.file()));

        o = runner(audit, ActionRunner.Intent.BEST_EFFORT).run(a);
        assertThat(a.applied).isEqualTo(1);
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.DONE);
    }

    @Test
    void withoutAnAuditLogItStillRuns() {
        FileAction a = new FileAction();
        ActionOutcome o = runner(null, ActionRunner.Intent.REQUIRED).run(a);
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.DONE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aRunnerWithoutItsAuditLogRefusesEverything() {
        FileAction a = new FileAction();
        ActionOutcome o = ActionRunner.refusing("the audit log cannot be opened: /x is a link").run(a);
        assertThat(a.applied).isZero();
        assertThat(o.result()).isEqualTo("refused: the audit log cannot be opened: /x is a link");
    }

    /** A refusal the caller decided (the guard declining a kill) is one line and touches nothing. */
    @Test
    void aCallersRefusalIsRecorded() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        ActionOutcome o = runner(audit, ActionRunner.Intent.REQUIRED).refuse(a, "usage 95%", "the members hold 8 MiB");
        assertThat(a.applied).isZero();
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.REFUSED);
        assertThat(results(audit)).containsExactly("refused: the members hold 8 MiB");
    }

    /** The guard warms the path it takes right before a kill; warming adds no line. */
    @Test
    void warmingUpWritesNothing() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        runner(audit, ActionRunner.Intent.BEST_EFFORT).warmUp(a);
        assertThat(a.applied).isZero();
        assertThat(Files.size(audit.file())).isZero();
    }

    /** The guard keeps to the action's own check right before acting: a refusal there follows the intent. */
    @Test
    void theGuardsRunnerChecksOnceRightBeforeActing() throws Exception {
        AuditLog audit = new AuditLog(dir.resolve("state"));
        FileAction a = new FileAction();
        a.refuse = "pid 42 is no longer in cgroup /docker/c1 (now in /)";
        ActionOutcome o = ActionRunner.forGuard(audit, warnings::add).run(a, "usage 95%");
        assertThat(a.applied).isZero();
        assertThat(o.status()).isEqualTo(ActionOutcome.Status.REFUSED);
        assertThat(results(audit)).containsExactly("attempting", "refused: " + a.refuse);
    }
}
