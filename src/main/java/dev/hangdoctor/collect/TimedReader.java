package dev.hangdoctor.collect;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs small file operations (read, readlink, list) on a pool of daemon threads so that the caller never waits
 * longer than a deadline. On a hung host a read of /proc or /sys can sleep forever in the kernel (a FUSE or NFS
 * path, a lock the target holds); such a read leaves its thread stuck, so the number of stuck threads is capped and,
 * past the cap, nothing more is started.
 */
public final class TimedReader {
    /** In a bundle, a symlink (fd/N, ns/pid) is saved as a text file of this name holding the link target. */
    public static final String LINK_SUFFIX = ".link";
    /** Files larger than this are cut: every file hangdoctor wants is far smaller. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Entries returned by one directory listing at most. */
    public static final int MAX_ENTRIES = 200_000;

    /** Results a pool thread publishes before it wakes the caller. */
    private static final int WAKE_EVERY = 64;
    private static final TimedReader SHARED = new TimedReader(8);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hangdoctor-read-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger stuck = new AtomicInteger();
    private final int maxStuck;

    /** What to do with one path. */
    public enum Kind {
        /** Read a file's text (at most {@link #MAX_BYTES}). */
        READ,
        /** A symlink's target; in a bundle, also the text of a saved `NAME.link` file. */
        READLINK,
        /** Names in a directory, one per line. */
        LIST,
        /** Names of the subdirectories of a directory, one per line. */
        LIST_DIRS
    }

    /** How an operation ended. */
    public enum Status {
        OK,
        /** The path does not exist (or the process went away: ESRCH). Normal on a live host, not a warning. */
        MISSING,
        /** It did not answer in time; its thread may stay stuck. */
        TIMEOUT,
        /** In a bundle, a path that is not a regular file (a FIFO, a device, a symlink where a file belongs). */
        REFUSED,
        /** Permission denied. */
        DENIED,
        /** Some other I/O error. */
        ERROR,
        /** Not started: an earlier operation of the batch timed out, or too many threads are stuck. */
        SKIPPED
    }

    /** One operation. */
    public record Op(Kind kind, Path path) {
        public static Op read(Path p) { return new Op(Kind.READ, p); }
        public static Op readlink(Path p) { return new Op(Kind.READLINK, p); }
        public static Op list(Path p) { return new Op(Kind.LIST, p); }
        public static Op listDirs(Path p) { return new Op(Kind.LIST_DIRS, p); }
    }

    /** The outcome of one operation; {@code text} is set when OK. */
    public record Result(Status status, String text, String detail) {
        public boolean ok() { return status == Status.OK; }

        /** The listing as names; empty unless OK. */
        public List<String> lines() {
            if (text == null || text.isEmpty()) {
                return List.of();
            }
            return List.of(text.split("\n"));
        }
    }

    public TimedReader(int maxStuck) {
        this.maxStuck = Math.max(1, maxStuck);
    }

    /** The process-wide reader: stuck threads are a process-wide cost, so their cap is too. */
    public static TimedReader shared() {
        return SHARED;
    }

    /** Threads currently stuck in a read that timed out. */
    public int stuck() {
        return stuck.get();
    }

    /** True when no more reads will be started. */
    public boolean saturated() {
        return stuck.get() >= maxStuck;
    }

    /** One operation; see {@link #run}. */
    public Result run(Op op, boolean bundle, long perOpNanos, long deadlineNanos) {
        return run(List.of(op), bundle, perOpNanos, deadlineNanos).get(0);
    }

    /** Receives the results of {@link #stream}, in operation order, on the caller's thread. */
    @FunctionalInterface
    public interface Sink {
        void accept(int index, Result result);
    }

    /**
     * Runs the operations in order on one pool thread. Each must finish within {@code perOpNanos} of the previous
     * one and all by {@code deadlineNanos} (a {@link System#nanoTime} value); once one times out the rest are
     * SKIPPED. {@code bundle} makes reads refuse anything that is not a regular file, checked without following
     * links before opening: a saved tree may hold FIFOs or devices, live /proc and /sys do not.
     */
    public List<Result> run(List<Op> ops, boolean bundle, long perOpNanos, long deadlineNanos) {
        Result[] out = new Result[ops.size()];
        stream(ops, bundle, perOpNanos, deadlineNanos, (i, r) -> out[i] = r);
        return List.of(out);
    }

