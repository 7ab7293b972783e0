package dev.hangdoctor.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The FUSE control file system (/sys/fs/fuse/connections/N/{waiting,abort}) and unmounting for the harness. The
 * harness never mounts fusectl: whether the host has it is what the product must cope with (fix and watch mount it,
 * scan says it is missing). Without it the harness's own reads and aborts find nothing, and teardown ends a hang by
 * killing its daemon, which closes /dev/fuse and so aborts the connection.
 */
public final class FuseControl {

    /** Where fusectl lives on every distribution. */
    public static final Path CONNECTIONS = Path.of("/sys/fs/fuse/connections");

    private FuseControl() {
    }

    /** The connections directory; its files exist only while fusectl is mounted there. */
    public static Path connections() {
        return CONNECTIONS;
    }

    /** Whether fusectl is mounted at {@link #CONNECTIONS} in the test's own mount namespace. */
    public static boolean mounted() {
        return LiveProc.mounts().stream()
                .anyMatch(m -> m.fsType().equals("fusectl") && Path.of(m.mountPoint()).equals(CONNECTIONS));
    }

    /** /sys/fs/fuse/connections/N/waiting: requests sent and not yet answered; empty if there is no such connection. */
    public static Optional<Long> waiting(int connection) {
        return LiveProc.read(connections().resolve(Integer.toString(connection)).resolve("waiting"))
                .map(s -> Long.parseLong(s.trim()));
    }

    /** Writes 1 to the connection's abort file; false when the connection is already gone. */
    public static boolean abort(int connection) throws IOException {
        Path abort = connections().resolve(Integer.toString(connection)).resolve("abort");
        if (!Files.exists(abort)) {
            return false;
        }
        Files.writeString(abort, "1");
        return true;
    }

    /** Lazily detaches the mount at {@code mountPoint} (umount2 MNT_DETACH); false when nothing is mounted there. */
    public static boolean umount(Path mountPoint) {
        int rc = HelperProcess.run(Duration.ofSeconds(10), LiveHelpers.path("livectl").toString(), "umount",
                mountPoint.toString());
        if (rc != 0 && rc != 3) {
            throw new IllegalStateException("cannot unmount " + mountPoint + " (livectl exit " + rc + ")");
        }
        return rc == 0;
    }

    /** Our mount at exactly {@code mountPoint}, if present. */
    public static Optional<LiveProc.Mount> mountAt(Path mountPoint) {
        String want = mountPoint.toString();
        return LiveProc.mounts().stream().filter(m -> m.mountPoint().equals(want)).reduce((a, b) -> b);
    }
}
