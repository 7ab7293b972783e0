package dev.hangdoctor.act;

import dev.hangdoctor.procfs.FuseConnectionDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Aborts a FUSE connection: every request waiting on it fails with ENOTCONN at once, so tasks stuck in
 * request_wait_answer (even exiting ones that ignore SIGKILL) return. The mount stays until unmounted.
 * <p>
 * A connection's number is its superblock's device minor, which the next FUSE mount gets again once this one is
 * gone; the connection is therefore named by its number and the identity (device and inode) of its control directory,
 * which the kernel gives a fresh inode number per connection. Both are checked before and after opening {@code abort}.
 */
public final class FuseAbortAction implements Action {
    private final String finding;
    private final Path connectionDir;
    private final int id;
    private final Object identity;
    private final List<String> mountPoints;

    /** @param identity the connection directory's file key when the remedy was planned ({@link #identityOf}) */
    public FuseAbortAction(String finding, Path sysFuseConnections, int id, Object identity, List<String> mountPoints) {
        this.finding = finding;
        this.connectionDir = sysFuseConnections.resolve(Integer.toString(id));
        this.id = id;
        this.identity = identity;
        this.mountPoints = List.copyOf(mountPoints);
    }

    /** The identity of a connection's control directory (device and inode), or null when it is gone. */
    public static Object identityOf(Path connectionDir) {
        try {
            return Files.readAttributes(connectionDir, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String id() {
        return "fuse-abort";
    }

    @Override
    public String finding() {
        return finding;
    }

    public int connectionId() {
        return id;
    }

    @Override
    public String summary() {
        return "abort FUSE connection " + id + (mountPoints.isEmpty() ? "" : " (" + String.join(", ", mountPoints) + ")")
                + ": its unanswered requests fail and the tasks waiting on them return";
    }

    @Override
    public List<String> touches() {
        return List.of(FuseConnectionDir.abort(connectionDir).toString());
    }

    @Override
    public List<String> commands() {
        return List.of("echo 1 > " + FuseConnectionDir.abort(connectionDir));
    }

    @Override
    public String precheck() {
        String other = notTheSame();
        if (other != null) {
            return other;
        }
        Long waiting = waiting();
        if (waiting == null) {
            return "FUSE connection " + id + " is gone";
        }
        if (waiting == 0) {
            return "FUSE connection " + id + " has no request waiting any more";
        }
        return null;
    }

    /** Why the directory under this number is not the connection planned for, or null when it is. */
    private String notTheSame() {
        Object now = identityOf(connectionDir);
        if (now == null) {
            return "FUSE connection " + id + " is gone";
        }
        if (identity == null || !identity.equals(now)) {
            return "FUSE connection " + id + " is not the one diagnosed: the number now belongs to another mount";
        }
        return null;
    }

    @Override
    public String observe() {
        Long w = waiting();
        return w == null ? "connection " + id + " gone" : "connection " + id + " waiting=" + w;
    }

    @Override
    public void apply() throws IOException {
        String refused = precheck();
        if (refused != null) {
            throw new IllegalStateException("refused: " + refused);
        }
        try (FileChannel abort = FileChannel.open(FuseConnectionDir.abort(connectionDir), StandardOpenOption.WRITE)) {
            // the same directory before and after the open: the file opened is the planned connection's, and a
            // connection that goes away afterwards takes its open file with it, never onto another mount
            String other = notTheSame();
            if (other != null) {
                throw new IllegalStateException("refused: " + other);
            }
            abort.write(ByteBuffer.wrap("1".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    private Long waiting() {
        try {
            return FuseConnectionDir.parseWaiting(Files.readString(FuseConnectionDir.waiting(connectionDir),
                    StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return null;
        }
    }
}
