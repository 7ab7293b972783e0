package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reads the kernel's recent messages from /dev/kmsg without ever blocking its caller. Each read() of /dev/kmsg
 * returns one record, and at the end of the buffer a read sleeps until the next message (Java cannot open it
 * O_NONBLOCK). So the reads run on a daemon thread that hands lines over through a bounded queue, and the caller
 * stops once nothing has come for {@link Options#quiet()} (caught up) or a cap is reached; the thread may stay
 * asleep in read(), which costs nothing to a short-lived process. Lines are the raw text of the device
 * ({@code 6,1234,5678,-;message} and {@code  KEY=value} continuation lines), as {@link EvidenceReader} reads them.
 * A bundle keeps them in {@link #SAVED_FILE}.
 */
public final class KmsgReader {
    /** Where a bundle keeps the records, relative to the bundle's root. */
    public static final String SAVED_FILE = "dev/kmsg.txt";
    /** What the evidence calls these lines. */
    public static final String SOURCE = EvidenceReader.LIVE_KMSG;

    // /dev/kmsg refuses a read into a buffer smaller than the record (EINVAL); records are at most about 8 KiB
    private static final int READ_BUFFER = 16 * 1024;
    private static final int QUEUE = 4096;
    private static final int MAX_OVERRUNS = 1000;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Path device;
    private final Options options;

    /** Caps: how long to wait for the next line once caught up, for the first line, in all, and how much to keep. */
    public record Options(Duration quiet, Duration firstLine, Duration total, int maxLines, long maxBytes) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3), 200_000,
                    32L << 20);
        }

        public Options withQuiet(Duration d) { return new Options(d, firstLine, total, maxLines, maxBytes); }
        public Options withFirstLine(Duration d) { return new Options(quiet, d, total, maxLines, maxBytes); }
        public Options withTotal(Duration d) { return new Options(quiet, firstLine, d, maxLines, maxBytes); }
        public Options withMaxLines(int n) { return new Options(quiet, firstLine, total, n, maxBytes); }
        public Options withMaxBytes(long n) { return new Options(quiet, firstLine, total, maxLines, n); }
    }

    /**
     * What a read returned: the lines, why it stopped, and a warning when the device could not be read or the
     * lines are not all there (null otherwise).
     */
    public record Result(List<String> lines, long bytes, Stop stop, String warning) {
        /** The lines as one text, a line per line, as {@link #SAVED_FILE} holds them. */
        public String text() {
            StringBuilder b = new StringBuilder((int) Math.min(Integer.MAX_VALUE, bytes + lines.size()));
            for (String l : lines) {
                b.append(l).append('\n');
            }
            return b.toString();
        }

        /** The lines parsed as kernel log evidence, or empty evidence (with a warning) when there are none. */
        public Evidence toEvidence() {
            Evidence e;
            if (lines.isEmpty()) {
                e = new Evidence();
            } else {
                try {
                    e = EvidenceReader.read(new ByteArrayInputStream(text().getBytes(StandardCharsets.UTF_8)), SOURCE);
                } catch (IOException | RuntimeException ex) {
                    e = new Evidence();
                    e.warn(SOURCE + ": records not understood: " + ex.getMessage());
                }
            }
            if (warning != null) {
                e.warn(warning);
            }
            return e;
        }
    }

    /** Why a read stopped. */
    public enum Stop {
        /** Nothing new for the quiet period: the buffer was read to its end. */
        CAUGHT_UP,
        /** The device ended (a file or pipe standing in for it). */
        END,
        /** The line, byte or time cap. */
        CAP,
        /** The device could not be opened or read. */
        FAILED
    }

    public KmsgReader() {
        this(Path.of("/dev/kmsg"), Options.defaults());
    }

    /** {@code device} is /dev/kmsg on a host; tests pass a FIFO or a file. */
    public KmsgReader(Path device, Options options) {
        this.device = device;
        this.options = options;
    }

    /** Starts reading now; {@link Pending#await} collects the result, so the caller can do other work meanwhile. */
    public Pending start() {
        Pending p = new Pending(options);
        Thread t = new Thread(() -> pump(device, p.queue, p.closed), "hangdoctor-kmsg-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return p;
    }

    /** Reads what the kernel buffer holds now, within the caps; never throws and never blocks past the caps. */
    public Result read() {
        return start().await(Long.MAX_VALUE);
    }

    /**
     * Delivers every line, from the oldest the buffer still holds, then each new one as the kernel writes it, to
     * {@code sink} on a daemon thread until closed. For a long-lived agent. A sink that throws stops the delivery.
     */
    public Follower follow(Consumer<String> sink) {
        AtomicBoolean closed = new AtomicBoolean();
        Follower f = new Follower(closed);
        Thread t = new Thread(() -> {
            Pump pump = new Pump(line -> {
                if (closed.get()) {
                    return false;
                }
                sink.accept(line);
                return !closed.get();
            });
            f.failure = pump.run(device, closed);
        }, "hangdoctor-kmsg-follow-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Stops a {@link #follow}: no line is delivered once close() has returned (the thread may stay asleep in read). */
    public static final class Follower implements AutoCloseable {
        private final AtomicBoolean closed;
        private volatile String failure;

        Follower(AtomicBoolean closed) {
            this.closed = closed;
        }

        /** Why the delivery ended on its own (the device could not be read, or ended), or null. */
        public String failure() {
            return failure;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** Writes the lines into {@code saveDir}/{@link #SAVED_FILE}; returns a warning, or null when saved. */
    public static String save(Result r, Path saveDir) {
        Path out = saveDir.resolve(SAVED_FILE);
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, r.text(), StandardCharsets.UTF_8);
            return null;
        } catch (IOException | RuntimeException ex) {
            return "could not save " + SAVED_FILE + " under " + saveDir + ": " + ex.getMessage();
        }
    }

    /** A read under way. */
    public static final class Pending {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
        private final AtomicBoolean closed = new AtomicBoolean();
        private final Options options;
        private final long started = System.nanoTime();

        Pending(Options options) {
            this.options = options;
        }

        /**
         * Collects the lines until caught up, a cap, or {@code deadlineNanos} (a {@link System#nanoTime} value,
         * Long.MAX_VALUE for none), whichever comes first. Call it once.
         */
        public Result await(long deadlineNanos) {
            List<String> lines = new ArrayList<>();
            long bytes = 0;
            long until = Math.min(deadlineNanos, started + options.total().toNanos());
            Stop stop = Stop.CAP;
            String warning = null;
            long firstWait = Math.max(options.firstLine().toNanos(), options.quiet().toNanos());
            try {
                while (true) {
                    if (lines.size() >= options.maxLines() || bytes >= options.maxBytes()) {
                        warning = SOURCE + ": kept the first " + lines.size() + " lines (cap)";
                        break;
                    }
                    long now = System.nanoTime();
                    long wait = Math.min(lines.isEmpty() ? firstWait : options.quiet().toNanos(), until - now);
                    if (wait <= 0) {
                        if (now >= until) {
                            warning = SOURCE + ": stopped reading after " + (now - started) / 1_000_000 + " ms (cap)";
                        } else {
                            stop = Stop.CAUGHT_UP;
                        }
                        break;
                    }
                    Object o;
                    try {
                        o = queue.poll(wait, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        warning = SOURCE + ": interrupted";
                        break;
                    }
                    if (o == null) {
                        if (System.nanoTime() >= until) {
                            warning = SOURCE + ": stopped reading after "
                                    + (System.nanoTime() - started) / 1_000_000 + " ms (cap)";
                        } else {
                            stop = Stop.CAUGHT_UP;
                        }
                        break;
                    }
                    if (o instanceof String s) {
                        lines.add(s);
                        bytes += s.length() + 1;
                    } else if (o instanceof Ended end) {
                        stop = end.failure == null ? Stop.END : Stop.FAILED;
                        warning = end.failure;
                        break;
                    }
                }
            } finally {
                closed.set(true);
                queue.clear(); // lets a pump blocked on a full queue see that it is closed
            }
            return new Result(List.copyOf(lines), bytes, stop, warning);
        }
    }

    /** The pump's last word on the queue. */
    private record Ended(String failure) {
    }

    private static void pump(Path device, BlockingQueue<Object> queue, AtomicBoolean closed) {
        Pump p = new Pump(line -> offer(queue, closed, line));
        String failure = p.run(device, closed);
        offer(queue, closed, new Ended(failure));
    }

    private static boolean offer(BlockingQueue<Object> queue, AtomicBoolean closed, Object o) {
        try {
            while (!closed.get()) {
                if (queue.offer(o, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** What the reading thread hands each line to; false stops it. */
    private interface LineTaker {
        boolean take(String line);
    }

    /** The reading loop: splits what read() returns into lines, whatever the chunk sizes. */
    private static final class Pump {
        private final LineTaker taker;

        Pump(LineTaker taker) {
            this.taker = taker;
        }

        /** Reads until the end, a failure, or the taker says stop; returns the failure text or null. */
        String run(Path device, AtomicBoolean closed) {
            byte[] buf = new byte[READ_BUFFER];
            ByteArrayOutputStream partial = new ByteArrayOutputStream();
            int overruns = 0;
            try (InputStream in = Files.newInputStream(device)) {
                while (!closed.get()) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        // EPIPE: the kernel overwrote records before we read them; the next read goes on after them
                        if (String.valueOf(e.getMessage()).contains("Broken pipe") && ++overruns < MAX_OVERRUNS) {
                            continue;
                        }
                        throw e;
                    }
                    if (n < 0) {
                        break;
                    }
                    int from = 0;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            partial.write(buf, from, i - from);
                            String line = partial.toString(StandardCharsets.UTF_8);
                            partial.reset();
                            from = i + 1;
                            if (!taker.take(line)) {
                                return null;
                            }
                        }
                    }
                    if (from < n && partial.size() < READ_BUFFER * 4) {
                        partial.write(buf, from, n - from);
                    }
                }
                if (partial.size() > 0 && !closed.get()) {
                    taker.take(partial.toString(StandardCharsets.UTF_8));
                }
                return null;
            } catch (IOException | RuntimeException e) {
                String m = e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
                return SOURCE + " (" + device + ") not readable: " + m + "; kernel messages are not part of this scan";
            }
        }
    }
}
