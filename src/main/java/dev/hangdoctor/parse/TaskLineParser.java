package dev.hangdoctor.parse;

import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

/**
 * Reads the one-line task headers the kernel prints before a stack, in every generation of
 * {@code sched_show_task()} and its neighbours:
 * <ul>
 *   <li>2.6.18: the same columns, child and sibling pids, then {@code "(L-TLB)"} or {@code "(NOTLB)"};</li>
 *   <li>2.6.32/3.10: {@code "%-15.15s %c"} then {@code " %016lx "} (saved PC) or {@code "  running task    "}, then
 *       {@code "%5lu %5d %6d 0x%08lx"} (stack free, pid, ppid, thread flags);</li>
 *   <li>4.x: the same without the PC column;</li>
 *   <li>5.9+: {@code "task:%-15.15s state:%c stack:%5lu pid:%5d ppid:%6d flags:0x%08lx"};</li>
 *   <li>6.13+: {@code "task:... state:%c stack:%-5lu pid:%-5d tgid:%-5d ppid:%-6d task_flags:0x%04x flags:0x%08lx"};</li>
 *   <li>hung_task.c: {@code "INFO: task %s:%d blocked for more than %ld seconds."};</li>
 *   <li>dump_stack: {@code "CPU: %d PID: %d Comm: %.20s ..."} (6.x adds {@code "UID: %u"}).</li>
 * </ul>
 * The {@code flags:} of a task line are thread-info flags, not {@code task_struct.flags}: only {@code task_flags:}
 * becomes {@link Task#flags}.
 */
final class TaskLineParser {
    private static final String STATE_LETTERS = "RSDTtXZxKWPNnI";

    private TaskLineParser() {
    }

    /**
     * 2.6.18: {@code "%-13.13s %c"}, {@code " %016lx "} (saved PC) or {@code " running "}, {@code "%5lu %5d %6d"}
     * (stack free, pid, ppid), the eldest child's and the siblings' pids where there are, then {@code " (L-TLB)"}
     * (a kernel thread, no mm) or {@code " (NOTLB)"}. i386 printed the PC in capitals ({@code " %08lX "}, 2.6.20:
     * {@code "umount        D C013135E  6044  1168   1150                     (NOTLB)"}).
     */
    private static final java.util.regex.Pattern TASK_2618 = java.util.regex.Pattern.compile(
            "(?:(.{1,60}?) +)?([" + STATE_LETTERS + "]) +(?:[0-9a-f]{16}|[0-9a-fA-F]{8}|running) +\\d+ +(\\d+) +(\\d+)(?: +\\d+)* +\\((?:L-TLB|NOTLB)\\)");

    /**
     * 2.6.0's show_task printed no free-stack count: "mkfs.ext2     D 00000000 16474  16431                     (NOTLB)",
     * the pid and the parent's after the saved pc, the relatives' columns blank. Only this two-number form is read so:
     * with more numbers, 2.6.18's form (free stack first) is the one that matches.
     */
    private static final java.util.regex.Pattern TASK_260 = java.util.regex.Pattern.compile(
            "(?:(.{1,60}?) +)?([" + STATE_LETTERS + "]) +(?:[0-9a-f]{16}|[0-9a-fA-F]{8}|running) +(\\d+) +(\\d+) +\\((?:L-TLB|NOTLB)\\)");

    /** True when the trimmed line may be an old-style task line: it ends in {@code 0x%08lx} or 2.6.18's TLB mark. Cheap. */
    static boolean endsLikeOldTaskLine(String t) {
        return endsLikeOldTaskLine(t, 0, t.length());
    }

    /**
     * The same for {@code s[from, end)} (trimmed at its end). The TLB mark is whole, with the space before it, as
     * the line's pattern wants: a boot line such as "... bounce buffering for IO (SWIOTLB)" ends in "TLB)" too, and
     * every log line is asked this up to three times.
     */
    static boolean endsLikeOldTaskLine(String s, int from, int end) {
        return end - from >= 20 && (s.charAt(end - 10) == '0' && s.charAt(end - 9) == 'x' && s.charAt(end - 11) == ' '
                || RawText.endsWith(s, from, end, " (NOTLB)") || RawText.endsWith(s, from, end, " (L-TLB)"));
    }

    /** A 2.6.18/2.6.32/3.10/4.x task line, or null. */
    static Task parseOld(String t) {
        return parseOld(t, null);
    }

