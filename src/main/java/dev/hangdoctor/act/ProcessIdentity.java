package dev.hangdoctor.act;

import dev.hangdoctor.parse.ProcStat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as it was when diagnosed: pid plus its start time (clock ticks since boot). A pid that comes back with a
 * different start time is another process that reused the number, and must not be touched.
 */
public record ProcessIdentity(int pid, long startTime, String comm, long flags, int ppid) {
    /** PF_KTHREAD: kernel threads have no user space to end and must never be signalled. */
    private static final long PF_KTHREAD = 0x00200000L;

    /** Reads /proc/PID/stat under {@code procRoot}; empty when the process is gone or the file unreadable. */
    public static Optional<ProcessIdentity> read(Path procRoot, int pid) {
        try {
            // stat never takes the target's mmap lock, so it is safe to read even for a hung process
            String text = Files.readString(procRoot.resolve(Integer.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            ProcStat s = ProcStat.parse(text);
            if (s == null || s.startTime() == null) {
                return Optional.empty();
            }
            return Optional.of(new ProcessIdentity(pid, s.startTime(), s.comm(),
                    s.flags() == null ? 0 : s.flags(), s.ppid() == null ? -1 : s.ppid()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when the same process (same start time) still holds this pid. */
    public boolean stillAlive(Path procRoot) {
        return read(procRoot, pid).map(now -> now.startTime == startTime).orElse(false);
    }

    public boolean kernelThread() {
        return (flags & PF_KTHREAD) != 0 || pid == 2 || ppid == 2;
    }

    @Override
    public String toString() {
        return comm + ":" + pid + " (started at tick " + startTime + ")";
    }
}
