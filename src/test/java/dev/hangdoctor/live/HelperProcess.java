package dev.hangdoctor.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A helper binary running as our child, with its stdout and stderr lines collected so tests can wait for its
 * protocol lines ("ready", "init 123") under a deadline.
 */
public final class HelperProcess {

    private final String name;
    private final Process process;
    private final OwnedPid pid;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private HelperProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.pid = pin(process);
        Thread pump = new Thread(this::pump, "live-" + name + "-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * The helper's pid pinned to its start time. A helper that is done at once (a stat on a healthy mount) may be
     * reaped by the JVM before its /proc entry is read: it is pinned to no start time, so nothing is ever sent to a
     * process that later gets its pid.
     */
    private static OwnedPid pin(Process process) {
        try {
            return OwnedPid.of((int) process.pid());
        } catch (IllegalStateException gone) {
            if (process.isAlive()) {
                throw gone;
            }
            return new OwnedPid((int) process.pid(), -1);
        }
    }

    /** Starts helper {@code name} (built on demand) with arguments. */
    public static HelperProcess start(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LiveHelpers.path(name).toString());
        command.addAll(List.of(args));
        try {
            return new HelperProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start helper " + command + ": " + e, e);
        }
    }

    /** Runs a command to completion and returns its exit code (-1 on timeout, after killing it). */
    static int run(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + List.of(command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the stream closes when the helper dies; nothing else to learn from it
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    /** The helper's pid, pinned. */
    public OwnedPid pid() {
        return pid;
    }

    /** The first line that starts with {@code prefix}, waiting up to {@code timeout} for it. */
    public String awaitLine(String prefix, Duration timeout) {
        return awaitLines(prefix, 1, timeout).get(0);
    }

    /** The first {@code count} lines starting with {@code prefix}, waiting up to {@code timeout} for them. */
    public List<String> awaitLines(String prefix, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                List<String> found = lines.stream().filter(l -> l.startsWith(prefix)).limit(count).toList();
                if (found.size() >= count) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("helper " + name + " (pid " + pid.pid() + ") "
                            + (ended ? "ended" : "timed out after " + timeout.toMillis() + " ms")
                            + " before " + count + " line(s) starting with '" + prefix + "'; output so far:\n"
                            + transcript());
                }
                try {
                    lines.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for helper " + name, e);
                }
            }
        }
    }

    /** How many lines so far start with {@code prefix}. */
    public int count(String prefix) {
        synchronized (lines) {
            return (int) lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    /** Everything the helper printed so far. */
    public String transcript() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Writes one line to the helper's stdin. */
    public void send(String line) {
        try {
            OutputStream out = process.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to helper " + name + ": " + e, e);
        }
    }

    /** Like {@link #send(String)}, but a helper that has already gone is not an error. */
    public boolean trySend(String line) {
        try {
            send(line);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Kills the helper if it is still ours and waits for it to be reaped; false if it would not go. */
    public boolean killAndAwait(Duration timeout) {
        pid.kill();
        return awaitExit(timeout);
    }

    /** Waits for the helper to exit and be reaped. */
    public boolean awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed by its death
        }
        return pid.awaitGone(timeout);
    }
}
