package dev.hangdoctor.act;

import dev.hangdoctor.procfs.PidStat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as it was when diagnosed: pid plus its start time (clock ticks since boot). A pid that comes back with a
 * different start time is another process that reused the number, and must not be touched.
 */
public record ProcessIdentity(int pid, long startTime, String comm, long flags, int ppid) {
    /** PF_KTHREAD: kernel threads have no user space to end and must never be signalled. */
    private static final long PF_KTHREAD = 0x00200000L;

    /** What reading a pid's stat found: the process, or that it is gone ({@code failure} null), or why it failed. */
    public record Lookup(ProcessIdentity identity, String failure) {
        public boolean gone() {
            return identity == null && failure == null;
        }
    }

    /**
     * Reads /proc/PID/stat under {@code procRoot}. Gone (no such file, ESRCH) and unreadable (another error, a line
     * that is not a stat line) are told apart: only the first means the process exited.
     */
    public static Lookup lookup(Path procRoot, int pid) {
        Path dir = procRoot.resolve(Integer.toString(pid));
        Path file = PidStat.path(procRoot, pid);
        byte[] raw;
        try {
            // stat never takes the target's mmap lock, so it is safe to read even for a hung process
            raw = ProcFile.readBytes(file);
        } catch (IOException e) {
            return ProcFile.gone(dir, e) ? new Lookup(null, null)
                    : new Lookup(null, "cannot read " + file + ": " + e.getMessage());
        }
        PidStat.Fields s = PidStat.parse(raw, 0, raw.length);
        if (s == null || s.startTime() == null) {
            return raw.length == 0 ? new Lookup(null, null)
                    : new Lookup(null, file + " is not a stat line with a start time");
        }
        return new Lookup(new ProcessIdentity(pid, s.startTime(), s.comm(), s.flags() == null ? 0 : s.flags(),
                s.ppid() == null ? -1 : s.ppid()), null);
    }

    /** The process now holding {@code pid}; empty when it is gone or its stat cannot be read. */
    public static Optional<ProcessIdentity> read(Path procRoot, int pid) {
        return Optional.ofNullable(lookup(procRoot, pid).identity());
    }

    /** True when the same process (same start time) still holds this pid. */
    public boolean stillAlive(Path procRoot) {
        return read(procRoot, pid).map(now -> now.startTime == startTime).orElse(false);
    }

    /**
     * Why the process the scan saw (start time {@code scanned}, null when the scan did not record it) is not this
     * one, or null when it is: a pid reused between the scan and now must not be acted on.
     */
    public String differsFrom(Long scanned) {
        if (scanned == null) {
            return comm + ":" + pid + ": the scan did not record its start time, so a reused pid cannot be ruled out";
        }
        if (scanned != startTime) {
            return "pid " + pid + " now belongs to another process (" + comm + ", started at tick " + startTime
                    + "; the scan saw one started at tick " + scanned + ")";
        }
        return null;
    }

    public boolean kernelThread() {
        return (flags & PF_KTHREAD) != 0 || pid == 2 || ppid == 2;
    }

    @Override
    public String toString() {
        return comm + ":" + pid + " (started at tick " + startTime + ")";
    }
}
