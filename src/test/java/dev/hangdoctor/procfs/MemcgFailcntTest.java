package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MemcgFailcntTest {
    /** The v1 memory hierarchy of the 6.18 VM's bundle. */
    private static final String MEMCG = "bundle-6.18/sys/fs/cgroup/memory/";

    @Test
    void chargesThatHitTheLimit() {
        assertThat(MemcgFailcnt.parse(Fixtures.text(MEMCG + "h5test/memory.failcnt")))
                .isEqualTo(19L);
        assertThat(MemcgFailcnt.parse("")).isNull();
        assertThat(MemcgFailcnt.path(Path.of("cg"))).isEqualTo(Path.of("cg/memory.failcnt"));
    }
}
