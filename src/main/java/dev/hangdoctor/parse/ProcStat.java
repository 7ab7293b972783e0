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
        String[] rest = text.substring(close + 1).trim().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        char state = rest[0].charAt(0);
        return new ProcStat(pid, comm, state, parseInt(field(rest, PPID)), parseLong(field(rest, FLAGS)),
                parseLong(field(rest, STARTTIME)), parseInt(field(rest, PROCESSOR)));
    }

    private static String field(String[] rest, int number) {
        int i = number - 3;
        return i < rest.length ? rest[i] : null;
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
