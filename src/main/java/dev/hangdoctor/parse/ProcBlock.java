package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

/**
 * Pasted /proc text: `/proc/PID/stack` (under a `cat` of it, or each line prefixed with its path as `grep -r`
 * prints), `/proc/PID/status`, `ls /proc/PID/task` (the thread ids of one process), and `/proc/PID/wchan` (the
 * function the task sleeps in, read as a stack of that one frame, its state unknown as a /proc stack's).
 */
final class ProcBlock extends BlockParser {
    /** The format a stack read from /proc/PID/stack (or wchan) text is named by. */
    static final String FORMAT = "/proc stack";

    private enum File { STACK, STATUS, TASKS, WCHAN }

    private File file;
    private TraceBlock block;
    private int lsTgid;

    ProcBlock(TraceTasks out) {
        super(out);
    }

    /** A stack whose first frame came with no path before it: of task {@code pid}, or of none named (0). */
    ProcBlock openStack(int pid, Frame first, long lineNo) {
        open(File.STACK, new TraceBlock(new Task(pid).source(out.at(lineNo)), pid <= 0, FORMAT));
        addFrame(first);
        return this;
    }

    /** A status file's first line ("Name:") with no path before it. */
    ProcBlock openStatus(String first, long lineNo) {
        open(File.STATUS, new TraceBlock(new Task(0).source(out.at(lineNo)), true, "/proc status"));
        block.addPendingLine(first);
        return this;
    }

    /** A line naming `/proc/PID/...`; false when it names nothing this reads. */
    boolean openPath(String t, long lineNo) {
        ProcPathRef ref = ProcPathRef.find(t);
        if (ref == null) {
            return false;
        }
        Task task = new Task(ref.pid()).source(out.at(lineNo));
        switch (ref.file()) {
            case ProcPathRef.STACK:
                open(File.STACK, new TraceBlock(task, false, FORMAT));
                break;
            case ProcPathRef.STATUS:
                open(File.STATUS, new TraceBlock(task, false, "/proc status"));
                break;
            case ProcPathRef.WCHAN:
                open(File.WCHAN, new TraceBlock(task, false, "/proc wchan"));
                if (ref.bodyStart() < 0) {
                    String joined = outputAfterCommand(t, t.indexOf("/wchan", t.indexOf("/proc/")) + 6);
                    if (joined != null) {
                        continueWchan(joined);
                    }
                    return true;
                }
                break;
            default:
                open(File.TASKS, null);
                lsTgid = ref.pid();
                return true;
        }
        if (ref.bodyStart() >= 0) {
            extend(t, t, lineNo);
        }
        return true;
    }

    private void open(File f, TraceBlock b) {
        reset();
        file = f;
        block = b;
    }

    /**
     * A `cat /proc/PID/stack` line was read and none of its frames yet: a blank line people leave between the command
     * and its output does not end it.
     */
    boolean awaitsFrames() {
        return (file == File.STACK || file == File.WCHAN) && block != null && !block.anonymous
                && block.frameCount() == 0;
    }

    /** A stack is open whose frames came with no path, pid or header: it may be a kernel dump's (see handOver). */
    boolean readsHeaderlessStack() {
        return file == File.STACK && block != null && block.anonymous;
    }

    /** The headerless stack read so far, given up to the kernel-dump reader: this block is closed empty. */
    TraceBlock handOver() {
        TraceBlock b = block;
        block = null;
        return b;
    }

    @Override
    boolean extend(String t, String raw, long lineNo) {
        switch (file) {
            case STACK:
                return continueStack(t);
            case STATUS:
                return continueStatus(t);
            case WCHAN:
                return continueWchan(t);
            default:
                return continueTasks(t, lineNo);
        }
    }

    @Override
    void close() {
        TraceBlock b = block;
        block = null;
        if (b == null) {
            return;
        }
        if (file == File.STATUS) {
            finishStatus(b);
        } else {
            out.add(b, true, null);
        }
    }

    private boolean continueStack(String t) {
        String body = t;
        if (t.startsWith("/proc/")) {
            body = bodyOf(t, ProcPathRef.STACK);
            if (body == null) {
                return false;
            }
        }
        if (body.isEmpty() || body.charAt(0) == '#') {
            return false;
        }
        Frame f = FrameLineParser.parse(body);
        if (f == null) {
            return false;
        }
        addFrame(f);
        return true;
    }

