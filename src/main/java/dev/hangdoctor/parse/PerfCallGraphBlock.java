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
 *
 * <p>The histogram also comes without its overhead columns (`perf report --children -F comm,dso,sym`, or copied
 * without them): one row per symbol, `comm  [kernel.kallsyms]  [k] sym`. For one task whose samples all lie on
 * one chain, children overhead orders the rows from the entry point down to the innermost frame, so consecutive
 * rows of one comm whose first symbol is an entry point are read as that task's stack.
 */
final class PerfCallGraphBlock extends BlockParser {
    /** Where a stack begins, outermost: seen first, the tree runs from the callers down. */
    private static final String[] ENTRY_POINTS = {
        "kthread", "ret_from_fork", "entry_SYSCALL", "do_syscall_64", "system_call", "start_thread", "__libc_start",
        "_start", "secondary_startup", "start_kernel", "cpu_startup_entry", "__clone", "clone", "el0_svc",
        "el0t_64_sync", "ret_from_syscall",
    };

    private Task task;
    /** The comm of the overhead-less rows being read as one stack, or null when reading a call graph. */
    private String rowsOf;
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
        rowsOf = null;
        task = new Task(0).source(out.at(lineNo)).note(Task.SAMPLED);
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

    /**
     * A histogram row without overhead columns ({@code comm dso [k] sym}) whose symbol is an entry point: opens a
     * stack read row by row. False when {@code t} is not one.
     */
    boolean openRow(String t, long lineNo) {
        String[] row = row(t);
        if (row == null || !isEntryPoint(row[1])) {
            return false;
        }
        reset();
        task = new Task(0).source(out.at(lineNo)).note(Task.SAMPLED).comm(row[0]);
        rowsOf = row[0];
        frames.clear();
        add(row[1]);
        return true;
    }

    /** {comm, sym} of a row "comm dso [k] sym" with no percentage, or null. */
    static String[] row(String t) {
        int k = t.indexOf(" [k] ");
        if (k < 0 || t.indexOf('%') >= 0) {
            return null;
        }
        String keys = t.substring(0, k).strip();
        int dso = keys.lastIndexOf(' ');
        String sym = t.substring(k + 5).strip();
        int sp = sym.indexOf(' ');
        if (sp > 0) {
            sym = sym.substring(0, sp); // a collapsed paste's last row runs on into the text after it
        }
        if (dso <= 0 || sym.isEmpty() || !FrameLineParser.isSymbolChar(sym.charAt(0))) {
            return null;
        }
        char d = keys.charAt(dso + 1);
        return d == '[' || d == '/' ? new String[] {keys.substring(0, dso).strip(), sym} : null;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        if (rowsOf != null) {
            String[] row = row(t);
            if (row == null || !row[0].equals(rowsOf)) {
                return false;
            }
            add(row[1]);
            return true;
        }
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
        rowsOf = null;
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
