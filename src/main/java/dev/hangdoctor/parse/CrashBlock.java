package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

/**
 * The crash utility's task views: `bt` (also `foreach bt`, `bt -f`, `bt -l`), `task` (the task_struct dump, for its
 * `journal_info`) and `set` (`PID:` / `COMMAND:` / `STATE:` lines).
 */
final class CrashBlock extends BlockParser {
    private enum View { BT, TASK, SET }

    private View view;
    private TraceBlock block;
    private int braceDepth;
    /** `bt -l`: a source line a mailer wrapped, whose rest ("transaction.c: 1234") is still to come. */
    private boolean sourceCut;

    CrashBlock(TraceTasks out) {
        super(out);
    }

    /** A `bt` header (`PID: ...  TASK: ...  CPU: ...  COMMAND: "..."`), or its first frame (anonymous). */
    CrashBlock openBt(Task task, boolean anonymous, long lineNo) {
        return open(View.BT, new TraceBlock(task.source(out.at(lineNo)), anonymous, null));
    }

    /** `set`'s first line `PID: 587`: the lines after it describe that task. */
    CrashBlock openSet(int pid, long lineNo) {
        return open(View.SET, new TraceBlock(new Task(pid).source(out.at(lineNo)), false, "crash task"));
    }

    private CrashBlock open(View v, TraceBlock b) {
        reset();
        view = v;
        block = b;
        braceDepth = 0;
        sourceCut = false;
        return this;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        switch (view) {
            case BT:
                return continueBt(t);
            case TASK:
                return continueTask(t);
            default:
                return continueSet(t);
        }
    }

    @Override
    void close() {
        TraceBlock b = block;
        block = null;
        if (b != null) {
            out.add(b, false, view != View.SET && b.ripSeen ? "crash bt" : null);
        }
    }

    private boolean continueBt(String t) {
        char c = t.charAt(0);
        boolean cut = sourceCut;
        sourceCut = false;
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
        if (c == '-' || c == '<') {
            StackContext ctx = CrashLineParser.parseStackMarker(t);
            if (ctx != null) {
                block.closeSegment(ctx);
                return true;
            }
            return false;
        }
        if (t.startsWith("struct task_struct")) {
            view = View.TASK;
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
        if (cut && CrashLineParser.isSourceLineRest(t)) {
            return true; // "transaction.c: 1234", the rest of a wrapped bt -l line
        }
        if (c == '/' && block.frameCount() > 0 && CrashLineParser.isSourcePathCut(t)) {
            sourceCut = true; // bt -l's "    /usr/src/debug/.../fs/jbd2/" cut before its file name
            return true;
        }
        if (CrashLineParser.isUnderline(t)) {
            return true; // a "^^^^" someone drew under the frame that matters
        }
        return TraceNoise.isCrashInterleaved(t);
    }

    private boolean continueTask(String t) {
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
            markDone();
        }
        return true;
    }

    /** crash `set` (show_context): `COMMAND: "comm"`, `TASK: ...`, `CPU: 5`, `STATE: TASK_UNINTERRUPTIBLE`. */
    private boolean continueSet(String t) {
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

    /** `journal_info = 0xffff9f53fa89bb70,` (crash struct output); 0 means the task holds no handle. */
    static Long journalInfo(String t) {
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
}
