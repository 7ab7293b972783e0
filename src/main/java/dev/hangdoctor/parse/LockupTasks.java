package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * After one file is read, joins each watchdog report (soft lockup, hard lockup, RCU stall) to the task its own dump
 * shows. The kernel prints the report's first line, then the stack of what ran on the CPU ("CPU: N PID: P Comm: C"
 * and a Call Trace for lockups, "Task dump for CPU N:" and a task line for RCU stalls); the parsers read the two
 * apart, so the stack either belongs to the named task by pid already or comes out as a stack of nobody. Here:
 * <ul>
 *   <li>a soft lockup's task ([comm:pid] in its line) without frames takes the first stack of nobody that follows
 *       within its report (an elided dump: "...", registers cut out);</li>
 *   <li>an RCU stall's task marks ("{ P392 }", "Tasks blocked on level-0 rcu_node (CPUs 0-7): P392") name the task
 *       holding the grace period up: it is a task of this host even when its stack was not dumped;</li>
 *   <li>a hard lockup or RCU stall whose line names no task is given the first task with a pid that its report
 *       dumps (the idle task, pid 0, is no culprit; nor is the starved grace-period kthread an RCU stall dumps),
 *       and that task is marked running when nothing said otherwise.</li>
 * </ul>
 * A report ends at the next watchdog, hung-task or OOM message, or after {@link #WINDOW} lines.
 */
final class LockupTasks {
    /** A lockup dump (modules, registers, stack) rarely runs past this many lines before its trace. */
    private static final int WINDOW = 80;
    private static final List<KernelEventKind> REPORTS = List.of(KernelEventKind.SOFT_LOCKUP,
            KernelEventKind.HARD_LOCKUP, KernelEventKind.RCU_STALL);
    private static final List<KernelEventKind> BOUNDARIES = List.of(KernelEventKind.SOFT_LOCKUP,
            KernelEventKind.HARD_LOCKUP, KernelEventKind.RCU_STALL, KernelEventKind.HUNG_TASK,
            KernelEventKind.OOM_INVOKED);

    /** The RCU grace-period kthreads (kernel/rcu/tree.c names them after their flavour). */
    private static final java.util.Set<String> GP_KTHREADS = java.util.Set.of("rcu_sched", "rcu_preempt", "rcu_bh");

    private LockupTasks() {
    }

    static void attribute(Evidence evidence, String source, List<RegisterDumps.RunningAt> running) {
        attribute(evidence, source, running, List.of());
    }

    /**
     * {@code sightings}: where each named task's stack was printed, every time (a task's own source is where it was
     * first seen, and a watchdog reporting the same task again dumps it again after each report).
     */
    static void attribute(Evidence evidence, String source, List<RegisterDumps.RunningAt> running,
            List<TraceTasks.Sighting> sightings) {
        String prefix = source + ":";
        List<long[]> bounds = new ArrayList<>();
        List<KernelEvent> reports = new ArrayList<>();
        for (KernelEventKind k : BOUNDARIES) {
            for (KernelEvent e : evidence.events(k)) {
                long at = lineOf(e.source(), prefix);
                if (at < 0) {
                    continue;
                }
                bounds.add(new long[] {at});
                if (REPORTS.contains(k)) {
                    reports.add(e);
                }
            }
        }
        if (reports.isEmpty()) {
            return;
        }
        List<Task> tasks = new ArrayList<>();
        for (Task t : evidence.tasks()) {
            if (lineOf(t.source(), prefix) >= 0) {
                tasks.add(t);
            }
        }
        tasks.sort(Comparator.comparingLong(t -> lineOf(t.source(), prefix)));
        for (KernelEvent e : reports) {
            long from = lineOf(e.source(), prefix);
            long to = from + WINDOW;
            for (long[] b : bounds) {
                if (b[0] > from && b[0] < to) {
                    to = b[0];
                }
            }
            List<Task> dumped = new ArrayList<>();
            List<Long> dumpedAt = new ArrayList<>();
            for (Task t : tasks) {
                long at = lineOf(t.source(), prefix);
                if (at > from && at < to && evidence.taskOrNull(t.pid()) == t) {
                    dumped.add(t);
                    dumpedAt.add(at);
                }
            }
            for (TraceTasks.Sighting s : sightings) {
                long at = lineOf(s.source(), prefix);
                Task t = at > from && at < to ? evidence.taskOrNull(s.pid()) : null;
                if (t != null && !dumped.contains(t)) {
                    // seen here again: in the report's order, before the tasks first seen after it
                    int k = 0;
                    while (k < dumpedAt.size() && dumpedAt.get(k) < at) {
                        k++;
                    }
                    dumped.add(k, t);
                    dumpedAt.add(k, at);
                }
            }
            if (e.pid() != null) {
                if (evidence.taskOrNull(e.pid()) == null && e.kind() == KernelEventKind.RCU_STALL) {
                    // "P392": a task of this host preempted in a read-side section holds the grace period up
                    evidence.task(e.pid()).source(e.source());
                }
                giveStack(evidence, evidence.taskOrNull(e.pid()), dumped);
                if (e.kind() != KernelEventKind.RCU_STALL) {
                    giveRunningFrame(evidence.taskOrNull(e.pid()), running, from, to);
                }
            } else {
                name(evidence, e, dumped, running, to, prefix);
            }
        }
    }

    /** The named task has no frames of its own: the first stack of nobody in its report is its stack. */
    private static void giveStack(Evidence evidence, Task owner, List<Task> dumped) {
        if (owner == null || !owner.frames().isEmpty()) {
            return;
        }
        for (Task t : dumped) {
            if (t.pid() < 0 && !t.frames().isEmpty()) {
                evidence.removeTask(t.pid());
                owner.frames(t.frames());
                return;
            }
        }
    }

    /**
     * The lockup's task still has no frame (the paste kept the report's registers and cut its Call Trace): the function
     * its RIP / pc line names, the first in its report, is where it ran.
     */
    private static void giveRunningFrame(Task owner, List<RegisterDumps.RunningAt> running, long from, long to) {
        if (owner == null || !owner.frames().isEmpty()) {
            return;
        }
        for (RegisterDumps.RunningAt r : running) {
            if (r.lineNo() > from && r.lineNo() < to) {
                owner.frames(List.of(r.frame()));
                return;
            }
        }
    }

    private static void name(Evidence evidence, KernelEvent e, List<Task> dumped, List<RegisterDumps.RunningAt> running,
            long to, String prefix) {
        for (Task t : dumped) {
            if (t.pid() <= 0) {
                continue;
            }
            if (t.cpu() != null && !onReportedCpu(e, t.cpu())) {
                continue; // another CPU's backtrace (the detecting CPU's, or all-CPU backtrace on)
            }
            if (t.state() != TaskState.UNKNOWN && t.state() != TaskState.RUNNING) {
                continue; // a task the dump shows asleep (a hung-task or sysrq-w dump after the report) held no CPU
            }
            if (e.kind() == KernelEventKind.RCU_STALL && t.comm() != null && GP_KTHREADS.contains(t.comm())
                    && t.cpu() == null && !tasksFlavour(e)) {
                // (a task its CPU's own dump header names, "CPU: 6 PID: 1321 Comm: rcu_sched", ran there: the name,
                // which any local user sets, does not make it the kthread)
                continue; // "RCU grace-period kthread stack dump": the starved kthread is the stall's victim, not its cause
            }
            if (t.state() == TaskState.UNKNOWN) {
                t.state(TaskState.RUNNING);
            }
            giveStack(evidence, t, dumped);
            giveRunningFrame(t, running, lineOf(t.source(), prefix), to);
            evidence.replaceEvent(e, new KernelEvent(e.kind(), e.timestamp(), t.pid(), t.comm(), e.cpu(), e.fields(),
                    e.message(), e.source()));
            return;
        }
    }

    /**
     * An RCU-tasks stall ("INFO: rcu_tasks detected stalls on tasks:", kernel/rcu/tasks.h): every task it dumps is a
     * holdout the grace period waits for, never a grace-period kthread starved of its CPU.
     */
    private static boolean tasksFlavour(KernelEvent e) {
        String flavor = e.field("flavor");
        return flavor != null && flavor.startsWith("rcu_tasks");
    }

    /** True when the report names no CPU, or names this one (a stall's "cpus" list, a lockup's CPU). */
    private static boolean onReportedCpu(KernelEvent e, int cpu) {
        String list = e.field("cpus");
        if (list != null) {
            for (String c : list.split(",")) {
                if (c.equals(Integer.toString(cpu))) {
                    return true;
                }
            }
            return false;
        }
        return e.cpu() == null || e.cpu() == cpu;
    }

    /** The line number of a "file:line" source of this file, or -1. */
    private static long lineOf(String where, String prefix) {
        if (where == null || !where.startsWith(prefix) || where.length() == prefix.length()) {
            return -1;
        }
        long v = 0;
        for (int i = prefix.length(); i < where.length(); i++) {
            char c = where.charAt(i);
            if (c < '0' || c > '9' || i - prefix.length() > 12) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
