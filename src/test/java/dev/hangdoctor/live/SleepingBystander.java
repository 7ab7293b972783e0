package dev.hangdoctor.live;

import java.nio.file.Path;
import java.time.Duration;

/** A plain sleeping process (S, in pause) in a memory cgroup of its own, as a bystander a fix must leave alone. */
public final class SleepingBystander implements AutoCloseable {

    private final TestCgroup cgroup;
    private final HelperProcess process;
    private boolean closed;

    private SleepingBystander(TestCgroup cgroup, HelperProcess process) {
        this.cgroup = cgroup;
        this.process = process;
    }

    /** Starts it in a new unlimited cgroup. */
    public static SleepingBystander start() {
        TestCgroup cg;
        try {
            cg = TestCgroup.create();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a memory cgroup: " + e, e);
        }
        HelperProcess p;
        try {
            p = HelperProcess.start("memhog", cg.dir().toString(), "0");
        } catch (RuntimeException e) {
            TestCgroup.rmdir(cg.dir(), Duration.ofSeconds(5));
            throw e;
        }
        SleepingBystander b = new SleepingBystander(cg, p);
        LiveCleanup.register(b);
        return LiveCleanup.readyOrClosed(b, () -> {
            p.awaitLine("touched", LiveWait.SHAPE_TIMEOUT);
            LiveWait.awaitStack(p.pid(), "S", "__do_sys_pause");
        });
    }

    /** The sleeper. */
    public OwnedPid pid() {
        return process.pid();
    }

    /** Its cgroup directory. */
    public Path cgroupDir() {
        return cgroup.dir();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("sleeping bystander " + process.pid().pid());
        t.step("kill", () -> t.check("sleeper gone", process.killAndAwait(Duration.ofSeconds(10))));
        t.step("rmdir", () -> t.check("cgroup removed", TestCgroup.rmdir(cgroup.dir(), Duration.ofSeconds(10))));
        LiveCleanup.unregister(this);
        t.finish();
    }
}
