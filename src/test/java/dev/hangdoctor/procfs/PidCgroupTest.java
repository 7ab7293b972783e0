package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PidCgroupTest {

    @Test
    void theV1MemoryLineWinsOverTheV2One() {
        // the 6.18 VM's hog in its limited cgroup: ten hierarchies, memory on line 4, the v2 "0::/" last
        assertThat(PidCgroup.memoryPath(Fixtures.text("bundle-6.18/proc/5213/cgroup")))
                .isEqualTo(new PidCgroup.MemoryPath("/h5test", 1));
    }

    @Test
    void aZombieLeaderIsBackInTheRoot() {
        assertThat(PidCgroup.memoryPath(Fixtures.text("bundle-6.18/proc/5049/cgroup")).path()).isEqualTo("/");
    }

    @Test
    void v2OnlyAndCoMountedControllers() {
        assertThat(PidCgroup.memoryPath("0::/system.slice/docker.service\n"))
                .isEqualTo(new PidCgroup.MemoryPath("/system.slice/docker.service", 2));
        assertThat(PidCgroup.memoryPath("5:cpu,cpuacct:/a\n4:memory,hugetlb:/kubepods/x\n0::/\n").path())
                .isEqualTo("/kubepods/x");
        assertThat(PidCgroup.memoryPath("9:name=systemd:/\n")).isNull();
        assertThat(PidCgroup.memoryPath("")).isNull();
        assertThat(PidCgroup.memoryPath(null)).isNull();
    }

    @Test
    void pathsUnderAnyProcRoot() {
        assertThat(PidCgroup.path(Path.of("b/proc"), 7)).isEqualTo(Path.of("b/proc/7/cgroup"));
        assertThat(PidCgroup.taskPath(Path.of("b/proc"), 7, 9)).isEqualTo(Path.of("b/proc/7/task/9/cgroup"));
    }
}
