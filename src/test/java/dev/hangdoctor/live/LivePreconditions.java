package dev.hangdoctor.live;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** JUnit assumptions that skip a live test, with a one-line reason, where the host cannot make the hang. */
public final class LivePreconditions {

    private static Boolean gcc;

    private LivePreconditions() {
    }

    /** Root, gcc and the FUSE device: enough for every FUSE hang. */
    public static void assumeFuseHangs() {
        assumeBasics();
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse");
        assumeTrue(LiveProc.read(Path.of("/proc/filesystems")).orElse("").contains("\tfuse\n"),
                "fuse file system not available");
    }

    /** Root, gcc and the cgroup v1 memory controller at /sys/fs/cgroup/memory. */
    public static void assumeMemcgV1Hangs() {
        assumeBasics();
        assumeTrue(Files.exists(LiveCleanup.MEMCG_ROOT.resolve("memory.oom_control")),
                "no cgroup v1 memory controller at " + LiveCleanup.MEMCG_ROOT);
    }

    /** Root, gcc and a kernel built with userfaultfd. */
    public static void assumeUffdHangs() {
        assumeBasics();
        assumeTrue(Files.exists(Path.of("/proc/sys/vm/unprivileged_userfaultfd")), "kernel without userfaultfd");
    }

    /** Root, gcc, FUSE and pid namespaces. */
    public static void assumePidnsFuseHangs() {
        assumeFuseHangs();
        assumeTrue(Files.exists(Path.of("/proc/self/ns/pid")), "kernel without pid namespaces");
    }

    /** Root and gcc. */
    public static void assumeBasics() {
        assumeTrue(isRoot(), "live hang tests need root");
        assumeTrue(hasGcc(), "live hang tests need gcc");
    }

    static boolean isRoot() {
        // effective uid is the second number of the Uid: line
        String[] uid = LiveProc.status((int) ProcessHandle.current().pid(), "Uid").orElse("x x").split("\\s+");
        return uid.length > 1 && uid[1].equals("0");
    }

    static synchronized boolean hasGcc() {
        if (gcc == null) {
            try {
                gcc = HelperProcess.run(Duration.ofSeconds(20), "gcc", "--version") == 0;
            } catch (IllegalStateException e) {
                gcc = false;
            }
        }
        return gcc;
    }
}
