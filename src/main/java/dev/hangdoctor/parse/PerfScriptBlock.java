package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

/**
 * `perf script` samples with call chains (tools/perf/builtin-script.c): a header naming the task, its pid (or
 * pid/tid), the CPU when recorded system-wide, the time, the period and the event
 * (`pwd    2312   121.163435:     249113 cpu/cycles/P:`), then one line per frame, innermost first
 * (`ffffffff83bb5bf6 perf_event_mmap+0x2e6 ([kernel.kallsyms])`, indented), and a blank line. The number
 * before the time is the thread id (`-F tid`, the default) or pid/tid: all samples of one thread make one task, whose
 * stack is the chain sampled most often (a task sleeping in D shows the same chain sample after sample). Samples of
 * the idle task (tid 0) stay apart, each its own anonymous stack.
 */
final class PerfScriptBlock extends BlockParser {
    /** Threads whose samples are gathered; the samples of further threads each go to the evidence at once. */
    private static final int MAX_THREADS = 10_000;
    /** Distinct chains counted per thread; further new chains are not counted. */
    private static final int MAX_CHAINS = 32;
    /** Distinct chains kept over all threads (memory stays bounded whatever the input). */
    private static final int MAX_ALL_CHAINS = 50_000;
    private int allChains;

    /**
     * The samples of one thread: each distinct chain (by its functions: offsets move as the CPU runs) with the frames
     * first seen for it and how often it was sampled, in order of first sight.
     */
    private static final class SampledThread {
        final Task first;
        final java.util.Map<java.util.List<String>, Chain> chains = new java.util.LinkedHashMap<>();
        int samples;
        /** The last uninterruptible state a sched_switch sample left the CPU in, or null. */
        TaskState blocked;

        SampledThread(Task first) {
            this.first = first;
        }
    }

    private static final class Chain {
        final java.util.List<Frame> frames;
        int count;

        Chain(java.util.List<Frame> frames) {
            this.frames = frames;
        }
    }

    /** The scheduler's switch event: its samples are taken as a task leaves the CPU, named with its state. */
    private static final String SCHED_SWITCH = " sched:sched_switch: ";
    private static final String PREV_STATE = " prev_state=";

    private final java.util.Map<Integer, SampledThread> threads = new java.util.LinkedHashMap<>();
    private TraceBlock block;
    private int tid;

    PerfScriptBlock(TraceTasks out) {
        super(out);
    }

    /**
     * A sample header: "comm pid[/tid] [cpu] secs.usecs: ..." ending in ':' (the CPU only when recorded system-wide;
     * the period and the event after the time); false when {@code t} is not one.
     */
    boolean openHeader(String t, long lineNo) {
        int switchAt = t.indexOf(SCHED_SWITCH);
        if (!t.endsWith(":") && switchAt < 0) {
            return false;
        }
        String[] w = t.split("\\s+");
        int time = 0;
        while (time < w.length && !isTime(w[time])) {
            time++;
        }
        if (!t.endsWith(":") && (time + 1 >= w.length || !w[time + 1].equals(SCHED_SWITCH.strip()))) {
            return false; // only the sched_switch event's arguments may follow the event name
        }
        int pid = time - 1;
        if (pid > 0 && w[pid].startsWith("[") && w[pid].endsWith("]") && isNumber(w[pid], 1, w[pid].length() - 1)) {
            pid--;
        }
        if (time >= w.length || pid < 1 || !isPid(w[pid])) {
            return false;
        }
        String ids = w[pid];
        int slash = ids.indexOf('/');
        Integer id = TaskLineParser.parseIntOrNull(ids.substring(slash + 1));
        if (id == null) {
            return false; // no thread id a kernel could give
        }
        reset();
        tid = id;
        String comm = String.join(" ", java.util.Arrays.copyOfRange(w, 0, pid));
        Task task = new Task(0).source(out.at(lineNo)).note(Task.SAMPLED).comm(comm);
        if (slash > 0) {
            task.tgid(TaskLineParser.parseIntOrNull(ids.substring(0, slash)));
        }
        if (switchAt >= 0) {
            task.state(switchedOutState(t));
        }
        block = new TraceBlock(task, true, "perf script");
        return true;
    }

    /**
     * The state a sched_switch sample's task left the CPU in (include/trace/events/sched.h: "prev_comm=%s prev_pid=%d
     * prev_prio=%d prev_state=%s%s ==> next_comm=..."): "D" is a task going to sleep uninterruptibly, its chain the
     * place it sleeps in; "R+" a preempted one.
     */
    private static TaskState switchedOutState(String t) {
        int at = t.indexOf(PREV_STATE);
        if (at < 0) {
            return TaskState.UNKNOWN;
        }
        int from = at + PREV_STATE.length();
        int end = t.indexOf(' ', from);
        String v = t.substring(from, end < 0 ? t.length() : end);
        int bar = v.indexOf('|');
        return TaskState.parse(bar > 0 ? v.substring(0, bar) : v);
    }

