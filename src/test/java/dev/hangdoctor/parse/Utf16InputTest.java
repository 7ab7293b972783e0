package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEventKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A log saved as UTF-16 (PowerShell's redirect, Notepad's "Unicode") reads as the text it holds. */
class Utf16InputTest {

    // github.com/multipath-tcp/mptcp_net-next (corpus b-003)
    private static final String LOG = "[2870707.887079] BUG: soft lockup - CPU#10 stuck for 23s! [migration/10:346]\n";

    private static Evidence read(byte[] bytes) throws Exception {
        return EvidenceReader.read(new ByteArrayInputStream(bytes), "t");
    }

    @Test
    void withOrWithoutAByteOrderMarkInEitherOrder() throws Exception {
        for (Charset cs : new Charset[] {StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
            byte[] bytes = ("\uFEFF" + LOG).getBytes(cs);
            assertThat(read(bytes).events(KernelEventKind.SOFT_LOCKUP)).as(cs.name()).hasSize(1);
            assertThat(read(LOG.getBytes(cs)).events(KernelEventKind.SOFT_LOCKUP)).as(cs.name()).hasSize(1);
        }
    }

    @Test
    void utf8AndShortInputAreLeftAlone() throws Exception {
        assertThat(Utf16Input.utf16(LOG.getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Utf16Input.utf16("é ü ß".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Utf16Input.utf16(new byte[] {'a', 0})).isNull();
        assertThat(read(LOG.getBytes(StandardCharsets.UTF_8)).events(KernelEventKind.SOFT_LOCKUP)).hasSize(1);
    }
}
