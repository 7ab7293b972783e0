package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FuseConnectionDirTest {

    @Test
    void waitingOfTheHungDaemonsConnection() {
        // connection 40 of the 6.18 bundle: two requests the stopped daemon never answered
        assertThat(FuseConnectionDir.parseWaiting(Fixtures.text("bundle-6.18/sys/fs/fuse/connections/40/waiting")))
                .isEqualTo(2L);
        assertThat(FuseConnectionDir.parseWaiting("0\n")).isZero();
        assertThat(FuseConnectionDir.parseWaiting("")).isNull();
        assertThat(FuseConnectionDir.parseWaiting("lots")).isNull();
        assertThat(FuseConnectionDir.parseWaiting(null)).isNull();
    }

    @Test
    void pathsUnderAnySysRoot() {
        Path sys = Path.of("bundle/sys");
        Path dir = FuseConnectionDir.of(sys, 40);
        assertThat(FuseConnectionDir.all(sys)).isEqualTo(Path.of("bundle/sys/fs/fuse/connections"));
        assertThat(dir).isEqualTo(Path.of("bundle/sys/fs/fuse/connections/40"));
        assertThat(FuseConnectionDir.waiting(dir)).isEqualTo(Path.of("bundle/sys/fs/fuse/connections/40/waiting"));
        assertThat(FuseConnectionDir.abort(dir)).isEqualTo(Path.of("bundle/sys/fs/fuse/connections/40/abort"));
    }
}
