package dev.hangdoctor.live;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A FUSE mount whose daemon answers everything stat and cat need (file {@code f}), as a bystander that a fix
 * must leave alone.
 */
public final class HealthyFuseMount implements AutoCloseable {

    /** The content of {@code f}. */
    public static final String CONTENT = "hangdoctor live test file\n";

    private final FuseDaemon daemon;
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
        return List.of(daemon.pid());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            daemon.close();
        } finally {
            LiveCleanup.unregister(this);
        }
    }
}
