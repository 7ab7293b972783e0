package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

/**
 * The kernel's own stack dumps, every generation: a hung-task report, a sysrq-t/w task, a `CPU: ... PID: ...`
 * dump_stack header, a bare `Call Trace:`, or frames with no header at all. Frames and the lines a dump interleaves
 * with them (registers, `<IRQ>` markers, raw stack words) extend the block; anything else ends it, so frames never
 * drift onto the wrong task.
 */
final class KernelStackBlock extends BlockParser {
    /** Lines a header may be separated from its stack by (`Tainted:`, registers, `Workqueue:`, stack words). */
    private static final int HEADER_SLACK = 64;
    /** A stack without any header is kept from this many frames on. */
    private static final int MIN_BARE_FRAMES = 3;
    private static final String WORKQUEUE = "Workqueue:";
    /** The format of a stack whose header was not pasted. */
    private static final String HEADERLESS = "bare stack";
    private static final String TASK_FLAGS = "task_flags:0x";
    private static final String POWERPC_INTERRUPT = "--- interrupt: ";
    private static final String CODE = "Code:";
    private static final java.util.Set<String> LOWER_CASED_MARKERS = java.util.Set.of("task", "irq", "nmi",
            "softirq", "eoi");

    private TraceBlock block;
    /** Past `Call Trace:` or the first frame. */
    private boolean inFrames;
    private int slack;
    /** The block began at a frame with no header. */
    private boolean bare;
    private StackContext context = StackContext.TASK;
    /** A bare block's first lines, given back as skipped when too few frames follow. */
    private final long[] bareLineNos = new long[MIN_BARE_FRAMES - 1];
    private final String[] bareLines = new String[MIN_BARE_FRAMES - 1];
    private int bareHeld;
    /** The last line taken added a frame. */
    private boolean lastLineFrame;
    /** The last line taken was a {@code Code:} line or a piece of one a wrap moved to a line of its own. */
    private boolean afterCode;
    /** The last line taken was registers or stack words, whose last value a wrap may have moved to the next line. */
    private boolean afterValues;
    /** The header ended at its taint words: a wrap may have moved the release and version to the next line. */
    private boolean releaseNext;

    KernelStackBlock(TraceTasks out) {
        super(out);
    }

    /** A task header opened the block; {@code format} names the dump (null: the header alone does not tell). */
    KernelStackBlock open(Task task, String format, long lineNo) {
        reset();
        block = new TraceBlock(task.source(out.at(lineNo)), false, format);
        inFrames = false;
        lastLineFrame = false;
        bare = false;
        slack = HEADER_SLACK;
        context = StackContext.TASK;
        releaseNext = false;
        return this;
    }

    /**
     * The dump_stack header just opened ended at its taint words ("CPU: 75 PID: 3095650 Comm: fio Not tainted"):
     * lib/dump_stack.c prints the release and the version's first word after them on the same line, so the next line
     * holding only those ("6.10.0-rc3 #32") is that header's, wrapped by a mailer.
     */
    void releaseMayFollow() {
        releaseNext = block != null;
    }

    /**
     * A kernel release, alone or before the version's first word and what a distribution adds after it:
     * "6.10.0-rc3-trnct_nvme #32", "4.15.0-20-generic", "6.1.0-11-2-amd64 #1  Debian 6.1.38-4".
     */
    static boolean isWrappedRelease(String t) {
        int space = t.indexOf(' ');
        String release = space < 0 ? t : t.substring(0, space);
        if (release.isEmpty() || release.charAt(0) < '0' || release.charAt(0) > '9' || release.indexOf('.') < 0) {
            return false;
        }
        return space < 0 || t.startsWith("#", space + 1);
    }

    /** A hung-task `INFO:` header: the task line that follows describes the same pid. */
    KernelStackBlock openHungHeader(Task task, long lineNo) {
        open(task, "hung-task report", lineNo);
        block.fromHungHeader = true;
        return this;
    }

    /** `Call Trace:` with no task header before it. */
    KernelStackBlock openCallTrace(long lineNo) {
        open(new Task(0), null, lineNo);
        inFrames = true;
        return this;
    }

    /** `Call Trace:` with no task header before it, and the frames its line may hold after it. */
    KernelStackBlock openCallTrace(String t, long lineNo) {
        openCallTrace(lineNo);
        callTraceRest(t);
        return this;
    }

