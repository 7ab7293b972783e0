package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangdoctor.live.BusyHost;
import dev.hangdoctor.live.OwnedPid;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One host, four real hangs at once, as issue reports describe real nodes ({@link BusyHost}): a stopped FUSE daemon
 * with a `stat` waiting, seed 003's FUSE flush in a dying pid namespace served by a second daemon, an orphaned
 * userfaultfd, a memcg OOM stall with oom_kill_disable; beside them a healthy FUSE mount with a reader that keeps
 * reading, the stalled cgroup's quiet member and a quiet member of its parent cgroup, a quiet pid namespace and a
 * sleeping process. Scan puts every stuck pid in exactly one finding and no bystander in any; fix --yes (restricted to
 * this test's stuck pids, as other engineers' hangs may be on the machine) ends all four without --connection; every
 * bystander lives and the reader kept reading. {@link NoFusectlLiveTest} runs the same host without fusectl.
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

    /** Every stuck pid of the busy host in exactly one finding, the two FUSE hangs apart, no bystander named. */
    static void assertEachStuckOnceAndNoBystander(BusyHost host, JsonNode findings) {
        for (int pid : host.stuckPids()) {
            assertThat(findingsNaming(findings, pid)).as("findings naming %d: %s", pid, findings).isEqualTo(1);
        }
        int statWaiter = host.stuckPids().get(0);
        int flusher = host.stuckPids().get(1);
        for (JsonNode f : findings) {
            List<Integer> named = new ArrayList<>();
            f.get("victims").forEach(v -> named.add(v.get("pid").asInt()));
            assertThat(named.contains(statWaiter) && named.contains(flusher)).as(f.toString()).isFalse();
        }
        for (OwnedPid b : host.bystanders()) {
            assertThat(findingsNaming(findings, b.pid())).as("bystander %d named: %s", b.pid(), findings).isZero();
        }
    }

    @Test
    void scanNamesEveryStuckTaskOnceAndFixEndsAllFourWhileEveryBystanderLives() throws Exception {
        try (BusyHost host = BusyHost.start()) {
            long passes = host.readerPasses();
            CliRun scan = CliRun.of("scan", "--json", "--window", "1s");
            assertThat(scan.exit()).as(scan.err()).isEqualTo(ExitCodes.PROBLEM);
            assertEachStuckOnceAndNoBystander(host, scan.json().get("findings"));

            List<String> args = new ArrayList<>(List.of("fix", "--json", "--yes", "--window", "1s", "--state-dir",
                    state.toString()));
            host.stuckPids().forEach(p -> args.addAll(List.of("--pid", Integer.toString(p))));
            CliRun fix = CliRun.of(args.toArray(String[]::new));
            assertThat(fix.exit()).as(fix.out() + fix.err()).isEqualTo(ExitCodes.OK);
            host.assertAllFourEnded(fix.out());
            host.assertBystandersLive(passes);
        }
    }
}
