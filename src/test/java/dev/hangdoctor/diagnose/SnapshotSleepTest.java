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
 * A /proc/PID/stack pasted into a hang report carries no state, and on 4.x and later no scheduler frame either: the
 * wait on top of it (a workqueue flush, a completion, a sleeping lock) is what says the task sleeps.
 */
class SnapshotSleepTest {

    /** github.com/nfs-ganesha/nfs-ganesha issue 1327 (RHEL 9.6 client): the wait is inlined in the NFS function */
    private static final String NFS_OPEN = """
                cat /proc/3734491/stack
                [<0>] nfs_set_open_stateid_locked+0xfc/0x370 [nfsv4]
                [<0>] update_open_stateid+0x9f/0x290 [nfsv4]
                [<0>] _nfs4_opendata_to_nfs4_state+0x10b/0x220 [nfsv4]
                [<0>] _nfs4_open_and_get_state+0xc6/0x2b0 [nfsv4]
                [<0>] _nfs4_do_open.isra.0+0x168/0x4e0 [nfsv4]
                [<0>] nfs4_do_open+0xcd/0x1f0 [nfsv4]
                [<0>] nfs4_atomic_open+0xf1/0x100 [nfsv4]
                [<0>] nfs4_file_open+0x12f/0x240 [nfsv4]
                [<0>] do_dentry_open+0x14f/0x430
                [<0>] do_open+0x219/0x400
                [<0>] path_openat+0x111/0x280
                [<0>] do_filp_open+0xb2/0x160
                """;

    private static Diagnosis diagnose(String report) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void aNinePClientWaitingForItsServerIsAStuckTask() throws Exception {
        // github.com/microsoft/WSL issue (corpus i-008): WSL 2's plan9 share of a Windows drive, 5.15.90.1
        Diagnosis d = diagnose("""
                `sudo cat /proc/${BUILD_PROCESS_ID}/stack` returns
                ```
                [<0>] p9_client_rpc+0x12e/0x510
                [<0>] p9_client_getattr_dotl+0x53/0x100
                [<0>] v9fs_inode_from_fid_dotl+0x24/0x140
                [<0>] v9fs_vfs_lookup.part.0+0x109/0x150
                [<0>] __lookup_slow+0x88/0x150
                ```
                """);
        assertThat(d.findings()).isNotEmpty();
        assertThat(d.findings().get(0).chain()).anyMatch(c -> c.contains("a reply from a 9p server"));
    }

    @Test
    void clientsOfCephSmbAndLustreWaitingForTheirServerAreStuckTasks() throws Exception {
        // ceph-devel, 2019-12-02 "a thread hung for days" (CephFS kernel client, /proc stack quoted in the reply)
        assertThat(chainOf("""
                debug-user@CEPH0207:/home/debug-user$ sudo cat /proc/46071/stack
                [<ffffffffc0e8fb60>] ceph_mdsc_do_request+0x180/0x240 [ceph]
                [<ffffffffc0e70e51>] __ceph_do_getattr+0xd1/0x1e0 [ceph]
                [<ffffffffc0e70fcc>] ceph_getattr+0x2c/0x100 [ceph]
                [<ffffffffbc05b943>] vfs_getattr_nosec+0x73/0x90
                """)).anyMatch(c -> c.contains("network filesystem"));
        // linux-cifs, ksmbd not answering an open (6.9-rc6)
        assertThat(chainOf("""
                [root@fedora29 ~]# cat /proc/5042/stack
                [<0>] wait_for_response+0xd1/0x130 [cifs]
                [<0>] compound_send_recv+0x68e/0x10b0 [cifs]
                [<0>] cifs_send_recv+0x23/0x30 [cifs]
                [<0>] SMB2_open+0x378/0xbd0 [cifs]
                """)).anyMatch(c -> c.contains("network filesystem"));
        // corpus q-003 (robinhood on a Lustre client, ptlrpc's request set)
        assertThat(chainOf("""
                 cat /proc/5071/task/5099/stack
                [<ffffffffc1191a80>] ptlrpc_set_wait+0x480/0x790 [ptlrpc]
                [<ffffffffc1191e13>] ptlrpc_queue_wait+0x83/0x230 [ptlrpc]
                [<ffffffffc1361f66>] mdc_xattr_common+0x3f6/0x680 [mdc]
                [<ffffffffc1362262>] mdc_getxattr+0x72/0x360 [mdc]
                """)).anyMatch(c -> c.contains("network filesystem"));
    }

