package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;

import static dev.hangdoctor.parse.TraceFixtures.functions;
import static dev.hangdoctor.parse.TraceFixtures.read;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kworker's `Workqueue:` line names the work that runs when its stack was cut; a hung-task header quoted as inline
 * code in a sentence is no task; a journal pasted newest line first is read oldest first. Lines from corpus q-012
 * (github.com/longhorn/longhorn/issues/4311) and q-019 (github.com/raspberrypi/linux/issues/2810).
 */
class WorkqueueAndReversedLogTest {

    private static final String[] XFS_CIL = {
        "Jul 28 12:11:10 k3s01 kernel: INFO: task kworker/u32:1:125 blocked for more than 120 seconds.",
        "Jul 28 12:11:10 k3s01 kernel:       Tainted: P           O      5.15.0-41-generic #44-Ubuntu",
        "Jul 28 12:11:10 k3s01 kernel: \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
        "Jul 28 12:11:10 k3s01 kernel: task:kworker/u32:1   state:D stack:    0 pid:  125 ppid:     2 flags:0x00004000",
        "Jul 28 12:11:10 k3s01 kernel: Workqueue: xfs-cil/zd0 xlog_cil_push_work [xfs]",
        "Jul 28 12:11:10 k3s01 kernel: Call Trace:",
        "Jul 28 12:11:10 k3s01 kernel:  <TASK>",
        "Jul 28 12:11:10 k3s01 kernel:  __schedule+0x23d/0x590",
        "Jul 28 12:11:10 k3s01 kernel:  schedule+0x4e/0xb0",
        "Jul 28 12:11:10 k3s01 kernel:  schedule_timeout+0xfb/0x140",
        "Jul 28 12:11:10 k3s01 kernel:  __wait_for_common+0xae/0x150",
        "Jul 28 12:11:10 k3s01 kernel:  ? usleep_range_state+0x90/0x90",
    };

    @Test
    void aCutStackEndsInTheWorkFunctionItsWorkqueueLineNames() throws IOException {
        Task t = read(XFS_CIL).task(125);
        assertThat(functions(t)).containsExactly("__schedule", "schedule", "schedule_timeout", "__wait_for_common",
                "usleep_range_state", "xlog_cil_push_work");
        Frame work = t.frames().get(t.frames().size() - 1);
        assertThat(work.module()).isEqualTo("xfs");
        assertThat(work.unreliable()).isFalse();
        assertThat(t.workqueue()).isEqualTo("xfs-cil/zd0");
    }

