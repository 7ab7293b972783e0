package dev.hangdoctor.guard;

import java.time.Instant;

/**
 * One thing the OOM guard did or declined to do in one cgroup: the kill (or the kill a dry run would make), and the
 * numbers it acted on. {@code pid} is -1 and {@code comm} null when no process was named.
 */
public record GuardEvent(Instant time, String cgroup, Kind kind, int pid, String comm, long usage, long limit,
                         double fillRate, double secondsToLimit, String reason) {

    /** What happened. */
    public enum Kind {
        /** SIGKILL sent to the chosen process. */
        KILLED,
        /** Dry run: the process that would have been killed. */
        WOULD_KILL,
        /** The limit was near, but every process the guard could pick is on the protect list. */
        SKIPPED_PROTECTED,
        /** The limit was near, but no process may be killed (none left, kernel threads, oom_score_adj -1000, ...). */
        NOTHING_ELIGIBLE,
        /**
         * The limit was near and a victim ranked, but the facts read at decision time do not show that killing it
         * would bring usage back (the members hold too little of it): nothing killed, the kernel decides.
         */
        DECLINED,
        /** A read or the kill failed; the reason says which. */
        ERROR
    }

    /** One line for logs. */
    public String line() {
        StringBuilder b = new StringBuilder().append(time).append(' ').append(kind).append(' ').append(cgroup);
        if (pid > 0) {
            b.append(' ').append(comm).append(':').append(pid);
        }
        b.append(" usage ").append(usage >> 20).append(" MiB of ").append(limit >> 20).append(" MiB");
        if (fillRate > 0) {
            b.append(", filling at ").append(Math.round(fillRate / (1 << 20))).append(" MiB/s");
        }
        if (Double.isFinite(secondsToLimit)) {
            b.append(", limit in ").append(Math.round(secondsToLimit * 1000)).append(" ms");
        }
        return b.append(": ").append(reason).toString();
    }
}
