package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CpuQuotaTest {

    @Test
    void v1MinusOneIsNoQuota() {
        assertThat(CpuQuota.parse(Fixtures.text("bundle-6.18/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))).isNull();
        assertThat(CpuQuota.parse("50000\n")).isEqualTo(50000L);
    }

    @Test
    void v2MaxAndPeriod() {
        // kernel/sched/core.c cpu_max_show: "max 100000" or "50000 100000"
        assertThat(CpuQuota.parse("max 100000\n")).isNull();
        assertThat(CpuQuota.parse("50000 100000\n")).isEqualTo(50000L);
        assertThat(CpuQuota.parse(null)).isNull();
        assertThat(CpuQuota.path(Path.of("cg"), 2)).isEqualTo(Path.of("cg/cpu.max"));
        assertThat(CpuQuota.path(Path.of("cg"), 1)).isEqualTo(Path.of("cg/cpu.cfs_quota_us"));
    }
}
