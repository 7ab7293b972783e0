package dev.hangdoctor.guard;

import dev.hangdoctor.procfs.MemcgLimit;
import dev.hangdoctor.procfs.MemcgUsage;
import dev.hangdoctor.procfs.ProcSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

    static WatchedCgroup open(MemoryHierarchy h, ProcSource host, Path dir, long tauNanos) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(h.usageFile()), StandardOpenOption.READ);
        WatchedCgroup w = new WatchedCgroup(h.pathOf(dir), dir, ch, dir.resolve(h.limitFile()), tauNanos);
        try {
            w.refreshLimit(host);
        } catch (IOException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /**
     * Re-reads the limit through {@code host} (timed on a live host): the rescan runs on the guard's thread, which
     * must not sleep behind a cgroup file while other cgroups fill. Only the rescan calls this, not the per-tick usage
     * read, so the hand-off to the reader's pool costs once per cgroup and rescan, not once per tick.
     */
    void refreshLimit(ProcSource host) throws IOException {
        ProcSource.Read r = host.read(limitFile);
        if (!r.ok()) {
            throw new IOException("cannot read " + limitFile + ": " + (r.missing() ? "gone" : r.failure()));
        }
        MemcgLimit l = MemcgLimit.parse(r.text());
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
