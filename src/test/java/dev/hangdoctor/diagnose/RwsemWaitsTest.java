package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.Rule;
import dev.hangdoctor.diagnose.kb.RuleMatcher;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rw-semaphore sleeps in the same slow path: only the code that took it says whether it is a process's mmap
 * lock (a page fault, mmap/munmap) or another one (an inode's i_rwsem, a superblock's s_umount).
 */
class RwsemWaitsTest {

    /** chenxiaosong.com/course/nfs/issue/nfs-hung-task.html (4.19: the second opener of a file on NFS). */
    private static final String OPENER = """
            [  246.880095] INFO: task bash:576 blocked for more than 120 seconds.
            [  246.882393]       Not tainted 4.19.325+ #3
            [  246.883871] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            [  246.886660] bash            D    0   576    515 0x00000000
            [  246.888639] Call Trace:
            [  246.889567]  __schedule+0x260/0x6e0
            [  246.890836]  schedule+0x36/0x80
            [  246.891996]  rwsem_down_write_failed+0x19b/0x2c0
            [  246.895079]  call_rwsem_down_write_failed+0x17/0x30
            [  246.896870]  down_write+0x2d/0x40
            [  246.898067]  do_last+0x3c5/0x8b0
            [  246.900833]  path_openat+0x8b/0x2c0
            [  246.903326]  do_filp_open+0x91/0x130
            [  246.907467]  do_sys_open+0x16f/0x200
            """;

    private static Evidence read(String report) throws Exception {
        return EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
    }

    @Test
    void aWriterOfADirectorysInodeLockIsNoMmapLockWaiter() throws Exception {
        Evidence e = read(OPENER);
        Resource w = new WaitClassifier(e).waitOf(e.taskOrNull(576));
        assertThat(w.kind()).isEqualTo(ResourceKind.RWSEM);
        assertThat(w.describe()).contains("i_rwsem");
    }

    @Test
    void aPageFaultReadingItsMmapLockWaitsForTheMmapLock() throws Exception {
        // github.com/raspberrypi/linux/issues/2798 (armv7, 4.14.79)
        Evidence e = read("""
                [ 5036.077570] TaskSchedulerFo D    0 28444  28429 0x00000000
                [ 5036.077593] [<8079ef70>] (__schedule) from [<8079f5d8>] (schedule+0x50/0xa8)
                [ 5036.077611] [<8079f5d8>] (schedule) from [<807a26d8>] (rwsem_down_read_failed+0x10c/0x15c)
                [ 5036.077629] [<807a26d8>] (rwsem_down_read_failed) from [<807a1d6c>] (down_read+0x5c/0x60)
                [ 5036.077645] [<807a1d6c>] (down_read) from [<807a5418>] (do_page_fault+0xfc/0x3a4)
                [ 5036.077658] [<807a5418>] (do_page_fault) from [<801011e0>] (do_DataAbort+0x48/0xc4)
                [ 5036.077671] [<801011e0>] (do_DataAbort) from [<807a4e64>] (__dabt_usr+0x44/0x60)
                """);
        Task t = e.taskOrNull(28444);
        assertThat(new WaitClassifier(e).waitOf(t)).isEqualTo(Resource.of(ResourceKind.MMAP_LOCK));
    }

    @Test
    void anInodeLockWaiterIsNotChainedToATaskInAPageFault() throws Exception {
        // two real stacks read as one host's evidence: the opener of chenxiaosong.com/course/nfs/issue/
        // nfs-hung-task.html waits on a directory's i_rwsem; the remote reader of examples/seed002-firecracker-uffd
        // sleeps in a page fault (it holds that process's mmap lock). The opener waits for no mmap lock, so it
        // waits for nobody here
        Evidence e = read(OPENER + """

                # cat /proc/17066/stack
                [<0>] handle_userfault+0x366/0x840
                [<0>] __handle_mm_fault+0xa1e/0xf20
                [<0>] handle_mm_fault+0xd0/0x310
                [<0>] __get_user_pages+0x19f/0x10e0
                [<0>] __gup_longterm_locked+0x39a/0x890
                [<0>] pin_user_pages_remote+0x70/0xf0
                [<0>] process_vm_rw_core.constprop.0+0x1f1/0x500
                [<0>] process_vm_rw+0xc5/0x130
                [<0>] __x64_sys_process_vm_readv+0x23/0x40
                [<0>] do_syscall_64+0x71/0x280
                [<0>] entry_SYSCALL_64_after_hwframe+0x76/0x7e
                """);
        WaitGraph g = new WaitGraph(e);
        assertThat(g.holdsOf(17066)).contains(Resource.of(ResourceKind.MMAP_LOCK));
        assertThat(g.waitOf(576).kind()).isEqualTo(ResourceKind.RWSEM);
        assertThat(g.waitsFor(576)).isEmpty();
    }

