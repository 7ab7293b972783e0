package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupControllersTest {

    @Test
    void theControllersOfAV2Root() {
        // kernel/cgroup/cgroup.c cgroup_print_ss_mask: names separated by one space, a newline at the end
        assertThat(CgroupControllers.parse("cpuset cpu io memory hugetlb pids rdma misc\n")).contains("memory")
                .startsWith("cpuset", "cpu");
        // a v1 host's sys/fs/cgroup/unified (6.18, memory on v1): the v2 root has no memory controller
        assertThat(CgroupControllers.parse("hugetlb\n")).containsExactly("hugetlb");
        assertThat(CgroupControllers.parse("\n")).isEmpty();
        assertThat(CgroupControllers.parse(null)).isEmpty();
        assertThat(CgroupControllers.path(Path.of("/sys/fs/cgroup/unified")))
                .isEqualTo(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"));
    }
}