    /**
     * Where the state letter of an older task line stands (the name is everything before it but one space), or -1.
     */
    static int oldStateAt(String t) {
        int[] at = {-1};
        return endsLikeOldTaskLine(t) && parseOld(t, at) != null ? at[0] : -1;
    }

    private static Task parseOld(String t, int[] stateAt) {
        if (!endsLikeOldTaskLine(t)) {
            return null;
        }
        if (t.endsWith("TLB)")) {
            java.util.regex.Matcher m = TASK_2618.matcher(t);
            if (!m.matches()) {
                m = TASK_260.matcher(t);
                if (!m.matches()) {
                    return null;
                }
            }
            // a name of spaces (the line trimmed to its state letter) is a name too
            if (stateAt != null) {
                stateAt[0] = m.start(2);
            }
            return new Task(Integer.parseInt(m.group(3))).comm(m.group(1) == null ? "" : m.group(1).strip())
                    .state(TaskState.parse(m.group(2))).ppid(Integer.parseInt(m.group(4)));
        }
        int n = t.length();
        if (!allHex(t, n - 8, n)) {
            return null;
        }
        int end = n - 11;
        long[] nums = new long[3];
        for (int k = 2; k >= 0; k--) {
            end = trimEnd(t, end);
            int s = end;
            while (s > 0 && FrameLineParser.isDigit(t.charAt(s - 1))) {
                s--;
            }
            if (s == end || end - s > 10 || s == 0 || t.charAt(s - 1) != ' ') {
                return null;
            }
            nums[k] = Long.parseLong(t.substring(s, end));
            end = s;
        }
        end = trimEnd(t, end);
        String head = t.substring(0, end);
        if (head.endsWith("running task")) {
            head = head.substring(0, head.length() - "running task".length());
        } else if (head.endsWith(" running")) {
            head = head.substring(0, head.length() - "running".length());
        } else {
            int sp = head.lastIndexOf(' ');
            if (sp > 0) {
                String last = head.substring(sp + 1);
                if ((last.length() == 16 || last.length() == 8) && allHex(last, 0, last.length())) {
                    head = head.substring(0, sp);
                }
            }
        }
        head = head.stripTrailing();
        if (stateAt != null) {
            stateAt[0] = head.length() - 1;
        }
        if (head.length() == 1 && STATE_LETTERS.indexOf(head.charAt(0)) >= 0) {
            // a name of spaces, the line trimmed to its state letter: the numbers are the kernel's all the same
            return new Task((int) nums[1]).comm("").state(TaskState.parse(head)).ppid((int) nums[2]);
        }
        int sp = head.lastIndexOf(' ');
        if (sp <= 0 || sp != head.length() - 2) {
            return null;
        }
        char state = head.charAt(head.length() - 1);
        if (STATE_LETTERS.indexOf(state) < 0) {
            return null;
        }
        String comm = head.substring(0, sp).strip();
        if (comm.isEmpty() || comm.length() > KernelNames.WIDEST) {
            return null;
        }
        int pid = (int) nums[1];
        return new Task(pid).comm(comm).state(TaskState.parse(String.valueOf(state))).ppid((int) nums[2]);
    }

    /**
     * Where " state:" stands in a 5.9+ task line ("task:" and a name of at most 15 bytes, up to four characters each
     * as /dev/kmsg escapes them), with its letter; -1 otherwise. The last within the name's width: the name, which any
     * local user sets, may hold " state:R" itself.
     */
    private static int stateAt(String t) {
        if (!t.startsWith("task:")) {
            return -1;
        }
        int st = -1;
        int limit = Math.min(t.length(), 5 + KernelNames.WIDEST + 1);
        for (int i = t.indexOf(" state:", 4); i >= 0 && i < limit; i = t.indexOf(" state:", i + 1)) {
            if (i + 7 < t.length() && STATE_LETTERS.indexOf(t.charAt(i + 7)) >= 0) {
                st = i;
            }
        }
        if (st < 0) {
            st = gluedStateAt(t, limit);
        }
        return st < 0 || st + 7 >= t.length() ? -1 : st;
    }

