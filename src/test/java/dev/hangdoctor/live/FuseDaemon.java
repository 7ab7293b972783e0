package dev.hangdoctor.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private final OwnedPid keeper;

    private FuseDaemon(Path dir, Path mountPoint, HelperProcess helper, int connection, OwnedPid keeper) {
        this.dir = dir;
        this.mountPoint = mountPoint;
        this.helper = helper;
        this.connection = connection;
        this.keeper = keeper;
    }

    static FuseDaemon start(Mode mode) throws Exception {
        return start(mode, false, false);
    }

    /**
     * {@code serialDirops}: withhold FUSE_PARALLEL_DIROPS, so lookups in one directory queue in fuse_lock_inode.
     * {@code keeper}: the /dev/fuse file is also kept open by a message in flight to a forked keeper, so it outlives
     * the daemon (see src/test/c/fusefs.c).
     */
    static FuseDaemon start(Mode mode, boolean serialDirops, boolean keeper) throws Exception {
        FuseControl.connections();
        Path dir = LiveCleanup.newTempDir();
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        List<String> args = new ArrayList<>(List.of(mode.name().toLowerCase(), mnt.toString()));
        if (serialDirops) {
            args.add("serial");
        }
        if (keeper) {
            args.add("keeper");
        }
        HelperProcess helper = HelperProcess.start("fusefs", args.toArray(String[]::new));
        OwnedPid kept = null;
        try {
            if (keeper) {
                String line = helper.awaitLine("keeper ", LiveWait.SHAPE_TIMEOUT);
                kept = OwnedPid.of(Integer.parseInt(line.substring("keeper ".length()).trim()));
            }
            helper.awaitLine("ready", LiveWait.SHAPE_TIMEOUT);
            LiveProc.Mount m = FuseControl.mountAt(mnt)
                    .filter(x -> x.major() == 0 && x.fsType().equals(FS_TYPE))
                    .orElseThrow(() -> new AssertionError("fusefs said ready but " + mnt + " is not a "
                            + FS_TYPE + " mount"));
            return new FuseDaemon(dir, mnt, helper, m.minor(), kept);
        } catch (Throwable t) {
            helper.killAndAwait(Duration.ofSeconds(5));
            if (kept != null) {
                kept.kill();
            }
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

    /** The keeper holding the /dev/fuse file in flight; null without one. */
    OwnedPid keeper() {
        return keeper;
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
        if (keeper != null) {
            t.step("kill keeper", () -> {
                keeper.kill();
                t.check("keeper " + keeper.pid() + " gone", keeper.awaitGone(Duration.ofSeconds(10)));
            });
        }
        t.step("unmount", () -> FuseControl.umount(mountPoint));
        t.step("remove " + dir, () -> LiveCleanup.deleteTree(dir));
        t.finish();
    }
}
