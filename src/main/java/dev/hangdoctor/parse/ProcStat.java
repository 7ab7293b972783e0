package dev.hangdoctor.parse;

/**
 * The fields hangdoctor uses from one /proc/PID/stat (or task/TID/stat) line. {@code comm} is what lies between the
 * first '(' and the LAST ')', since a name may itself hold ')' or spaces. Numbers are null when the line was cut
 * short (old kernels print fewer fields).
 */
public record ProcStat(int pid, String comm, char state, Integer ppid, Long flags, Long startTime, Integer processor) {

    // 1-based field numbers from proc(5); field 3 (state) is the first after comm
    private static final int PPID = 4;
    private static final int FLAGS = 9;
    private static final int STARTTIME = 22;
    private static final int PROCESSOR = 39;

    /** The parsed line, or null when it is not a stat line at all. */
    public static ProcStat parse(String text) {
        if (text == null) {
            return null;
        }
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open <= 0 || close < open) {
            return null;
        }
        Integer pid = parseInt(text.substring(0, open).trim());
        if (pid == null) {
            return null;
        }
        String comm = text.substring(open + 1, close);
        // the fields after comm, cut by hand: a regex split of 50 fields costs more than the rest of the parse
        int from = close + 1;
        int to = text.length();
        while (from < to && text.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        if (from == to) {
            return null;
        }
        String[] rest = new String[PROCESSOR - 2];
        int n = 0;
        int i = from;
        while (i < to && n < rest.length) {
            int j = i;
            while (j < to && !isSpace(text.charAt(j))) {
                j++;
            }
            if (n == 0 || n == PPID - 3 || n == FLAGS - 3 || n == STARTTIME - 3 || n == PROCESSOR - 3) {
                rest[n] = text.substring(i, j);
            }
            n++;
            while (j < to && isSpace(text.charAt(j))) {
                j++;
            }
            i = j;
        }
        char state = rest[0].charAt(0);
        return new ProcStat(pid, comm, state, parseInt(rest[PPID - 3]), parseLong(rest[FLAGS - 3]),
                parseLong(rest[STARTTIME - 3]), parseInt(rest[PROCESSOR - 3]));
    }

    /** What the regex class \\s matches. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    static Integer parseInt(String s) {
        Long v = parseLong(s);
        return v == null || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : v.intValue();
    }

    static Long parseLong(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
