package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

/**
 * Assembles tasks and their stacks from every trace format: hung-task reports of every kernel generation,
 * sysrq-t/w dumps, crash `bt`/`foreach bt`/`bt -f`/`ps`/`ps -m`/`task`, and pasted `/proc/PID/stack` text.
 * <p>
 * One block is built at a time: a header (or a first frame) opens it, frames and the lines traces interleave
 * with frames (registers, `<IRQ>` markers, raw stack words) extend it, and anything else closes it, so frames
 * never drift onto the wrong task. Lines outside a block cost a few {@code charAt} checks.
 */
public final class TraceSink implements LineSink {
    /** Lines a header may be separated from its stack by (`Tainted:`, registers, `Workqueue:`, stack words). */
    private static final int HEADER_SLACK = 64;
    /** A stack without any header is kept from this many frames on. */
    private static final int MIN_BARE_FRAMES = 3;

    private enum Mode { IDLE, KERNEL, CRASH_BT, CRASH_TASK, CRASH_SET, PROC_STACK, PROC_STATUS, LS_TASKS }

    private final Evidence evidence;
    private final String source;
    private Mode mode = Mode.IDLE;
    private TraceBlock block;
    /** KERNEL: past `Call Trace:` or the first frame. */
    private boolean inFrames;
    private int slack;
    /** The open block began at a frame with no header. */
    private boolean bare;
    private StackContext context = StackContext.TASK;
    private int braceDepth;
    private int lsTgid;
    /** The pid a `crash> task 27225 | grep journal_info` prompt asked about. */
    private Integer crashPid;
    private long lineNo;

    public TraceSink(Evidence evidence, String source) {
        this.evidence = evidence;
        this.source = source;
    }

    @Override
    public boolean accept(LogLine line) {
        String message = line.message();
        if (message == null) {
            return false;
        }
        lineNo = line.lineNo();
        String t = message.strip();
        if (t.isEmpty()) {
            if (mode != Mode.IDLE) {
                endBlock();
            }
            return false;
        }
        if (mode != Mode.IDLE) {
            if (continueBlock(t)) {
                return true;
            }
            if (mergeTaskLine(t)) {
                return true;
            }
            endBlock();
        }
        return start(t, line.lineNo());
    }

    @Override
    public void finish() {
        endBlock();
    }

    @Override
    public boolean idle() {
        return mode == Mode.IDLE;
    }

    private final RawText.Needle procPath = new RawText.Needle("/proc/", '/');
    private final RawText.Needle bareFrame = new RawText.Needle("+0x", '+');

    /** The triggers of {@link #start} on the raw text (stripped as accept strips); keep the two in step. */
    @Override
    public boolean mayStart(String s, int from, int end) {
        int a = RawText.skipWhitespace(s, from, end);
        int z = RawText.trimEnd(s, a, end);
        if (a >= z) {
            return false;
        }
        if (z - a >= 20 && (s.charAt(z - 10) == '0' && s.charAt(z - 9) == 'x' && s.charAt(z - 11) == ' '
                || RawText.endsWith(s, a, z, "TLB)"))) {
            return true; // TaskLineParser.endsLikeOldTaskLine
        }
        char c = s.charAt(a);
        boolean trigger;
        switch (c) {
            case 'I':
                trigger = RawText.startsWith(s, a, z, "INFO: task ");
                break;
            case 't':
                trigger = RawText.startsWith(s, a, z, "task");
                break;
            case 's':
            case 'S':
                trigger = RawText.startsWith(s, a, z, "sysrq") || RawText.startsWith(s, a, z, "SysRq");
                break;
            case 'C':
                trigger = RawText.startsWith(s, a, z, "CPU: ") || RawText.startsWith(s, a, z, "Call Trace:")
                        || RawText.startsWith(s, a, z, "Call trace:");
                break;
            case 'P':
                trigger = RawText.startsWith(s, a, z, "PID");
                break;
            case '[':
                trigger = RawText.startsWith(s, a, z, "[<") || RawText.startsWith(s, a, z, "[exception RIP:")
                        || RawText.contains(s, a, z, "PID:");
                break;
            case '#':
                trigger = z - a > 1 && RawText.isDigit(s.charAt(a + 1));
                break;
            case 'c':
                trigger = RawText.startsWith(s, a, z, "crash>");
                break;
            case 'j':
                trigger = RawText.startsWith(s, a, z, "journal_info");
                break;
            case 'N':
                trigger = RawText.startsWith(s, a, z, "Name:");
                break;
            case '>':
            case '-': {
                int d = RawText.skipWhitespace(s, a + 1, z);
                trigger = d < z && RawText.isDigit(s.charAt(d)); // CrashLineParser.parsePsRow
                break;
            }
            default:
                trigger = RawText.isDigit(c);
                break;
        }
        return trigger || procPath.in(s, a, z) || bareFrame.in(s, a, z);
    }

