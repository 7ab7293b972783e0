package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Task;

/** A task named in a result: pid and command, as JSON `{pid, comm}`. */
public record TaskRef(int pid, String comm) {
    public static TaskRef of(Task t) {
        return new TaskRef(t.pid(), t.comm());
    }

    @Override
    public String toString() {
        return (comm == null ? "?" : comm) + (pid >= 0 ? ":" + pid : "");
    }
}
