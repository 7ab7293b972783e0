package dev.hangdoctor.watch;

import dev.hangdoctor.act.ProcFile;

import java.io.IOException;
import java.nio.file.Path;

/** The agent's own cost, from /proc/self: CPU seconds used (utime + stime) and resident set size. */
public final class SelfUsage {
    /** USER_HZ: the unit of stat's utime and stime on every Linux architecture hangdoctor runs on. */
    private static final double TICKS = 100.0;

    private SelfUsage() {
    }

    /** CPU seconds this process has used, or NaN when unknown. */
    public static double cpuSeconds() {
        try {
            // bytes, not text: the process may have been started under a name that is not UTF-8
            String s = ProcFile.read(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after the comm: f[0] is field 3 (state), so utime (14) and stime (15) are f[11] and f[12]
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size in bytes (VmRSS), or NaN when unknown. */
    public static double rssBytes() {
        try {
            for (String line : ProcFile.read(Path.of("/proc/self/status")).split("\n")) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim();
                    return Long.parseLong(kb.substring(0, kb.indexOf(' '))) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