    /**
     * {@link #run}, handing each result to {@code sink} as soon as a few are ready, so the caller works on them
     * while the pool thread reads on: one hand-off per batch, not per file. Every operation gets exactly one result.
     */
    public void stream(List<Op> ops, boolean bundle, long perOpNanos, long deadlineNanos, Sink sink) {
        int n = ops.size();
        if (n == 0) {
            return;
        }
        Batch batch = new Batch(ops, bundle);
        drive(batch, perOpNanos, deadlineNanos, new Delivery() {
            @Override
            public void ready(int i) {
                Result r = batch.out[i];
                batch.out[i] = null;
                sink.accept(i, r);
            }

            @Override
            public void failed(int i, Status status, String detail) {
                sink.accept(i, new Result(status, null, detail));
            }
        }, i -> ops.get(i).path().toString());
    }

    /** Receives the bytes of {@link #streamBytes} results; {@code buf} is valid only during the call. */
    @FunctionalInterface
    public interface BytesSink {
        /** {@code status} OK: the file's first bytes are buf[off, off + len); otherwise len is 0. */
        void accept(int index, Status status, byte[] buf, int off, int len);
    }

    /**
     * Reads live files (plain paths, no bundle checks) as {@link #stream} does, but hands the caller each file's
     * first {@code slot} bytes in place instead of a String: for the agent's every-second look at thousands of
     * small stat files, where a String and a Result per file are most of the cost. {@code arena} must hold
     * {@code paths.length * slot} bytes; it may be reused across calls, since an abandoned batch never writes to it
     * again after this returns. Meant for one-line proc files: a read shorter than asked that ends a line is taken as
     * the whole file (such files answer whole in one read), which saves the read that would only say end of file.
     */
    public void streamBytes(String[] paths, int count, int slot, byte[] arena, long perOpNanos, long deadlineNanos,
                            BytesSink sink) {
        if (count == 0) {
            return;
        }
        if (arena.length < count * slot) {
            throw new IllegalArgumentException("arena of " + arena.length + " bytes for " + count + " x " + slot);
        }
        BytesBatch batch = new BytesBatch(paths, count, slot, arena);
        drive(batch, perOpNanos, deadlineNanos, new Delivery() {
            @Override
            public void ready(int i) {
                Status st = batch.status[i];
                sink.accept(i, st, arena, i * slot, st == Status.OK ? batch.length[i] : 0);
            }

            @Override
            public void failed(int i, Status status, String detail) {
                sink.accept(i, status, arena, i * slot, 0);
            }
        }, i -> paths[i]);
    }

    /** How {@link #drive} hands results over: ready ones by index, and those that never ran or timed out. */
    private interface Delivery {
        void ready(int index);

        void failed(int index, Status status, String detail);
    }

