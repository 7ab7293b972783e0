package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.ContainerRef;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.parse.ContainerCgroupPath;

/** A task named in a result: pid and command, and its pod/container when it runs in one, as JSON `{pid, comm}`. */
public record TaskRef(int pid, String comm, ContainerRef container) {
    public TaskRef(int pid, String comm) {
        this(pid, comm, null);
    }

    public static TaskRef of(Task t) {
        // a live scan names the container from the runtime's state; a saved bundle still has the cgroup path
        ContainerRef c = t.container() != null ? t.container() : ContainerCgroupPath.parse(t.memoryCgroup());
        return new TaskRef(t.pid(), t.comm(), c);
    }

    @Override
    public String toString() {
        return (comm == null ? "?" : comm) + (pid >= 0 ? ":" + pid : "");
    }
}