    /**
     * A task line whose padding a paste (or its author) took out, the name glued to its state
     * ("task:kworker/u4:1state:D stack:0 pid:11ppid:2", corpus z-007): the index before "state:", as for the
     * spaced line; or -1. Asked only when the line has no " state:" of the kernel's, which always has its space.
     */
    private static int gluedStateAt(String t, int limit) {
        int st = -1;
        for (int i = t.indexOf("state:", 6); i >= 0 && i < limit; i = t.indexOf("state:", i + 1)) {
            if (i + 6 < t.length() && STATE_LETTERS.indexOf(t.charAt(i + 6)) >= 0
                    && (i + 7 == t.length() || t.charAt(i + 7) == ' ')) {
                st = i - 1;
            }
        }
        return st;
    }

    /**
     * A task line of any generation, or null. An older line whose name starts with "task:" is the older line: its
     * numbers, read from the end, are the kernel's.
     */
    static Task parseAny(String t) {
        Task old = endsLikeOldTaskLine(t) ? parseOld(t) : null;
        return old != null ? old : t.startsWith("task:") ? parseNew(t) : null;
    }

    /** The name before " state:": the padding off; a name of spaces stays as it is. */
    private static String commOf(String t, int st) {
        String raw = t.substring(5, t.charAt(st) == ' ' ? st : st + 1);
        String comm = raw.strip();
        return comm.isEmpty() ? raw : comm;
    }

    /** A 5.9+ {@code task:comm state:D ...} line, or null. */
    static Task parseNew(String t) {
        int st = stateAt(t);
        if (st < 0) {
            return null;
        }
        String comm = commOf(t, st);
        char state = t.charAt(st + 7);
        Long pid = number(t, " pid:", st, false);
        if (pid == null) {
            return null;
        }
        Task task = new Task(pid.intValue()).comm(comm).state(TaskState.parse(String.valueOf(state)));
        Long ppid = number(t, " ppid:", st, false);
        if (ppid == null) {
            // glued to the pid as the state to the name ("pid:11ppid:2")
            ppid = number(t, "ppid:", st, false);
        }
        if (ppid != null) {
            task.ppid(ppid.intValue());
        }
        Long tgid = number(t, " tgid:", st, false);
        if (tgid != null) {
            task.tgid(tgid.intValue());
        }
        Long taskFlags = number(t, " task_flags:0x", st, true);
        if (taskFlags != null) {
            task.flags(taskFlags);
        }
        return task;
    }

    /**
     * A 5.9+ task line cut after its state ("task:modprobe     state:D", a paste that kept only that much): its name
     * and state, no pid (-1), or null.
     */
    static Task parseNewCut(String t) {
        int st = stateAt(t);
        if (st < 0) {
            return null;
        }
        String comm = commOf(t, st);
        int end = st + 8;
        if (comm.isEmpty() || end < t.length() && t.charAt(end) != ' ') {
            return null;
        }
        return new Task(-1).comm(comm).state(TaskState.parse(String.valueOf(t.charAt(st + 7))));
    }

    /**
     * The hung-task header as a page's converter (a zh-CN to zh-TW copy) or a style sheet lower-cased it: the same
     * words, read the same way.
     */
    static final String HUNG_LOWER = "info: task ";

    /** {@code INFO: task comm:PID blocked for more than N seconds.}: a D task with its blocked time, or null. */
    static Task parseHungHeader(String t) {
        if (!t.startsWith("INFO: task ") && !t.startsWith(HUNG_LOWER)) {
            return null;
        }
        int b = t.indexOf(" blocked for more than ", 11);
        if (b < 0) {
            return null;
        }
        int colon = t.lastIndexOf(':', b);
        if (colon <= 11) {
            return null;
        }
        Integer pid = parseIntOrNull(t.substring(colon + 1, b));
        if (pid == null) {
            return null;
        }
        Task task = new Task(pid).comm(t.substring(11, colon)).state(TaskState.UNINTERRUPTIBLE);
        Long secs = leadingNumber(t, b + " blocked for more than ".length());
        if (secs != null) {
            task.blockedSeconds(secs);
        }
        return task;
    }

