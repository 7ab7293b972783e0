package dev.hangdoctor.live;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A FUSE daemon that answered INIT and nothing since, with clients waiting in
 * {@code request_wait_answer <- fuse_lookup}. Optionally the daemon is stopped (SIGSTOP) and the waiters are
 * nudged into the killable wait, state D: a cluster of D tasks behind one blocker.
 */
public final class HungFuseDaemon implements AutoCloseable {

    /** What to build; the defaults give one sleeping (S) waiter and a running daemon. */
    public static final class Spec {
        private int waiters = 1;
        private boolean nudgeIntoD;
        private boolean stopDaemon;
        private boolean neverRead;
        private boolean sameName;
        private boolean serialDirops;
        private boolean keeper;

        /** Number of clients that stat a name on the mount. */
        public Spec waiters(int n) {
            this.waiters = n;
            return this;
        }

        /** Interrupt each waiter once (a SIGALRM with a handler) so it sleeps in the killable wait: state D. */
        public Spec nudgeIntoD(boolean on) {
            this.nudgeIntoD = on;
            return this;
        }

        /** The daemon answers INIT and never reads /dev/fuse again: every request stays pending. */
        public Spec neverRead(boolean on) {
            this.neverRead = on;
            return this;
        }

        /** SIGSTOP the daemon once it has read every request. */
        public Spec stopDaemon(boolean on) {
            this.stopDaemon = on;
            return this;
        }

        /**
         * All waiters stat the same name: the first waits in request_wait_answer, the others in d_alloc_parallel
         * behind it (both D-capable). Default: a distinct name each, all in request_wait_answer.
         */
        public Spec sameName(boolean on) {
            this.sameName = on;
            return this;
        }

        /**
         * Withhold FUSE_PARALLEL_DIROPS: lookups in the mount's root then take the directory's FUSE inode lock,
         * so one waiter sits in request_wait_answer and the others in fuse_lock_inode behind it.
         */
        public Spec serialDirops(boolean on) {
            this.serialDirops = on;
            return this;
        }

        /**
         * Keep the daemon's /dev/fuse file open beyond the daemon (a descriptor in flight to a keeper process that
         * never receives it), so that {@link HungFuseDaemon#killDaemon()} leaves a connection whose daemon is gone
         * and whose callers still wait: no process holds /dev/fuse for it.
         */
        public Spec keeper(boolean on) {
            this.keeper = on;
            return this;
        }
    }

    /** A stat-ing client, pinned, with the stack it was seen in once the shape held. */
    public record Waiter(OwnedPid pid, Path path, String stack) {
    }

    private static final Duration NUDGE = Duration.ofMillis(150);

    private final FuseDaemon daemon;
    private final List<HelperProcess> clients = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean closed;

    private HungFuseDaemon(FuseDaemon daemon) {
        this.daemon = daemon;
    }

    /** One waiter, daemon running, waiter in S. */
    public static HungFuseDaemon start() {
        return start(new Spec());
    }

    /** A stopped daemon with {@code n} waiters, all in D: the cluster shape. */
    public static HungFuseDaemon stoppedCluster(int n) {
        return start(new Spec().waiters(n).nudgeIntoD(true).stopDaemon(true));
    }

    /** Builds the hang described by {@code spec}; fails with the observed stacks if the kernel shape does not appear. */
    public static HungFuseDaemon start(Spec spec) {
        FuseDaemon daemon;
        try {
            daemon = FuseDaemon.start(spec.neverRead ? FuseDaemon.Mode.NOREAD : FuseDaemon.Mode.HUNG, spec.serialDirops,
                    spec.keeper);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the hung FUSE daemon: " + e, e);
        }
        HungFuseDaemon hang = new HungFuseDaemon(daemon);
        LiveCleanup.register(hang);
        try {
            hang.build(spec);
            return hang;
        } catch (Throwable t) {
            hang.closeQuietlyAfter(t);
            throw t;
        }
    }

