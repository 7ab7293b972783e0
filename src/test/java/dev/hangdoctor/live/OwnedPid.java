package dev.hangdoctor.live;

import java.time.Duration;
import java.util.Optional;

/**
 * A process the harness started, pinned by its start time so that signals never reach a later process that
 * reused the pid.
 */
public record OwnedPid(int pid, long startTime) {

    public static final int SIGKILL = 9;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;

    /** Pins a pid that exists now. */
    public static OwnedPid of(int pid) {
        return new OwnedPid(pid, LiveProc.stat(pid)
                .orElseThrow(() -> new IllegalStateException("no process " + pid)).startTime());
    }

    /** True while the pid is still our process, zombie included. */
    public boolean exists() {
        return LiveProc.stat(pid).map(s -> s.startTime() == startTime).orElse(false);
    }

    /** Current stat, empty once gone or reused. */
    public Optional<LiveProc.Stat> stat() {
        return LiveProc.stat(pid).filter(s -> s.startTime() == startTime);
    }

    /** Current state letter (R, S, D, T, Z, ...), or '-' once gone. */
    public char state() {
        return stat().map(LiveProc.Stat::state).orElse('-');
    }

    /** Sends a signal if the pid is still ours; false when it is gone. */
    public boolean signal(int signo) {
        if (!exists()) {
            return false;
        }
        int rc = HelperProcess.run(Duration.ofSeconds(10), LiveHelpers.path("livectl").toString(), "signal",
                Integer.toString(pid), Long.toString(startTime), Integer.toString(signo));
        if (rc != 0 && rc != 3) {
            throw new IllegalStateException("livectl signal " + signo + " to " + pid + " failed: exit " + rc);
        }
        return rc == 0;
    }

    /** SIGKILL if still ours. */
    public boolean kill() {
        return signal(SIGKILL);
    }

    /** Waits until the process has been reaped; false on timeout. */
    public boolean awaitGone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (exists()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LiveWait.sleep(20);
        }
        return true;
    }
}
