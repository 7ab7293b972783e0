package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MemcgEventsTest {

    @Test
    void aCgroupThatHitItsMax() {
        // mm/memcontrol.c __memory_events_show: "%s %lu\n" per event, oom_group_kill since 5.17
        MemcgEvents e = MemcgEvents.parse("low 0\nhigh 0\nmax 1502\noom 3\noom_kill 2\noom_group_kill 0\n");
        assertThat(e.max()).isEqualTo(1502L);
        assertThat(e.oomKill()).isEqualTo(2L);
        assertThat(e.fields().keySet()).containsExactly("low", "high", "max", "oom", "oom_kill", "oom_group_kill");
    }

    @Test
    void missingKeysAreNullNotZero() {
        assertThat(MemcgEvents.parse("low 0\nhigh 0\nmax 0\noom 0\n").oomKill()).isNull();
        assertThat(MemcgEvents.parse(null).max()).isNull();
        assertThat(MemcgEvents.path(Path.of("cg"))).isEqualTo(Path.of("cg/memory.events"));
    }
}
