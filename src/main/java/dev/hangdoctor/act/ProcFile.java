package dev.hangdoctor.act;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a small /proc file of another process as bytes and decodes it lossily (UTF-8 with replacement), since what a
 * process names itself is bytes, not text: a strict decode would make a process with a name like {@code "\xff"}
 * unreadable, and so invisible to whoever ranks or checks it. Also tells a process that exited from a failed read.
 * Reads are plain, not timed: they serve the OOM guard's kill path and the checks right before a signal, on files the
 * kernel answers without the target's locks (see {@link OomFacts} for the measured cost of a timed read). A file that
 * can block (mountinfo, cgroup, stack) is read through the timed {@code ProcSource} instead.
 */
public final class ProcFile {
    /** Every per-process file hangdoctor acts on (stat, status, oom_score_adj) is far smaller. */
    static final int MAX_BYTES = 64 * 1024;

    private ProcFile() {
    }

    /** The file's text, bytes that are not UTF-8 replaced by U+FFFD; ASCII structure (digits, ')', ':') is kept. */
    public static String read(Path p) throws IOException {
        return new String(readBytes(p), StandardCharsets.UTF_8);
    }

    /** The file's bytes, at most {@link #MAX_BYTES}. */
    public static byte[] readBytes(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(MAX_BYTES);
        }
    }

    /**
     * True when {@code e}, raised reading a file of {@code pidDir}, means the process is gone (the file or the
     * directory no longer exists, or the kernel answered ESRCH) rather than that the read failed.
     */
    public static boolean gone(Path pidDir, IOException e) {
        if (e instanceof NoSuchFileException) {
            return true;
        }
        String m = e.getMessage();
        return (m != null && m.contains("No such process")) || gone(pidDir);
    }

    /** True when the process of {@code pidDir} no longer exists. */
    public static boolean gone(Path pidDir) {
        return !Files.isDirectory(pidDir);
    }
}
