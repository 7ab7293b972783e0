package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangdoctor.live.FuseFlushPidns;
import dev.hangdoctor.live.HealthyFuseMount;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.live.MemcgOomStall;
import dev.hangdoctor.live.OrphanUffd;
import dev.hangdoctor.live.SleepingBystander;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One host, four real hangs at once, as issue reports describe real nodes: a stopped FUSE daemon with a `stat`
 * waiting, seed 003's FUSE flush in a dying pid namespace served by a second daemon, an orphaned userfaultfd, a memcg
 * OOM stall with oom_kill_disable; beside them a healthy FUSE mount, the stalled cgroup's quiet member and a sleeping
 * process. Scan puts every stuck pid in exactly one finding; fix --yes (restricted to this test's stuck pids, as
 * other engineers' hangs may be on the machine) ends all four without --connection; every bystander lives.
 */
@Tag("live")
class BusyHostLiveTest {
    @TempDir
    Path state;

    private static int findingsNaming(JsonNode findings, int pid) {
        int n = 0;
        for (JsonNode f : findings) {
            boolean named = f.get("rootCause") != null && f.get("rootCause").has("pid")
                    && f.get("rootCause").get("pid").asInt() == pid;
            for (JsonNode v : f.get("victims")) {
                named |= v.get("pid").asInt() == pid;
            }
            n += named ? 1 : 0;
        }
        return n;
    }

    @Test
    void scanNamesEveryStuckTaskOnceAndFixEndsAllFour() throws Exception {
        LivePreconditions.assumePidnsFuseHangs();
        LivePreconditions.assumeUffdHangs();
        LivePreconditions.assumeMemcgV1Hangs();
        try (HungFuseDaemon stat = HungFuseDaemon.start(new HungFuseDaemon.Spec().nudgeIntoD(true).stopDaemon(true));
             FuseFlushPidns flush = FuseFlushPidns.start();
             OrphanUffd uffd = OrphanUffd.start();
             MemcgOomStall memcg = MemcgOomStall.start();
             HealthyFuseMount healthy = HealthyFuseMount.start();
             SleepingBystander sleeper = SleepingBystander.start()) {
            int statWaiter = stat.waiters().get(0).pid().pid();
            int flusher = flush.stuckPid().pid();
            int uffdOwner = uffd.pid().pid();
            int hog = memcg.stalled().get(0).pid().pid();
            List<Integer> stuck = List.of(statWaiter, flusher, uffdOwner, hog);

            CliRun scan = CliRun.of("scan", "--json", "--window", "1s");
            assertThat(scan.exit()).as(scan.err()).isEqualTo(ExitCodes.PROBLEM);
            JsonNode findings = scan.json().get("findings");
            for (int pid : stuck) {
                assertThat(findingsNaming(findings, pid)).as("findings naming %d: %s", pid, findings).isEqualTo(1);
            }
            for (JsonNode f : findings) {
                // the two FUSE hangs are apart: no finding names both callers
                List<Integer> named = new ArrayList<>();
                f.get("victims").forEach(v -> named.add(v.get("pid").asInt()));
                assertThat(named.contains(statWaiter) && named.contains(flusher)).as(f.toString()).isFalse();
            }

            List<String> args = new ArrayList<>(List.of("fix", "--json", "--yes", "--window", "1s", "--state-dir",
                    state.toString()));
            stuck.forEach(p -> args.addAll(List.of("--pid", Integer.toString(p))));
            CliRun fix = CliRun.of(args.toArray(String[]::new));
            assertThat(fix.exit()).as(fix.out() + fix.err()).isEqualTo(ExitCodes.OK);
            assertThat(stat.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(flush.stuckPid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(flush.initPid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(uffd.pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(memcg.stalled().get(0).pid().state()).isNotEqualTo('D');

            assertThat(Files.readString(healthy.file())).isEqualTo(HealthyFuseMount.CONTENT);
            assertThat(healthy.daemonPid().exists()).isTrue();
            memcg.bystanders().forEach(b -> assertThat(b.pid().exists()).isTrue());
            assertThat(sleeper.pid().exists()).isTrue();
        }
    }
}
