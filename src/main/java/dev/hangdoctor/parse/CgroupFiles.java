package dev.hangdoctor.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsers for cgroup text: /proc/PID/cgroup (`4:memory:/docker/abc` for v1, `0::/system.slice/x` for v2), and
 * the cgroup interface files hangdoctor reads (flat keyed `oom_kill_disable 1`, single numbers, `max`, pid lists).
 */
public final class CgroupFiles {
    /**
     * v1 reports "no limit" as PAGE_COUNTER_MAX pages in bytes (9223372036854771712 with 4 KiB pages; other page
     * sizes round differently): anything this large is no limit.
     */
    public static final long V1_UNLIMITED_AT = 1L << 62;

    private CgroupFiles() {
    }

    /** Which cgroup a task's memory is charged to, and under which hierarchy version. */
    public record MemoryPath(String path, int version) {
    }

    /**
     * The memory cgroup of a /proc/PID/cgroup file: the v1 line whose controller list names `memory`, else the v2
     * `0::` line; null when neither is there.
     */
    public static MemoryPath memoryPath(String text) {
        if (text == null) {
            return null;
        }
        String v2 = null;
        for (String line : text.split("\n")) {
            int c1 = line.indexOf(':');
            int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
            if (c2 < 0) {
                continue;
            }
            String controllers = line.substring(c1 + 1, c2);
            String path = line.substring(c2 + 1).trim();
            if (controllers.isEmpty()) {
                if (line.startsWith("0:")) {
                    v2 = path;
                }
            } else if (hasController(controllers, "memory")) {
                return new MemoryPath(path, 1);
            }
        }
        return v2 == null ? null : new MemoryPath(v2, 2);
    }

    private static boolean hasController(String list, String name) {
        for (String c : list.split(",")) {
            if (c.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A flat keyed file (`key value` per line: memory.oom_control, memory.events, cpu.stat) as numbers. */
    public static Map<String, Long> flatKeyed(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            Long v = ProcStat.parseLong(line.substring(sp + 1).trim());
            if (v != null) {
                out.put(line.substring(0, sp), v);
            }
        }
        return out;
    }

    /** A file holding one number (memory.current, memory.usage_in_bytes, waiting), or null. */
    public static Long number(String text) {
        return text == null ? null : ProcStat.parseLong(text.trim());
    }

    /** A limit: empty when the file says no limit (v2 `max`, v1 PAGE_COUNTER_MAX), null when unreadable. */
    public static Limit limit(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.equals("max")) {
            return new Limit(null);
        }
        Long v = ProcStat.parseLong(t);
        if (v == null) {
            return null;
        }
        return new Limit(v >= V1_UNLIMITED_AT ? null : v);
    }

    /** A byte limit; {@code bytes} null means unlimited. */
    public record Limit(Long bytes) {
        public boolean unlimited() {
            return bytes == null;
        }
    }

    /** cgroup.procs / tasks: one pid per line, at most {@code max} of them. */
    public static List<Integer> pids(String text, int max) {
        List<Integer> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            if (out.size() >= max) {
                break;
            }
            Integer v = ProcStat.parseInt(line.trim());
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** cpu.cfs_quota_us: -1 is no quota. v2 cpu.max: `max 100000` is none, `50000 100000` a quota. */
    public static Long cpuQuota(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        int sp = t.indexOf(' ');
        String first = sp < 0 ? t : t.substring(0, sp);
        if (first.equals("max")) {
            return null;
        }
        Long v = ProcStat.parseLong(first);
        return v == null || v < 0 ? null : v;
    }
}
