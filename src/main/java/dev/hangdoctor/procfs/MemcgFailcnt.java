package dev.hangdoctor.procfs;

import java.nio.file.Path;

/** v1 memory.failcnt: how many times a charge hit the limit (v2 counts it as memory.events "max"). */
public final class MemcgFailcnt {
    private MemcgFailcnt() {
    }

    /** The failcnt file of a v1 cgroup directory. */
    public static Path path(Path cgroupDir) {
        return cgroupDir.resolve("memory.failcnt");
    }

    /** The count, or null when the text holds no number. */
    public static Long parse(String text) {
        return text == null ? null : ProcNumbers.parseLong(text.trim());
    }
}
