package dev.hangdoctor.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host-shaped directory for guard tests: a v1 memory hierarchy under sys/fs/cgroup/memory, /proc entries (stat,
 * status, oom_score_adj; stat lines follow a real 6.18 /proc/PID/stat) and etc/passwd. Pids are above the kernel's
 * PID_MAX_LIMIT (4194304), so no real process can ever be signalled by a test that goes wrong.
 */
final class GuardHost {
    static final int PID_BASE = 4_194_400;
    private final Path root;

    GuardHost(Path root) {
        this.root = root;
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", "1073741824\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
                + "app:x:1000:1000::/home/app:/bin/sh\n");
    }

    Path root() {
        return root;
    }

    /** A cgroup (path like "/docker/c1") with its limit and usage in MiB. */
    GuardHost cgroup(String path, long limitMiB, long usageMiB) {
        write(cg(path) + "/memory.limit_in_bytes", (limitMiB << 20) + "\n");
        usage(path, usageMiB);
        write(cg(path) + "/cgroup.procs", "");
        write(cg(path) + "/memory.stat", "cache 0\nrss " + (usageMiB << 20) + "\ntotal_inactive_file 0\n");
        return this;
    }

    GuardHost usage(String path, long mib) {
        write(cg(path) + "/memory.usage_in_bytes", (mib << 20) + "\n");
        return this;
    }

    GuardHost inactiveFile(String path, long mib) {
        write(cg(path) + "/memory.stat", "cache " + (mib << 20) + "\ntotal_inactive_file " + (mib << 20) + "\n");
        return this;
    }

    /** A process in cgroup {@code path}: pid PID_BASE + n. */
    GuardHost process(String path, int n, String comm, long rssMiB, int oomScoreAdj, int uid) {
        return process(path, n, comm, rssMiB, oomScoreAdj, uid, 4194560L);
    }

    GuardHost process(String path, int n, String comm, long rssMiB, int oomScoreAdj, int uid, long flags) {
        return process(path, n, comm.getBytes(StandardCharsets.UTF_8), rssMiB, oomScoreAdj, uid, flags);
    }

    /** A process whose name is these bytes, as the kernel prints them (need not be UTF-8). */
    GuardHost process(String path, int n, byte[] commBytes, long rssMiB, int oomScoreAdj, int uid, long flags) {
        // files are written as ISO-8859-1: every char below 256 is one byte, so the name's bytes land unchanged
        String comm = new String(commBytes, StandardCharsets.ISO_8859_1);
        int pid = PID_BASE + n;
        String dir = "proc/" + pid + "/";
        write(dir + "stat", pid + " (" + comm + ") S 1 " + pid + " " + pid + " 0 -1 " + flags
                + " 131 0 0 0 0 0 0 0 20 0 1 0 " + (43795 + n) + " 10944512 " + (rssMiB * 256)
                + " 18446744073709551615 94358313906176 94358313907281 140723902063776 0 0 0 0 6 0 0 0 0 17 1 0 0 0"
                + " 0 0 94358313917904 94358313918616 94358741233664 140723902069299 140723902069305"
                + " 140723902069305 140723902070770 0\n");
        write(dir + "status", "Name:\t" + comm + "\nState:\tS (sleeping)\nTgid:\t" + pid + "\nPid:\t" + pid
                + "\nPPid:\t1\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nVmRSS:\t" + String.format(
                "%8d", rssMiB << 10) + " kB\nVmPTE:\t      48 kB\nVmSwap:\t       0 kB\n");
        write(dir + "oom_score_adj", oomScoreAdj + "\n");
        Path procs = root.resolve(cg(path) + "/cgroup.procs");
        try {
            Files.writeString(procs, Files.readString(procs) + pid + "\n", StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The /proc/PID/cgroup of process {@code n}: its memory cgroup as a v1 host prints it. */
    GuardHost procCgroup(int n, String memoryCgroup) {
        write("proc/" + (PID_BASE + n) + "/cgroup", "12:cpuset:/\n5:memory:" + memoryCgroup + "\n1:name=systemd:/\n");
        return this;
    }

    private static String cg(String path) {
        return "sys/fs/cgroup/memory" + path;
    }

    private void write(String rel, String text) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
