package dev.hangdoctor.parse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines without ever holding more than one buffer and one bounded line: a 100 MB line
 * costs {@link #MAX_LINE} bytes of heap, not 100 MB. Bytes that are not UTF-8 become U+FFFD; CR before LF is
 * dropped by {@link KernelLogPrefix}.
 *
 * <p>Each buffer is also held once as a Latin-1 string ({@link #text()}), so that a caller can look at a line in
 * place ({@link #start()}..{@link #end()}) and decode it ({@link #decode()}) only when it matters: on a big log most
 * lines are noise. A line that is cut, or that does not end inside the buffer, gets a string of its own; a line
 * read in place always has '\n' at {@link #end()}.
 */
public final class BoundedLineReader {
    /** Longer lines are cut here; nothing a kernel prints comes near it (printk lines are at most 1 KiB). */
    public static final int MAX_LINE = 64 * 1024;

    /** Binary-looking input this long (in a row, after text) ends the stream: bounded work on an endless device. */
    public static final long MAX_BINARY_RUN = 16L << 20;
    private static final int HEAD_SAMPLE = 64 * 1024;
    private static final int READ_SAMPLE = 4 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InputStream in;
    private final byte[] buf = new byte[1 << 20];
    private String bufText = "";
    private int pos;
    private int end;
    private boolean eof;
    private final byte[] line = new byte[MAX_LINE];
    private long truncatedLines;
    private long bytesRead;
    private long controlBytes;
    private long sampled;
    private long binaryRun;
    private long binaryFrom = -1;

    /** The current line: bytes[lineStart, lineEnd), the same characters in text (Latin-1). */
    private byte[] lineBytes;
    private String lineText;
    private int lineStart;
    private int lineEnd;
    /** First byte >= 0x80 in the buffer at or after the last place looked, or Integer.MAX_VALUE. */
    private int nextHigh = -1;

    public BoundedLineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its newline, or null at the end of the stream. */
    public String readLine() throws IOException {
        return next() ? decode() : null;
    }

    /** Moves to the next line; false at the end of the stream. */
    public boolean next() throws IOException {
        if (pos >= end && (eof || !fill())) {
            return false;
        }
        int nl = bufText.indexOf('\n', pos);
        if (nl >= 0 && nl - pos <= MAX_LINE) {
            lineBytes = buf;
            lineText = bufText;
            lineStart = pos;
            lineEnd = nl;
            pos = nl + 1;
            return true;
        }
        return spill();
    }

    /** A line that is too long or runs past the buffer: copied (and cut) into a line of its own. */
    private boolean spill() throws IOException {
        int len = 0;
        boolean truncated = false;
        while (true) {
            if (pos >= end && (eof || !fill())) {
                break;
            }
            int i = bufText.indexOf('\n', pos);
            boolean found = i >= 0;
            if (!found) {
                i = end;
            }
            int n = i - pos;
            int room = MAX_LINE - len;
            if (n > room) {
                truncated = true;
                n = room;
            }
            System.arraycopy(buf, pos, line, len, n);
            len += n;
            pos = found ? i + 1 : end;
            if (found) {
                break;
            }
        }
        if (truncated) {
            truncatedLines++;
        }
        lineBytes = line;
        lineText = new String(line, 0, len, StandardCharsets.ISO_8859_1);
        lineStart = 0;
        lineEnd = len;
        return true;
    }

    /** The text holding the current line, one char per byte. */
    public String text() {
        return lineText;
    }

    /** Where the current line starts in {@link #text()}. */
    public int start() {
        return lineStart;
    }

    /** Where the current line ends (before its newline) in {@link #text()}. */
    public int end() {
        return lineEnd;
    }

    /** The current line as UTF-8. */
    public String decode() {
        return new String(lineBytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
    }

    /** True when the current line is plain ASCII, so that {@link #text()} reads the same as {@link #decode()}. */
    public boolean ascii() {
        if (lineBytes != buf) {
            return highByte(line, 0, lineEnd) >= lineEnd;
        }
        if (nextHigh < lineStart) {
            nextHigh = highByte(buf, lineStart, end);
        }
        return nextHigh >= lineEnd;
    }

    /** The first byte >= 0x80 in b[from, to), or Integer.MAX_VALUE; eight bytes at a time. */
    private static int highByte(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (((long) LONGS.get(b, i) & HIGH_BITS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            if (b[i] < 0) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        // only a sample of each read is looked at: enough to tell binary from text without a second pass over 1 GB
        int sample = Math.min(n, bytesRead == 0 ? HEAD_SAMPLE : READ_SAMPLE);
        long control = controlBytes(buf, sample);
        if (bytesRead == 0) {
            controlBytes = control;
            sampled = sample;
        }
        bytesRead += n;
        binaryRun = control * 20 > sample ? binaryRun + n : 0;
        if (looksBinary() || binaryRun >= MAX_BINARY_RUN) {
            // refuse now, not at the end of the input: /dev/zero has neither an end nor a newline
            binaryFrom = bytesRead - (looksBinary() ? n : binaryRun);
            eof = true;
            pos = 0;
            end = 0;
            return false;
        }
        pos = 0;
        end = n;
        bufText = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        nextHigh = -1;
        return true;
    }

    /** Bytes in b[0, n) that text logs do not have: controls but tab, newline, CR, form feed and ESC (colour codes). */
    private static long controlBytes(byte[] b, int n) {
        long count = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) || c == 0x7f) {
                count++;
            }
        }
        return count;
    }

    public long truncatedLines() {
        return truncatedLines;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /**
     * True when the head of the stream looks binary: text logs have no control bytes but tab, newline, CR, form feed
     * and ESC (colour codes), random or compressed data has about one in eight. The reader then ends at once.
     */
    public boolean looksBinary() {
        return sampled > 0 && controlBytes * 20 > sampled;
    }

    /**
     * Where the stream stopped being text, or -1: 0 when its head looks binary, else the start of the first run of
     * {@link #MAX_BINARY_RUN} bytes that look binary (the reader ends there). Shorter runs are read on: a log whose
     * tail was zeroed by a crash goes on after the hole.
     */
    public long binaryFrom() {
        return binaryFrom;
    }
}
