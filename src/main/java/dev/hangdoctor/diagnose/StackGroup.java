package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.TaskState;

import java.util.List;

/**
 * Tasks with the same state and the same frames, shown once: "32 tasks D in wait_transaction_locked".
 * {@code waitsFor} says what the group waits on when the wait-for reasoning could tell.
 */
public record StackGroup(TaskState state, List<Frame> frames, List<TaskRef> tasks, String waitsFor, String role) {
    public StackGroup {
        frames = List.copyOf(frames);
        tasks = List.copyOf(tasks);
    }

    public int count() {
        return tasks.size();
    }

    /** The first frame worth naming: scheduler and wait plumbing skipped. */
    public String headline() {
        return Frames.significantTop(frames);
    }
}
