package dev.hangdoctor.model;

import java.util.Set;

/** The functions of the RCU stall detector (kernel/rcu/tree_stall.h, tree.c before 4.19) a stack may show. */
public final class RcuStallDetector {
    /** Where it prints a stall's report and asks for the stalled CPUs' backtraces. */
    private static final Set<String> PRINTERS = Set.of("print_cpu_stall", "print_other_cpu_stall",
            "rcu_dump_cpu_stacks", "rcu_print_detail_task_stall_rnp", "rcu_check_gp_kthread_starvation");
    /** Its check on every scheduler tick, the way from the timer interrupt to the printers. */
    private static final Set<String> CHECKS = Set.of("rcu_sched_clock_irq", "rcu_check_callbacks", "rcu_pending",
            "__rcu_pending", "check_cpu_stall");

    private RcuStallDetector() {
    }

    /** Whether {@code function} (a compiler suffix allowed) prints a stall's report or its backtraces. */
    public static boolean prints(String function) {
        return PRINTERS.contains(Frame.baseName(function));
    }

    /** Whether {@code function} (a compiler suffix allowed) is the tick's stall check that leads to the printers. */
    public static boolean checks(String function) {
        return CHECKS.contains(Frame.baseName(function));
    }
}
