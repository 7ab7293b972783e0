package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.hangdoctor.diagnose.HandedInReports.diagnose;
import static dev.hangdoctor.diagnose.HandedInReports.first;
import static org.assertj.core.api.Assertions.assertThat;

/** Waits that a filesystem's own frames (or its writeback) place in that filesystem rather than in "other" or block-io. */
class FilesystemWaitRulesTest {

    /** Corpus zk-006 (kernel Bugzilla 211819, lore bug-211819-13602-opkiWIhkdR@https.bugzilla.kernel.org), unwrapped. */
    private static final String FAST_COMMIT = """
            Mar 24 00:41:36 hostname kernel: task:IndexedDB #19 state:D stack: 0 pid: 3350 ppid: 1393 flags:0x00000006
            Mar 24 00:41:36 hostname kernel: Call Trace:
            Mar 24 00:41:36 hostname kernel: <TASK>
            Mar 24 00:41:36 hostname kernel: __schedule+0x2f6/0xf80
            Mar 24 00:41:36 hostname kernel: ? touch_atime+0x44/0x190
            Mar 24 00:41:36 hostname kernel: schedule+0x4b/0xc0
            Mar 24 00:41:36 hostname kernel: ext4_fc_wait_committing_inode+0xad/0xe0 [ext4 ef9ba7b6856d0b378c7bc2df0cae9987df17f5c0]
            Mar 24 00:41:36 hostname kernel: ? var_wake_function+0x20/0x20
            Mar 24 00:41:36 hostname kernel: ext4_fc_start_update+0x43/0x90 [ext4 ef9ba7b6856d0b378c7bc2df0cae9987df17f5c0]
            Mar 24 00:41:36 hostname kernel: ext4_buffered_write_iter+0x35/0x120 [ext4 ef9ba7b6856d0b378c7bc2df0cae9987df17f5c0]
            Mar 24 00:41:36 hostname kernel: new_sync_write+0x15c/0x1f0
            Mar 24 00:41:36 hostname kernel: vfs_write+0x1eb/0x280
            Mar 24 00:41:36 hostname kernel: ksys_write+0x67/0xe0
            Mar 24 00:41:36 hostname kernel: do_syscall_64+0x5c/0x80
            Mar 24 00:41:36 hostname kernel: entry_SYSCALL_64_after_hwframe+0x44/0xae
            Mar 24 00:41:36 hostname kernel: </TASK>
            """;

    @Test
    void anExt4FastCommitWaitIsAJournalWait() throws Exception {
        // ext4's own wait for the inode's fast commit: a specific finding, which the report's words about disk errors
        // (the fsck a broken fast commit leaves) do not put the device before
        Finding f = first("My system wouldn't boot with disk errors and I had to fsck.ext4 in the initrd.\n" + FAST_COMMIT);
        assertThat(f.signature()).isEqualTo("ext4-fast-commit-inode-wait");
        assertThat(f.category()).isEqualTo(Category.JBD2);
        // the write path without the fast-commit wait is no journal wait
        String plain = FAST_COMMIT.replace("ext4_fc_wait_committing_inode", "ext4_some_other_wait")
                .replace("ext4_fc_start_update", "ext4_some_update");
        assertThat(diagnose(plain).findings()).extracting(Finding::signature)
                .doesNotContain("jbd2-commit-stall", "ext4-fast-commit-inode-wait");
    }

    /** Corpus zk-003 (kernel Bugzilla 218229, lore bug-218229-201763-QCrsZY5Pld@https.bugzilla.kernel.org), unwrapped. */
    private static final String XFS_UNMOUNT = """
            INFO: task umount:17146 blocked for more than 122 seconds.
                  Not tainted 6.6.0-rc6-xfs #1
            "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            task:umount          state:D stack:0     pid:17146 ppid:16910  flags:0x00004002
            Call Trace:
             <TASK>
             __schedule+0x3ab/0xab0
             schedule+0x5d/0xe0
             schedule_timeout+0x143/0x150
             ? __flush_workqueue+0x184/0x400
             __down_common+0xf6/0x200
             ? __pfx_preempt_count_add+0x10/0x10
             ? preempt_count_add+0x6a/0xa0
             down+0x43/0x60
             xfs_log_unmount+0x4a/0xc0 [xfs]
             xfs_unmountfs+0x9a/0x1b0 [xfs]
             xfs_fs_put_super+0x43/0x90 [xfs]
             generic_shutdown_super+0x7c/0x1a0
             kill_block_super+0x19/0x40
             </TASK>
            """;

