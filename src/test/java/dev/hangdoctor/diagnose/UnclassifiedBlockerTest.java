package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No rule knows the hang and no wait leads from one task to another: a lock waiter waits for somebody, so the one
 * stuck task that waits on no lock is who the others wait for.
 */
class UnclassifiedBlockerTest {

    /** The first finding of a saved report, diagnosed with the built-in rules. */
    static Finding first(String report) throws Exception {
        return HandedInReports.first(report);
    }

    @Test
    void aLoneMutexWaiterIsNoBlockerButItsBlockedTimeCounts() throws Exception {
        // github.com/sophgo/linux-riscv issue 92 (riscv64, 6.1): one task, its hung-task header says how long
        String report = """
                [209173.109588] INFO: task node:896412 blocked for more than 124 seconds.
                [209173.116301]       Not tainted 6.1.61-pisces #2023.12.19.12.48+c60b48221
                [209173.123094] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [209173.131065] task:node            state:D stack:0     pid:896412 ppid:890296 flags:0x00000100
                [209173.139659] Call Trace:
                [209173.142239] [<ffffffff80a6e16a>] __schedule+0x29c/0x89e
                [209173.147634] [<ffffffff80a6e7b8>] schedule+0x4c/0xce
                [209173.152644] [<ffffffff80a6ebba>] schedule_preempt_disabled+0x18/0x20
                [209173.159136] [<ffffffff80a6fb82>] __mutex_lock.constprop.0+0x336/0x6b8
                [209173.165734] [<ffffffff80a70000>] __mutex_lock_slowpath+0x1a/0x22
                [209173.171878] [<ffffffff80a7004a>] mutex_lock+0x42/0x4c
                [209173.177061] [<ffffffff800d1a98>] proc_cgroup_show+0x5c/0x3ba
                """;
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        Diagnosis d = new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
        Finding f = d.findings().get(0);
        // it waits on a mutex (proc_cgroup_show's cgroup_mutex) whose owner the text does not show: a waiter
        assertThat(f.rootCause()).isNull();
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(896412);
        assertThat(f.confidence()).isEqualTo(0.3);
        assertThat(d.warnings()).noneMatch(w -> w.contains("no blocked time"));
    }

    @Test
    void theTaskStuckOutsideALockHoldsWhatTheLockWaiterWantsFor() throws Exception {
        // lore.kernel.org/r/YN6rBKIHmLhEo36w@google.com (zram: sysfs store vs module removal)
        Finding f = first("""
                INFO: task bash:888 blocked for more than 120 seconds.
                task:bash            state:D stack:    0 pid:  888 ppid: 887 flags:<etc>
                Call Trace:
                 __schedule+0x2e4/0x900
                 schedule+0x46/0xb0
                 schedule_preempt_disabled+0xa/0x10
                 __mutex_lock.constprop.0+0x2c3/0x490
                 ? _kstrtoull+0x35/0xd0
                 reset_store+0x6c/0x160 [zram]
                 kernfs_fop_write_iter+0x124/0x1b0
                 new_sync_write+0x11c/0x1b0
                 vfs_write+0x1c2/0x260
                INFO: task modprobe:1104 can't die for more than 120 seconds.
                task:modprobe        state:D stack:    0 pid: 1104 ppid: 916 flags:<etc>
                Call Trace:
                 __schedule+0x2e4/0x900
                 schedule+0x46/0xb0
                 __kernfs_remove.part.0+0x228/0x2b0
                 ? finish_wait+0x80/0x80
                 kernfs_remove_by_name_ns+0x50/0x90
                 remove_files+0x2b/0x60
                 sysfs_remove_group+0x38/0x80
                 device_del+0x183/0x3e0
                 del_gendisk+0x27a/0x2d0
                 zram_remove+0x8a/0xb0 [zram]
                """);
        assertThat(f.signature()).isEqualTo(Diagnoser.UNCLASSIFIED);
        assertThat(f.rootCause().pid()).isEqualTo(1104);
        assertThat(f.victims()).extracting(TaskRef::pid).contains(888);
    }