    private static List<String> chainOf(String paste) throws Exception {
        Diagnosis d = diagnose(paste);
        assertThat(d.findings()).as(paste).isNotEmpty();
        return d.findings().get(0).chain();
    }

    @Test
    void aProcStackWithAWorkqueueFlushOnTopIsAStuckTask() throws Exception {
        // lore.kernel.org/r/20200402001522.GA21885@dread.disaster.area (fsfreeze on XFS, 4.19.75)
        Diagnosis d = diagnose("""
                > The fsfreeze stack shows:
                > # cat /proc/33256/stack
                > [<0>] __flush_work+0x177/0x1b0
                > [<0>] __cancel_work_timer+0x12b/0x1b0
                > [<0>] xfs_stop_block_reaping+0x15/0x30 [xfs]
                > [<0>] xfs_fs_freeze+0x15/0x40 [xfs]
                > [<0>] freeze_super+0xc8/0x190
                > [<0>] do_vfs_ioctl+0x510/0x630
                > [<0>] ksys_ioctl+0x70/0x80
                > [<0>] __x64_sys_ioctl+0x16/0x20
                > [<0>] do_syscall_64+0x4e/0x100
                > [<0>] entry_SYSCALL_64_after_hwframe+0x44/0xa9
                """);
        assertThat(d.findings()).isNotEmpty();
        Finding f = d.findings().get(0);
        // stuck, but waiting for the reaping work item to finish (the source: "waits ... for the XFS reaping
        // worker"): a waiter, not the blocker
        assertThat(f.rootCause()).isNull();
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(33256);
        // a freeze stuck inside XFS: the frozen-filesystem rule reads it (the source's category, xfs)
        assertThat(f.signature()).isEqualTo("xfs-frozen-filesystem");
        assertThat(f.confidence()).isLessThan(0.3); // a bare snapshot: lowered
    }

