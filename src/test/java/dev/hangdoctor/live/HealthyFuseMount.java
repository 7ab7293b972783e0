package dev.hangdoctor.live;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A FUSE mount whose daemon answers everything stat and cat need (file {@code f}), as a bystander that a fix
 * must leave alone; optionally with an active reader that reads {@code f} again and again while the test runs, so
 * its connection carries requests that drain (busy, not hung).
 */
public final class HealthyFuseMount implements AutoCloseable {

    /** The content of {@code f}. */
    public static final String CONTENT = "hangdoctor live test file\n";

    private final FuseDaemon daemon;
    private HelperProcess reader;
    private boolean closed;

    private HealthyFuseMount(FuseDaemon daemon) {
        this.daemon = daemon;
    }

    /** Mounts it. */
    public static HealthyFuseMount start() {
        try {
            HealthyFuseMount mount = new HealthyFuseMount(FuseDaemon.start(FuseDaemon.Mode.HEALTHY));
            LiveCleanup.register(mount);
            return mount;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the healthy FUSE daemon: " + e, e);
        }
    }

    /** Mounts it and starts a reader that reads {@code f} every 20 ms until the mount is closed. */
    public static HealthyFuseMount startWithReader() {
        HealthyFuseMount mount = start();
        return LiveCleanup.readyOrClosed(mount, () -> {
            mount.reader = HelperProcess.start("fsop", "loop", mount.file().toString());
            mount.reader.awaitLine("n ", LiveWait.SHAPE_TIMEOUT);
        });
    }

    /** The active reader; null without one. */
    public OwnedPid readerPid() {
        return reader == null ? null : reader.pid();
    }

    /** How many whole reads the reader has reported so far (it reports every tenth). */
    public long readerPasses() {
        return reader == null ? 0 : reader.count("n ") * 10L;
    }

    /** True when a read of the reader failed (it then exits): the mount stopped answering. */
    public boolean readerFailed() {
        return reader != null && reader.count("err ") > 0;
    }

    /** Waits until the reader has made {@code more} passes beyond {@code since}; false when it stopped or failed. */
    public boolean awaitReaderBeyond(long since, long more) {
        long deadline = System.nanoTime() + LiveWait.SHAPE_TIMEOUT.toNanos();
        while (readerPasses() < since + more) {
            if (readerFailed() || System.nanoTime() > deadline) {
                return false;
            }
            LiveWait.sleep(20);
        }
        return true;
    }

    /** The mount point. */
    public Path mountPoint() {
        return daemon.mountPoint();
    }

    /** The one file it serves. */
    public Path file() {
        return daemon.mountPoint().resolve("f");
    }

    /** The FUSE connection id (minor of 0:N). */
    public int connectionId() {
        return daemon.connection();
    }

    /** The daemon. */
    public OwnedPid daemonPid() {
        return daemon.pid();
    }

    /** The connection's waiting count (0 when healthy and idle); empty once gone. */
    public Optional<Long> waiting() {
        return daemon.waiting();
    }

    /** True while our mount is in place with its connection. */
    public boolean mounted() {
        return daemon.mounted();
    }

    /** Every pid this mount started. */
    public List<OwnedPid> ownPids() {
        return reader == null ? List.of(daemon.pid()) : List.of(daemon.pid(), reader.pid());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Teardown t = new Teardown("healthy FUSE mount at " + daemon.mountPoint());
        if (reader != null) {
            t.step("reader", () -> t.check("reader " + reader.pid().pid() + " gone",
                    reader.killAndAwait(java.time.Duration.ofSeconds(10))));
        }
        t.step("daemon", daemon::close);
        LiveCleanup.unregister(this);
        t.finish();
    }
}
