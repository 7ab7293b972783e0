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
 * a syzbot report on linux-ext4; a-088, EnhanceIO issue 40; x-005, rook issue 3132; a-014, nixpkgs issue 144787;
 * h-004, bottlerocket issue 4075; k-013, w3help.cc/a/202109/947662.html; zc-001,
 * lore.kernel.org/r/27b669d4-8d8e-458b-d13e-5b635ac46dae@leemhuis.info; h-011, moby issue 30003; zb-018,
 * lore.kernel.org/r/ZsPES2351eLXRYPz@dread.disaster.area; k-011, viviendolared.blogspot.com 2017).
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

    // h-004: the journal commit waits for running handles (t_updates); the maintainer's words blame the EBS volume
    private static final String EBS_PROSE = "Those logs do help. It looks like this could be related to an EBS"
            + " availability since it seems to be related to hanging tasks with the storage driver:\n";

    private static final String WAIT_UPDATES = """
            INFO: task jbd2/nvme2n1-8:6604 blocked for more than 122 seconds.
            kernel: fbcon: Taking over console
            kernel:       Not tainted 6.1.90 #1
            kernel: "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            kernel: task:jbd2/nvme2n1-8  state:D stack:0     pid:6604  ppid:2      flags:0x00000008
            kernel: Call trace:
            kernel:  __switch_to+0xbc/0xf0
            kernel:  __schedule+0x258/0x6e0
            kernel:  schedule+0x58/0xf0
            kernel:  jbd2_journal_wait_updates+0x88/0x130
            kernel:  jbd2_journal_commit_transaction+0x264/0x1bc0
            kernel:  kjournald2+0x15c/0x470
            kernel:  kthread+0xd0/0xe0
            """;

    @Test
    void aReportBlamingTheStorageUnderAJournalPutsTheDeviceFirstAndKeepsTheJournal() throws IOException {
        Diagnosis d = diagnose(EBS_PROSE + WAIT_UPDATES);
        assertThat(d.findings()).extracting(Finding::signature).startsWith("block-io-named-in-report");
        assertThat(d.findings()).extracting(Finding::category).contains(Category.JBD2);
        assertThat(d.findings().get(0).evidence()).anyMatch(l -> l.contains("related to an EBS"));
    }

    @Test
    void theSameJournalWaitWithoutSuchWordsStaysTheJournal() throws IOException {
        Diagnosis d = diagnose(WAIT_UPDATES);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.JBD2);
        assertThat(d.findings()).extracting(Finding::category).doesNotContain(Category.BLOCK_IO);
    }

    @Test
    void wordsThatOnlyExplainWhatAnIoWaitIsBlameNothing() throws IOException {
        // k-011's general account of the D state, not a finding about this host's disk
        Diagnosis d = diagnose("However processes that go into D state due to IO usually come back to R once the IO"
                + " operation that was holding them is completed (unless something goes nuts).\n" + WAIT_UPDATES);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.JBD2);
    }

    @Test
    void anIoProblemNamedInChineseBlamesTheStorageUnderAJournalThreadReportedBlocked() throws IOException {
        // k-013: headers only, "the cause: an I/O problem" in traditional script
        Diagnosis d = diagnose("""
                message下報錯:
                kernel: info: task jbd2/sdb1-8:966 blocked for more than 120 seconds.
                kernel: 「echo 0 > /proc/sys/kernel/hung_task_timeout_secs」 disables this message.
                背景:伺服器響應突然變得非常遲鈍。
                收集日誌資訊來看了一下cpu 和記憶體的使用率不高
                原因:這個是io問題導致的
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
    }

    @Test
    void aBisectLandingOnABlockLayerCommitBlamesTheDeviceUnderTheJournalWait() throws IOException {
        // zc-001: nfsd waits for the ext4 journal's commit; the bisect names a blk-mq commit
        Diagnosis d = diagnose("""
                > 615939a2ae734e3e68c816d6749d1f5f79c62ab7 is the first bad commit
                > commit 615939a2ae734e3e68c816d6749d1f5f79c62ab7
                > Author: Christoph Hellwig <hch@lst.de>
                > Date:   Fri May 19 06:40:48 2023 +0200
                >\s
                >     blk-mq: defer to the normal submission path for post-flush requests
                >\s
                > INFO: task nfsd:1237 blocked for more than 122 seconds.
                >       Tainted: G        W          6.4.0-08699-g9e268189cb14 #1
                > "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                > task:nfsd            state:D stack:0     pid:1237  ppid:2      flags:0x00004000
                > Call Trace:
                >  <TASK>
                >  __schedule+0x78f/0x7db
                >  schedule+0x93/0xc8
                >  jbd2_log_wait_commit+0xb4/0xf4
                >  ? __pfx_autoremove_wake_function+0x10/0x10
                >  jbd2_complete_transaction+0x85/0x97
                >  ext4_fc_commit+0x118/0x70a
                >  ? _raw_spin_unlock+0x18/0x2e
                >  ? __mark_inode_dirty+0x282/0x302
                >  ext4_write_inode+0x94/0x121
                >  ext4_nfs_commit_metadata+0x72/0x7d
                >  commit_inode_metadata+0x1f/0x31 [nfsd]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
        assertThat(d.findings()).extracting(Finding::category).contains(Category.JBD2);
    }

    // zb-018: a log force that keeps the superblock buffer locked; the journal I/O fails, and the maintainer calls
    // the hang an XFS deadlock
    private static final String SETLABEL = """
            > INFO: task syz.4.26:5406 blocked for more than 144 seconds.
            >       Not tainted 6.11.0-rc3-syzkaller-00066-g1fb918967b56 #0
            > "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            > task:syz.4.26        state:D stack:21208 pid:5406  tgid:5405  ppid:5216   flags:0x00004004
            > Call Trace:
            >  <TASK>
            >  context_switch kernel/sched/core.c:5188 [inline]
            >  __schedule+0x17ae/0x4a10 kernel/sched/core.c:6529
            >  __schedule_loop kernel/sched/core.c:6606 [inline]
            >  schedule+0x14b/0x320 kernel/sched/core.c:6621
            >  xlog_wait fs/xfs/xfs_log_priv.h:587 [inline]
            >  xlog_wait_on_iclog+0x501/0x770 fs/xfs/xfs_log.c:840
            >  xlog_force_lsn+0x523/0x9e0 fs/xfs/xfs_log.c:3066
            >  xfs_log_force_seq+0x1da/0x450 fs/xfs/xfs_log.c:3103
            >  __xfs_trans_commit+0xb98/0x1290 fs/xfs/xfs_trans.c:900
            >  xfs_sync_sb_buf+0x2dc/0x370 fs/xfs/libxfs/xfs_sb.c:1178

            The Journal IO errors out and runs a shutdown, which runs error
            handling on the items to error them out.
            """;

    @Test
    void aReportCallingTheHangADeadlockKeepsTheFilesystemFirstWhateverItSaysOfTheIo() throws IOException {
        Diagnosis blamed = diagnose(SETLABEL);
        assertThat(blamed.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
        Diagnosis deadlock = diagnose(SETLABEL + "\nThat XFS deadlock looks to have been there for a while.\n");
        assertThat(deadlock.findings()).extracting(Finding::category).startsWith(Category.XFS);
    }

    @Test
    void anXfsMetadataBufferWaitingForItsIoPutsTheDeviceBeforeXfs() throws IOException {
        // h-011: the loop device's own thread, in XFS inode reclaim, waits for an XFS buffer's write
        Diagnosis d = diagnose("""
                [3024480.475038] INFO: task loop0:22588 blocked for more than 120 seconds.
                [3024480.475650] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [3024480.476400] loop0 D ffff88043fc93680 0 22588 2 0x00000080
                [3024480.476409] Call Trace:
                [3024480.476412] [<ffffffff81609259>] schedule+0x29/0x70
                [3024480.476415] [<ffffffff816071a9>] schedule_timeout+0x209/0x2d0
                [3024480.476417] [<ffffffff812ae924>] ? blk_finish_plug+0x14/0x40
                [3024480.476426] [<ffffffffa041920c>] ? _xfs_buf_ioapply+0x31c/0x420 [xfs]
                [3024480.476429] [<ffffffff81609756>] wait_for_completion+0x116/0x170
                [3024480.476431] [<ffffffff810a94d0>] ? wake_up_state+0x20/0x20
                [3024480.476438] [<ffffffffa041b11c>] ? xfs_bwrite+0x2c/0x60 [xfs]
                [3024480.476446] [<ffffffffa041ada3>] xfs_buf_iowait+0x33/0xc0 [xfs]
                [3024480.476453] [<ffffffffa041b11c>] xfs_bwrite+0x2c/0x60 [xfs]
                [3024480.476461] [<ffffffffa0422d1b>] xfs_reclaim_inode+0x32b/0x350 [xfs]
                [3024480.476469] [<ffffffffa0422fa7>] xfs_reclaim_inodes_ag+0x267/0x390 [xfs]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.BLOCK_IO);
        assertThat(d.findings()).extracting(Finding::category).contains(Category.XFS);
    }
}