    /**
     * What follows "Call Trace:" on its own line: 2.6.x x86_64 printed its first frames there
     * ("Call Trace: <ffffffff81009108>{cpu_idle+104} <ffffffff8100803f>{rest_init+63}"), the IRQ stack's mark first
     * when it had one ("Call Trace: <IRQ> <ffffffff8013f8c2>{__do_softirq+82}").
     */
    private void callTraceRest(String t) {
        int colon = t.indexOf(':');
        int from = colon < 0 ? t.length() : FrameLineParser.skipSpaces(t, colon + 1);
        if (from >= t.length()) {
            return;
        }
        String rest = t.substring(from);
        if (rest.charAt(0) == '<' && kernelMarker(rest)) {
            return;
        }
        frameRun(rest, 0);
    }

    /**
     * Frames several to a line, with the stack marks between them: 2.6.x x86_64's printk_address() run
     * ("<%016lx>{%s%s%s%s%+ld}", a module's symbol as ":ext3:fn", an address without a symbol as "[<%016lx>]",
     * " <IRQ>" / " <EOI>" / " <NMI>" / " <EOE>" as the stack changes, a new line every few entries), the same run
     * cut by a mailer's wrap ("<ffffffff8027d710>" at a line's end, "{do_sync_write+208}" opening the next), and
     * "[<addr>] fn+0x../0x.." entries run together on one line. All or nothing: false, and no frame added, when
     * anything on the line is none of these.
     */
    private boolean frameRun(String t, int from) {
        java.util.List<Frame> found = new java.util.ArrayList<>();
        java.util.List<StackContext> where = new java.util.ArrayList<>();
        StackContext ctx = context;
        int n = t.length();
        int entries = 0;
        int i = from;
        while (true) {
            i = FrameLineParser.skipSpaces(t, i);
            if (i >= n) {
                break;
            }
            char c = t.charAt(i);
            if (c == '<') {
                int gt = t.indexOf('>', i + 1);
                if (gt < 0 || gt - i > 24) {
                    return false;
                }
                String inner = t.substring(i + 1, gt);
                if (RawText.isHexWord(inner, 0, inner.length())) {
                    entries++;
                    if (gt + 1 < n && t.charAt(gt + 1) == '{') {
                        int close = t.indexOf('}', gt + 2);
                        if (close < 0) {
                            break; // "{system_call" and the rest on the next line: the frame is lost to the wrap
                        }
                        Frame f = braceSymbol(t, gt + 2, close);
                        if (f == null) {
                            return false;
                        }
                        found.add(f);
                        where.add(ctx);
                        i = close + 1;
                    } else {
                        i = gt + 1; // the address alone: its symbol follows on the next line, or was never known
                    }
                    continue;
                }
                StackContext mark = markContext(inner);
                if (mark == null) {
                    return false;
                }
                ctx = mark;
                i = gt + 1;
                continue;
            }
            if (c == '{' && (i == from)) {
                int close = t.indexOf('}', i + 1);
                Frame f = close < 0 ? null : braceSymbol(t, i + 1, close);
                if (f == null) {
                    return false;
                }
                entries++;
                found.add(f);
                where.add(ctx);
                i = close + 1;
                continue;
            }
            if (c == '[' && t.startsWith("[<", i)) {
                int close = t.indexOf(">]", i + 2);
                if (close < 0 || close - i > 24) {
                    return false;
                }
                int after = FrameLineParser.skipSpaces(t, close + 2);
                if (after < n && t.charAt(after) == '(') {
                    return false; // arm32's "[<pc>] (fn) from [<lr>] (caller)": one frame, read as one
                }
                int next = t.indexOf("[<", close + 2);
                int entryEnd = next < 0 ? n : next;
                String entry = t.substring(i, entryEnd).strip();
                entries++;
                if (entry.length() > close + 2 - i) {
                    Frame f = FrameLineParser.parse(entry);
                    if (f == null) {
                        return false;
                    }
                    found.add(f);
                    where.add(ctx);
                }
                i = entryEnd;
                continue;
            }
            return false;
        }
        if (entries == 0) {
            return false;
        }
        for (int k = 0; k < found.size(); k++) {
            block.addFrame(found.get(k), where.get(k));
        }
        context = ctx;
        inFrames = true;
        return true;
    }

