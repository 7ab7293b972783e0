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
        private boolean quietParent;

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

        /**
         * Make the stalled cgroup the child of an unlimited parent cgroup of its own, with a quiet member (1 MiB,
         * asleep) in the parent: a bystander right above the stall, which no remedy for the stall may touch.
         */
        public Spec quietParent(boolean on) {
            this.quietParent = on;
            return this;
        }
    }

    /** A member process: its size, and whether it stalled (with the stack it stalled in) or settled. */
    public record Member(OwnedPid pid, int mib, boolean stalled, String stack) {
    }

    private final TestCgroup parent;
    private final TestCgroup cgroup;
    private final long limitBytes;
    private HelperProcess parentMember;
    private final List<HelperProcess> processes = new ArrayList<>();
    private final List<Member> bystanders = new ArrayList<>();
    private final List<Member> hogs = new ArrayList<>();
    private boolean closed;

    private MemcgOomStall(TestCgroup parent, TestCgroup cgroup, long limitBytes) {
        this.parent = parent;
        this.cgroup = cgroup;
        this.limitBytes = limitBytes;
    }

    /** The default shape: 32 MiB limit, a 1 MiB bystander and a 48 MiB hog that stalls. */
    public static MemcgOomStall start() {
        return start(new Spec());
    }

    /** Builds the stall; fails with the observed stacks when no hog stalls the kernel's way. */
    public static MemcgOomStall start(Spec spec) {
        TestCgroup parent = null;
        TestCgroup cg;
        try {
            if (spec.quietParent) {
                parent = TestCgroup.create();
                cg = parent.child("stall");
            } else {
                cg = TestCgroup.create();
            }
        } catch (Exception e) {
            if (parent != null) {
                TestCgroup.rmdir(parent.dir(), Duration.ofSeconds(5));
            }
            throw new IllegalStateException("cannot create a memory cgroup: " + e, e);
        }
        MemcgOomStall hang = new MemcgOomStall(parent, cg, (long) spec.limitMiB << 20);
        LiveCleanup.register(hang);
        return LiveCleanup.readyOrClosed(hang, () -> {
            hang.build(spec);
        });
    }

    private void build(Spec spec) {
        if (parent != null) {
            parentMember = HelperProcess.start("memhog", parent.dir().toString(), "1");
            parentMember.awaitLine("touched", LiveWait.SHAPE_TIMEOUT);
        }
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

    /** The quiet member of the parent cgroup (Spec.quietParent); null without one. */
    public OwnedPid parentMemberPid() {
        return parentMember == null ? null : parentMember.pid();
    }

    /** The parent cgroup's directory (Spec.quietParent); null without one. */
    public Path parentDir() {
        return parent == null ? null : parent.dir();
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
        List<OwnedPid> all = new ArrayList<>(processes.stream().map(HelperProcess::pid).toList());
        if (parentMember != null) {
            all.add(parentMember.pid());
        }
        return all;
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
        if (parentMember != null) {
            t.step("parent member", () -> t.check("parent member " + parentMember.pid().pid() + " gone",
                    parentMember.killAndAwait(Duration.ofSeconds(10))));
        }
        if (parent != null) {
            t.step("rmdir parent", () -> t.check("cgroup " + parent.dir() + " removed (procs " + parent.pids() + ")",
                    TestCgroup.rmdir(parent.dir(), Duration.ofSeconds(10))));
        }
        LiveCleanup.unregister(this);
        t.finish();
    }
}
