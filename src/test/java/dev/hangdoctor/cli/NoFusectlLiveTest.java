package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.live.FuseControl;
import dev.hangdoctor.live.FuseFlushPidns;
import dev.hangdoctor.live.HealthyFuseMount;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.live.MemcgOomStall;
import dev.hangdoctor.live.OrphanUffd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A host without fusectl, emulated for the product alone: it runs in a private mount namespace (`unshare -m`, private
 * propagation) where /sys/fs/fuse/connections is unmounted, so the host's own mounts never change. The FUSE hang is
 * real and made in the host's namespace. fix --yes mounts fusectl (inside that namespace) before acting and ends the
 * hang; the host keeps whatever it had.
 */
@Tag("live")
class NoFusectlLiveTest {
    @TempDir
    Path state;

    /** Runs the product in a fresh private mount namespace without fusectl; returns its stdout (JSON). */
    private static String runWithoutFusectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "umount " + FuseControl.CONNECTIONS + " 2>/dev/null; exec \"$@\"", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("product did not finish: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void fixMountsFusectlWhereItIsMissingAndEndsTheHang() throws Exception {
        LivePreconditions.assumeFuseHangs();
        assumeTrue(Files.isDirectory(FuseControl.CONNECTIONS), "fuse module not loaded");
        boolean hostHadIt = FuseControl.mounted();
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().nudgeIntoD(true).stopDaemon(true))) {
            int waiter = hang.waiters().get(0).pid().pid();

            JsonNode scan = new ObjectMapper().readTree(runWithoutFusectl("scan", "--json", "--window", "1s"));
            assertThat(scan.get("findings").toString()).as("the stuck stat is found from the stacks alone")
                    .contains("\"pid\":" + waiter);
            assertThat(scan.get("fuseConnections").toString()).doesNotContain("\"waiting\":1");
            // read-only, scan does not mount it: it says it is blind
            assertThat(scan.get("warnings").toString()).contains("fusectl not mounted");

            JsonNode fix = new ObjectMapper().readTree(runWithoutFusectl("fix", "--json", "--yes", "--window", "1s",
                    "--state-dir", state.toString(), "--pid", Integer.toString(waiter)));
            assertThat(fix.get("fusectl").asText()).startsWith("mounted fusectl at /sys/fs/fuse/connections");
            assertThat(fix.get("plan").toString()).contains("connections/" + hang.connectionId() + "/abort");
            assertThat(hang.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(FuseControl.mounted()).as("the host's own mounts are untouched").isEqualTo(hostHadIt);
    }

    /** The busy host of {@link BusyHostLiveTest}, on a host without fusectl: scan names every stuck pid, fix ends all. */
    @Test
    void theBusyHostWithoutFusectlIsSeenAndEnded() throws Exception {
        LivePreconditions.assumePidnsFuseHangs();
        LivePreconditions.assumeUffdHangs();
        LivePreconditions.assumeMemcgV1Hangs();
        assumeTrue(Files.isDirectory(FuseControl.CONNECTIONS), "fuse module not loaded");
        boolean hostHadIt = FuseControl.mounted();
        try (HungFuseDaemon stat = HungFuseDaemon.start(new HungFuseDaemon.Spec().nudgeIntoD(true).stopDaemon(true));
             FuseFlushPidns flush = FuseFlushPidns.start();
             OrphanUffd uffd = OrphanUffd.start();
             MemcgOomStall memcg = MemcgOomStall.start();
             HealthyFuseMount healthy = HealthyFuseMount.start()) {
            List<Integer> stuck = List.of(stat.waiters().get(0).pid().pid(), flush.stuckPid().pid(), uffd.pid().pid(),
                    memcg.stalled().get(0).pid().pid());
            String findings = new ObjectMapper().readTree(runWithoutFusectl("scan", "--json", "--window", "1s"))
                    .get("findings").toString();
            for (int pid : stuck) {
                assertThat(findings).as("scan names %d", pid).contains("\"pid\":" + pid + ",");
            }
            List<String> args = new ArrayList<>(List.of("fix", "--json", "--yes", "--window", "1s", "--state-dir",
                    state.toString()));
            stuck.forEach(p -> args.addAll(List.of("--pid", Integer.toString(p))));
            JsonNode fix = new ObjectMapper().readTree(runWithoutFusectl(args.toArray(String[]::new)));
            assertThat(fix.get("fusectl").asText()).startsWith("mounted fusectl");
            assertThat(stat.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).as("%s", fix).isTrue();
            assertThat(flush.stuckPid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(uffd.pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(memcg.stalled().get(0).pid().state()).isNotEqualTo('D');
            assertThat(Files.readString(healthy.file())).isEqualTo(HealthyFuseMount.CONTENT);
            memcg.bystanders().forEach(b -> assertThat(b.pid().exists()).isTrue());
        }
        assertThat(FuseControl.mounted()).as("the host's own mounts are untouched").isEqualTo(hostHadIt);
    }
}
