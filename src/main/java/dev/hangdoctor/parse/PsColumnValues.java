package dev.hangdoctor.parse;

/**
 * What procps' `ps` prints under each column (ps/output.c), as shapes a row's values are checked against when no
 * header vouches for the row: a state with its BSD flags, a terminal name, CPU times, start times, user names.
 */
final class PsColumnValues {
    private PsColumnValues() {
    }

    /**
     * How many of the row's words, from word {@code w} on ({@code starts}/{@code ends} index {@code t}; {@code words}
     * of them), the value of column {@code name} takes. Every column procps prints is one word but the command line
     * and the start dates (ps/output.c): `lstart` (header STARTED) is strftime's "%a %b %e %H:%M:%S %Y", five words
     * ("Wed Mar  6 03:51:50 2019"); `start` (STARTED) and `bsdstart` (START) print a start older than a day as
     * ctime's month and day, two words ("Feb 13"), and the time of day, one word, otherwise.
     */
    static int wordsFrom(String name, String t, int[] starts, int[] ends, int w, int words) {
        if (!isStartDate(name)) {
            return 1;
        }
        if (w + 5 <= words && isLongStart(t, starts, ends, w)) {
            return 5;
        }
        return w + 2 <= words && isMonthDay(t, starts, ends, w) ? 2 : 1;
    }

    /**
     * How many words before word {@code e} the value of column {@code name} takes (see {@link #wordsFrom}), leaving
     * the words before {@code min} to other columns.
     */
    static int wordsBefore(String name, String t, int[] starts, int[] ends, int e, int min) {
        if (!isStartDate(name)) {
            return 1;
        }
        if (e - 5 >= min && isLongStart(t, starts, ends, e - 5)) {
            return 5;
        }
        return e - 2 >= min && isMonthDay(t, starts, ends, e - 2) ? 2 : 1;
    }

    /** The headers of procps' start dates that may take more than one word: lstart's and start's, bsdstart's. */
    private static boolean isStartDate(String name) {
        return name.equals("STARTED") || name.equals("START");
    }

    /** lstart's five words at word {@code w}: day name, month, day, time of day, year. */
    private static boolean isLongStart(String t, int[] starts, int[] ends, int w) {
        return isLetters(t, starts[w], ends[w]) && isMonthDay(t, starts, ends, w + 1)
                && isClock(t, starts[w + 3], ends[w + 3]) && ends[w + 4] - starts[w + 4] == 4
                && isDigits(t.substring(starts[w + 4], ends[w + 4]), 0);
    }

    /** ctime's month and day at word {@code w}: "Feb 13", "Mar 06", "Mar  6". */
    private static boolean isMonthDay(String t, int[] starts, int[] ends, int w) {
        int len = ends[w + 1] - starts[w + 1];
        return isLetters(t, starts[w], ends[w]) && (len == 1 || len == 2)
                && isDigits(t.substring(starts[w + 1], ends[w + 1]), 0);
    }

    /** A day's or month's name in the locale ("Wed", "Feb"; some locales end it with '.'). */
    private static boolean isLetters(String t, int from, int to) {
        if (to - from < 2 || to - from > 12) {
            return false;
        }
        for (int k = from; k < to; k++) {
            char c = t.charAt(k);
            if (!Character.isLetter(c) && !(c == '.' && k == to - 1)) {
                return false;
            }
        }
        return true;
    }

    /** A time of day, "03:15:50". */
    private static boolean isClock(String t, int from, int to) {
        return to - from == 8 && t.charAt(from + 2) == ':' && t.charAt(from + 5) == ':'
                && isDigits(t.substring(from, from + 2), 0) && isDigits(t.substring(from + 3, from + 5), 0)
                && isDigits(t.substring(from + 6, to), 0);
    }