    /** {@code CPU: 3 PID: 1234 Comm: foo Not tainted ...}: the task running on that CPU, or null. */
    static Task parseCpuHeader(String t) {
        if (!t.startsWith("CPU: ")) {
            return null;
        }
        Long cpu = leadingNumber(t, 5);
        int p = t.indexOf(" PID: ", 5);
        int c = t.indexOf(" Comm: ", 5);
        if (cpu == null || p < 0 || c < p) {
            return null;
        }
        Long pid = leadingNumber(t, p + 6);
        if (pid == null) {
            return null;
        }
        int commStart = c + 7;
        int commEnd = t.length();
        // the kernel's words after the name: the last within a name's width (the name may hold them too)
        int last = -1;
        int limit = Math.min(t.length(), commStart + KernelNames.WIDEST + 13);
        for (String stop : new String[] {" Not tainted", " Tainted:", " Kdump: loaded"}) {
            for (int s = t.indexOf(stop, commStart - 1); s >= 0 && s < limit; s = t.indexOf(stop, s + 1)) {
                last = Math.max(last, s);
            }
        }
        if (last >= 0) {
            commEnd = last;
            if (t.startsWith(" Kdump: loaded", commEnd - 14)) {
                commEnd -= 14;
            }
        }
        return new Task(pid.intValue()).cpu(cpu.intValue()).comm(t.substring(commStart, commEnd).strip());
    }

    /**
     * Whether a dump_stack header ends at its taint words, without the release that follows them on the kernel's
     * line: " Not tainted", or " Tainted: " and its flags (letters and the spaces of unset ones).
     */
    static boolean endsAtTaint(String t) {
        String s = t.stripTrailing();
        if (s.endsWith(" Not tainted")) {
            return true;
        }
        int at = s.lastIndexOf(" Tainted: ");
        if (at < 0) {
            return false;
        }
        for (int i = at + 10; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c == ' ')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The task line an architecture's show_regs() or die() printed before the dump_stack header existed (see
     * {@link KernelNames#regsHeaderName}): "Pid: 2770, comm: sh", "Pid: 0, comm: swapper Not tainted 2.6.16 #1",
     * "TASK = ef800740[3274] 'pbbuttonsd' THREAD: eef6c000", "Process kswapd0 (pid: 28, task: 000000003b2a0000,
     * ksp: ...)": the task that ran there, or null. The pid 0 of an idle task is kept (the block makes it nobody's).
     */
    static Task parseRegsHeader(String t) {
        char c = t.isEmpty() ? ' ' : t.charAt(0);
        if (c != 'P' && c != 'T') {
            return null;
        }
        KernelNames.Span name = KernelNames.regsHeaderName(t, 0, t.length());
        if (name == null) {
            return null;
        }
        Long pid;
        Integer cpu = null;
        if (c == 'T') {
            pid = leadingNumber(t, t.indexOf('[') + 1);
            // " CPU: %d" after the thread's address on SMP
            int at = t.indexOf(" CPU: ", name.end());
            Long n = at < 0 ? null : leadingNumber(t, at + 6);
            cpu = n == null || n > 65535 ? null : n.intValue();
        } else if (t.startsWith("Pid: ")) {
            pid = leadingNumber(t, 5);
        } else {
            pid = leadingNumber(t, name.end() + 7);
        }
        if (pid == null || pid > Integer.MAX_VALUE) {
            return null;
        }
        String comm = t.substring(name.start(), name.end()).strip();
        Task task = new Task(pid.intValue()).comm(comm);
        return cpu == null ? task : task.cpu(cpu);
    }

    private static Long number(String t, String key, int from, boolean hex) {
        int k = t.indexOf(key, from);
        if (k < 0) {
            return null;
        }
        int i = FrameLineParser.skipSpaces(t, k + key.length());
        int s = i;
        while (i < t.length() && (hex ? FrameLineParser.isHexDigit(t.charAt(i)) : FrameLineParser.isDigit(t.charAt(i)))) {
            i++;
        }
        if (i == s || i - s > 16) {
            return null;
        }
        return Long.parseUnsignedLong(t.substring(s, i), hex ? 16 : 10);
    }

    static Long leadingNumber(String t, int from) {
        int i = FrameLineParser.skipSpaces(t, from);
        int s = i;
        while (i < t.length() && FrameLineParser.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == s || i - s > 18) {
            return null;
        }
        return Long.parseLong(t.substring(s, i));
    }

    static Integer parseIntOrNull(String s) {
        s = s.strip();
        if (s.isEmpty() || s.length() > 10) {
            return null;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!FrameLineParser.isDigit(s.charAt(k))) {
                return null;
            }
        }
        long v = Long.parseLong(s);
        return v > Integer.MAX_VALUE ? null : (int) v;
    }

    private static int trimEnd(String t, int end) {
        while (end > 0 && t.charAt(end - 1) == ' ') {
            end--;
        }
        return end;
    }

    private static boolean allHex(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!FrameLineParser.isHexDigit(s.charAt(k))) {
                return false;
            }
        }
        return to > from;
    }
}
