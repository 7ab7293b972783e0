package dev.hangdoctor.collect;

import dev.hangdoctor.collect.TimedReader.Result;
import dev.hangdoctor.collect.TimedReader.Status;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.procfs.PidStat;
import dev.hangdoctor.procfs.PidStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What was read of one thread, one slot per {@link ThreadFile}; a slot stays null for a file not read. */
final class ThreadFiles {
    private static final ThreadFile[] FILES = ThreadFile.values();

    final int tid;
    final Path dir;
    private final Result[] results = new Result[FILES.length];
    private final Object[] parsed = new Object[FILES.length];
    private boolean timedOut;

    ThreadFiles(int tid, Path dir) {
        this.tid = tid;
        this.dir = dir;
    }

    /** Keeps one file's result, parsed as its table entry says. */
    void take(ThreadFile f, Result r, StackCache stacks) {
        timedOut |= r.status() == Status.TIMEOUT;
        results[f.ordinal()] = r;
        parsed[f.ordinal()] = r.ok() && f.parser != null ? f.parser.parse(r.text(), stacks) : null;
    }

    boolean timedOut() {
        return timedOut;
    }

    /** The raw result of one file, or null when it was not read. */
    Result result(ThreadFile f) {
        return results[f.ordinal()];
    }

    PidStat.Fields stat() {
        return (PidStat.Fields) parsed[ThreadFile.STAT.ordinal()];
    }

    PidStatus status() {
        return (PidStatus) parsed[ThreadFile.STATUS.ordinal()];
    }

    @SuppressWarnings("unchecked")
    List<Frame> frames() {
        return (List<Frame>) parsed[ThreadFile.STACK.ordinal()];
    }

    /** The results of the files read, in table order. */
    List<Result> results() {
        List<Result> out = new ArrayList<>(results.length);
        for (Result r : results) {
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }
}
