package dev.hangdoctor.live;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cgroup v1 memory cgroup at its limit with the OOM killer disabled: the hog that crosses the limit sleeps in D
 * in {@code mem_cgroup_oom_synchronize <- pagefault_out_of_memory} and {@code under_oom} is 1. Bystanders are
 * small quiet members of the same cgroup; several hogs of different sizes give tasks with different RSS, so
 * "which task would the OOM killer pick" can be asked.
 */
public final class MemcgOomStall implements AutoCloseable {

    /** What to build; defaults: a 32 MiB limit, one 1 MiB bystander, one 48 MiB hog. */
    public static final class Spec {
        private int limitMiB = 32;
        private int[] bystandersMiB = {1};
        private int[] hogsMiB = {48};

        /** memory.limit_in_bytes in MiB. */
        public Spec limitMiB(int mib) {
            this.limitMiB = mib;
            return this;
        }

        /** Quiet members started first; each touches this many MiB then sleeps (keep them well under the limit). */
        public Spec bystandersMiB(int... mib) {
            this.bystandersMiB = mib.clone();
            return this;
        }

        /**
         * Hogs started one after the other, each touching this many MiB: those that fit settle in pause(), the
         * first to cross the limit stalls, and every later one stalls at once.
         */
        public Spec hogsMiB(int... mib) {
            this.hogsMiB = mib.clone();
            return this;
        }
    }

    /** A member process: its size, and whether it stalled (with the stack it stalled in) or settled. */
    public record Member(OwnedPid pid, int mib, boolean stalled, String stack) {
    }

    private final TestCgroup cgroup;
    private final long limitBytes;
    private final List<HelperProcess> processes = new ArrayList<>();
    private final List<Member> bystanders = new ArrayList<>();
    private final List<Member> hogs = new ArrayList<>();
    private boolean closed;

    private MemcgOomStall(TestCgroup cgroup, long limitBytes) {
        this.cgroup = cgroup;
        this.limitBytes = limitBytes;
    }

    /** The default shape: 32 MiB limit, a 1 MiB bystander and a 48 MiB hog that stalls. */
    public static MemcgOomStall start() {
        return start(new Spec());
    }

    /** Builds the stall; fails with the observed stacks when no hog stalls the kernel's way. */
    public static MemcgOomStall start(Spec spec) {
        TestCgroup cg;
        try {
            cg = TestCgroup.create();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a memory cgroup: " + e, e);
        }
        MemcgOomStall hang = new MemcgOomStall(cg, (long) spec.limitMiB << 20);
        LiveCleanup.register(hang);
        try {
            hang.build(spec);
            return hang;
        } catch (Throwable t) {
            try {
                hang.close();
            } catch (RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    private void build(Spec spec) {
        try {
            cgroup.write("memory.limit_in_bytes", Long.toString(limitBytes));
            cgroup.write("memory.oom_control", "1");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot set up " + cgroup.dir(), e);
        }
        for (int mib : spec.bystandersMiB) {
            HelperProcess p = startMember(mib);
            p.awaitLine("touched", LiveWait.SHAPE_TIMEOUT);
            bystanders.add(new Member(p.pid(), mib, false, LiveProc.stack(p.pid().pid())));
        }
        for (int mib : spec.hogsMiB) {
            HelperProcess p = startMember(mib);
            hogs.add(awaitSettledOrStalled(p, mib));
        }
        if (stalled().isEmpty()) {
            throw new AssertionError("no hog stalled under the " + (limitBytes >> 20) + " MiB limit; hogs " + hogs);
        }
        LiveWait.await("under_oom 1", LiveWait.SHAPE_TIMEOUT, () -> underOom().orElse(false),
                () -> cgroup.read("memory.oom_control").orElse("(gone)"));
    }

    private HelperProcess startMember(int mib) {
        HelperProcess p = HelperProcess.start("memhog", cgroup.dir().toString(), Integer.toString(mib));
        processes.add(p);
        p.awaitLine("joined", LiveWait.SHAPE_TIMEOUT);
        return p;
    }

    private static Member awaitSettledOrStalled(HelperProcess p, int mib) {
        long deadline = System.nanoTime() + LiveWait.SHAPE_TIMEOUT.toNanos();
        while (true) {
            String stack = LiveProc.stack(p.pid().pid());
            if (p.count("touched") > 0) {
                return new Member(p.pid(), mib, false, stack);
            }
            if (p.pid().state() == 'D' && LiveWait.inOrder(LiveProc.functions(stack),
                    "mem_cgroup_oom_synchronize", "pagefault_out_of_memory")) {
                return new Member(p.pid(), mib, true, stack);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("hog " + p.pid().pid() + " (" + mib + " MiB) neither settled nor stalled;"
                        + " state " + p.pid().state() + ", stack:\n" + stack + "\noutput:\n" + p.transcript());
            }
            LiveWait.sleep(20);
        }
    }

    /** The cgroup directory, /sys/fs/cgroup/memory/hangdoctor-test-*. */
    public Path cgroupDir() {
        return cgroup.dir();
    }

    /** The cgroup as the harness made it. */
    public TestCgroup cgroup() {
        return cgroup;
    }

    /** The limit set, in bytes. */
    public long limitBytes() {
        return limitBytes;
    }

    /** Hogs in start order. */
    public List<Member> hogs() {
        return List.copyOf(hogs);
    }

    /** Bystanders in start order. */
    public List<Member> bystanders() {
        return List.copyOf(bystanders);
    }

    /** The hogs that stalled. */
    public List<Member> stalled() {
        return hogs.stream().filter(Member::stalled).toList();
    }

    /** {@code under_oom} now; empty once the cgroup is gone. */
    public Optional<Boolean> underOom() {
        return cgroup.underOom();
    }

    /** Every pid this hang started. */
    public List<OwnedPid> ownPids() {
        return processes.stream().map(HelperProcess::pid).toList();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("memcg OOM stall " + cgroup.name());
        // the OOM wait is killable: SIGKILL first, so releasing the limit does not wake the kernel OOM killer
        for (HelperProcess p : processes) {
            t.step("kill " + p.pid().pid(), p.pid()::kill);
        }
        t.step("release limit", () -> TestCgroup.release(cgroup.dir()));
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