    @Test
    void aProcStackIdleInASyscallIsNoHang() throws Exception {
        // examples/seed002-firecracker-uffd: the main thread of the process waits in pause(2)
        Diagnosis d = diagnose("""
                # cat /proc/17063/task/17063/stack
                [<0>] __do_sys_pause+0x2a/0x50
                [<0>] do_syscall_64+0x71/0x280
                [<0>] entry_SYSCALL_64_after_hwframe+0x76/0x7e
                """);
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void aProcStackOfAnNfsOpenWaitingForItsStateidIsAnNfsHang() throws Exception {
        Diagnosis d = diagnose(NFS_OPEN);
        assertThat(d.findings()).isNotEmpty();
        assertThat(d.findings().get(0).category()).isEqualTo(Category.NFS);
    }

    @Test
    void aProcStackOfAnMmapWaitingForTheVmaLockIsAnMmapLockHang() throws Exception {
        // github.com/microsoft/WSL issue 41113 (6.18): __vma_start_write waits for the per-VMA lock's readers
        Diagnosis d = diagnose("""
                [<0>] __vma_start_write+0x66/0x110
                [<0>] vma_expand+0x5b/0x1d0
                [<0>] vma_merge_new_range+0x79/0x160
                [<0>] __mmap_region+0x423/0xd10
                [<0>] mmap_region+0x63/0xb0
                [<0>] do_mmap+0x47e/0x670
                [<0>] vm_mmap_pgoff+0x117/0x200
                [<0>] ksys_mmap_pgoff+0x4d/0x1f0
                [<0>] __x64_sys_mmap+0x37/0x50
                [<0>] x64_sys_call+0x1d59/0x20f0
                [<0>] do_syscall_64+0x73/0x990
                """);
        assertThat(d.findings()).isNotEmpty();
        assertThat(d.findings().get(0).category()).isEqualTo(Category.RWSEM_MMAP);
    }

    @Test
    void aProcStackCutAboveItsWaitStillSaysWhereTheTaskSleeps() throws Exception {
        // the same NFSv4 open path cut above its wait: /proc/PID/stack leaves the scheduler out and is empty for a task
        // on a CPU, so its top frame is where the task left the CPU: a stuck task of no known kind, at low confidence
        String cut = NFS_OPEN.substring(NFS_OPEN.indexOf("[<0>] _nfs4_open_and_get_state"));
        Diagnosis d = diagnose("cat /proc/3734491/stack\n" + cut);
        assertThat(d.findings()).isNotEmpty();
        assertThat(d.findings().get(0).category()).isEqualTo(Category.OTHER);
        assertThat(d.findings().get(0).confidence()).isLessThan(0.3);
    }

    /** corpus r-024 (cai-fuqiang/md, case/acpi_power_and_kernfs): kernfs_drain's wait_event inlined into __kernfs_remove */
    private static final String KERNFS_DRAIN = """
            ```
            [<0>] __kernfs_remove.part.15+0x172/0x1e0
            [<0>] kernfs_remove_by_name_ns+0x4f/0x90
            [<0>] acpi_power_meter_notify+0x124/0x1b0 [acpi_power_meter]
            [<0>] acpi_ev_notify_dispatch+0x45/0x5a
            [<0>] acpi_os_execute_deferred+0x16/0x20
            [<0>] process_one_work+0x1a7/0x3b0
            [<0>] worker_thread+0x30/0x390
            [<0>] kthread+0x112/0x130
            [<0>] ret_from_fork+0x35/0x40
            [<0>] 0xffffffffffffffff
            ```
            """;

    @Test
    void aProcStackWhoseTopWaitsInlineIsAStuckTask() throws Exception {
        Diagnosis d = diagnose(KERNFS_DRAIN);
        assertThat(d.findings()).isNotEmpty();
        Finding f = d.findings().get(0);
        assertThat(f.category()).isEqualTo(Category.OTHER);
        assertThat(f.confidence()).isLessThan(0.3);
        // corpus d-005 (firecracker-microvm/firecracker issue 3020): a guest task waiting for the host to bring a page in
        Diagnosis guest = diagnose("""
                root@sandbox:/# cat /proc/556/stack
                [<0>] kvm_async_pf_task_wait_schedule+0x14b/0x180
                [<0>] __kvm_handle_async_pf+0x51/0xb0
                [<0>] exc_page_fault+0x1cd/0x430
                [<0>] asm_exc_page_fault+0x1e/0x30
                """);
        assertThat(guest.findings()).extracting(Finding::category).containsExactly(Category.OTHER);
        assertThat(guest.findings().get(0).chain()).singleElement().asString()
                .contains("the hypervisor to bring in a page of the guest's memory");
        // the kernfs wait is no such wait
        assertThat(d.findings().get(0).chain()).noneMatch(c -> c.contains("hypervisor"));
    }

    @Test
    void aProcStackIsReadAsStuckOnlyInEvidenceHandedIn() throws Exception {
        // the live scan's rule: a stack without the task's state and blocked time is no hang of its own
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(KERNFS_DRAIN.getBytes(StandardCharsets.UTF_8)), "t");
        assertThat(new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e).findings()).isEmpty();
    }

    @Test
    void aProcStackOfATaskStoppedBySignalIsNoHang() throws Exception {
        // a kernel engineer's public notes on syscall restart (a job stopped by SIGTSTP), 5.x and 4.x entry code
        assertThat(diagnose("""
                 sudo cat /proc/1646434/stack
                [<0>] do_signal_stop+0x182/0x210
                [<0>] get_signal+0x25c/0x870
                [<0>] arch_do_signal_or_restart+0x76/0x140
                [<0>] exit_to_user_mode_loop+0x99/0x500
                [<0>] do_syscall_64+0x211/0x6e0
                [<0>] entry_SYSCALL_64_after_hwframe+0x76/0x7e
                """).findings()).isEmpty();
        assertThat(diagnose("""
                [root@Node96 10:00:26 701531]$ cat stack
                [<0>] do_signal_stop+0xff/0x200
                [<0>] get_signal+0x2ae/0x7b0
                [<0>] do_signal+0x36/0x610
                [<0>] exit_to_usermode_loop+0x71/0xe0
                [<0>] prepare_exit_to_usermode+0x90/0xc0
                [<0>] retint_user+0x8/0x8
                [<0>] 0xffffffffffffffff
                """).findings()).isEmpty();
    }

    @Test
    void aProcStackOfOnlyTheEndMarkIsNoHang() throws Exception {
        // a task running on another CPU: the unwinder gives no frame, 4.x kernels still print their end mark
        assertThat(diagnose("""
                # cat /proc/4242/stack
                [<0>] 0xffffffffffffffff
                """).findings()).isEmpty();
    }
}
