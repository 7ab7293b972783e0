package dev.hangdoctor.act;

import dev.hangdoctor.collect.TimedReader;
import dev.hangdoctor.procfs.PidCgroup;

import java.nio.file.Path;

/**
 * Whether a process is still in a memory cgroup (or below it), from a fresh read of /proc/PID/cgroup. A process can
 * be moved between the choice and the kill; one that left the cgroup acted for is not that cgroup's to kill. The read
 * has a timeout: /proc/PID/cgroup waits on cgroup_mutex, which a hung host may hold.
 */
public final class CgroupMembership {
    private static final long TIMEOUT_NANOS = 200_000_000L;

    private CgroupMembership() {
    }

    /** Why {@code pid} is not (or not known to be) in memory cgroup {@code cgroup} or below, or null when it is. */
    public static String refuseOutside(Path procRoot, int pid, String cgroup) {
        Path file = PidCgroup.path(procRoot, pid);
        TimedReader.Result r = TimedReader.shared().run(TimedReader.Op.read(file), false, TIMEOUT_NANOS,
                System.nanoTime() + TIMEOUT_NANOS);
        if (!r.ok()) {
            return "pid " + pid + ": cannot tell its cgroup now (" + r.status().name().toLowerCase()
                    + (r.detail() == null ? "" : ": " + r.detail()) + ")";
        }
        PidCgroup.MemoryPath now = PidCgroup.memoryPath(r.text());
        if (now == null) {
            return "pid " + pid + ": its /proc/PID/cgroup names no memory cgroup";
        }
        if (!within(now.path(), cgroup)) {
            return "pid " + pid + " is no longer in cgroup " + cgroup + " (now in " + now.path() + ")";
        }
        return null;
    }

    /** True when {@code path} is {@code cgroup} or one of its descendants. */
    static boolean within(String path, String cgroup) {
        if (cgroup.equals("/")) {
            return path.startsWith("/");
        }
        return path.equals(cgroup) || path.startsWith(cgroup.endsWith("/") ? cgroup : cgroup + "/");
    }
}
