package dev.hangdoctor.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A log saved as UTF-16 (Windows PowerShell's {@code kubectl logs ... > node.log} and Notepad's "Unicode" write it,
 * with a byte-order mark): read as the UTF-8 text it holds, a buffer at a time. Any other input passes untouched.
 */
final class Utf16Input {
    /** Enough of the start to see a byte-order mark, or the zero bytes of ASCII written in UTF-16. */
    private static final int SNIFF = 512;

    private Utf16Input() {
    }

    /** {@code in} as UTF-8 bytes: decoded when it starts as UTF-16 does, else the same bytes. */
    static InputStream utf8(InputStream in) throws IOException {
        BufferedInputStream b = in instanceof BufferedInputStream bis ? bis : new BufferedInputStream(in, 1 << 16);
        b.mark(SNIFF);
        // one read: what a pipe has ready is enough, and a stream that is slow to come is not waited for
        byte[] buf = new byte[SNIFF];
        int n = Math.max(0, b.read(buf, 0, SNIFF));
        b.reset();
        byte[] head = java.util.Arrays.copyOf(buf, n);
        Charset cs = utf16(head);
        return cs == null ? b : new Encoded(new InputStreamReader(b, cs));
    }

    /**
     * UTF-16 by its byte-order mark, or without one when most of the first characters are ASCII with a zero byte
     * beside each (text in UTF-16, which no UTF-8 log has: a zero byte is no text there).
     */
    static Charset utf16(byte[] head) {
        if (head.length >= 2 && ((head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe
                || (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff)) {
            return StandardCharsets.UTF_16; // its decoder reads the mark for the byte order and drops it
        }
        int pairs = head.length / 2;
        if (pairs < 8) {
            return null;
        }
        int le = 0;
        int be = 0;
        for (int k = 0; k + 1 < head.length; k += 2) {
            boolean lo = head[k] != 0 && (head[k] & 0x80) == 0;
            boolean hi = head[k + 1] != 0 && (head[k + 1] & 0x80) == 0;
            if (lo && head[k + 1] == 0) {
                le++;
            } else if (hi && head[k] == 0) {
                be++;
            }
        }
        if (le * 10 >= pairs * 9) {
            return StandardCharsets.UTF_16LE;
        }
        return be * 10 >= pairs * 9 ? StandardCharsets.UTF_16BE : null;
    }

    /** Characters from a reader, handed on as UTF-8 bytes a buffer at a time. */
    private static final class Encoded extends InputStream {
        private final Reader reader;
        private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final CharBuffer chars = CharBuffer.allocate(8192);
        private final ByteBuffer bytes = ByteBuffer.allocate(8192 * 3 + 16);
        private boolean eof;

        Encoded(Reader reader) {
            this.reader = reader;
            bytes.flip();
        }

        @Override
        public int read() throws IOException {
            while (!bytes.hasRemaining()) {
                if (eof) {
                    return -1;
                }
                fill();
            }
            return bytes.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!bytes.hasRemaining()) {
                if (eof) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, bytes.remaining());
            bytes.get(b, off, n);
            return n;
        }

        private void fill() throws IOException {
            int n = reader.read(chars);
            if (n < 0) {
                eof = true;
            }
            chars.flip();
            bytes.clear();
            encoder.encode(chars, bytes, eof);
            if (eof) {
                encoder.flush(bytes);
            }
            chars.compact();
            bytes.flip();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