    @Test
    void aSemaphoreXfsTakesIsAnXfsWaitAtLowConfidence() throws Exception {
        Finding f = first(XFS_UNMOUNT);
        assertThat(f.category()).isEqualTo(Category.XFS);
        assertThat(f.confidence()).isLessThanOrEqualTo(0.35);
        // the same semaphore taken by the VFS alone is no filesystem's wait
        String vfs = XFS_UNMOUNT.replaceAll("(?m)^ *xfs_.*\\n", "");
        assertThat(first(vfs).category()).isEqualTo(Category.OTHER);
    }

    /** Corpus zk-012 (lore 3bd10acc-2d7f-019a-3182-82ab647bc15a@huawei.com), the CIFS reconnect deadlock. */
    private static final String CIFS = """
            [  369.826215] INFO: task kworker/1:1:34 blocked for more than 122 seconds.
            [  369.828964]       Not tainted 5.10.0+ #164
            [  369.835104] task:kworker/1:1     state:D stack:13472 pid:   34 ppid:     2 flags:0x00004000
            [  369.838448] Workqueue: cifsiod cifs_writev_complete
            [  369.840242] Call Trace:
            [  369.841219]  __schedule+0x401/0x8e0
            [  369.842568]  schedule+0x49/0x130
            [  369.843785]  io_schedule+0x12/0x40
            [  369.845079]  __lock_page+0x147/0x3a0
            [  369.846444]  ? add_to_page_cache_lru+0x180/0x180
            [  369.847963]  cifs_writev_requeue.cold+0x185/0x28e
            [  369.849193]  process_one_work+0x1df/0x3b0
            [  369.850248]  worker_thread+0x4a/0x3c0
            [  369.852308]  kthread+0x125/0x160
            [  369.854142]  ret_from_fork+0x22/0x30
            [  369.855054] INFO: task kworker/u8:3:96 blocked for more than 122 seconds.
            [  369.856781]       Not tainted 5.10.0+ #164
            [  369.859419] task:kworker/u8:3    state:D stack:12744 pid:   96 ppid:     2 flags:0x00004000
            [  369.861041] Workqueue: writeback wb_workfn (flush-cifs-2)
            [  369.862095] Call Trace:
            [  369.862583]  __schedule+0x401/0x8e0
            [  369.863280]  schedule+0x49/0x130
            [  369.863912]  io_schedule+0x12/0x40
            [  369.864604]  __lock_page+0x147/0x3a0
            [  369.865322]  ? add_to_page_cache_lru+0x180/0x180
            [  369.866246]  cifs_writepages+0x620/0xf60
            [  369.867005]  do_writepages+0x43/0xe0
            [  369.868750]  __writeback_single_inode+0x3d/0x320
            [  369.869589]  writeback_sb_inodes+0x20d/0x480
            [  369.870367]  __writeback_inodes_wb+0x4c/0xe0
            [  369.871148]  wb_writeback+0x201/0x2f0
            [  369.871797]  wb_workfn+0x38a/0x4e0
            [  369.873999]  process_one_work+0x1df/0x3b0
            [  369.874741]  worker_thread+0x4a/0x3c0
            [  369.876180]  kthread+0x125/0x160
            [  369.877431]  ret_from_fork+0x22/0x30
            """;

