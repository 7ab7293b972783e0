package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupProcsTest {

    @Test
    void membersOfTheLimitedCgroup() {
        assertThat(CgroupProcs.parse(Fixtures.text("bundle-6.18/sys/fs/cgroup/memory/h5test/cgroup.procs"), 10))
                .containsExactly(5049, 5213);
    }

    @Test
    void boundedAndTolerant() {
        assertThat(CgroupProcs.parse("1\n2\n3\n", 2)).containsExactly(1, 2);
        assertThat(CgroupProcs.parse("1\nx\n3\n", 10)).containsExactly(1, 3);
        assertThat(CgroupProcs.parse(null, 10)).isEmpty();
    }
}