    // ---- opening blocks ----

    private boolean start(String t, long lineNo) {
        char c = t.charAt(0);
        if (TaskLineParser.endsLikeOldTaskLine(t)) {
            Task task = TaskLineParser.parseOld(t);
            if (task != null) {
                openKernel(task, "sysrq-t", lineNo);
                return true;
            }
        }
        switch (c) {
            case 'I': {
                Task task = TaskLineParser.parseHungHeader(t);
                if (task != null) {
                    openKernel(task, "hung-task report", lineNo);
                    block.fromHungHeader = true;
                    return true;
                }
                break;
            }
            case 't': {
                Task task = TaskLineParser.parseNew(t);
                if (task != null) {
                    openKernel(task, "sysrq-t", lineNo);
                    return true;
                }
                if (t.startsWith("task ") && t.endsWith("pid father")) {
                    // 2.6.32/3.10 sysrq-t/w column header: the task lines that follow are a dump
                    evidence.addFormat("sysrq-t");
                    return true;
                }
                break;
            }
            case 's':
            case 'S':
                if ((t.startsWith("sysrq") || t.startsWith("SysRq")) && (t.endsWith("Show State")
                        || t.endsWith("Show Blocked State"))) {
                    evidence.addFormat("sysrq-t");
                    return true;
                }
                break;
            case 'C':
                if (t.startsWith("CPU: ")) {
                    Task task = TaskLineParser.parseCpuHeader(t);
                    if (task != null) {
                        openKernel(task, null, lineNo);
                        return true;
                    }
                } else if (isCallTrace(t)) {
                    openKernel(new Task(0), null, lineNo);
                    inFrames = true;
                    return true;
                }
                break;
            case 'P': {
                Task task = CrashLineParser.parseHeader(t);
                if (task != null) {
                    open(Mode.CRASH_BT, new TraceBlock(task.source(at(lineNo)), false, null));
                    return true;
                }
                int pid = CrashLineParser.parseBarePid(t);
                if (pid >= 0) {
                    open(Mode.CRASH_SET, new TraceBlock(new Task(pid).source(at(lineNo)), false, "crash task"));
                    return true;
                }
                if (CrashLineParser.isPsHeader(t)) {
                    evidence.addFormat("crash ps");
                    return true;
                }
                break;
            }
            case '[':
                if (t.startsWith("[<")) {
                    Frame f = FrameLineParser.parse(t);
                    if (f != null) {
                        open(Mode.PROC_STACK, new TraceBlock(new Task(0).source(at(lineNo)), true, "/proc stack"));
                        addProcFrame(f);
                        return true;
                    }
                } else if (t.startsWith("[exception RIP:")) {
                    open(Mode.CRASH_BT, new TraceBlock(new Task(0).source(at(lineNo)), true, null));
                    continueCrash(t);
                    return true;
                } else {
                    Task task = CrashLineParser.parseLastRunRow(t);
                    if (task != null) {
                        addStandalone(task, "crash ps", lineNo);
                        return true;
                    }
                }
                break;
            case '#':
                if (t.length() > 1 && FrameLineParser.isDigit(t.charAt(1))) {
                    Frame f = FrameLineParser.parse(t);
                    if (f != null) {
                        open(Mode.CRASH_BT, new TraceBlock(new Task(0).source(at(lineNo)), true, null));
                        continueCrash(t);
                        return true;
                    }
                }
                break;
            case 'c':
                if (t.startsWith("crash>")) {
                    crashPrompt(t.substring(6).strip());
                    return true;
                }
                break;
            case 'j':
                if (t.startsWith("journal_info") && crashPid != null) {
                    Long v = journalInfo(t);
                    if (v != null) {
                        addStandalone(new Task(crashPid).journalInfo(v), "crash task", lineNo);
                        return true;
                    }
                }
                break;
            case 'N':
                if (t.startsWith("Name:") && ProcStatusLines.looksLikeStatusLine(t)) {
                    open(Mode.PROC_STATUS, new TraceBlock(new Task(0).source(at(lineNo)), true, "/proc status"));
                    block.addPendingLine(t);
                    return true;
                }
                break;
            default:
                break;
        }
        if (c == '>' || c == '-' || FrameLineParser.isDigit(c)) {
            Task task = CrashLineParser.parsePsRow(t);
            if (task != null) {
                addStandalone(task, "crash ps", lineNo);
                return true;
            }
        }
        if (t.indexOf("/proc/") >= 0) {
            return startProc(t, lineNo);
        }
        return startBareFrames(t, lineNo);
    }

