package dev.hangdoctor.parse;

/**
 * A procps table whose line breaks a page, a chat or a tracker lost: its header and its rows on one line ("# ps r -e
 * PID TTY STAT TIME COMMAND 442 ? D 0:00 [z_unlinked_drai] 10102 ? D ..."; corpus m-006). The header is found by its
 * names (procps' own, as {@link PsTableBlock} reads them), and each row where the header's leading one-word columns
 * (ids, user, terminal, state, times) hold values of their shapes ({@link PsColumnValues#fits}): every row starts
 * with them, whatever its command holds.
 */
final class CollapsedPsRows {
    /** The fewest names a header has here: fewer say too little to tell a header from words of a sentence. */
    private static final int MIN_NAMES = 3;
    private static final int MAX_NAMES = 40;

    private CollapsedPsRows() {
    }

    /**
     * The names of a header starting at {@code s[from]}: its words up to the first that is no column name, or null
     * when they are no ps table's header (fewer than three, no state column, no task id column).
     */
    static String[] headerAt(String s, int from, int end) {
        java.util.List<String> names = new java.util.ArrayList<>();
        boolean state = false;
        boolean id = false;
        int k = from;
        while (k < end && names.size() < MAX_NAMES) {
            int e = RawText.wordEnd(s, k, end);
            String w = s.substring(k, e);
            if (!isName(w)) {
                break;
            }
            names.add(w);
            state |= w.equals("STAT") || w.equals("S");
            id |= isIdName(w);
            k = RawText.skipWhitespace(s, e, end);
        }
        return names.size() >= MIN_NAMES && state && id ? names.toArray(new String[0]) : null;
    }

    /** Where the header that {@link #headerAt} reads at {@code from} ends: the start of the first word past it. */
    static int afterHeader(String[] names, String s, int from, int end) {
        int k = from;
        for (int n = 0; n < names.length; n++) {
            k = RawText.skipWhitespace(s, k + names[n].length(), end);
        }
        return k;
    }

    /**
     * Where a header starts after a space in {@code s(from, end)}, looked for at its task id column's name (PID,
     * TID, PPID, TGID, SPID: the names ending in "ID") and back over the names before it; -1 when there is none.
     */
    static int headerAfter(String s, int from, int end) {
        for (int p = RawText.indexOf(s, from, end, "ID "); p >= 0; p = RawText.indexOf(s, p + 3, end, "ID ")) {
            int w = p;
            while (w > from && s.charAt(w - 1) != ' ' && s.charAt(w - 1) != '\t') {
                w--;
            }
            if (!isIdName(s.substring(w, p + 2))) {
                continue;
            }
            // back over the names before it ("USER PID ...", "F S UID PID ...")
            int start = w;
            for (int n = 0; n < MAX_NAMES && start > from + 1 && s.charAt(start - 1) == ' '; n++) {
                int b = start - 1;
                while (b > from && s.charAt(b - 1) == ' ') {
                    b--;
                }
                int a = b;
                while (a > from && s.charAt(a - 1) != ' ' && s.charAt(a - 1) != '\t') {
                    a--;
                }
                if (a == b || !isName(s.substring(a, b))) {
                    break;
                }
                start = a;
            }
            if (start > from && headerAt(s, start, end) != null) {
                return start;
            }
        }
        return -1;
    }

    /**
     * How many of the header's first columns every row starts with in a shape of their own (one word each, checked by
     * {@link PsColumnValues#fits}), or 0 when they cannot tell where a row starts: fewer than two, or none of them a
     * number.
     */
    static int leading(String[] names) {
        int k = 0;
        boolean number = false;
        while (k < names.length && isShaped(names[k])) {
            number |= !names[k].equals("STAT") && !names[k].equals("S") && !names[k].equals("TTY")
                    && !names[k].equals("TT") && !names[k].equals("USER");
            k++;
        }
        return k >= 2 && number ? k : 0;
    }

    /**
     * Where the row after the one starting at {@code s[from]} starts: the first word, past as many words as the header
     * has columns, at which the header's {@code leading} columns hold values of their shapes and before which the
     * columns after the command end the row in hand in theirs (a start date's year, "Wed Feb 13 03:15:50 2019", is
     * a number as a pid is, so a row is not taken to start there); -1 when none does.
     */
    static int nextRow(String[] names, int leading, String s, int from, int end) {
        int[] starts = new int[16];
        int[] ends = new int[16];
        int k = from;
        int word = 0;
        while (k < end) {
            int e = RawText.wordEnd(s, k, end);
            if (word >= names.length && fitsFrom(names, leading, s, k, end)
                    && endsRow(names, leading, s, starts, ends, word)) {
                return k;
            }
            if (word == starts.length) {
                starts = java.util.Arrays.copyOf(starts, word * 2);
                ends = java.util.Arrays.copyOf(ends, word * 2);
            }
            starts[word] = k;
            ends[word] = e;
            word++;
            k = RawText.skipWhitespace(s, e, end);
        }
        return -1;
    }

    /**
     * Whether the {@code words} words of a row ({@code starts}/{@code ends} in {@code s}) end in the values of the
     * columns after its command line, each of its shape, read from the end as {@link PsTableBlock} reads them, with a
     * word at least left to the command. A header whose command is last (or that has none) has no such columns.
     */
    private static boolean endsRow(String[] names, int leading, String s, int[] starts, int[] ends, int words) {
        int command = -1;
        for (int c = 0; c < names.length; c++) {
            if (names[c].equals("COMMAND") || names[c].equals("CMD") || names[c].equals("ARGS")) {
                command = c;
            }
        }
        if (command < 0) {
            return true;
        }
        int e = words;
        for (int c = names.length - 1; c > command; c--) {
            if (e <= leading + 1) {
                return false;
            }
            int n = PsColumnValues.wordsBefore(names[c], s, starts, ends, e, leading + 1);
            if (!PsColumnValues.fits(names[c], s.substring(starts[e - n], ends[e - 1]))) {
                return false;
            }
            e -= n;
        }
        return true;
    }

    /** Whether the header's first {@code leading} columns hold values of their shapes from {@code s[at]} on. */
    static boolean fitsFrom(String[] names, int leading, String s, int at, int end) {
        int k = at;
        for (int c = 0; c < leading; c++) {
            if (k >= end) {
                return false;
            }
            int e = RawText.wordEnd(s, k, end);
            if (!PsColumnValues.fits(names[c], s.substring(k, e))) {
                return false;
            }
            k = RawText.skipWhitespace(s, e, end);
        }
        return true;
    }

    /** The columns {@link #leading} counts: one word each, of a shape {@link PsColumnValues#fits} checks. */
    private static boolean isShaped(String name) {
        return switch (name) {
            case "PID", "PPID", "PGID", "SID", "SESS", "TGID", "TID", "LWP", "SPID", "VSZ", "RSS", "SZ", "F", "C",
                    "TPGID", "PRI", "NI", "%CPU", "%MEM", "TTY", "TT", "STAT", "S", "TIME", "USER", "UID" -> true;
            default -> false;
        };
    }

    /** A column's name as procps prints it ({@link PsTableBlock#isColumnName}), starting as names do: not a number. */
    private static boolean isName(String w) {
        return PsTableBlock.isColumnName(w) && (w.charAt(0) >= 'A' && w.charAt(0) <= 'Z' || w.charAt(0) == '%');
    }

    private static boolean isIdName(String w) {
        return switch (w) {
            case "PID", "TGID", "TID", "LWP", "SPID", "PPID" -> true;
            default -> false;
        };
    }
}
