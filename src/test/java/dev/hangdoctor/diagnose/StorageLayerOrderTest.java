package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lowest storage layer whose work does not complete is named first (excerpts of corpus a-112, dm-devel; a-062,
 * a syzbot report on linux-ext4; a-088, EnhanceIO issue 40; x-005, rook issue 3132; a-014, nixpkgs issue 144787).
 */
class StorageLayerOrderTest {

    private static final String JOURNALS = """
            > ===1138===
            >      PID TTY      STAT   TIME COMMAND
            >     1138 ?        D      0:00 [jbd2/md3-8]
            > [<0>] jbd2_journal_commit_transaction+0x162d/0x1a20
            > [<0>] kjournald2+0xad/0x280
            > [<0>] kthread+0xe5/0x120
            > [<0>] ret_from_fork+0x31/0x50
            > [<0>] ret_from_fork_asm+0x1b/0x30
            >\s
            > ===1202===
            >      PID TTY      STAT   TIME COMMAND
            >     1202 ?        D      0:03 [jbd2/dm-0-8]
            > [<0>] jbd2_journal_commit_transaction+0x162d/0x1a20
            > [<0>] kjournald2+0xad/0x280
            > [<0>] kthread+0xe5/0x120
            > [<0>] ret_from_fork+0x31/0x50
            > [<0>] ret_from_fork_asm+0x1b/0x30
            >\s
            """;

