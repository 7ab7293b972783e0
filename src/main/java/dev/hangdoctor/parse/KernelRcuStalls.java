package dev.hangdoctor.parse;

import dev.hangdoctor.model.KernelEventKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hangdoctor.parse.KernelMessageText.digitsEnd;
import static dev.hangdoctor.parse.KernelMessageText.intAt;

/**
 * RCU stall reports: the header line opens a report, the per-CPU lines after it ("rcu: \t3-....: (1 GPs
 * behind) idle=...", "\t3: (...)", "\t(detected by 5, ...)") add the stalled CPUs, and the first line that
 * belongs to neither closes it into one RCU_STALL event (fields: see {@link KernelEventSink}).
 */
final class KernelRcuStalls {
    private static final int WINDOW_LINES = 64;
    private static final int MAX_CPUS = 64;

    private final KernelEventOut out;
    private Stall pending;

    KernelRcuStalls(KernelEventOut out) {
        this.out = out;
    }

    /** True when no report is open. */
    boolean idle() {
        return pending == null;
    }

    /** True when a report is open and the line belongs to it (then nobody else should read the line). */
    boolean follow(String m) {
        if (pending == null) {
            return false;
        }
        if (pending.absorb(m)) {
            return true;
        }
        if (!pending.continues(m)) {
            flush();
        }
        return false;
    }

    /**
     * "INFO: rcu_sched self-detected stall on CPU", "INFO: rcu_sched detected stalls on CPUs/tasks: { 3} (detected
     * by 5, ...)", "rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 0-... } 6 jiffies ...", and
     * the old "INFO: rcu_sched_state detected stall on CPU 0 (t=105060 jiffies)". {@code at} is where the flavor
     * starts.
     */
    boolean header(LogLine line, String m, int at) {
        int sp = m.indexOf(' ', at);
        if (sp < 0) {
            return false;
        }
        String kind;
        if (m.startsWith(" self-detected stall", sp)) {
            kind = "self-detected";
        } else if (m.startsWith(" detected expedited stall", sp)) {
            kind = "expedited";
        } else if (m.startsWith(" detected stall", sp)) {
            kind = "detected";
        } else {
            return false;
        }
        flush();
        Stall stall = new Stall(line, m.substring(at, sp), kind);
        int brace = m.indexOf('{', sp);
        if (brace > 0) {
            int closeBrace = m.indexOf('}', brace);
            stall.cpusInBraces(m, brace + 1, closeBrace < 0 ? m.length() : closeBrace);
        } else {
            int onCpu = m.indexOf(" on CPU ", sp);
            if (onCpu > 0) {
                int cpu = intAt(m, onCpu + 8);
                if (cpu >= 0) {
                    stall.addCpu(cpu);
                }
            }
        }
        int by = m.indexOf("(detected by ", sp);
        if (by > 0) {
            int cpu = intAt(m, by + 13);
            if (cpu >= 0) {
                stall.detectedBy = cpu;
            }
        }
        pending = stall;
        return true;
    }

    /**
     * True when {@code s[from, end)} is a line of a stall report that says so by itself, wherever the report's first
     * line went (a paste cut above it, a log that lost it): kernel/rcu/tree_stall.h's "\t(t=%lu jiffies g=%ld q=%lu
     * ncpus=%d)" (self-detected, 5.x+; " c=%ld" before 5.0), "\t(detected by %d, t=%ld jiffies, g=%ld, q=%lu ...)",
     * "\tTasks blocked on level-%d rcu_node (CPUs %d-%d):", a per-CPU line "\t%d-%c%c%c%c: (...) idle=...", the
     * grace-period kthread's lines ({@link #gpKthreadLine}), "All QSes seen, ..." and an expedited stall's "blocking
     * rcu_node structures", each with or without "rcu: " before it.
     */
    static boolean orphanLine(String s, int from, int end) {
        int i = RawText.startsWith(s, from, end, "rcu:") ? from + 4 : from;
        int ws = i;
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        if (RawText.startsWith(s, i, end, "(t=")) {
            return RawText.contains(s, i, end, " jiffies g=");
        }
        if (RawText.startsWith(s, i, end, "(detected by ")) {
            return RawText.contains(s, i, end, " jiffies, g=");
        }
        if (RawText.startsWith(s, i, end, "Tasks blocked on level-")) {
            return RawText.contains(s, i, end, " rcu_node (CPUs ");
        }
        if (gpKthreadLine(s, i, end) || allQsesSeenLine(s, i, end) || blockingNodesLine(s, i, end)) {
            return true;
        }
        // a per-CPU line: only with the indentation or the tag the kernel prints before it, and its idle= state
        int digits = i;
        while (i < end && RawText.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == digits || (i == ws && ws == from)) {
            return false;
        }
        int colon = s.indexOf(": (", i);
        return colon >= 0 && colon - i <= 6 && colon < end && RawText.contains(s, colon, end, " idle=");
    }

