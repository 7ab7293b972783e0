package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;
import dev.hangdoctor.model.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * One task being assembled from consecutive trace lines: its header's facts, its frames so far, and the format
 * the block was written in. Memory is bounded: a runaway stack keeps its first {@link #MAX_FRAMES} frames.
 */
final class TraceBlock {
    /** Deeper than any real kernel stack (x86 prints at most a few dozen frames); beyond it the input is garbage. */
    static final int MAX_FRAMES = 512;
    /** Status lines kept while a pasted status file has not yet told its pid. */
    private static final int MAX_PENDING_LINES = 80;

    final Task task;
    /** True when the evidence never named the task (or named pid 0, which every CPU's idle task shares). */
    final boolean anonymous;
    String format;
    /** A hung-task `INFO:` header opened this block: the task line that follows describes the same pid. */
    boolean fromHungHeader;
    private final List<Frame> frames = new ArrayList<>();
    /** crash: first frame not yet known to belong to a `--- <X stack> ---` segment. */
    private int segmentStart;
    /** crash: the `[exception RIP: ...]` function, placed before the next frame of the interrupted stack. */
    Frame pendingRip;
    boolean ripSeen;
    /**
     * The work function a kworker's `Workqueue:` line names: the work that runs, called by process_one_work. A stack
     * cut before it (or printed without it) still waits inside it, so the finished task holds it as a frame.
     */
    Frame workFrame;
    /** Status lines of a pasted `/proc/PID/status` whose pid is not known yet. */
    final List<String> pendingLines = new ArrayList<>();

    TraceBlock(Task task, boolean anonymous, String format) {
        this.task = task;
        this.anonymous = anonymous || task.pid() <= 0;
        this.format = format;
    }

    int frameCount() {
        return frames.size();
    }

    void addFrame(Frame f, StackContext context) {
        if (frames.size() >= MAX_FRAMES) {
            return;
        }
        frames.add(f.context() == context ? f : f.in(context));
    }

    /** crash: a frame of the current segment; the exception RIP goes first unless crash repeats it as this frame. */
    void addCrashFrame(Frame f) {
        if (pendingRip != null) {
            if (!pendingRip.function().equals(f.function())) {
                addFrame(pendingRip, StackContext.TASK);
            }
            pendingRip = null;
        }
        addFrame(f, StackContext.TASK);
    }

    /** crash: a `--- <X stack> ---` marker says the frames printed since the last marker ran on stack X. */
    void closeSegment(StackContext context) {
        for (int k = segmentStart; k < frames.size(); k++) {
            Frame f = frames.get(k);
            frames.set(k, f.in(context));
        }
        segmentStart = frames.size();
    }

    void addPendingLine(String line) {
        if (pendingLines.size() < MAX_PENDING_LINES) {
            pendingLines.add(line);
        }
    }

    /**
     * The input ended on this block's last frame line: when that frame has no offset though the frames before it
     * have theirs, the paste was cut inside the line, and the function name may be cut too.
     */
    void markLastFrameCut() {
        int last = frames.size() - 1;
        // a bare address ("[<ffffffffffffffff>] 0xffffffffffffffff", the end mark of a /proc stack) is whole
        if (last < 1 || !frames.get(last).location().isEmpty() || frames.get(last).function().startsWith("0x")) {
            return;
        }
        for (int k = 0; k < last; k++) {
            if (frames.get(k).location().startsWith("+")) {
                frames.set(last, frames.get(last).cutShort());
                return;
            }
        }
    }

    /**
     * The `Workqueue:` line's function, where the stack lacks it: right inside process_one_work when that frame was
     * printed, else as the outermost frame known (the stack was cut above it). A stack with no frame at all gets none:
     * a header alone does not say where the work sleeps.
     */
    private void addWorkFrame() {
        if (workFrame == null || frames.isEmpty() || frames.size() >= MAX_FRAMES) {
            return;
        }
        int caller = frames.size();
        for (int k = 0; k < frames.size(); k++) {
            String fn = frames.get(k).function();
            if (Frame.baseName(fn).equals(Frame.baseName(workFrame.function()))) {
                return;
            }
            if (caller == frames.size() && Frame.baseName(fn).equals("process_one_work")) {
                caller = k;
            }
        }
        frames.add(caller, workFrame);
    }


    /** The finished task, its frames in place; an unfinished exception RIP still counts as the innermost frame. */
    Task finish() {
        if (pendingRip != null) {
            addFrame(pendingRip, StackContext.TASK);
            pendingRip = null;
        }
        addWorkFrame();
        return task.frames(frames);
    }
}
