package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * /proc/PID/wchan and /proc/PID/task/TID/wchan: the kernel function a sleeping task waits in, one symbol without a
 * newline. "0" (or nothing) means no wait channel: the task runs, or the kernel hides it (no kallsyms).
 */
public final class PidWchan {
    private PidWchan() {
    }

    /** The wchan file of one thread of a process under a proc root. */
    public static Path taskPath(Path procRoot, int pid, int tid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)).resolve("wchan");
    }

    /** The function waited in, or null when the file names none. */
    public static String parse(String text) {
        if (text == null) {
            return null;
        }
        String w = text.strip();
        return w.isEmpty() || w.equals("0") ? null : w;
    }
}
