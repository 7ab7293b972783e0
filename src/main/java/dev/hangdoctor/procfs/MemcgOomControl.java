package dev.hangdoctor.procfs;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * v1 memory.oom_control: `oom_kill_disable 1`, `under_oom 1` (a charge waits for memory and no OOM kill frees it)
 * and, since 4.13, `oom_kill N`. {@code fields} holds every line, in file order; a line the kernel did not print is
 * null, never 0.
 */
public record MemcgOomControl(Map<String, Long> fields) {

    public MemcgOomControl {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // file order, as printed
    }

    /** The oom_control file of a v1 cgroup directory. */
    public static Path path(Path cgroupDir) {
        return cgroupDir.resolve("memory.oom_control");
    }

    /** Parses the whole file; an unreadable one (null) is empty. */
    public static MemcgOomControl parse(String text) {
        return new MemcgOomControl(FlatKeyed.parse(text));
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Whether a charge is waiting for memory now, or null when the line is missing. */
    public Boolean underOom() {
        Long v = fields.get("under_oom");
        return v == null ? null : v != 0;
    }

    /** Whether the kernel's OOM killer is disabled for this cgroup, or null. */
    public Boolean oomKillDisable() {
        Long v = fields.get("oom_kill_disable");
        return v == null ? null : v != 0;
    }

    /** OOM kills in this cgroup (4.13+), or null. */
    public Long oomKill() {
        return fields.get("oom_kill");
    }
}
