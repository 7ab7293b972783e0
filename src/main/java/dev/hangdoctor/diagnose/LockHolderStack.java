package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.util.List;
import java.util.Set;

/**
 * The holder of a sleeping lock read from the stacks: the waiter asks for the lock in some function (i2c_transfer
 * taking the bus's rt_mutex through i2c_adapter_lock_bus); the one other task shown inside that same function, further
 * on than the lock call (in __i2c_transfer, waiting for the bus), is the task that took it. Only the function asking
 * for the lock counts (or the one calling a lock wrapper such as i2c_adapter_lock_bus or rtnl_lock): a function
 * further out (seq_read, vfs_write) is where every task passes, lock or not.
 */
final class LockHolderStack {
    /** The lock API between the slow path and the code that asked for the lock. */
    private static final Set<String> API = Set.of("mutex_lock", "mutex_lock_nested", "mutex_lock_io",
            "mutex_lock_interruptible", "mutex_lock_killable", "mutex_lock_interruptible_nested",
            "mutex_lock_killable_nested", "_mutex_lock_nest_lock", "__mutex_lock", "__mutex_lock_slowpath",
            "__mutex_lock_common", "__mutex_lock_killable_slowpath", "__mutex_lock_interruptible_slowpath",
            "down", "down_killable", "down_interruptible", "down_timeout", "__down", "__down_common",
            "__down_killable", "__down_interruptible", "__down_timeout", "rt_mutex_lock", "rt_mutex_lock_nested",
            "rt_mutex_lock_interruptible", "rt_mutex_lock_killable", "rt_mutex_slowlock", "__rt_mutex_slowlock",
            "__rt_mutex_slowlock_locked", "rt_mutex_slowlock_block");

    /** The scheduler's frames above the lock's. */
    private static final Set<String> SCHED = Set.of("schedule", "__schedule", "schedule_preempt_disabled",
            "preempt_schedule_common", "__switch_to", "__switch_to_asm");

    private LockHolderStack() {
    }

    /** Where a lock waiter asked for its lock: the function, and the frame it called to get it. */
    record Site(String function, String callee) {
    }

    /** The site of the task's lock wait, or null when its stack does not show who asked for the lock. */
    static Site site(List<Frame> frames) {
        String callee = null;
        for (Frame f : frames) {
            if (f.unreliable()) {
                continue;
            }
            String fn = Frame.baseName(f.function());
            if (callee == null && SCHED.contains(fn)) {
                continue;
            }
            if (API.contains(fn)) {
                callee = fn;
                continue;
            }
            if (callee == null) {
                return null; // something other than the lock API on top: not a lock wait
            }
            if (fn.matches("(?:.*_)?lock(?:_.*)?") && API.contains(callee)) {
                callee = fn; // a lock wrapper (i2c_adapter_lock_bus, rtnl_lock): its caller asked for the lock
                continue;
            }
            return new Site(fn, callee);
        }
        return null;
    }

    /** Whether the task's stack is inside the site's function at a call other than the lock's. */
    static boolean inside(Task t, Site site) {
        List<Frame> frames = t.frames();
        for (int i = 1; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (f.unreliable() || !Frame.baseName(f.function()).equals(site.function())) {
                continue;
            }
            for (int j = i - 1; j >= 0; j--) {
                if (!frames.get(j).unreliable()) {
                    String inner = Frame.baseName(frames.get(j).function());
                    return !inner.equals(site.callee()) && !API.contains(inner) && !SCHED.contains(inner);
                }
            }
            return false;
        }
        return false;
    }
}