    /**
     * The lines a stall report prints about the grace-period kthread (rcu_check_gp_kthread_starvation): "%s kthread
     * starved for %ld jiffies! g%ld ..." (4.x on, "rcu: " before it since 5.0) and "Stack dump where RCU GP kthread
     * last ran:" (5.x+); no other report prints them.
     */
    private static boolean gpKthreadLine(String s, int i, int end) {
        if (RawText.startsWith(s, i, end, "Stack dump where RCU GP kthread last ran")
                || RawText.startsWith(s, i, end, "RCU grace-period kthread stack dump:")
                || RawText.startsWith(s, i, end, "Possible timer handling issue on cpu=")) {
            return true;
        }
        if (RawText.startsWith(s, i, end, "Unless rcu_")) {
            // "\tUnless %s kthread gets sufficient CPU time, OOM is now expected behavior." (5.x+; wrapped after the comma)
            return RawText.contains(s, i, end, " kthread gets sufficient CPU time");
        }
        if (!RawText.startsWith(s, i, end, "rcu_")) {
            return false;
        }
        int starved = s.indexOf(" kthread starved for ", i);
        if (starved > i && starved < end && starved - i <= 24 && RawText.contains(s, starved, end, " jiffies!")) {
            return true;
        }
        // "%s kthread timer wakeup didn't happen for %ld jiffies! g%ld f%#x %s(%d) ->state=%#x" (5.10+)
        int wakeup = s.indexOf(" kthread timer wakeup didn't happen for ", i);
        return wakeup > i && wakeup < end && wakeup - i <= 24;
    }

    /**
     * print_other_cpu_stall's line when every CPU had passed its quiescent state by the time of the dump (3.19 on):
     * "All QSes seen, last %s kthread activity %ld (%ld-%ld), jiffies_till_next_fqs=%ld[, root ->qsmask %#lx]"; the
     * kernel shows the current task's stack after it (sched_show_task(current)) up to 5.9.
     */
    private static boolean allQsesSeenLine(String s, int i, int end) {
        return RawText.startsWith(s, i, end, "All QSes seen, last ") && RawText.contains(s, i, end, " kthread activity ");
    }

    /** An expedited stall's "blocking rcu_node structures:" line (" (internal RCU debug):" since 5.9). */
    private static boolean blockingNodesLine(String s, int i, int end) {
        return RawText.startsWith(s, i, end, "blocking rcu_node structures");
    }

    /**
     * A stall report whose first line is not in the evidence ({@link #orphanLine}): opened by this line, of the kind
     * the line shows; false while a report is open (the line is then that report's).
     */
    boolean orphan(LogLine line, String m) {
        if (pending != null) {
            return false;
        }
        int i = m.startsWith("rcu:") ? 4 : 0;
        while (i < m.length() && (m.charAt(i) == ' ' || m.charAt(i) == '\t')) {
            i++;
        }
        boolean blockedTasks = m.startsWith("Tasks blocked on level-", i);
        boolean gpKthread = gpKthreadLine(m, i, m.length()) || allQsesSeenLine(m, i, m.length());
        boolean expedited = blockingNodesLine(m, i, m.length());
        boolean other = blockedTasks || gpKthread || m.startsWith("(detected by ", i);
        Stall stall = new Stall(line, null, expedited ? "expedited" : other ? "detected" : "self-detected");
        if (blockedTasks) {
            int list = m.indexOf("):", i);
            if (list > 0) {
                stall.tasksIn(m, list + 2, m.length());
            }
        } else if (gpKthread || expedited) {
            // no CPU or task of the stall named here: the dump that follows shows where the kthread last ran
        } else if (other) {
            stall.detectedBy = intAt(m, i + 13);
        } else if (!m.startsWith("(t=", i)) {
            stall.absorb(m); // a per-CPU line: its CPU
        }
        pending = stall;
        return true;
    }

    /** Emits the report waiting for more per-CPU lines, if any. */
    void flush() {
        Stall s = pending;
        if (s == null) {
            return;
        }
        pending = null;
        Map<String, String> f = new LinkedHashMap<>();
        if (s.flavor != null) {
            f.put("flavor", s.flavor); // null: the report's first line, which names it, is not in the evidence
        }
        f.put("kind", s.kind);
        if (s.cpus.count > 0) {
            f.put("cpus", s.cpus.text.toString());
        }
        if (s.detectedBy >= 0) {
            f.put("detected-by", Integer.toString(s.detectedBy));
        }
        if (s.tasks.count > 0) {
            f.put("tasks", s.tasks.text.toString());
        }
        out.emit(s.line, KernelEventKind.RCU_STALL, s.tasks.first >= 0 ? s.tasks.first : null, null,
                s.cpus.first >= 0 ? s.cpus.first : null, f);
    }

