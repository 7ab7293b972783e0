package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.SpinLocks;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CPU that an NMI backtrace caught spinning on a lock, pasted without the report that asked for the backtrace. Only
 * a detector or an operator asks: the RCU stall warning (rcu_dump_cpu_stacks, for every CPU holding the grace period
 * up), the hard lockup detector (the buddy detector's locked CPU since 6.6, every CPU with
 * kernel.hardlockup_all_cpu_backtrace), the soft lockup and hung task detectors with their all-CPU backtrace sysctls,
 * SysRq-l. The CPU runs lib/nmi_backtrace.c's nmi_cpu_backtrace from the NMI (or IPI) handler: on x86
 * nmi_cpu_backtrace_handler (arch/x86/kernel/apic/hw_nmi.c; arch_trigger_all_cpu_backtrace_handler up to 4.8, which
 * before 4.5 printed the stack itself), on arm and arm64 ipi_cpu_backtrace, on powerpc handle_backtrace_ipi; the
 * frames under the handler's are the code it interrupted.
 *
 * <p>After the file: when no lockup, RCU stall or oops report (nor a SysRq-l request) is in it, each stack that runs
 * through those frames and, outside them (the interrupted code), through a spin lock's or rwlock's slow path is that
 * CPU's task, running; it gets a {@link KernelEventKind#NMI_BACKTRACE} event naming it and the lock function. A spin
 * frame inside the handler is the backtrace's own print lock, not what the CPU was doing. Where the unwinder printed
 * no handler frame (x86 from 4.x to 6.2 starts at the interrupted code), the "NMI backtrace for cpu N" line above the
 * dump says the same, and a spin frame anywhere in the stack under it counts.
 *
 * <p>A backtrace below a hung-task report makes none: kernel/hung_task.c asked for it (hung_task_all_cpu_backtrace, or
 * before a hung_task_panic) after reporting its blocked tasks, "Comm: khungtaskd" then "Sending NMI from CPU N to CPUs
 * M:" and each other CPU's dump. A CPU caught there at one instant in a spin lock's slow path was only running when
 * asked; nothing says it stayed there. The blocked task is the report; only a watchdog's line (soft or hard lockup,
 * RCU stall, which return above) says a CPU is stuck.
 */
final class NmiBacktraces {
    /** The frames of the CPU answering a backtrace request (the generic one first). */
    private static final Set<String> BACKTRACE = Set.of("nmi_cpu_backtrace", "nmi_cpu_backtrace_handler",
            "arch_trigger_all_cpu_backtrace_handler", "ipi_cpu_backtrace", "handle_backtrace_ipi");
    /** Reports that ask for the backtraces themselves: their own rules read the stacks. */
    private static final List<KernelEventKind> REPORTS = List.of(KernelEventKind.SOFT_LOCKUP,
            KernelEventKind.HARD_LOCKUP, KernelEventKind.RCU_STALL, KernelEventKind.OOPS);

    /** A backtrace's header is at most this far above its stack (the CPU, registers and code lines between). */
    private static final int WINDOW = 48;

    private NmiBacktraces() {
    }

    /**
     * After the file: see the class comment. {@code headers}: the lines of the file's "NMI backtrace for cpu N" lines;
     * a stack within a dump's length below one is that CPU's even when its unwinder printed no NMI frame (x86 from
     * 4.x to 6.2 starts at the interrupted code), and then a spin frame anywhere in it counts.
     */
    static void attribute(Evidence evidence, String source, List<Long> headers) {
        for (KernelEventKind k : REPORTS) {
            if (!evidence.events(k).isEmpty()) {
                return;
            }
        }
        for (KernelEvent e : evidence.events(KernelEventKind.SYSRQ)) {
            String what = e.field("what");
            if (what != null && what.toLowerCase(java.util.Locale.ROOT).contains("backtrace")) {
                return; // SysRq-l: an operator asked, no detector; what hung is not told by the dumps
            }
        }
        String prefix = source + ":";
        List<Task> tasks = new java.util.ArrayList<>(evidence.tasks());
        tasks.sort(java.util.Comparator.comparingLong(t -> RegisterDumps.lineOf(t.source(), prefix)));
        java.util.Set<Long> told = new java.util.HashSet<>();
        long hungTask = RegisterDumps.firstHungTask(evidence, prefix);
        for (Task t : tasks) {
            if (hungTask >= 0 && RegisterDumps.lineOf(t.source(), prefix) > hungTask) {
                continue; // the hung-task detector's all-CPU backtrace: context of the blocked tasks above it
            }
            if (t.pid() == 0 || t.state() != TaskState.UNKNOWN && t.state() != TaskState.RUNNING) {
                continue; // the idle task spins on no lock; a task the dump shows asleep held no CPU
            }
            String spin = spinUnderBacktrace(t.frames());
            long header = header(RegisterDumps.lineOf(t.source(), prefix), headers);
            if (spin == null && header >= 0 && !told.contains(header)) {
                // one CPU a header: its stack, or the task the register dump's pc line gave when the stack was named
                spin = spinIn(t.frames(), 0);
                if (spin != null) {
                    told.add(header);
                }
            }
            if (spin == null) {
                continue;
            }
            t.state(TaskState.RUNNING);
            evidence.addEvent(new KernelEvent(KernelEventKind.NMI_BACKTRACE, null, t.pid(), null, null,
                    Map.of("lock", spin), "NMI backtrace of a CPU spinning in " + spin, t.source()));
        }
    }

    /** The nearest backtrace header within a dump's length above line {@code at}, or -1. */
    private static long header(long at, List<Long> headers) {
        long nearest = -1;
        for (long h : headers) {
            if (at > h && at - h <= WINDOW) {
                nearest = h;
            }
        }
        return nearest;
    }

    /** The lock function the stack spins in outside (below) its backtrace frames, or null. */
    static String spinUnderBacktrace(List<Frame> frames) {
        int backtrace = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (BACKTRACE.contains(Frame.baseName(frames.get(i).function()))) {
                backtrace = i;
            }
        }
        return backtrace < 0 ? null : spinIn(frames, backtrace + 1);
    }

    /** The first lock function from frame {@code from} on, or null. */
    private static String spinIn(List<Frame> frames, int from) {
        for (int i = from; i < frames.size(); i++) {
            String fn = Frame.baseName(frames.get(i).function());
            if (SpinLocks.spinsIn(fn)) {
                return fn;
            }
        }
        return null;
    }

}
