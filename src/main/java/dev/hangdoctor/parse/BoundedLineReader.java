package dev.hangdoctor.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines without ever holding more than one buffer and one bounded line: a 100 MB line
 * costs {@link #MAX_LINE} bytes of heap, not 100 MB. Bytes that are not UTF-8 become U+FFFD; CR before LF is
 * dropped by {@link KernelLogPrefix}.
 */
public final class BoundedLineReader {
    /** Longer lines are cut here; nothing a kernel prints comes near it (printk lines are at most 1 KiB). */
    public static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 20];
    private int pos;
    private int end;
    private boolean eof;
    private final byte[] line = new byte[MAX_LINE];
    private long truncatedLines;
    private long bytesRead;
    private long controlBytes;
    private long sampled;

    public BoundedLineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its newline, or null at the end of the stream. */
    public String readLine() throws IOException {
        int len = 0;
        boolean truncated = false;
        boolean any = false;
        while (true) {
            if (pos >= end) {
                if (eof || !fill()) {
                    if (!any) {
                        return null;
                    }
                    break;
                }
            }
            any = true;
            int i = pos;
            byte[] b = buf;
            int e = end;
            while (i < e && b[i] != '\n') {
                i++;
            }
            int n = i - pos;
            int room = MAX_LINE - len;
            if (n > room) {
                truncated = true;
                n = room;
            }
            System.arraycopy(b, pos, line, len, n);
            len += n;
            if (i < e) {
                pos = i + 1;
                break;
            }
            pos = e;
        }
        if (truncated) {
            truncatedLines++;
        }
        return new String(line, 0, len, StandardCharsets.UTF_8);
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        if (bytesRead == 0) {
            // only the head is sampled: enough to tell a binary file from text without a second pass over 1 GB
            int sample = Math.min(n, 64 * 1024);
            for (int i = 0; i < sample; i++) {
                int b = buf[i] & 0xff;
                if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1b) || b == 0x7f) {
                    controlBytes++;
                }
            }
            sampled = sample;
        }
        bytesRead += n;
        pos = 0;
        end = n;
        return true;
    }

    public long truncatedLines() {
        return truncatedLines;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /**
     * True when the head of the stream looks binary: text logs have no control bytes but tab, newline, CR, form feed
     * and ESC (colour codes), random or compressed data has about one in eight.
     */
    public boolean looksBinary() {
        return sampled > 0 && controlBytes * 20 > sampled;
    }
}
