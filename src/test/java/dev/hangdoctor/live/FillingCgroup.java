package dev.hangdoctor.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A cgroup v1 memory cgroup with the kernel's OOM killer left on, a quiet sibling that touched a few MiB and
 * sleeps, and a hog (ratehog) that, once told to go, fills memory at a set rate past the limit. Without anyone
 * stepping in, the kernel OOM-kills the hog and memory.oom_control's oom_kill counts it: the OOM guard's test bed.
 */
public final class FillingCgroup implements AutoCloseable {
    private final TestCgroup cgroup;
    private final List<HelperProcess> processes = new ArrayList<>();
    private HelperProcess sibling;
    private HelperProcess hog;
    private boolean closed;

    private FillingCgroup(TestCgroup cgroup) {
        this.cgroup = cgroup;
    }

    /**
     * Builds it: {@code limitMiB} limit, a sibling of {@code siblingMiB}, a hog that will touch {@code hogMiB} at
     * {@code mibPerSecond} (0: as fast as it can). The hog has joined and mapped its memory but not touched it.
     */
    public static FillingCgroup start(int limitMiB, int siblingMiB, int hogMiB, int mibPerSecond) {
        return start(limitMiB, siblingMiB, hogMiB, mibPerSecond, null);
    }

    /** The same, with the hog naming itself these bytes (prctl PR_SET_NAME; need not be UTF-8); null keeps its own. */
    public static FillingCgroup start(int limitMiB, int siblingMiB, int hogMiB, int mibPerSecond, byte[] hogName) {
        TestCgroup cg;
        try {
            cg = TestCgroup.create();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a memory cgroup: " + e, e);
        }
        FillingCgroup f = new FillingCgroup(cg);
        LiveCleanup.register(f);
        try {
            cg.write("memory.limit_in_bytes", Long.toString((long) limitMiB << 20));
            cg.write("memory.oom_control", "0");
            f.sibling = f.helper("memhog", cg.dir().toString(), Integer.toString(siblingMiB));
            f.sibling.awaitLine("touched", LiveWait.SHAPE_TIMEOUT);
            List<String> args = new ArrayList<>(List.of(cg.dir().toString(), Integer.toString(hogMiB),
                    Integer.toString(mibPerSecond)));
            if (hogName != null) {
                args.add(java.util.HexFormat.of().formatHex(hogName));
            }
            f.hog = f.helper("ratehog", args.toArray(String[]::new));
            f.hog.awaitLine("joined", LiveWait.SHAPE_TIMEOUT);
            return f;
        } catch (IOException e) {
            f.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            try {
                f.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private HelperProcess helper(String name, String... args) {
        HelperProcess p = HelperProcess.start(name, args);
        processes.add(p);
        return p;
    }

    /** Tells the hog to start filling. */
    public void go() {
        hog.send("go");
    }

    public OwnedPid hog() {
        return hog.pid();
    }

    public OwnedPid sibling() {
        return sibling.pid();
    }

    /** True once the hog touched all its memory (nobody stopped it). */
    public boolean hogFinished() {
        return hog.count("touched") > 0;
    }

    /** The hog's output so far. */
    public String hogTranscript() {
        return hog.transcript();
    }

    /** Waits until the hog is gone (reaped); false on timeout. */
    public boolean awaitHogGone(Duration timeout) {
        return hog.awaitExit(timeout);
    }

    public Path dir() {
        return cgroup.dir();
    }

    /** The path relative to the memory hierarchy, "/hangdoctor-test-...". */
    public String path() {
        return "/" + cgroup.name();
    }

    /** Kernel OOM kills in this cgroup so far: memory.oom_control's oom_kill. */
    public long kernelOomKills() {
        return counter("memory.oom_control", "oom_kill ");
    }

    /** Times usage hit the limit: memory.failcnt. */
    public long failcnt() {
        return cgroup.read("memory.failcnt").map(Long::parseLong).orElse(-1L);
    }

    /** The highest usage seen: memory.max_usage_in_bytes. */
    public long maxUsage() {
        return cgroup.read("memory.max_usage_in_bytes").map(Long::parseLong).orElse(-1L);
    }

    private long counter(String file, String key) {
        return cgroup.read(file).flatMap(t -> t.lines().filter(l -> l.startsWith(key))
                .map(l -> Long.parseLong(l.substring(key.length()).trim())).findFirst()).orElse(-1L);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("filling cgroup " + cgroup.name());
        for (HelperProcess p : processes) {
            t.step("kill " + p.pid().pid(), p.pid()::kill);
        }
        for (HelperProcess p : processes) {
            t.step("reap " + p.pid().pid(), () -> t.check("member " + p.pid().pid() + " gone",
                    p.awaitExit(Duration.ofSeconds(10))));
        }
        t.step("rmdir", () -> t.check("cgroup " + cgroup.dir() + " removed (procs " + cgroup.pids() + ")",
                TestCgroup.rmdir(cgroup.dir(), Duration.ofSeconds(10))));
        LiveCleanup.unregister(this);
        t.finish();
    }
}