    private void build(Spec spec) {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < spec.waiters; i++) {
            Path path = daemon.mountPoint().resolve(spec.sameName ? "w" : "w" + i);
            paths.add(path);
            HelperProcess c = spec.nudgeIntoD
                    ? HelperProcess.start("fsop", "stat", path.toString(), Long.toString(NUDGE.toMillis()))
                    : HelperProcess.start("fsop", "stat", path.toString());
            clients.add(c);
        }
        String state = spec.nudgeIntoD ? "D" : "SD";
        for (int i = 0; i < clients.size(); i++) {
            HelperProcess c = clients.get(i);
            c.awaitLine("start", LiveWait.SHAPE_TIMEOUT);
            // when waiters queue behind one lookup, which one holds it is up to the scheduler
            String stack = spec.sameName || spec.serialDirops
                    ? awaitQueuedLookup(c.pid())
                    : LiveWait.awaitStack(c.pid(), state, "request_wait_answer", "fuse_lookup");
            waiters.add(new Waiter(c.pid(), paths.get(i), stack));
        }
        int lookups = spec.sameName || spec.serialDirops ? 1 : spec.waiters;
        if (!spec.neverRead) {
            // FUSE_LOOKUP is opcode 1; the daemon logs every request it reads
            daemon.helper().awaitLines("req 1 ", lookups, LiveWait.SHAPE_TIMEOUT);
        }
        if (spec.stopDaemon) {
            daemon.pid().signal(OwnedPid.SIGSTOP);
            LiveWait.await("daemon stopped", LiveWait.SHAPE_TIMEOUT, () -> daemon.pid().state() == 'T',
                    () -> "state " + daemon.pid().state());
        }
    }

    private static String awaitQueuedLookup(OwnedPid pid) {
        long deadline = System.nanoTime() + LiveWait.SHAPE_TIMEOUT.toNanos();
        while (true) {
            String stack = LiveProc.stack(pid.pid());
            List<String> f = LiveProc.functions(stack);
            if ("SD".indexOf(pid.state()) >= 0 && (LiveWait.inOrder(f, "request_wait_answer", "fuse_lookup")
                    || LiveWait.inOrder(f, "d_alloc_parallel", "__lookup_slow")
                    || LiveWait.inOrder(f, "fuse_lock_inode", "fuse_lookup"))) {
                return stack;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waiter " + pid.pid() + " not blocked in lookup; stack:\n" + stack);
            }
            LiveWait.sleep(20);
        }
    }

    /** The mount point of the hung file system. */
    public Path mountPoint() {
        return daemon.mountPoint();
    }

    /** The connection id N: the minor of the mount's 0:N device, the name under /sys/fs/fuse/connections. */
    public int connectionId() {
        return daemon.connection();
    }

    /** The daemon (the blocker). */
    public OwnedPid daemonPid() {
        return daemon.pid();
    }

    /**
     * SIGKILLs the daemon and waits until it is reaped. Without a keeper that is the last close of /dev/fuse and the
     * kernel aborts the connection itself; with one, the callers go on waiting.
     */
    public boolean killDaemon() {
        return daemon.helper().killAndAwait(Duration.ofSeconds(10));
    }

    /** The keeper holding the /dev/fuse file in flight (Spec.keeper); null without one. */
    public OwnedPid keeperPid() {
        return daemon.keeper();
    }

    /** The blocked clients, in start order. */
    public List<Waiter> waiters() {
        return List.copyOf(waiters);
    }

    /** The connection's {@code waiting} count now; empty once it is gone. */
    public Optional<Long> waiting() {
        return daemon.waiting();
    }

    /** Aborts the connection as an operator would; the waiters then return ECONNABORTED. */
    public boolean abort() throws Exception {
        return daemon.abort();
    }

    /** Every pid this hang started. */
    public List<OwnedPid> ownPids() {
        List<OwnedPid> all = new ArrayList<>();
        all.add(daemon.pid());
        if (daemon.keeper() != null) {
            all.add(daemon.keeper());
        }
        clients.forEach(c -> all.add(c.pid()));
        return all;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("hung FUSE daemon at " + daemon.mountPoint());
        // abort first: a waiter whose request the daemon already read cannot be killed until then
        t.step("abort", daemon::abort);
        for (HelperProcess c : clients) {
            t.step("waiter " + c.pid().pid(), () -> t.check("waiter " + c.pid().pid() + " gone",
                    c.killAndAwait(Duration.ofSeconds(10))));
        }
        t.step("daemon", daemon::close);
        LiveCleanup.unregister(this);
        t.finish();
    }

    private void closeQuietlyAfter(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
