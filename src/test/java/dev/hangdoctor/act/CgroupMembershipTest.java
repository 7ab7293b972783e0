package dev.hangdoctor.act;

import dev.hangdoctor.collect.LiveSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupMembershipTest {

    @Test
    void aProcessInTheCgroupOrBelowIsInside(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/42"));
        Files.writeString(root.resolve("proc/42/cgroup"), "5:cpu,cpuacct:/\n4:memory:/kubepods/pod1/c1\n0::/\n");
        LiveSource host = LiveSource.at(root);
        assertThat(CgroupMembership.refuseOutside(host, 42, "/kubepods/pod1")).isNull();
        assertThat(CgroupMembership.refuseOutside(host, 42, "/kubepods/pod1/c1")).isNull();
        assertThat(CgroupMembership.refuseOutside(host, 42, "/kubepods/pod2"))
                .isEqualTo("pid 42 is no longer in cgroup /kubepods/pod2 (now in /kubepods/pod1/c1)");
        assertThat(CgroupMembership.refuseOutside(host, 42, "/kubepods/pod")).isNotNull();
    }

    @Test
    void aProcessWhoseCgroupCannotBeReadIsRefused(@TempDir Path root) {
        assertThat(CgroupMembership.refuseOutside(LiveSource.at(root), 42, "/"))
                .startsWith("pid 42: cannot tell its cgroup now (missing");
    }
}
