package dev.hangdoctor.fuzz;

import java.nio.charset.StandardCharsets;

/** Turns a fuzzer's raw bytes into the text a parser sees: UTF-8 with bad bytes as U+FFFD, as the reader does. */
final class FuzzInput {
    private FuzzInput() {
    }

    static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The input cut at its first newline: one part, then the rest (for targets that take two or three values). */
    static String[] lines(byte[] data, int parts) {
        String[] out = new String[parts];
        String t = text(data);
        int from = 0;
        for (int i = 0; i < parts; i++) {
            int nl = i == parts - 1 ? -1 : t.indexOf('\n', from);
            int end = nl < 0 ? t.length() : nl;
            out[i] = from > t.length() ? "" : t.substring(from, end);
            from = nl < 0 ? t.length() + 1 : nl + 1;
        }
        return out;
    }
}
