package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

/**
 * Reads the single lines of crash(8) output that describe tasks (formats from crash-utility's task.c and
 * x86_64.c): the {@code PID: %-7ld  TASK: %s  CPU: %-3s  COMMAND: "%s"} header of {@code bt}/{@code task}/{@code ps -m},
 * {@code ps} rows ({@code >  27225  1  4  ffff9f533a6d3150  RU  0.0  239712  38800  comm}), {@code ps -m} rows
 * ({@code [0 00:00:12.345] [UN]  PID: ...}), {@code [exception RIP: name+off]} and stack-switch markers
 * ({@code --- <NMI exception stack> ---}). Pastes often collapse runs of spaces, so nothing here counts columns.
 */
final class CrashLineParser {
    private CrashLineParser() {
    }

    /** {@code PID: 587  TASK: ffff...  CPU: 5  COMMAND: "jbd2/md127-8"}, or null. */
    static Task parseHeader(String t) {
        if (!t.startsWith("PID:")) {
            return null;
        }
        int task = t.indexOf("TASK:", 4);
        int command = t.indexOf("COMMAND:", 4);
        if (task < 0 || command < 0) {
            return null;
        }
        Integer pid = TaskLineParser.parseIntOrNull(t.substring(4, task));
        if (pid == null) {
            return null;
        }
        Task result = new Task(pid);
        int q1 = t.indexOf('"', command);
        int q2 = t.lastIndexOf('"');
        if (q1 >= 0 && q2 > q1) {
            result.comm(t.substring(q1 + 1, q2));
        } else {
            // a page that masked the command dropped crash's quotes with it ("COMMAND: XXXXXXXXXXXXXXXXX")
            String bare = t.substring(command + 8).strip();
            if (!bare.isEmpty() && bare.indexOf(' ') < 0 && bare.indexOf('"') < 0) {
                result.comm(bare);
            }
        }
        int cpu = t.indexOf("CPU:", task);
        if (cpu >= 0 && cpu < command) {
            Long c = TaskLineParser.leadingNumber(t, cpu + 4);
            if (c != null) {
                result.cpu(c.intValue());
            }
        }
        return result;
    }

    /** {@code PID: 587} alone on its line, as crash's {@code set} prints it; -1 if not that. */
    static int parseBarePid(String t) {
        if (!t.startsWith("PID:") || t.indexOf("TASK:") >= 0) {
            return -1;
        }
        Integer pid = TaskLineParser.parseIntOrNull(t.substring(4));
        return pid == null ? -1 : pid;
    }