    @Test
    void aPageWaitUnderANetworkFilesystemIsNoBlockIoWait() throws Exception {
        Diagnosis d = diagnose(CIFS);
        assertThat(d.findings().get(0).signature()).isEqualTo("network-fs-page-wait");
        assertThat(d.findings()).extracting(Finding::signature).doesNotContain("block-io-stall");
        // the same waits under a block filesystem's writepages stay block-io
        String ext4 = CIFS.replace("cifs_writepages", "ext4_writepages").replace("cifs_writev_requeue.cold",
                "write_cache_pages").replace("cifsiod cifs_writev_complete", "writeback wb_workfn (flush-8:0)");
        assertThat(first(ext4).category()).isEqualTo(Category.BLOCK_IO);
    }

    @Test
    void aNetworkFilesystemPageWaitSeenOnceOnALiveHostIsNoHang() throws Exception {
        // the same stacks without the hung-task detector's headers, as a live scan reads them once: a page wait under
        // a busy CIFS mount is normal I/O until something says how long it lasted
        String once = CIFS.replaceAll("(?m)^.*(INFO: task|Not tainted).*\\n", "");
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(once.getBytes(StandardCharsets.UTF_8)), "t");
        assertThat(new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e).findings())
                .extracting(Finding::signature).doesNotContain("network-fs-page-wait");
        // handed in as a report, the same snapshot is still read, at a lowered confidence
        assertThat(diagnose(once).findings()).extracting(Finding::signature).contains("network-fs-page-wait");
    }

    /** Corpus zk-022 (kernel Bugzilla 220506, lore bug-220506-13602@https.bugzilla.kernel.org), unwrapped. */
    private static final String SYNC = """
            [  496.238203] INFO: task sync:4678 blocked for more than 124 seconds.
            [  496.238210]       Not tainted 6.16.3-lowlatency-sunlight1 #1
            [  496.238216] task:sync            state:D stack:0     pid:4678  tgid:4678 ppid:4634   task_flags:0x400000 flags:0x00004002
            [  496.238224] Call Trace:
            [  496.238227]  <TASK>
            [  496.238241]  __schedule+0x410/0x1230
            [  496.238257]  ? __pfx_sync_inodes_one_sb+0x10/0x10
            [  496.238262]  schedule+0x27/0xf0
            [  496.238266]  wb_wait_for_completion+0x85/0xc0
            [  496.238272]  ? __pfx_autoremove_wake_function+0x10/0x10
            [  496.238279]  sync_inodes_sb+0xcc/0x2b0
            [  496.238297]  sync_inodes_one_sb+0x1b/0x30
            [  496.238302]  __iterate_supers+0xe7/0x140
            [  496.238310]  iterate_supers+0x10/0x20
            [  496.238315]  ksys_sync+0x41/0xb0
            [  496.238320]  __do_sys_sync+0xe/0x20
            [  496.238325]  x64_sys_call+0x1bbb/0x2320
            """;

    @Test
    void syncWaitingForWritebackIsALowConfidenceBlockIoFindingRaisedByARemovableDisk() throws Exception {
        Finding alone = first(SYNC);
        assertThat(alone.signature()).isEqualTo("block-io-sync-writeback-wait");
        assertThat(alone.category()).isEqualTo(Category.BLOCK_IO);
        Finding usb = first("[  208.439324] sd 0:0:0:0: [sda] Write cache: disabled, read cache: enabled, doesn't support DPO or FUA\n"
                + "[  208.486217] sd 0:0:0:0: [sda] Attached SCSI removable disk\n" + SYNC);
        assertThat(usb.signature()).isEqualTo("block-io-sync-writeback-wait");
        assertThat(usb.confidence()).isGreaterThan(alone.confidence());
        // sync waiting for another filesystem lock is not this
        String locked = SYNC.replace("wb_wait_for_completion+0x85/0xc0", "rwsem_down_read_slowpath+0x2a/0x40")
                .replace("sync_inodes_sb+0xcc/0x2b0", "down_read+0x1a/0x20");
        assertThat(diagnose(locked).findings()).extracting(Finding::signature)
                .doesNotContain("block-io-sync-writeback-wait");
    }
}
