package dev.hangdoctor.guard;

import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgUsage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One guarded cgroup: its usage file held open (re-read from offset 0 each tick: cgroup files regenerate their text
 * on every read at 0), its limit, its fill rate and the end of its cooldown.
 */
final class WatchedCgroup implements AutoCloseable {
    final String path;
    final Path dir;
    final FillRate rate;
    private final FileChannel usage;
    private final Path limitFile;
    Long limit;
    long quietUntilNanos;

    private WatchedCgroup(String path, Path dir, FileChannel usage, Path limitFile, long tauNanos) {
        this.path = path;
        this.dir = dir;
        this.usage = usage;
        this.limitFile = limitFile;
        this.rate = new FillRate(tauNanos);
    }

    static WatchedCgroup open(MemoryHierarchy h, Path dir, long tauNanos) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(h.usageFile()), StandardOpenOption.READ);
        WatchedCgroup w = new WatchedCgroup(h.pathOf(dir), dir, ch, dir.resolve(h.limitFile()), tauNanos);
        w.refreshLimit();
        return w;
    }

    /** Re-reads the limit: null when there is none (v1's huge number, v2's "max"), which leaves nothing to guard. */
    void refreshLimit() throws IOException {
        MemcgLimit l = MemcgLimit.parse(Files.readString(limitFile, StandardCharsets.US_ASCII));
        if (l == null) {
            throw new IOException("not a limit in " + limitFile);
        }
        limit = l.bytes();
    }

    /** Current usage in bytes; throws when the cgroup is gone. {@code buf} is the caller's reused buffer. */
    long readUsage(ByteBuffer buf) throws IOException {
        buf.clear();
        int n = usage.read(buf, 0);
        if (n <= 0) {
            throw new IOException("empty read of " + path);
        }
        long v = MemcgUsage.parse(buf, n);
        if (v == MemcgUsage.NOT_A_NUMBER) {
            throw new IOException("not a number in " + path);
        }
        return v;
    }

    @Override
    public void close() {
        try {
            usage.close();
        } catch (IOException e) {
            // closing a cgroup file cannot lose data
        }
    }
}
