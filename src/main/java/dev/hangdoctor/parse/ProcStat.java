package dev.hangdoctor.parse;

import dev.hangdoctor.procfs.PidStat;
import dev.hangdoctor.procfs.ProcNumbers;

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
        return ProcNumbers.parseInt(s);
    }

    static Long parseLong(String s) {
        return ProcNumbers.parseLong(s);
    }
}
