package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

/**
 * Assembles tasks and their stacks from every trace format. One trigger table says which lines can open a block
 * and which block parser reads it, one parser per format family: {@link KernelStackBlock} (hung-task reports of
 * every kernel generation, sysrq-t/w dumps, dump_stack, bare frames), {@link CrashBlock} (crash `bt`/`foreach
 * bt`/`bt -f`/`bt -l`/`task`/`set`), {@link CrashPsBlock} (crash `ps`), {@link ProcBlock} (pasted /proc stack, status
 * and task lists), {@link PerfCallGraphBlock} (`perf report -g`), {@link TabularStackBlock} (tab-separated
 * stack tables); after the file, {@link HandWrittenStacks} reads the stacks people write out among the report's
 * words and {@link ProseWaitChannels} the wait channels they give in a sentence ({@link ProseNamedTasks}: the tasks they name with a pid as caught by the hang). The same table is the noise pre-check ({@link #describe}), so the two cannot disagree.
 * <p>
 * One block is open at a time; a line its parser turns away closes it and is offered to the table again, so frames
 * never drift onto the wrong task. Lines outside a block cost the table rows of their first character.
 */
public final class TraceSink implements LineSink {
    /** Opens a block (or records a one-line task) from a line a trigger let through; false: not this format. */
    private interface Opener {
        boolean open(String t, long lineNo);
    }

    /** Lines of other text a task header set aside may wait through for its `Call Trace:`. */
    private static final int PARK_LINES = 6;

    private final TraceTasks out;
    private final KernelStackBlock kernel;
    private final CrashBlock crash;
    private final CrashPsBlock crashPs;
    private final ProcBlock proc;
    private final PerfCallGraphBlock perf;
    private final PerfScriptBlock perfScript;
    private final TabularStackBlock tabular;
    private final PsTableBlock psTable;
    private final RunqClockLags runqLags = new RunqClockLags();
    private final String source;
    private BlockParser open;
    /** A task header of {@link #kernel} set aside while lines that are no part of its dump pass (see parkOrClose). */
    private KernelStackBlock parked;
    private int parkedFor;
    /**
     * The set-aside block has frames and only a frame may continue it; else it is a header, which only its dump's
     * own lines (`Call Trace:`, header noise) take back: a frame after a reply's words may be anybody's.
     */
    private boolean parkedForFrames;
    /**
     * The set-aside block's frames were cut by another message of the same log (another CPU's, a driver's, printed
     * between two frames): the log prefix its frames bear, which a frame must bear to continue it, else null.
     */
    private String interleavedPrefix;
    /** How many such messages in a row may cut a stack: a trace is printed in one go, others slip in singly. */
    private static final int INTERLEAVED_LINES = 3;
    /** The log prefix of the last line the open kernel dump took, and its time (null when it has none). */
    private String kernelPrefix;
    private Double kernelStamp;
    /** How far in time a message and the frames after it may be from the frame before it: one trace's printing. */
    private static final double INTERLEAVED_SECONDS = 1.0;
    /**
     * The task id of a `ps` table of one row that the line before closed: a /proc stack pasted right under it
     * (`ps -p PID; cat /proc/PID/stack` without the prompts) is that task's.
     */
    private int psRowAbove;
    /** The pid a line of its own named (`1015`, `===1015===`), for a /proc stack pasted right under it. */
    private int bannerPid;
    /** The line being dispatched as printed (a `ps` header's columns are placed by their spacing). */
    private String raw;
    /** The pid a `crash> task 27225 | grep journal_info` prompt asked about. */
    private Integer crashPid;