    private static Diagnosis diagnose(String log) throws IOException {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "report");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void aWriterWaitingForARequestTagPutsTheBlockDeviceBeforeTheJournal() throws IOException {
        Diagnosis d = diagnose(JOURNALS + """
                > ===117547===
                >      PID TTY      STAT   TIME COMMAND
                >   117547 ?        D      5:12 [kworker/u16:8+flush-9:3]
                > [<0>] blk_mq_get_tag+0x11e/0x2b0
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
        assertThat(d.findings()).extracting(Finding::category).contains(Category.JBD2);
    }

    @Test
    void withoutBlockLayerWaitsTheJournalStaysTheCause() throws IOException {
        Diagnosis d = diagnose(JOURNALS);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.JBD2);
    }

    @Test
    void aJournalCommitWaitingForItsOwnBufferIoBlamesTheDevice() throws IOException {
        Diagnosis d = diagnose("""
                > >> INFO: task jbd2/sda1-8:2937 blocked for more than 143 seconds.
                > >>       Not tainted 5.16.0-rc5-syzkaller #0
                > >> "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                > >> task:jbd2/sda1-8     state:D stack:27112 pid: 2937 ppid:     2 flags:0x00004000
                > >> Call Trace:
                > >>  <TASK>
                > >>  context_switch kernel/sched/core.c:4972 [inline]
                > >>  __schedule+0xa9a/0x4940 kernel/sched/core.c:6253
                > >>  schedule+0xd2/0x260 kernel/sched/core.c:6326
                > >>  io_schedule+0xee/0x170 kernel/sched/core.c:8371
                > >>  bit_wait_io+0x12/0xd0 kernel/sched/wait_bit.c:209
                > >>  __wait_on_bit+0x60/0x190 kernel/sched/wait_bit.c:49
                > >>  out_of_line_wait_on_bit+0xd5/0x110 kernel/sched/wait_bit.c:64
                > >>  wait_on_bit_io include/linux/wait_bit.h:101 [inline]
                > >>  __wait_on_buffer+0x7a/0x90 fs/buffer.c:122
                > >>  wait_on_buffer include/linux/buffer_head.h:356 [inline]
                > >>  journal_wait_on_commit_record fs/jbd2/commit.c:175 [inline]
                > >>  jbd2_journal_commit_transaction+0x4e3c/0x6be0 fs/jbd2/commit.c:931
                > >>  kjournald2+0x1d0/0x930 fs/jbd2/journal.c:213
                > >>  kthread+0x405/0x4f0 kernel/kthread.c:327
                > >>  ret_from_fork+0x1f/0x30 arch/x86/entry/entry_64.S:295
                > >>  </TASK>
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
    }

    @Test
    void aStuckBlockDriverWorkerGoesBeforeTheFilesystemAboveIt() throws IOException {
        Diagnosis d = diagnose("""
                    [root@tantor ~]# cat /proc/2787/stack
                    [<ffffffff946b3b03>] call_rwsem_down_write_failed+0x13/0x20
                    [<ffffffffc02a48e9>] eio_clean_set+0xe9/0xa60 [enhanceio]
                    [<ffffffffc02a5511>] eio_clean_thread_proc+0x1f1/0x3a0 [enhanceio]
                    [<ffffffff9407d362>] kthread+0xf2/0x130
                    [<ffffffff9480017f>] ret_from_fork+0x1f/0x30
                    [<ffffffffffffffff>] 0xffffffffffffffff
                   \s
                    [root@tantor ~]# cat /proc/3019/stack
                    [<ffffffffc09111f4>] _xfs_log_force+0x144/0x280 [xfs]
                    [<ffffffffc091d80a>] xfsaild+0x16a/0x5b0 [xfs]
                    [<ffffffff9407d362>] kthread+0xf2/0x130
                    [<ffffffff9480017f>] ret_from_fork+0x1f/0x30
                    [<ffffffffffffffff>] 0xffffffffffffffff
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(2787);
    }

    @Test
    void anXfsLogForceToACephRbdDevicePutsTheDeviceFirstAndKeepsTheLog() throws IOException {
        Diagnosis d = diagnose("""
                [51717.039319] INFO: task kworker/2:1:5938 blocked for more than 120 seconds.
                [51717.039361]       Not tainted 4.15.0-72-generic #81-Ubuntu
                [51717.039388] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [51717.039426] kworker/2:1     D    0  5938      2 0x80000000
                [51717.039471] Workqueue: xfs-sync/rbd0 xfs_log_worker [xfs]
                [51717.039472] Call Trace:
                [51717.039478]  __schedule+0x24e/0x880
                [51717.039504]  ? xlog_sync+0x2d5/0x3c0 [xfs]
                [51717.039506]  schedule+0x2c/0x80
                [51717.039530]  _xfs_log_force_lsn+0x20e/0x350 [xfs]
                [51717.039533]  ? wake_up_q+0x80/0x80
                [51717.039556]  __xfs_trans_commit+0x20b/0x280 [xfs]
                [51717.039577]  xfs_trans_commit+0x10/0x20 [xfs]
                [51717.039600]  xfs_sync_sb+0x6d/0x80 [xfs]
                [51717.039623]  xfs_log_worker+0xe7/0x100 [xfs]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
        assertThat(d.findings()).extracting(Finding::category).contains(Category.XFS);
    }

    @Test
    void anXfsLogForceOnALocalVolumeStaysXfs() throws IOException {
        Diagnosis d = diagnose("""
                [Fri Nov  5 21:04:29 2021] INFO: task kworker/15:1:181 blocked for more than 122 seconds.
                [Fri Nov  5 21:04:29 2021]       Tainted: P           O      5.10.76 #1-NixOS
                [Fri Nov  5 21:04:29 2021] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [Fri Nov  5 21:04:29 2021] task:kworker/15:1    state:D stack:    0 pid:  181 ppid:     2 flags:0x00004000
                [Fri Nov  5 21:04:29 2021] Workqueue: xfs-sync/dm-1 xfs_log_worker [xfs]
                [Fri Nov  5 21:04:29 2021] Call Trace:
                [Fri Nov  5 21:04:29 2021]  __schedule+0x217/0x830
                [Fri Nov  5 21:04:29 2021]  ? usleep_range+0x80/0x80
                [Fri Nov  5 21:04:29 2021]  schedule+0x46/0xb0
                [Fri Nov  5 21:04:29 2021]  schedule_timeout+0xff/0x140
                [Fri Nov  5 21:04:29 2021]  ? try_to_wake_up+0x63/0x430
                [Fri Nov  5 21:04:29 2021]  __wait_for_common+0xae/0x160
                [Fri Nov  5 21:04:29 2021]  flush_work+0x5c/0x80
                [Fri Nov  5 21:04:29 2021]  ? worker_detach_from_pool+0xa0/0xa0
                [Fri Nov  5 21:04:29 2021]  xlog_cil_force_lsn+0x71/0x220 [xfs]
                [Fri Nov  5 21:04:29 2021]  xfs_log_force+0x7a/0x1b0 [xfs]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.XFS);
        assertThat(d.findings()).extracting(Finding::category).doesNotContain(Category.BLOCK_IO);
    }
}
