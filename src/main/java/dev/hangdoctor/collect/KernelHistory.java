package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Now, not then: the kernel buffer of a live host still holds the hung-task reports, lockups and OOM kills of hangs
 * that ended long ago. A message about a task that is gone (or whose pid now belongs to another command), or that is
 * no longer stuck, is history: it is moved out of the current picture with when it was logged, so it never makes a
 * hang now. Messages that name no task (RCU stalls, hard lockups, OOM context lines) count as current only while
 * recent, as the kernel repeats them while the condition lasts. Only for live scans and their bundles: saved logs
 * are evidence of the time they were written.
 */
public final class KernelHistory {
    /** A lockup or stall the kernel has not repeated for this long is over (it repeats every 20-60 s while on). */
    static final Duration RECENT = Duration.ofSeconds(180);
    /** Kinds whose pid is the task they are about (for OOM kills: the victim). */
    private static final Set<KernelEventKind> ABOUT_A_TASK = EnumSet.of(KernelEventKind.HUNG_TASK,
            KernelEventKind.HUNG_TASK_LOCK_OWNER, KernelEventKind.SOFT_LOCKUP, KernelEventKind.OOM_KILL_CHOSEN,
            KernelEventKind.OOM_KILLED, KernelEventKind.XFS_ALLOC_DEADLOCK,
            // an oops kills its task: once that task is gone (or the oops is old and names none) it is history, or
            // one oops in a buffer kept for weeks would read as a hang in every scan until the next boot
            KernelEventKind.OOPS);
    /** Kinds that describe a condition of the host rather than a task, current only while recent. */
    private static final Set<KernelEventKind> CONDITIONS = EnumSet.of(KernelEventKind.HARD_LOCKUP,
            KernelEventKind.RCU_STALL, KernelEventKind.OOM_INVOKED, KernelEventKind.OOM_KILL_CONTEXT,
            KernelEventKind.OOM_TASK_LIST,
            KernelEventKind.MEMCG_STATUS, KernelEventKind.SYSRQ, KernelEventKind.BLOCK_IO_ERROR,
            KernelEventKind.STORAGE_DEVICE_ERROR, KernelEventKind.GPU_HANG,
            KernelEventKind.NFS_CLIENT_ERROR, KernelEventKind.NETDEV_UNREGISTER_WAIT);

    /** Where a bundle keeps the clock of its scan, relative to the bundle's root. */
    public static final String FILE = "hangdoctor/clock.txt";

    private final Double uptimeSeconds;
    private final Instant at;

    /**
     * {@code uptimeSeconds}: the host's uptime when the scan read the kernel buffer (null when unknown: messages
     * without a task then stay current), {@code at}: the wall-clock time of that moment.
     */
    public KernelHistory(Double uptimeSeconds, Instant at) {
        this.uptimeSeconds = uptimeSeconds;
        this.at = at;
    }

    /** The clock of a live host now: its /proc/uptime (null when unreadable) and the wall-clock time. */
    public static KernelHistory now(java.nio.file.Path proc) {
        Double up = null;
        try {
            // /proc/uptime is the kernel's own counter: reading it never blocks on a hung task
            String s = java.nio.file.Files.readString(proc.resolve("uptime")).strip();
            up = Double.parseDouble(s.split("\\s+")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            // a fixture tree without uptime: messages without a task stay current
        }
        return new KernelHistory(up, Instant.now());
    }

    /** "uptime 726.5\nat 2026-12-03T14:00:00Z\n": what {@link #parse} reads back. */
    public String format() {
        return (uptimeSeconds == null ? "" : String.format(Locale.ROOT, "uptime %.3f%n", uptimeSeconds))
                + (at == null ? "" : "at " + at + "\n");
    }

    /** The clock a bundle saved; unknown parts stay null. */
    public static KernelHistory parse(String text) {
        Double up = null;
        Instant at = null;
        for (String line : text.split("\n")) {
            try {
                if (line.startsWith("uptime ")) {
                    up = Double.parseDouble(line.substring(7).strip());
                } else if (line.startsWith("at ")) {
                    at = Instant.parse(line.substring(3).strip());
                }
            } catch (RuntimeException e) {
                // a damaged line: that part of the clock is unknown
            }
        }
        return new KernelHistory(up, at);
    }

    /** Moves every past message of {@code ev} (its tasks as the live scan saw them) into its history. */
    public void retire(Evidence ev) {
        ev.retireEvents(e -> pastReason(e, ev));
    }

    /** Why this message is history ("the task is gone"), with when; null while it describes the host now. */
    String pastReason(KernelEvent e, Evidence ev) {
        String why = null;
        if (ABOUT_A_TASK.contains(e.kind()) && e.pid() != null && e.pid() > 0) {
            why = taskGone(e, ev.taskOrNull(e.pid()));
            if (why == null && e.kind() == KernelEventKind.SOFT_LOCKUP && !recent(e)) {
                why = "the CPU has not been reported stuck since";
            }
        } else if ((CONDITIONS.contains(e.kind()) || ABOUT_A_TASK.contains(e.kind())) && !recent(e)) {
            why = "not repeated for " + RECENT.toSeconds() + " s";
        }
        return why == null ? null : when(e) + " " + e.message() + " (" + why + ")";
    }

    private static String taskGone(KernelEvent e, Task t) {
        boolean oomVictim = e.kind() == KernelEventKind.OOM_KILLED || e.kind() == KernelEventKind.OOM_KILL_CHOSEN;
        if (t == null || t.state() == TaskState.DEAD || (t.state() == TaskState.ZOMBIE && !oomVictim)) {
            return "task " + e.pid() + " is gone";
        }
        if (e.comm() != null && t.comm() != null && !sameComm(e.comm(), t.comm())) {
            return "pid " + e.pid() + " now belongs to " + t.comm();
        }
        if (oomVictim) {
            // a victim still there after the kill cannot exit: that is the hang
            return null;
        }
        if (e.kind() == KernelEventKind.SOFT_LOCKUP) {
            return null;
        }
        // the kernel reports only tasks in D; one that sleeps interruptibly or runs now is past that wait
        if (!t.state().isBlocked() && !t.unreadable()) {
            return "task " + e.pid() + " is no longer stuck: now " + t.state().letter();
        }
        return null;
    }

    /** comm is cut to 15 bytes in /proc but some messages print it whole; either may be the prefix. */
    private static boolean sameComm(String a, String b) {
        return a.equals(b) || a.startsWith(b) || b.startsWith(a);
    }

    private boolean recent(KernelEvent e) {
        if (e.timestamp() == null || uptimeSeconds == null) {
            return true;
        }
        return uptimeSeconds - e.timestamp() <= RECENT.toSeconds();
    }

    /** "2026-12-03T13:58:02Z (33 min ago)", or "[ 726.068317]" when the scan did not know the uptime. */
    String when(KernelEvent e) {
        if (e.timestamp() == null) {
            return "(undated)";
        }
        if (uptimeSeconds == null || at == null) {
            return String.format(Locale.ROOT, "[%12.6f]", e.timestamp());
        }
        double ago = Math.max(0, uptimeSeconds - e.timestamp());
        Instant then = at.minusMillis((long) (ago * 1000)).truncatedTo(ChronoUnit.SECONDS);
        return then + " (" + agoText((long) ago) + " ago)";
    }

    private static String agoText(long s) {
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return Math.round(s / 60.0) + " min";
        }
        return Math.round(s / 3600.0) + " h";
    }
}