    private final TriggerTable<Opener> triggers = new TriggerTable<Opener>()
            // an old task line ends in " 0x" and eight hex digits, or in "(NOTLB)" or "(L-TLB)" on 2.6.18 (not in
            // "(SWIOTLB)", which every boot log with a bounce buffer prints)
            .rowEnding(TaskLineParser::endsLikeOldTaskLine, this::oldTaskLine, " 0x????????", "NOTLB)", "-TLB)")
            .prefix("INFO: task ", this::hungHeader)
            .prefix(TaskLineParser.HUNG_LOWER, this::hungHeader)
            .prefix("task", this::taskLine)
            .prefix("sysrq", this::sysrqHeader)
            .prefix("SysRq", this::sysrqHeader)
            .prefix("CPU: ", this::cpuHeader)
            // crash's runq -T: "CPU 22: 7.75 secs" (not the boot log's "CPU topo: ..." lines)
            .rowStarting(TraceSink::mayBeRunqLag, this::runqLag, "CP")
            // the task line of an architecture's show_regs() or die() from before dump_stack's header: x86's "Pid: %d,
            // comm: ...", powerpc's "TASK = %p[%d] '%s' THREAD: %p", "Process %s (pid: %d, ...)" (x86, s390, arm)
            .prefix("Pid: ", this::regsHeader)
            .prefix("TASK = ", this::regsHeader)
            .prefix("TASK: ", this::regsHeader)
            .prefix("Process ", this::regsHeader)
            .prefix("Call Trace:", this::callTrace)
            .prefix("Call trace:", this::callTrace)
            .prefix("Workqueue:", this::workqueue)
            .prefix("PID", this::crashPidLine)
            .prefix("[<", this::procFrame)
            .prefix("[exception RIP:", this::crashRip)
            .row("[", (s, from, end) -> RawText.contains(s, from, end, "PID:"), this::lastRunRow)
            .row("#", (s, from, end) -> end - from > 1 && RawText.isDigit(s.charAt(from + 1)),
                    this::crashFrame)
            .prefix("crash>", this::crashPrompt)
            .prefix("journal_info", this::journalInfo)
            .prefix("Name:", this::procStatus)
            .row(">-0123456789", TraceSink::mayStartPsRow, this::psRow)
            // a headerless `ps -o state,comm,tid,wchan` row: "D java            4177339 xfs_buf_lock"
            .rowStarting(PsTableBlock::mayBeStateFirstRow, this::psUserRow, "D ", "R ", "S ", "T ", "Z ", "I ")
            .row("=-", TraceSink::mayBePidBanner, this::pidBanner)
            .row("0123456789", (s, from, end) -> RawText.contains(s, from, end, "%"),
                    this::perfHistogram)
            .row("0123456789", (s, from, end) -> RawText.contains(s, from, end, "\t0x"),
                    this::tabularRow)
            .rowStarting(PsTableBlock::mayBeHeader, this::psHeader, PsTableBlock.HEADER_STARTS)
            .row("abcdefghijklmnopqrstuvwxyz_", PsTableBlock::mayBeUserRow, this::psUserRow)
            .contains(" [k] ", 'k', this::perfRow)
            .rowEnding(PerfScriptBlock::mayHoldTime, this::perfScriptHeader, ":")
            // a sched_switch sample ends in its "next_prio=%d": one look at the digits a line ends in, where three
            // '?' endings would cost every line three look-ups
            .rowEnding(PerfScriptBlock::mayEndLikeSchedSwitch, this::perfScriptHeader, "0", "1", "2", "3", "4",
                    "5", "6", "7", "8", "9")
            .contains("/proc/", '/', this::procPath)
            .contains("+0x", '+', this::bareFrame);

    public TraceSink(Evidence evidence, String source) {
        this(evidence, source, new SkippedLines());
    }

    /** {@code skipped} hears of the lines a block took and then dropped. */
    TraceSink(Evidence evidence, String source, SkippedLines skipped) {
        this.out = new TraceTasks(evidence, source, skipped);
        this.source = source;
        this.kernel = new KernelStackBlock(out);
        this.crash = new CrashBlock(out);
        this.crashPs = new CrashPsBlock(out);
        this.proc = new ProcBlock(out);
        this.perf = new PerfCallGraphBlock(out);
        this.perfScript = new PerfScriptBlock(out);
        this.tabular = new TabularStackBlock(out);
        this.psTable = new PsTableBlock(out);
    }

