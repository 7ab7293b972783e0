package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.Set;

/**
 * A hang report handed in without blocked times (a pasted /proc/PID/stack, crash bt/ps, an anonymous Call Trace, a
 * hung-task report whose header was cut off): the report itself says the host hung, so its best finding stands,
 * with less confidence; more when the evidence holds a sign of duration of its own.
 */
final class SnapshotReport {
    /** A snapshot with a sign of duration (a crash dump, the hung-task notice, a sysrq-w dump). */
    private static final double WITNESSED = 0.85;
    /** A bare snapshot: only the fact that someone handed it in as a hang. */
    private static final double BARE = 0.7;

    private SnapshotReport() {
    }

    static double confidence(double c, Evidence evidence) {
        return c * (witness(evidence) != null ? WITNESSED : BARE);
    }

    static String warning(Set<String> rules, Evidence evidence) {
        String w = witness(evidence);
        return "no blocked time in the evidence for " + String.join(", ", rules) + ": reported as a hang because the"
                + " evidence was handed in as one" + (w == null ? "" : " and holds " + w) + "; confidence lowered";
    }

    /**
     * A stack handed in without a state (a bare Call Trace, /proc/PID/stack text) that went to sleep in the
     * scheduler: in a hang report that is a stuck task.
     */
    static boolean sleepsWithoutState(Task t) {
        if (t.state() != TaskState.UNKNOWN) {
            return false;
        }
        for (Frame f : t.frames()) {
            String fn = f.function();
            if (fn.equals("__schedule") || fn.equals("schedule") || fn.startsWith("schedule_") || fn.equals("io_schedule")
                    || fn.startsWith("io_schedule_") || fn.equals("__switch_to") || fn.startsWith("__switch_to")) {
                return true;
            }
        }
        return false;
    }

    /** What in the evidence says tasks stayed stuck, or null. */
    static String witness(Evidence evidence) {
        if (evidence.hungTaskNotices() > 0) {
            return "the hung-task detector's notice";
        }
        for (KernelEvent e : evidence.events(KernelEventKind.SYSRQ)) {
            if ("Show Blocked State".equals(e.field("what"))) {
                return "a sysrq-w dump (Show Blocked State)";
            }
        }
        for (String f : evidence.formats()) {
            if (f.startsWith("crash")) {
                return "a crash dump";
            }
        }
        return null;
    }
}
