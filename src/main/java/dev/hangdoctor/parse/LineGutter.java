package dev.hangdoctor.parse;

/**
 * A listing's line numbers before each pasted line: {@code cat -n} and {@code nl} ("     12\t"), {@code less -N}
 * ("     12 "), a web page's numbered list ("12. ") or code-block gutter ("12 ", "12| ", "12: "). The numbers run
 * on by one from line to line; this takes them off so the kernel's own text starts the line again.
 *
 * <p>A run is taken only where it is sure: it starts where what follows the number is itself kernel output (a log
 * prefix, a report's opening words, a frame), or where two lines in a row bear numbers one apart in the same form,
 * and it goes on while each line bears the next number. Tables whose first column counts up by one stay whole: the
 * PIDs of {@code ps ax} ("    1 ?  Ss ..."), crash's {@code ps}, an old RCU stall's per-CPU lines
 * ("\t1: (1 GPs behind) ..."), a year before a syslog date.
 *
 * <p>A paste site's rendering as a list, one item per pasted line ("- Feb  7 15:45:54 host kernel: ..."), is a gutter
 * too: a run starts at an item whose text is kernel output and goes on while each line bears the same mark. A line
 * the poster's console or mailer wrapped is two items there, so the mark comes off the rest as well, and the rest
 * joins its line again as it would have without the list.
 */
final class LineGutter {
    /** The longest number a gutter holds: a listing of ten million lines is not pasted. */
    private static final int MAX_DIGITS = 7;
    /** The widest padding before a number: {@code cat -n} pads to six columns, {@code less -N} to seven. */
    private static final int MAX_PAD = 8;

    private static final char TAB = '\t';
    private static final char SPACE = ' ';
    /** The form of a number alone on its line: a blank line of a listing whose tab was lost, or a gutter copied apart. */
    private static final char ALONE = 0;

    private long next = -1;
    private char form;
    /** The number a line would need to confirm a run begun on the line before (a listing's first lines), or -1. */
    private long tentative = -1;
    private char tentativeForm;

    /** The list mark of a run of items being taken off (its indentation, the mark and one space), or null. */
    private String item;

    private final KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();

    // one candidate, parsed from a line: its number, the form of its separator and where the line's text starts
    private long number;
    private char sep;
    private int text;
    private boolean padded;

    /** True while a run is being taken off or may be confirmed by the next line: every line must come to {@link #strip}. */
    boolean active() {
        return next >= 0 || tentative >= 0 || item != null;
    }

    /** True when {@code s[from, end)} is a list item that may start a run, so it must come to {@link #strip}. */
    boolean listed(String s, int from, int end) {
        return itemMark(s, from, end) > 0;
    }

    /** True when {@code s[from, end)} bears a number that may start a run, so it must come to {@link #strip}. */
    boolean numbered(String s, int from, int end) {
        if (!candidate(s, from, end)) {
            return false;
        }
        return !prefixed(s, from, end);
    }

    /** The line without its gutter number, or the line itself when it bears none. */
    String strip(String line) {
        return stripItem(stripNumber(line));
    }

    /** The line without its list mark, or the line itself (a listing may number the items: "1. - ..."). */
    private String stripItem(String line) {
        int n = line.length();
        if (item != null) {
            if (line.startsWith(item)) {
                return line.substring(item.length());
            }
            if (line.isBlank() || line.equals(item.stripTrailing())) {
                return ""; // an empty item or a blank line between items (a page that spaces its list)
            }
            item = null; // a line that is no item ends the list
        }
        int mark = itemMark(line, 0, n);
        if (mark > 0) {
            item = line.substring(0, mark);
            return line.substring(mark);
        }
        return line;
    }

    private String stripNumber(String line) {
        int n = line.length();
        boolean numbered = candidate(line, 0, n);
        if (next >= 0) {
            if (numbered && number == next && (sep == form || sep == ALONE)) {
                next++;
                return line.substring(text);
            }
            next = -1; // a line without the next number ends the run (a wrapped line's rest, the listing's end)
        }
        if (!numbered || sep == ALONE || !mayBeListing(line, n) || prefixed(line, 0, n)) {
            tentative = -1;
            return line;
        }
        boolean empty = text >= n; // a listing's blank line: "     2\t"
        if (!empty && kernelOutput(line, text, n)
                || number == tentative && sep == tentativeForm && (empty || !tableRow(line, n))) {
            next = number + 1;
            form = sep;
            tentative = -1;
            return line.substring(text);
        }
        tentative = number + 1;
        tentativeForm = sep;
        return line;
    }

