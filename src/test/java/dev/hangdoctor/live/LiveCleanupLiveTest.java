package dev.hangdoctor.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("live")
class LiveCleanupLiveTest {

    /** A pid above pid_max: never alive, so anything named after it is stale. */
    private static final String DEAD_OWNER = "2147483647";

    @Test
    void sweepRemovesStaleCgroupsAndMountsButNothingOfALiveOwner() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        LivePreconditions.assumeFuseHangs();
        LiveCleanup.init();
        Path staleCgroup = Files.createDirectory(LiveCleanup.MEMCG_ROOT.resolve(LiveCleanup.CGROUP_PREFIX + DEAD_OWNER
                + "-sweeptest"));
        Path ownCgroup = Files.createDirectory(LiveCleanup.MEMCG_ROOT.resolve(LiveCleanup.newCgroupName()));
        Path staleDir = LiveCleanup.tempRoot().resolve(LiveCleanup.TEMP_PREFIX + DEAD_OWNER + "-sweeptest");
        Path staleMnt = Files.createDirectories(staleDir.resolve("mnt"));
        FuseControl.connections();
        HelperProcess daemon = HelperProcess.start("fusefs", "hung", staleMnt.toString());
        try {
            daemon.awaitLine("ready", LiveWait.SHAPE_TIMEOUT);
            assertThat(FuseControl.mountAt(staleMnt)).isPresent();

            LiveCleanup.sweepLeftovers();

            assertThat(Files.exists(staleCgroup)).isFalse();
            assertThat(Files.exists(ownCgroup)).isTrue();
            assertThat(FuseControl.mountAt(staleMnt)).isEmpty();
            assertThat(Files.exists(staleDir)).isFalse();
            // an aborted connection makes the daemon's read fail with ENODEV: it exits by itself
            assertThat(daemon.awaitExit(Duration.ofSeconds(5))).isTrue();
        } finally {
            daemon.killAndAwait(Duration.ofSeconds(5));
            FuseControl.umount(staleMnt);
            LiveCleanup.deleteTree(staleDir);
            TestCgroup.rmdir(ownCgroup, Duration.ofSeconds(5));
            TestCgroup.rmdir(staleCgroup, Duration.ofSeconds(5));
        }
    }
}
