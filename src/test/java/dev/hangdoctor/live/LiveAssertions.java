package dev.hangdoctor.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Checks the live tests share: the host is clean after a hang is closed. */
final class LiveAssertions {

    private LiveAssertions() {
    }

    static void assertGone(List<OwnedPid> pids) {
        for (OwnedPid p : pids) {
            assertThat(p.awaitGone(Duration.ofSeconds(5))).as("pid %d gone", p.pid()).isTrue();
        }
    }

    static void assertNotMounted(Path mountPoint) {
        assertThat(FuseControl.mountAt(mountPoint)).as("mount at %s", mountPoint).isEmpty();
        assertThat(Files.exists(mountPoint.getParent())).as("temp dir %s removed", mountPoint.getParent()).isFalse();
    }

    static void assertConnectionGone(int connection) {
        assertThat(Files.exists(FuseControl.CONNECTIONS.resolve(Integer.toString(connection))))
                .as("fuse connection %d gone", connection).isFalse();
    }
}
