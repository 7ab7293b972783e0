package dev.hangdoctor.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * A recogniser's triggers as data: each row is a test on a line's text (starts with, contains, ends with, or a
 * small predicate) and the handler that reads a line passing it. The same rows answer both questions a reader asks:
 * {@link #mayStart} (the noise pre-check, on a line still in place in the read buffer) and {@link #next} (the
 * dispatch, on the decoded message), so the two cannot drift apart; adding a format is adding a row.
 * <p>
 * Rows keep their order: a line passing several is offered to their handlers in table order until one takes it.
 * Rows are indexed by the first character they need, so a line costs only the rows that could match it.
 *
 * @param <H> what a handler is, for the recogniser that owns the table
 */
final class TriggerTable<H> {
    /** A test on {@code s[from, end)}; {@code inPlace} is true for the pre-check, whose calls move forward in s. */
    interface Test {
        boolean test(String s, int from, int end, boolean inPlace);
    }

    /** An endsWith row's text, told apart from a prefix row's. */
    private record Suffix(String text) {
    }

    private static final int ASCII = 128;
    private static final int[] NONE = {};

    private final boolean strip;
    private final List<Test> tests = new ArrayList<>();
    private final List<H> handlers = new ArrayList<>();
    /** Per row, the first characters it can match on, or null for any. */
    private final List<String> firsts = new ArrayList<>();
    /** By a line's first character (index ASCII for every other), the rows to try, in table order. */
    private int[][] byFirst;
    /**
     * Per row its fixed text and kind, or null: the pre-check tests prefixes, needles and suffixes directly, not
     * through {@link Test} (a call through an interface with many implementations costs more than the test).
     */
    private final List<Object> fixed = new ArrayList<>();
    /** The pre-check's view of the same rows, by kind, by first character. */
    private String[][] prefixByFirst;
    private Test[][] otherByFirst;
    private RawText.Needle[] needles;
    private String[] suffixes;

    /** With {@code strip}, rows see the line with whitespace at both ends off (as {@link String#strip} takes it). */
    TriggerTable(boolean strip) {
        this.strip = strip;
    }

    /** The line starts with {@code prefix}. */
    TriggerTable<H> prefix(String prefix, H handler) {
        row(prefix.substring(0, 1), (s, from, end, inPlace) -> RawText.startsWith(s, from, end, prefix), handler);
        fixed.set(fixed.size() - 1, prefix);
        return this;
    }

    /**
     * The line holds {@code pattern} anywhere; {@code anchor} is one of its characters that is rare in logs (the
     * pre-check jumps between its occurrences in the whole buffer, see {@link RawText.Needle}).
     */
    TriggerTable<H> contains(String pattern, char anchor, H handler) {
        RawText.Needle needle = new RawText.Needle(pattern, anchor);
        row(null, (s, from, end, inPlace) -> {
            if (inPlace) {
                return needle.in(s, from, end);
            }
            int at = s.indexOf(pattern, from);
            return at >= 0 && at <= end - pattern.length();
        }, handler);
        fixed.set(fixed.size() - 1, needle);
        return this;
    }

    /** The line ends with {@code suffix}. */
    TriggerTable<H> endsWith(String suffix, H handler) {
        row(null, (s, from, end, inPlace) -> RawText.endsWith(s, from, end, suffix), handler);
        fixed.set(fixed.size() - 1, new Suffix(suffix));
        return this;
    }

    /** Any other test; {@code firstChars} lists the characters a passing line can start with (null: any). */
    TriggerTable<H> row(String firstChars, Test test, H handler) {
        tests.add(test);
        handlers.add(handler);
        firsts.add(firstChars);
        fixed.add(null);
        byFirst = null;
        return this;
    }

    /** True when some row passes {@code s[from, end)}: only then can a handler take the line. */
    boolean mayStart(String s, int from, int end) {
        int a = from;
        int z = end;
        if (strip) {
            a = RawText.skipWhitespace(s, from, end);
            z = RawText.trimEnd(s, a, end);
        }
        if (a >= z) {
            return false;
        }
        if (byFirst == null) {
            build();
        }
        char c = s.charAt(a);
        int i = c < ASCII ? c : ASCII;
        // runs for every line of a big log: plain startsWith first, then the few other tests, no list lookups
        for (String p : prefixByFirst[i]) {
            if (z - a >= p.length() && s.startsWith(p, a)) {
                return true;
            }
        }
        for (Test t : otherByFirst[i]) {
            if (t.test(s, a, z, true)) {
                return true;
            }
        }
        for (RawText.Needle n : needles) {
            if (n.in(s, a, z)) {
                return true;
            }
        }
        for (String p : suffixes) {
            if (RawText.endsWith(s, a, z, p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first row after {@code after} (-1 to begin) that passes the whole message {@code m} (already stripped when
     * the table strips), or -1. A handler that declines a line leaves it to the next row.
     */
    int next(String m, int after) {
        if (m.isEmpty()) {
            return -1;
        }
        int[] rows = rows(m.charAt(0));
        for (int row : rows) {
            if (row > after && tests.get(row).test(m, 0, m.length(), false)) {
                return row;
            }
        }
        return -1;
    }

    H handler(int row) {
        return handlers.get(row);
    }

    private int[] rows(char c) {
        int[][] index = byFirst;
        if (index == null) {
            index = build();
        }
        int[] r = index[c < ASCII ? c : ASCII];
        return r == null ? NONE : r;
    }

    private int[][] build() {
        int[][] index = new int[ASCII + 1][];
        for (int c = 0; c <= ASCII; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int row = 0; row < tests.size(); row++) {
                String f = firsts.get(row);
                if (f == null || (c < ASCII && f.indexOf((char) c) >= 0)) {
                    rows.add(row);
                }
            }
            index[c] = rows.stream().mapToInt(Integer::intValue).toArray();
        }
        String[][] p = new String[ASCII + 1][];
        Test[][] o = new Test[ASCII + 1][];
        for (int c = 0; c <= ASCII; c++) {
            List<String> ps = new ArrayList<>();
            List<Test> os = new ArrayList<>();
            for (int row : index[c]) {
                Object f = fixed.get(row);
                if (f instanceof String) {
                    ps.add((String) f);
                } else if (f == null) {
                    os.add(tests.get(row));
                }
            }
            p[c] = ps.toArray(new String[0]);
            o[c] = os.toArray(new Test[0]);
        }
        List<RawText.Needle> ns = new ArrayList<>();
        List<String> ss = new ArrayList<>();
        for (Object f : fixed) {
            if (f instanceof RawText.Needle) {
                ns.add((RawText.Needle) f);
            } else if (f instanceof Suffix) {
                ss.add(((Suffix) f).text);
            }
        }
        needles = ns.toArray(new RawText.Needle[0]);
        suffixes = ss.toArray(new String[0]);
        prefixByFirst = p;
        otherByFirst = o;
        byFirst = index;
        return index;
    }
}
