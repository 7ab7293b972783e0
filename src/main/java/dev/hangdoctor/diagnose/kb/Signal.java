package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.diagnose.ResourceKind;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.TaskState;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One thing a rule looks for: tasks with a stack shape, kernel log events, live host objects (memory cgroups,
 * FUSE connections, userfaultfds, goroutines), or the words of a report handed in. Exactly one of the test
 * records is set. {@code oneOf} names a
 * group of which at least one signal must match; {@code absent} turns the signal into an exclusion: the rule
 * matches only when nothing fits it. {@code alternativeOf} names an earlier signal this one is another form of
 * (the same evidence seen in another shape of stack): the two count once toward confidence.
 */
public record Signal(
        String id,
        Role role,
        boolean required,
        String oneOf,
        boolean absent,
        int weight,
        TaskTest task,
        EventTest event,
        MemcgTest memcg,
        FuseTest fuse,
        UffdTest uffd,
        GoroutineTest goroutine,
        String alternativeOf,
        TextTest text) {

    /** A signal of the shape rules had before text tests. */
    public Signal(String id, Role role, boolean required, String oneOf, boolean absent, int weight, TaskTest task,
                  EventTest event, MemcgTest memcg, FuseTest fuse, UffdTest uffd, GoroutineTest goroutine,
                  String alternativeOf) {
        this(id, role, required, oneOf, absent, weight, task, event, memcg, fuse, uffd, goroutine, alternativeOf, null);
    }

    /** The signal whose weight this one shares: its own id, or the one it is an alternative of. */
    public String weightGroup() {
        return alternativeOf == null ? id : alternativeOf;
    }

    /**
     * Tests on one task; null fields are not tested. {@code frames} are in order, innermost first, gaps allowed;
     * {@code anyModule}: a frame in one of these kernel modules ("dm_mod", as the trace prints it in brackets);
     * {@code waitsFor}: what the task's stack waits for, as the wait-for graph reads it (the caller of an rwsem
     * slow path tells a process's mmap lock from an inode's lock); {@code workqueue}: the workqueue a kworker ran a
     * work item of (the dump's "Workqueue: xfs-sync/rbd0 xfs_log_worker" line), found anywhere in its name.
     */
    public record TaskTest(
            List<String> frames,
            List<String> anyFrame,
            List<String> noFrame,
            Set<String> anyModule,
            Set<TaskState> states,
            Pattern comm,
            Boolean kernelThread,
            Boolean killPending,
            Boolean journalHandle,
            Long blockedAtLeast,
            ResourceKind waitsFor,
            Pattern workqueue) {
        public TaskTest {
            frames = frames == null ? List.of() : List.copyOf(frames);
            anyFrame = anyFrame == null ? List.of() : List.copyOf(anyFrame);
            noFrame = noFrame == null ? List.of() : List.copyOf(noFrame);
            anyModule = anyModule == null ? Set.of() : Set.copyOf(anyModule);
            states = states == null ? Set.of() : Set.copyOf(states);
        }
    }

    /** Kernel log events of these kinds, optionally whose message matches; {@code sameKey} counts repeats of one value. */
    public record EventTest(Set<KernelEventKind> kinds, Pattern message, int atLeast, Pattern sameKey) {
        public EventTest {
            kinds = Set.copyOf(kinds);
        }
    }

    /** A live memory cgroup: under OOM, filled to a fraction of its limit, OOM killer disabled. */
    public record MemcgTest(Boolean underOom, Double fillAtLeast, Boolean oomKillDisable) {
    }

    /** A live FUSE connection with at least this many requests waiting for the daemon. */
    public record FuseTest(long waitingAtLeast) {
    }

    /** An open userfaultfd with at least this many faults pending. */
    public record UffdTest(long pendingAtLeast) {
    }

    /** A goroutine waiting this long, optionally with a function matching. */
    public record GoroutineTest(Long waitMinutesAtLeast, Pattern function) {
    }

    /**
     * A line of a report handed in ({@code analyze}) that no parser took, matching: the user's own words around the
     * paste, or a daemon's debug output. Never true for a live scan.
     */
    public record TextTest(Pattern pattern) {
    }
}