    /**
     * A frame with no header before it (a stack pasted alone, its header cut off or never copied): a symbol with its
     * "+0xoff/0xsize" is unmistakable, so it opens a stack of a task the evidence does not name; it is kept when at
     * least {@link #MIN_BARE_FRAMES} frames follow one another (a stray frame or the tail of a cut stack is not one).
     */
    private boolean startBareFrames(String t, long lineNo) {
        int plus = t.indexOf("+0x");
        if (plus <= 0 || t.indexOf("/0x", plus) < 0) {
            return false;
        }
        Frame f = FrameLineParser.parse(t);
        if (f == null || !f.location().startsWith("+0x")) {
            return false;
        }
        openKernel(new Task(0), null, lineNo);
        inFrames = true;
        bare = true;
        block.addFrame(f, context);
        return true;
    }

    private boolean startProc(String t, long lineNo) {
        ProcPathRef ref = ProcPathRef.find(t);
        if (ref == null) {
            return false;
        }
        Task task = new Task(ref.pid()).source(at(lineNo));
        switch (ref.file()) {
            case ProcPathRef.STACK:
                open(Mode.PROC_STACK, new TraceBlock(task, false, "/proc stack"));
                break;
            case ProcPathRef.STATUS:
                open(Mode.PROC_STATUS, new TraceBlock(task, false, "/proc status"));
                break;
            default:
                mode = Mode.LS_TASKS;
                lsTgid = ref.pid();
                return true;
        }
        if (ref.bodyStart() >= 0) {
            continueBlock(t);
        }
        return true;
    }

    private void openKernel(Task task, String format, long lineNo) {
        open(Mode.KERNEL, new TraceBlock(task.source(at(lineNo)), false, format));
    }

    private void open(Mode m, TraceBlock b) {
        bare = false;
        mode = m;
        block = b;
        inFrames = false;
        slack = HEADER_SLACK;
        context = StackContext.TASK;
        braceDepth = 0;
    }

    // ---- extending blocks ----

    private boolean continueBlock(String t) {
        switch (mode) {
            case KERNEL:
                return continueKernel(t);
            case CRASH_BT:
                return continueCrash(t);
            case CRASH_TASK:
                return continueCrashTask(t);
            case CRASH_SET:
                return continueCrashSet(t);
            case PROC_STACK:
                return continueProcStack(t);
            case PROC_STATUS:
                return continueProcStatus(t);
            case LS_TASKS:
                return continueLsTasks(t);
            default:
                return false;
        }
    }

