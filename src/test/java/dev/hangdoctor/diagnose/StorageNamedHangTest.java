package dev.hangdoctor.diagnose;

import org.junit.jupiter.api.Test;


import static dev.hangdoctor.diagnose.HandedInReports.diagnose;
import static dev.hangdoctor.diagnose.HandedInReports.first;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hung-task reports whose stack is missing, cut or silent about the wait, where what the text still shows (the blocked
 * thread's name, the last frames left, a device's message) points at the storage: read as block I/O with little
 * confidence, and never over a stack that names its own wait.
 */
class StorageNamedHangTest {

    // github.com/delphix/delphix-platform pull 109 (corpus ze-009): grep'ed hung-task headers of journald's
    // journal-offline thread while every I/O of the root pool's disk is delayed
    @Test
    void journaldsSyncThreadBlockedWithNoStackIsReadAsSlowStorage() throws Exception {
        Finding f = first("""
                $ dmesg | grep "blocked for more than 120 seconds."
                [ 2900.956096] INFO: task journal-offline:21326 blocked for more than 120 seconds.
                [ 5921.756115] INFO: task journal-offline:24930 blocked for more than 120 seconds.
                """);
        assertThat(f.category()).isEqualTo(Category.BLOCK_IO);
        assertThat(f.signature()).isEqualTo("block-io-writer-thread");
        assertThat(f.confidence()).isLessThanOrEqualTo(0.3);
    }

    // github.com/systemd/systemd issue 28363 (corpus i-022): after the iSCSI network is cut, shutdown's remount child
    // waits for the superblock's lock held by whoever is still syncing the unreachable disks
    @Test
    void shutdownsRemountChildWaitingForTheSuperblockIsReadAsBlockIo() throws Exception {
        Finding f = first("""
                [ 4878.777370] [13809]: Remounting '/datadisk0_origin' read-only in with options 'seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota'.
                [ 4916.689431] INFO: task (sd-remount):13804 blocked for more than 122 seconds.
                [ 4916.692400]       Tainted: G           OE     5.10.134-13.1.zncgsl6.x86_64 #1
                [ 4916.698140] task:(sd-remount)    state:D stack:    0 pid:13804 ppid:     1 flags:0x00000084
                [ 4916.701219] Call Trace:
                [ 4916.703015]  __schedule+0x365/0x7c0
                [ 4916.705048]  schedule+0x3c/0xb0
                [ 4916.706940]  rwsem_down_write_slowpath+0x31e/0x4d0
                [ 4916.709179]  path_mount+0x77e/0x990
                """);
        assertThat(f.category()).isEqualTo(Category.BLOCK_IO);
        assertThat(f.signature()).isEqualTo("block-io-writer-thread");
    }

    // github.com/xcp-ng/sm pull 89 (corpus a-005): the journal thread asleep in its own commit stays a jbd2 hang
    @Test
    void aJournalThreadInItsCommitStaysJbd2() throws Exception {
        Finding f = first("""
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001306] INFO: task jbd2/drbd1000-8:736989 blocked for more than 120 seconds.
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001314]       Tainted: G           O      4.19.0+1 #1
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001316] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001319] jbd2/drbd1000-8 D    0 736989      2 0x80000000
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001321] Call Trace:
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001330]  ? __schedule+0x2a6/0x880
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001331]  schedule+0x32/0x80
                Jul  8 15:09:13 xcp-ng-ha-1 kernel: [99081.001334]  jbd2_journal_commit_transaction+0x260/0x1896
                """);
        assertThat(f.category()).isEqualTo(Category.JBD2);
    }

