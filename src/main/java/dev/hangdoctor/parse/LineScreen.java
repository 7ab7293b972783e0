package dev.hangdoctor.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The noise pre-check of a big log: whether a message could start a record in any recogniser, built from the
 * recognisers' own trigger rows ({@link LineSink#describe}), so the pre-check and the dispatch cannot drift apart.
 * It may say true too often (the line then takes the slow path, which decides exactly), never too seldom.
 *
 * <p>Most lines of a kernel log start a record in no recogniser, and this turns them away with one look-up of
 * their first two characters and one per place where an ending has its last fixed character, where asking each
 * recogniser's rows costs a few dozen tests a line. Fixed texts that may stand anywhere in a line ("+0x", "/proc/") are found once per read buffer: each
 * remembers where it occurs next, found by jumping between occurrences of one of its characters that is rare in
 * logs (the JDK's single-character search compares many bytes at a time). Calls on one string must therefore move
 * forward; a caller that also asks about other strings uses a screen of its own.
 *
 * <p>Rows are tested on the message with whitespace at both ends taken off, and also on the message as it is when
 * that differs: some recognisers strip, some do not, and testing both is a superset of either.
 */
final class LineScreen {
    /** A test on {@code s[from, end)}. */
    interface Test {
        boolean test(String s, int from, int end);
    }

    private static final int WIDE = 256;
    private static final String[] NO_PREFIXES = {};
    private static final Test[] NO_TESTS = {};
    private static final Ending[] NO_ENDINGS = {};

    /** Bit (first << 8 | second) is set when some row may pass a message starting with those two characters. */
    private final long[] firstTwo = new long[1 << 10];
    /** By first character (index WIDE for any other), the prefixes and tests of the rows that start so. */
    private final String[][] prefixes = new String[WIDE + 1][];
    private final Test[][] firstTests = new Test[WIDE + 1][];
    /**
     * The endings by the place of their last fixed character, counted back from a message's end ({@link #backs}),
     * and by that character (index WIDE for any other): a message costs one look-up per place, not per ending.
     */
    private final int[] backs;
    private final Ending[][][] endings;
    /** The fixed texts, in groups that share the rare character they are found by: one scan a group. */
    private final Needles[] needles;
    /** The nearest place where some needle starts next in {@link #in}: a message ending before it holds none. */
    private int nearest;
    private String in;

    private LineScreen(Builder b) {
        for (int c = 0; c <= WIDE; c++) {
            List<String> ps = new ArrayList<>();
            for (String p : b.prefixes) {
                if (index(p.charAt(0)) == c) {
                    ps.add(p);
                }
            }
            List<Test> ts = new ArrayList<>();
            for (FirstRow r : b.firstRows) {
                if (r.firstChars == null || c == WIDE || r.firstChars.indexOf((char) c) >= 0) {
                    ts.add(r.test);
                }
            }
            prefixes[c] = ps.isEmpty() ? NO_PREFIXES : ps.toArray(new String[0]);
            firstTests[c] = ts.isEmpty() ? NO_TESTS : ts.toArray(new Test[0]);
        }
        backs = b.endings.stream().mapToInt(e -> e.back[0]).distinct().toArray();
        endings = new Ending[backs.length][WIDE + 1][];
        for (int k = 0; k < backs.length; k++) {
            Arrays.fill(endings[k], NO_ENDINGS);
            for (Ending e : b.endings) {
                if (e.back[0] == backs[k]) {
                    Ending[] at = endings[k][index(e.want[0])];
                    Ending[] more = Arrays.copyOf(at, at.length + 1);
                    more[at.length] = e;
                    endings[k][index(e.want[0])] = more;
                }
            }
        }
        System.arraycopy(b.firstTwo, 0, firstTwo, 0, firstTwo.length);
        // needles remember places in the string looked at: each screen has its own
        List<Needles> groups = new ArrayList<>();
        for (char anchor : b.needles.stream().map(n -> n.anchor).distinct().toList()) {
            groups.add(new Needles(anchor, b.needles.stream().filter(n -> n.anchor == anchor).map(n -> n.pattern)
                    .toArray(String[]::new)));
        }
        needles = groups.toArray(new Needles[0]);
    }

    /** Collects the rows of every recogniser. */
    static Builder builder() {
        return new Builder();
    }

    private static int index(char c) {
        return c < WIDE ? c : WIDE;
    }

    /** True unless no row of any recogniser can pass the message {@code s[from, end)}. */
    boolean maybe(String s, int from, int end) {
        if (from >= end) {
            return false;
        }
        char a = s.charAt(from);
        char z = s.charAt(end - 1);
        if (a > ' ' && z > ' ') {
            if (rows(s, from, end, a)) {
                return true;
            }
        } else {
            int a2 = RawText.skipWhitespace(s, from, end);
            int z2 = RawText.trimEnd(s, a2, end);
            if (a2 < z2 && rows(s, a2, z2, s.charAt(a2)) || rows(s, from, end, a)) {
                return true;
            }
        }
        return needleWithin(s, from, end);
    }

    /** Whether a prefix, first-character or ending row passes {@code s[from, end)}, which starts with a. */
    private boolean rows(String s, int from, int end, char a) {
        char b = from + 1 < end ? s.charAt(from + 1) : 0;
        if (a >= WIDE || b >= WIDE || (firstTwo[(a << 8 | b) >>> 6] & 1L << (a << 8 | b)) != 0) {
            int i = index(a);
            for (String p : prefixes[i]) {
                if (end - from >= p.length() && s.startsWith(p, from)) {
                    return true;
                }
            }
            for (Test t : firstTests[i]) {
                if (t.test(s, from, end)) {
                    return true;
                }
            }
        }
        for (int k = 0; k < backs.length; k++) {
            if (end - from >= backs[k]) {
                for (Ending e : endings[k][index(s.charAt(end - backs[k]))]) {
                    if (e.passes(s, from, end)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Whether some needle starts inside {@code s[from, end)}. A needle holds no line break, and a line looked at in
     * place ends at one (or at the string's end), so a needle that starts inside the line also ends inside it.
     */
    private boolean needleWithin(String s, int from, int end) {
        if (s != in) {
            in = s;
            for (Needles n : needles) {
                n.at = -1;
            }
            nearest = -1;
        }
        if (nearest < from) {
            int least = Integer.MAX_VALUE;
            for (Needles n : needles) {
                if (n.at < from) {
                    n.at = n.next(s, from);
                }
                least = Math.min(least, n.at);
            }
            nearest = least;
        }
        return nearest < end;
    }

    /** A row that can only pass a message ending like {@code pattern} ('?' for any character), and its test. */
    private static final class Ending {
        final String pattern;
        final Test test;
        /** The pattern's fixed characters, last first, and how far before the message's end each stands. */
        final char[] want;
        final int[] back;

        Ending(String pattern, Test test) {
            this.pattern = pattern;
            this.test = test;
            StringBuilder w = new StringBuilder();
            List<Integer> b = new ArrayList<>();
            for (int k = pattern.length() - 1; k >= 0; k--) {
                if (pattern.charAt(k) != '?') {
                    w.append(pattern.charAt(k));
                    b.add(pattern.length() - k);
                }
            }
            want = w.toString().toCharArray();
            back = b.stream().mapToInt(Integer::intValue).toArray();
            if (want.length == 0) {
                throw new IllegalArgumentException(pattern + ": an ending needs a fixed character");
            }
        }

        boolean passes(String s, int from, int end) {
            if (end - from < pattern.length()) {
                return false;
            }
            for (int k = 0; k < want.length; k++) {
                if (s.charAt(end - back[k]) != want[k]) {
                    return false;
                }
            }
            return test == null || test.test(s, from, end);
        }
    }

    /** A row with its first characters (null: any) and its test. */
    private record FirstRow(String firstChars, Test test) {
    }

    /** A fixed text and one of its characters that is rare in logs. */
    private record Needle(String pattern, char anchor) {
        Needle {
            if (pattern.indexOf(anchor) < 0 || pattern.indexOf('\n') >= 0 || pattern.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(pattern + ": needs " + anchor + " and no line break");
            }
        }
    }

    /** Fixed texts found by one rare character, and where the first of them starts next in the string looked at. */
    private static final class Needles {
        final char anchor;
        final String[] patterns;
        final int[] anchorAt;
        final int before;
        int at = -1;

        Needles(char anchor, String[] patterns) {
            this.anchor = anchor;
            this.patterns = patterns;
            this.anchorAt = new int[patterns.length];
            int least = Integer.MAX_VALUE;
            for (int k = 0; k < patterns.length; k++) {
                anchorAt[k] = patterns[k].indexOf(anchor);
                least = Math.min(least, anchorAt[k]);
            }
            this.before = least;
        }

        /** Where one of the texts starts first at or after {@code from} in s, or Integer.MAX_VALUE. */
        int next(String s, int from) {
            for (int a = s.indexOf(anchor, from + before); a >= 0; a = s.indexOf(anchor, a + 1)) {
                for (int k = 0; k < patterns.length; k++) {
                    int start = a - anchorAt[k];
                    if (start >= from && s.startsWith(patterns[k], start)) {
                        return start;
                    }
                }
            }
            return Integer.MAX_VALUE;
        }
    }

    /** Collects what each recogniser's rows need of a message. */
    static final class Builder {
        private final long[] firstTwo = new long[1 << 10];
        private final List<String> prefixes = new ArrayList<>();
        private final List<FirstRow> firstRows = new ArrayList<>();
        private final List<Ending> endings = new ArrayList<>();
        private final List<Needle> needles = new ArrayList<>();

        private Builder() {
        }

        /** A row passing messages that start with {@code p}. */
        Builder prefix(String p) {
            if (p.length() == 1) {
                return row(p, (s, from, end) -> true);
            }
            set(p.charAt(0), p.charAt(1));
            prefixes.add(p);
            return this;
        }

        /** A row passing the messages that start with one of {@code firstChars} (null: any) and pass {@code test}. */
        Builder row(String firstChars, Test test) {
            for (int a = 0; a < WIDE; a++) {
                if (firstChars == null || firstChars.indexOf((char) a) >= 0) {
                    // every second character: the four words of bits (a << 8 | 0) .. (a << 8 | 255)
                    Arrays.fill(firstTwo, a << 2, (a << 2) + 4, -1L);
                }
            }
            firstRows.add(new FirstRow(firstChars, test));
            return this;
        }

        /**
         * A row passing the messages that start with the first two characters of one of {@code starts} and pass
         * {@code test}.
         */
        Builder rowStarting(Test test, String... starts) {
            StringBuilder firsts = new StringBuilder();
            for (String start : starts) {
                set(start.charAt(0), start.charAt(1));
                if (firsts.indexOf(start.substring(0, 1)) < 0) {
                    firsts.append(start.charAt(0));
                }
            }
            firstRows.add(new FirstRow(firsts.toString(), test));
            return this;
        }

        /**
         * A row passing the messages that end like {@code pattern} ('?' for any character) and pass {@code test}
         * (null: any that end so).
         */
        Builder ending(String pattern, Test test) {
            endings.add(new Ending(pattern, test));
            return this;
        }

        /** A row passing messages that hold {@code pattern}; {@code anchor} is one of its characters rare in logs. */
        Builder needle(String pattern, char anchor) {
            needles.add(new Needle(pattern, anchor));
            return this;
        }

        /** A screen for one sequence of strings; a caller asking about two at once builds two. */
        LineScreen build() {
            return new LineScreen(this);
        }

        private void set(char a, char b) {
            int bit = a << 8 | b;
            firstTwo[bit >>> 6] |= 1L << bit;
        }
    }
}