    @Test
    void aFrozenFilesystemsWritersAndItsFreezerWaitOnItsFreezeLock() throws Exception {
        // io_uring commit 1d60d74e8526 ("io_uring/rw: fix missing NOWAIT check for O_DIRECT start write"), arm64
        // 6.12-rc5: an io_uring write waits for the freeze, the freeze waits for that write's earlier ones
        Evidence e = read("""
                task:fio             state:D stack:0     pid:886   tgid:886   ppid:876
                Call trace:
                 __switch_to+0x1d8/0x348
                 __schedule+0x8e8/0x2248
                 schedule+0x110/0x3f0
                 percpu_rwsem_wait+0x1e8/0x3f8
                 __percpu_down_read+0xe8/0x500
                 io_write+0xbb8/0xff8
                 io_issue_sqe+0x10c/0x1020
                 io_submit_sqes+0x614/0x2110
                 __arm64_sys_io_uring_enter+0x524/0x1038
                INFO: task fsfreeze:7364 blocked for more than 15 seconds.
                      Not tainted 6.12.0-rc5-00063-g76aaf945701c #7963

                with the attempting freezer stuck trying to grab the rwsem:

                task:fsfreeze        state:D stack:0     pid:7364  tgid:7364  ppid:995
                Call trace:
                 __switch_to+0x1d8/0x348
                 __schedule+0x8e8/0x2248
                 schedule+0x110/0x3f0
                 percpu_down_write+0x2b0/0x680
                 freeze_super+0x248/0x8a8
                 do_vfs_ioctl+0x149c/0x1b18
                 __arm64_sys_ioctl+0xd0/0x1a0
                """);
        WaitClassifier c = new WaitClassifier(e);
        assertThat(c.waitOf(e.taskOrNull(886)).describe()).contains("sb_writers");
        assertThat(c.waitOf(e.taskOrNull(7364)).describe()).contains("sb_writers");
    }

    @Test
    void aNewSuperblocksShrinkerRegistrationWaitsForTheShrinkerLockNotAnSUmount() throws Exception {
        // kernel Bugzilla 214767 comment 13 (corpus zj-016, quoted-printable undone): dockerd's overlay mount, which
        // found no superblock in sget and makes one, waits in prealloc_shrinker for shrinker_rwsem
        Evidence e = read("""
                [736826.990979] task:dockerd         state:D stack:    0 pid: 6639 ppid:     1 flags:0x00000080
                [736826.999289] Call Trace:
                [736827.002695]  __schedule+0x1f9/0x660
                [736827.006708]  schedule+0x46/0xb0
                [736827.010512]  rwsem_down_write_slowpath+0x234/0x4b0
                [736827.015214]  ? __kmalloc+0x154/0x2b0
                [736827.019291]  prealloc_shrinker+0x4c/0xf0
                [736827.023495]  alloc_super+0x29a/0x2f0
                [736827.027505]  sget+0x91/0x220
                [736827.031089]  ? destroy_super_rcu+0x40/0x40
                [736827.035268]  ? ovl_get_lowerstack+0x190/0x190 [overlay]
                [736827.040172]  mount_nodev+0x26/0x90
                [736827.044070]  legacy_get_tree+0x27/0x40
                [736827.048169]  vfs_get_tree+0x25/0xb0
                [736827.052088]  do_new_mount+0x152/0x1b0
                """);
        Resource wait = new WaitClassifier(e).waitOf(e.taskOrNull(6639));
        assertThat(wait.kind()).isEqualTo(ResourceKind.RWSEM);
        assertThat(wait.describe()).contains("shrinker_rwsem");
    }

    /**
     * lore.kernel.org/r/20160920082831.GG5477@dhcp22.suse.cz (arm64 4.1, the corpus's p-003): an OOM victim exiting
     * waits in __ksm_exit, under mmput, for its mm's mmap_sem for write while ksmd holds it for read.
     */
    private static final String KSM_EXIT = """
            Call trace:
            [<ffffffc000086a88>] __switch_to+0x74/0x8c
            [<ffffffc000a1bae0>] __schedule+0x23c/0x7bc
            [<ffffffc000a1c09c>] schedule+0x3c/0x94
            [<ffffffc000a1eb84>] rwsem_down_write_failed+0x214/0x350
            [<ffffffc000a1e32c>] down_write+0x64/0x80
            [<ffffffc00021f794>] __ksm_exit+0x90/0x19c
            [<ffffffc0000be650>] mmput+0x118/0x11c
            [<ffffffc0000c3ec4>] do_exit+0x2dc/0xa74
            [<ffffffc0000c46f8>] do_group_exit+0x4c/0xe4
            [<ffffffc0000d0f34>] get_signal+0x444/0x5e0
            [<ffffffc000089fcc>] do_signal+0x1d8/0x450
            [<ffffffc00008a35c>] do_notify_resume+0x70/0x78
            """;

    private static final Rule MMAP_RULE = KnowledgeBase.load(List.of()).rule("rwsem-mmap-writer-blocks-readers")
            .orElseThrow();

    @Test
    void anExitingMmsTeardownWaitsForItsMmapLock() throws Exception {
        assertWaitAndRule(KSM_EXIT, ResourceKind.MMAP_LOCK, true);
    }

    @Test
    void onlyTheFrameRightAboveTheLockApiNamesTheLock() throws Exception {
        // the same exit path with the rwsem taken by an inode-lock caller between it and mmput: not the mmap lock
        assertWaitAndRule(KSM_EXIT.replace("__ksm_exit+0x90/0x19c", "do_last+0x3c5/0x8b0"), ResourceKind.RWSEM, false);
    }

    /** The one task's wait, and whether the mmap-lock rule matches the evidence. */
    private static void assertWaitAndRule(String report, ResourceKind wait, boolean matches) throws Exception {
        Evidence e = read(report);
        Task t = e.tasks().iterator().next();
        assertThat(new WaitClassifier(e).waitOf(t).kind()).isEqualTo(wait);
        assertThat(RuleMatcher.match(MMAP_RULE, e).isPresent()).isEqualTo(matches);
    }

    @Test
    void anInodeLockWriterIsNoMmapLockWaiterForTheRule() throws Exception {
        assertThat(RuleMatcher.match(MMAP_RULE, read(OPENER))).isEmpty();
    }
}
