package dev.hangdoctor.collect;

import dev.hangdoctor.procfs.PidStat;
import dev.hangdoctor.procfs.PidStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-thread /proc files a scan reads, in the order their warnings are reported. Adding a file is one entry
 * here: its name, when it is read, and how its text is kept (parsed on the caller's thread while the pool reads on).
 */
enum ThreadFile {
    STAT("stat", When.FIRST, (text, stacks) -> PidStat.parse(text)),
    STATUS("status", When.FULL, (text, stacks) -> PidStatus.parse(text)),
    WCHAN("wchan", When.FIRST, null),
    STACK("stack", When.FULL, (text, stacks) -> stacks.frames(text)),
    CGROUP("cgroup", When.UNLESS_CGROUP_KNOWN, null);

    /** When a live scan reads a file; a bundle holds what its live scan read, so all of it is read at once. */
    enum When {
        /** With the first batch of every thread: what ps reads. */
        FIRST,
        /** Only for threads that could matter (see ProcTreeReader's needsFullRead). */
        FULL,
        /** With the first batch, when the process's cgroup is not known yet and cgroup reads are not blocked. */
        UNLESS_CGROUP_KNOWN
    }

    /** Turns a file's text into what the scan keeps of it; null keeps the text alone. */
    interface Parser {
        Object parse(String text, StackCache stacks);
    }

    final String file;
    final When when;
    final Parser parser;

    ThreadFile(String file, When when, Parser parser) {
        this.file = file;
        this.when = when;
        this.parser = parser;
    }

    /** The files of the first batch of a thread. */
    static ThreadFile[] firstBatch(boolean bundle, boolean readCgroup) {
        List<ThreadFile> out = new ArrayList<>();
        for (ThreadFile f : values()) {
            if (f.when == When.FIRST || bundle && f.when == When.FULL || readCgroup && f.when == When.UNLESS_CGROUP_KNOWN) {
                out.add(f);
            }
        }
        return out.toArray(ThreadFile[]::new);
    }

    /** The files read only for threads that could matter. */
    static ThreadFile[] fullBatch() {
        List<ThreadFile> out = new ArrayList<>();
        for (ThreadFile f : values()) {
            if (f.when == When.FULL) {
                out.add(f);
            }
        }
        return out.toArray(ThreadFile[]::new);
    }
}
