package dev.hangdoctor.procfs;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A memory cgroup's usage: v1 memory.usage_in_bytes, v2 memory.current (bytes charged to the cgroup and its
 * descendants, swap left out), one decimal number. The guard reads it many times a second through one open channel,
 * hence the parse of bytes in place.
 */
public final class MemcgUsage {
    /** What {@link #parse(ByteBuffer, int)} returns for a read that holds no number. */
    public static final long NOT_A_NUMBER = -1;

    private MemcgUsage() {
    }

    /** The usage file's name under hierarchy {@code version}. */
    public static String fileName(int version) {
        return version == 1 ? "memory.usage_in_bytes" : "memory.current";
    }

    /** The usage file of a cgroup directory. */
    public static Path path(Path cgroupDir, int version) {
        return cgroupDir.resolve(fileName(version));
    }

    /** The number in the file's text, or null. */
    public static Long parse(String text) {
        return text == null ? null : ProcNumbers.parseLong(text.trim());
    }

    /** The leading decimal number of {@code buf[0, n)}, or {@link #NOT_A_NUMBER}. */
    public static long parse(ByteBuffer buf, int n) {
        long v = 0;
        int digits = 0;
        for (int i = 0; i < n; i++) {
            byte b = buf.get(i);
            if (b < '0' || b > '9') {
                break;
            }
            v = v * 10 + (b - '0');
            digits++;
        }
        // 18 digits cannot overflow; no cgroup holds an exabyte
        return digits == 0 || digits > 18 ? NOT_A_NUMBER : v;
    }
}