    /** A {@code ps} row, or null. The awk-edited rows of some reports (RSS in MB) keep pid, ppid and state only. */
    static Task parsePsRow(String t) {
        boolean active = false;
        String s = t;
        char c0 = s.charAt(0);
        if (c0 == '>' || c0 == '-') {
            active = c0 == '>';
            s = s.substring(1).strip();
        }
        if (s.isEmpty() || !FrameLineParser.isDigit(s.charAt(0))) {
            return null;
        }
        // pid ppid cpu task st %mem vsz rss comm
        int[] starts = new int[9];
        int i = 0;
        int field = 0;
        boolean commCut = false;
        while (field < 9) {
            i = FrameLineParser.skipSpaces(s, i);
            if (i >= s.length()) {
                if (field < 8) {
                    return null;
                }
                commCut = true; // a console or mailer wrapped the comm onto the next line
                break;
            }
            starts[field++] = i;
            if (field == 9) {
                break;
            }
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                i++;
            }
        }
        String[] f = new String[8];
        for (int k = 0; k < 8; k++) {
            int e = starts[k];
            while (e < s.length() && s.charAt(e) != ' ' && s.charAt(e) != '\t') {
                e++;
            }
            f[k] = s.substring(starts[k], e);
        }
        Integer pid = TaskLineParser.parseIntOrNull(f[0]);
        Integer ppid = TaskLineParser.parseIntOrNull(f[1]);
        if (pid == null || ppid == null || !isHexWord(f[3]) || !isCrashState(f[4]) || !isDecimal(f[5])) {
            return null;
        }
        Integer cpu = TaskLineParser.parseIntOrNull(f[2]);
        if (cpu == null && !f[2].equals("-")) {
            return null;
        }
        Task task = new Task(pid).ppid(ppid).cpu(cpu).state(TaskState.parse(f[4]));
        if (active) {
            task.active(true);
        }
        Integer vsz = TaskLineParser.parseIntOrNull(f[6]);
        Integer rss = TaskLineParser.parseIntOrNull(f[7]);
        if (vsz != null && rss != null) {
            task.rssKb(rss.longValue());
            if (!commCut) {
                psComm(task, s.substring(starts[8]).strip(), vsz == 0);
            }
        } else if (commCut) {
            return null;
        }
        return task;
    }

    /** A {@code ps} row's COMM column; crash brackets kernel threads' names. */
    /**
     * crash prints a kernel thread's name in brackets; a task of a user's may be named so too ("[x:4242]"), but it
     * has memory: a name in brackets is a kernel thread's only with no VSZ ({@code noMemory}).
     */
    static void psComm(Task task, String comm, boolean noMemory) {
        if (noMemory && comm.length() > 2 && comm.charAt(0) == '[' && comm.charAt(comm.length() - 1) == ']') {
            comm = comm.substring(1, comm.length() - 1);
            task.note("kernel thread (crash ps)");
        }
        task.comm(comm);
    }

    /** The {@code ps} column header line. */
    static boolean isPsHeader(String t) {
        return t.startsWith("PID") && t.indexOf("PPID") > 0 && t.indexOf(" ST ") > 0 && t.endsWith("COMM");
    }

    /** {@code [0 00:00:12.345] [UN]  PID: ...} ({@code ps -m}) or {@code [123456] [UN]  PID: ...} ({@code ps -l}). */
    static Task parseLastRunRow(String t) {
        if (t.charAt(0) != '[') {
            return null;
        }
        int c1 = t.indexOf(']');
        if (c1 < 0 || c1 + 2 >= t.length()) {
            return null;
        }
        int o2 = t.indexOf('[', c1);
        int c2 = o2 < 0 ? -1 : t.indexOf(']', o2);
        if (c2 < 0) {
            return null;
        }
        String state = t.substring(o2 + 1, c2).strip();
        String rest = t.substring(c2 + 1).strip();
        Task task = parseHeader(rest);
        if (task == null || !isCrashState(state)) {
            return null;
        }
        task.state(TaskState.parse(state));
        Long nanos = parseDuration(t.substring(1, c1).strip());
        if (nanos != null) {
            task.lastRunNanos(nanos);
        }
        return task;
    }

    /** crash's {@code translate_nanoseconds}: {@code "%ld %02ld:%02ld:%02ld.%03ld"} (days hh:mm:ss.ms). */
    static Long parseDuration(String s) {
        int sp = s.indexOf(' ');
        if (sp < 0) {
            return null;
        }
        String[] hms = s.substring(sp + 1).strip().split("[:.]");
        Integer days = TaskLineParser.parseIntOrNull(s.substring(0, sp));
        if (days == null || hms.length != 4) {
            return null;
        }
        long ms = 0;
        long[] mult = {3_600_000L, 60_000L, 1000L, 1L};
        for (int k = 0; k < 4; k++) {
            Integer v = TaskLineParser.parseIntOrNull(hms[k]);
            if (v == null) {
                return null;
            }
            ms += v * mult[k];
        }
        return (days * 86_400_000L + ms) * 1_000_000L;
    }

    /** {@code [exception RIP: tg_unthrottle_up+24]}: the interrupted function, or null for user space/unknown. */
    static Frame parseExceptionRip(String t) {
        if (!t.startsWith("[exception RIP: ")) {
            return null;
        }
        int close = t.lastIndexOf(']');
        if (close < 16) {
            return null;
        }
        String sym = t.substring(16, close).strip();
        int plus = sym.indexOf('+');
        String name = plus > 0 ? sym.substring(0, plus) : sym;
        if (name.isEmpty() || name.indexOf(' ') >= 0) {
            return null;
        }
        return new Frame(name, plus > 0 ? sym.substring(plus) : "", null, false, StackContext.TASK);
    }

    /**
     * {@code --- <NMI exception stack> ---}: the stack the frames printed before it ran on, or null. Also the bare
     * {@code <NMI exception stack>}: a crash session quoted in a patch's commit message loses the dashes, because
     * git am ends the message at a line starting with "---".
     */
    static StackContext parseStackMarker(String t) {
        int open;
        if (t.startsWith("--- <") && t.endsWith("---")) {
            open = 5;
        } else if (t.startsWith("<") && t.endsWith(" stack>")) {
            open = 1;
        } else {
            return null;
        }
        int close = t.indexOf('>', open);
        if (close < 0) {
            return null;
        }
        String name = t.substring(open, close);
        if (name.startsWith("IRQ")) {
            return StackContext.IRQ;
        }
        if (name.startsWith("NMI")) {
            return StackContext.NMI;
        }
        if (name.startsWith("SOFTIRQ")) {
            return StackContext.SOFTIRQ;
        }
        return StackContext.EXCEPTION;
    }

    /** crash's {@code set}/{@code STATE:} spelling: {@code TASK_UNINTERRUPTIBLE}, {@code TASK_UNINTERRUPTIBLE|TASK_NOLOAD}. */
    static TaskState parseStateName(String s) {
        String v = s.strip();
        if (v.contains("TASK_NOLOAD") || v.startsWith("TASK_IDLE")) {
            return TaskState.IDLE;
        }
        if (v.contains("TASK_UNINTERRUPTIBLE") && v.contains("TASK_WAKEKILL")) {
            return TaskState.WAKEKILL;
        }
        int end = 0;
        while (end < v.length() && (Character.isLetterOrDigit(v.charAt(end)) || v.charAt(end) == '_')) {
            end++;
        }
        return TaskState.parse(v.substring(0, end));
    }

    private static boolean isHexWord(String s) {
        return RawText.isHexWord(s, 0, s.length());
    }

    private static boolean isCrashState(String s) {
        return s.length() == 2 && Character.isUpperCase(s.charAt(0)) && Character.isUpperCase(s.charAt(1))
                || s.equals("??");
    }

    private static boolean isDecimal(String s) {
        if (s.isEmpty() || s.length() > 8) {
            return false;
        }
        boolean digit = false;
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (FrameLineParser.isDigit(ch)) {
                digit = true;
            } else if (ch != '.') {
                return false;
            }
        }
        return digit;
    }
    /**
     * `bt -l` prints a frame's source under it as "    /path/file.c: LINE" (get_line_number); a mailer may cut that
     * line inside its path. True for such a first part: one path word from the root, with no ": LINE" yet.
     */
    static boolean isSourcePathCut(String t) {
        if (t.length() < 2 || t.charAt(0) != '/' || t.indexOf(' ') >= 0 || t.indexOf(": ") >= 0) {
            return false;
        }
        for (int k = 1; k < t.length(); k++) {
            if (!isPathChar(t.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** The rest of a cut `bt -l` source line: "transaction.c: 1234", ": 1234" or the bare "1234". */
    static boolean isSourceLineRest(String t) {
        int colon = t.lastIndexOf(": ");
        int digits = colon < 0 ? 0 : colon + 2;
        for (int k = 0; k < (colon < 0 ? 0 : colon); k++) {
            if (!isPathChar(t.charAt(k))) {
                return false;
            }
        }
        if (digits >= t.length()) {
            return false;
        }
        for (int k = digits; k < t.length(); k++) {
            if (!FrameLineParser.isDigit(t.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** A line of carets (a reader's mark under the frame that matters), never the tool's output. */
    static boolean isUnderline(String t) {
        int carets = 0;
        for (int k = 0; k < t.length(); k++) {
            char c = t.charAt(k);
            if (c == '^') {
                carets++;
            } else if (c != ' ' && c != '~') {
                return false;
            }
        }
        return carets >= 3;
    }

    private static boolean isPathChar(char c) {
        return FrameLineParser.isSymbolChar(c) || c == '/' || c == '.' || c == '-' || c == '+';
    }
}