    /** Starts {@code work} on the pool and hands its results over as they come, within the per-op and overall time. */
    private void drive(Work work, long perOpNanos, long deadlineNanos, Delivery d,
                       java.util.function.IntFunction<String> name) {
        int n = work.n;
        if (saturated()) {
            skip(d, 0, n, stuck.get() + " reads stuck");
            return;
        }
        try {
            pool.execute(work);
        } catch (RejectedExecutionException e) {
            skip(d, 0, n, "reader pool refused");
            return;
        }
        int given = 0;
        while (given < n) {
            int ready;
            String timeout = null;
            synchronized (work) {
                while (work.done == given) {
                    long now = System.nanoTime();
                    long wait = Math.min(work.lastProgress + perOpNanos - now, deadlineNanos - now);
                    if (wait <= 0) {
                        work.abandoned = true;
                        if (!work.finished) {
                            stuck.incrementAndGet();
                        }
                        timeout = name.apply(given) + " did not answer in " + (now - work.lastProgress) / 1_000_000
                                + " ms";
                        break;
                    }
                    try {
                        work.wait(Math.max(1, wait / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        work.abandoned = true;
                        if (!work.finished) {
                            stuck.incrementAndGet();
                        }
                        break;
                    }
                }
                ready = work.done;
            }
            // results below done are final: the pool thread writes only at done, under the monitor taken above
            for (; given < ready; given++) {
                d.ready(given);
            }
            if (given < n && work.abandoned) {
                if (timeout != null) {
                    d.failed(given++, Status.TIMEOUT, timeout);
                    skip(d, given, n, "after a timeout");
                } else {
                    skip(d, given, n, "interrupted");
                }
                return;
            }
        }
    }

    private static void skip(Delivery d, int from, int to, String why) {
        for (int i = from; i < to; i++) {
            d.failed(i, Status.SKIPPED, why);
        }
    }

    /**
     * Operations run in order on a pool thread, each result published under this object's monitor. The waiting
     * caller is woken only every {@link #WAKE_EVERY} results and at the end: a wake per file would cost more than
     * the read.
     */
    private abstract class Work implements Runnable {
        final int n;
        int done;
        long lastProgress = System.nanoTime();
        boolean abandoned;
        boolean finished;

        Work(int n) {
            this.n = n;
        }

        /** Does operation {@code i}'s I/O, outside the monitor, keeping what {@link #publish} needs. */
        abstract void perform(int i);

        /** Makes operation {@code i}'s outcome visible; under the monitor, only while not abandoned. */
        abstract void publish(int i);

        @Override
        public void run() {
            try {
                for (int i = 0; i < n; i++) {
                    synchronized (this) {
                        if (abandoned) {
                            return;
                        }
                    }
                    perform(i);
                    synchronized (this) {
                        if (abandoned) {
                            return;
                        }
                        publish(i);
                        done++;
                        lastProgress = System.nanoTime();
                        if (done % WAKE_EVERY == 0) {
                            notifyAll();
                        }
                    }
                }
            } finally {
                synchronized (this) {
                    finished = true;
                    if (abandoned) {
                        stuck.decrementAndGet();
                    }
                    notifyAll();
                }
            }
        }
    }

    /** {@link Op}s with a {@link Result} each. */
    private final class Batch extends Work {
        private final List<Op> ops;
        private final boolean bundle;
        private final Result[] out;
        private Result pending;

        Batch(List<Op> ops, boolean bundle) {
            super(ops.size());
            this.ops = ops;
            this.bundle = bundle;
            this.out = new Result[ops.size()];
        }

        @Override
        void perform(int i) {
            pending = execute(ops.get(i), bundle);
        }

        @Override
        void publish(int i) {
            out[i] = pending;
            pending = null;
        }
    }

    /** Live file reads whose first bytes are copied into the caller's arena, one slot per file. */
    private final class BytesBatch extends Work {
        private final String[] paths;
        private final int slot;
        private final byte[] arena;
        private final Status[] status;
        private final int[] length;
        private Status pendingStatus;
        private int pendingLength;

        BytesBatch(String[] paths, int count, int slot, byte[] arena) {
            super(count);
            this.paths = paths;
            this.slot = slot;
            this.arena = arena;
            this.status = new Status[count];
            this.length = new int[count];
        }

        @Override
        void perform(int i) {
            pendingLength = 0;
            try {
                pendingLength = readLiveBytes(paths[i], slot, true);
                pendingStatus = Status.OK;
            } catch (NoSuchFileException e) {
                pendingStatus = Status.MISSING;
            } catch (AccessDeniedException e) {
                pendingStatus = Status.DENIED;
            } catch (IOException e) {
                pendingStatus = String.valueOf(e.getMessage()).contains("No such process") ? Status.MISSING
                        : Status.ERROR;
            } catch (RuntimeException e) {
                pendingStatus = Status.ERROR;
            }
        }

        @Override
        void publish(int i) {
            status[i] = pendingStatus;
            length[i] = pendingLength;
            if (pendingStatus == Status.OK) {
                System.arraycopy(BUFFER.get(), 0, arena, i * slot, pendingLength);
            }
        }
    }

    static Result execute(Op op, boolean bundle) {
        Path p = op.path();
        try {
            switch (op.kind()) {
                case READ:
                    if (bundle) {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        if (!a.isRegularFile()) {
                            return new Result(Status.REFUSED, null, p + ": not a regular file");
                        }
                    }
                    return new Result(Status.OK, readText(p, bundle), null);
                case READLINK:
                    return readlink(p);
                case LIST:
                case LIST_DIRS:
                    if (bundle && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        return new Result(Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Status.REFUSED : Status.MISSING,
                                null, p + ": not a directory");
                    }
                    return new Result(Status.OK, list(p, op.kind() == Kind.LIST_DIRS), null);
                default:
                    return new Result(Status.ERROR, null, "unknown operation");
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new Result(Status.MISSING, null, null);
        } catch (AccessDeniedException e) {
            return new Result(Status.DENIED, null, p + ": permission denied");
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("No such process")) {
                // the task exited between the listing and the read
                return new Result(Status.MISSING, null, null);
            }
            if (m.contains("Permission denied") || m.contains("Operation not permitted")) {
                return new Result(Status.DENIED, null, p + ": permission denied");
            }
            return new Result(Status.ERROR, null, p + ": " + m);
        } catch (RuntimeException e) {
            return new Result(Status.ERROR, null, p + ": " + e);
        }
    }

    private static String readText(Path p, boolean bundle) throws IOException {
        if (!bundle) {
            return readLive(p);
        }
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes(MAX_BYTES);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    /** Each pool thread's read buffer: /proc files are small and read by the ten thousand. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    /**
     * A live /proc or /sys file through a plain FileInputStream into the thread's reused buffer: no channel, no
     * per-file buffers. Errors are mapped as {@link #execute} expects.
     */
    private static String readLive(Path p) throws IOException {
        int n = readLiveBytes(p.toString(), MAX_BYTES, false);
        return new String(BUFFER.get(), 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Reads at most {@code max} bytes of a live file into the thread's {@link #BUFFER}; returns how many. With
     * {@code oneLine}, a short read ending in a newline ends the file.
     */
    private static int readLiveBytes(String path, int max, boolean oneLine) throws IOException {
        byte[] buf = BUFFER.get();
        int n = 0;
        FileInputStream in;
        try {
            in = new FileInputStream(path);
        } catch (FileNotFoundException e) {
            String m = String.valueOf(e.getMessage());
            if (m.endsWith("(Permission denied)") || m.endsWith("(Operation not permitted)")) {
                throw new AccessDeniedException(path);
            }
            if (m.endsWith("(No such file or directory)") || m.endsWith("(No such process)")
                    || m.endsWith("(Not a directory)")) {
                throw new NoSuchFileException(path);
            }
            throw e;
        }
        try (in) {
            while (n < max) {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(MAX_BYTES, buf.length * 2));
                    BUFFER.set(buf);
                }
                int want = Math.min(max, buf.length) - n;
                int r = in.read(buf, n, want);
                if (r < 0) {
                    break;
                }
                n += r;
                if (oneLine && r > 0 && r < want && buf[n - 1] == '\n') {
                    break;
                }
            }
        }
        return n;
    }

    private static Result readlink(Path p) throws IOException {
        // the link itself first, without a stat to ask whether it is one: a scan reads every fd link of the host
        try {
            return new Result(Status.OK, Files.readSymbolicLink(p).toString(), null);
        } catch (java.nio.file.NotLinkException | NoSuchFileException e) {
            // not a link, or nothing there: a bundle keeps link targets in NAME.link files (live /proc never has one,
            // so this misses fast)
        }
        Path saved = p.resolveSibling(p.getFileName() + LINK_SUFFIX);
        BasicFileAttributes a = Files.readAttributes(saved, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            return new Result(Status.REFUSED, null, saved + ": not a regular file");
        }
        return new Result(Status.OK, readText(saved, true).strip(), null);
    }

    private static String list(Path dir, boolean dirsOnly) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path e : ds) {
                if (names.size() >= MAX_ENTRIES) {
                    break;
                }
                if (dirsOnly && !Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                names.add(e.getFileName().toString());
            }
        }
        return String.join("\n", names);
    }
}
