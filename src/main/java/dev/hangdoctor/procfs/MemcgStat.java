package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * memory.stat: page counts by kind, `key value` a line. v1 prints this cgroup's own counters and then the subtree's as
 * `total_*`; v2 prints the subtree's under the plain names.
 */
public record MemcgStat(Map<String, Long> fields) {

    public MemcgStat {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // file order, as printed
    }

    /** The stat file of a cgroup directory. */
    public static Path path(Path cgroupDir) {
        return cgroupDir.resolve("memory.stat");
    }

    /** Parses the whole file; an unreadable one (null) is empty. */
    public static MemcgStat parse(String text) {
        return new MemcgStat(FlatKeyed.parse(text));
    }

    /** The key for page cache the kernel drops before it OOM-kills, counted over the subtree, per version. */
    public static String inactiveFileKey(int version) {
        return version == 1 ? "total_inactive_file" : "inactive_file";
    }

    /** A counter, or null when the kernel did not print it. */
    public Long get(String key) {
        return fields.get(key);
    }
}