    // github.com/balena-os/balena-jetson issue 166 (corpus g-016): sync waits for a superblock's s_umount while a
    // large image is written to the disk
    private static final String SYNC_S_UMOUNT = """
            [  243.565482] INFO: task balenad:4049 blocked for more than 120 seconds.
            [  243.565737]       Not tainted 4.9.140-l4t-r32.4 #1
            [  243.565853] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            [  243.566032] balenad         D    0  4049      1 0x00000008
            [  243.566236] Call trace:
            [  243.566354] [<ffffff80080863a4>] __switch_to+0x9c/0xc0
            [  243.566479] [<ffffff8008f0d09c>] __schedule+0x22c/0x570
            [  243.566590] [<ffffff8008f0d420>] schedule+0x40/0xa8
            [  243.566744] [<ffffff8008f1057c>] rwsem_down_read_failed+0xd4/0x128
            [  243.566872] [<ffffff8008f0f8a8>] down_read+0x58/0x60
            [  243.566999] [<ffffff8008263568>] iterate_supers+0x78/0x138
            [  243.567131] [<ffffff800829bac0>] sys_sync+0x50/0xc0
            [  243.567237] [<ffffff8008083900>] el0_svc_naked+0x34/0x38
            """;

    @Test
    void syncWaitingForAnUnshownSuperblockHolderIsReadAsBlockIo() throws Exception {
        Finding f = first(SYNC_S_UMOUNT);
        assertThat(f.category()).isEqualTo(Category.BLOCK_IO);
        assertThat(f.signature()).isEqualTo("block-io-sync-superblock-wait");
        assertThat(f.confidence()).isLessThanOrEqualTo(0.3);
    }

    // github.com/twitter-archive/bittern issue 44 (corpus a-043): dmsetup creating a cache device, its completion
    // wait cut before the caller; {@code comm} renames the program
    private static String completionWait(String comm) {
        String pad = " ".repeat(16 - comm.length());
        return """
                [ 2160.247120] INFO: task %1$s:2507 blocked for more than 120 seconds.
                [ 2160.253769]       Tainted: G           O   3.19.8+ #3
                [ 2160.266900] %1$s%2$sD ffff880079d23918     0  2507   2498 0x00000080
                [ 2160.297481] Call Trace:
                [ 2160.299977]  [<ffffffff814fc37b>] schedule+0x6e/0x70
                [ 2160.304974]  [<ffffffff814fe03e>] schedule_timeout+0x26/0xf8
                [ 2160.316772]  [<ffffffff814fcd14>] __wait_for_common+0xf0/0x12f
                """.formatted(comm, pad);
    }

    @Test
    void aDeviceMapperCommandBlockedInTheKernelIsReadAsBlockIo() throws Exception {
        Finding f = first(completionWait("dmsetup"));
        assertThat(f.category()).isEqualTo(Category.BLOCK_IO);
        assertThat(f.signature()).isEqualTo("block-io-device-tool");
    }

    @Test
    void anOrdinaryProgramInTheSameWaitIsNotReadByItsName() throws Exception {
        // a completion wait alone names no device
        Finding f = first(completionWait("myapp"));
        assertThat(f.category()).isEqualTo(Category.OTHER);
    }

    // bugzilla.kernel.org 218493 (corpus zf-001): the reporter quotes the MMC core's removal of the card and the
    // hung-task line of the writer that waits for it
    @Test
    void theCardRemovedUnderABlockedWriterIsReadAsBlockIo() throws Exception {
        Finding f = first("""
                Sometimes it just hangs on reboot code!
                Logged in over serial, I saw "mmc0: card 0001 removed" as last message
                Waiting some time, I see "task swupdate-progre:181 blocked for more than 245 seconds."
                """);
        assertThat(f.category()).isEqualTo(Category.BLOCK_IO);
        assertThat(f.signature()).isEqualTo("block-io-card-removed");
    }

    @Test
    void aCardRemovedWithNothingStuckIsNoHang() throws Exception {
        // "Re: [PATCH v3] mmc: core: Verify SD bus width" (Ulf Hansson, linux-kernel, 3 May 2019): the good trace of
        // an SD card inserted and pulled, nothing blocked
        Diagnosis d = diagnose("""
                [   30.103686] mmc0: new high speed SDHC card at address 0001
                [   30.105262] mmcblk0: mmc0:0001 00000 7.41 GiB
                [   30.108258]  mmcblk0: p1
                [   31.947250] mmc0: card 0001 removed
                """);
        assertThat(d.hangFound()).isFalse();
    }
}
