package dev.hangdoctor.procfs;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.parse.FrameLineParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID/stack and /proc/PID/task/TID/stack: the kernel stack of a task, innermost frame first, one frame a line
 * (`[<0>] request_wait_answer+0x12f/0x210` since 4.16 hid the addresses, `[<ffffffffc075bd43>]
 * __ext4_get_inode_loc+0xe3/0x3c0 [ext4]` before, ended by a `[<ffffffffffffffff>] 0xffffffffffffffff` marker on
 * 3.10). Each line is read by {@link FrameLineParser}, the grammar pasted traces use too, so a stack reads the same
 * live, from a bundle and pasted into `analyze`.
 */
public final class PidStack {
    /** More frames than any kernel stack holds; a runaway file stops here. */
    public static final int MAX_FRAMES = 256;

    private PidStack() {
    }

    /** The stack file of a process (its leader's stack) under a proc root. */
    public static Path path(Path procRoot, int pid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("stack");
    }

    /** The stack file of one thread of a process. */
    public static Path taskPath(Path procRoot, int pid, int tid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)).resolve("stack");
    }

    /** Every frame of the file, innermost first; lines that are not frames and the old end marker are skipped. */
    public static List<Frame> parse(String text) {
        List<Frame> frames = new ArrayList<>();
        if (text == null) {
            return frames;
        }
        int start = 0;
        int len = text.length();
        while (start < len && frames.size() < MAX_FRAMES) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? len : nl;
            Frame f = FrameLineParser.parse(text.substring(start, end).strip());
            if (f != null && !FrameLineParser.isTerminator(f)) {
                frames.add(f);
            }
            start = end + 1;
        }
        return frames;
    }
}