    /**
     * A cheap necessary condition of {@link #openHeader} on {@code s[from, end)}: it holds a time word
     * ("121.163435:"). Kernel logs have many lines ending in ':' ("Call Trace:", "Zone ranges:"), few with one.
     */
    static boolean mayHoldTime(String s, int from, int end) {
        for (int c = s.indexOf(':', from); c >= 0 && c < end; c = s.indexOf(':', c + 1)) {
            int k = c - 1;
            while (k >= from && RawText.isDigit(s.charAt(k))) {
                k--;
            }
            if (k < c - 1 && k > from && s.charAt(k) == '.' && RawText.isDigit(s.charAt(k - 1))) {
                return true;
            }
        }
        return false;
    }

    /** A sched_switch sample's header: it ends in "_prio=" and one to three digits, and holds a time word. */
    static boolean mayEndLikeSchedSwitch(String s, int from, int end) {
        int k = end;
        while (k > from && end - k < 3 && RawText.isDigit(s.charAt(k - 1))) {
            k--;
        }
        return k < end && k - from >= 6 && s.startsWith("_prio=", k - 6) && mayHoldTime(s, from, end);
    }

    /** "121.163435:" */
    private static boolean isTime(String w) {
        int dot = w.indexOf('.');
        return w.endsWith(":") && dot > 0 && isNumber(w, 0, dot) && isNumber(w, dot + 1, w.length() - 1);
    }

    /** "2312" or "2312/2313" (pid/tid). */
    private static boolean isPid(String w) {
        int slash = w.indexOf('/');
        return w.length() <= 21 && (slash < 0 ? isNumber(w, 0, w.length())
                : isNumber(w, 0, slash) && isNumber(w, slash + 1, w.length()));
    }

    private static boolean isNumber(String w, int from, int end) {
        if (from >= end) {
            return false;
        }
        for (int k = from; k < end; k++) {
            if (!FrameLineParser.isDigit(w.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        if (raw.isEmpty() || (raw.charAt(0) != '\t' && raw.charAt(0) != ' ')) {
            return false;
        }
        int sp = t.indexOf(' ');
        if (sp <= 0) {
            return false;
        }
        for (int k = 0; k < sp; k++) {
            if (!FrameLineParser.isHexDigit(t.charAt(k))) {
                return false;
            }
        }
        String rest = t.substring(sp + 1).strip();
        int end = rest.indexOf(' ');
        String sym = end > 0 ? rest.substring(0, end) : rest;
        if (sym.isEmpty() || sym.startsWith("[unknown]") || !FrameLineParser.isSymbolChar(sym.charAt(0))) {
            return true; // an address perf could not name: a frame of the chain all the same
        }
        int plus = sym.indexOf("+0x");
        block.addFrame(plus > 0 ? new Frame(sym.substring(0, plus), sym.substring(plus), null, false,
                StackContext.TASK) : Frame.of(sym), StackContext.TASK);
        return true;
    }

    @Override
    void close() {
        if (block == null) {
            return;
        }
        TraceBlock b = block;
        block = null;
        SampledThread th = threads.get(tid);
        if (tid <= 0 || (th == null && threads.size() >= MAX_THREADS)) {
            out.add(b, true, null);
            return;
        }
        Task sample = b.finish();
        if (sample.frames().isEmpty()) {
            return;
        }
        if (th == null) {
            th = new SampledThread(sample);
            threads.put(tid, th);
        }
        th.samples++;
        if (sample.state().isBlocked()) {
            th.blocked = sample.state();
        }
        java.util.List<String> key = sample.frames().stream().map(Frame::function).toList();
        Chain c = th.chains.get(key);
        if (c == null && (th.chains.isEmpty() || th.chains.size() < MAX_CHAINS && allChains < MAX_ALL_CHAINS)) {
            c = new Chain(sample.frames());
            th.chains.put(key, c);
            allChains++;
        }
        if (c != null) {
            c.count++;
        }
    }

    /** The file ended: each sampled thread becomes one task, with the chain sampled most often. */
    void finish() {
        for (java.util.Map.Entry<Integer, SampledThread> e : threads.entrySet()) {
            SampledThread th = e.getValue();
            Chain best = null;
            for (Chain c : th.chains.values()) {
                if (best == null || c.count > best.count) {
                    best = c;
                }
            }
            int most = best.count;
            Task task = th.first.withPid(e.getKey()).frames(best.frames);
            if (th.blocked != null) {
                task.state(th.blocked);
            }
            if (th.samples > 1) {
                task.note(th.samples + " perf samples, " + th.chains.size() + " distinct call chain(s); the stack"
                        + " shown was sampled " + most + " time(s)");
            }
            out.evidence.addTask(task);
            out.format("perf script");
        }
        threads.clear();
        allChains = 0;
    }
}