    /** procps' state letter with its BSD modifiers: `D`, `Ds`, `Dl+`, `S<`, `R+`, `Ss`, `I<`, `Z`. */
    static boolean isState(String s) {
        if (s.isEmpty() || s.length() > 6 || "DRSTtZXxIWKP".indexOf(s.charAt(0)) < 0) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            if ("<NLsl+".indexOf(s.charAt(k)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** procps' tname: "?" (no terminal), "pts/3", "tty1", "ttyS0", "console". */
    private static boolean isTty(String s) {
        if (s.equals("?")) {
            return true;
        }
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z' || s.length() > 16) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** procps' bsdtime: CPU minutes and seconds, "0:04", "312:10". */
    private static boolean isMinutesSeconds(String s) {
        int colon = s.indexOf(':');
        if (colon < 1 || colon != s.length() - 3) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (k != colon && !FrameLineParser.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code v} has the shape procps prints under column {@code name} (ps/output.c: pr_procs, pr_pcpu,
     * pr_pmem, pr_tty8, pr_stat, pr_stime, pr_bsdtime, pr_time, do_pr_name...); columns it does not know pass.
     */
    static boolean fits(String name, String v) {
        return switch (name) {
            case "PID", "PPID", "PGID", "SID", "SESS", "TGID", "TID", "LWP", "SPID", "VSZ", "RSS", "SZ", "F", "C" ->
                    isDigits(v, 0);
            // -1 when the process has no terminal; NI is "-" for a real-time task
            case "TPGID", "PRI", "NI" -> isDigits(v, v.startsWith("-") ? 1 : 0) || name.equals("NI") && v.equals("-");
            // "%u.%u" (pcpu under 100, else "%3u"), "%2u.%u"
            case "%CPU" -> isDecimal(v, false);
            case "%MEM" -> isDecimal(v, true);
            case "TTY", "TT" -> isTty(v);
            case "STAT", "S" -> isState(v);
            case "TIME" -> isMinutesSeconds(v) || isCpuTime(v);
            case "START", "STIME" -> isStartTime(v) || name.equals("START") && isStartedDate(v);
            case "STARTED" -> isStartedDate(v);
            // a uid, or under `ps -f` the user's name
            case "USER", "UID" -> isUserName(v);
            // a kernel function's name (cut to the column's width), "-" when running, "*" for a threaded process
            case "WCHAN" -> isWchan(v);
            default -> true;
        };
    }

    private static boolean isWchan(String s) {
        if (s.equals("-") || s.equals("*")) {
            return true;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!FrameLineParser.isSymbolChar(s.charAt(k))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isDigits(String s, int from) {
        if (s.length() <= from || s.length() - from > 10) {
            return false;
        }
        for (int k = from; k < s.length(); k++) {
            if (!FrameLineParser.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDecimal(String s, boolean dot) {
        int d = s.indexOf('.');
        if (d < 0) {
            return !dot && isDigits(s, 0);
        }
        return d == s.length() - 2 && isDigits(s.substring(0, d), 0) && FrameLineParser.isDigit(s.charAt(d + 1));
    }

    /** procps' cputime (`-o time`): "00:03:16", "2-03:04:05". */
    private static boolean isCpuTime(String s) {
        int dash = s.indexOf('-');
        String hms = dash > 0 && isDigits(s.substring(0, dash), 0) ? s.substring(dash + 1) : s;
        return isClock(hms, 0, hms.length());
    }

    /** A start date of more words ({@link #wordsFrom}) or `start`'s time of day ("03:15:50"). */
    private static boolean isStartedDate(String v) {
        String[] w = v.split(" +");
        int[] starts = new int[w.length];
        int[] ends = new int[w.length];
        String joined = String.join(" ", w);
        for (int k = 0, at = 0; k < w.length; at += w[k].length() + 1, k++) {
            starts[k] = at;
            ends[k] = at + w[k].length();
        }
        return switch (w.length) {
            case 1 -> isClock(joined, 0, joined.length()) || isStartTime(joined);
            case 2 -> isMonthDay(joined, starts, ends, 0);
            case 5 -> isLongStart(joined, starts, ends, 0);
            default -> false;
        };
    }

    /** procps' start_time: "13:35" (today), "May15" (this year), "2019" (before). */
    private static boolean isStartTime(String s) {
        if (s.length() == 5 && s.charAt(2) == ':') {
            return isDigits(s.substring(0, 2), 0) && isDigits(s.substring(3), 0);
        }
        if (s.length() == 4) {
            return isDigits(s, 0);
        }
        // %b%d: the month's abbreviation in the locale, then the day; C's are three letters
        if (s.length() < 4 || s.length() > 8 || !isDigits(s.substring(s.length() - 2), 0)) {
            return false;
        }
        for (int k = 0; k < s.length() - 2; k++) {
            if (!Character.isLetter(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** procps' user column: a name (cut to the column with a '+' at its end) or, with no name, the uid. */
    private static boolean isUserName(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!isUserNameChar(s.charAt(k)) && !(s.charAt(k) == '+' && k == s.length() - 1)) {
                return false;
            }
        }
        return true;
    }

    /** What user names are made of (useradd's NAME_REGEX, and '.', '$' that other tools allow). */
    static boolean isUserNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                || c == '.' || c == '$';
    }
}
