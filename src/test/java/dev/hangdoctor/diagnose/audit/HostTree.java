package dev.hangdoctor.diagnose.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a small host tree (proc/ and sys/, as `new ProcTreeReader(root)` reads it) for audit tests. File formats
 * are those of the captured bundle under src/test/resources/proc/bundle-6.18: one process's stat line copied from
 * it (the reader wants a process directory to call a tree /proc), single-number sysctl files, v1 cpu.stat
 * ("nr_periods/nr_throttled/throttled_time") and memory.oom_control ("oom_kill_disable/under_oom/oom_kill").
 */
public final class HostTree {
    private static final String CPU = "sys/fs/cgroup/cpu,cpuacct";
    private static final String MEMORY = "sys/fs/cgroup/memory";

    private final Path root;
    private boolean cpuRoot;
    private boolean memRoot;

    private HostTree(Path root) {
        this.root = root;
        try (InputStream in = HostTree.class.getResourceAsStream("/proc/bundle-6.18/proc/4889/stat")) {
            write("proc/4889/stat", new String(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HostTree at(Path root) {
        return new HostTree(root);
    }

    public Path root() {
        return root;
    }

    public HostTree kernel(String release) {
        return write("proc/sys/kernel/osrelease", release + "\n");
    }

    /** A sysctl by its dotted key: "kernel.hung_task_panic" is proc/sys/kernel/hung_task_panic. */
    public HostTree sysctl(String key, String value) {
        return write("proc/sys/" + key.replace('.', '/'), value + "\n");
    }

    /** The defaults of a 6.x kernel: nothing risky. */
    public HostTree safeSysctls() {
        return sysctl("kernel.hung_task_timeout_secs", "120").sysctl("kernel.hung_task_panic", "0")
                .sysctl("kernel.hardlockup_panic", "0").sysctl("kernel.softlockup_panic", "0")
                .sysctl("kernel.watchdog_thresh", "10").sysctl("kernel.panic_on_oops", "0")
                .sysctl("vm.panic_on_oom", "0");
    }

    /** A v1 cpu cgroup with a quota (-1: none) and its throttling counters. */
    public HostTree cpuCgroup(String path, long quotaUs, long nrThrottled, long throttledNs) {
        if (!cpuRoot) {
            cpuRoot = true;
            cpuFiles("", -1, 0, 0);
        }
        return cpuFiles(path, quotaUs, nrThrottled, throttledNs);
    }

    private HostTree cpuFiles(String path, long quotaUs, long nrThrottled, long throttledNs) {
        String dir = CPU + path;
        write(dir + "/cpu.cfs_period_us", "100000\n");
        write(dir + "/cpu.cfs_quota_us", quotaUs + "\n");
        return write(dir + "/cpu.stat", "nr_periods " + (nrThrottled * 3) + "\nnr_throttled " + nrThrottled
                + "\nthrottled_time " + throttledNs + "\n");
    }

    /** A v1 memory cgroup with a limit and its OOM killer switch. */
    public HostTree memCgroup(String path, long limitBytes, boolean oomKillDisable) {
        if (!memRoot) {
            memRoot = true;
            memFiles("", 9223372036854771712L, false);
        }
        return memFiles(path, limitBytes, oomKillDisable);
    }

    private HostTree memFiles(String path, long limitBytes, boolean oomKillDisable) {
        String dir = MEMORY + path;
        write(dir + "/memory.limit_in_bytes", limitBytes + "\n");
        write(dir + "/memory.usage_in_bytes", "1048576\n");
        write(dir + "/memory.failcnt", "0\n");
        write(dir + "/cgroup.procs", "");
        return write(dir + "/memory.oom_control", "oom_kill_disable " + (oomKillDisable ? 1 : 0)
                + "\nunder_oom 0\noom_kill 0\n");
    }

    /** A FUSE connection with nothing waiting. */
    public HostTree fuseConnection(int id) {
        return write("sys/fs/fuse/connections/" + id + "/waiting", "0\n");
    }

    private HostTree write(String rel, String text) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