    /** A 4.x hung kworker of the writeback workqueue, its stack as printed down to process_one_work. */
    private static Task writebackWorker(String... middle) throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "INFO: task kworker/u8:2:1234 blocked for more than 120 seconds.",
                "kworker/u8:2    D    0  1234      2 0x80000000",
                "Workqueue: writeback wb_workfn (flush-8:0)",
                "Call Trace:",
                " __schedule+0x2a8/0x670",
                " schedule+0x33/0x90",
                " io_schedule+0x16/0x40"));
        lines.addAll(List.of(middle));
        lines.add(" process_one_work+0x1a7/0x3a0");
        lines.add(" worker_thread+0x30/0x390");
        return read(lines.toArray(String[]::new)).task(1234);
    }

    @Test
    void aStackThatHoldsTheWorkFunctionIsLeftAsPrinted() throws IOException {
        assertThat(functions(writebackWorker(" wb_workfn+0x10d/0x3f0"))).containsExactly("__schedule", "schedule",
                "io_schedule", "wb_workfn", "process_one_work", "worker_thread");
    }

    @Test
    void aStackPrintedWithoutTheWorkFunctionGetsItInsideProcessOneWork() throws IOException {
        assertThat(functions(writebackWorker())).containsExactly("__schedule", "schedule", "io_schedule", "wb_workfn",
                "process_one_work", "worker_thread");
    }

    @Test
    void aHeaderWithoutFramesOrACutWorkqueueLineGetsNoWorkFrame() throws IOException {
        Task header = read("INFO: task kworker/u8:2:1234 blocked for more than 120 seconds.",
                "kworker/u8:2    D    0  1234      2 0x80000000",
                "Workqueue: writeback wb_workfn (flush-8:0)").task(1234);
        assertThat(header.frames()).isEmpty();
        Evidence cut = read("Workqueue: events_freezabl",
                " __schedule+0x2a8/0x670",
                " schedule+0x33/0x90",
                " __mmc_claim_host+0xd8/0x228");
        assertThat(cut.tasks()).singleElement().satisfies(t -> assertThat(functions(t))
                .containsExactly("__schedule", "schedule", "__mmc_claim_host"));
    }

    @Test
    void aHungTaskHeaderQuotedAsInlineCodeInASentenceIsNoRecordOfItsOwn() throws IOException {
        // the sentence stays one line (no record cut out of it, no stack opened under it), yet the header it quotes
        // still says that task hung: the report's only word of it when no log is pasted (corpus zf-001)
        Evidence e = read("Note several of them have `INFO: task longhorn:31535 blocked for more than 120 seconds.`",
                " __schedule+0x2a8/0x670", " schedule+0x33/0x90");
        assertThat(e.events(KernelEventKind.HUNG_TASK)).singleElement()
                .satisfies(ev -> assertThat(ev.message()).startsWith("Note several of them have `"));
        assertThat(e.taskOrNull(31535).frames()).isEmpty();
        // the header at a line's start after quote marks or indentation is still one
        assertThat(read("`INFO: task longhorn:31535 blocked for more than 120 seconds.`").taskOrNull(31535)).isNotNull();
        assertThat(read("    INFO: task longhorn:31535 blocked for more than 120 seconds.").taskOrNull(31535))
                .isNotNull();
        // another tool's columns before it (node-problem-detector events in `kubectl describe`, corpus q-004)
        assertThat(read("  Warning  TaskHung  5m23s  kernel-monitor  INFO: task kswapd0:49 blocked for more than 120"
                + " seconds.").taskOrNull(49)).isNotNull();
    }

    @Test
    void theHungTaskBlockerLineQuotedInASentenceIsAHungTask() throws IOException {
        // corpus x-025 (github.com/koverstreet/bcachefs-tools/issues/917): only a hung task gets this line, so a
        // writer quoting it quotes what their host printed; the owner is the next hop of the wait-for chain
        Evidence e = read("`khungtaskd` names all three subjects by pid and gives the lock chain: `INFO: task"
                + " sync:344225 <reader> blocked on an rw-semaphore likely owned by task kworker/u66:17:197471`. `dmesg`"
                + " carries `Allocator stuck? Waited for 30 seconds, err bucket_alloc_blocked`.");
        Task sync = e.taskOrNull(344225);
        assertThat(sync.comm()).isEqualTo("sync");
        assertThat(sync.state()).isEqualTo(dev.hangdoctor.model.TaskState.UNINTERRUPTIBLE);
        assertThat(sync.lockOwnerHints()).extracting(h -> h.ownerPid()).containsExactly(197471);
        assertThat(e.taskOrNull(197471).comm()).isEqualTo("kworker/u66:17");
    }

    private static final String[] REVERSED = {
        "<had to hard-reboot at this point>",
        "Nov 27 23:45:52 alarmpi kernel: [<c0247240>] (process_one_work) from [<c02475f0>] (worker_thread+0x64/0x5a8)",
        "Nov 27 23:45:42 alarmpi kernel: [<c0c10308>] (mmc_rescan) from [<c0247240>] (process_one_work+0x200/0x54c)",
        "Nov 27 23:45:28 alarmpi kernel: [<c0c17084>] (mmc_sd_detect) from [<c0c10308>] (mmc_rescan+0xcc/0x450)",
        "Nov 27 23:45:14 alarmpi kernel: [<c0c0d2c8>] (__mmc_claim_host) from [<c0c17084>] (mmc_sd_detect+0x14/0x6c)",
        "Nov 27 23:45:01 alarmpi kernel: [<c0e113f8>] (schedule) from [<c0c0d2c8>] (__mmc_claim_host+0xd8/0x228)",
        "Nov 27 23:44:46 alarmpi kernel: [<c0e10c98>] (__schedule) from [<c0e113f8>] (schedule+0x60/0xdc)",
        "Nov 27 23:44:29 alarmpi kernel: Workqueue: events_freezabl",
    };

    @Test
    void aJournalPastedNewestFirstIsReadOldestFirst() throws IOException {
        Evidence e = read(REVERSED);
        assertThat(e.tasks()).singleElement().satisfies(t -> assertThat(functions(t)).startsWith("__schedule",
                "schedule", "__mmc_claim_host", "mmc_sd_detect", "mmc_rescan", "process_one_work"));
    }

    @Test
    void theSameLinesInTheirOwnOrderReadTheSame() throws IOException {
        String[] forward = new String[REVERSED.length];
        forward[0] = REVERSED[0];
        for (int k = 1; k < REVERSED.length; k++) {
            forward[k] = REVERSED[REVERSED.length - k];
        }
        Evidence e = read(forward);
        assertThat(e.tasks()).singleElement().satisfies(t -> assertThat(functions(t)).startsWith("__schedule",
                "schedule", "__mmc_claim_host", "mmc_sd_detect", "mmc_rescan", "process_one_work"));
    }

    @Test
    void oneStepBackInTimeIsNoReversedLog() throws IOException {
        // two lines out of order (a clock step, two merged logs) are read as they stand
        Evidence e = read("[  100.000002] INFO: task a:1 blocked for more than 120 seconds.",
                "[  100.000001] task:a               state:D stack:    0 pid:    1 ppid:     0 flags:0x00000000",
                "[  100.000003] Call Trace:",
                "[  100.000004]  __schedule+0x23d/0x590",
                "[  100.000005]  schedule+0x4e/0xb0",
                "[  100.000006]  io_schedule+0x16/0x40");
        assertThat(functions(e.task(1))).containsExactly("__schedule", "schedule", "io_schedule");
    }

    @Test
    void orderKeysOfTheStampsJournalsPrint() {
        assertThat(ReversedRun.orderKey("Nov 27 23:45:52 alarmpi kernel: x",
                KernelLogPrefix.strip("Nov 27 23:45:52 alarmpi kernel: x", 1)))
                .isGreaterThan(ReversedRun.orderKey("Nov 27 23:45:42 alarmpi kernel: x",
                        KernelLogPrefix.strip("Nov 27 23:45:42 alarmpi kernel: x", 1)));
        assertThat(ReversedRun.orderKey("Nov  9 00:00:00 h kernel: x", KernelLogPrefix.strip("Nov  9 00:00:00 h kernel: x", 1)))
                .isLessThan(ReversedRun.orderKey("Nov 10 00:00:00 h kernel: x",
                        KernelLogPrefix.strip("Nov 10 00:00:00 h kernel: x", 1)));
        assertThat(ReversedRun.orderKey("[ 3891.873807] x", KernelLogPrefix.strip("[ 3891.873807] x", 1)))
                .isEqualTo(3891.873807, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ReversedRun.orderKey("plain text", KernelLogPrefix.strip("plain text", 1))).isNaN();
    }

    /**
     * A syslog stamped in whole seconds, quoted in a mail newest line first: every line of the report carries one stamp.
     * Corpus x-003 (github.com/open-iscsi/tcmu-runner/pull/299); the lines below the header are the outermost frames
     * of the task printed before it.
     */
    private static final String[] ONE_SECOND_NEWEST_FIRST = {
        "> Nov 10 15:42:32 sds-3-94 kernel:  [<ffffffff816a9589>] schedule+0x29/0x70",
        "> Nov 10 15:42:32 sds-3-94 kernel: Call Trace:",
        "> Nov 10 15:42:32 sds-3-94 kernel:  7fffffffffffffff ffff880eba3267f8 ffff880035c88fd0 ffff880f46158050",
        "> Nov 10 15:42:32 sds-3-94 kernel:  ffff88103ca83fd8 ffff88103ca83fd8 ffff880035c88fd0 ffff880eba326800",
        "> Nov 10 15:42:32 sds-3-94 kernel:  ffff88103ca83bf0 0000000000000046 ffff880035c88fd0 ffff88103ca83fd8",
        "> Nov 10 15:42:32 sds-3-94 kernel: Workqueue: tmr-user target_tmr_work [target_core_mod]",
        "> Nov 10 15:42:32 sds-3-94 kernel: kworker/u65:5   D ffff880f46158050     0   552      2 0x00000000",
        "> Nov 10 15:42:32 sds-3-94 kernel: \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
        "> Nov 10 15:42:32 sds-3-94 kernel: INFO: task kworker/u65:5:552 blocked for more than 120 seconds.",
        "> Nov 10 15:42:32 sds-3-94 kernel:  [<ffffffff810b08d0>] ? insert_kthread_work+0x40/0x40",
        "> Nov 10 15:42:32 sds-3-94 kernel:  [<ffffffff816b4fd8>] ret_from_fork+0x58/0x90",
        "> Nov 10 15:42:32 sds-3-94 kernel:  [<ffffffff810b08d0>] ? insert_kthread_work+0x40/0x40",
        "> Nov 10 15:42:32 sds-3-94 kernel:  [<ffffffff810b099f>] kthread+0xcf/0xe0",
        "> Nov 10 15:42:32 sds-3-94 kernel:  [<ffffffff810a93d0>] ? manage_workers.isra.24+0x2a0/0x2a0",
        "> Nov 10 15:42:32 sds-3-94 kernel:  [<ffffffff810a94f6>] worker_thread+0x126/0x3c0",
    };

    @Test
    void aReportOfOneSecondPastedNewestFirstIsReadByItsOwnLines() throws IOException {
        Task t = read(ONE_SECOND_NEWEST_FIRST).task(552);
        assertThat(t.workqueue()).isEqualTo("tmr-user");
        assertThat(functions(t)).startsWith("schedule").doesNotContain("kthread", "ret_from_fork");
    }

    @Test
    void aReportAcrossASecondsTurnPastedNewestFirstIsReadTheSame() throws IOException {
        // one step down between two runs of one stamp: too few to say so by the stamps, the lines still say it
        String[] lines = ONE_SECOND_NEWEST_FIRST.clone();
        for (int k = 8; k < lines.length; k++) {
            lines[k] = lines[k].replace("15:42:32", "15:42:31");
        }
        Task t = read(lines).task(552);
        assertThat(t.workqueue()).isEqualTo("tmr-user");
        assertThat(functions(t)).startsWith("schedule").doesNotContain("kthread", "ret_from_fork");
    }

    @Test
    void aReportOfOneSecondInItsOwnOrderIsLeftAsItStands() throws IOException {
        // the same stamp on every line, the kernel's order (corpus q-012's shape): nothing is turned round
        String[] forward = java.util.Arrays.copyOf(XFS_CIL, XFS_CIL.length + 2);
        forward[XFS_CIL.length] = "Jul 28 12:11:10 k3s01 kernel:  process_one_work+0x1a7/0x3a0";
        forward[XFS_CIL.length + 1] = "Jul 28 12:11:10 k3s01 kernel:  worker_thread+0x30/0x390";
        assertThat(functions(read(forward).task(125))).startsWith("__schedule", "schedule", "schedule_timeout");
        // and the lines of the newest-first report put back in the kernel's order read the same way
        String[] ordered = ONE_SECOND_NEWEST_FIRST.clone();
        java.util.Collections.reverse(java.util.Arrays.asList(ordered));
        Task t = read(ordered).task(552);
        assertThat(functions(t)).startsWith("schedule").doesNotContain("kthread", "ret_from_fork");
    }

    @Test
    void linesOfOneStampReadNewestFirstOnlyByWhatTheyAre() {
        java.util.function.Function<String[], Boolean> reads = lines -> {
            List<LogLine> l = new java.util.ArrayList<>();
            for (String s : lines) {
                l.add(KernelLogPrefix.strip(s, l.size() + 1));
            }
            return ReversedRun.readsNewestFirst(l);
        };
        assertThat(reads.apply(new String[] {"Nov 10 15:42:32 h kernel:  schedule+0x29/0x70",
            "Nov 10 15:42:32 h kernel: Call Trace:", "Nov 10 15:42:32 h kernel: kworker/u65:5   D ffff880f46158050"
                + "     0   552      2 0x00000000"})).isTrue();
        assertThat(reads.apply(new String[] {"Nov 10 15:42:32 h kernel: INFO: task a:1 blocked for more than 120"
                + " seconds.", "Nov 10 15:42:32 h kernel:  ret_from_fork+0x58/0x90"})).isTrue();
        // the kernel's order, and a run that ends on its Call Trace line, say nothing of the kind
        assertThat(reads.apply(new String[] {"Nov 10 15:42:32 h kernel: Call Trace:",
            "Nov 10 15:42:32 h kernel:  schedule+0x29/0x70"})).isFalse();
        assertThat(reads.apply(new String[] {"Nov 10 15:42:32 h kernel:  schedule+0x29/0x70",
            "Nov 10 15:42:32 h kernel: Call Trace:"})).isFalse();
        // one line of each order: left as it stands
        assertThat(reads.apply(new String[] {"Nov 10 15:42:32 h kernel: INFO: task a:1 blocked for more than 120"
                + " seconds.", "Nov 10 15:42:32 h kernel:  ret_from_fork+0x58/0x90",
            "Nov 10 15:42:32 h kernel: Call Trace:", "Nov 10 15:42:32 h kernel:  schedule+0x29/0x70"})).isFalse();
    }
}
