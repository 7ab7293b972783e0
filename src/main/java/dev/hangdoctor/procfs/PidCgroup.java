package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * /proc/PID/cgroup and /proc/PID/task/TID/cgroup (cgroups(7)): one `hierarchy-ID:controller-list:cgroup-path` line
 * per hierarchy, `4:memory:/docker/abc` under v1 and `0::/system.slice/x.service` for the v2 hierarchy. Reading it
 * takes the host-wide cgroup_mutex, so on a hung host it is read with a timeout.
 */
public final class PidCgroup {
    private PidCgroup() {
    }

    /** Which cgroup a task's memory is charged to, and under which hierarchy version. */
    public record MemoryPath(String path, int version) {
    }

    /** The cgroup file of a process under a proc root. */
    public static Path path(Path procRoot, int pid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("cgroup");
    }

    /** The cgroup file of one thread of a process. */
    public static Path taskPath(Path procRoot, int pid, int tid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)).resolve("cgroup");
    }

    /**
     * The memory cgroup: the v1 line whose controller list names `memory`, else the v2 `0::` line; null when
     * neither is there.
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
}
