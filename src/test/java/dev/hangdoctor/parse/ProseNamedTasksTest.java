package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static dev.hangdoctor.parse.HandWrittenStacksTest.tasks;
import static org.assertj.core.api.Assertions.assertThat;

/** A task the report's words name with its pid, on a line that names the hang, is a stackless task of that state. */
class ProseNamedTasksTest {

    @Test
    void aStallSummaryNamesTheTaskThatHeldTheCpu() throws Exception {
        // corpus zj-008 (github.com/home-assistant/operating-system issue 4573)
        String summary = "The last kernel log entries show a CPU 3 RCU stall with `runc` (PID 1284521) stuck"
                + " spinning in `smp_call_function_single` while executing the `perf_cgroup_attach` code path during a"
                + " cgroup process migration.\n";
        assertThat(tasks(summary)).singleElement()
                .extracting(Task::pid, Task::comm, Task::state, x -> x.frames().size())
                .containsExactly(1284521, "runc", TaskState.RUNNING, 0);
    }

    @Test
    void aLiveScanTakesNoTaskFromTheWordsOfItsLog() throws Exception {
        // a live scan folds its log into the tasks it read from /proc: a task of words adds none
        Evidence log = EvidenceReader.read(new ByteArrayInputStream(("The last kernel log entries show a CPU 3 RCU"
                + " stall with `runc` (PID 1284521) stuck spinning\n").getBytes(StandardCharsets.UTF_8)), "kmsg");
        assertThat(log.tasks()).hasSize(1);
        Evidence live = new Evidence();
        live.mergeLogIntoLive(log);
        live.live(true);
        assertThat(live.tasks()).isEmpty();
    }

    @Test
    void aCommColonPidInDStateIsATaskInD() {
        // corpus r-016's notation (`dockerd-current:39156`) in a sentence that gives the state
        Task t = ProseNamedTasks.named("`dockerd-current:39156` is stuck in D state");
        assertThat(t).isNotNull();
        assertThat(t.pid()).isEqualTo(39156);
        assertThat(t.comm()).isEqualTo("dockerd-current");
        assertThat(t.state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
    }

    @Test
    void aPidWithoutWordsOfAHangIsNoTask() {
        // corpus b-015: an init script's shutdown line
        assertThat(ProseNamedTasks.named("INITStopping Dropbear SSH server: stopped /usr/sbin/dropbear (pid 2551)")).isNull();
    }

    @Test
    void wordsOfAHangWithoutAPidNameNoTask() {
        // a hung-task explainer on GitHub (find_string "stuck in D state")
        assertThat(ProseNamedTasks.named("If a process stuck in D state during the period specified by"
                + " `kernel.hung_task_timeout_secs` (defaults to 120 seconds), the stack information of this hung task"
                + " process will be printed")).isNull();
    }

    @Test
    void aFieldOfAKernelLineIsNoCommand() {
        // corpus b-033: the hung-task header's fields ("pid:1105") are no "comm:pid"
        assertThat(ProseNamedTasks.named("task:kworker/u4:5    state:D stack:11608 pid:1105  tgid:1105  ppid:2"
                + "      flags:0x00004000 hung")).isNull();
    }

    @Test
    void aFixOrAQuestionIsNoReport() {
        // corpus zj-008's sentence turned into a fix and a question (patch subjects: "kmemleak: Avoid RCU stalls ...")
        assertThat(ProseNamedTasks.named("fixes a possible RCU stall with runc (PID 1284521)")).isNull();
        assertThat(ProseNamedTasks.named("is runc (PID 1284521) stuck in D state?")).isNull();
    }
}
