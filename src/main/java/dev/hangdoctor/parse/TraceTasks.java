package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;

/** Where the trace block parsers of one evidence file put what they built: tasks, and the formats they were in. */
final class TraceTasks {
    final Evidence evidence;
    /** Lines a block took and then dropped. */
    final SkippedLines skipped;
    private final String source;
    /**
     * Where each named task's stack was printed, in order, every time (the evidence keeps one task a pid, with the
     * place it was first seen): a watchdog that reports the same task again and again dumps it after each report.
     */
    final java.util.List<Sighting> sightings = new java.util.ArrayList<>();
    private static final int MAX_SIGHTINGS = 4096;

    /** A named task's stack block, and where it began. */
    record Sighting(int pid, String source) {
    }

    TraceTasks(Evidence evidence, String source, SkippedLines skipped) {
        this.evidence = evidence;
        this.source = source;
        this.skipped = skipped;
    }

    /** "file:line", a task's source. */
    String at(long lineNo) {
        return source + ":" + lineNo;
    }

    void format(String format) {
        if (format != null) {
            evidence.addFormat(format);
        }
    }

    /**
     * A finished stack block: kept unless it holds nothing (an anonymous block with no frame and no name; with
     * {@code needFrames}, any block with no frame). {@code format} names the format when the block did not.
     */
    boolean add(TraceBlock b, boolean needFrames, String format) {
        Task task = b.finish();
        if (ProcBlock.FORMAT.equals(b.format) && !task.frames().isEmpty()) {
            task.note(Task.PROC_STACK);
        }
        if (b.anonymous && task.frames().isEmpty() && task.comm() == null) {
            return false;
        }
        if (needFrames && task.frames().isEmpty()) {
            return false;
        }
        if (b.anonymous) {
            task = task.withPid(evidence.anonymousPid());
        } else if (sightings.size() < MAX_SIGHTINGS && task.source() != null) {
            sightings.add(new Sighting(task.pid(), task.source()));
        }
        evidence.addTask(task);
        format(b.format != null ? b.format : format);
        return true;
    }

    /** A task told in one line (a crash `ps` row, a `journal_info` answer). */
    void addStandalone(Task task, String format, long lineNo) {
        if (task.pid() <= 0) {
            task = task.withPid(evidence.anonymousPid());
        }
        evidence.addTask(task.source(at(lineNo)));
        evidence.addFormat(format);
    }
}
