package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one evidence file that look like kernel output (a stack frame) but that no reader kept: lines no
 * recogniser took, and lines a block took and then dropped (two stray frames are no stack). Counted, with the first
 * few kept as examples, so a partly understood file says what was left out instead of staying silent.
 */
final class SkippedLines {
    private static final int EXAMPLE = 80;
    private static final int EXAMPLES = 3;

    private long count;
    private final List<String> examples = new ArrayList<>();

    /** A frame's "symbol+0xOFF/0xSIZE", which nothing but a kernel stack prints. */
    static boolean looksLikeKernelOutput(String m) {
        int plus = m.indexOf("+0x");
        if (plus <= 0 || m.indexOf("/0x", plus) < 0) {
            return false;
        }
        // a frame's shape inside a task's name (which any local user sets) is the name's
        String kernels = KernelNames.masked(m);
        plus = kernels.indexOf("+0x");
        return plus > 0 && kernels.indexOf("/0x", plus) > plus;
    }

    /** A line no reader kept. */
    void add(long lineNo, String message) {
        count++;
        if (examples.size() < EXAMPLES) {
            examples.add(lineNo + ": " + shorten(message.strip()));
        }
    }

    /** After the last line: the warning, when something was skipped and something else was understood. */
    void warn(Evidence evidence, String source, boolean understood) {
        if (count > 0 && understood) {
            evidence.warn(source + ": " + count + " line(s) that look like kernel output were not understood,"
                    + " e.g. line " + String.join("; line ", examples));
        }
    }

    private static String shorten(String s) {
        return s.length() <= EXAMPLE ? s : s.substring(0, EXAMPLE) + "...";
    }
}
