package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.SpinLocks;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The likely holder of the lock a locked-up CPU spins on: a spin lock records no owner, so an expert reads the other
 * CPUs' stacks in the same report (NMI backtraces, crash's bt of every active task) for the one that runs inside the
 * locked code instead of waiting at its door. Named only when the evidence shows a CPU spinning on a lock and exactly
 * one other task on a CPU that is neither spinning too nor idle; with two candidates the evidence does not say. A
 * task the lockup report names that spins on a lock itself is then one of the waiters, not the blocker.
 */
final class LockSpinHolder {
    /** The idle loop: a CPU shown there runs nothing that could hold a lock. */
    private static final Set<String> IDLE = Set.of("cpu_idle", "do_idle", "cpu_startup_entry", "default_idle",
            "default_idle_call", "arch_cpu_idle", "cpuidle_enter", "cpuidle_enter_state", "cpuidle_idle_call",
            "intel_idle", "acpi_idle_enter", "acpi_idle_do_entry", "mwait_idle", "mwait_idle_with_hints", "poll_idle",
            "native_safe_halt", "safe_halt", "cpu_idle_poll", "psci_cpu_suspend_enter", "cpu_do_idle");

    /** What was found: the spinning tasks and the one task likely to hold their lock. */
    record Found(List<Task> spinners, Task holder, String lock) {
    }

    private LockSpinHolder() {
    }

    static Found find(Evidence evidence) {
        List<Task> spinners = new ArrayList<>();
        String lock = null;
        Task holder = null;
        int candidates = 0;
        for (Task t : evidence.tasks()) {
            if (spins(t)) {
                spinners.add(t);
                lock = lock == null ? Frames.whereRunning(t.frames()) : lock;
                continue;
            }
            if (onCpu(t) && !idle(t)) {
                candidates++;
                holder = t;
            }
        }
        if (spinners.isEmpty() || candidates != 1 || holder.pid() < 0) {
            return null;
        }
        return new Found(spinners, holder, lock);
    }

    /** Whether the task's stack shows it spinning on a lock (its innermost frames past the watchdog's own). */
    static boolean spins(Task t) {
        String where = Frames.whereRunning(t.frames());
        return where != null && SpinLocks.spinsIn(where);
    }

    /** Shown running: its state says so, or an NMI (a backtrace request, kdump's stop) interrupted it. */
    private static boolean onCpu(Task t) {
        if (t.state() == TaskState.RUNNING) {
            return true;
        }
        for (Frame f : t.frames()) {
            if (f.context() == StackContext.NMI) {
                return true;
            }
        }
        return false;
    }

    private static boolean idle(Task t) {
        boolean own = false;
        for (Frame f : t.frames()) {
            if (IDLE.contains(Frame.baseName(f.function()))) {
                return true;
            }
            own |= !f.unreliable() && !Frames.isGeneric(f.function()) && f.context() == StackContext.TASK;
        }
        return !own;
    }
}
