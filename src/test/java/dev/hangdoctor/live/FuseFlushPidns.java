package dev.hangdoctor.live;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Seed 003 for real: a pid namespace whose init is stuck in {@code zap_pid_ns_processes} because its last
 * member sleeps in D in {@code request_wait_answer <- fuse_flush <- filp_flush} with SIGKILL pending
 * ({@code ShdPnd: 0000000000000100}). The FUSE daemon lives outside the namespace and never answers FLUSH
 * (INTERRUPT gets -ENOSYS), so the namespace teardown does not kill it and the flush stays unanswered; in the
 * seed the daemon sat inside the namespace and died, which leaves the same unanswered flush.
 */
public final class FuseFlushPidns implements AutoCloseable {

    private final FuseDaemon daemon;
    private final HelperProcess driver;
    private OwnedPid init;
    private OwnedPid stuck;
    private String initStack = "";
    private String stuckStack = "";
    private boolean closed;

    private FuseFlushPidns(FuseDaemon daemon, HelperProcess driver) {
        this.daemon = daemon;
        this.driver = driver;
    }

    /** Builds the hang; fails with the observed stacks when the kernel shape does not appear. */
    public static FuseFlushPidns start() {
        FuseDaemon daemon;
        try {
            daemon = FuseDaemon.start(FuseDaemon.Mode.NOFLUSH);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the flush-less FUSE daemon: " + e, e);
        }
        HelperProcess driver;
        try {
            driver = HelperProcess.start("flushpidns", daemon.mountPoint().resolve("f").toString());
        } catch (RuntimeException e) {
            daemon.close();
            throw e;
        }
        FuseFlushPidns hang = new FuseFlushPidns(daemon, driver);
        LiveCleanup.register(hang);
        return LiveCleanup.readyOrClosed(hang, () -> {
            hang.build();
        });
    }

    private void build() {
        String line = driver.awaitLine("init ", LiveWait.SHAPE_TIMEOUT);
        init = OwnedPid.of(Integer.parseInt(line.substring("init ".length()).trim()));
        LiveWait.await("the namespace's reader", LiveWait.SHAPE_TIMEOUT,
                () -> LiveProc.children(init.pid()).size() == 1, () -> "children " + LiveProc.children(init.pid()));
        stuck = OwnedPid.of(LiveProc.children(init.pid()).get(0));
        driver.awaitLine("reader-read", LiveWait.SHAPE_TIMEOUT);
        LiveWait.awaitStack(stuck, "SD", "request_wait_answer", "fuse_flush");
        driver.send("go"); // the init exits now, the kernel SIGKILLs the reader
        initStack = LiveWait.awaitStack(init, "SD", "zap_pid_ns_processes", "do_exit");
        stuckStack = LiveWait.awaitStack(stuck, "D", "request_wait_answer", "fuse_flush", "filp_flush");
        LiveWait.await("SIGKILL pending on the stuck task", LiveWait.SHAPE_TIMEOUT,
                () -> (sharedPending() & (1L << 8)) != 0, () -> "ShdPnd " + Long.toHexString(sharedPending()));
    }

    /** The mount point; the file the reader opened is {@code f} in it. */
    public Path mountPoint() {
        return daemon.mountPoint();
    }

    /** The FUSE connection id (minor of 0:N). */
    public int connectionId() {
        return daemon.connection();
    }

    /** The FUSE daemon (outside the namespace, alive, never answering FLUSH). */
    public OwnedPid daemonPid() {
        return daemon.pid();
    }

    /** The namespace's init (NSpid ... 1), in zap_pid_ns_processes. */
    public OwnedPid initPid() {
        return init;
    }

    /** The namespace member in D in fuse_flush with SIGKILL pending. */
    public OwnedPid stuckPid() {
        return stuck;
    }

    /** The helper that made the namespace (the init's parent, outside it); it waits for the init. */
    public OwnedPid driverPid() {
        return driver.pid();
    }

    /** The init's stack when the shape was confirmed. */
    public String initStack() {
        return initStack;
    }

    /** The stuck task's stack when the shape was confirmed. */
    public String stuckStack() {
        return stuckStack;
    }

    /** ShdPnd of the stuck task as a bit mask (bit 8 = SIGKILL), 0 once it is gone. */
    public long sharedPending() {
        return stuck == null || !stuck.exists() ? 0
                : LiveProc.status(stuck.pid(), "ShdPnd").map(s -> Long.parseUnsignedLong(s, 16)).orElse(0L);
    }

    /** The connection's waiting count; empty once gone. */
    public Optional<Long> waiting() {
        return daemon.waiting();
    }

    /** Aborts the connection as an operator would: the flush fails, the namespace ends. */
    public boolean abort() throws Exception {
        return daemon.abort();
    }

    /** Every pid this hang started or made. */
    public List<OwnedPid> ownPids() {
        return java.util.stream.Stream.of(driver.pid(), init, stuck, daemon.pid())
                .filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("FUSE flush pid namespace at " + daemon.mountPoint());
        t.step("abort", daemon::abort);
        if (driver.pid().exists()) {
            // a driver still waiting for "go" would otherwise keep the namespace alive; a dead one has no stdin
            t.step("release the init", () -> driver.trySend("go"));
        }
        Duration wait = Duration.ofSeconds(10);
        for (OwnedPid p : new OwnedPid[] {stuck, init}) {
            if (p != null) {
                t.step("pid " + p.pid(), () -> {
                    p.kill();
                    t.check("pid " + p.pid() + " gone", p.awaitGone(wait));
                });
            }
        }
        t.step("driver", () -> t.check("driver gone", driver.killAndAwait(wait)));
        t.step("daemon", daemon::close);
        LiveCleanup.unregister(this);
        t.finish();
    }
}
