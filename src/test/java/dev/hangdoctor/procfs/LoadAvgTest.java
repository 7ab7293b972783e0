package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LoadAvgTest {

    @Test
    void theOneMinuteAverage() {
        assertThat(LoadAvg.load1(Fixtures.text("bundle-6.18/proc/loadavg"))).isEqualTo(0.33);
        assertThat(LoadAvg.load1("x 1 2")).isNull();
        assertThat(LoadAvg.load1(null)).isNull();
        assertThat(LoadAvg.path(Path.of("r/proc"))).isEqualTo(Path.of("r/proc/loadavg"));
    }

    @Test
    void theLastPidHandedOut() {
        assertThat(LoadAvg.lastPid(Fixtures.text("bundle-6.18/proc/loadavg"))).isEqualTo(5014);
        assertThat(LoadAvg.lastPid("0.33 0.09 0.03")).isEqualTo(-1);
        assertThat(LoadAvg.lastPid("0.33 0.09 0.03 1/92 x")).isEqualTo(-1);
        assertThat(LoadAvg.lastPid(null)).isEqualTo(-1);
    }
}
