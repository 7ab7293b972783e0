package dev.hangdoctor.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * A recogniser's triggers as data: each row is a test on a line's text (starts with, contains, ends with, or a
 * small predicate) and the handler that reads a line passing it. The same rows answer both questions a reader asks:
 * the noise pre-check ({@link #describe}, which builds a {@link LineScreen} from them, on a line still in place in the
 * read buffer) and the dispatch ({@link #next}, on the decoded message), so the two cannot drift apart; adding a
 * format is adding a row.
 * <p>
 * Rows keep their order: a line passing several is offered to their handlers in table order until one takes it.
 * Rows are indexed by the first character they need, so a line costs only the rows that could match it.
 *
 * @param <H> what a handler is, for the recogniser that owns the table
 */
final class TriggerTable<H> {
    /** An endsWith row's text, told apart from a prefix row's. */
    private record Suffix(String text) {
    }

    /** A row that can only pass a line ending like one of {@code endings} ('?' for any character). */
    private record Ending(String[] endings) {
    }

    /** A row that can only pass a line starting with the first two characters of one of {@code starts}. */
    private record Starts(String[] starts) {
    }

    /** A contains row's text and one of its characters that is rare in logs. */
    private record Needle(String pattern, char anchor) {
    }

    private static final int ASCII = 128;
    private static final int[] NONE = {};

    private final List<LineScreen.Test> tests = new ArrayList<>();
    private final List<H> handlers = new ArrayList<>();
    /** Per row, the first characters it can match on, or null for any. */
    private final List<String> firsts = new ArrayList<>();
    /** By a line's first character (index ASCII for every other), the rows to try, in table order. */
    private int[][] byFirst;
    /** The rows as a {@link LineScreen} of their own (built at the first look), or null. */
    private LineScreen screen;
    /** Per row its fixed text and kind, or null: the screen tests these directly, not through the row's test. */
    private final List<Object> fixed = new ArrayList<>();

    /** The line starts with {@code prefix}. */
    TriggerTable<H> prefix(String prefix, H handler) {
        row(prefix.substring(0, 1), (s, from, end) -> RawText.startsWith(s, from, end, prefix), handler);
        fixed.set(fixed.size() - 1, prefix);
        return this;
    }

    /**
     * The line holds {@code pattern} anywhere; {@code anchor} is one of its characters that is rare in logs (the
     * pre-check jumps between its occurrences in the whole buffer).
     */
    TriggerTable<H> contains(String pattern, char anchor, H handler) {
        row(null, (s, from, end) -> {
            int at = s.indexOf(pattern, from);
            return at >= 0 && at <= end - pattern.length();
        }, handler);
        fixed.set(fixed.size() - 1, new Needle(pattern, anchor));
        return this;
    }

    /** The line ends with {@code suffix}. */
    TriggerTable<H> endsWith(String suffix, H handler) {
        row(null, (s, from, end) -> RawText.endsWith(s, from, end, suffix), handler);
        fixed.set(fixed.size() - 1, new Suffix(suffix));
        return this;
    }

    /**
     * A test that can only pass a line ending like one of {@code endings}, where '?' stands for any character: the
     * pre-check runs it only for lines ending so, so a row that may start with anything costs most lines a look-up.
     */
    TriggerTable<H> rowEnding(LineScreen.Test test, H handler, String... endings) {
        row(null, test, handler);
        fixed.set(fixed.size() - 1, new Ending(endings));
        return this;
    }

    /**
     * A test that can only pass a line starting with the first two characters of one of {@code starts}: the
     * pre-check runs it only for those.
     */
    TriggerTable<H> rowStarting(LineScreen.Test test, H handler, String... starts) {
        StringBuilder firstChars = new StringBuilder();
        for (String start : starts) {
            if (firstChars.indexOf(start.substring(0, 1)) < 0) {
                firstChars.append(start.charAt(0));
            }
        }
        row(firstChars.toString(), test, handler);
        fixed.set(fixed.size() - 1, new Starts(starts));
        return this;
    }

    /** Any other test; {@code firstChars} lists the characters a passing line can start with (null: any). */
    TriggerTable<H> row(String firstChars, LineScreen.Test test, H handler) {
        tests.add(test);
        handlers.add(handler);
        firsts.add(firstChars);
        fixed.add(null);
        byFirst = null;
        screen = null;
        return this;
    }

    /**
     * Tells {@code screen} every row, so that it lets through each line some row could pass. The screen tests a
     * line with whitespace at both ends off and also as it is, which covers a table that strips and one that does
     * not.
     */
    void describe(LineScreen.Builder screen) {
        for (int row = 0; row < tests.size(); row++) {
            Object f = fixed.get(row);
            if (f instanceof String) {
                screen.prefix((String) f);
            } else if (f instanceof Needle) {
                screen.needle(((Needle) f).pattern, ((Needle) f).anchor);
            } else if (f instanceof Suffix) {
                screen.ending(((Suffix) f).text, null);
            } else if (f instanceof Starts) {
                screen.rowStarting(tests.get(row), ((Starts) f).starts);
            } else if (f instanceof Ending) {
                for (String e : ((Ending) f).endings) {
                    screen.ending(e, tests.get(row));
                }
            } else {
                screen.row(firsts.get(row), tests.get(row));
            }
        }
    }

    /**
     * The first row after {@code after} (-1 to begin) that passes the whole message {@code m} (already stripped when
     * the table strips), or -1. A handler that declines a line leaves it to the next row.
     */
    int next(String m, int after) {
        if (m.isEmpty()) {
            return -1;
        }
        if (after < 0) {
            // the table's own screen (its rows as describe() gives them, which lets through each line some row could
            // pass) turns away at once most lines no row passes, where the rows would each be tried
            LineScreen own = screen;
            if (own == null) {
                LineScreen.Builder b = LineScreen.builder();
                describe(b);
                own = b.build();
                screen = own;
            }
            if (!own.maybe(m, 0, m.length())) {
                return -1;
            }
        }
        int[] rows = rows(m.charAt(0));
        for (int row : rows) {
            if (row > after && tests.get(row).test(m, 0, m.length())) {
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
        byFirst = index;
        return index;
    }
}
