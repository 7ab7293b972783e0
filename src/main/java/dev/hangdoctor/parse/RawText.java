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
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index after the last character before {@code end} that is not whitespace, or from. */
    static int trimEnd(String s, int from, int end) {
        int i = end;
        while (i > from && isSpace(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** {@link Character#isWhitespace}, which is false above ' ' for every Latin-1 character, tested cheap first. */
    private static boolean isSpace(char c) {
        return c <= ' ' && Character.isWhitespace(c);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** True when {@code p} lies wholly inside {@code s[from, end)}; a plain scan, for lines that are rare. */
    static boolean contains(String s, int from, int end, String p) {
        for (int i = from; i <= end - p.length(); i++) {
            if (s.startsWith(p, i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a fixed pattern occurs inside a range, for many consecutive ranges of one string: remembers where
     * the pattern occurs next, so a whole buffer of lines costs one scan per pattern, not one per line. The scan
     * jumps between occurrences of one character of the pattern that is rare in logs (single-character search is
     * much faster than substring search), and checks the pattern around each.
     */
    static final class Needle {
        private final String pattern;
        private final char anchor;
        private final int anchorAt;
        // two remembered strings: the read buffer, and a single line looked at in between (the normalising
        // stage asks about a held line), which must not cost the buffer's place
        private String in;
        private int at;
        private String other;
        private int otherAt;

        Needle(String pattern, char anchor) {
            this.pattern = pattern;
            this.anchor = anchor;
            this.anchorAt = pattern.indexOf(anchor);
            if (anchorAt < 0) {
                throw new IllegalArgumentException(anchor + " is not in " + pattern);
            }
        }

        /** True when the pattern lies wholly inside {@code s[from, end)}; calls must not go backwards in s. */
        boolean in(String s, int from, int end) {
            if (s != in) {
                String keep = in;
                int keepAt = at;
                if (s == other) {
                    in = other;
                    at = otherAt;
                } else {
                    in = s;
                    at = -1;
                }
                other = keep;
                otherAt = keepAt;
            }
            if (at < from) {
                at = next(s, from);
            }
            return at <= end - pattern.length();
        }

        private int next(String s, int from) {
            int a = s.indexOf(anchor, from + anchorAt);
            while (a >= 0) {
                if (s.startsWith(pattern, a - anchorAt)) {
                    return a - anchorAt;
                }
                a = s.indexOf(anchor, a + 1);
            }
            return Integer.MAX_VALUE;
        }
    }
}
