package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangdoctor.live.FuseFlushPidns;
import dev.hangdoctor.live.HealthyFuseMount;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.live.LiveProc;
import dev.hangdoctor.live.MemcgOomStall;
import dev.hangdoctor.live.OrphanUffd;
import dev.hangdoctor.live.OwnedPid;
import dev.hangdoctor.live.SleepingBystander;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `hangdoctor fix` on real hangs: the remedy ends the hang, bystanders survive, dry run changes nothing. Each test acts
 * only on what it created: the knowledge base's remedies target the stuck tasks' own connection, cgroup or process,
 * and the assertions check that everything else the test started is untouched.
 */
@Tag("live")
class FixLiveTest {
    private static final Duration GONE = Duration.ofSeconds(10);

    @TempDir
    Path state;

    private CliRun fix(String... extra) {
        String[] base = {"fix", "--json", "--window", "500ms", "--state-dir", state.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private static JsonNode planFor(JsonNode doc, String action) {
        for (JsonNode p : doc.get("plan")) {
            if (p.get("action").asText().equals(action)) {
                return p;
            }
        }
        throw new AssertionError("no " + action + " in plan: " + doc.get("plan") + " notes: " + doc.get("notes")
                + " findings: " + doc.get("diagnosis").get("findings"));
    }

    private static void assertResolved(JsonNode doc) {
        assertThat(doc.get("results").toString()).contains("\"result\":\"done\"");
        assertThat(doc.get("verification")).isNotEmpty();
        doc.get("verification").forEach(v -> assertThat(v.get("verdict").asText()).as(v.toString()).isEqualTo("resolved"));
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        LivePreconditions.assumeFuseHangs();
        try (HungFuseDaemon hang = HungFuseDaemon.start()) {
            CliRun r = fix("--pid", Integer.toString(hang.waiters().get(0).pid().pid()),
                    "--connection", Integer.toString(hang.connectionId()));
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
            JsonNode doc = r.json();
            assertThat(doc.get("dryRun").asBoolean()).isTrue();
            JsonNode p = planFor(doc, "fuse-abort");
            assertThat(p.get("commands").get(0).asText()).endsWith("/sys/fs/fuse/connections/" + hang.connectionId() + "/abort");
            assertThat(doc.has("results")).isFalse();
            // nothing moved: the request still waits, the waiter still sleeps in FUSE, no audit log was written
            assertThat(hang.waiting()).hasValueSatisfying(n -> assertThat(n).isPositive());
            OwnedPid waiter = hang.waiters().get(0).pid();
            assertThat(waiter.exists()).isTrue();
            assertThat(LiveProc.functions(LiveProc.stack(waiter.pid()))).contains("request_wait_answer");
            assertThat(state.resolve("audit.jsonl")).doesNotExist();
        }
    }

    @Test
    void hungFuseDaemonIsAbortedAndBystandersSurvive() throws Exception {
        LivePreconditions.assumeFuseHangs();
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().waiters(3));
             HealthyFuseMount healthy = HealthyFuseMount.start();
             SleepingBystander sleeper = SleepingBystander.start()) {
            // other FUSE hangs may exist on a shared machine: name ours, as an operator would when several are stuck
            CliRun r = fix("--yes", "--pid", Integer.toString(hang.waiters().get(0).pid().pid()),
                    "--connection", Integer.toString(hang.connectionId()));
            JsonNode doc = r.json();
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
            assertThat(planFor(doc, "fuse-abort").get("summary").asText()).contains("connection " + hang.connectionId());
            assertResolved(doc);
            for (HungFuseDaemon.Waiter w : hang.waiters()) {
                assertThat(w.pid().awaitGone(GONE)).as("waiter %s returns from the aborted connection", w.pid()).isTrue();
            }
            // bystanders: the healthy mount still answers, the sleeper and the healthy daemon live on
            assertThat(Files.readString(healthy.file())).isEqualTo(HealthyFuseMount.CONTENT);
            assertThat(healthy.daemonPid().exists()).isTrue();
            assertThat(sleeper.pid().exists()).isTrue();
            String audit = Files.readString(state.resolve("audit.jsonl"));
            assertThat(audit).contains("\"action\":\"fuse-abort\"").contains("\"result\":\"done\"")
                    .contains("connections/" + hang.connectionId());
            assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.getPosixFilePermissions(state.resolve("audit.jsonl")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void fuseFlushInADyingPidNamespaceIsAborted() throws Exception {
        LivePreconditions.assumePidnsFuseHangs();
        try (FuseFlushPidns hang = FuseFlushPidns.start();
             HealthyFuseMount healthy = HealthyFuseMount.start()) {
            CliRun r = fix("--yes", "--pid", Integer.toString(hang.stuckPid().pid()),
                    "--connection", Integer.toString(hang.connectionId()));
            JsonNode doc = r.json();
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
            planFor(doc, "fuse-abort");
            assertResolved(doc);
            assertThat(hang.stuckPid().awaitGone(GONE)).isTrue();
            assertThat(hang.initPid().awaitGone(GONE)).isTrue();
            assertThat(Files.readString(healthy.file())).isEqualTo(HealthyFuseMount.CONTENT);
        }
    }

    @Test
    void memcgStallGetsMoreMemoryAndNobodyDies() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        try (MemcgOomStall hang = MemcgOomStall.start();
             SleepingBystander other = SleepingBystander.start()) {
            CliRun r = fix("--yes", "--pid", Integer.toString(hang.stalled().get(0).pid().pid()), "--restore-after", "200ms");
            JsonNode doc = r.json();
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
            assertThat(planFor(doc, "memcg-raise-limit").get("summary").asText()).contains(hang.cgroupDir().getFileName().toString());
            assertResolved(doc);
            long limit = Long.parseLong(Files.readString(hang.cgroupDir().resolve("memory.limit_in_bytes")).trim());
            // the hog now holds its 48 MiB, more than the old 32 MiB limit: restoring would re-create the stall
            assertThat(limit).isGreaterThan(hang.limitBytes());
            // the undo of the raise is refused at its precheck, audited like any step
            assertThat(doc.get("restored").get(0).get("action").asText()).isEqualTo("memcg-restore-limit");
            assertThat(doc.get("restored").get(0).get("result").asText()).startsWith("refused: usage");
            assertThat(Files.readString(state.resolve("audit.jsonl")))
                    .contains("\"action\":\"memcg-raise-limit\"").contains("\"result\":\"attempting\"")
                    .contains("\"action\":\"memcg-restore-limit\"").contains("\"result\":\"refused: usage");
            for (MemcgOomStall.Member m : hang.stalled()) {
                assertThat(m.pid().exists()).isTrue();
                assertThat(m.pid().state()).isNotEqualTo('D');
            }
            hang.bystanders().forEach(b -> assertThat(b.pid().exists()).isTrue());
            assertThat(other.pid().exists()).isTrue();
            assertThat(Files.readString(hang.cgroupDir().resolve("memory.oom_control"))).contains("under_oom 0");
        }
    }

    @Test
    void memcgStallKillsOnlyTheProcessTheOomKillerWouldChoose() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        try (MemcgOomStall hang = MemcgOomStall.start(new MemcgOomStall.Spec().limitMiB(32).bystandersMiB(1).hogsMiB(8, 40));
             SleepingBystander other = SleepingBystander.start()) {
            MemcgOomStall.Member big = hang.stalled().get(0);
            assertThat(big.mib()).isEqualTo(40);
            CliRun r = fix("--yes", "--action", "memcg-kill-oom-victim", "--pid", Integer.toString(big.pid().pid()));
            JsonNode doc = r.json();
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
            assertThat(planFor(doc, "memcg-kill-oom-victim").get("commands").get(0).asText())
                    .isEqualTo("kill -KILL " + big.pid().pid());
            assertResolved(doc);
            assertThat(big.pid().awaitGone(GONE)).isTrue();
            List<MemcgOomStall.Member> survivors = hang.hogs().stream().filter(m -> m != big).toList();
            survivors.forEach(m -> assertThat(m.pid().exists()).as("sibling %s survives", m).isTrue());
            hang.bystanders().forEach(b -> assertThat(b.pid().exists()).isTrue());
            assertThat(other.pid().exists()).isTrue();
            assertThat(Long.parseLong(Files.readString(hang.cgroupDir().resolve("memory.limit_in_bytes")).trim()))
                    .isEqualTo(hang.limitBytes());
        }
    }

    @Test
    void orphanedUserfaultfdOwnerIsEnded() throws Exception {
        endsOrphanedUffdOwner(null);
    }

    /** A name that is not UTF-8 once made the owner unreadable, and `fix` called it "exited meanwhile". */
    @Test
    void orphanedUserfaultfdOwnerWhoseNameIsNotUtf8IsEnded() throws Exception {
        endsOrphanedUffdOwner(new byte[] {'u', (byte) 0xff, ')', ' ', 'x'});
    }

    private void endsOrphanedUffdOwner(byte[] name) throws Exception {
        LivePreconditions.assumeUffdHangs();
        try (OrphanUffd hang = OrphanUffd.start(OrphanUffd.Fault.USER_TOUCH, name);
             SleepingBystander other = SleepingBystander.start()) {
            CliRun r = fix("--yes", "--pid", Integer.toString(hang.pid().pid()));
            JsonNode doc = r.json();
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
            assertThat(planFor(doc, "uffd-kill-owner").get("commands").get(0).asText()).isEqualTo("kill -KILL " + hang.pid().pid());
            assertResolved(doc);
            assertThat(hang.pid().awaitGone(GONE)).isTrue();
            assertThat(other.pid().exists()).isTrue();
        }
    }
}
