package dev.hangdoctor.parse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The screening thread: taken only for big input, hands every line on in order, passes read errors on, stops. */
class ScreenAheadTest {
    private static final String LINE = "[ 4321.123456] usb 1-1: new high-speed USB device number 3 using xhci_hcd\n";

    @Test
    void aPastedReportIsScreenedOnTheCallersThread() throws IOException {
        try (ScreenAhead lines = new ScreenAhead(screener(new ByteArrayInputStream(log(1000))), true)) {
            assertThat(lineCount(lines)).isEqualTo(1000);
            assertThat(lines.screensAhead()).isFalse();
        }
    }

    @Test
    void aBigLogIsScreenedAheadAndEveryLineComesInOrder() throws IOException {
        int n = (int) (3 * ScreenAhead.AHEAD_AFTER / LINE.length());
        byte[] bytes = numbered(n);
        try (ScreenAhead lines = new ScreenAhead(screener(new ByteArrayInputStream(bytes)), true)) {
            int expect = 0;
            for (ScreenedLines b = lines.next(); b != null; b = lines.next()) {
                for (int i = 0; i < b.count; i++) {
                    assertThat(b.decode(i)).isEqualTo("[ 4321.123456] line " + expect++);
                    assertThat(b.noise[i]).isTrue();
                }
            }
            assertThat(expect).isEqualTo(n);
            assertThat(lines.screensAhead()).isTrue();
        }
    }

    @Test
    void withoutTheFastPathNoThreadIsTaken() throws IOException {
        int n = (int) (2 * ScreenAhead.AHEAD_AFTER / LINE.length());
        try (ScreenAhead lines = new ScreenAhead(screener(new ByteArrayInputStream(log(n))), false)) {
            assertThat(lineCount(lines)).isEqualTo(n);
            assertThat(lines.screensAhead()).isFalse();
        }
    }

    @Test
    void aReadErrorOnTheScreeningThreadReachesTheCaller() {
        int n = (int) (2 * ScreenAhead.AHEAD_AFTER / LINE.length());
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(log(n)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        });
        assertThatThrownBy(() -> {
            try (ScreenAhead lines = new ScreenAhead(screener(failing), true)) {
                lineCount(lines);
            }
        }).isInstanceOf(IOException.class).hasMessage("disk gone");
    }

    @Test
    void closingEarlyEndsTheScreeningThread() throws Exception {
        int n = (int) (4 * ScreenAhead.AHEAD_AFTER / LINE.length());
        ScreenAhead lines = new ScreenAhead(screener(new ByteArrayInputStream(log(n))), true);
        while (!lines.screensAhead()) {
            assertThat(lines.next()).isNotNull();
        }
        Thread ahead = lines.aheadThread();
        lines.close();
        ahead.join(60_000);
        assertThat(ahead.isAlive()).as("screening thread still running after close").isFalse();
    }

    private static LineScreener screener(InputStream in) {
        return new LineScreener(in, LineScreen.builder().build());
    }

    private static int lineCount(ScreenAhead lines) throws IOException {
        int n = 0;
        for (ScreenedLines b = lines.next(); b != null; b = lines.next()) {
            n += b.count;
        }
        return n;
    }

    private static byte[] log(int lines) {
        return LINE.repeat(lines).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] numbered(int lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append("[ 4321.123456] line ").append(i).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
