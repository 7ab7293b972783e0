package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * v2 memory.events (Documentation/admin-guide/cgroup-v2.rst): `low`, `high`, `max` (charges that hit memory.max),
 * `oom`, `oom_kill` and, since 5.17, `oom_group_kill`, each a count for this cgroup and its descendants. A key the
 * kernel did not print is null, never 0.
 */
public record MemcgEvents(Map<String, Long> fields) {

    public MemcgEvents {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // file order, as printed
    }

    /** The events file of a v2 cgroup directory. */
    public static Path path(Path cgroupDir) {
        return cgroupDir.resolve("memory.events");
    }

    /** Parses the whole file; an unreadable one (null) is empty. */
    public static MemcgEvents parse(String text) {
        return new MemcgEvents(FlatKeyed.parse(text));
    }

    /** Times usage reached memory.max, or null. */
    public Long max() {
        return fields.get("max");
    }

    /** OOM kills, or null. */
    public Long oomKill() {
        return fields.get("oom_kill");
    }
}