    /**
     * Whether the number is part of a log prefix the line starts with: a prefix the reader knows, or a year before a
     * syslog date ("2024 Aug 28 00:39:46.066192 host WARNING kernel: "), which rsyslog's templates print.
     */
    private boolean prefixed(String line, int from, int n) {
        KernelLogPrefix.locate(line, from, n, cut);
        if (!"none".equals(cut.style)) {
            return true;
        }
        return sep == SPACE && number >= 1970 && number < 2100 && text + 3 <= n
                && MONTHS.contains(line.substring(text, text + 3));
    }

    private static final java.util.Set<String> MONTHS = java.util.Set.of(
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    /** "\t1: (1 GPs behind) idle=...", "1: (0 ticks this GP)": an RCU stall's CPU lines, never a listing's. */
    private boolean mayBeListing(String line, int n) {
        return sep != ':' || !padded && (text >= n || line.charAt(text) != '(');
    }

    /**
     * Whether the line is a row of a table whose first column is a count up by one (ps's PID before a TTY or a
     * state, crash's PID before its PPID), as far as it may be told from a number and a space before it.
     */
    private boolean tableRow(String line, int n) {
        int t = RawText.skipWhitespace(line, text, n);
        if (sep != SPACE || t >= n) {
            return false;
        }
        char c = line.charAt(t);
        if (c == '?' || RawText.isDigit(c) || line.startsWith("pts/", t) || line.startsWith("tty", t)) {
            return true;
        }
        // a process state: "S", "Ss", "D+", "I<", "R+", "Sl"
        int i = t;
        if ("RSDZTIXWKP".indexOf(c) < 0) {
            return false;
        }
        i++;
        while (i < n && "<NsLl+".indexOf(line.charAt(i)) >= 0) {
            i++;
        }
        return i == n || line.charAt(i) == SPACE || line.charAt(i) == TAB;
    }

    /**
     * Where the text of a list item starts ("- ", "* ", after some indentation) whose text is kernel
     * output, or -1: an item of prose keeps its mark until a run has started.
     */
    private int itemMark(String s, int from, int end) {
        int i = from;
        while (i < end && i - from < MAX_PAD && (s.charAt(i) == SPACE || s.charAt(i) == TAB)) {
            i++;
        }
        if (i + 2 >= end || s.charAt(i) != '-' && s.charAt(i) != '*' || s.charAt(i + 1) != SPACE
                || s.charAt(i + 2) == SPACE) {
            return -1;
        }
        return kernelOutput(s, i + 2, end) ? i + 2 : -1;
    }

    /** Whether {@code s[from, end)} is a line of the kernel's: a log prefix, a report's first words, a frame. */
    private boolean kernelOutput(String s, int from, int end) {
        from = RawText.skipWhitespace(s, from, end);
        if (from + 2 < end && (s.charAt(from) == '-' || s.charAt(from) == '*') && s.charAt(from + 1) == SPACE) {
            from += 2; // a listing of a list's items
        }
        if (from >= end) {
            return false;
        }
        KernelLogPrefix.locate(s, from, end, cut);
        return !"none".equals(cut.style) || EventTriggers.startsAt(s, from, end)
                || EventTriggers.holdsFrameMark(s, from, end) || EventTriggers.nextFrame(s, from, end) >= 0
                || RawText.startsWith(s, from, end, "? ") && RawText.contains(s, from, end, "+0x");
    }

    /**
     * Parses a gutter candidate: padding, 1 to 7 digits, then a tab, one or more spaces, or one of {@code . : | )}
     * followed by a space, a tab or the line's end. A number alone on its line ({@code cat -n} of a blank line whose
     * tab was lost) is one with an empty text.
     */
    private boolean candidate(String s, int from, int end) {
        int i = from;
        while (i < end && i - from <= MAX_PAD && (s.charAt(i) == SPACE || s.charAt(i) == TAB)) {
            i++;
        }
        padded = i > from;
        int digits = i;
        long value = 0;
        while (i < end && RawText.isDigit(s.charAt(i)) && i - digits < MAX_DIGITS) {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i == digits || i - from > MAX_PAD + MAX_DIGITS) {
            return false;
        }
        number = value;
        if (i == end) {
            sep = ALONE;
            text = end;
            return true;
        }
        char c = s.charAt(i);
        if (c == TAB) {
            sep = TAB;
            text = i + 1;
            return true;
        }
        if (c == SPACE) {
            sep = SPACE; // less -N: one space, then the line as it was, indentation and all
            text = i + 1;
            return true;
        }
        if ((c == '.' || c == ':' || c == '|' || c == ')') && (i + 1 == end || s.charAt(i + 1) == SPACE
                || s.charAt(i + 1) == TAB)) {
            sep = c;
            text = Math.min(end, i + 2);
            return true;
        }
        return false;
    }
}