    @Test
    void aLoneStuckDriverThreadIsTheBlocker() throws Exception {
        // lore.kernel.org/r/d8b21ff4-422b-28ee-fc49-f8d9612ebccf@linux.vnet.ibm.com (crash foreach UN bt)
        Finding f = first("""
                crash> foreach UN bt
                PID: 213    TASK: c000000004ba9f80  CPU: 9   COMMAND: "eehd"
                  #0 [c000000004c277e0] __schedule at c000000000c756a8
                  #1 [c000000004c278b0] schedule at c000000000c75d80
                  #2 [c000000004c278e0] schedule_timeout at c000000000c7bc8c
                  #3 [c000000004c279c0] msleep at c000000000212bec
                  #4 [c000000004c279f0] napi_disable at c000000000a0b2e8
                  #5 [c000000004c27a30] bnx2x_netif_stop at c0080000015cbbf4 [bnx2x]
                  #6 [c000000004c27a60] bnx2x_io_slot_reset at c00800000159555c [bnx2x]
                  #7 [c000000004c27b20] eeh_report_reset at c00000000004ca3c
                """);
        assertThat(f.rootCause().pid()).isEqualTo(213);
    }

    @Test
    void aStackOfSchedulerFramesOnlyNamesNobody() throws Exception {
        // github.com/keybase/client issue 13370: the freezer's dump was cut after schedule
        Finding f = first("""
                Freezing of tasks failed after 20.009 seconds (1 tasks refusing to freeze, wq_busy=0):
                ksysguardd      D    0  6678   5122 0x00000004
                Call Trace:
                 __schedule+0x291/0x8a0
                 schedule+0x2c/0x80
                """);
        assertThat(f.rootCause()).isNull();
    }

    /** lore (linux-xfs, 6.18-rc5): a dio completion worker waits for log space, its hung-task report. */
    private static final String LOG_SPACE_WAITER = """
            INFO: task 3:13:2308404 blocked for more than 61 seconds.
                  Tainted: G        W           6.18.0-rc5-xfsx #rc5
            "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            task:3:13            state:D stack:12184 pid:2308404 tgid:2308404 ppid:2      task_flags:0x4248060 flags:0x00080000
            Workqueue: dio/sda4 iomap_dio_complete_work
            Call Trace:
             <TASK>
             __schedule+0x4cb/0x1a70
             schedule+0x2a/0xe0
             xlog_grant_head_wait+0x5c/0x2a0 [xfs 28bfed63550f2a1085614a29851734fab813b29a]
             xlog_grant_head_check+0x10e/0x180 [xfs 28bfed63550f2a1085614a29851734fab813b29a]
             xfs_log_regrant+0xc2/0x1e0 [xfs 28bfed63550f2a1085614a29851734fab813b29a]
             xfs_trans_roll+0x90/0xc0 [xfs 28bfed63550f2a1085614a29851734fab813b29a]
             iomap_dio_complete_work+0x17/0x30
             process_one_work+0x196/0x3e0
             worker_thread+0x264/0x380
             kthread+0x117/0x270
             ret_from_fork+0xa4/0xe0
             </TASK>
            """;

    @Test
    void aSuffererOthersWaitForIsWhereTheChainEnds() throws Exception {
        // the detector names the rwsem's owner, which itself waits for log space
        Finding f = first("INFO: task 3:1:2248454 <writer> blocked on an rw-semaphore likely owned by task"
                + " 3:13:2308404 <writer>\n" + LOG_SPACE_WAITER);
        assertThat(f.category()).isEqualTo(Category.XFS);
        assertThat(f.rootCause().pid()).isEqualTo(2308404);
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(2248454);
    }

    @Test
    void aSuffererNobodyWaitsForIsNoBlocker() throws Exception {
        // the same report without the detector's owner line: nothing says anyone waits for the log waiter
        Finding f = first(LOG_SPACE_WAITER);
        assertThat(f.category()).isEqualTo(Category.XFS);
        assertThat(f.rootCause()).isNull();
    }
}
