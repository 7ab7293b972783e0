package dev.hangdoctor.live;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Names every host object the harness creates after the owning JVM, closes what is still open when the JVM
 * exits, and sweeps what crashed runs left behind: only cgroups named hangdoctor-test-OWNER-*, mounts and
 * directories under the temp prefix hangdoctor-live-OWNER-*, and processes running our helper binaries,
 * where OWNER is a JVM that is gone.
 */
public final class LiveCleanup {

    /** Prefix of the memory cgroups we create. */
    public static final String CGROUP_PREFIX = "hangdoctor-test-";
    /** Prefix of the temp directories (and mounts inside them) we create. */
    public static final String TEMP_PREFIX = "hangdoctor-live-";
    /** The cgroup v1 memory controller. */
    public static final Path MEMCG_ROOT = Path.of("/sys/fs/cgroup/memory");

    private static final long OWNER = ProcessHandle.current().pid();
    private static final Set<AutoCloseable> OPEN = Collections.synchronizedSet(new LinkedHashSet<>());
    private static boolean started;

    private LiveCleanup() {
    }

    /** First use in a JVM: sweep what earlier runs left, and arm the exit backstop. */
    static synchronized void init() {
        if (started) {
            return;
        }
        started = true;
        Runtime.getRuntime().addShutdownHook(new Thread(LiveCleanup::closeAll, "hangdoctor-live-cleanup"));
        sweepLeftovers();
    }

    static void register(AutoCloseable hang) {
        init();
        OPEN.add(hang);
    }

    /**
     * Runs the rest of a registered resource's set-up; when it fails, the resource is closed at once (not only at
     * exit), and the set-up's failure is the one thrown, with any failure to close attached.
     */
    static <T extends AutoCloseable> T readyOrClosed(T resource, Runnable setUp) {
        try {
            setUp.run();
            return resource;
        } catch (RuntimeException | Error t) {
            try {
                resource.close();
            } catch (Exception e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    static void unregister(AutoCloseable hang) {
        OPEN.remove(hang);
    }

    /** Closes every hang still open, newest first (the shutdown hook; also usable from an @AfterAll). */
    public static void closeAll() {
        List<AutoCloseable> open;
        synchronized (OPEN) {
            open = new ArrayList<>(OPEN);
        }
        Collections.reverse(open);
        for (AutoCloseable hang : open) {
            try {
                hang.close();
            } catch (Exception e) {
                System.err.println("hangdoctor live cleanup: " + e);
            }
        }
    }

    /** Number of hangs currently open in this JVM. */
    public static int openCount() {
        return OPEN.size();
    }

    static String newCgroupName() {
        return CGROUP_PREFIX + OWNER + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    static Path newTempDir() {
        Path dir = tempRoot().resolve(TEMP_PREFIX + OWNER + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e, e);
        }
    }

    static Path tempRoot() {
        return Path.of(System.getProperty("java.io.tmpdir", "/tmp")).toAbsolutePath();
    }

    /** Removes leftovers of earlier runs whose JVM is gone. Never touches anything of a live owner. */
    public static void sweepLeftovers() {
        Teardown t = new Teardown("leftovers of earlier live runs");
        for (LiveProc.Mount m : LiveProc.mounts()) {
            Path mp = Path.of(m.mountPoint());
            if (mp.startsWith(tempRoot()) && mp.getNameCount() > tempRoot().getNameCount()
                    && isStale(mp.getName(tempRoot().getNameCount()).toString(), TEMP_PREFIX)) {
                t.step("stale mount " + mp, () -> {
                    if (m.major() == 0 && m.fsType().startsWith("fuse")) {
                        FuseControl.abort(m.minor());
                    }
                    FuseControl.umount(mp);
                });
            }
        }
        t.step("stale helper processes", LiveCleanup::killOrphanHelpers);
        for (Path dir : list(MEMCG_ROOT)) {
            if (isStale(dir.getFileName().toString(), CGROUP_PREFIX)) {
                t.step("stale cgroup " + dir, () -> TestCgroup.destroy(dir, Duration.ofSeconds(5)));
            }
        }
        for (Path dir : list(tempRoot())) {
            if (isStale(dir.getFileName().toString(), TEMP_PREFIX) && !isMountedUnder(dir)) {
                t.step("stale temp dir " + dir, () -> deleteTree(dir));
            }
        }
        t.finish();
    }

    /** hangdoctor-test-123-abcd is stale when process 123 is gone (a reused pid keeps it: we err on leaving it). */
    static boolean isStale(String name, String prefix) {
        if (!name.startsWith(prefix)) {
            return false;
        }
        String rest = name.substring(prefix.length());
        int dash = rest.indexOf('-');
        try {
            long owner = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return owner != OWNER && ProcessHandle.of(owner).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Helper processes whose ancestry holds no live JVM (their test run died): kill them. */
    private static void killOrphanHelpers() {
        Path helpers = LiveHelpers.outputDir();
        List<OwnedPid> orphans = new ArrayList<>();
        for (Path p : list(Path.of("/proc"))) {
            String name = p.getFileName().toString();
            if (!name.chars().allMatch(Character::isDigit)) {
                continue;
            }
            int pid = Integer.parseInt(name);
            if (isHelper(pid, helpers) && !hasLiveJvmAncestor(pid, helpers)) {
                LiveProc.stat(pid).ifPresent(s -> orphans.add(new OwnedPid(pid, s.startTime())));
            }
        }
        orphans.forEach(OwnedPid::kill);
        orphans.forEach(o -> o.awaitGone(Duration.ofSeconds(5)));
    }

    private static boolean isHelper(int pid, Path helpers) {
        try {
            // the exe link never takes the task's mmap lock, unlike cmdline
            return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).startsWith(helpers);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean hasLiveJvmAncestor(int pid, Path helpers) {
        int at = pid;
        for (int hops = 0; hops < 64 && at > 1; hops++) {
            Optional<LiveProc.Stat> s = LiveProc.stat(at);
            if (s.isEmpty()) {
                return false;
            }
            if (at != pid && !isHelper(at, helpers)) {
                return s.get().comm().equals("java");
            }
            at = s.get().ppid();
        }
        return false;
    }

    private static boolean isMountedUnder(Path dir) {
        return LiveProc.mounts().stream().anyMatch(m -> Path.of(m.mountPoint()).startsWith(dir));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir) || isMountedUnder(dir)) {
            return; // never walk into a mount: a hung FUSE mount would hang us
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Collections.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException | RuntimeException e) {
            // absent controller or tmp: nothing to sweep there
        }
        return out;
    }
}
