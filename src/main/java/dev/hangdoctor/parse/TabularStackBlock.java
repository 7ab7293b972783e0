package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

/**
 * Stacks as a tab-separated table, one frame a row, as memory-dump scanners print them: pid, comm, then the
 * frame's columns with one or more hex addresses ({@code 0x...}) and the symbol after them, e.g.
 * {@code 3830 <tab> monkey: clock <tab> 21 <tab> 0x9848420ffe28 <tab> 0xffffb5bf4f6c <tab> do_nanosleep <tab> t <tab> kernel}.
 * Consecutive rows of one pid are one task's stack, innermost first as the rows run up the stack.
 */
final class TabularStackBlock extends BlockParser {
    private TraceBlock block;
    private int pid = -1;

    TabularStackBlock(TraceTasks out) {
        super(out);
    }

    /** The first row; false when {@code t} is not one. */
    boolean openRow(String t, long lineNo) {
        if (!row(t, lineNo, true)) {
            return false;
        }
        reset();
        return true;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        return row(t, lineNo, false);
    }

    @Override
    void close() {
        flush();
        pid = -1;
    }

    private boolean row(String t, long lineNo, boolean first) {
        String[] f = t.split("\t", -1);
        if (f.length < 5) {
            return false;
        }
        Integer p = TaskLineParser.parseIntOrNull(f[0].strip());
        if (p == null || p <= 0) {
            return false;
        }
        int k = 2;
        while (k < f.length && !isHexAddress(f[k])) {
            k++;
        }
        if (k >= f.length) {
            return false;
        }
        while (k < f.length && isHexAddress(f[k])) {
            k++;
        }
        if (k >= f.length || !isSymbol(f[k].strip())) {
            return false;
        }
        if (first) {
            block = null;
        }
        if (block == null || p != pid) {
            flush();
            pid = p;
            Task task = new Task(p).source(out.at(lineNo));
            String comm = f[1].strip();
            if (!comm.isEmpty()) {
                task.comm(comm);
            }
            block = new TraceBlock(task, false, "tabular stacks");
        }
        block.addFrame(Frame.of(f[k].strip()), StackContext.TASK);
        return true;
    }

    private void flush() {
        if (block != null) {
            out.add(block, true, null);
            block = null;
        }
    }

    private static boolean isHexAddress(String s) {
        String v = s.strip();
        if (v.length() < 3 || !v.startsWith("0x")) {
            return false;
        }
        for (int k = 2; k < v.length(); k++) {
            if (!FrameLineParser.isHexDigit(v.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** A C symbol of two characters or more (a one-letter column is the symbol's type, T or t). */
    private static boolean isSymbol(String s) {
        if (s.length() < 2 || FrameLineParser.isDigit(s.charAt(0))) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (!FrameLineParser.isSymbolChar(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }
}
