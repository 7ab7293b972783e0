package dev.hangdoctor.parse;

/** Which lines no recogniser took but that still look like kernel output (a stack frame), for the skipped warning. */
final class SkippedLines {
    private static final int EXAMPLE = 80;

    private SkippedLines() {
    }

    /** A frame's "symbol+0xOFF/0xSIZE", which nothing but a kernel stack prints. */
    static boolean looksLikeKernelOutput(String m) {
        int plus = m.indexOf("+0x");
        return plus > 0 && m.indexOf("/0x", plus) > plus;
    }

    static String shorten(String s) {
        return s.length() <= EXAMPLE ? s : s.substring(0, EXAMPLE) + "...";
    }
}
