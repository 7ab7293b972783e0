package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.util.List;
import java.util.Set;

/**
 * A CPU that spins until the other CPUs answer: the CPU stopper's state machine (kernel/stop_machine.c
 * multi_cpu_stop, run by every CPU's migration/N thread for stop_machine: it loops until every CPU has reached each
 * state), and a cross-CPU function call waiting for its targets to run it (kernel/smp.c smp_call_function_many_cond
 * and smp_call_function_single, spinning in csd_lock_wait). Such a CPU trips the lockup watchdog because another CPU
 * does not come: when the same report shows another CPU locked up outside these waits, that one is the cause and the
 * waiting CPU one of its victims.
 */
final class CrossCpuWaits {
    /** The waits themselves (compiler suffixes ignored). */
    private static final Set<String> WAITS = Set.of("multi_cpu_stop", "smp_call_function_many",
            "smp_call_function_many_cond", "smp_call_function_single", "csd_lock_wait", "__csd_lock_wait",
            "csd_lock_wait_toolong");
    /**
     * What the waits call on each turn of their loop, where the watchdog's interrupt may find the CPU: multi_cpu_stop's
     * stop_machine_yield, ack_state, touch_nmi_watchdog and rcu_momentary_dyntick_idle (rcu_momentary_eqs since 6.12),
     * and the relax and wait helpers of csd_lock_wait.
     */
    private static final Set<String> LOOP_HELPERS = Set.of("stop_machine_yield", "ack_state", "set_state",
            "touch_nmi_watchdog", "arch_touch_nmi_watchdog", "rcu_momentary_dyntick_idle", "rcu_momentary_eqs",
            "cpu_relax", "__cpu_relax", "smp_cond_load_acquire", "__smp_cond_load_acquire");

    /** The stopper thread's name (kernel/stop_machine.c cpu_stop_threads: "migration/%u"). */
    private static final java.util.regex.Pattern STOPPER_COMM = java.util.regex.Pattern.compile("migration/\\d+");
    /** What a stopper thread whose stack is not shown waits in, in words. */
    private static final String STOPPER_NO_STACK = "the CPU stopper thread (its stack not shown)";

    /** The per-CPU thread that runs stop_machine's work (kernel/stop_machine.c). */
    private static final String STOPPER_THREAD = "cpu_stopper_thread";

    private CrossCpuWaits() {
    }

    /** The wait the running task spins in (its innermost frames past the watchdog's own), or null. */
    static String of(Task t) {
        List<Frame> frames = Frames.evidence(t.frames());
        String top = Frames.whereRunning(frames);
        if ((top == null || top.equals("?")) && t.comm() != null && STOPPER_COMM.matcher(t.comm()).matches()) {
            // no stack shown, but the task is a CPU's stopper thread (smpboot's "migration/%u"): the stop work that
            // keeps a CPU for a watchdog period is multi_cpu_stop waiting for the others (the rest is short)
            return STOPPER_NO_STACK;
        }
        if (top == null) {
            return null;
        }
        if (WAITS.contains(Frame.baseName(top))) {
            return top;
        }
        if (!LOOP_HELPERS.contains(Frame.baseName(top))) {
            return null;
        }
        boolean past = false;
        for (Frame f : frames) {
            if (f.unreliable() || Frames.isGeneric(f.function())) {
                continue;
            }
            String fn = Frame.baseName(f.function());
            if (!past) {
                past = f.function().equals(top);
                continue;
            }
            if (WAITS.contains(fn)) {
                return f.function();
            }
            if (fn.equals(STOPPER_THREAD)) {
                // the helper straight under the stopper thread: multi_cpu_stop's own frame was not printed (arm64
                // crash bt and riscv traces show rcu_momentary_dyntick_idle directly above cpu_stopper_thread)
                return top;
            }
            if (!LOOP_HELPERS.contains(fn)) {
                return null;
            }
        }
        return null;
    }

    /** The waiting CPU's task in words, and who the evidence shows keeping the other CPUs away. */
    static String sentence(Task waiter, String wait, Task culprit) {
        boolean stopper = Frame.baseName(wait).equals("multi_cpu_stop") || wait.equals(STOPPER_NO_STACK)
                || Frames.indexOf(waiter.frames(), STOPPER_THREAD) >= 0;
        String what = stopper
                ? "every other CPU to reach the CPU stopper's next state (stop_machine)"
                : "other CPUs to run its cross-CPU function call (IPI)";
        return Diagnoser.describe(waiter) + " spins in " + wait + " waiting for " + what + ": a victim; "
                + Diagnoser.describe(culprit) + ", locked up on its own CPU, is the one keeping it waiting";
    }
}
