package dev.hangdoctor.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * A log pasted newest line first (`journalctl -r`, a log viewer sorted by time descending): the lines of one stack come
 * outermost frame first and the header last. A run of lines whose timestamps strictly decrease is such a log; it is
 * held and given back oldest first, so the readers see the kernel's order. A log in its own order goes through with one
 * line of delay at most: a line is held only until the next one tells whether its stamp is lower.
 *
 * <p>A syslog stamps whole seconds, and the kernel prints a hung task's report within one: pasted newest first, its
 * lines carry one stamp and the stamps say nothing. Lines of an equal whole-second stamp join a held run that starts
 * with a stack's line (the newest line of a report pasted newest first is its last frame; a syslog in its own order is
 * then held at most the rest of that second, and a line of noise starts no such run, so the log's noise is not held
 * behind it), and such a run is read as newest first only when its own
 * lines say so: a {@code Call Trace:} line with frames above it and none below it, or a hung-task header with a frame
 * right below it (in the kernel's order the header is followed by its taint line, the notice or the task's line, and
 * {@code Call Trace:} by the frames). A run with a line of either kind in the kernel's order is left as it stands.
 *
 * <p>Bounded: a run longer than {@link #MAX_RUN} lines is given back (reversed) in pieces of that size.
 */
final class ReversedRun {
    /** Longer than any stack with its header (a few dozen lines); the most lines held at once. */
    static final int MAX_RUN = 256;
    /** Two decreases in a row: one is what a clock step or two merged logs do to a log in its own order. */
    private static final int MIN_RUN = 3;

    /** Where the held lines go, oldest first. */
    interface Out {
        void line(LogLine line, long lineNo);
    }

    private final List<LogLine> held = new ArrayList<>();
    private double last;
    /** How many times the held run's stamp went down (the rest of its lines repeat the stamp before them). */
    private int drops;

    /** True when no line is held. */
    boolean idle() {
        return held.isEmpty();
    }

    /**
     * Takes one line: holds it when it may be part of a reversed run ({@code mayStart}: it could begin one; a line that
     * follows a held line with a lower stamp always joins), else gives back what was held and then the line.
     */
    void accept(String raw, LogLine line, boolean mayStart, Out out) {
        double key = orderKey(raw, line);
        if (!held.isEmpty()) {
            if (!Double.isNaN(key) && (key < last || key == last && wholeSeconds(line, key) && stackLine(held.get(0)))) {
                held.add(line);
                if (key < last) {
                    drops++;
                }
                last = key;
                if (held.size() >= MAX_RUN) {
                    flush(out);
                }
                return;
            }
            flush(out);
        }
        if (mayStart && !Double.isNaN(key)) {
            held.add(line);
            last = key;
            return;
        }
        out.line(line, line.lineNo());
    }

    /** Gives back what is held: newest-first runs reversed, a shorter run in its order. */
    void flush(Out out) {
        if (drops >= MIN_RUN - 1 || held.size() >= MIN_RUN && readsNewestFirst(held)) {
            for (int k = held.size() - 1; k >= 0; k--) {
                out.line(held.get(k), held.get(k).lineNo());
            }
        } else {
            for (LogLine l : held) {
                out.line(l, l.lineNo());
            }
        }
        held.clear();
        drops = 0;
    }

    /**
     * Whether the stamp counts whole seconds (a syslog's "Nov 10 15:42:32"): lines of one such stamp may stand in any
     * order. A finer stamp repeats only for lines printed at once (boot lines at 0.000000), whose order it keeps.
     */
    private static boolean wholeSeconds(LogLine line, double key) {
        return line.timestamp() == null && key == Math.rint(key);
    }

    /**
     * Whether lines of one stamp stand newest first by what they are: a {@code Call Trace:} line below frames and
     * above none, or a hung-task header right above a frame; and no such line in the kernel's order.
     */
    static boolean readsNewestFirst(List<LogLine> lines) {
        int newestFirst = 0;
        int oldestFirst = 0;
        for (int i = 0; i < lines.size(); i++) {
            String m = lines.get(i).message().strip();
            boolean trace = m.equals("Call Trace:") || m.equals("Call trace:");
            boolean header = !trace && m.startsWith("INFO: task ") && m.contains(" blocked for more than ");
            if (!trace && !header) {
                continue;
            }
            if (i + 1 == lines.size()) {
                continue; // the run ends here: what comes below is not known
            }
            boolean stackBelow = stackLine(lines.get(i + 1));
            if (header ? !stackBelow : stackBelow) {
                oldestFirst++;
            } else if (header || i > 0 && stackLine(lines.get(i - 1))) {
                newestFirst++;
            }
        }
        return newestFirst > 0 && oldestFirst == 0;
    }

    /** A frame of a stack, or the {@code <TASK>} marks around one. */
    private static boolean stackLine(LogLine line) {
        String m = line.message().strip();
        return m.equals("<TASK>") || m.equals("</TASK>") || FrameLineParser.parse(m) != null;
    }

    /**
     * The line's time as a number that orders lines of one log, or NaN: the seconds since boot of a dmesg stamp, else
     * the wall-clock time a syslog or journal prefix starts with ("Nov 27 23:45:52", "Nov 27 23:45:52.123456",
     * "2021-11-27T23:45:52+0100"), counted within the year (a log spanning New Year's Eve is one decrease, no run).
     */
    static double orderKey(String raw, LogLine line) {
        if (line.timestamp() != null) {
            return line.timestamp();
        }
        String style = line.prefix();
        if (!"syslog".equals(style) && !"journalctl".equals(style)) {
            return Double.NaN;
        }
        int n = raw.length();
        if (n >= 15 && raw.charAt(3) == ' ' && raw.charAt(9) == ':' && raw.charAt(12) == ':') {
            int month = MONTHS.indexOf(raw.substring(0, 3));
            int day = number(raw, 4, 6);
            if (month < 0 || month % 3 != 0 || day < 0) {
                return Double.NaN;
            }
            return clock(raw, 7, (month / 3 * 31 + day) * 86400.0);
        }
        if (n >= 19 && raw.charAt(4) == '-' && raw.charAt(7) == '-' && raw.charAt(10) == 'T') {
            int month = number(raw, 5, 7);
            int day = number(raw, 8, 10);
            if (month < 0 || day < 0 || number(raw, 0, 4) < 0) {
                return Double.NaN;
            }
            return clock(raw, 11, (number(raw, 0, 4) * 372.0 + month * 31 + day) * 86400.0);
        }
        return Double.NaN;
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /** "hh:mm:ss[.frac]" at {@code at}, plus {@code base}; NaN when the clock is not there. */
    private static double clock(String s, int at, double base) {
        int h = number(s, at, at + 2);
        int m = number(s, at + 3, at + 5);
        int sec = number(s, at + 6, at + 8);
        if (h < 0 || m < 0 || sec < 0 || s.charAt(at + 2) != ':' || s.charAt(at + 5) != ':') {
            return Double.NaN;
        }
        double t = base + h * 3600 + m * 60 + sec;
        int i = at + 8;
        if (i < s.length() && s.charAt(i) == '.') {
            double scale = 0.1;
            for (i++; i < s.length() && Character.isDigit(s.charAt(i)) && scale > 1e-10; i++) {
                t += (s.charAt(i) - '0') * scale;
                scale /= 10;
            }
        }
        return t;
    }

    /** The decimal number in {@code s[from, to)} (a leading space allowed: syslog pads the day), or -1. */
    private static int number(String s, int from, int to) {
        if (to > s.length()) {
            return -1;
        }
        int v = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ' ' && digits == 0) {
                continue;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }
}
