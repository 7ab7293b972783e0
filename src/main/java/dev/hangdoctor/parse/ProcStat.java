package dev.hangdoctor.parse;

import dev.hangdoctor.procfs.PidStat;

/**
 * The fields hangdoctor uses from one /proc/PID/stat (or task/TID/stat) line. {@code comm} is what lies between the
 * first '(' and the LAST ')', since a name may itself hold ')' or spaces. Numbers are null when the line was cut
 * short (old kernels print fewer fields).
 */
public record ProcStat(int pid, String comm, char state, Integer ppid, Long flags, Long startTime, Integer processor) {

    /** The parsed line, or null when it is not a stat line at all ({@link PidStat} is the one parser). */
    public static ProcStat parse(String text) {
        PidStat.Fields f = PidStat.parse(text);
        return f == null ? null
                : new ProcStat(f.pid(), f.comm(), f.state(), f.ppid(), f.flags(), f.startTime(), f.processor());
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