    /** "fn+104", ":ext3:ext3_fn+52" inside a 2.6.x x86_64 entry's braces; null when it is not a symbol. */
    private static Frame braceSymbol(String t, int from, int to) {
        String module = null;
        int i = from;
        if (i < to && t.charAt(i) == ':') {
            int second = t.indexOf(':', i + 1);
            if (second < 0 || second >= to || second == i + 1) {
                return null;
            }
            module = t.substring(i + 1, second);
            i = second + 1;
        }
        int nameEnd = i;
        while (nameEnd < to && FrameLineParser.isSymbolChar(t.charAt(nameEnd))) {
            nameEnd++;
        }
        if (nameEnd == i || nameEnd >= to || t.charAt(nameEnd) != '+' && t.charAt(nameEnd) != '-') {
            return null;
        }
        for (int k = nameEnd + 1; k < to; k++) {
            if (!FrameLineParser.isDigit(t.charAt(k))) {
                return null;
            }
        }
        if (nameEnd + 1 == to) {
            return null;
        }
        return new Frame(t.substring(i, nameEnd), t.substring(nameEnd, to), module, false, StackContext.TASK);
    }

    /** The stack a mark inside a run switches to ("IRQ", "EOI", "NMI", "#DF", "EOE"), or null for no mark. */
    private static StackContext markContext(String inner) {
        return switch (inner) {
            case "IRQ" -> StackContext.IRQ;
            case "EOI", "EOE" -> StackContext.TASK;
            case "NMI" -> StackContext.NMI;
            default -> inner.startsWith("#") && inner.length() <= 8 ? StackContext.EXCEPTION : null;
        };
    }

    /**
     * A `Workqueue:` line whose task header was not pasted (it is printed between the header and the stack): the
     * stack that follows is that kworker's.
     */
    KernelStackBlock openWorkqueue(String t, long lineNo) {
        open(new Task(0), null, lineNo);
        workqueue(t);
        return this;
    }

    /** A frame with no header before it (kept only when {@link #MIN_BARE_FRAMES} frames follow one another). */
    KernelStackBlock openBare(Frame first, String t, long lineNo) {
        openCallTrace(lineNo);
        bare = true;
        bareHeld = 0;
        holdBareLine(t, lineNo);
        block.addFrame(first, context);
        lastLineFrame = true;
        return this;
    }

    /**
     * A frame only a kernel dump prints opens a stack with no header before it: unlike a bare "+0x" line, the shape
     * vouches for it (arm32's {@code [<pc>] (fn) from [<lr>] (caller+0x../0x..)}), so it is kept from one frame on.
     */
    KernelStackBlock openDumpFrame(Frame first, long lineNo) {
        openCallTrace(lineNo);
        block.format = HEADERLESS;
        block.addFrame(first, context);
        lastLineFrame = true;
        return this;
    }

    /**
     * A headerless stack another reader began (a run of {@code [<addr>] fn} lines, which a pasted /proc stack
     * prints too) turned out to be a kernel dump: its next line is one only dumps print between frames
     * ({@link TraceNoise#isBetweenFrames}). Its frames so far stay this stack's.
     */
    KernelStackBlock adopt(TraceBlock begun) {
        reset();
        block = begun;
        block.format = HEADERLESS;
        inFrames = true;
        lastLineFrame = false;
        bare = false;
        slack = 0;
        context = StackContext.TASK;
        return this;
    }

    /** A line that goes on a kernel dump's stack and cannot be a /proc stack's: see {@link #adopt}. */
    static boolean continuesDumpOnly(String t) {
        return TraceNoise.isBetweenFrames(t) || Marker.parse(t) != null;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        int before = block == null ? 0 : block.frameCount();
        // a task line first: its name (which any local user sets) may read as a frame, a marker or `Call Trace:`
        boolean code = afterCode;
        boolean values = afterValues;
        boolean release = releaseNext;
        afterCode = false;
        afterValues = false;
        releaseNext = false;
        if (release && block != null && !inFrames && isWrappedRelease(t)) {
            lastLineFrame = false;
            return true;
        }
        if (block != null && (code && isCodeWrap(t) || values && isLoneValue(t))) {
            // a wrap's piece of the registers printed inside the stack: the stack goes on under them
            afterCode = code;
            lastLineFrame = false;
            return true;
        }
        boolean taskLine = TaskLineParser.parseAny(t) != null;
        Task regs = taskLine ? null : TaskLineParser.parseRegsHeader(t);
        boolean taken = taskLine ? mergeTaskLine(t) : regs != null ? mergeRegsHeader(regs)
                : continueKernel(t) || mergeTaskLine(t);
        lastLineFrame = taken && block != null && block.frameCount() > before;
        if (taken) {
            if (bare) {
                holdBareLine(t, lineNo);
            }
            return true;
        }
        return false;
    }

