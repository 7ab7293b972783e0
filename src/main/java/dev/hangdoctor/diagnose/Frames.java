package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.RcuStallDetector;

import java.util.List;
import java.util.Set;

/** Helpers over frame lists: which frames are scheduler plumbing, and finding call sequences in a stack. */
public final class Frames {
    /** Frames every sleeping task has; they say nothing about why it sleeps (SysOM drops the same ones). */
    private static final Set<String> GENERIC = Set.of(
            "__schedule", "schedule", "schedule_timeout", "io_schedule", "io_schedule_timeout",
            "schedule_preempt_disabled", "__switch_to", "__switch_to_asm", "ret_from_fork", "ret_from_fork_asm",
            "preempt_schedule_common", "_cond_resched", "__cond_resched", "bit_wait", "bit_wait_io",
            "__wait_on_bit", "out_of_line_wait_on_bit", "prepare_to_wait_event", "finish_wait",
            "schedule_hrtimeout_range", "schedule_hrtimeout_range_clock", "0xffffffffffffffff",
            "yield", "sys_sched_yield", "do_sched_yield", "__x64_sys_sched_yield",
            // 6.x's inlined scheduler steps, which symbolized stacks (syzbot's "[inline]" lines) print as frames
            "__schedule_loop", "context_switch");
    /**
     * The printer's own frames at the top of a stack a report dumps of its current task (lib/dump_stack.c, the OOM
     * report's dump_header in mm/oom_kill.c): like the scheduler's, they say nothing about what the task was doing.
     */
    private static final Set<String> DUMPER = Set.of("dump_stack", "dump_stack_lvl", "dump_header");

    private Frames() {
    }

    public static boolean isGeneric(String function) {
        return GENERIC.contains(function) || function.startsWith("0x");
    }

    /**
     * The frames a stack offers as evidence: as printed when the unwinder vouched for any frame beyond the scheduler's
     * own (or the dump printer's), otherwise every frame counted as reliable. Kernels without frame pointers (or an
     * unwinder that lost its way) print a whole stack as "? fn": those frames are then the only account of where the
     * task sleeps; so are the "? fn" entries under an OOM report's dump_stack/dump_header when the paste ends there.
     */
    public static List<Frame> evidence(List<Frame> frames) {
        boolean unreliable = false;
        for (Frame f : frames) {
            if (!f.unreliable() && !isGeneric(f.function()) && !isDumper(f.function())) {
                return frames;
            }
            unreliable |= f.unreliable();
        }
        if (!unreliable) {
            return frames;
        }
        List<Frame> all = new java.util.ArrayList<>(frames.size());
        for (Frame f : frames) {
            all.add(f.unreliable() ? f.reliable() : f);
        }
        return all;
    }