    /**
     * The wait channel: one kernel function name on the line after the command (or after "/proc/PID/wchan:" as
     * {@code grep} prints it). The file ends without a newline, so without {@code ; echo} the shell's next prompt
     * follows on the same line ("ep_poll# "): a bare prompt after the name is kept out of it (a prompt that starts
     * with the user's name, "pipe_writeroot@host:~# ", cannot be told from the name and is no wait channel read).
     * "0" (a task that is running, or a kernel hiding its symbols) names none.
     */
    private boolean continueWchan(String t) {
        if (block.frameCount() > 0) {
            return false;
        }
        String body = t;
        if (t.startsWith("/proc/")) {
            body = bodyOf(t, ProcPathRef.WCHAN);
            if (body == null) {
                return false;
            }
        }
        String name = wchanName(body);
        if (name == null) {
            return false;
        }
        block.addFrame(new Frame(name, "", null, false, StackContext.TASK), StackContext.TASK);
        markDone();
        return true;
    }

    /**
     * The wait channel on the command's own line, where a paste lost the line break after the command
     * ("# cat /proc/123558/wchan ; echo zap_pid_ns_processes # cat ..."): after the path and an {@code echo} that
     * ends the command (or "=" or "is", as a sentence gives it), one function name with an underscore (as the wait
     * functions' names have), then the line's end or a space. Null otherwise.
     */
    private static String outputAfterCommand(String t, int from) {
        int i = FrameLineParser.skipSpaces(t, from);
        boolean sentence = false;
        // "; echo" ends the command; "=" and "is" are how a sentence gives the file's content
        // ("/proc/1234/wchan = request_wait_answer")
        for (String sep : new String[] {"; echo", ";echo", "&& echo", "=", "is "}) {
            if (t.startsWith(sep, i)) {
                i = FrameLineParser.skipSpaces(t, i + sep.length());
                sentence = sep.equals("=") || sep.equals("is ");
                break;
            }
        }
        int end = t.indexOf(' ', i);
        String word = t.substring(i, end < 0 ? t.length() : end);
        if (sentence) {
            // in a sentence the name may be in backticks or end it
            word = word.replaceAll("^`|[`).,;]+$", "");
        }
        String name = wchanName(word);
        return name != null && name.indexOf('_') > 0 ? name : null;
    }

    /** The function name a wchan line holds, or null when the line is no such output. */
    static String wchanName(String body) {
        int n = body.length();
        if (n == 0 || !(Character.isLetter(body.charAt(0)) || body.charAt(0) == '_')) {
            return null;
        }
        int i = 0;
        while (i < n && (Character.isLetterOrDigit(body.charAt(i)) || body.charAt(i) == '_'
                || body.charAt(i) == '.')) {
            i++;
        }
        if (i > 128) {
            return null;
        }
        String rest = body.substring(i);
        if (!rest.isEmpty() && !isPrompt(rest)) {
            return null;
        }
        String name = body.substring(0, i);
        return name.indexOf('_') >= 0 || name.length() >= 4 ? name : null;
    }

    /** A root or user shell's bare prompt, "# " or "$ ", as a shell prints it before the next command. */
    private static boolean isPrompt(String s) {
        char c = s.charAt(0);
        return (c == '#' || c == '$') && (s.length() == 1 || s.charAt(1) == ' ');
    }

    /** The text after "/proc/PID/FILE:" when it is the same task's same file, or null. */
    private String bodyOf(String t, String expected) {
        ProcPathRef ref = ProcPathRef.find(t);
        if (ref == null || ref.bodyStart() < 0 || ref.pid() != block.task.pid() || block.anonymous
                || !ref.file().equals(expected)) {
            return null;
        }
        return t.substring(ref.bodyStart()).strip();
    }

    private void addFrame(Frame f) {
        if (!FrameLineParser.isTerminator(f)) {
            block.addFrame(f, StackContext.TASK);
        }
    }

    private boolean continueStatus(String t) {
        String body = t;
        if (t.startsWith("/proc/")) {
            body = bodyOf(t, ProcPathRef.STATUS);
            if (body == null) {
                return false;
            }
        }
        if (!ProcStatusLines.looksLikeStatusLine(body)) {
            return false;
        }
        block.addPendingLine(body);
        return true;
    }

    /** `ls /proc/PID/task` output: the thread ids of that thread group, several to a line. */
    private boolean continueTasks(String t, long lineNo) {
        int i = 0;
        int n = t.length();
        while (i < n) {
            int s = i;
            while (i < n && FrameLineParser.isDigit(t.charAt(i))) {
                i++;
            }
            if (i == s || i - s > 9 || (i < n && t.charAt(i) != ' ' && t.charAt(i) != '\t')) {
                return false;
            }
            i = FrameLineParser.skipSpaces(t, i);
        }
        i = 0;
        while (i < n) {
            int s = i;
            while (i < n && FrameLineParser.isDigit(t.charAt(i))) {
                i++;
            }
            out.evidence.addTask(new Task(Integer.parseInt(t.substring(s, i))).tgid(lsTgid).source(out.at(lineNo)));
            i = FrameLineParser.skipSpaces(t, i);
        }
        return true;
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
            out.evidence.addTask(task);
            out.evidence.addFormat("/proc status");
        }
    }
}
