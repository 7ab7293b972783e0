package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * /proc/PID/oom_score_adj: -1000 (never OOM-kill) to 1000, added to a process's badness scaled to the limit the OOM
 * killer works under. One decimal number.
 */
public final class PidOomScoreAdj {
    private PidOomScoreAdj() {
    }

    /** The file of a process under a proc root. */
    public static Path path(Path procRoot, int pid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("oom_score_adj");
    }

    /** The value, or null when the text is not a number in the kernel's range. */
    public static Integer parse(String text) {
        Integer v = text == null ? null : ProcNumbers.parseInt(text.trim());
        return v == null || v < -1000 || v > 1000 ? null : v;
    }
}
