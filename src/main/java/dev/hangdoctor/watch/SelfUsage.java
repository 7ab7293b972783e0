package dev.hangdoctor.watch;

import dev.hangdoctor.procfs.PidStatus;
import dev.hangdoctor.procfs.PidStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The agent's own cost, from /proc/self: CPU seconds used (utime + stime) and resident set size. */
public final class SelfUsage {
    /** USER_HZ: the unit of stat's utime and stime on every Linux architecture hangdoctor runs on. */
    private static final double TICKS = 100.0;
    private static final Path SELF = Path.of("/proc/self");

    private SelfUsage() {
    }

    /** CPU seconds this process has used, or NaN when unknown. */
    public static double cpuSeconds() {
        return cpuSeconds(SELF);
    }

    /** Resident set size in bytes (VmRSS), or NaN when unknown. */
    public static double rssBytes() {
        return rssBytes(SELF);
    }

    /** utime + stime of the stat file under {@code pidDir}, in seconds. */
    static double cpuSeconds(Path pidDir) {
        try {
            byte[] raw = Files.readAllBytes(pidDir.resolve("stat"));
            PidStat.Fields f = PidStat.parse(raw, 0, raw.length);
            return f == null || f.utime() == null || f.stime() == null ? Double.NaN : (f.utime() + f.stime()) / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** VmRSS of the status file under {@code pidDir}, in bytes. */
    static double rssBytes(Path pidDir) {
        try {
            Long kb = PidStatus.parse(Files.readAllBytes(pidDir.resolve("status"))).vmRssKb();
            return kb == null ? Double.NaN : kb * 1024.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
