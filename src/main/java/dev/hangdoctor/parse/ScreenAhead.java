package dev.hangdoctor.parse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands screened lines to the parsing thread. A small input is screened on the caller's thread, batch by batch as it
 * asks; once the input has proved big (more than {@link #AHEAD_AFTER} bytes) and the machine has a second core, the
 * screening goes on in a thread of its own a few batches ahead, so that cutting and screening the many noise lines
 * of a big log and parsing the few others share two cores. The batches and their order are the same either way.
 */
final class ScreenAhead implements AutoCloseable {
    /** Bytes read before a thread is worth starting: a pasted report never gets one. */
    static final long AHEAD_AFTER = 4L << 20;
    private static final int BATCHES = 8;
    private static final ScreenedLines END = new ScreenedLines();

    private final LineScreener screener;
    private final boolean mayGoAhead;
    private final long aheadAfter;
    private final BlockingQueue<ScreenedLines> free = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<ScreenedLines> full = new ArrayBlockingQueue<>(BATCHES + 1);
    private Thread ahead;
    private volatile boolean closed;
    private volatile Throwable failure;
    private ScreenedLines lastTaken;
    private boolean ended;

    ScreenAhead(LineScreener screener, boolean mayGoAhead) {
        this(screener, mayGoAhead, AHEAD_AFTER);
    }

    /** {@code aheadAfter}: bytes read before the thread starts (tests take it early). */
    ScreenAhead(LineScreener screener, boolean mayGoAhead, long aheadAfter) {
        this.screener = screener;
        this.aheadAfter = aheadAfter;
        this.mayGoAhead = mayGoAhead && Runtime.getRuntime().availableProcessors() > 1;
        for (int i = 0; i < BATCHES; i++) {
            free.add(new ScreenedLines());
        }
    }

    /** The next batch (valid until the next call), or null at the end of the input. */
    ScreenedLines next() throws IOException {
        if (lastTaken != null) {
            free.add(lastTaken);
            lastTaken = null;
        }
        if (ended) {
            return null;
        }
        if (ahead == null) {
            ScreenedLines b = free.remove();
            if (!screener.fill(b)) {
                free.add(b);
                ended = true;
                return null;
            }
            if (mayGoAhead && screener.reader().bytesRead() > aheadAfter) {
                startAhead();
            }
            return lastTaken = b;
        }
        ScreenedLines b;
        try {
            b = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading evidence");
        }
        if (b == END) {
            ended = true;
            Throwable t = failure;
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error er) {
                throw er;
            }
            return null;
        }
        return lastTaken = b;
    }

    /** Whether the screening went to a thread of its own. */
    boolean screensAhead() {
        return ahead != null;
    }

    /** The screening thread, or null (for the test that it ends). */
    Thread aheadThread() {
        return ahead;
    }

    private void startAhead() {
        ahead = new Thread(this::screenAhead, "hangdoctor-screen");
        ahead.setDaemon(true);
        ahead.start();
    }

    private void screenAhead() {
        try {
            while (!closed) {
                ScreenedLines b = free.take();
                if (!screener.fill(b)) {
                    break;
                }
                full.put(b);
            }
        } catch (InterruptedException e) {
            // closed by the parsing thread
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            // room is always there: BATCHES + 1 places for at most BATCHES batches and the end
            full.add(END);
        }
    }

    /**
     * Stops the screening thread, if any, when the parsing ends early (an error): it is not waited for, as it may sit
     * in a read of a pipe that never ends; it is a daemon and ends at its next batch.
     */
    @Override
    public void close() {
        closed = true;
        Thread t = ahead;
        if (t != null) {
            t.interrupt();
        }
    }
}
