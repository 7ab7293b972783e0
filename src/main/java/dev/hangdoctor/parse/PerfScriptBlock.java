package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

/**
 * `perf script` samples with call chains (tools/perf/builtin-script.c): a header naming the task, its pid (or
 * pid/tid), the CPU when recorded system-wide, the time, the period and the event
 * (`pwd    2312   121.163435:     249113 cpu/cycles/P:`), then one line per frame, innermost first
 * (`ffffffff83bb5bf6 perf_event_mmap+0x2e6 ([kernel.kallsyms])`, indented), and a blank line. Each sample
 * becomes the stack of a task the evidence names by comm only: several samples of one thread are several stacks.
 */
final class PerfScriptBlock extends BlockParser {
    private TraceBlock block;

    PerfScriptBlock(TraceTasks out) {
        super(out);
    }

    /**
     * A sample header: "comm pid[/tid] [cpu] secs.usecs: ..." ending in ':' (the CPU only when recorded system-wide;
     * the period and the event after the time); false when {@code t} is not one.
     */
    boolean openHeader(String t, long lineNo) {
        if (!t.endsWith(":")) {
            return false;
        }
        String[] w = t.split("\\s+");
        int time = 0;
        while (time < w.length && !isTime(w[time])) {
            time++;
        }
        int pid = time - 1;
        if (pid > 0 && w[pid].startsWith("[") && w[pid].endsWith("]") && isNumber(w[pid], 1, w[pid].length() - 1)) {
            pid--;
        }
        if (time >= w.length || pid < 1 || !isPid(w[pid])) {
            return false;
        }
        reset();
        String comm = String.join(" ", java.util.Arrays.copyOfRange(w, 0, pid));
        block = new TraceBlock(new Task(0).source(out.at(lineNo)).note(Task.SAMPLED).comm(comm), true, "perf script");
        return true;
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

    /** "121.163435:" */
    private static boolean isTime(String w) {
        int dot = w.indexOf('.');
        return w.endsWith(":") && dot > 0 && isNumber(w, 0, dot) && isNumber(w, dot + 1, w.length() - 1);
    }

    /** "2312" or "2312/2313" (pid/tid). */
    private static boolean isPid(String w) {
        int slash = w.indexOf('/');
        return slash < 0 ? isNumber(w, 0, w.length()) : isNumber(w, 0, slash) && isNumber(w, slash + 1, w.length());
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
        if (block != null) {
            TraceBlock b = block;
            block = null;
            out.add(b, true, null);
        }
    }
}
