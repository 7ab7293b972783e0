package dev.hangdoctor.parse;

/**
 * Tests on a range of a larger string, for the sinks' {@code mayStart}: they look at a line in place inside a
 * whole buffer of text, so nothing here may read past {@code end}.
 */
final class RawText {
    private RawText() {
    }

    /** True when {@code s[from, end)} starts with {@code p}. */
    static boolean startsWith(String s, int from, int end, String p) {
        return end - from >= p.length() && s.startsWith(p, from);
    }

    /** True when {@code s[from, end)} ends with {@code p}. */
    static boolean endsWith(String s, int from, int end, String p) {
        return end - from >= p.length() && s.startsWith(p, end - p.length());
    }

    /** The first index at or after {@code from} that is not whitespace in {@link String#strip}'s sense, or end. */
    static int skipWhitespace(String s, int from, int end) {
        int i = from;
        while (i < end && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index after the last character before {@code end} that is not whitespace, or from. */
    static int trimEnd(String s, int from, int end) {
        int i = end;
        while (i > from && Character.isWhitespace(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Whether a fixed pattern occurs inside a range, for many consecutive ranges of one string: remembers where
     * the pattern occurs next, so a whole buffer of lines costs one scan per pattern, not one per line.
     */
    static final class Needle {
        private final String pattern;
        private String in;
        private int at;

        Needle(String pattern) {
            this.pattern = pattern;
        }

        /** True when the pattern lies wholly inside {@code s[from, end)}; calls must not go backwards in s. */
        boolean in(String s, int from, int end) {
            if (s != in || at < from) {
                in = s;
                at = s.indexOf(pattern, from);
                if (at < 0) {
                    at = Integer.MAX_VALUE;
                }
            }
            return at <= end - pattern.length();
        }
    }
}
