package dev.hangdoctor.act;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Raises a memory cgroup's limit by a bounded amount so the charge the stuck tasks wait for succeeds: v1
 * memory.limit_in_bytes (and memory.memsw.limit_in_bytes first when the new limit would pass it, which the kernel
 * refuses), v2 memory.max. The old limit is recorded in the audit log so it can be put back.
 */
public final class MemcgRaiseLimitAction implements Action {
    private final String finding;
    private final Path cgroupDir;
    private final String cgroupPath;
    private final int version;
    private final long fromBytes;
    private final long toBytes;
    /** The memsw limit before apply() raised it (v1), so the undo puts it back too; null when it was not touched. */
    private Long memswFromBytes;

    public MemcgRaiseLimitAction(String finding, Path cgroupDir, String cgroupPath, int version, long fromBytes, long toBytes) {
        this.finding = finding;
        this.cgroupDir = cgroupDir;
        this.cgroupPath = cgroupPath;
        this.version = version;
        this.fromBytes = fromBytes;
        this.toBytes = toBytes;
    }

    /** The default raise: a quarter of the limit, at least 64 MiB; bounded so one stuck cgroup cannot take the host. */
    public static long raisedLimit(long limit) {
        // page-aligned, as the kernel stores it: what is written reads back the same, so the undo can compare
        return (limit + Math.max(limit / 4, 64L << 20)) & ~4095L;
    }

    public Path cgroupDir() {
        return cgroupDir;
    }

    public long fromBytes() {
        return fromBytes;
    }

    public long toBytes() {
        return toBytes;
    }

    @Override
    public String id() {
        return "memcg-raise-limit";
    }

    @Override
    public String finding() {
        return finding;
    }

    @Override
    public String summary() {
        return "raise the memory limit of cgroup " + cgroupPath + " from " + mib(fromBytes) + " to " + mib(toBytes)
                + " so the stuck charge succeeds (restore later with: echo " + fromBytes + " > " + limitFile() + ")";
    }

    @Override
    public List<String> touches() {
        List<String> t = new ArrayList<>();
        if (memswFile() != null) {
            t.add(memswFile().toString());
        }
        t.add(limitFile().toString());
        return t;
    }

    @Override
    public List<String> commands() {
        List<String> c = new ArrayList<>();
        Path memsw = memswFile();
        if (memsw != null) {
            c.add("echo " + toBytes + " > " + memsw + "   # only if it is below the new limit");
        }
        c.add("echo " + toBytes + " > " + limitFile());
        return c;
    }

    @Override
    public String precheck() {
        return changedSincePlan();
    }

    @Override
    public String observe() {
        return observe(cgroupDir, version);
    }

    /** The limits, usage and (v1) under_oom of a memory cgroup, as one line for the audit log. */
    static String observe(Path cgroupDir, int version) {
        StringBuilder sb = new StringBuilder("limit=").append(readRaw(limitFile(cgroupDir, version)));
        Path memsw = memswFile(cgroupDir, version);
        if (memsw != null) {
            sb.append(" memsw=").append(readRaw(memsw));
        }
        sb.append(" usage=").append(readRaw(usageFile(cgroupDir, version)));
        if (version == 1) {
            String oom = readRaw(cgroupDir.resolve("memory.oom_control"));
            int u = oom.indexOf("under_oom");
            if (u >= 0) {
                sb.append(" under_oom=").append(oom.substring(u + 10).trim().split("\\s+")[0]);
            }
        }
        return sb.toString();
    }

    /**
     * Raises memsw first (v1 refuses a limit above memsw), then the limit. The limit is read again right before each
     * write: one changed since the plan (someone raised it meanwhile) is left alone, and a lower value is never
     * written over a higher one.
     */
    @Override
    public void apply() throws IOException {
        String changed = changedSincePlan();
        if (changed != null) {
            throw new IllegalStateException("refused: " + changed);
        }
        Path memsw = memswFile();
        if (memsw != null) {
            Long sw = readLong(memsw);
            if (sw != null && sw < toBytes) {
                Files.writeString(memsw, Long.toString(toBytes), StandardCharsets.US_ASCII);
                memswFromBytes = sw;
            }
        }
        changed = changedSincePlan();
        if (changed != null) {
            throw new IllegalStateException("refused: " + changed + " (memsw "
                    + (memswFromBytes == null ? "untouched" : "raised from " + memswFromBytes + "; the undo puts it back")
                    + ")");
        }
        Files.writeString(limitFile(), Long.toString(toBytes), StandardCharsets.US_ASCII);
    }

    /** Why the limit is no longer the one planned from, or null (it is, and below what a raise writes). */
    private String changedSincePlan() {
        Long now = readLong(limitFile());
        if (now == null) {
            return "cgroup " + cgroupPath + " is gone or has no limit";
        }
        if (now != fromBytes) {
            // raised by someone else meanwhile, perhaps above what this would write: never lower it
            return "the limit of " + cgroupPath + " changed since the diagnosis (" + fromBytes + " -> " + now + ")";
        }
        return null;
    }

    /**
     * Putting the old limit back (and the memsw limit apply() raised, after it), once usage has fallen well below it;
     * null before apply() changed anything.
     */
    @Override
    public Action undo() {
        return new MemcgRestoreLimitAction(finding, cgroupDir, cgroupPath, version, fromBytes, toBytes, memswFromBytes);
    }

    private Path limitFile() {
        return limitFile(cgroupDir, version);
    }

    private Path memswFile() {
        return memswFile(cgroupDir, version);
    }

    static Path limitFile(Path cgroupDir, int version) {
        return cgroupDir.resolve(version == 1 ? "memory.limit_in_bytes" : "memory.max");
    }

    static Path usageFile(Path cgroupDir, int version) {
        return cgroupDir.resolve(version == 1 ? "memory.usage_in_bytes" : "memory.current");
    }

    /** v1's memory+swap limit, when the kernel has one (swap accounting on); null otherwise. */
    static Path memswFile(Path cgroupDir, int version) {
        Path p = cgroupDir.resolve("memory.memsw.limit_in_bytes");
        return version == 1 && Files.exists(p) ? p : null;
    }

    static Long readLong(Path p) {
        String s = readRaw(p);
        try {
            return s.equals("max") ? null : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String readRaw(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