    private boolean continueKernel(String t) {
        char c = t.charAt(0);
        if (c == '<') {
            return kernelMarker(t);
        }
        if (c != '#') {
            Frame f = FrameLineParser.parse(t);
            if (f != null) {
                inFrames = true;
                block.addFrame(f, context);
                return true;
            }
        }
        if (isCallTrace(t)) {
            inFrames = true;
            return true;
        }
        if (TraceNoise.isInterleaved(t)) {
            return true;
        }
        return !inFrames && slack-- > 0 && TraceNoise.isHeaderNoise(t);
    }

    /**
     * `<IRQ>`, `</IRQ>`, `<NMI>`, `<SOFTIRQ>`, `<#DF>`, `<TASK>`, `</TASK>` (4.x+, own line) and 3.10's
     * ` <IRQ>  [<addr>] frame`, ` <EOI>  [<addr>] frame`, ` <<EOE>>  [<addr>] frame` (marker and frame on one line).
     */
    private boolean kernelMarker(String t) {
        boolean closing;
        String name;
        int end;
        if (t.startsWith("<<EOE>>")) {
            closing = true;
            name = "EOE";
            end = 7;
        } else {
            int gt = t.indexOf('>');
            if (gt < 2 || gt > 24) {
                return false;
            }
            String inner = t.substring(1, gt);
            closing = inner.startsWith("/");
            name = closing ? inner.substring(1) : inner;
            end = gt + 1;
            for (int k = 0; k < name.length(); k++) {
                char ch = name.charAt(k);
                if (!(Character.isUpperCase(ch) || Character.isDigit(ch) || ch == '#' || ch == '_')) {
                    return false;
                }
            }
        }
        if (closing || name.equals("EOI") || name.equals("EOE") || name.equals("TASK")) {
            context = StackContext.TASK;
        } else if (name.equals("IRQ")) {
            context = StackContext.IRQ;
        } else if (name.equals("SOFTIRQ")) {
            context = StackContext.SOFTIRQ;
        } else if (name.equals("NMI")) {
            context = StackContext.NMI;
        } else {
            context = StackContext.EXCEPTION;
        }
        inFrames = true;
        String rest = t.substring(end).strip();
        if (!rest.isEmpty()) {
            Frame f = FrameLineParser.parse(rest);
            if (f != null) {
                block.addFrame(f, context);
            }
        }
        if (closing && name.equals("TASK")) {
            // 5.x+ closes the task's stack explicitly: nothing after it belongs to this task
            endBlock();
        }
        return true;
    }

    /** A hung-task header is followed by the same task's own task line: fold it in rather than start anew. */
    private boolean mergeTaskLine(String t) {
        if (mode != Mode.KERNEL || !block.fromHungHeader || inFrames) {
            return false;
        }
        Task line = t.startsWith("task:") ? TaskLineParser.parseNew(t) : TaskLineParser.parseOld(t);
        if (line == null || line.pid() != block.task.pid()) {
            return false;
        }
        Task into = block.task;
        into.comm(line.comm()).state(line.state());
        if (line.ppid() != null) into.ppid(line.ppid());
        if (line.tgid() != null) into.tgid(line.tgid());
        if (line.flags() != null) into.flags(line.flags());
        block.fromHungHeader = false;
        return true;
    }

    private boolean continueCrash(String t) {
        char c = t.charAt(0);
        if (c == '#') {
            Frame f = FrameLineParser.parse(t);
            if (f == null) {
                return false;
            }
            block.addCrashFrame(f);
            if (block.format == null) {
                block.format = "crash bt";
            }
            return true;
        }
        if (c == '[' && t.startsWith("[exception RIP:")) {
            block.pendingRip = CrashLineParser.parseExceptionRip(t);
            block.ripSeen = true;
            return true;
        }
        if (c == '-') {
            StackContext ctx = CrashLineParser.parseStackMarker(t);
            if (ctx != null) {
                block.closeSegment(ctx);
                return true;
            }
            return false;
        }
        if (t.startsWith("struct task_struct")) {
            mode = Mode.CRASH_TASK;
            block.format = "crash task";
            braceDepth = braceDelta(t);
            return true;
        }
        if (c == 'j' && t.startsWith("journal_info")) {
            Long v = journalInfo(t);
            if (v != null) {
                block.task.journalInfo(v);
                if (block.format == null) {
                    block.format = "crash task";
                }
            }
            return true;
        }
        return TraceNoise.isCrashInterleaved(t);
    }

