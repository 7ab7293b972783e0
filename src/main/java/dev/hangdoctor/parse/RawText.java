package dev.hangdoctor.parse;

/**
 * Tests on a range of a larger string, for the noise pre-check: it looks at a line in place inside a
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

    /** The end of the word starting at {@code from}: the first space or tab at or after it, or end. */
    static int wordEnd(String s, int from, int end) {
        int e = from;
        while (e < end && s.charAt(e) != ' ' && s.charAt(e) != '\t') {
            e++;
        }
        return e;
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

    /** True when {@code s[from, to)} is an address word: 8 to 16 hex digits. */
    static boolean isHexWord(String s, int from, int to) {
        if (to - from < 8 || to - from > 16) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (!FrameLineParser.isHexDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code p} lies wholly inside {@code s[from, end)}; a plain scan, for lines that are rare. */
    static boolean contains(String s, int from, int end, String p) {
        return indexOf(s, from, end, p) >= 0;
    }

    /**
     * Where {@code p} first lies wholly inside {@code s[from, end)}, or -1; unlike String.indexOf it never looks past
     * {@code end}, so a search inside one piece of a long line costs that piece.
     */
    static int indexOf(String s, int from, int end, String p) {
        if (p.isEmpty()) {
            return from <= end ? Math.max(0, from) : -1;
        }
        // the first character alone turns most places away, before a call that compares the whole text
        char first = p.charAt(0);
        for (int i = Math.max(0, from), last = end - p.length(); i <= last; i++) {
            if (s.charAt(i) == first && s.startsWith(p, i)) {
                return i;
            }
        }
        return -1;
    }

    /** The first index of {@code c} in {@code s[from, end)}, or -1; never looks at or past {@code end}. */
    static int indexOf(String s, int from, int end, char c) {
        for (int i = Math.max(0, from); i < end; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
