package dev.hangdoctor.parse;

import dev.hangdoctor.model.Task;

/**
 * Rows of crash's `ps` (`   PID    PPID  CPU       TASK        ST  %MEM     VSZ    RSS  COMM`), one task each. A row
 * whose COMM a console or mailer wrapped onto the next line takes that line as its name.
 */
final class CrashPsBlock extends BlockParser {
    private Task pending;
    private long pendingLine;

    CrashPsBlock(TraceTasks out) {
        super(out);
    }

    /** The first row; false when {@code t} is not one. */
    boolean openRow(String t, long lineNo) {
        Task task = CrashLineParser.parsePsRow(t);
        if (task == null) {
            return false;
        }
        reset();
        pending = null;
        row(task, lineNo);
        return true;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        if (pending != null && t.indexOf(' ') < 0 && t.indexOf('\t') < 0 && !FrameLineParser.isDigit(t.charAt(0))) {
            CrashLineParser.psComm(pending, t, pending.rssKb() == null || pending.rssKb() == 0);
            flushPending();
            return true;
        }
        Task task = CrashLineParser.parsePsRow(t);
        if (task == null) {
            return false;
        }
        row(task, lineNo);
        return true;
    }

    @Override
    void close() {
        flushPending();
    }

    private void row(Task task, long lineNo) {
        flushPending();
        if (task.comm() == null) {
            pending = task;
            pendingLine = lineNo;
        } else {
            out.addStandalone(task, "crash ps", lineNo);
        }
    }

    private void flushPending() {
        if (pending != null) {
            out.addStandalone(pending, "crash ps", pendingLine);
            pending = null;
        }
    }
}
