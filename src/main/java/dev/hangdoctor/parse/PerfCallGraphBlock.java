package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * `perf report -g` call graphs (tools/perf/ui/stdio/hist.c): a histogram line (`49.87%  0.00%  comm  dso  [k] sym`)
 * and under it a tree drawn with `|`, a first chain after `---` and branches as `--12.34%--sym`, each child one
 * column group to the right of its parent, the heaviest child printed first. The first path down the tree (the
 * heaviest chain) becomes the stack of a task named by the line's comm; siblings printed after it are left out.
 * The tree runs from the callers down (`-g caller`, perf's default with children) when its first entry is an entry
 * point (kthread, a syscall entry, ret_from_fork...), and is then turned innermost first; otherwise it is taken as
 * printed (`-g callee`).
 */
final class PerfCallGraphBlock extends BlockParser {
    /** Where a stack begins, outermost: seen first, the tree runs from the callers down. */
    private static final String[] ENTRY_POINTS = {
        "kthread", "ret_from_fork", "entry_SYSCALL", "do_syscall_64", "system_call", "start_thread", "__libc_start",
        "_start", "secondary_startup", "start_kernel", "cpu_startup_entry", "__clone", "clone", "el0_svc",
        "el0t_64_sync", "ret_from_syscall",
    };

    private Task task;
    private final List<Frame> frames = new ArrayList<>();
    private boolean onPath;
    private int lastBranch;

    PerfCallGraphBlock(TraceTasks out) {
        super(out);
    }

    /**
     * A histogram line: one or two percentages, then the sort keys (default comm, dso, sym: `[k] sym` for a
     * kernel symbol, `[.] sym` for a user one). False when {@code t} is not one.
     */
    boolean openHistogram(String t, long lineNo) {
        int i = percent(t, 0);
        if (i < 0) {
            return false;
        }
        int second = percent(t, FrameLineParser.skipSpaces(t, i));
        if (second > 0) {
            i = second;
        }
        int sym = t.indexOf(" [k] ", i);
        if (sym < 0) {
            sym = t.indexOf(" [.] ", i);
        }
        if (sym < 0) {
            return false;
        }
        sym += 3;
        reset();
        task = new Task(0).source(out.at(lineNo));
        String keys = t.substring(i, sym - 2).strip();
        int dso = Math.max(keys.lastIndexOf(" ["), keys.lastIndexOf(" /"));
        if (dso > 0) {
            task.comm(keys.substring(0, dso).strip());
        }
        frames.clear();
        onPath = true;
        lastBranch = -1;
        return true;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        if (percent(t, 0) > 0) {
            return false; // the next histogram line
        }
        int i = 0;
        while (i < raw.length() && (raw.charAt(i) == ' ' || raw.charAt(i) == '|' || raw.charAt(i) == '\t')) {
            i++;
        }
        if (i == raw.length()) {
            return true; // a connector line
        }
        if (raw.startsWith("---", i)) {
            add(raw.substring(i + 3));
            return true;
        }
        if (raw.startsWith("--", i)) {
            int close = raw.indexOf("--", i + 2);
            if (close < 0 || percent(raw, i + 2) != close) {
                return false;
            }
            if (onPath && i > lastBranch) {
                lastBranch = i;
                add(raw.substring(close + 2));
            } else {
                onPath = false; // a sibling of the path: the rest of the tree is off it
            }
            return true;
        }
        if (!FrameLineParser.isSymbolChar(raw.charAt(i)) && raw.charAt(i) != '[') {
            return false;
        }
        if (onPath) {
            add(raw.substring(i));
        }
        return true;
    }

    @Override
    void close() {
        if (task == null) {
            return;
        }
        TraceBlock b = new TraceBlock(task, true, "perf report callgraph");
        boolean callerFirst = !frames.isEmpty() && isEntryPoint(frames.get(0).function());
        for (int k = 0; k < frames.size(); k++) {
            b.addFrame(frames.get(callerFirst ? frames.size() - 1 - k : k), StackContext.TASK);
        }
        task = null;
        out.add(b, true, null);
    }

    private void add(String entry) {
        String name = entry.strip();
        int sp = name.indexOf(' ');
        if (sp > 0) {
            name = name.substring(0, sp);
        }
        if (name.isEmpty() || name.equals("[...]") || frames.size() >= TraceBlock.MAX_FRAMES) {
            return;
        }
        int plus = name.indexOf("+0x");
        frames.add(plus > 0 ? new Frame(name.substring(0, plus), name.substring(plus), null, false,
                StackContext.TASK) : Frame.of(name));
    }

    private static boolean isEntryPoint(String f) {
        for (String e : ENTRY_POINTS) {
            if (f.startsWith(e)) {
                return true;
            }
        }
        return false;
    }

    /** The index after a percentage "12.34%" starting at {@code i}, or -1. */
    static int percent(String s, int i) {
        int k = i;
        while (k < s.length() && FrameLineParser.isDigit(s.charAt(k))) {
            k++;
        }
        if (k == i || k >= s.length() || s.charAt(k) != '.') {
            return -1;
        }
        int frac = ++k;
        while (k < s.length() && FrameLineParser.isDigit(s.charAt(k))) {
            k++;
        }
        return k > frac && k < s.length() && s.charAt(k) == '%' ? k + 1 : -1;
    }
}
