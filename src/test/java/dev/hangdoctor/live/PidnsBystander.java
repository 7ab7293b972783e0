package dev.hangdoctor.live;

import java.time.Duration;
import java.util.List;

/**
 * A quiet pid namespace of its own (src/test/c/pidnsidle.c): its init and one member sleep, as a bystander in
 * another pid namespace than the test's and than any hang, which a fix must leave alone.
 */
public final class PidnsBystander implements AutoCloseable {

    private final HelperProcess driver;
    private OwnedPid init;
    private OwnedPid member;
    private boolean closed;

    private PidnsBystander(HelperProcess driver) {
        this.driver = driver;
    }

    /** Starts it and waits until both sleep. */
    public static PidnsBystander start() {
        PidnsBystander b = new PidnsBystander(HelperProcess.start("pidnsidle"));
        LiveCleanup.register(b);
        return LiveCleanup.readyOrClosed(b, () -> {
            String line = b.driver.awaitLine("init ", LiveWait.SHAPE_TIMEOUT);
            b.init = OwnedPid.of(Integer.parseInt(line.substring("init ".length()).trim()));
            LiveWait.await("the namespace's member", LiveWait.SHAPE_TIMEOUT,
                    () -> LiveProc.children(b.init.pid()).size() == 1, () -> "children " + LiveProc.children(b.init.pid()));
            b.member = OwnedPid.of(LiveProc.children(b.init.pid()).get(0));
            LiveWait.awaitStack(b.member, "S", "__do_sys_pause");
        });
    }

    /** The namespace's init (pid 1 inside), as seen from here. */
    public OwnedPid initPid() {
        return init;
    }

    /** The sleeping member. */
    public OwnedPid memberPid() {
        return member;
    }

    /** Both, as seen from here. */
    public List<OwnedPid> pids() {
        return List.of(init, member);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("pid namespace bystander " + driver.pid().pid());
        Duration wait = Duration.ofSeconds(10);
        // the init's death kills the member (the kernel empties the namespace); the driver then reaps the init
        if (init != null) {
            t.step("init " + init.pid(), () -> {
                init.kill();
                t.check("init gone", init.awaitGone(wait));
            });
        }
        if (member != null) {
            t.step("member " + member.pid(), () -> {
                member.kill();
                t.check("member gone", member.awaitGone(wait));
            });
        }
        t.step("driver", () -> t.check("driver gone", driver.killAndAwait(wait)));
        LiveCleanup.unregister(this);
        t.finish();
    }
}
