package dev.hangdoctor.live;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls the kernel for the shape a live hang should take, under a deadline, and reports what it saw instead. */
public final class LiveWait {

    /** How long a shape may take to appear; generous because CI machines are slow. */
    public static final Duration SHAPE_TIMEOUT = Duration.ofSeconds(10);

    private LiveWait() {
    }

    /**
     * Waits until thread {@code tid} of {@code pid} is in one of {@code states} and its stack holds
     * {@code functions} in this order, top first (not necessarily adjacent). Returns that stack text.
     */
    public static String awaitStack(int pid, int tid, String states, Duration timeout, String... functions) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String stack = "";
        char state = '-';
        while (true) {
            stack = LiveProc.stack(pid, tid);
            state = LiveProc.stat(pid, tid).map(LiveProc.Stat::state).orElse('-');
            if (states.indexOf(state) >= 0 && inOrder(LiveProc.functions(stack), functions)) {
                return stack;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task " + pid + "/" + tid + " did not reach state [" + states + "] with "
                        + List.of(functions) + " within " + timeout.toMillis() + " ms; last state " + state
                        + ", stack:\n" + stack);
            }
            sleep(20);
        }
    }

    /** {@link #awaitStack(int, int, String, Duration, String...)} for a single-threaded process. */
    public static String awaitStack(OwnedPid pid, String states, String... functions) {
        return awaitStack(pid.pid(), pid.pid(), states, SHAPE_TIMEOUT, functions);
    }

    /** True when {@code wanted} occur in {@code frames} in the same order. */
    public static boolean inOrder(List<String> frames, String... wanted) {
        int at = 0;
        for (String frame : frames) {
            if (at < wanted.length && frame.equals(wanted[at])) {
                at++;
            }
        }
        return at == wanted.length;
    }

    /** Waits for a condition; fails with {@code what} and the last observation. */
    public static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> observed) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; observed: " + observed.get());
            }
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
