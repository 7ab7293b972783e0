package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses /proc/PID/stack text: `[<0>] request_wait_answer+0x12f/0x210` (hidden addresses, newer kernels) and
 * `[<ffffffffc075bd43>] __ext4_get_inode_loc+0xe3/0x3c0 [ext4]` (3.10). The `0xffffffffffffffff` end marker of old
 * kernels is dropped; anything a person appended after the offset (pasted annotations) is ignored.
 */
public final class ProcStackParser {
    /** More frames than any kernel stack holds; a runaway file stops here. */
    public static final int MAX_FRAMES = 256;

    private ProcStackParser() {
    }

    /** Every frame of the file, innermost first; unparseable lines are skipped. */
    public static List<Frame> parse(String text) {
        List<Frame> frames = new ArrayList<>();
        if (text == null) {
            return frames;
        }
        int start = 0;
        int len = text.length();
        while (start < len && frames.size() < MAX_FRAMES) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? len : nl;
            Frame f = parseLine(text.substring(start, end));
            if (f != null) {
                frames.add(f);
            }
            start = end + 1;
        }
        return frames;
    }

    /** One frame, or null when the line is not a stack line (or is the old end marker). */
    public static Frame parseLine(String line) {
        if (line == null) {
            return null;
        }
        int i = skipSpaces(line, 0);
        if (!line.startsWith("[<", i)) {
            return null;
        }
        int close = line.indexOf(">]", i + 2);
        if (close < 0) {
            return null;
        }
        int fs = skipSpaces(line, close + 2);
        int fe = fs;
        while (fe < line.length() && !Character.isWhitespace(line.charAt(fe)) && line.charAt(fe) != '+') {
            fe++;
        }
        if (fe == fs) {
            return null;
        }
        String function = line.substring(fs, fe);
        if (function.startsWith("0x")) {
            return null;
        }
        String location = "";
        int le = fe;
        if (fe < line.length() && line.charAt(fe) == '+') {
            le = offsetEnd(line, fe);
            location = le > fe ? line.substring(fe, le) : "";
            if (le == fe) {
                le = fe + 1;
            }
        }
        String module = null;
        int ms = line.indexOf('[', le);
        if (ms >= 0) {
            int me = line.indexOf(']', ms + 1);
            if (me > ms + 1 && isModuleName(line, ms + 1, me)) {
                module = line.substring(ms + 1, me);
            }
        }
        return new Frame(function, location, module, false, StackContext.TASK);
    }

    /** End of `+0xHEX/0xHEX` starting at the '+', or {@code plus} when it is not one. */
    private static int offsetEnd(String s, int plus) {
        int i = hexEnd(s, plus + 1);
        if (i < 0) {
            return plus;
        }
        if (i < s.length() && s.charAt(i) == '/') {
            int j = hexEnd(s, i + 1);
            if (j > 0) {
                return j;
            }
        }
        return i;
    }

    private static int hexEnd(String s, int at) {
        if (!s.startsWith("0x", at)) {
            return -1;
        }
        int i = at + 2;
        while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
            i++;
        }
        return i > at + 2 ? i : -1;
    }

    private static boolean isModuleName(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
