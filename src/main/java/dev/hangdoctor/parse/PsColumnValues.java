package dev.hangdoctor.parse;

/**
 * What procps' `ps` prints under each column (ps/output.c), as shapes a row's values are checked against when no
 * header vouches for the row: a state with its BSD flags, a terminal name, CPU times, start times, user names.
 */
final class PsColumnValues {
    private PsColumnValues() {
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
            case "START", "STIME" -> isStartTime(v);
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
        return hms.length() == 8 && hms.charAt(2) == ':' && hms.charAt(5) == ':' && isDigits(hms.substring(0, 2), 0)
                && isDigits(hms.substring(3, 5), 0) && isDigits(hms.substring(6), 0);
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
