package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MemcgUsageTest {
    /** The v1 memory hierarchy of the 6.18 VM's bundle. */
    private static final String MEMCG = "bundle-6.18/sys/fs/cgroup/memory/";

    @Test
    void v1UsageAsTextAndAsBytes() {
        String text = Fixtures.text(MEMCG + "h5test/memory.usage_in_bytes");
        assertThat(MemcgUsage.parse(text)).isEqualTo(67108864L);
        byte[] raw = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(64).put(raw);
        assertThat(MemcgUsage.parse(buf, raw.length)).isEqualTo(67108864L);
    }

    @Test
    void notANumber() {
        assertThat(MemcgUsage.parse("x")).isNull();
        assertThat(MemcgUsage.parse((String) null)).isNull();
        assertThat(MemcgUsage.parse(ByteBuffer.wrap("x\n".getBytes(StandardCharsets.US_ASCII)), 2))
                .isEqualTo(MemcgUsage.NOT_A_NUMBER);
        byte[] huge = "12345678901234567890\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(MemcgUsage.parse(ByteBuffer.wrap(huge), huge.length)).isEqualTo(MemcgUsage.NOT_A_NUMBER);
    }

    @Test
    void fileNamesPerVersion() {
        Path d = Path.of("cg");
        assertThat(MemcgUsage.path(d, 1)).isEqualTo(Path.of("cg/memory.usage_in_bytes"));
        assertThat(MemcgUsage.path(d, 2)).isEqualTo(Path.of("cg/memory.current"));
    }
}
