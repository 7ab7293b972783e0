package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScanWindowTest {

    private static Evidence sample1() {
        Evidence e = new Evidence();
        e.addTask(new Task(10).tgid(10).comm("passing").state(TaskState.UNINTERRUPTIBLE).contextSwitches(5L));
        e.addTask(new Task(11).tgid(10).comm("stuck").state(TaskState.UNINTERRUPTIBLE).contextSwitches(1L));
        e.addTask(new Task(12).tgid(12).comm("gone").state(TaskState.UNINTERRUPTIBLE).contextSwitches(9L));
        e.addTask(new Task(13).tgid(13).comm("hidden").unreadable(true));
        e.addTask(new Task(14).tgid(14).comm("uffd").state(TaskState.SLEEPING).contextSwitches(1L)
                .frames(List.of(Frame.of("handle_userfault"), Frame.of("do_user_addr_fault"))));
        e.addTask(new Task(15).tgid(15).comm("idle").state(TaskState.SLEEPING).contextSwitches(3L)
                .frames(List.of(Frame.of("do_nanosleep"))));
        e.addTask(new Task(16).tgid(16).comm("late").unreadable(true));
        return e;
    }

    @Test
    void picksTasksInDUnreadableOrInAKnownWait() {
        assertThat(ScanWindow.candidates(sample1())).extracting(Task::pid).containsExactly(10, 11, 12, 13, 14, 16);
        assertThat(ScanWindow.looksStuck(new Task(1).state(TaskState.SLEEPING).wchan("request_wait_answer"))).isTrue();
        assertThat(ScanWindow.looksStuck(new Task(1).state(TaskState.RUNNING)
                .frames(List.of(Frame.of("fuse_get_req.isra.0"))))).isTrue();
        assertThat(ScanWindow.looksStuck(new Task(1).state(TaskState.ZOMBIE))).isFalse();
    }

    @Test
    void aTaskThatRanIsNoLongerHungAndOneThatDidNotIsSaidToBeStuck() {
        Evidence e = sample1();
        ScanWindow w = new ScanWindow(2000, List.of(
                new ScanWindow.Entry(10, 10, ScanWindow.Seen.READ, 'S', 6L, 1L),
                new ScanWindow.Entry(10, 11, ScanWindow.Seen.READ, 'D', 1L, 0L),
                new ScanWindow.Entry(12, 12, ScanWindow.Seen.GONE, null, null, null),
                new ScanWindow.Entry(13, 13, ScanWindow.Seen.TIMEOUT, null, null, null),
                new ScanWindow.Entry(14, 14, ScanWindow.Seen.READ, 'S', 1L, 0L),
                new ScanWindow.Entry(16, 16, ScanWindow.Seen.READ, 'R', 40L, 2L)));
        w.applyTo(e);

        Task passing = e.taskOrNull(10);
        assertThat(passing.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(passing.stuckSeconds()).isNull();
        assertThat(passing.notes()).containsExactly("ran during the 2.0s window (2 context switches), now S");

        Task stuck = e.taskOrNull(11);
        assertThat(stuck.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
        assertThat(stuck.stuckSeconds()).isEqualTo(2.0);
        assertThat(stuck.notes()).containsExactly("stuck in D for the whole 2.0s window (no context switch)");

        assertThat(e.taskOrNull(12)).isNull();

        Task hidden = e.taskOrNull(13);
        assertThat(hidden.unreadable()).isTrue();
        assertThat(hidden.notes()).containsExactly("still unreadable after the 2.0s window");

        Task uffd = e.taskOrNull(14);
        assertThat(uffd.state()).isEqualTo(TaskState.SLEEPING);
        assertThat(uffd.stuckSeconds()).isEqualTo(2.0);
        assertThat(uffd.notes()).containsExactly("in S for the whole 2.0s window (no context switch)");

        // unreadable in sample 1, readable now: no counters to compare, but it answered
        Task late = e.taskOrNull(16);
        assertThat(late.unreadable()).isFalse();
        assertThat(late.state()).isEqualTo(TaskState.RUNNING);

        assertThat(e.taskOrNull(15).notes()).isEmpty();
    }

    @Test
    void withoutCountersBothSamplesInDAreSaidSoButNotTimed() {
        Evidence e = new Evidence();
        e.addTask(new Task(20).state(TaskState.UNINTERRUPTIBLE));
        new ScanWindow(500, List.of(new ScanWindow.Entry(20, 20, ScanWindow.Seen.READ, 'D', null, null))).applyTo(e);
        assertThat(e.taskOrNull(20).stuckSeconds()).isNull();
        assertThat(e.taskOrNull(20).notes()).singleElement().asString().startsWith("in D in both samples 0.5s apart");
    }

    @Test
    void theFileReadsBackAndToleratesNoise() {
        ScanWindow w = new ScanWindow(2003, List.of(
                new ScanWindow.Entry(10, 11, ScanWindow.Seen.READ, 'D', 1L, 0L),
                new ScanWindow.Entry(12, 12, ScanWindow.Seen.GONE, null, null, null),
                new ScanWindow.Entry(13, 13, ScanWindow.Seen.TIMEOUT, null, null, null),
                new ScanWindow.Entry(14, 14, ScanWindow.Seen.READ, null, 3L, null)));
        String text = w.format();
        assertThat(text).startsWith("window_ms 2003\n#").contains("\n10 11 D 1 0\n", "\n12 12 gone - -\n");
        ScanWindow back = ScanWindow.parse(text + "garbage line\n1 2 3\nx y D 1 1\n0 0 D 1 1\n");
        assertThat(back.windowMillis()).isEqualTo(2003);
        assertThat(back.entries()).isEqualTo(w.entries());
        assertThat(ScanWindow.parse(null).entries()).isEmpty();
    }

    /**
     * A healthy FUSE mount's reader caught twice in request_wait_answer <- fuse_flush (its close), running in between:
     * its request was answered, so its first-sample stack is dropped and no FUSE finding can take it as a victim. A
     * caller that did not run, and one that a signal moved into D, keep theirs.
     */
    @Test
    void aFuseCallerThatRanAndIsNotInDGotItsAnswer() {
        List<Frame> flush = List.of(Frame.of("request_wait_answer"), Frame.of("__fuse_simple_request"),
                Frame.of("fuse_flush"), Frame.of("filp_flush"), Frame.of("__x64_sys_close"));
        Evidence e = new Evidence();
        e.addTask(new Task(20).tgid(20).comm("reader").state(TaskState.RUNNING).contextSwitches(100L).frames(flush));
        e.addTask(new Task(21).tgid(21).comm("waiter").state(TaskState.SLEEPING).contextSwitches(7L).frames(flush));
        e.addTask(new Task(22).tgid(22).comm("nudged").state(TaskState.SLEEPING).contextSwitches(7L).frames(flush));
        new ScanWindow(1000, List.of(
                new ScanWindow.Entry(20, 20, ScanWindow.Seen.READ, 'R', 150L, 9L),
                new ScanWindow.Entry(21, 21, ScanWindow.Seen.READ, 'S', 7L, 0L),
                new ScanWindow.Entry(22, 22, ScanWindow.Seen.READ, 'D', 8L, 0L))).applyTo(e);

        assertThat(e.taskOrNull(20).frames()).isEmpty();
        assertThat(e.taskOrNull(20).notes()).contains("its FUSE request was answered during the window");
        assertThat(e.taskOrNull(21).frames()).isEqualTo(flush);
        assertThat(e.taskOrNull(21).stuckSeconds()).isEqualTo(1.0);
        assertThat(e.taskOrNull(22).frames()).isEqualTo(flush);
    }
}
