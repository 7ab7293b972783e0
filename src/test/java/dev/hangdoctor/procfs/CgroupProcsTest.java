package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupProcsTest {
    /** The v1 memory hierarchy of the 6.18 VM's bundle. */
    private static final String MEMCG = "bundle-6.18/sys/fs/cgroup/memory/";

    @Test
    void membersOfTheLimitedCgroup() {
        assertThat(CgroupProcs.parse(Fixtures.text(MEMCG + "h5test/cgroup.procs"), 10))
                .containsExactly(5049, 5213);
    }

    @Test
    void boundedAndTolerant() {
        assertThat(CgroupProcs.parse("1\n2\n3\n", 2)).containsExactly(1, 2);
        assertThat(CgroupProcs.parse("1\nx\n3\n", 10)).containsExactly(1, 3);
        assertThat(CgroupProcs.parse(null, 10)).isEmpty();
    }
}
