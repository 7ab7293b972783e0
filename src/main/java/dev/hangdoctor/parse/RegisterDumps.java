package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CPU's registers printed with no report above them: what a soft lockup or an NMI backtrace prints under its header
 * when the paste cut that header off (or a console showed only the dump, over and over). The full register dump is
 * x86's __show_regs (arch/x86/kernel/process_64.c: "RIP: %04x:%pS", then RSP/RAX..R15, "FS: ... GS: ...", "CS: ...
 * CR0: ...", "CR2: %016lx CR3: %016lx CR4: %016lx"; process_32.c prints "CR0: ... CR2: ... CR3: ... CR4: ...") and
 * arm64's (arch/arm64/kernel/process.c: "pc : %pS", "lr : %pS", "sp : %016llx", "x29: ..."; "PC is at %pS" before
 * 4.16, and on arm32). The CR2..CR4 line is printed only for a full dump (the user registers printed at the bottom of a
 * 5.x stack stop before it), a kernel "pc : fn+0x../0x.." only for a CPU in the kernel.
 *
 * <p>After the file: when no report header is in it (no lockup, RCU stall or oops, no WARNING or BUG line), the first
 * stack of nobody that follows a dump and never went to sleep is that CPU's task, running; a dump with no stack after it
 * gives a task of its own from its pc. Each gets a {@link KernelEventKind#CPU_REGISTERS} event naming it. Every
 * register line naming a running function (RIP, pc, NIP, "EIP is at", riscv's epc, s390's Krnl PSW) is kept for the
 * lockup whose Call Trace a paste cut off ({@link LockupTasks}). Its lines stay the other sinks' too.
 */
final class RegisterDumps implements LineSink {
    /** Register lines and the stack under them: a dump's first line is at most this far above its stack. */
    private static final int WINDOW = 48;
    /** Dumps remembered (a console repeating one dump "endlessly" tells nothing new after a few). */
    private static final int MAX_DUMPS = 4;
    /** Frames of a task that went to sleep: a CPU caught running is in none of them. */
    private static final List<String> SLEEPS = List.of("__schedule", "schedule", "io_schedule", "context_switch",
            "__switch_to", "__switch_to_asm", "schedule_timeout", "schedule_preempt_disabled", "preempt_schedule",
            "preempt_schedule_common", "schedule_hrtimeout_range");

    private record Dump(long lineNo, Double timestamp, String message, Frame pc) {
    }

    /** A register line's running function and its line: "RIP: 0010:fn+..", "pc : fn+..", "NIP [..] fn+..". */
    record RunningAt(long lineNo, Frame frame) {
    }

    /** Running functions remembered (a lockup report's RIP line; a console of repeated dumps tells nothing more). */
    private static final int MAX_PCS = 256;

    private final List<Dump> dumps = new ArrayList<>();
    /**
     * Kernel RIP lines with no CR line of a full dump under them: a paste that kept of a CPU's dump only the RIP line
     * and the trace (a SysRq-l or NMI backtrace trimmed by hand). One is a dump only when a stack of nobody starts on
     * the very next line: an exception's RIP line inside a stack has frames above it and registers below.
     */
    private final List<Dump> bare = new ArrayList<>();
    private final List<RunningAt> pcs = new ArrayList<>();
    /** The lines of "NMI backtrace for cpu N" headers (lib/nmi_backtrace.c; arm's "IPI backtrace" before 4.4). */
    private final List<Long> backtraces = new ArrayList<>();
    /** A report header the dump belongs to was seen: the dump is its body, read by its own rules. */
    private boolean header;
    /** The function of the last x86 kernel RIP line, for the CR line of its dump. */
    private Frame pc;
    private long pcLine;

    @Override
    public boolean accept(LogLine line) {
        String m = line.message();
        if (m.startsWith("WARNING: ") || m.startsWith("BUG: ") || m.startsWith("------------[ cut here ]")) {
            header = true;
            return false;
        }
        if ((m.startsWith("NMI backtrace for cpu ") || m.startsWith("IPI backtrace for cpu "))
                && !m.contains(" skipped") && backtraces.size() < MAX_DUMPS * 4) {
            backtraces.add(line.lineNo()); // "... skipped: idling at ...": an idle CPU prints no stack
            return false;
        }
        if (m.startsWith("RIP: ") && m.length() > 10 && m.charAt(9) == ':') {
            // x86 prints the RIP line alone too (an exception's registers inside a stack): only a full dump's CR line
            // below it makes a dump. The code segment before the colon is 0010 on a native kernel, e030 on a Xen PV
            // guest's; a user-space RIP ("0033:0x7f..") names no function
            Frame f = function(m, 10);
            if (m.startsWith("0010", 5)) {
                pc = f;
                pcLine = line.lineNo();
                if (f != null && bare.size() < MAX_DUMPS) {
                    bare.add(new Dump(line.lineNo(), line.timestamp(), m, f));
                }
            }
            return running(line.lineNo(), f);
        }
        if (m.startsWith("pc : ") || m.startsWith("PC is at ")) {
            // arm's __show_regs prints the pc line only in a full dump
            Frame f = function(m, m.startsWith("pc") ? 5 : 9);
            if (f != null && dumps.size() < MAX_DUMPS) {
                dumps.add(new Dump(line.lineNo(), line.timestamp(), m, f));
            }
            return running(line.lineNo(), f);
        }
        if (m.startsWith("epc : ")) {
            // riscv __show_regs (arch/riscv/kernel/process.c): "epc : %pS" for a CPU in the kernel, then the raw
            // "epc : %016lx ra : ..." line, which names no function
            return running(line.lineNo(), function(m, 6));
        }
        if (m.startsWith("Krnl PSW : ")) {
            // s390 show_registers (arch/s390/kernel/dumpstack.c): "Krnl PSW : <mask> <addr> (%pSR)", the function in
            // parentheses; older kernels print a bare name with no offset, which names none here
            int open = m.indexOf('(');
            int close = m.lastIndexOf(')');
            return running(line.lineNo(), open > 0 && close > open ? function(m.substring(open + 1, close), 0) : null);
        }
        if (m.startsWith("NIP [") || m.startsWith("EIP is at ")) {
            // powerpc's "NIP [c0006fcc] __delay+0xc/0x14" and i386's "EIP is at fn+0x8/0x14" (before 2.6.25)
            return running(line.lineNo(), function(m, m.charAt(0) == 'N' ? 4 : 10));
        }
        // "CR2: .. CR3: .. CR4: .." (64-bit), "CR0: .. CR2: .. CR3: .. CR4: .." (32-bit); a mailer's wrap may have cut
        // the line before its CR4 (the lone "CR2: .." line an oops ends with names no other register); a wrap after
        // "CR3:" joins its value without the space ("CR3:0000000001a0b000")
        if ((m.startsWith("CR2: ") && m.contains(" CR3:") || m.startsWith("CR0: ") && m.contains(" CR2:"))
                && dumps.size() < MAX_DUMPS) {
            Frame f = pc != null && line.lineNo() - pcLine < WINDOW / 2 ? pc : null;
            dumps.add(new Dump(f != null ? pcLine : line.lineNo(), line.timestamp(), m, f));
            if (f != null) {
                bare.removeIf(d -> d.lineNo() == pcLine); // the RIP line of this full dump
            }
            pc = null;
        }
        return false;
    }

    /** Remembers where a register line says the CPU ran; true (the line is understood) when it names a function. */
    private boolean running(long lineNo, Frame f) {
        if (f != null && pcs.size() < MAX_PCS) {
            pcs.add(new RunningAt(lineNo, f));
        }
        return f != null;
    }

    /** The functions register lines name as running, in line order (for the lockup whose stack a paste cut off). */
    List<RunningAt> runningAt() {
        return pcs;
    }

    /** "fn+0x22/0x35" (a module after it allowed) from {@code from} on, past "[<addr>]" / "[addr]" marks; null for an address. */
    private static Frame function(String m, int from) {
        String rest = m.substring(from).strip();
        while (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return null;
            }
            rest = rest.substring(close + 1).strip();
        }
        int plus = rest.indexOf("+0x");
        if (plus <= 0) {
            return null;
        }
        String fn = rest.substring(0, plus);
        for (int k = 0; k < fn.length(); k++) {
            char c = fn.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
                return null;
            }
        }
        int sp = rest.indexOf(' ', plus);
        String location = sp < 0 ? rest.substring(plus) : rest.substring(plus, sp);
        String module = null;
        int open = rest.indexOf('[', plus);
        int close = open < 0 ? -1 : rest.indexOf(']', open);
        if (close > open + 1) {
            module = rest.substring(open + 1, close);
        }
        return new Frame(fn, location, module, false, StackContext.TASK);
    }

    @Override
    public void finish() {
    }

    @Override
    public boolean idle() {
        return true;
    }

    @Override
    public void describe(LineScreen.Builder screen) {
        screen.prefix("NMI backtrace for cpu ").prefix("IPI backtrace for cpu ").prefix("RIP: ").prefix("NIP [")
                .prefix("epc : ").prefix("Krnl PSW : ")
                .prefix("EIP is at ").prefix("pc : ").prefix("PC is at ").prefix("CR2: ").prefix("CR0: ")
                .prefix("WARNING: ").prefix("BUG: ").prefix("------------[ cut here ]");
    }

    /** The line numbers of the NMI (or IPI) backtrace headers read, in order. */
    List<Long> backtraceLines() {
        return backtraces;
    }

    /** After the file: see the class comment. */
    void attribute(Evidence evidence, String source) {
        if ((dumps.isEmpty() && bare.isEmpty()) || header) {
            return;
        }
        for (KernelEventKind k : List.of(KernelEventKind.SOFT_LOCKUP, KernelEventKind.HARD_LOCKUP,
                KernelEventKind.RCU_STALL, KernelEventKind.OOPS)) {
            if (!evidence.events(k).isEmpty()) {
                return;
            }
        }
        String prefix = source + ":";
        List<Dump> all = new ArrayList<>(dumps);
        for (Dump d : bare) {
            if (evidence.tasks().stream().anyMatch(t -> t.pid() < 0 && follows(lineOf(t.source(), prefix), d.lineNo(), 1))) {
                all.add(d);
            }
        }
        List<Task> taken = new ArrayList<>();
        long hungTask = firstHungTask(evidence, prefix);
        for (Dump d : all) {
            if (askedByHungTaskDetector(d.lineNo(), hungTask)) {
                continue; // khungtaskd's all-CPU backtrace: context of the hung-task report above it, no lockup
            }
            Task cpu = null;
            long best = Long.MAX_VALUE;
            for (Task t : evidence.tasks()) {
                long at = lineOf(t.source(), prefix);
                // on the dump's own line a stack is told only by its frames (a task line's record may come first)
                if (t.pid() < 0 && follows(at, d.lineNo(), WINDOW) && at < best && !taken.contains(t)
                        && (at > d.lineNo() || !t.frames().isEmpty())) {
                    cpu = t;
                    best = at;
                }
            }
            if (cpu != null && (cpu.frames().isEmpty() || sleeps(cpu) || cpu.state() != TaskState.UNKNOWN
                    && cpu.state() != TaskState.RUNNING)) {
                continue; // the stack under the dump went to sleep: not a CPU caught running
            }
            if (cpu == null) {
                if (d.pc() == null) {
                    continue;
                }
                cpu = evidence.addTask(new Task(evidence.anonymousPid()).frames(List.of(d.pc()))
                        .source(prefix + d.lineNo()));
            } else if (d.pc() != null && !cpu.frames().get(0).function().equals(d.pc().function())) {
                List<Frame> frames = new ArrayList<>(cpu.frames().size() + 1);
                frames.add(d.pc());
                frames.addAll(cpu.frames());
                cpu.frames(frames);
            }
            cpu.state(TaskState.RUNNING);
            taken.add(cpu);
            evidence.addEvent(new KernelEvent(KernelEventKind.CPU_REGISTERS, d.timestamp(), cpu.pid(), null, null,
                    d.pc() == null ? Map.of() : Map.of("pc", d.pc().function()), d.message(), prefix + d.lineNo()));
        }
    }

    /** The line of the file's first hung-task report, or -1. */
    static long firstHungTask(Evidence evidence, String prefix) {
        long first = -1;
        for (KernelEvent e : evidence.events(KernelEventKind.HUNG_TASK)) {
            long at = lineOf(e.source(), prefix);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /**
     * Whether the dump on line {@code dump} is a CPU's answer to the hung-task detector's all-CPU backtrace: it sits
     * under an "NMI backtrace for cpu N" header below a hung-task report. kernel/hung_task.c (5.10+, with
     * kernel.hung_task_all_cpu_backtrace, and before a hung_task_panic) reports each blocked task ("INFO: task ..
     * blocked for more than N seconds." and its stack), then the locks held, then calls trigger_all_cpu_backtrace():
     * khungtaskd's own CPU first ("Comm: khungtaskd", nmi_trigger_cpumask_backtrace <- watchdog), then "Sending NMI
     * from CPU N to CPUs M:" and each other CPU's registers and stack. A busy CPU there was only running when asked.
     */
    private boolean askedByHungTaskDetector(long dump, long hungTask) {
        if (hungTask < 0) {
            return false;
        }
        for (long h : backtraces) {
            if (h > hungTask && dump >= h && dump - h <= WINDOW) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a stack starting on line {@code at} may be the one under a dump on line {@code dump}: on one of the
     * {@code within} lines below it, or on the dump's own line: only a page that lost its line breaks puts a stack's
     * start on a register line (the records split off one line share its number).
     */
    private static boolean follows(long at, long dump, int within) {
        return at >= dump && at - dump <= within;
    }

    private static boolean sleeps(Task t) {
        for (Frame f : t.frames()) {
            String fn = f.function();
            int dot = fn.indexOf('.');
            if (SLEEPS.contains(dot > 0 ? fn.substring(0, dot) : fn)) {
                return true;
            }
        }
        return false;
    }

    /** The line number of a "file:line" source of this file, or -1. */
    static long lineOf(String where, String prefix) {
        if (where == null || !where.startsWith(prefix) || where.length() == prefix.length()) {
            return -1;
        }
        try {
            return Long.parseLong(where.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
