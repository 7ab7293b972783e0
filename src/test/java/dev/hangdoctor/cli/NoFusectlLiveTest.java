package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.live.BusyHost;
import dev.hangdoctor.live.FuseControl;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A host without fusectl, emulated for the product alone ({@link WithoutFusectl}): it runs in a private mount
 * namespace (`unshare -m`, private propagation) where /sys/fs/fuse/connections is unmounted, so the host's own mounts
 * never change. The FUSE hang is
 * real and made in the host's namespace. fix --yes mounts fusectl (inside that namespace) before acting and ends the
 * hang; the host keeps whatever it had.
 */
@Tag("live")
class NoFusectlLiveTest {
    @TempDir
    Path state;

    private static String runWithoutFusectl(String... args) throws Exception {
        return WithoutFusectl.run(args);
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
            // the mount changed the host: its intent and result are in the audit log like every remedy's
            String audit = Files.readString(state.resolve("audit.jsonl"));
            assertThat(audit.lines().filter(l -> l.contains("\"action\":\"fusectl-mount\"")).toList())
                    .hasSize(2).satisfiesExactly(
                            l -> assertThat(l).contains("\"result\":\"attempting\"")
                                    .contains("\"before\":\"fusectl not mounted at /sys/fs/fuse/connections\""),
                            l -> assertThat(l).contains("\"result\":\"done\"")
                                    .contains("\"after\":\"fusectl mounted at /sys/fs/fuse/connections\""));
            assertThat(fix.get("plan").toString()).contains("connections/" + hang.connectionId() + "/abort");
            assertThat(hang.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(FuseControl.mounted()).as("the host's own mounts are untouched").isEqualTo(hostHadIt);
    }

    /**
     * The busy host of {@link BusyHostLiveTest}, on a host without fusectl: scan names every stuck pid and no
     * bystander, fix ends all four, every bystander lives and the healthy mount's reader kept reading.
     */
    @Test
    void theBusyHostWithoutFusectlIsSeenAndEnded() throws Exception {
        LivePreconditions.assumePidnsFuseHangs();
        assumeTrue(Files.isDirectory(FuseControl.CONNECTIONS), "fuse module not loaded");
        boolean hostHadIt = FuseControl.mounted();
        try (BusyHost host = BusyHost.start()) {
            long passes = host.readerPasses();
            JsonNode findings = new ObjectMapper().readTree(runWithoutFusectl("scan", "--json", "--window", "1s"))
                    .get("findings");
            BusyHostLiveTest.assertEachStuckOnceAndNoBystander(host, findings);

            List<String> args = new ArrayList<>(List.of("fix", "--json", "--yes", "--window", "1s", "--state-dir",
                    state.toString()));
            host.stuckPids().forEach(p -> args.addAll(List.of("--pid", Integer.toString(p))));
            JsonNode fix = new ObjectMapper().readTree(runWithoutFusectl(args.toArray(String[]::new)));
            assertThat(fix.get("fusectl").asText()).startsWith("mounted fusectl");
            host.assertAllFourEnded(fix.toString());
            host.assertBystandersLive(passes);
        }
        assertThat(FuseControl.mounted()).as("the host's own mounts are untouched").isEqualTo(hostHadIt);
    }
}
