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
     * Where a task that is not running sits in the kernel: completions, workqueue flushes, sleeping locks, RCU grace
     * periods, bit waits. /proc/PID/stack on 4.x and later starts at the function that called the scheduler, without
     * {@code __schedule}, so one of these on top is the only sign that the task sleeps.
     */
    private static final Set<String> SLEEPS = Set.of(
            "wait_for_completion", "wait_for_completion_timeout", "wait_for_completion_interruptible",
            "wait_for_completion_interruptible_timeout", "wait_for_completion_killable",
            "wait_for_completion_killable_timeout", "wait_for_completion_state", "wait_for_common",
            "wait_for_common_io", "__wait_for_common", "do_wait_for_common",
            "__flush_work", "flush_work", "__flush_workqueue", "flush_workqueue", "drain_workqueue",
            "__cancel_work_timer", "cancel_work_sync", "cancel_delayed_work_sync", "flush_delayed_work",
            "kthread_stop", "kthread_flush_work", "kthread_flush_worker",
            "mutex_lock", "mutex_lock_nested", "mutex_lock_interruptible", "mutex_lock_io", "__mutex_lock_common",
            "__mutex_lock_killable_slowpath", "__mutex_lock_interruptible_slowpath", "down", "down_read",
            "down_write", "down_read_killable", "down_write_killable", "down_interruptible", "down_killable",
            "down_timeout", "__down_interruptible", "__down_timeout", "__down_read", "__down_write",
            "__down_read_common", "__down_write_common", "percpu_down_write", "percpu_rwsem_wait",
            "__percpu_down_read", "percpu_rwsem_down_read", "rcu_sync_enter", "rwsem_down_write_failed_killable",
            "rwsem_down_read_failed_killable", "rt_mutex_slowlock_block",
            "synchronize_rcu", "synchronize_rcu_expedited", "synchronize_srcu", "__synchronize_srcu",
            "synchronize_sched", "wait_rcu_gp", "__wait_rcu_gp", "rcu_barrier",
            "__wait_on_bit", "__wait_on_bit_lock", "out_of_line_wait_on_bit", "out_of_line_wait_on_bit_lock",
            "wait_on_bit", "wait_on_bit_io", "__wait_on_freeing_inode", "__wait_var_event", "wait_var_event",
            "wait_on_page_writeback", "folio_wait_writeback", "wait_on_buffer", "sleep_on_buffer",
            "msleep", "usleep_range", "usleep_range_state", "blk_mq_freeze_queue_wait", "blk_freeze_queue",
            "__refrigerator", "__vma_start_write");

    /**
     * A stack handed in without a state (a bare Call Trace, /proc/PID/stack text) that went to sleep: in a hang
     * report that is a stuck task. It sleeps when the scheduler is on it, or when its innermost frame beyond the
     * scheduler's own is a wait: one of {@link #SLEEPS} or a wait {@link WaitClassifier} knows.
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
        if (t.frames().isEmpty()) {
            return false;
        }
        String top = Frame.baseName(Frames.significantTop(Frames.evidence(t.frames())));
        if (SLEEPS.contains(top) || WaitClassifier.isWait(top)) {
            return true;
        }
        // /proc/PID/stack leaves the scheduler out and is empty for a task on a CPU: its top frame is where the task
        // went to sleep (a wait_event inlined into the function, as kernfs_drain into __kernfs_remove), unless that
        // is an idle wait, the way back to user space (preempted there) or a stop for a signal or a tracer
        return t.procStack() && !top.startsWith("0x") && !IdleWaits.isIdle(top) && !AWAKE.contains(top);
    }

    /**
     * Tops of a /proc/PID/stack that are no sleep in the kernel: a task preempted on its way back to user space or
     * in an interrupt's exit (x86 entry code 3.x to 6.x, arm64's), stopped by a signal or a tracer.
     */
    private static final Set<String> AWAKE = Set.of(
            "exit_to_usermode_loop", "exit_to_user_mode_loop", "exit_to_user_mode_prepare", "prepare_exit_to_usermode",
            "syscall_exit_to_user_mode", "irqentry_exit_to_user_mode", "irqentry_exit", "do_notify_resume",
            "retint_careful", "retint_kernel", "retint_user", "int_careful", "sysret_careful", "ret_to_user",
            "do_signal_stop", "get_signal", "get_signal_to_deliver", "ptrace_stop", "ptrace_notify");

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
