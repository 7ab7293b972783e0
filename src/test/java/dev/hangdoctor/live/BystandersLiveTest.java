package dev.hangdoctor.live;

import static dev.hangdoctor.live.LiveAssertions.assertConnectionGone;
import static dev.hangdoctor.live.LiveAssertions.assertGone;
import static dev.hangdoctor.live.LiveAssertions.assertNotMounted;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("live")
class BystandersLiveTest {

    @Test
    void healthyFuseMountServesStatAndCat() {
        LivePreconditions.assumeFuseHangs();
        Path mnt;
        int conn;
        List<OwnedPid> pids;
        try (HealthyFuseMount mount = HealthyFuseMount.start()) {
            mnt = mount.mountPoint();
            conn = mount.connectionId();
            pids = mount.ownPids();
            // clients run as helpers, never in the JVM: if the daemon misbehaved we must not hang ourselves
            HelperProcess stat = HelperProcess.start("fsop", "stat", mount.file().toString());
            assertThat(stat.awaitLine("ok", LiveWait.SHAPE_TIMEOUT)).contains("size=26");
            HelperProcess cat = HelperProcess.start("fsop", "cat", mount.file().toString());
            assertThat(cat.awaitLine("ok", LiveWait.SHAPE_TIMEOUT)).isEqualTo("ok bytes=26");
            assertThat(cat.transcript()).contains(HealthyFuseMount.CONTENT.trim());
            assertThat(stat.awaitExit(Duration.ofSeconds(5))).isTrue();
            assertThat(cat.awaitExit(Duration.ofSeconds(5))).isTrue();
            // RELEASE goes out in the background after close: waiting drops to 0 a moment later
            LiveWait.await("waiting 0 on a healthy mount", LiveWait.SHAPE_TIMEOUT,
                    () -> mount.waiting().orElse(-1L) == 0, () -> "waiting " + mount.waiting());
        }
        assertGone(pids);
        assertNotMounted(mnt);
        assertConnectionGone(conn);
    }

    @Test
    void sleepingBystanderSitsInPauseInItsOwnCgroup() {
        LivePreconditions.assumeMemcgV1Hangs();
        Path dir;
        OwnedPid pid;
        try (SleepingBystander b = SleepingBystander.start()) {
            dir = b.cgroupDir();
            pid = b.pid();
            assertThat(pid.state()).isEqualTo('S');
            assertThat(TestCgroup.pids(dir)).containsExactly(pid.pid());
            ObservedStacks.record("sleeping-bystander", "pause()", 'S', LiveProc.stack(pid.pid()));
        }
        assertGone(List.of(pid));
        assertThat(Files.exists(dir)).isFalse();
    }
}
