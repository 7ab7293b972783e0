package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * cpu.stat: `nr_periods`, `nr_throttled` and the time throttled, which v1 prints as `throttled_time` in ns and v2 as
 * `throttled_usec` (beside its usage counters).
 */
public record CpuStat(Map<String, Long> fields) {

    public CpuStat {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // file order, as printed
    }

    /** The stat file of a cgroup directory. */
    public static Path path(Path cgroupDir) {
        return cgroupDir.resolve("cpu.stat");
    }

    /** Parses the whole file; an unreadable one (null) is empty. */
    public static CpuStat parse(String text) {
        return new CpuStat(FlatKeyed.parse(text));
    }

    /** Periods in which the cgroup was throttled; 0 when not printed. */
    public long nrThrottled() {
        return fields.getOrDefault("nr_throttled", 0L);
    }

    /** Time throttled in nanoseconds, from either version's key; 0 when not printed. */
    public long throttledNanos() {
        Long ns = fields.get("throttled_time");
        return ns != null ? ns : fields.getOrDefault("throttled_usec", 0L) * 1000;
    }
}
