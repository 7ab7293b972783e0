package dev.hangdoctor.parse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupFilesTest {

    @Test
    void v1MemoryLineWins() {
        CgroupFiles.MemoryPath p = CgroupFiles.memoryPath(Fixtures.text("bundle-6.18/proc/5213/cgroup"));
        assertThat(p).isEqualTo(new CgroupFiles.MemoryPath("/h5test", 1));
    }

    @Test
    void v2OnlyAndCombinedControllers() {
        assertThat(CgroupFiles.memoryPath("0::/system.slice/docker.service\n"))
                .isEqualTo(new CgroupFiles.MemoryPath("/system.slice/docker.service", 2));
        assertThat(CgroupFiles.memoryPath("5:cpu,cpuacct:/a\n4:memory,hugetlb:/kubepods/x\n0::/\n").path())
                .isEqualTo("/kubepods/x");
        assertThat(CgroupFiles.memoryPath("9:name=systemd:/\n")).isNull();
        assertThat(CgroupFiles.memoryPath("")).isNull();
        assertThat(CgroupFiles.memoryPath(null)).isNull();
    }

    @Test
    void oomControl() {
        var m = CgroupFiles.flatKeyed(Fixtures.text("bundle-6.18/sys/fs/cgroup/memory/h5test/memory.oom_control"));
        assertThat(m).containsEntry("oom_kill_disable", 1L).containsEntry("under_oom", 1L).containsEntry("oom_kill", 0L);
    }

    @Test
    void cpuStat() {
        var m = CgroupFiles.flatKeyed(Fixtures.text("bundle-6.18/sys/fs/cgroup/cpu/cpu.stat"));
        assertThat(m).containsKeys("nr_periods", "nr_throttled", "throttled_time");
    }

    @Test
    void limits() {
        assertThat(CgroupFiles.limit(Fixtures.text("bundle-6.18/sys/fs/cgroup/memory/memory.limit_in_bytes")).unlimited()).isTrue();
        assertThat(CgroupFiles.limit(Fixtures.text("bundle-6.18/sys/fs/cgroup/memory/h5test/memory.limit_in_bytes")).bytes())
                .isEqualTo(67108864L);
        assertThat(CgroupFiles.limit("max\n").unlimited()).isTrue();
        assertThat(CgroupFiles.limit("536870912\n").bytes()).isEqualTo(536870912L);
        assertThat(CgroupFiles.limit("junk")).isNull();
        assertThat(CgroupFiles.limit(null)).isNull();
    }

    @Test
    void pidsAndNumbers() {
        assertThat(CgroupFiles.pids(Fixtures.text("bundle-6.18/sys/fs/cgroup/memory/h5test/cgroup.procs"), 10))
                .containsExactly(5049, 5213);
        assertThat(CgroupFiles.pids("1\n2\n3\n", 2)).containsExactly(1, 2);
        assertThat(CgroupFiles.number("19\n")).isEqualTo(19L);
        assertThat(CgroupFiles.number("x")).isNull();
    }

    @Test
    void cpuQuota() {
        assertThat(CgroupFiles.cpuQuota(Fixtures.text("bundle-6.18/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))).isNull();
        assertThat(CgroupFiles.cpuQuota("50000\n")).isEqualTo(50000L);
        assertThat(CgroupFiles.cpuQuota("max 100000\n")).isNull();
        assertThat(CgroupFiles.cpuQuota("50000 100000\n")).isEqualTo(50000L);
    }
}
