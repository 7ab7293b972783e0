package dev.hangdoctor.act;

import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgOomControl;
import dev.hangdoctor.procfs.MemcgUsage;
import dev.hangdoctor.procfs.ProcSource;

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
    /** The host's files: each read right before a write is timed, so a hung cgroup file cannot stall the remedy. */
    private final ProcSource host;
    private final Path cgroupDir;
    private final String cgroupPath;
    private final int version;
    private final long fromBytes;
    private final long toBytes;
    /** The memsw limit before apply() raised it (v1), so the undo puts it back too; null when it was not touched. */
    private Long memswFromBytes;

    public MemcgRaiseLimitAction(ProcSource host, String finding, Path cgroupDir, String cgroupPath, int version,
                                 long fromBytes, long toBytes) {
        this.host = host;
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
        return observe(host, cgroupDir, version);
    }

    /** The limits, usage and (v1) under_oom of a memory cgroup, as one line for the audit log. */
    static String observe(ProcSource host, Path cgroupDir, int version) {
        StringBuilder sb = new StringBuilder("limit=").append(readRaw(host, MemcgLimit.path(cgroupDir, version)));
        Path memsw = memswFile(cgroupDir, version);
        if (memsw != null) {
            sb.append(" memsw=").append(readRaw(host, memsw));
        }
        sb.append(" usage=").append(readRaw(host, MemcgUsage.path(cgroupDir, version)));
        if (version == 1) {
            Long underOom = MemcgOomControl.parse(host.read(MemcgOomControl.path(cgroupDir)).text()).fields()
                    .get("under_oom");
            if (underOom != null) {
                sb.append(" under_oom=").append(underOom);
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
            Long sw = readLimit(memsw);
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
        MemcgLimit limit = MemcgLimit.parse(readText(limitFile()));
        if (limit == null || limit.unlimited()) {
            return "cgroup " + cgroupPath + (limit == null ? " is gone" : " has no limit any more");
        }
        long now = limit.bytes();
        if (now != fromBytes) {
            // raised by someone else meanwhile, perhaps above what this would write: never lower it
            return "the limit of " + cgroupPath + " changed since the diagnosis (" + fromBytes + " -> " + now + ")";
        }
        return null;
    }

    /**
     * Putting the old limit back (and the memsw limit apply() raised, after it), run once usage has fallen well below
     * it: its precheck refuses while the burst lasts, since restoring then would only re-create the stall.
     */
    @Override
    public Action undo() {
        return new MemcgRestoreLimitAction(host, finding, cgroupDir, cgroupPath, version, fromBytes, toBytes,
                memswFromBytes);
    }

    private Path limitFile() {
        return MemcgLimit.path(cgroupDir, version);
    }

    private Path memswFile() {
        return memswFile(cgroupDir, version);
    }

    /** v1's memory+swap limit file, when the kernel has one (swap accounting on); null otherwise. */
    static Path memswFile(Path cgroupDir, int version) {
        Path p = MemcgLimit.memswPath(cgroupDir);
        return version == 1 && Files.exists(p) ? p : null;
    }

    private Long readLimit(Path p) {
        return readLimit(host, p);
    }

    /** The limit in a limit file in bytes, or null when it is gone, unreadable or says no limit. */
    static Long readLimit(ProcSource host, Path p) {
        MemcgLimit l = MemcgLimit.parse(host.read(p).text());
        return l == null ? null : l.bytes();
    }

    private String readText(Path p) {
        return host.read(p).text();
    }

    /** A file's text for the audit log, "?" when it cannot be read. */
    static String readRaw(ProcSource host, Path p) {
        String s = host.read(p).text();
        return s == null ? "?" : s.trim();
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
