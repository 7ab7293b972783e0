package dev.hangdoctor.act;

import dev.hangdoctor.procfs.PidCgroup;
import dev.hangdoctor.procfs.ProcSource;

/**
 * Whether a process is still in a memory cgroup (or below it), from a fresh read of /proc/PID/cgroup. A process can
 * be moved between the choice and the kill; one that left the cgroup acted for is not that cgroup's to kill. Read
 * through the host's source, timed: /proc/PID/cgroup waits on cgroup_mutex, which a hung host may hold.
 */
public final class CgroupMembership {
    private CgroupMembership() {
    }

    /** Why {@code pid} is not (or not known to be) in memory cgroup {@code cgroup} or below, or null when it is. */
    public static String refuseOutside(ProcSource host, int pid, String cgroup) {
        ProcSource.Read r = host.read(PidCgroup.path(host.proc(), pid));
        if (!r.ok()) {
            return "pid " + pid + ": cannot tell its cgroup now (" + r.failure() + ")";
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
