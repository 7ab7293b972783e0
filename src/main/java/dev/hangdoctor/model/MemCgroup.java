package dev.hangdoctor.model;

import java.util.List;
import java.util.Map;

/**
 * A memory cgroup (v1 or v2) as read live. Byte counts are null where the file was missing; a limit of
 * {@code null} with {@code unlimited} true is "max".
 */
public record MemCgroup(
        String path,
        int version,
        Long usageBytes,
        Long limitBytes,
        boolean unlimited,
        Boolean underOom,
        Boolean oomKillDisable,
        Long failcnt,
        Long oomKills,
        Map<String, Long> events,
        String pressure,
        List<Integer> pids) {

    public MemCgroup {
        events = events == null ? Map.of() : Map.copyOf(events);
        pids = pids == null ? List.of() : List.copyOf(pids);
    }

    /** usage / limit, or null when either is unknown or there is no limit. */
    public Double fill() {
        if (usageBytes == null || limitBytes == null || limitBytes <= 0) {
            return null;
        }
        return (double) usageBytes / limitBytes;
    }
}
