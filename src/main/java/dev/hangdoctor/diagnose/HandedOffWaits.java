package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits that end only when other code finishes work: a completion another context signals, a work item a kworker
 * runs, the automount daemon's mount, the writeback workers, async probes, an RCU grace period, a kthread told to
 * stop, a fanotify listener's permission answer, a device's DMA fence, a thaw; and the filesystems' own such waits:
 * ZFS's condition variables (the SPL's cv_wait, under its range lock, transaction group and I/O waits), the closures
 * of bcache and bcachefs, btrfs's ordered extents and transaction commits. A task asleep in one of them is a waiter:
 * it holds up nothing by being stuck unless others are shown waiting for it (on a lock it took before it slept); what
 * it waits for runs elsewhere. Read from the innermost frames below
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

    /** A wait; a general one (a completion, a condition variable) is narrowed by a wait of this list that calls it. */
    private record Kind(String awaited, String doer, boolean general) {
        Kind(String awaited, String doer) {
            this(awaited, doer, false);
        }
    }

    private static final Kind COMPLETION = new Kind("a completion another context must signal",
            "whatever signals it (a kworker, an interrupt, firmware), which the evidence does not show", true);
    private static final Kind CONDVAR = new Kind("a condition variable of ZFS's SPL another thread must signal",
            "the ZFS thread that signals it (the pool's txg_sync thread, an I/O's completion, the holder of what it"
                    + " waits on), which the evidence does not show", true);
    private static final Kind RANGE_LOCK = new Kind("a ZFS range lock: another thread holds the same byte range of"
            + " the file", "the thread that reads or writes that range of the file (often itself waiting for a"
            + " transaction group or its I/O)");
    private static final Kind TXG = new Kind("a ZFS transaction group to sync (or to open), or for room in the pool's"
            + " dirty data", "the pool's txg_sync thread and the disk I/O it waits for");
    private static final Kind ZIO = new Kind("a ZFS I/O (zio) to complete",
            "the pool's zio threads (z_wr_iss, z_rd_int and the like) and the disks under the pool");
    private static final Kind ZIL = new Kind("the ZFS intent log's write (zil_commit) to complete",
            "the log's block writes: the zio threads and the log device");
    private static final Kind TASKQ = new Kind("the tasks of an SPL taskq to finish", "the taskq's threads");
    private static final Kind CLOSURE = new Kind("a closure's outstanding work (bcache and bcachefs: the I/O and"
            + " updates it counts) to finish", "the I/O or worker holding the closure's references (a btree node or"
            + " journal write, the device under it)");
    private static final Kind ORDERED_EXTENT = new Kind("a btrfs ordered extent to finish (its data written and the"
            + " metadata inserted after it)", "the btrfs endio-write workers and the device under the filesystem");
    private static final Kind TRANSACTION = new Kind("a btrfs transaction commit another task runs",
            "the task committing the transaction (btrfs-transaction or a task syncing the filesystem)");
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
        // ZFS on Linux: the SPL's condition variables (spl-condvar.c; cv_wait is the macro for __cv_wait), and the
        // waits ZFS builds on them: its range lock (zfs_range_lock in 0.6/0.7, rangelock_enter in 0.8,
        // zfs_rangelock_enter since 2.0), transaction groups and the write throttle (txg.c, dmu_tx.c), an I/O
        // (zio.c), the intent log (zil.c), a taskq's tasks (spl-taskq.c)
        for (String f : List.of("cv_wait_common", "__cv_wait", "__cv_wait_io", "__cv_wait_idle", "__cv_wait_sig",
                "__cv_wait_io_sig", "__cv_wait_interruptible", "__cv_timedwait_common", "__cv_timedwait",
                "__cv_timedwait_io", "__cv_timedwait_sig", "__cv_timedwait_idle", "__cv_timedwait_hires",
                "cv_timedwait_hires_common", "cv_timedwait_hires", "cv_timedwait_sig_hires",
                "cv_timedwait_idle_hires", "cv_wait", "cv_wait_io", "cv_wait_sig", "cv_timedwait")) {
            WAITS.put(f, CONDVAR);
        }
        for (String f : List.of("zfs_range_lock", "zfs_range_lock_reader", "zfs_range_lock_writer", "rangelock_enter",
                "rangelock_enter_reader", "rangelock_enter_writer", "zfs_rangelock_enter", "zfs_rangelock_enter_impl",
                "zfs_rangelock_enter_reader", "zfs_rangelock_enter_writer")) {
            WAITS.put(f, RANGE_LOCK);
        }
        for (String f : List.of("txg_wait_synced", "txg_wait_synced_impl", "txg_wait_synced_sig",
                "txg_wait_synced_flags", "txg_wait_open", "dmu_tx_wait")) {
            WAITS.put(f, TXG);
        }
        WAITS.put("zio_wait", ZIO);
        for (String f : List.of("zil_commit_waiter", "zil_commit_waiter_timeout")) {
            WAITS.put(f, ZIL);
        }
        for (String f : List.of("taskq_wait", "taskq_wait_id", "taskq_wait_outstanding")) {
            WAITS.put(f, TASKQ);
        }
        // closures: drivers/md/bcache/closure.c, bcachefs's copy, lib/closure.c since 6.8 (closure_sync is inline)
        for (String f : List.of("__closure_sync", "closure_sync", "__closure_sync_timeout", "closure_sync_timeout")) {
            WAITS.put(f, CLOSURE);
        }
        // fs/btrfs/ordered-data.c (btrfs_start_ordered_extent_nowriteback since 6.15) and transaction.c
        for (String f : List.of("btrfs_start_ordered_extent", "btrfs_start_ordered_extent_nowriteback",
                "btrfs_wait_ordered_range", "btrfs_wait_ordered_extents", "btrfs_wait_ordered_roots")) {
            WAITS.put(f, ORDERED_EXTENT);
        }
        for (String f : List.of("wait_for_commit", "btrfs_wait_for_commit", "wait_current_trans")) {
            WAITS.put(f, TRANSACTION);
        }
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
            if (kind == null || kind.general()) {
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