    @Override
    public boolean accept(LogLine line) {
        String message = line.message();
        if (message == null) {
            return false;
        }
        String t = message.strip();
        int banner = bannerPid;
        bannerPid = 0;
        if (t.isEmpty()) {
            if (open == proc && proc.awaitsFrames()) {
                return false;
            }
            if (open == kernel && kernel.hasFrames()) {
                // a blank line inside a stack (a paste spaced out, a console line lost): only frames right
                // after it continue the stack
                open = null;
                parked = kernel;
                parkedFor = 0;
                parkedForFrames = true;
                return false;
            }
            parkOrClose();
            return false;
        }
        psRowAbove = banner;
        raw = message;
        // "%s invoked oom-killer: ...": the line starts with a task's name (which any local user sets), no frame,
        // marker or header of a trace, whatever the name looks like
        // (the other lines a name starts, "%s[%d]: segfault at", choose no row once their names are masked below; an
        // open or set-aside stack must not take one as a frame either)
        boolean named = KernelNames.invokedAt(t, 0, t.length()) >= 0
                || (open != null || parked != null) && KernelNames.otherLeadingNameEnd(t, 0, t.length()) >= 0;
        if (open != null) {
            if (!named && open.extend(t, message, line.lineNo())) {
                if (open.done()) {
                    close();
                }
                kernelPrefix = line.prefix();
                kernelStamp = line.timestamp();
                return true;
            }
            if (open == proc && proc.readsHeaderlessStack() && KernelStackBlock.continuesDumpOnly(t)) {
                // registers or stack words between two frames: the headerless frames were a kernel dump's, not a
                // pasted /proc stack (which prints nothing but frames), and the dump goes on
                open = kernel.adopt(proc.handOver());
                kernel.extend(t, message, line.lineNo());
                return true;
            }
            if (open == psTable && psTable.rows() == 1) {
                psRowAbove = psTable.lastPid();
            }
            if (interleaves(line, t)) {
                // another message of the log between two frames of a stack: the frames after it may go on
                open = null;
                parked = kernel;
                parkedFor = INTERLEAVED_LINES;
                parkedForFrames = true;
                interleavedPrefix = kernelPrefix;
                return false;
            }
            parkOrClose();
        } else if (interleavedPrefix != null && parked != null && parkedFor > 0
                && FrameLineParser.parse(t) == null && interleaves(line, t)) {
            parkedFor--; // a second message slipped in
            return false;
        }
        if (!named && parked != null && parkedForFrames == (FrameLineParser.parse(t) != null)
                && !(parkedForFrames && t.startsWith("[<0>]"))
                && (interleavedPrefix == null || interleavedPrefix.equals(line.prefix()) && soon(line))
                && kernel.extend(t, message, line.lineNo())) {
            // the dump goes on: its header noise, `Call Trace:` or first frame ("[<0>]" is a /proc stack's frame,
            // which no kernel dump prints: after a blank line, another paste)
            open = kernel;
            parked = null;
            interleavedPrefix = null;
            kernelPrefix = line.prefix();
            kernelStamp = line.timestamp();
            return true;
        }
        // rows are chosen by the kernel's words, never by a task's name inside them ("+0x", "/proc/", " [k] ")
        String chooser = named ? t : KernelNames.masked(t);
        int first = named ? -1 : triggers.next(chooser, -1);
        if (parked != null && (first >= 0 || !line.prefix().equals("none") || --parkedFor < 0)) {
            // another record starts, the log itself goes on, or the note between is too long to be one
            closeParked();
        }
        for (int row = first; row >= 0; row = triggers.next(chooser, row)) {
            if (triggers.handler(row).open(t, line.lineNo())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code line}, which the open kernel dump turned away, is another message of the same log printed in
     * the middle of the dump's frames (other CPUs and drivers print while a trace is being written): the dump has
     * frames, the line bears the same kind of log prefix as they do, and it starts no record of its own here.
     */
    private boolean interleaves(LogLine line, String t) {
        return (open == kernel || open == null && parked == kernel) && kernel.hasFrames() && kernelPrefix != null
                && !"none".equals(line.prefix()) && line.prefix().equals(open == null ? interleavedPrefix : kernelPrefix)
                && soon(line) && triggers.next(KernelNames.masked(t), -1) < 0;
    }

    /** Whether {@code line} was printed right after the dump's last line taken, as far as their times tell. */
    private boolean soon(LogLine line) {
        Double at = line.timestamp();
        return at == null || kernelStamp == null || at >= kernelStamp && at - kernelStamp <= INTERLEAVED_SECONDS;
    }

    /**
     * The open block ends; a task header still waiting for its stack is set aside instead, for a few lines: in a
     * reply the quoted dump is often cut by the replier's own words (or a blank line) before its `Call Trace:`.
     */
    private void parkOrClose() {
        if (open == kernel && parked == null && kernel.awaitsStack()) {
            open = null;
            parked = kernel;
            parkedFor = PARK_LINES;
            parkedForFrames = false;
            return;
        }
        close();
    }

    private void closeParked() {
        interleavedPrefix = null;
        if (parked != null) {
            parked = null;
            kernel.close();
        }
    }

    @Override
    public void finish() {
        BlockParser b = open;
        open = null;
        if (b != null) {
            b.closeAtEnd();
        }
        if (parked != null && parkedForFrames) {
            // set aside by a blank line after its frames (a closing code fence reads as one), and nothing but blank
            // lines since: the paste ended with its last frame line
            parked = null;
            kernel.closeAtEnd();
        }
        closeParked();
        perfScript.finish();
        runqLags.finish(out.evidence, source);
        rcuStallFromStack();
        // the report's own words are all in now: stacks people wrote out by hand are among them (read here, after
        // the file, so a log's lines cost no look for them). The live host's /dev/kmsg holds no report: every line
        // is a kernel record, whose text a local user may choose (a path the kernel quotes)
        if (!EvidenceReader.LIVE_KMSG.equals(source)) {
            HandWrittenStacks.read(out);
            ProseWaitChannels.read(out);
            ProseNamedTasks.read(out);
        }
    }

    /**
     * A stall report whose lines are all lost but the stack the detector printed: a stack in which the RCU stall
     * check of the timer tick (rcu_check_callbacks up to 5.1, rcu_sched_clock_irq since, via rcu_pending and
     * check_cpu_stall) dumps a stack (print_cpu_stall, print_other_cpu_stall, rcu_dump_cpu_stacks, or dump_stack,
     * show_stack, sched_show_task inlined into it) is the stalled CPU's. One such stack makes one stall, read as a
     * self-detected one; none is added when the log shows a stall of its own.
     */
    private void rcuStallFromStack() {
        Evidence e = out.evidence;
        if (!e.events(dev.hangdoctor.model.KernelEventKind.RCU_STALL).isEmpty()) {
            return;
        }
        for (Task t : e.tasks()) {
            if (printedByStallDetector(t.frames())) {
                e.addEvent(new dev.hangdoctor.model.KernelEvent(dev.hangdoctor.model.KernelEventKind.RCU_STALL, null,
                        null, null, null, java.util.Map.of("kind", "self-detected", "from", "stack"),
                        "RCU stall detector's stack dump", t.source() != null ? t.source() : source));
                return;
            }
        }
    }

    private static final java.util.Set<String> STACK_DUMPERS = java.util.Set.of(
            "dump_stack", "dump_stack_lvl", "show_stack", "sched_show_task", "dump_backtrace");

    /** Whether frames (innermost first) show a stack dump made by the RCU stall detector. */
    static boolean printedByStallDetector(java.util.List<Frame> frames) {
        int dumper = -1;
        for (int k = 0; k < frames.size(); k++) {
            String f = Frame.baseName(frames.get(k).function());
            if (dev.hangdoctor.model.RcuStallDetector.prints(f)) {
                return true;
            }
            if (STACK_DUMPERS.contains(f)) {
                dumper = k;
            } else if (dumper >= 0 && dev.hangdoctor.model.RcuStallDetector.checks(f)) {
                return k - dumper <= 3; // the dump called right from the check, printers inlined into it
            }
        }
        return false;
    }


    @Override
    public boolean idle() {
        return open == null && parked == null && bannerPid == 0;
    }

    /** Every named task's stack block of the file, where it began (after {@link #finish}). */
    java.util.List<TraceTasks.Sighting> sightings() {
        return out.sightings;
    }

    @Override
    public void describe(LineScreen.Builder screen) {
        triggers.describe(screen);
    }

    private void close() {
        BlockParser b = open;
        open = null;
        if (b != null) {
            b.close();
        }
    }

    private boolean open(BlockParser b) {
        open = b;
        return true;
    }

    // ---- the table's tests on raw text ----


    private static boolean mayBeRunqLag(String s, int a, int z) {
        return RawText.startsWith(s, a, z, "CPU ") && RawText.endsWith(s, a, z, " secs");
    }

    /**
     * A crash `ps` row, a headerless `ps` row or a pid banner: a digit, or the active mark '>' (or '-') and then a
     * digit, starting a first word that is a number (a user name under `ps aux`) ending at a blank, or a number with
     * only a banner's marks after it ("1015:", "1015 ==="). Not "00:00: ttyS0 at I/O 0x3f8", which boot logs print.
     */
    private static boolean mayStartPsRow(String s, int a, int z) {
        int d = a;
        char c = s.charAt(a);
        if (c == '>' || c == '-') {
            d = RawText.skipWhitespace(s, a + 1, z);
            if (d >= z || !RawText.isDigit(s.charAt(d))) {
                return false;
            }
        }
        int k = d;
        while (k < z && RawText.isDigit(s.charAt(k))) {
            k++;
        }
        int m = k;
        while (m < z && (s.charAt(m) == ':' || s.charAt(m) == '=' || s.charAt(m) == '-' || s.charAt(m) == ' ')) {
            m++;
        }
        if (m == z) {
            return true;
        }
        while (k < z && (PsColumnValues.isUserNameChar(s.charAt(k)) || s.charAt(k) == '+')) {
            k++;
        }
        return k == z || Character.isWhitespace(s.charAt(k));
    }

    // ---- openers ----

    private boolean oldTaskLine(String t, long lineNo) {
        Task task = TaskLineParser.endsLikeOldTaskLine(t) ? TaskLineParser.parseOld(t) : null;
        return task != null && open(kernel.open(task, "sysrq-t", lineNo));
    }

    private boolean hungHeader(String t, long lineNo) {
        Task task = TaskLineParser.parseHungHeader(t);
        return task != null && open(kernel.openHungHeader(task, lineNo));
    }

    private boolean taskLine(String t, long lineNo) {
        Task task = TaskLineParser.parseNew(t);
        if (task != null) {
            return open(kernel.open(task, "sysrq-t", lineNo));
        }
        if (t.startsWith("task ") && t.endsWith("pid father")) {
            // 2.6.32/3.10 sysrq-t/w column header: the task lines that follow are a dump
            out.format("sysrq-t");
            return true;
        }
        return false;
    }

    private boolean sysrqHeader(String t, long lineNo) {
        if (t.endsWith("Show State") || t.endsWith("Show Blocked State")) {
            out.format("sysrq-t");
            return true;
        }
        return false;
    }

    private boolean cpuHeader(String t, long lineNo) {
        Task task = TaskLineParser.parseCpuHeader(t);
        if (task == null || !open(kernel.open(task, null, lineNo))) {
            return false;
        }
        if (TaskLineParser.endsAtTaint(t)) {
            kernel.releaseMayFollow();
        }
        return true;
    }

    /** crash's {@code runq -T}: "CPU 22: 7.75 secs". */
    private boolean runqLag(String t, long lineNo) {
        return runqLags.read(t);
    }

    private boolean callTrace(String t, long lineNo) {
        return open(kernel.openCallTrace(t, lineNo));
    }

    private boolean regsHeader(String t, long lineNo) {
        Task task = TaskLineParser.parseRegsHeader(t);
        return task != null && open(kernel.open(task, null, lineNo));
    }

    private boolean workqueue(String t, long lineNo) {
        return open(kernel.openWorkqueue(t, lineNo));
    }

    private boolean crashPidLine(String t, long lineNo) {
        Task task = CrashLineParser.parseHeader(t);
        if (task != null) {
            return open(crash.openBt(task, false, lineNo));
        }
        int pid = CrashLineParser.parseBarePid(t);
        if (pid >= 0) {
            return open(crash.openSet(pid, lineNo));
        }
        if (CrashLineParser.isPsHeader(t)) {
            out.format("crash ps");
            return true;
        }
        return false;
    }

    private boolean procFrame(String t, long lineNo) {
        Frame f = FrameLineParser.parse(t);
        if (f != null && psRowAbove <= 0 && FrameLineParser.isArmBacktraceLine(t)) {
            // "[<pc>] (fn) from [<lr>] (caller+0x../0x..)": arm32's unwinder, never a /proc stack
            return open(kernel.openDumpFrame(f, lineNo));
        }
        return f != null && open(proc.openStack(psRowAbove, f, lineNo));
    }

    private boolean crashRip(String t, long lineNo) {
        open(crash.openBt(new Task(0), true, lineNo));
        crash.extend(t, t, lineNo);
        return true;
    }

    private boolean lastRunRow(String t, long lineNo) {
        if (t.startsWith("[<") || t.startsWith("[exception RIP:")) {
            return false;
        }
        Task task = CrashLineParser.parseLastRunRow(t);
        if (task == null) {
            return false;
        }
        out.addStandalone(task, "crash ps", lineNo);
        return true;
    }

    private boolean crashFrame(String t, long lineNo) {
        if (FrameLineParser.parse(t) == null) {
            return false;
        }
        open(crash.openBt(new Task(0), true, lineNo));
        crash.extend(t, t, lineNo);
        return true;
    }

    private boolean journalInfo(String t, long lineNo) {
        Long v = crashPid == null ? null : CrashBlock.journalInfo(t);
        if (v == null) {
            return false;
        }
        out.addStandalone(new Task(crashPid).journalInfo(v), "crash task", lineNo);
        return true;
    }

    private boolean psRow(String t, long lineNo) {
        if (crashPs.openRow(t, lineNo)) {
            return open(crashPs);
        }
        return psTable.openHeaderlessRow(t, lineNo) && open(psTable) || pidBanner(t, lineNo);
    }

    /**
     * A line naming only a pid, bare or between `=`/`-` marks (`1015`, `1015:`, `===1015===`): what a loop printing
     * each pid before `cat /proc/$pid/stack` leaves above each stack.
     */
    private boolean pidBanner(String t, long lineNo) {
        int a = 0;
        int z = t.length();
        while (a < z && (t.charAt(a) == '=' || t.charAt(a) == '-' || t.charAt(a) == ' ')) {
            a++;
        }
        while (z > a && (t.charAt(z - 1) == '=' || t.charAt(z - 1) == '-' || t.charAt(z - 1) == ' '
                || t.charAt(z - 1) == ':')) {
            z--;
        }
        Integer pid = z - a <= 9 ? TaskLineParser.parseIntOrNull(t.substring(a, z)) : null;
        if (pid == null || pid <= 0) {
            return false;
        }
        bannerPid = pid;
        return true;
    }

    /** A cheap superset of {@link #pidBanner} for lines starting with '=' or '-': a digit after the marks. */
    private static boolean mayBePidBanner(String s, int a, int z) {
        int k = a;
        while (k < z && (s.charAt(k) == '=' || s.charAt(k) == '-' || s.charAt(k) == ' ')) {
            k++;
        }
        return k < z && RawText.isDigit(s.charAt(k));
    }

    private boolean perfHistogram(String t, long lineNo) {
        return perf.openHistogram(t, lineNo) && open(perf);
    }

    private boolean perfScriptHeader(String t, long lineNo) {
        return perfScript.openHeader(t, lineNo) && open(perfScript);
    }

    private boolean psHeader(String t, long lineNo) {
        return psTable.openHeader(t, raw) && open(psTable);
    }

    /** A `ps aux` row without its header: its first word is the user. */
    private boolean psUserRow(String t, long lineNo) {
        return psTable.openHeaderlessRow(t, lineNo) && open(psTable);
    }

    private boolean perfRow(String t, long lineNo) {
        return perf.openRow(t, lineNo) && open(perf);
    }

    private boolean tabularRow(String t, long lineNo) {
        return tabular.openRow(t, lineNo) && open(tabular);
    }

    private boolean procPath(String t, long lineNo) {
        return proc.openPath(t, lineNo) && open(proc);
    }

    private boolean procStatus(String t, long lineNo) {
        return ProcStatusLines.looksLikeStatusLine(t) && open(proc.openStatus(t, lineNo));
    }

    /**
     * A frame with no header before it (a stack pasted alone, its header cut off or never copied): a symbol with its
     * "+0xoff/0xsize" is unmistakable, so it opens a stack of a task the evidence does not name.
     */
    private boolean bareFrame(String t, long lineNo) {
        int plus = t.indexOf("+0x");
        if (plus <= 0 || t.indexOf("/0x", plus) < 0) {
            return false;
        }
        Frame f = FrameLineParser.parse(t);
        return f != null && f.location().startsWith("+0x") && open(kernel.openBare(f, t, lineNo));
    }

    // ---- crash prompts ----

    /** `crash> task 27225 | grep journal_info`, `crash> bt 27153`, `crash> set 587`: remember which pid. */
    private boolean crashPrompt(String t, long lineNo) {
        crashPid = null;
        String[] words = t.substring(6).strip().split("\\s+");
        if (words.length < 2) {
            return true;
        }
        String verb = words[0];
        if (!verb.equals("task") && !verb.equals("bt") && !verb.equals("set")) {
            return true;
        }
        for (int k = 1; k < words.length; k++) {
            String w = words[k];
            if (w.equals("|") || w.equals(">")) {
                return true;
            }
            if (w.startsWith("-")) {
                continue;
            }
            crashPid = TaskLineParser.parseIntOrNull(w);
            return true;
        }
        return true;
    }
}
