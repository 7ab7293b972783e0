package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PidOomScoreAdjTest {

    @Test
    void theDefaultOfAProcessInALimitedCgroup() {
        assertThat(PidOomScoreAdj.parse(Fixtures.text("bundle-6.18/proc/5213/oom_score_adj"))).isZero();
    }

    @Test
    void theKernelsRangeOnly() {
        assertThat(PidOomScoreAdj.parse("-1000\n")).isEqualTo(-1000);
        assertThat(PidOomScoreAdj.parse("1000\n")).isEqualTo(1000);
        assertThat(PidOomScoreAdj.parse("1001\n")).isNull();
        assertThat(PidOomScoreAdj.parse("x")).isNull();
        assertThat(PidOomScoreAdj.parse(null)).isNull();
        assertThat(PidOomScoreAdj.path(Path.of("r/proc"), 7)).isEqualTo(Path.of("r/proc/7/oom_score_adj"));
    }
}
