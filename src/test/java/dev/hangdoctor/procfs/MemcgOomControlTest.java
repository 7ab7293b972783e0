package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemcgOomControlTest {
    /** The v1 memory hierarchy of the 6.18 VM's bundle. */
    private static final String MEMCG = "bundle-6.18/sys/fs/cgroup/memory/";

    @Test
    void aCgroupStuckUnderOomWithTheKillerDisabled() {
        MemcgOomControl o = MemcgOomControl.parse(Fixtures.text(MEMCG + "h5test/memory.oom_control"));
        assertThat(o.underOom()).isTrue();
        assertThat(o.oomKillDisable()).isTrue();
        assertThat(o.oomKill()).isZero();
        assertThat(o.fields().keySet()).containsExactly("oom_kill_disable", "under_oom", "oom_kill");
    }

    @Test
    void theRootIsNotUnderOom() {
        assertThat(MemcgOomControl.parse(Fixtures.text(MEMCG + "memory.oom_control")).underOom()).isFalse();
    }

    @Test
    void beforeLinux413ThereIsNoOomKillLine() {
        MemcgOomControl o = MemcgOomControl.parse("oom_kill_disable 0\nunder_oom 0\n");
        assertThat(o.oomKill()).isNull();
        assertThat(MemcgOomControl.parse(null).isEmpty()).isTrue();
        assertThat(MemcgOomControl.parse(null).underOom()).isNull();
    }
}