    private void holdBareLine(String t, long lineNo) {
        if (bareHeld < bareLines.length) {
            bareLineNos[bareHeld] = lineNo;
            bareLines[bareHeld++] = t;
        }
    }

    @Override
    void closeAtEnd() {
        if (block != null && lastLineFrame) {
            block.markLastFrameCut();
        }
        close();
    }

    @Override
    void close() {
        TraceBlock b = block;
        block = null;
        if (b == null) {
            return;
        }
        if (bare) {
            if (b.frameCount() < MIN_BARE_FRAMES) {
                for (int k = 0; k < bareHeld; k++) {
                    if (SkippedLines.looksLikeKernelOutput(bareLines[k])) {
                        out.skipped.add(bareLineNos[k], bareLines[k]);
                    }
                }
                return;
            }
            out.format(HEADERLESS);
        }
        out.add(b, false, null);
    }

    private boolean continueKernel(String t) {
        char c = t.charAt(0);
        if (c == '<') {
            return kernelMarker(t) || frameRun(t, 0);
        }
        if (c == '{' || c == '[' && t.startsWith("[<") && t.indexOf(" [<", 3) > 0
                && !FrameLineParser.isArmBacktraceLine(t)) {
            // frames several to a line: 2.6.x x86_64's run wrapped onto its next line, or entries run together
            if (frameRun(t, 0)) {
                return true;
            }
        }
        if (c != '#') {
            Frame f = FrameLineParser.parse(t);
            if (f != null) {
                inFrames = true;
                block.addFrame(f, context);
                return true;
            }
        }
        if (inFrames && block.frameCount() > 0 && c == '?') {
            // "? nfs_do_lookup": an unreliable frame whose offset the paste's cut took (TraceBlock.markLastFrameCut)
            Frame f = FrameLineParser.parseMarkedName(t);
            if (f != null) {
                block.addFrame(f, context);
                return true;
            }
        }
        if (isCallTrace(t)) {
            inFrames = true;
            callTraceRest(t);
            return true;
        }
        if (!inFrames && t.startsWith(WORKQUEUE)) {
            workqueue(t);
            return true;
        }
        if (!inFrames && wordsThenCallTrace(t)) {
            inFrames = true;
            return true;
        }
        if (inFrames && block.frameCount() > 0 && t.startsWith(POWERPC_INTERRUPT)) {
            interruptedAt(t);
            return true;
        }
        if (TraceNoise.isInterleaved(t) || isElision(t)) {
            afterCode = t.startsWith(CODE);
            afterValues = TraceNoise.isRegisterLine(t) || TraceNoise.isWordsLine(t);
            return true;
        }
        if (!inFrames && slack > 0 && t.startsWith(TASK_FLAGS)) {
            taskFlagsTail(t);
            slack--;
            return true;
        }
        return !inFrames && slack-- > 0 && TraceNoise.isHeaderNoise(t);
    }

    /**
     * powerpc show_stack() at an exception frame: {@code --- interrupt: 901 at debug_vm_pgtable+0x7a8/0xbb4} (before 5.x
     * {@code --- Exception: }) names the instruction the interrupt stopped (regs->nip), the code the CPU ran below the
     * interrupt's own frames, as x86 prints its RIP's function under {@code </IRQ>}. That function is a frame of the
     * stack; a user-space address (a system call's 3000 at 0x7fffaed4c11c) or a cut name is no frame.
     */
    private void interruptedAt(String t) {
        int at = t.indexOf(" at ", POWERPC_INTERRUPT.length());
        if (at < 0) {
            return;
        }
        Frame f = FrameLineParser.parse(t.substring(at + 4).strip());
        if (f != null && !f.location().isEmpty() && !f.unreliable()) {
            block.addFrame(f, context);
        }
    }

    /**
     * The tail of a 6.13+ task line on a line of its own: {@code task_flags:0x400000 flags:0x00000001} (sched_show_task
     * prints {@code task_flags:} and {@code flags:} last; a mailer or a console wrap moved them). The header's task
     * takes the task flags when its own line lost them.
     */
    private void taskFlagsTail(String t) {
        int end = TASK_FLAGS.length();
        while (end < t.length() && Character.digit(t.charAt(end), 16) >= 0) {
            end++;
        }
        if (end > TASK_FLAGS.length() && end - TASK_FLAGS.length() <= 8 && block.task.flags() == null) {
            block.task.flags(Long.parseLong(t.substring(TASK_FLAGS.length(), end), 16));
        }
    }