    private boolean continueCrashTask(String t) {
        if (t.startsWith("crash>") || t.startsWith("PID:")) {
            return false;
        }
        if (t.startsWith("journal_info")) {
            Long v = journalInfo(t);
            if (v != null) {
                block.task.journalInfo(v);
            }
        }
        braceDepth += braceDelta(t);
        if (braceDepth <= 0) {
            endBlock();
        }
        return true;
    }

    /** crash `set` (show_context): `COMMAND: "comm"`, `TASK: ...`, `CPU: 5`, `STATE: TASK_UNINTERRUPTIBLE`. */
    private boolean continueCrashSet(String t) {
        if (t.startsWith("COMMAND:")) {
            int q1 = t.indexOf('"');
            int q2 = t.lastIndexOf('"');
            if (q1 >= 0 && q2 > q1) {
                block.task.comm(t.substring(q1 + 1, q2));
            }
            return true;
        }
        if (t.startsWith("STATE:")) {
            block.task.state(CrashLineParser.parseStateName(t.substring(6)));
            return true;
        }
        if (t.startsWith("CPU:")) {
            Long cpu = TaskLineParser.leadingNumber(t, 4);
            if (cpu != null) {
                block.task.cpu(cpu.intValue());
            }
            return true;
        }
        return t.startsWith("TASK:");
    }

    private boolean continueProcStack(String t) {
        String body = t;
        if (t.startsWith("/proc/")) {
            ProcPathRef ref = ProcPathRef.find(t);
            if (ref == null || ref.bodyStart() < 0 || ref.pid() != block.task.pid() || block.anonymous
                    || !ref.file().equals(ProcPathRef.STACK)) {
                return false;
            }
            body = t.substring(ref.bodyStart()).strip();
        }
        if (body.isEmpty() || body.charAt(0) == '#') {
            return false;
        }
        Frame f = FrameLineParser.parse(body);
        if (f == null) {
            return false;
        }
        addProcFrame(f);
        return true;
    }

    private void addProcFrame(Frame f) {
        if (!FrameLineParser.isTerminator(f)) {
            block.addFrame(f, StackContext.TASK);
        }
    }

    private boolean continueProcStatus(String t) {
        String body = t;
        if (t.startsWith("/proc/")) {
            ProcPathRef ref = ProcPathRef.find(t);
            if (ref == null || ref.bodyStart() < 0 || ref.pid() != block.task.pid() || block.anonymous
                    || !ref.file().equals(ProcPathRef.STATUS)) {
                return false;
            }
            body = t.substring(ref.bodyStart()).strip();
        }
        if (!ProcStatusLines.looksLikeStatusLine(body)) {
            return false;
        }
        block.addPendingLine(body);
        return true;
    }

    /** `ls /proc/PID/task` output: the thread ids of that thread group, several to a line. */
    private boolean continueLsTasks(String t) {
        int i = 0;
        int n = t.length();
        int found = 0;
        while (i < n) {
            int s = i;
            while (i < n && FrameLineParser.isDigit(t.charAt(i))) {
                i++;
            }
            if (i == s || i - s > 9 || (i < n && t.charAt(i) != ' ' && t.charAt(i) != '\t')) {
                return false;
            }
            i = FrameLineParser.skipSpaces(t, i);
            found++;
        }
        i = 0;
        while (i < n) {
            int s = i;
            while (i < n && FrameLineParser.isDigit(t.charAt(i))) {
                i++;
            }
            evidence.addTask(new Task(Integer.parseInt(t.substring(s, i))).tgid(lsTgid).source(at(lineNo)));
            i = FrameLineParser.skipSpaces(t, i);
        }
        return true;
    }

