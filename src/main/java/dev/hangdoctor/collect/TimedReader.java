package dev.hangdoctor.collect;

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
    /** Files larger than this are cut: every file hangdoctor wants is far smaller. */
    public static final int MAX_BYTES = 256 * 1024;
    /** Entries returned by one directory listing at most. */
    public static final int MAX_ENTRIES = 200_000;

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

    /**
     * Runs the operations in order on one pool thread. Each must finish within {@code perOpNanos} of the previous
     * one and all by {@code deadlineNanos} (a {@link System#nanoTime} value); once one times out the rest are
     * SKIPPED. {@code bundle} makes reads refuse anything that is not a regular file, checked without following
     * links before opening: a saved tree may hold FIFOs or devices, live /proc and /sys do not.
     */
    public List<Result> run(List<Op> ops, boolean bundle, long perOpNanos, long deadlineNanos) {
        int n = ops.size();
        Result[] out = new Result[n];
        if (n == 0) {
            return List.of();
        }
        if (saturated()) {
            return fill(out, 0, new Result(Status.SKIPPED, null, stuck.get() + " reads stuck"));
        }
        Batch batch = new Batch(ops, bundle, out);
        try {
            pool.execute(batch);
        } catch (RejectedExecutionException e) {
            return fill(out, 0, new Result(Status.SKIPPED, null, "reader pool refused"));
        }
        synchronized (batch) {
            int seen = 0;
            long lastProgress = System.nanoTime();
            while (batch.done < n) {
                long now = System.nanoTime();
                long wait = Math.min(lastProgress + perOpNanos - now, deadlineNanos - now);
                if (wait <= 0) {
                    batch.abandoned = true;
                    if (!batch.finished) {
                        stuck.incrementAndGet();
                    }
                    Path p = ops.get(batch.done).path();
                    out[batch.done] = new Result(Status.TIMEOUT, null, p + " did not answer in "
                            + (now - lastProgress) / 1_000_000 + " ms");
                    return fill(out, batch.done + 1, new Result(Status.SKIPPED, null, "after a timeout"));
                }
                try {
                    batch.wait(Math.max(1, wait / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    batch.abandoned = true;
                    if (!batch.finished) {
                        stuck.incrementAndGet();
                    }
                    return fill(out, batch.done, new Result(Status.SKIPPED, null, "interrupted"));
                }
                if (batch.done > seen) {
                    seen = batch.done;
                    lastProgress = System.nanoTime();
                }
            }
            return List.of(out.clone());
        }
    }

    private static List<Result> fill(Result[] out, int from, Result r) {
        for (int i = from; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = r;
            }
        }
        return List.of(out.clone());
    }

    /** Runs the ops on a pool thread, publishing each result under the batch's monitor. */
    private final class Batch implements Runnable {
        private final List<Op> ops;
        private final boolean bundle;
        private final Result[] out;
        private int done;
        private boolean abandoned;
        private boolean finished;

        Batch(List<Op> ops, boolean bundle, Result[] out) {
            this.ops = ops;
            this.bundle = bundle;
            this.out = out;
        }

        @Override
        public void run() {
            try {
                for (Op op : ops) {
                    synchronized (this) {
                        if (abandoned) {
                            return;
                        }
                    }
                    Result r = execute(op, bundle);
                    synchronized (this) {
                        if (abandoned) {
                            return;
                        }
                        out[done++] = r;
                        notifyAll();
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
        LinkOption[] opts = bundle ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        try (InputStream in = Files.newInputStream(p, opts)) {
            byte[] b = in.readNBytes(MAX_BYTES);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static Result readlink(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return new Result(Status.OK, Files.readSymbolicLink(p).toString(), null);
        }
        // not a link: a bundle keeps link targets in NAME.link files (live /proc never has one, so this misses fast)
        Path saved = p.resolveSibling(p.getFileName() + ProcTreeReader.LINK_SUFFIX);
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
