package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuStatTest {

    @Test
    void v1CountsThrottledTimeInNanoseconds() {
        CpuStat s = CpuStat.parse(Fixtures.text("bundle-6.18/sys/fs/cgroup/cpu/cpu.stat"));
        assertThat(s.fields()).containsKeys("nr_periods", "nr_throttled", "throttled_time");
        assertThat(s.nrThrottled()).isZero();
        assertThat(CpuStat.parse("nr_periods 10\nnr_throttled 4\nthrottled_time 2500\n").throttledNanos())
                .isEqualTo(2500);
    }

    @Test
    void v2CountsItInMicroseconds() {
        CpuStat s = CpuStat.parse("usage_usec 9000\nuser_usec 5000\nsystem_usec 4000\nnr_periods 10\nnr_throttled 3\n"
                + "throttled_usec 7\n");
        assertThat(s.nrThrottled()).isEqualTo(3);
        assertThat(s.throttledNanos()).isEqualTo(7000);
    }
}
