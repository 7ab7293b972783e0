package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MemcgLimitTest {
    /** The v1 memory hierarchy of the 6.18 VM's bundle. */
    private static final String MEMCG = "bundle-6.18/sys/fs/cgroup/memory/";

    @Test
    void v1RootSaysNoLimitWithPageCounterMax() {
        // 9223372036854771712: PAGE_COUNTER_MAX pages of 4 KiB, in bytes
        assertThat(MemcgLimit.parse(Fixtures.text(MEMCG + "memory.limit_in_bytes")).unlimited()).isTrue();
    }

    @Test
    void v1LimitedCgroup() {
        assertThat(MemcgLimit.parse(Fixtures.text(MEMCG + "h5test/memory.limit_in_bytes")).bytes())
                .isEqualTo(64L << 20);
    }

    @Test
    void v2MaxAndNumbers() {
        // mm/memcontrol.c memory_max_show: "max" or the bytes, one line
        assertThat(MemcgLimit.parse("max\n").unlimited()).isTrue();
        assertThat(MemcgLimit.parse("536870912\n").bytes()).isEqualTo(536870912L);
        assertThat(MemcgLimit.parse("junk")).isNull();
        assertThat(MemcgLimit.parse(null)).isNull();
    }

    @Test
    void fileNamesPerVersion() {
        Path d = Path.of("/sys/fs/cgroup/memory/x");
        assertThat(MemcgLimit.path(d, 1)).isEqualTo(d.resolve("memory.limit_in_bytes"));
        assertThat(MemcgLimit.path(d, 2)).isEqualTo(d.resolve("memory.max"));
        assertThat(MemcgLimit.memswPath(d)).isEqualTo(d.resolve("memory.memsw.limit_in_bytes"));
        assertThat(MemcgLimit.highPath(d)).isEqualTo(d.resolve("memory.high"));
    }
}