    /**
     * `<IRQ>`, `</IRQ>`, `<NMI>`, `<SOFTIRQ>`, `<#DF>`, `<TASK>`, `</TASK>` (4.x+, own line) and 3.10's
     * ` <IRQ>  [<addr>] frame`, ` <EOI>  [<addr>] frame`, ` <<EOE>>  [<addr>] frame` (marker and frame on one line).
     */
    private boolean kernelMarker(String t) {
        Marker m = Marker.parse(t);
        if (m == null) {
            return false;
        }
        String name = m.name();
        if (m.closing() || name.equals("EOI") || name.equals("EOE") || name.equals("TASK")) {
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
        String rest = t.substring(m.end()).strip();
        if (!rest.isEmpty()) {
            Frame f = FrameLineParser.parse(rest);
            if (f != null) {
                block.addFrame(f, context);
            } else {
                frameRun(rest, 0);
            }
        }
        if (m.closing() && name.equals("TASK")) {
            // 5.x+ closes the task's stack explicitly: nothing after it belongs to this task
            markDone();
        }
        return true;
    }

    /** A stack marker: its name (upper case), whether it closes ({@code </IRQ>}) and where the rest of the line starts. */
    private record Marker(String name, boolean closing, int end) {
        static Marker parse(String t) {
            if (t.startsWith("<<EOE>>")) {
                return new Marker("EOE", true, 7);
            }
            if (t.isEmpty() || t.charAt(0) != '<') {
                return null;
            }
            int gt = t.indexOf('>');
            if (gt < 2 || gt > 24) {
                return null;
            }
            String inner = t.substring(1, gt);
            boolean closing = inner.startsWith("/");
            String name = closing ? inner.substring(1) : inner;
            if (LOWER_CASED_MARKERS.contains(name)) {
                // "<task>": the marker copied from a web page that took it for an HTML tag and lower-cased it
                name = name.toUpperCase(java.util.Locale.ROOT);
            }
            for (int k = 0; k < name.length(); k++) {
                char ch = name.charAt(k);
                if (!(Character.isUpperCase(ch) || Character.isDigit(ch) || ch == '#' || ch == '_')) {
                    return null;
                }
            }
            return new Marker(name, closing, gt + 1);
        }
    }

    /**
     * One dump names its task twice before the stack: x86_64 2.6's show_regs() "Pid: %d, comm: ..." and then its die()
     * "Process %s (pid: %d, ...)", arm's "CPU: %d PID: %d Comm: ..." and then "Process %.*s (pid: %d, ...)". The
     * second line of the same pid goes into the block; another pid's starts its own.
     */
    private boolean mergeRegsHeader(Task regs) {
        if (inFrames || block.frameCount() > 0 || bare || regs.pid() != block.task.pid()) {
            return false;
        }
        if (block.task.comm() == null) {
            block.task.comm(regs.comm());
        }
        if (block.task.cpu() == null && regs.cpu() != null) {
            block.task.cpu(regs.cpu());
        }
        return true;
    }

    /** A hung-task header is followed by the same task's own task line: fold it in rather than start anew. */
    private boolean mergeTaskLine(String t) {
        if (!block.fromHungHeader || inFrames) {
            return false;
        }
        Task line = TaskLineParser.parseAny(t);
        if (line == null && t.startsWith("task:")) {
            // the line cut after its state ("task:modprobe     state:D"): the header's task when the name is its own
            line = TaskLineParser.parseNewCut(t);
            if (line != null && block.task.comm() != null && line.comm().equals(block.task.comm())) {
                block.task.state(line.state());
                block.fromHungHeader = false;
                return true;
            }
            return false;
        }
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

    /**
     * {@code Workqueue: NAME FUNCTION [module] (desc)} (kernel/workqueue.c print_worker_info: "%sWorkqueue: %s %ps",
     * then " (%s)" when the worker's description differs from the name): the work the task's kworker ran. The name
     * may be empty; the words are told apart by what follows them, not by the spacing, which pastes change.
     */
    private void workqueue(String t) {
        String rest = t.substring(WORKQUEUE.length()).strip();
        if (rest.isEmpty()) {
            return;
        }
        String[] w = rest.split("\\s+");
        boolean named = w.length > 1 && !w[1].startsWith("[") && !w[1].startsWith("(");
        String fn = named ? w[1] : w[0];
        if (named) {
            block.task.workqueue(w[0]);
        }
        if (!fn.startsWith("(") && !fn.startsWith("0x")) {
            block.task.workFunction(fn);
        }
        if (named && !fn.startsWith("(") && !fn.startsWith("0x")) {
            // the function only where the line holds both words: a lone word may be a name cut short
            String module = w.length > 2 && w[2].length() > 2 && w[2].startsWith("[") && w[2].endsWith("]")
                    ? w[2].substring(1, w[2].length() - 1) : null;
            block.workFrame = new Frame(fn, "", module, false, StackContext.TASK);
        }
    }

    /**
     * The block holds a task's header and nothing of its stack yet: it may be waiting for a `Call Trace:` that a
     * reply or a note pasted between the lines held apart.
     */
    boolean awaitsStack() {
        // (a header of the idle task, pid 0, is nobody's by pid and still a header: "Pid: 0, comm: swapper")
        return block != null && (!block.anonymous || block.task.comm() != null) && !inFrames
                && block.frameCount() == 0 && !bare;
    }

    /** The block has frames (a blank line after them may be a gap in the paste rather than the stack's end). */
    boolean hasFrames() {
        return block != null && block.frameCount() > 0 && !bare;
    }

    /**
     * The rest of a {@code Code:} line that a mailer or a console wrapped onto lines of its own: the instruction bytes
     * x86's show_opcodes() prints ({@code %02x}, the faulting one as {@code <%02x>}), or arm's and arm64's words
     * ({@code e59f3010}, the faulting one as {@code (e5933000)}), and nothing else; the last may be cut
     * ({@code <40> f6 c6 1}). The registers and frames of the stack the {@code Code:} line sits in follow it.
     */
    static boolean isCodeWrap(String t) {
        int n = t.length();
        int i = 0;
        int tokens = 0;
        while (true) {
            i = FrameLineParser.skipSpaces(t, i);
            if (i >= n) {
                return tokens > 0;
            }
            int end = t.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            int from = i;
            int to = end;
            char c = t.charAt(from);
            if (c == '<' || c == '(') {
                char close = c == '<' ? '>' : ')';
                if (to - from < 3 || t.charAt(to - 1) != close) {
                    return false;
                }
                from++;
                to--;
            }
            int digits = to - from;
            if (!(digits == 1 || digits == 2 || digits == 4 || digits == 8)) {
                return false;
            }
            for (int k = from; k < to; k++) {
                if (!FrameLineParser.isHexDigit(t.charAt(k))) {
                    return false;
                }
            }
            tokens++;
            i = end;
        }
    }

    /**
     * A register's value or a stack word alone on a line ({@code ffffffffffffffdd}): the last of the line above, moved
     * by a wrap ({@code RSP: 0018:ffffae4ecc6cbe40 EFLAGS: 00000246 ORIG_RAX:} then its value).
     */
    static boolean isLoneValue(String t) {
        return RawText.isHexWord(t, 0, t.length());
    }

    /** `...`, `[...]`, `…`: where whoever pasted the dump left lines out; the dump goes on after it. */
    private static boolean isElision(String t) {
        String s = t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1).strip() : t;
        if (s.equals("…") || s.equals("[snip]") || s.equals("snip")) {
            return true;
        }
        if (s.length() < 3) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * i386 2.6.x printed "Call Trace:" right after the stack's last words when they did not fill their row:
     * "f63e5e7c Call Trace:" (one word, which no words line is alone).
     */
    private static boolean wordsThenCallTrace(String t) {
        int at = t.length() - 11;
        if (at < 9 || !(t.startsWith("Call Trace:", at) || t.startsWith("Call trace:", at)) || t.charAt(at - 1) != ' ') {
            return false;
        }
        int i = 0;
        while (i < at) {
            int j = i;
            while (j < at && t.charAt(j) != ' ') {
                j++;
            }
            if (!RawText.isHexWord(t, i, j)) {
                return false;
            }
            i = FrameLineParser.skipSpaces(t, j);
        }
        return true;
    }

    static boolean isCallTrace(String t) {
        return t.startsWith("Call Trace:") || t.startsWith("Call trace:") || t.startsWith("Backtrace:");
    }
}
