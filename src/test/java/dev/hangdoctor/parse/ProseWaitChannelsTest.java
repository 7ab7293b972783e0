package dev.hangdoctor.parse;

import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.hangdoctor.parse.HandWrittenStacksTest.frames;
import static dev.hangdoctor.parse.HandWrittenStacksTest.tasks;
import static org.assertj.core.api.Assertions.assertThat;

/** A wait channel written in the report's words is a one-frame stack of a task in D, when the words say it is stuck. */
class ProseWaitChannelsTest {

    @Test
    void aPathAndAnEqualsSignInsideAMarkdownSentence() throws Exception {
        // corpus zh-005 (github.com/yandex-cloud/geesefs issue 197)
        List<Task> t = tasks("Under sustained lookup load, geesefs occasionally **never answers a single FUSE `LOOKUP`"
                + " request**. The calling process blocks forever in the kernel (`/proc/<tid>/wchan ="
                + " request_wait_answer`) while the same mount keeps serving all other traffic normally. Nothing is"
                + " logged — no `fuse.ERROR`, no `s3.WARNING`, no panic.\n");
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("request_wait_answer");
        assertThat(t.get(0).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
    }

    @Test
    void aColonFormWithANoteThatSaysBlocked() throws Exception {
        // a MooseFS-backed job runner's notes, found on GitHub by find_string "wchan: request_wait_answer"
        List<Task> t = tasks("wchan: request_wait_answer        <- FUSE: blocked waiting for the MooseFS daemon to"
                + " answer\n");
        assertThat(t).hasSize(1);
        assertThat(frames(t.get(0))).containsExactly("request_wait_answer");
    }

    @Test
    void anIsFormEndingASentence() {
        // a harness note found on GitHub by find_string "wchan is "
        assertThat(ProseWaitChannels.wchanIn("# a loop indefinitely; the harness's kernel wchan is anon_pipe_read."
                + " It hangs.")).isEqualTo("anon_pipe_read");
    }

    @Test
    void theWordsThatSayItIsStuckMayStandOnTheNextLineOfTheParagraph() throws Exception {
        // a board bring-up log on GitHub (find_string "wchan` is `"), wrapped at 72 columns
        List<Task> t = tasks("""
                `subsys_esoc0` holder does not reach `wait_for_err_ready()` and does not
                progress to MHI/WLFW. Its `wchan` is `mdm_subsys_powerup`, task state is
                `D (disk sleep)`, and stack is `mdm_subsys_powerup -> __subsystem_get ->
                """);
        assertThat(t).extracting(HandWrittenStacksTest::frames).contains(List.of("mdm_subsys_powerup"));
    }

    @Test
    void aNumberedPathWithAnEqualsSignIsThatTasksWaitChannel() throws Exception {
        List<Task> t = tasks("The init blocks forever: /proc/8583/wchan = zap_pid_ns_processes, and lxc-stop waits.\n");
        assertThat(t).hasSize(1);
        assertThat(t.get(0).pid()).isEqualTo(8583);
        assertThat(frames(t.get(0))).containsExactly("zap_pid_ns_processes");
    }

    @Test
    void noTaskWhenTheWordsDoNotSayItIsStuck() throws Exception {
        // documentation of what a value means is no report of a stuck task
        assertThat(tasks("`wchan: request_wait_answer` means it's waiting on a FUSE request (i.e. `/workspace` I/O)"
                + " — expected while copying/importing.\n")).isEmpty();
    }

    @Test
    void noTaskForAnotherStateZeroOrPsOptions() {
        List<String> lines = List.of(
                // the fuzzer notes above: SIGSTOP'd survivors
                "pid=3969896  state=T (stopped)  wchan=do_signal_stop   (stuck)",
                // "confirmed: `/proc/tid/wchan = 0`, `syscall = running`, empty kernel stack" of a spinning task
                "the spin is stuck in userspace (`/proc/tid/wchan = 0`)",
                // ps option lists (github.com/ncabatoff/process-exporter issue 162) and a word of prose
                "when stuck: ps -o pid,state,wchan=WIDE-WCHAN-COLUMN,stime,cmd",
                "stuck: docker exec x ps -eLo tid,pcpu,stat,wchan:30,comm",
                "the task is stuck and its wchan is unknown",
                // a runbook's table row (find_string "/wchan` shows"): a family, not a function
                "| **NFS Hang** (D-state, unkillable) | `cat /proc/<PID>/wchan` shows `nfs_...` | `umount -f /mnt/nfs_path` |",
                // a spinning process (find_string "wchan` is `"): no wait channel, and the state says so
                "`/proc/<pid>/wchan` is `0` and state is `R` — the process is on-CPU, not stuck",
                "its `wchan` is `do_signal_stop` and state is `T` (stuck)");
        for (String l : lines) {
            assertThat(ProseWaitChannels.wchanIn(l)).as(l).isNull();
        }
    }
}
