package dev.hangdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangdoctor.collect.LiveSource;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which memory hierarchy the guard finds on a host: v1, a co-mounted v1, v2 (by its cgroup.controllers), or none. */
class MemoryHierarchyTest {
    @TempDir
    Path host;

    private void write(String rel, String text) throws Exception {
        Path p = host.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private MemoryHierarchy find() {
        return MemoryHierarchy.find(LiveSource.at(host));
    }

    @Test
    void v1UnderMemory() throws Exception {
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", "1073741824\n");
        assertThat(find()).isEqualTo(new MemoryHierarchy(host.resolve("sys/fs/cgroup/memory"), 1));
    }

    @Test
    void v1CoMountedWithCpu() throws Exception {
        write("sys/fs/cgroup/cpu,memory/memory.usage_in_bytes", "1073741824\n");
        assertThat(find()).isEqualTo(new MemoryHierarchy(host.resolve("sys/fs/cgroup/cpu,memory"), 1));
    }

    @Test
    void v2WhenItsControllersListMemory() throws Exception {
        // cgroup.controllers as the kernel prints it: space-separated names on one line
        write("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        assertThat(find()).isEqualTo(new MemoryHierarchy(host.resolve("sys/fs/cgroup"), 2));
    }

    @Test
    void hybridV2UnderUnified() throws Exception {
        write("sys/fs/cgroup/unified/cgroup.controllers", "memory\n");
        assertThat(find()).isEqualTo(new MemoryHierarchy(host.resolve("sys/fs/cgroup/unified"), 2));
    }

    @Test
    void noneWhenV2LacksMemory() throws Exception {
        write("sys/fs/cgroup/cgroup.controllers", "cpuset cpu io pids\n");
        assertThat(find()).isNull();
    }
}
