package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * A cgroup's CPU bandwidth quota: v1 cpu.cfs_quota_us (microseconds per period, -1 for none), v2 cpu.max
 * (`$MAX $PERIOD`, `max 100000` for none).
 */
public final class CpuQuota {
    private CpuQuota() {
    }

    /** The quota file's name under hierarchy {@code version}. */
    public static String fileName(int version) {
        return version == 1 ? "cpu.cfs_quota_us" : "cpu.max";
    }

    /** The quota in microseconds a period, or null when there is none or the text holds no number. */
    public static Long parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        int sp = t.indexOf(' ');
        String first = sp < 0 ? t : t.substring(0, sp);
        if (first.equals("max")) {
            return null;
        }
        Long v = ProcNumbers.parseLong(first);
        return v == null || v < 0 ? null : v;
    }

    /** The quota file of a cgroup directory. */
    public static Path path(Path cgroupDir, int version) {
        return cgroupDir.resolve(fileName(version));
    }
}
