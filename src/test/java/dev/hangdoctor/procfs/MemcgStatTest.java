package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemcgStatTest {
    /** The v1 memory hierarchy of the 6.18 VM's bundle. */
    private static final String MEMCG = "bundle-6.18/sys/fs/cgroup/memory/";

    @Test
    void v1PrintsOwnAndSubtreeCounters() {
        MemcgStat s = MemcgStat.parse(Fixtures.text(MEMCG + "h5test/memory.stat"));
        assertThat(s.fields()).hasSize(42);
        assertThat(s.get("rss")).isEqualTo(66961408L);
        assertThat(s.get(MemcgStat.inactiveFileKey(1))).isZero();
        assertThat(MemcgStat.inactiveFileKey(1)).isEqualTo("total_inactive_file");
        assertThat(MemcgStat.inactiveFileKey(2)).isEqualTo("inactive_file");
    }

    @Test
    void unreadableIsEmpty() {
        assertThat(MemcgStat.parse(null).get("rss")).isNull();
        assertThat(MemcgStat.parse("rss x\n").fields()).isEmpty();
    }
}
