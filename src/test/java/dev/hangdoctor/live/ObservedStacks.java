package dev.hangdoctor.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends the stacks the live tests saw to target/live-observed/observed-stacks.txt, in the format of the
 * fixture src/test/resources/live/observed-stacks.txt, so the fixture can be refreshed on a new kernel.
 */
final class ObservedStacks {

    private ObservedStacks() {
    }

    static void record(String shape, String task, char state, String stack) {
        append("observed-stacks.txt", shape, task, state, stack);
    }

    /** Same format, for /proc/PID/fdinfo text (kept apart so the stacks file holds only stacks). */
    static void recordFdinfo(String shape, String task, char state, String fdinfo) {
        append("observed-fdinfo.txt", shape, task, state, fdinfo);
    }

    private static synchronized void append(String file, String shape, String task, char state, String stack) {
        Path out = LiveHelpers.baseDir().resolve("target/live-observed").resolve(file);
        String kernel = LiveProc.read(Path.of("/proc/sys/kernel/osrelease")).orElse("?").trim();
        String section = "=== " + shape + " | task: " + task + " | state: " + state + " | kernel: " + kernel + "\n"
                + stack + (stack.endsWith("\n") ? "" : "\n");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, section, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a record for humans; the test itself does not depend on it
        }
    }
}
