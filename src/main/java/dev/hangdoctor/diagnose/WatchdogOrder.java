package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts a cause before the watchdog message that only reports it. The RCU stall detector reports a CPU that a soft
 * or hard lockup already names; a lockup reports a task that a more specific finding explains (a charger looping at
 * its memory cgroup's limit, a FUSE writer spinning). So a finding comes first when it names the task (as blocker or
 * victim) or the CPU of a finding of a vaguer kind: RCU stall, then lockups, then everything else.
 */
final class WatchdogOrder {
    private WatchdogOrder() {
    }

    static List<Finding> order(List<Finding> findings, Evidence evidence) {
        List<Finding> out = new ArrayList<>(findings);
        if (out.size() < 2 || out.stream().noneMatch(f -> rank(f) < 2)) {
            return out;
        }
        // watchdog findings equally sure of themselves: the first message in the log is nearest the cause (the
        // others follow from it: a lockup holds a lock others spin on, and the stalls pile up behind it). Printed at
        // the same time, or with nothing to tell which came first (no timestamps, one joined line), a lockup goes
        // before an RCU stall: a CPU that does not schedule is what keeps RCU's grace period from ending
        for (int i = 1; i < out.size(); i++) {
            for (int j = i; j > 0 && rank(out.get(j)) < 2 && rank(out.get(j - 1)) < 2
                    && out.get(j).confidence() == out.get(j - 1).confidence()
                    && earlier(out.get(j), out.get(j - 1), evidence); j--) {
                out.add(j - 1, out.remove(j));
            }
        }
        // at most n moves per slot: each move puts a strictly more specific finding first
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                Finding cause = out.get(j);
                Finding report = out.get(i);
                if (explains(cause, report, evidence)) {
                    out.remove(j);
                    out.add(i, adopt(cause, report));
                    j = i;
                }
            }
        }
        return out;
    }

    /**
     * A finding that names no blocker but counts the watchdog's task among its victims: that task is not waiting,
     * it spins inside the finding's own wait (a charger looping in reclaim at its limit), so it is the blocker.
     */
    private static Finding adopt(Finding cause, Finding report) {
        TaskRef culprit = report.rootCause();
        if (cause.rootCause() != null || culprit == null
                || cause.victims().stream().noneMatch(v -> v.pid() == culprit.pid())) {
            return cause;
        }
        List<TaskRef> victims = cause.victims().stream().filter(v -> v.pid() != culprit.pid()).toList();
        return new Finding(cause.signature(), cause.category(), cause.title(), cause.confidence(), culprit,
                report.blocker(), cause.rootCauseResource(), victims, cause.chain(), cause.evidence(),
                cause.explanation(), cause.fix(), cause.remediation(), cause.actions());
    }

    /**
     * True when watchdog finding {@code a}'s first message comes before {@code b}'s: by timestamp when both have one,
     * else by line in the same file; when the evidence cannot tell (same time, same line, no position), a lockup
     * comes before an RCU stall, and so does a long soft lockup printed at the stall's moment, and a lockup that names
     * its task and began long after every warning of an RCU stall that names none (another episode, or another clock).
     */
    private static boolean earlier(Finding a, Finding b, Evidence evidence) {
        if (escalates(a, b, evidence)) {
            return true;
        }
        if (escalates(b, a, evidence)) {
            return false;
        }
        Seen sa = firstSeen(a, evidence);
        Seen sb = firstSeen(b, evidence);
        int c = sa.compareTo(sb);
        Seen lockup = rank(a) > rank(b) ? sa : sb;
        if (c != 0 && rank(a) != rank(b) && sa.together(sb) && lockup.lastedBeyondAnyStallTimeout()) {
            // a soft lockup printed inside the RCU stall's dump (or within one watchdog period of it) that had
            // lasted longer than a grace period may before its first stall warning: the CPU was stuck before the
            // stalled grace period began. A CPU looping in the kernel that long both holds up grace periods and
            // trips the lockup watchdog, and the lockup names the CPU's task: it goes first
            c = 0;
        }
        if (c != 0 && rank(a) != rank(b) && apart(rank(a) < rank(b) ? a : b, rank(a) > rank(b) ? a : b, lockup,
                evidence)) {
            // two episodes, not one: the lockup began long after the last stall warning (or on another machine's
            // clock, as a host's wall broadcast pasted under its guest's console). Which came first says nothing of
            // cause; the lockup names the task that kept its CPU, the stall names none, so the lockup leads
            c = 0;
        }
        return c < 0 || c == 0 && rank(a) > rank(b);
    }

    /**
     * True when an RCU stall that names no task and a lockup that names one are separate episodes, or cannot be put
     * on one clock. Separate: every stall warning was printed more than {@link Seen#REWARN_SECONDS} before the
     * lockup began (its message's time less the seconds it had been stuck); had the grace period still been stalled
     * when the lockup began, RCU would have warned again by then. No one clock: one message has a time since boot
     * and the other none (the kernel stamps all its records or none, so the two come from two logs or two tools: a
     * guest's wall-clock dmesg and its host's syslogd broadcast), and their order in the paste says nothing.
     */
    private static boolean apart(Finding stall, Finding lockup, Seen lockupSeen, Evidence evidence) {
        List<KernelEvent> stalls = evidence.events(KernelEventKind.RCU_STALL);
        if (stall.rootCause() != null || lockup.rootCause() == null || stalls.isEmpty()) {
            return false;
        }
        if (lockupSeen.timestamp() == null) {
            return stalls.stream().allMatch(e -> e.timestamp() != null);
        }
        double began = lockupSeen.timestamp() - (lockupSeen.seconds() == null ? 0 : lockupSeen.seconds());
        return stalls.stream().allMatch(e -> e.timestamp() == null || e.timestamp() < began - Seen.REWARN_SECONDS);
    }

    /** Where the log first printed a watchdog finding's message: its timestamp, file and line, each when known. */
    private record Seen(Double timestamp, String file, int line, Long seconds) implements Comparable<Seen> {
        static final Seen UNKNOWN = new Seen(null, null, -1, null);
        /**
         * The longest default time before the first RCU stall warning of a grace period (CONFIG_RCU_CPU_STALL_TIMEOUT:
         * 21 s upstream since 3.x, 60 s before and on some distributions).
         */
        static final long STALL_TIMEOUT_SECONDS = 60;
        /**
         * The longest wait before RCU warns again of a grace period still stalled: three stall timeouts after the
         * last warning (kernel/rcu/tree_stall.h sets the next check to jiffies + 3 * rcu_jiffies_till_stall_check()).
         */
        static final long REWARN_SECONDS = 3 * STALL_TIMEOUT_SECONDS;
        /**
         * Seconds within which two watchdog messages are one moment: the soft lockup watchdog samples every
         * watchdog_thresh * 2 / 5 seconds (4 s by default), so a lockup can be noticed that much after a stall.
         */
        static final double SAME_MOMENT_SECONDS = 4.0;
        /**
         * Lines within which, without timestamps, a message is printed inside another one's dump: an RCU stall's
         * header, its per-CPU lines and one CPU's backtrace (registers and call trace) take about this many.
         */
        static final int DUMP_LINES = 40;

        static Seen of(KernelEvent e) {
            String src = e.source();
            int colon = src == null ? -1 : src.lastIndexOf(':');
            int line = -1;
            if (colon > 0) {
                try {
                    line = Integer.parseInt(src.substring(colon + 1));
                } catch (NumberFormatException ignored) {
                    // a source without a line number
                }
            }
            Long seconds = null;
            try {
                seconds = e.field("seconds") == null ? null : Long.valueOf(e.field("seconds"));
            } catch (NumberFormatException ignored) {
                // a lockup whose duration was not printed as a number
            }
            return new Seen(e.timestamp(), line >= 0 ? src.substring(0, colon) : null, line, seconds);
        }

        /** Whether the lockup this message reports had lasted longer than any first RCU stall warning waits. */
        boolean lastedBeyondAnyStallTimeout() {
            return seconds != null && seconds > STALL_TIMEOUT_SECONDS;
        }

        /** Whether the two were printed at one moment: close in time, or (without times) within one dump. */
        boolean together(Seen o) {
            if (timestamp != null && o.timestamp != null) {
                return Math.abs(timestamp - o.timestamp) <= SAME_MOMENT_SECONDS;
            }
            return line >= 0 && o.line >= 0 && file.equals(o.file) && Math.abs(line - o.line) <= DUMP_LINES;
        }

        /** Negative when this one is surely first, 0 when the evidence cannot tell. */
        @Override
        public int compareTo(Seen o) {
            if (timestamp != null && o.timestamp != null) {
                return Double.compare(timestamp, o.timestamp);
            }
            if (line >= 0 && o.line >= 0 && file.equals(o.file)) {
                return Integer.compare(line, o.line);
            }
            return 0;
        }
    }

    /** When the log first printed this watchdog finding's message (its task's, when it names one). */
    private static Seen firstSeen(Finding f, Evidence evidence) {
        KernelEventKind kind = switch (f.category()) {
            case RCU_STALL -> KernelEventKind.RCU_STALL;
            case SOFT_LOCKUP -> KernelEventKind.SOFT_LOCKUP;
            default -> KernelEventKind.HARD_LOCKUP;
        };
        Seen first = Seen.UNKNOWN;
        for (KernelEvent e : evidence.events(kind)) {
            boolean mine = f.rootCause() == null || e.pid() == null || e.pid() == f.rootCause().pid();
            if (!mine) {
                continue;
            }
            Seen s = Seen.of(e);
            if (first == Seen.UNKNOWN || s.timestamp() != null && (first.timestamp() == null
                    || s.timestamp() < first.timestamp()) || first.timestamp() == null && s.timestamp() == null
                    && s.compareTo(first) < 0) {
                first = s;
            }
        }
        return first;
    }

    /**
     * True when hard lockup {@code a} is soft lockup {@code b} gone further on the same CPU: a CPU looping in the kernel
     * with interrupts on first trips the soft lockup watchdog; once it also stops taking interrupts (the loop took a
     * lock with them off, or the next stuck CPU waits on it that way) the NMI watchdog reports a hard lockup. The
     * worse state is the one the machine ended in, whichever line a paste put first. Same CPU: one CPU both name, or a
     * hard lockup that names none (a retyped or cut line).
     */
    private static boolean escalates(Finding a, Finding b, Evidence evidence) {
        if (a.category() != Category.HARD_LOCKUP || b.category() != Category.SOFT_LOCKUP) {
            return false;
        }
        Set<Integer> soft = new HashSet<>();
        for (KernelEvent e : evidence.events(KernelEventKind.SOFT_LOCKUP)) {
            boolean mine = b.rootCause() == null || e.pid() == null || e.pid() == b.rootCause().pid();
            if (mine && e.cpu() != null) {
                soft.add(e.cpu());
            }
        }
        List<KernelEvent> hard = evidence.events(KernelEventKind.HARD_LOCKUP);
        return !hard.isEmpty() && !soft.isEmpty()
                && hard.stream().allMatch(e -> e.cpu() == null || soft.contains(e.cpu()));
    }

    /**
     * True when every RCU stall report of the evidence names neither a CPU nor a task (a header whose per-CPU lines
     * were cut or retyped as "..."): a lockup, which names its CPU, says more of the same stall.
     */
    private static boolean stallNamesNothing(Evidence evidence) {
        List<KernelEvent> stalls = evidence.events(KernelEventKind.RCU_STALL);
        return !stalls.isEmpty() && rcuCpus(evidence).isEmpty() && stalls.stream().allMatch(e -> e.pid() == null
                && (e.field("tasks") == null || e.field("tasks").isBlank()));
    }

    /** True when {@code a} is a watchdog finding of a vaguer kind than {@code b}: b is never folded into it. */
    static boolean vaguer(Finding a, Finding b) {
        return rank(a) < rank(b);
    }

    /** 0: RCU stall, 1: soft or hard lockup, 2: anything that says why. */
    private static int rank(Finding f) {
        return switch (f.category()) {
            case RCU_STALL -> 0;
            case SOFT_LOCKUP, HARD_LOCKUP -> 1;
            default -> 2;
        };
    }

    /**
     * True when {@code a} is more specific than {@code b} and speaks of b's task or CPU; of the CPU alone only when
     * the two do not name different tasks on it.
     */
    private static boolean explains(Finding a, Finding b, Evidence evidence) {
        if (rank(a) <= rank(b)) {
            return false;
        }
        TaskRef culprit = b.rootCause();
        if (culprit != null && (a.rootCause() != null && a.rootCause().pid() == culprit.pid()
                || a.victims().stream().anyMatch(v -> v.pid() == culprit.pid()))) {
            return a.category() != Category.MEMCG_OOM || !killing(evidence.taskOrNull(culprit.pid()));
        }
        if (b.category() != Category.RCU_STALL || rank(a) != 1) {
            return false;
        }
        if (a.category() == Category.HARD_LOCKUP && stallNamesNothing(evidence)) {
            // the end of the escalation (stall, soft lockup, hard lockup) when the stall names no CPU to tell
            return true;
        }
        if (culprit != null && a.rootCause() != null) {
            // both name the task on the CPU, and they differ: the CPU switched tasks between the two reports, and a
            // context switch ends the episode the stall reported (it is a quiescent state), so one CPU number alone
            // does not make them one spin: the first message keeps its place
            return false;
        }
        Set<Integer> stalled = rcuCpus(evidence);
        KernelEventKind lockup = a.category() == Category.SOFT_LOCKUP ? KernelEventKind.SOFT_LOCKUP
                : KernelEventKind.HARD_LOCKUP;
        return evidence.events(lockup).stream().anyMatch(e -> e.cpu() != null && stalled.contains(e.cpu()));
    }

    /**
     * The OOM killer's own work in mm/oom_kill.c: choosing the victim (select_bad_process, which walks a memory
     * cgroup's tasks), reporting the kill (dump_header, whose task list prints a line per task) and killing it
     * (oom_kill_process). A task caught there is the killer at work, not a charger waiting at its cgroup's limit for
     * a victim to exit: a lockup in it is the killer's loop (a huge cgroup walked or printed without a resched), and
     * the limit that started the kill does not explain it.
     */
    private static final Set<String> OOM_KILLER_WORK = Set.of("select_bad_process", "dump_header", "oom_kill_process");

    /** The printer's frames on top of the stack an OOM report dumps of its invoking task (lib/dump_stack.c). */
    private static final Set<String> STACK_PRINTER = Set.of("dump_stack", "dump_stack_lvl", "__dump_stack",
            "show_stack", "dump_backtrace");

    /**
     * True when the task's stack runs the OOM killer's own work ({@link #OOM_KILLER_WORK}) below other code: the
     * stack the OOM report prints of its invoker (the printer's frames right on dump_header) is that report, not a
     * sign the task stayed there.
     */
    private static boolean killing(Task task) {
        if (task == null) {
            return false;
        }
        boolean printing = true;
        for (Frame f : task.frames()) {
            String name = f.function();
            if (f.unreliable() || name == null) {
                continue;
            }
            int dot = name.indexOf('.');
            String fn = dot > 0 ? name.substring(0, dot) : name;
            if (OOM_KILLER_WORK.contains(fn)) {
                return !printing;
            }
            printing &= STACK_PRINTER.contains(fn);
        }
        return false;
    }

    /** The CPUs RCU stall reports name as stalled. */
    private static Set<Integer> rcuCpus(Evidence evidence) {
        Set<Integer> cpus = new HashSet<>();
        for (KernelEvent e : evidence.events(KernelEventKind.RCU_STALL)) {
            if (e.cpu() != null) {
                cpus.add(e.cpu());
            }
            String list = e.field("cpus");
            if (list != null) {
                for (String c : list.split(",")) {
                    try {
                        cpus.add(Integer.parseInt(c.trim()));
                    } catch (NumberFormatException ignored) {
                        // not a CPU number
                    }
                }
            }
        }
        return cpus;
    }
}
