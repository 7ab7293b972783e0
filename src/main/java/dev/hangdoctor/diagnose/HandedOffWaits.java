package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits that end only when other code finishes work: a completion another context signals, a work item a kworker
 * runs, the automount daemon's mount, the writeback workers, async probes, an RCU grace period, a kthread told to
 * stop, a fanotify listener's permission answer, a device's DMA fence, a thaw. A task asleep in one of them is a waiter: it holds up nothing by being stuck unless others are shown waiting
 * for it (on a lock it took before it slept); what it waits for runs elsewhere. Read from the innermost frames below
 * the scheduler only: a task that sleeps elsewhere (a driver's msleep loop) merely called one of these earlier.
 */
final class HandedOffWaits {

    /** What a task waits for: the innermost frames' wait, the most specific of them, and its caller. */
    record Wait(String function, String awaited, String doer, String caller) {
        /** The wait in words, for the finding's chain: a waiter, and whom to look for instead. */
        String sentence(Task t) {
            return Diagnoser.describe(t) + " waits for " + awaited + " (" + function
                    + (caller == null ? "" : ", called from " + caller) + "): a waiter, not the cause; the one to find"
                    + " is " + doer;
        }
    }

    private record Kind(String awaited, String doer) {
    }

    private static final Kind COMPLETION = new Kind("a completion another context must signal",
            "whatever signals it (a kworker, an interrupt, firmware), which the evidence does not show");
    private static final Kind WORK = new Kind("a work item it flushes or cancels to finish",
            "the kworker running that work item");
    private static final Kind WORKQUEUE = new Kind("every work item of a workqueue to finish",
            "the kworkers running that workqueue's items");
    private static final Kind AUTOMOUNT = new Kind("the automount daemon to mount (or expire) the path",
            "the autofs daemon (automount, or systemd for a .automount unit)");
    private static final Kind WRITEBACK = new Kind("the writeback workers to write back the filesystem's dirty pages",
            "the writeback kworker and the filesystem or device under it");
    private static final Kind ASYNC = new Kind("asynchronous work (async_schedule: device probes, initcalls) to finish",
            "the async worker threads (kworkers running async_run_entry_fn)");
    private static final Kind GRACE_PERIOD = new Kind("an RCU or SRCU grace period to end",
            "a CPU or reader that does not pass a quiescent state (a CPU looping with preemption off, a reader asleep"
                    + " inside its read-side section)");
    private static final Kind KTHREAD = new Kind("a kernel thread to stop (or park)", "that kernel thread");
    private static final Kind PERMISSION = new Kind("a fanotify listener to answer a permission event",
            "the listening process (an antivirus or security agent)");
    private static final Kind FENCE = new Kind("a DMA fence to signal (a GPU or DMA engine's job to complete)",
            "the device engine that runs the job, or its driver");
    private static final Kind NOT_STARTED = new Kind("its first wake-up (kthread() sleeps in D right after the thread is"
            + " created, until its creator starts it)", "the driver that created the thread and never woke it");
    private static final Kind FROZEN = new Kind("a thaw (it is frozen by the cgroup freezer or a system suspend)",
            "whoever froze it (the container runtime or systemd freezing its cgroup, a suspend that did not finish)");

    /** Function (compiler suffix ignored) to what waiting in it means. Kernels 2.6 to 6.x. */
    private static final Map<String, Kind> WAITS = new LinkedHashMap<>();

    static {
        for (String f : List.of("wait_for_completion", "wait_for_completion_timeout", "wait_for_completion_killable",
                "wait_for_completion_killable_timeout", "wait_for_completion_interruptible",
                "wait_for_completion_interruptible_timeout", "wait_for_completion_state", "__wait_for_common",
                "wait_for_common", "do_wait_for_common")) {
            WAITS.put(f, COMPLETION);
        }
        for (String f : List.of("__flush_work", "flush_work", "flush_delayed_work", "__cancel_work_timer",
                "__cancel_work_sync", "cancel_work_sync", "cancel_delayed_work_sync", "flush_rcu_work")) {
            WAITS.put(f, WORK);
        }
        for (String f : List.of("flush_workqueue", "__flush_workqueue", "drain_workqueue", "flush_scheduled_work")) {
            WAITS.put(f, WORKQUEUE);
        }
        for (String f : List.of("autofs4_wait", "autofs_wait", "autofs4_mount_wait", "autofs_mount_wait",
                "autofs4_expire_wait", "autofs_expire_wait")) {
            WAITS.put(f, AUTOMOUNT);
        }
        for (String f : List.of("wb_wait_for_completion", "writeback_inodes_sb", "writeback_inodes_sb_nr",
                "__writeback_inodes_sb_nr", "sync_inodes_sb", "wait_sb_inodes")) {
            WAITS.put(f, WRITEBACK);
        }
        for (String f : List.of("async_synchronize_full", "async_synchronize_full_domain",
                "async_synchronize_cookie", "async_synchronize_cookie_domain")) {
            WAITS.put(f, ASYNC);
        }
        for (String f : List.of("synchronize_rcu", "synchronize_rcu_expedited", "synchronize_sched",
                "synchronize_sched_expedited", "synchronize_rcu_bh", "synchronize_srcu", "__synchronize_srcu",
                "synchronize_srcu_expedited", "synchronize_rcu_tasks", "synchronize_rcu_tasks_generic",
                "synchronize_qrcu", "rcu_barrier", "_rcu_barrier", "rcu_barrier_tasks", "srcu_barrier",
                "wait_rcu_gp", "__wait_rcu_gp")) {
            WAITS.put(f, GRACE_PERIOD);
        }
        for (String f : List.of("kthread_stop", "kthread_stop_put", "kthread_park", "kthread_flush_work",
                "kthread_flush_worker")) {
            WAITS.put(f, KTHREAD);
        }
        for (String f : List.of("fanotify_handle_event", "fanotify_get_response")) {
            WAITS.put(f, PERMISSION);
        }
        // 4.10+ dma_fence_*, before it fence_* (drivers/dma-buf)
        // (kcl_: the amdgpu DKMS package's compatibility layer, corpus zd-013)
        for (String f : List.of("dma_fence_default_wait", "dma_fence_wait_timeout", "dma_fence_wait_any_timeout",
                "fence_default_wait", "fence_wait_timeout", "kcl_fence_default_wait")) {
            WAITS.put(f, FENCE);
        }
        // kernel/kthread.c: a new kernel thread sleeps in kthread() itself (schedule_preempt_disabled, 6.x; schedule
        // before) until kthread_bind or wake_up_process starts it; a driver that never does leaves it in D for the
        // hung-task detector (ice's GNSS worker, corpus zd-022)
        WAITS.put("kthread", NOT_STARTED);
        // kernel/freezer.c: __refrigerator since 3.3, refrigerator before
        for (String f : List.of("__refrigerator", "refrigerator")) {
            WAITS.put(f, FROZEN);
        }
    }

    private HandedOffWaits() {
    }

    /**
     * The task's wait when the innermost frame below its sleep is one of these waits, or null. The frames outward
     * from it that are waits too narrow it (wait_for_completion under __flush_work is a work flush); the first frame
     * past them is the caller.
     */
    static Wait of(Task t) {
        List<Frame> frames = Frames.evidence(t.frames());
        Kind kind = null;
        String function = null;
        for (Frame f : frames) {
            if (f.unreliable() || Frames.isGeneric(f.function())) {
                continue;
            }
            Kind k = WAITS.get(Frame.baseName(f.function()));
            if (k == null) {
                return kind == null ? null : new Wait(function, kind.awaited(), kind.doer(), f.function());
            }
            if (kind == null || kind == COMPLETION) {
                kind = k;
                function = f.function();
            }
        }
        return kind == null ? null : new Wait(function, kind.awaited(), kind.doer(), null);
    }

    /**
     * True when the task's stack says no more than which work item its kworker ran: every frame that is not the
     * scheduler's is the work function its dump's {@code Workqueue:} line names (the stack itself was cut). That
     * tells what the kworker was doing, not where it sleeps.
     */
    static boolean onlyWorkFunction(Task t) {
        if (t.workFunction() == null) {
            return false;
        }
        boolean any = false;
        for (Frame f : Frames.evidence(t.frames())) {
            if (f.unreliable() || Frames.isGeneric(f.function())) {
                continue;
            }
            if (!Frame.baseName(f.function()).equals(Frame.baseName(t.workFunction()))) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** The sentence for a kworker whose stack is only its work function. */
    static String workOnly(Task t) {
        return Diagnoser.describe(t) + " runs the work item " + t.workFunction()
                + (t.workqueue() == null ? "" : " (workqueue " + t.workqueue() + ")")
                + ", but its stack ends there: where it sleeps is not shown, so it is not named the blocker";
    }
}