    /** Numbers in the order printed, comma-separated, at most {@link #MAX_CPUS} of them. */
    private static final class Numbers {
        final StringBuilder text = new StringBuilder();
        int count;
        int first = -1;

        void add(int n) {
            if (n < 0 || count >= MAX_CPUS) {
                return;
            }
            if (first < 0) {
                first = n;
            }
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(n);
            count++;
        }
    }

    /** An RCU stall header waiting for the per-CPU lines that follow it. */
    private static final class Stall {
        final LogLine line;
        final String flavor;
        final String kind;
        final Numbers cpus = new Numbers();
        /** Tasks preempted inside an RCU read-side section that hold the grace period up ("P392"). */
        final Numbers tasks = new Numbers();
        int detectedBy = -1;
        int linesSeen;

        Stall(LogLine line, String flavor, String kind) {
            this.line = line;
            this.flavor = flavor;
            this.kind = kind;
        }

        void addCpu(int cpu) {
            cpus.add(cpu);
        }

        void addTask(int pid) {
            tasks.add(pid);
        }

        /**
         * The " P%d" (up to 5.x) or " P%d/%d:%c%c%c%c" (6.x: "P3744/1:b..l") task marks in {@code m[from, to)}, as
         * kernel/rcu/tree_stall.h prints them in the braces and after "Tasks blocked on level-N rcu_node (CPUs a-b):".
         */
        void tasksIn(String m, int from, int to) {
            int i = from;
            while (i < to) {
                if (m.charAt(i) == 'P' && i + 1 < to && Character.isDigit(m.charAt(i + 1))
                        && (i == from || m.charAt(i - 1) == ' ')) {
                    addTask(intAt(m, i + 1));
                }
                i++;
            }
        }

        /** "{ 3 5}" (3.10), "{ 0-... }" (expedited: cpu-flags), "{ P392 }" (a task in a read-side section). */
        void cpusInBraces(String m, int from, int to) {
            int i = from;
            while (i < to) {
                char c = m.charAt(i);
                if (c == 'P' && i + 1 < to && m.charAt(i + 1) >= '0' && m.charAt(i + 1) <= '9') {
                    addTask(intAt(m, i + 1));
                    while (i < to && m.charAt(i) != ' ') {
                        i++;
                    }
                } else if (c >= '0' && c <= '9') {
                    int end = digitsEnd(m, i);
                    addCpu(intAt(m, i));
                    i = end;
                    while (i < to && m.charAt(i) != ' ') {
                        i++;
                    }
                } else if (c == ' ') {
                    i++;
                } else {
                    while (i < to && m.charAt(i) != ' ') {
                        i++;
                    }
                }
            }
        }

        /**
         * Takes a per-CPU line of the report: "rcu: \t3-....: (1 GPs behind) idle=...", "\t3: (1 GPs behind)",
         * "        0-...: (1 GPs behind)", "rcu:     1-...!: (0 ticks this GP)", or "\t(detected by 3, ...)".
         */
        boolean absorb(String m) {
            int i = m.startsWith("rcu:") ? 4 : 0;
            int ws = i;
            while (i < m.length() && (m.charAt(i) == ' ' || m.charAt(i) == '\t')) {
                i++;
            }
            if (i == ws || i >= m.length()) {
                return false;
            }
            if (m.startsWith("Tasks blocked on level-", i)) {
                int list = m.indexOf("):", i);
                if (list > 0) {
                    tasksIn(m, list + 2, m.length());
                }
                linesSeen++;
                return true;
            }
            if (m.startsWith("(detected by ", i)) {
                int cpu = intAt(m, i + 13);
                if (cpu >= 0 && detectedBy < 0) {
                    detectedBy = cpu;
                }
                linesSeen++;
                return true;
            }
            int end = digitsEnd(m, i);
            if (end == i || end >= m.length()) {
                return false;
            }
            int j = end;
            if (m.charAt(j) == '-') {
                // "3-....:" / "1-...!:" / "0-...D:": the flags, then ':'
                j++;
                while (j < m.length() && j - end < 10 && m.charAt(j) != ':' && m.charAt(j) != ' ') {
                    j++;
                }
            }
            if (j + 2 >= m.length() || m.charAt(j) != ':' || m.charAt(j + 1) != ' ' || m.charAt(j + 2) != '(') {
                return false;
            }
            addCpu(intAt(m, i));
            linesSeen++;
            return true;
        }

        /** Other lines of the stall report (rcu:-prefixed, indented) keep it open for a while. */
        boolean continues(String m) {
            linesSeen++;
            if (linesSeen > WINDOW_LINES) {
                return false;
            }
            char c = m.charAt(0);
            return m.startsWith("rcu: ") && !m.startsWith("rcu: INFO: ") || c == '\t';
        }
    }
}