    private static boolean isDumper(String function) {
        for (String d : DUMPER) {
            if (sameFunction(function, d)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a blocker is, in words: like {@link #significantTop}, past the frames that only print the stack or panic
     * (a lockup's or a crash's report names "show_stack", "dump_backtrace" or "__crash_kexec" first, and the loop
     * that held the CPU below them), when anything is left below them. A stack of only "?" frames is read by the same
     * rules ({@link #evidence}); in one, a frame that runs an eBPF program ({@link #bpfRunner}) is where the CPU was.
     */
    public static String whereRunning(List<Frame> frames) {
        List<Frame> read = evidence(frames);
        if (read != frames) {
            String bpf = bpfRunner(read);
            if (bpf != null) {
                return bpf;
            }
        }
        frames = read;
        // past the printers and the detector's timer interrupt
        boolean printed = false;
        String timer = null;
        for (Frame f : frames) {
            if (f.unreliable() || isGeneric(f.function())) {
                continue;
            }
            if (isReporter(f.function())) {
                printed = true;
            } else if (isTimer(f.function())) {
                timer = timer == null ? f.function() : timer;
            } else {
                return f.function();
            }
        }
        // a report's dump cut before the code its interrupt stopped says nothing about where the CPU ran; an
        // interrupt's frames alone, with no printer above them, are where it was (an interrupt storm)
        if (printed) {
            return "?";
        }
        if (timer != null) {
            return timer;
        }
        // a running task dumped from another CPU (sched_show_task of a task not current there) shows only the stale
        // context switch it last made: no place it runs now
        String top = significantTop(frames);
        return SWITCH.contains(Frame.baseName(top)) || top.startsWith("0x") ? "?" : top;
    }

    /**
     * The frame that runs an eBPF program, in a stack the unwinder could not vouch for, or null. A JIT-compiled
     * program has no unwind data (x86's ORC unwinder before it fell back to frame pointers for generated code, 5.x),
     * so a CPU stopped inside one, or in a helper it called, leaves every frame of the dump a "?" scan of the stack:
     * the runner that called the program (a tracepoint's bpf_trace_runN, kernel/trace/bpf_trace.c; trace_call_bpf for
     * kprobes; the interpreter's __bpf_prog_run) or the program's own symbol (bpf_prog_TAG_NAME) is then the place
     * that stands out of the leftovers above it.
     */
    private static String bpfRunner(List<Frame> frames) {
        for (Frame f : frames) {
            String base = Frame.baseName(f.function());
            if (base.equals("trace_call_bpf") || base.startsWith("__bpf_prog_run") || base.equals("___bpf_prog_run")
                    || isNumbered(base, "bpf_trace_run") || BPF_PROG_SYMBOL.matcher(base).matches()) {
                return f.function();
            }
        }
        return null;
    }

    /** The JIT's symbol of a program, "bpf_prog_" and the program's 16-digit tag (kernel/bpf/core.c). */
    private static final java.util.regex.Pattern BPF_PROG_SYMBOL = java.util.regex.Pattern.compile(
            "bpf_prog_[0-9a-f]{16}(_\\w*)?");

    private static boolean isNumbered(String function, String prefix) {
        if (!function.startsWith(prefix) || function.length() == prefix.length()) {
            return false;
        }
        for (int i = prefix.length(); i < function.length(); i++) {
            if (!Character.isDigit(function.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The context switch's own frames, the saved top of a task that is not running where its stack is read. */
    private static final Set<String> SWITCH = Set.of("__switch_to", "__switch_to_asm", "cpu_switch_to");

    private static boolean isTimer(String function) {
        String base = Frame.baseName(function);
        // the clock event drivers' handlers are per board ("armada_370_xp_timer_interrupt", "arch_timer_handler_phys",
        // Hyper-V's "hv_stimer0_isr"); the vector entries of x86 are one per vector ("asm_sysvec_irq_work")
        return TIMER.contains(base) || IRQ_ENTRY.contains(base) || RcuStallDetector.checks(base)
                || RcuStallDetector.prints(base) || base.endsWith("_timer_interrupt")
                || base.startsWith("arch_timer_handler_") || base.startsWith("hv_stimer0_")
                || base.startsWith("asm_sysvec_") || base.startsWith("sysvec_") || base.startsWith("__sysvec_");
    }

    /**
     * The way from an interrupt's entry to its handler, per architecture: what lies between the interrupted code and
     * the handler (a timer's, a stall or lockup detector's) in a stack printed from inside it. The interrupted code is
     * below the last of them.
     */
    private static final Set<String> IRQ_ENTRY = Set.of(
            // kernel/irq flow handlers and domain dispatch
            "handle_irq_event", "handle_irq_event_percpu", "__handle_irq_event_percpu", "handle_edge_irq",
            "handle_level_irq", "handle_fasteoi_irq", "handle_percpu_irq", "generic_handle_arch_irq",
            // arm64 (arch/arm64/kernel/entry.S and entry-common.c since 5.13, el1_irq/el0_irq before)
            "__el1_irq", "el1h_64_fiq", "el1h_64_fiq_handler", "el0_irq", "el0t_64_irq", "el0t_64_irq_handler",
            "el0_interrupt", "__el0_irq_handler_common", "el0t_64_fiq", "el0t_64_fiq_handler",
            // 32-bit arm (arch/arm/kernel/entry-armv.S, irq.c)
            "__irq_usr", "handle_IRQ",
            // x86 (arch/x86/entry, kernel/irq.c): device vectors and the 5.8+ irq-stack switch
            "common_interrupt", "__common_interrupt", "asm_common_interrupt", "ret_from_intr", "asm_call_irq_on_stack",
            "asm_call_on_stack", "do_IRQ",
            // riscv and loongarch (arch/*/kernel/irq.c, traps.c, entry.S: the exception entry and its return)
            "handle_riscv_irq", "riscv_intc_irq", "handle_loongarch_irq", "do_vint", "do_irq", "handle_exception",
            "ret_from_exception",
            // powerpc (arch/powerpc/kernel/exceptions-64s.S, irq.c): the decrementer's and external interrupts' entries
            "decrementer_common", "decrementer_common_virt", "hardware_interrupt_common",
            "hardware_interrupt_common_virt", "__do_irq",
            // s390 (arch/s390/kernel/entry.S, irq.c): external and I/O interrupts
            "ext_int_handler", "io_int_handler", "do_ext_irq", "do_io_irq", "do_irq_async");

    /**
     * Where a sleeping task waits, in words: {@link #significantTop} below its sleep. Kernels before 2.6.24 printed
     * the stale words of a sleeping task's stack as frames without "?" ("tasklet_action" above "io_schedule"):
     * nothing a sleeping task runs lies above its sleep, so a frame there is such a leftover. (A running task's
     * frames above the scheduler are its own: a CPU spinning on a run queue's lock inside __schedule.)
     */
    public static String whereSleeping(List<Frame> frames) {
        frames = evidence(frames);
        int from = belowSleep(frames);
        for (int i = from; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (!f.unreliable() && !isGeneric(f.function())) {
                return f.function();
            }
        }
        return significantTop(frames);
    }

    /**
     * The timer interrupt (or NMI) a lockup or stall detector runs in (kernel/softlockup.c's softlockup_tick before 2.6.36,
     * watchdog_timer_fn since, the RCU stall check): kernels without the {@code <IRQ>} marks print it as the top of the
     * interrupted task's own stack, above the loop that held the CPU.
     */
    private static final Set<String> TIMER = Set.of("softlockup_tick", "watchdog_timer_fn", "update_process_times",
            "tick_sched_handle", "tick_sched_timer", "tick_periodic", "tick_handle_periodic", "__hrtimer_run_queues",
            "hrtimer_interrupt", "local_apic_timer_interrupt", "smp_apic_timer_interrupt", "apic_timer_interrupt",
            "__sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt", "asm_sysvec_apic_timer_interrupt",
            "run_local_timers", "timer_interrupt", "__run_hrtimer", "hrtimer_run_queues",
            // the ARM SMP local timer (arch/arm/kernel/smp_twd.c)
            "twd_handler",
            // the interrupt's way in on arm and arm64 (kernel/irq, drivers/irqchip, arch entry code)
            "handle_percpu_devid_irq", "generic_handle_irq", "generic_handle_domain_irq", "handle_domain_irq",
            "__handle_domain_irq", "handle_irq_desc", "gic_handle_irq", "__irq_svc", "asm_do_IRQ", "el1_irq",
            "el1_interrupt", "el1h_64_irq_handler", "el1h_64_irq", "call_on_irq_stack", "do_interrupt_handler",
            // the backtrace the RCU stall detector asks for (its own path from the tick: RcuStallDetector)
            "nmi_trigger_cpumask_backtrace", "arch_trigger_cpumask_backtrace", "trigger_single_cpu_backtrace",
            // the hard-lockup detector's perf NMI (kernel/watchdog.c, watchdog_hld.c since 4.13) and the PMU
            // interrupt's way to it (kernel/events/core.c, arch/x86/events, drivers/perf on arm64)
            "watchdog_overflow_callback", "__perf_event_overflow", "perf_event_overflow", "perf_event_nmi_handler",
            "intel_pmu_handle_irq", "handle_pmi_common", "x86_pmu_handle_irq", "amd_pmu_handle_irq",
            "x86_perf_event_set_period", "perf_event_update_userpage",
            "armv8pmu_handle_irq", "armpmu_dispatch_irq");

    /**
     * Besides {@link #DUMPER}: the architectures' show_stack/dump_backtrace, the NMI (or IPI) backtrace handler that
     * printed the stack (lib/nmi_backtrace.c, its x86/arm/powerpc callers), and the panic and kdump path.
     */
    private static final Set<String> REPORTERS = Set.of("nmi_cpu_backtrace", "nmi_cpu_backtrace_handler",
            "arch_trigger_all_cpu_backtrace_handler", "ipi_cpu_backtrace", "handle_backtrace_ipi", "nmi_handle",
            "default_do_nmi", "exc_nmi", "do_nmi", "end_repeat_nmi", "show_stack", "dump_backtrace", "unwind_backtrace",
            // ARC's unwinder (arch/arc/kernel/stacktrace.c), which its show_stack calls (corpus ze-012), and the
            // unwinder of riscv, arm and older arm64 (arch/*/kernel/stacktrace.c: walk_stackframe, corpus zg-022)
            "arc_unwind_core", "walk_stackframe", "show_regs", "__show_regs", "show_trace_log_lvl", "panic", "nmi_panic", "vpanic",
            // a WARNING's printer (kernel/panic.c), which the hard-lockup detector of 3.x-4.x calls
            "__warn", "warn_slowpath_common", "warn_slowpath_fmt", "warn_slowpath_null",
            "__crash_kexec", "crash_kexec", "machine_kexec", "machine_crash_shutdown",
            // kdump stopping the other CPUs (arch/x86/kernel/crash.c): what runs below it is the CPU's own work
            "crash_nmi_callback",
            // kernel/sched/core.c: the task dump the RCU stall warning and the CSD-lock debugging print of a CPU's task
            "sched_show_task", "dump_cpu_task");

    private static boolean isReporter(String function) {
        if (isDumper(function)) {
            return true;
        }
        for (String r : REPORTERS) {
            if (sameFunction(function, r)) {
                return true;
            }
        }
        return false;
    }

    /** The index after the innermost reliable sleep call ({@link #SLEEPS}), or 0 when the stack has none. */
    private static int belowSleep(List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (!f.unreliable() && SLEEPS.contains(Frame.baseName(f.function()))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The calls a task sleeps in: nothing the task itself runs lies above them in its stack. */
    private static final Set<String> SLEEPS = Set.of("__schedule", "schedule", "io_schedule", "schedule_timeout",
            "io_schedule_timeout");

    /** The innermost frame that is not generic, or "?" for an empty stack. */
    public static String significantTop(List<Frame> frames) {
        for (Frame f : frames) {
            if (!f.unreliable() && !isGeneric(f.function())) {
                return f.function();
            }
        }
        return frames.isEmpty() ? "?" : frames.get(0).function();
    }

    /**
     * True when {@code sequence} appears in {@code frames} in order (innermost first), not necessarily adjacent;
     * unreliable ("?") frames are ignored. Names match exactly or up to a compiler suffix (".isra.62", ".constprop.0").
     */
    public static boolean containsInOrder(List<Frame> frames, List<String> sequence) {
        int want = 0;
        for (Frame f : frames) {
            if (want == sequence.size()) {
                break;
            }
            if (f.unreliable()) {
                continue;
            }
            if (sameFunction(f.function(), sequence.get(want))) {
                want++;
            }
        }
        return want == sequence.size();
    }

    /** Index of the first reliable frame with this function, or -1. */
    public static int indexOf(List<Frame> frames, String function) {
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            if (!f.unreliable() && sameFunction(f.function(), function)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * "do_shared_fault.isra.62" is "do_shared_fault"; a system call's entry is the same function under every name
     * kernels and architectures give it ({@link #syscallName}).
     */
    public static boolean sameFunction(String actual, String wanted) {
        if (actual.equals(wanted)) {
            return true;
        }
        if (actual.length() > wanted.length() && actual.startsWith(wanted) && actual.charAt(wanted.length()) == '.') {
            return true;
        }
        return maySyscall(actual) && maySyscall(wanted)
                && syscallName(Frame.baseName(actual)).equals(syscallName(Frame.baseName(wanted)));
    }

    /**
     * The system call a syscall entry frame names, as "sys_NAME": the SYSCALL_DEFINE wrappers of 3.x/4.x
     * ("SyS_mprotect", "SYSC_mprotect"), of 4.17+ ("__se_sys_mprotect", "__do_sys_mprotect") and the architectures'
     * entry points ("__x64_sys_", "__ia32_sys_", "__arm64_sys_", "__s390x_sys_", "__s390_sys_", "__riscv_sys_",
     * "__powerpc_sys_"); any other name is returned as it is ("do_sys_open" is no wrapper).
     */
    public static String syscallName(String function) {
        for (String prefix : SYSCALL_WRAPPERS) {
            if (function.startsWith(prefix) && function.length() > prefix.length()) {
                return "sys_" + function.substring(prefix.length());
            }
        }
        return function;
    }

    private static final String[] SYSCALL_WRAPPERS = {"SyS_", "SYSC_", "__se_sys_", "__do_sys_", "__x64_sys_",
        "__ia32_sys_", "__arm64_sys_", "__s390x_sys_", "__s390_sys_", "__riscv_sys_", "__powerpc_sys_"};

    /** A quick look before {@link #syscallName}: every wrapper's name holds "sys_", "SyS_" or "SYSC_". */
    private static boolean maySyscall(String function) {
        return function.indexOf("sys_") >= 0 || function.startsWith("SyS_") || function.startsWith("SYSC_");
    }

}
