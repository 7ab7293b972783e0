package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Binary input is refused within a bounded amount of it, at the head or as it streams: an endless device never
 * keeps the reader busy. A zeroed hole shorter than the bound (a log's tail after a crash) is read past. The
 * timeouts only turn a reader that never ends into a failure; they say nothing about speed.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BinaryInputTest {
    private static final String REPORT = """
            [ 4080.123456] INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.
            [ 4080.123700] jbd2/md127-8    D ffff9f53ff35bbf0     0   587      2 0x00000000
            [ 4080.123800] Call Trace:
            [ 4080.123900]  [<ffffffff8163a909>] schedule+0x29/0x70
            [ 4080.124000]  [<ffffffffa01fd0f8>] jbd2_journal_commit_transaction+0x248/0x19a0 [jbd2]
            """;

    /** Zero bytes, {@code limit} of them or, with a negative limit, forever (as /dev/zero). */
    private static InputStream zeros(long limit) {
        return new InputStream() {
            private long given;

            @Override
            public int read() {
                if (limit >= 0 && given >= limit) {
                    return -1;
                }
                given++;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long n = limit < 0 ? len : Math.min(len, limit - given);
                if (n <= 0) {
                    return -1;
                }
                Arrays.fill(b, off, off + (int) n, (byte) 0);
                given += n;
                return (int) n;
            }
        };
    }

    private static InputStream text(String s, int times) {
        return new ByteArrayInputStream(s.repeat(times).getBytes(StandardCharsets.US_ASCII));
    }

    private static InputStream concat(InputStream... parts) {
        return new SequenceInputStream(Collections.enumeration(List.of(parts)));
    }

    @Test
    void endlessZerosAreRefusedAtTheHead() {
        assertThatThrownBy(() -> EvidenceReader.read(zeros(-1), "<stdin>"))
                .isInstanceOf(UnrecognisedEvidenceException.class)
                .hasMessageStartingWith("<stdin>: binary data, not text evidence");
    }

    @Test
    void endlessZerosAfterTextEndTheReadWithAWarning() throws IOException {
        // enough text that the head sample is all text: the zeros come later, as they do when a device is appended
        Evidence e = EvidenceReader.read(concat(text(REPORT, 2000), zeros(-1)), "log");
        assertThat(e.tasks()).hasSize(1);
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("log: binary data from byte ").contains("the rest was not read"));
    }

    @Test
    void endlessZerosAfterNoiseAreRefused() {
        assertThatThrownBy(() -> EvidenceReader.read(concat(text("we rebooted the host on tuesday\n", 5000), zeros(-1)), "notes"))
                .isInstanceOf(UnrecognisedEvidenceException.class)
                .hasMessageContaining("binary data from byte").hasMessageContaining("nothing before it was recognised");
    }

    @Test
    void aZeroedHoleShorterThanTheBoundIsReadPast() throws IOException {
        Evidence e = EvidenceReader.read(concat(text(REPORT, 2000), zeros(BoundedLineReader.MAX_BINARY_RUN / 2),
                text("\n" + REPORT.replace("jbd2/md127-8", "kworker/0:1").replace("587", "77"), 1)), "messages");
        assertThat(e.tasks()).hasSize(2);
        assertThat(e.warnings()).noneMatch(w -> w.contains("binary"));
    }
}
