package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Op;
import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import dev.hangdoctor.procfs.ProcSource;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The live host as a {@link dev.hangdoctor.procfs.ProcSource}: each read runs on the {@link TimedReader}'s pool and
 * gives up after a timeout, since a /proc or /sys file of a hung task can block its reader for good (/proc/PID/cgroup
 * waits on the host-wide cgroup_mutex). The root is injected: "/" on a host, a directory shaped like one in tests.
 */
public final class LiveSource implements ProcSource {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);

    private final Path root;
    private final TimedReader reader;
    private final long timeoutNanos;

    public LiveSource(Path root, TimedReader reader, Duration timeout) {
        this.root = root;
        this.reader = reader;
        this.timeoutNanos = timeout.toNanos();
    }

    /** The host under {@code root}, read through the process-wide reader with a 200 ms timeout a file. */
    public static LiveSource at(Path root) {
        return new LiveSource(root, TimedReader.shared(), DEFAULT_TIMEOUT);
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public Read read(Path file) {
        Result r = reader.run(Op.read(file), false, timeoutNanos, System.nanoTime() + timeoutNanos);
        if (r.ok()) {
            return Read.of(r.text());
        }
        String why = r.status().name().toLowerCase() + (r.detail() == null ? "" : ": " + r.detail());
        return r.status() == Status.MISSING ? Read.absent(why) : Read.failed(why);
    }
}
