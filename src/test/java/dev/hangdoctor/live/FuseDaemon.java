package dev.hangdoctor.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** One fusefs helper mounted in its own temp directory: the building block of every FUSE hang. */
final class FuseDaemon implements AutoCloseable {

    /** How the daemon answers (see src/test/c/fusefs.c). */
    enum Mode { HUNG, NOREAD, NOFLUSH, HEALTHY }

    static final String FS_TYPE = "fuse.hangdoctor-live";

    private final Path dir;
    private final Path mountPoint;
    private final HelperProcess helper;
    private final int connection;

    private FuseDaemon(Path dir, Path mountPoint, HelperProcess helper, int connection) {
        this.dir = dir;
        this.mountPoint = mountPoint;
        this.helper = helper;
        this.connection = connection;
    }

    static FuseDaemon start(Mode mode) throws Exception {
        return start(mode, false);
    }

    /** {@code serialDirops}: withhold FUSE_PARALLEL_DIROPS, so lookups in one directory queue in fuse_lock_inode. */
    static FuseDaemon start(Mode mode, boolean serialDirops) throws Exception {
        FuseControl.connections();
        Path dir = LiveCleanup.newTempDir();
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        HelperProcess helper = serialDirops
                ? HelperProcess.start("fusefs", mode.name().toLowerCase(), mnt.toString(), "serial")
                : HelperProcess.start("fusefs", mode.name().toLowerCase(), mnt.toString());
        try {
            helper.awaitLine("ready", LiveWait.SHAPE_TIMEOUT);
            LiveProc.Mount m = FuseControl.mountAt(mnt)
                    .filter(x -> x.major() == 0 && x.fsType().equals(FS_TYPE))
                    .orElseThrow(() -> new AssertionError("fusefs said ready but " + mnt + " is not a "
                            + FS_TYPE + " mount"));
            return new FuseDaemon(dir, mnt, helper, m.minor());
        } catch (Throwable t) {
            helper.killAndAwait(Duration.ofSeconds(5));
            FuseControl.umount(mnt);
            LiveCleanup.deleteTree(dir);
            throw t;
        }
    }

    Path mountPoint() {
        return mountPoint;
    }

    int connection() {
        return connection;
    }

    OwnedPid pid() {
        return helper.pid();
    }

    HelperProcess helper() {
        return helper;
    }

    /** True while our mount is still in place with the connection we found: guards against a reused id. */
    boolean mounted() {
        return FuseControl.mountAt(mountPoint).filter(m -> m.major() == 0 && m.minor() == connection).isPresent();
    }

    Optional<Long> waiting() {
        return mounted() ? FuseControl.waiting(connection) : Optional.empty();
    }

    /** Aborts our connection if it is still ours; every waiter on it returns ECONNABORTED at once. */
    boolean abort() throws Exception {
        return mounted() && FuseControl.abort(connection);
    }

    @Override
    public void close() {
        Teardown t = new Teardown("fuse daemon at " + mountPoint);
        t.step("abort connection " + connection, this::abort);
        t.step("kill daemon", () -> t.check("daemon " + pid().pid() + " gone",
                helper.killAndAwait(Duration.ofSeconds(10))));
        t.step("unmount", () -> FuseControl.umount(mountPoint));
        t.step("remove " + dir, () -> LiveCleanup.deleteTree(dir));
        t.finish();
    }
}