    // ---- closing blocks ----

    private void endBlock() {
        TraceBlock b = block;
        Mode m = mode;
        block = null;
        mode = Mode.IDLE;
        inFrames = false;
        context = StackContext.TASK;
        if (b == null) {
            return;
        }
        if (m == Mode.PROC_STATUS) {
            finishStatus(b);
            return;
        }
        Task task = b.finish();
        if (b.anonymous && task.frames().isEmpty() && task.comm() == null) {
            return;
        }
        if (bare) {
            bare = false;
            if (task.frames().size() < MIN_BARE_FRAMES) {
                return;
            }
            evidence.addFormat("bare stack");
        }
        if (m == Mode.PROC_STACK && task.frames().isEmpty()) {
            return;
        }
        if (b.anonymous) {
            task = task.withPid(evidence.anonymousPid());
        }
        evidence.addTask(task);
        String format = b.format;
        if (format == null && (m == Mode.CRASH_BT || m == Mode.CRASH_TASK) && b.ripSeen) {
            format = "crash bt";
        }
        if (format != null) {
            evidence.addFormat(format);
        }
    }

    private void finishStatus(TraceBlock b) {
        Integer pid = b.anonymous ? null : b.task.pid();
        if (pid == null) {
            for (String l : b.pendingLines) {
                Integer p = ProcStatusLines.pidOf(l);
                if (p != null) {
                    pid = p;
                    break;
                }
            }
        }
        if (pid == null) {
            return;
        }
        Task task = new Task(pid).source(b.task.source());
        boolean kept = false;
        for (String l : b.pendingLines) {
            kept |= ProcStatusLines.apply(task, l);
        }
        if (kept) {
            evidence.addTask(task);
            evidence.addFormat("/proc status");
        }
    }

    private void addStandalone(Task task, String format, long lineNo) {
        if (task.pid() <= 0) {
            task = task.withPid(evidence.anonymousPid());
        }
        evidence.addTask(task.source(at(lineNo)));
        evidence.addFormat(format);
    }

    // ---- crash prompts ----

    /** `crash> task 27225 | grep journal_info`, `crash> bt 27153`, `crash> set 587`: remember which pid. */
    private void crashPrompt(String command) {
        crashPid = null;
        String[] words = command.split("\\s+");
        if (words.length < 2) {
            return;
        }
        String verb = words[0];
        if (!verb.equals("task") && !verb.equals("bt") && !verb.equals("set")) {
            return;
        }
        for (int k = 1; k < words.length; k++) {
            String w = words[k];
            if (w.equals("|") || w.equals(">")) {
                return;
            }
            if (w.startsWith("-")) {
                continue;
            }
            crashPid = TaskLineParser.parseIntOrNull(w);
            return;
        }
    }

    /** `journal_info = 0xffff9f53fa89bb70,` (crash struct output); 0 means the task holds no handle. */
    private static Long journalInfo(String t) {
        int x = t.indexOf("0x");
        int eq = t.indexOf('=');
        if (x < 0 || eq < 0 || x < eq) {
            return null;
        }
        int i = x + 2;
        int s = i;
        while (i < t.length() && FrameLineParser.isHexDigit(t.charAt(i))) {
            i++;
        }
        if (i == s || i - s > 16) {
            return null;
        }
        return Long.parseUnsignedLong(t.substring(s, i), 16);
    }

    private static int braceDelta(String t) {
        int d = 0;
        for (int k = 0; k < t.length(); k++) {
            char ch = t.charAt(k);
            if (ch == '{') {
                d++;
            } else if (ch == '}') {
                d--;
            }
        }
        return d;
    }

    private static boolean isCallTrace(String t) {
        return t.startsWith("Call Trace:") || t.startsWith("Call trace:") || t.startsWith("Backtrace:");
    }

    private String at(long lineNo) {
        return source + ":" + lineNo;
    }
}
