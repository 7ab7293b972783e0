package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * A memory cgroup's limit: v1 memory.limit_in_bytes (and memory.memsw.limit_in_bytes for memory plus swap), v2
 * memory.max (and memory.high, the throttling limit). One number of bytes, or no limit: v2 writes "max", v1 prints
 * PAGE_COUNTER_MAX pages in bytes. {@code bytes} is null when there is no limit.
 */
public record MemcgLimit(Long bytes) {
    /**
     * v1's "no limit" is 9223372036854771712 with 4 KiB pages (other page sizes round differently): anything this
     * large is no limit.
     */
    public static final long V1_UNLIMITED_AT = 1L << 62;

    /** The limit file's name under hierarchy {@code version}. */
    public static String fileName(int version) {
        return version == 1 ? "memory.limit_in_bytes" : "memory.max";
    }

    /** The limit file of a cgroup directory. */
    public static Path path(Path cgroupDir, int version) {
        return cgroupDir.resolve(fileName(version));
    }

    /** v1's memory plus swap limit (present only with swap accounting): never below the memory limit. */
    public static Path memswPath(Path cgroupDir) {
        return cgroupDir.resolve("memory.memsw.limit_in_bytes");
    }

    /** v2's memory.high: past it the cgroup's tasks are throttled and reclaimed, not OOM-killed. */
    public static Path highPath(Path cgroupDir) {
        return cgroupDir.resolve("memory.high");
    }

    /** The limit in a file's text, or null when the text is neither a number nor "max". */
    public static MemcgLimit parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.equals("max")) {
            return new MemcgLimit(null);
        }
        Long v = ProcNumbers.parseLong(t);
        return v == null ? null : new MemcgLimit(v >= V1_UNLIMITED_AT ? null : v);
    }

    /** True when the file says there is no limit. */
    public boolean unlimited() {
        return bytes == null;
    }
}
