package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task asleep on a lock whose owner the evidence does not give is one of the waiters, not the blocker: no owner
 * line, no holder's stack, nobody waits for it. It stays the blocker when the text does give the owner: the
 * hung-task detector's owner line, or its own stack showing it took the lock already.
 */
class UnknownLockOwnerTest {

    @Test
    void twoMutexWaitersWithNoOwnerShownNameNoBlocker() throws Exception {
        // lore.kernel.org/r/7d19b448-1342-fd50-55ee-d2a46da6d431@prodrive-technologies.com (corpus y-021; the
        // unwinder's "?" lines left out)
        Finding f = UnclassifiedBlockerTest.first("""
                [71044.418723] INFO: task node_exporter:7214 blocked for more than 120 seconds.
                [71044.420037]       Tainted: G            E     5.3.11-pd-5.3.y #20191029
                [71044.421491] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [71044.422762] node_exporter   D    0  7214      1 0x00000000
                [71044.422781] Call Trace:
                [71044.422829]  schedule+0x5e/0x100
                [71044.422837]  schedule_preempt_disabled+0xa/0x10
                [71044.422840]  __mutex_lock.isra.4+0x484/0x820
                [71044.422871]  mutex_lock+0xce/0xe0
                [71044.422976]  smb2_reconnect.part.21+0x218/0xbd0 [cifs]
                [71044.423195]  smb2_plain_req_init+0x2fe/0x3d0 [cifs]
                [71044.423272]  SMB2_open_init+0x143/0x12b0 [cifs]
                [71044.423558]  smb2_query_info_compound+0x242/0x4d0 [cifs]
                [71044.423926] INFO: task cifsd:9136 blocked for more than 120 seconds.
                [71044.425076]       Tainted: G            E     5.3.11-pd-5.3.y #20191029
                [71044.426421] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [71044.427718] cifsd           D    0  9136      2 0x80004000
                [71044.427721] Call Trace:
                [71044.427757]  schedule+0x5e/0x100
                [71044.427765]  schedule_preempt_disabled+0xa/0x10
                [71044.427775]  __mutex_lock.isra.4+0x484/0x820
                [71044.427797]  mutex_lock+0xce/0xe0
                [71044.427877]  dfs_cache_noreq_find+0xa7/0x190 [cifs]
                [71044.427951]  cifs_reconnect+0x18c/0x1510 [cifs]
                [71044.428179]  cifs_handle_standard+0x252/0x270 [cifs]
                [71044.428224]  cifs_demultiplex_thread+0x124a/0x13e0 [cifs]
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.blocker()).startsWith("no single task");
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(7214, 9136);
        assertThat(f.chain()).hasSize(2).allMatch(l -> l.contains("whose owner the evidence does not show")
                && l.contains("a waiter, not the cause"));
        assertThat(f.chain().get(0)).startsWith("node_exporter:7214 (D) waits for a kernel lock");
    }

    @Test
    void theDetectorsOwnerLineKeepsASelfOwnedMutexWaiterTheBlocker() throws Exception {
        // lore.kernel.org/r/xhkbymqobtva6j7xmwzvh5g2tvuixvu2hwfdozed6hijrt3vkl@rywdhz43e52y (corpus a-091)
        Finding f = UnclassifiedBlockerTest.first("""
                <3>[  125.362363][  T140] INFO: task zsh:470 is blocked on a mutex likely owned by task zsh:470.
                <6>[  125.364467][  T140] task:zsh             state:D stack:0     pid:470   tgid:470   ppid:430    task_flags:0x400100 flags:0x00004002
                <6>[  125.367493][  T140] Call Trace:
                <6>[  125.368359][  T140]  <TASK>
                <6>[  125.369180][  T140]  __schedule+0x13b4/0x2120
                <6>[  125.371486][  T140]  schedule+0xdc/0x280
                <6>[  125.372518][  T140]  schedule_preempt_disabled+0x10/0x20
                <6>[  125.374049][  T140]  __mutex_lock+0x698/0x1200
                <6>[  125.376572][  T140]  mutex_lock+0x81/0x90
                <6>[  125.377773][  T140]  drop_caches_sysctl_handler+0x3e/0x140
                <6>[  125.379391][  T140]  proc_sys_call_handler+0x327/0x4f0
                <6>[  125.380715][  T140]  vfs_write+0x794/0xb60
                """);
        assertThat(f.rootCause()).isNotNull();
        assertThat(f.rootCause().pid()).isEqualTo(470);
    }

    @Test
    void aMutexAskedForAgainFurtherDownItsOwnStackIsASelfDeadlock() throws Exception {
        // lore.kernel.org/r/e6641e7e-e786-416a-843c-c2b3c18cdd9f@gmail.com (corpus w-025, as the mailer wrapped it):
        // phy_start_aneg took the PHY mutex and is reached again through the link handler
        Finding f = UnclassifiedBlockerTest.first("""
                > kernel: INFO: task NetworkManager:849 blocked for more than 122
                > seconds.
                > kernel:       Not tainted 6.6.2-arch1-1 #1
                > kernel: task:NetworkManager  state:D stack:0     pid:849   ppid:1    \s
                > flags:0x00004002
                > kernel: Call Trace:
                > kernel:  <TASK>
                > kernel:  __schedule+0x3e8/0x1410
                > kernel:  schedule+0x5e/0xd0
                > kernel:  schedule_preempt_disabled+0x15/0x30
                > kernel:  __mutex_lock.constprop.0+0x39a/0x6a0
                > kernel:  phy_start_aneg+0x1d/0x40 [libphy
                > 93248cd1d88abf54f1b4cc64a990177f549a7710]
                > kernel:  rtl_reset_work+0x1bd/0x3b0 [r8169
                > 08653ab60f23923c3943d53f140b2b697e265b93]
                > kernel:  r8169_phylink_handler+0x5b/0x240 [r8169
                > 08653ab60f23923c3943d53f140b2b697e265b93]
                > kernel:  phy_link_change+0x2e/0x60 [libphy
                > 93248cd1d88abf54f1b4cc64a990177f549a7710]
                > kernel:  phy_check_link_status+0xad/0xe0 [libphy
                > 93248cd1d88abf54f1b4cc64a990177f549a7710]
                > kernel:  phy_start_aneg+0x25/0x40 [libphy
                > 93248cd1d88abf54f1b4cc64a990177f549a7710]
                > kernel:  rtl8169_change_mtu+0x24/0x60 [r8169
                > 08653ab60f23923c3943d53f140b2b697e265b93]
                > kernel:  dev_set_mtu_ext+0xf1/0x200
                > kernel:  do_setlink+0x291/0x12d0
                """);
        assertThat(f.rootCause()).isNotNull();
        assertThat(f.rootCause().pid()).isEqualTo(849);
        assertThat(f.chain()).singleElement().asString().contains("phy_start_aneg is on its stack twice")
                .contains("a self-deadlock");
    }

    @Test
    void reclaimComingBackIntoTheDriverThatAllocatedIsASelfDeadlock() throws Exception {
        // lore.kernel.org/r/20231203012326.GE404241@google.com (corpus e-008: zram's backing_dev_store allocates
        // under init_lock, reclaim swaps out through zram, which asks for init_lock again)
        Finding f = UnclassifiedBlockerTest.first("""
                task:init   state:D stack:    0 pid:    1 ppid:     0 flags:0x04000000
                Call trace:
                   __switch_to+0x244/0x4e4
                   __schedule+0x5bc/0xc48
                   schedule+0x80/0x164
                   rwsem_down_read_slowpath+0x4fc/0xf9c
                   __down_read+0x140/0x188
                   down_read+0x14/0x24
                   try_wakeup_wbd_thread+0x78/0x1ec [zram]
                   __zram_bvec_write+0x720/0x878 [zram]
                   zram_bvec_rw+0xa8/0x234 [zram]
                   zram_submit_bio+0x16c/0x268 [zram]
                   submit_bio_noacct+0x128/0x3c8
                   submit_bio+0x1cc/0x3d0
                   __swap_writepage+0x5c4/0xd4c
                   swap_writepage+0x130/0x158
                   pageout+0x1f4/0x478
                   shrink_page_list+0x9b4/0x1eb8
                   shrink_inactive_list+0x2f4/0xaa8
                   shrink_lruvec+0x184/0x340
                   shrink_node_memcgs+0x84/0x3a0
                   shrink_node+0x2c4/0x6c4
                   shrink_zones+0x16c/0x29c
                   do_try_to_free_pages+0xe4/0x2b4
                   try_to_free_pages+0x388/0x7b4
                   __alloc_pages_direct_reclaim+0x88/0x278
                   __alloc_pages_slowpath+0x4ec/0xf6c
                   __alloc_pages_nodemask+0x1f4/0x3dc
                   kmalloc_order+0x54/0x338
                   kmalloc_order_trace+0x34/0x1bc
                   __kmalloc+0x5e8/0x9c0
                   kvmalloc_node+0xa8/0x264
                   backing_dev_store+0x1a4/0x818 [zram]
                   dev_attr_store+0x38/0x8c
                   sysfs_kf_write+0x64/0xc4
                """);
        assertThat(f.rootCause()).isNotNull();
        assertThat(f.rootCause().pid()).isEqualTo(1);
        assertThat(f.chain()).singleElement().asString().contains("direct reclaim came back into zram");
    }

    @Test
    void askingForRtnlUnderAFunctionThatRunsOnlyWithItHeldIsASelfDeadlock() throws Exception {
        // lore.kernel.org/r/CAFv23Qn=c_EZNPxu90s0n-HB6_vQCqaUG34YAq7-T6Np+10ZUA@mail.gmail.com (corpus zi-016:
        // __dev_open, which asserts RTNL, runtime-resumes igb, whose resume asks for rtnl_lock again; the unwinder's
        // "?" lines and the syscall's frames left out)
        Finding f = UnclassifiedBlockerTest.first("""
                [  967.723577] INFO: task ip:6024 blocked for more than 120 seconds.
                [  967.723588]       Not tainted 5.12.0-rc3+ #1
                [  967.723594] task:ip              state:D stack:    0 pid: 6024 ppid:  5957 flags:0x00004000
                [  967.723603] Call Trace:
                [  967.723610]  __schedule+0x2de/0x890
                [  967.723623]  schedule+0x4f/0xc0
                [  967.723629]  schedule_preempt_disabled+0xe/0x10
                [  967.723636]  __mutex_lock.isra.0+0x190/0x510
                [  967.723644]  __mutex_lock_slowpath+0x13/0x20
                [  967.723651]  mutex_lock+0x32/0x40
                [  967.723657]  rtnl_lock+0x15/0x20
                [  967.723665]  igb_resume+0xee/0x1d0 [igb]
                [  967.723696]  igb_runtime_resume+0xe/0x10 [igb]
                [  967.723713]  pci_pm_runtime_resume+0x74/0x90
                [  967.723718]  __rpm_callback+0x53/0x1c0
                [  967.723725]  rpm_callback+0x57/0x80
                [  967.723735]  rpm_resume+0x547/0x760
                [  967.723740]  __pm_runtime_resume+0x52/0x80
                [  967.723745]  __dev_open+0x56/0x160
                [  967.723758]  __dev_change_flags+0x188/0x1e0
                [  967.723766]  dev_change_flags+0x26/0x60
                [  967.723773]  do_setlink+0x723/0x10b0
                [  967.723792]  __rtnl_newlink+0x594/0xa00
                [  967.723906]  rtnl_newlink+0x49/0x70
                [  967.723913]  rtnetlink_rcv_msg+0x13c/0x370
                """);
        assertThat(f.rootCause()).isNotNull();
        assertThat(f.rootCause().pid()).isEqualTo(6024);
        assertThat(f.chain()).singleElement().asString()
                .contains("__dev_open, further out on its stack, runs only with rtnl_mutex held")
                .contains("a self-deadlock");
    }

    @Test
    void askingForRtnlFromAWorkItemProvesNoRecursion() {
        // corpus j-009: a work item asks for rtnl_lock; nothing further out runs under it (someone else holds it)
        assertThat(LockRecursion.retaken(frames("__mutex_lock_slowpath", "mutex_lock", "rtnl_lock",
                "addrconf_verify_work", "process_one_work", "worker_thread", "kthread", "ret_from_fork"))).isNull();
        // a function that holds rtnl further out, but the wait is on another mutex (no rtnl wrapper asked)
        assertThat(LockRecursion.retaken(frames("schedule", "__mutex_lock", "mutex_lock", "phy_start_aneg",
                "rtl8169_change_mtu", "dev_set_mtu_ext", "__dev_open"))).isNull();
    }

    @Test
    void nestedLockingAndOneCallerProveNoRecursion() {
        // a nested take is a second object of the same class on purpose (fs/namei.c lock_rename's inode_lock_nested)
        assertThat(LockRecursion.retaken(frames("__schedule", "schedule", "rwsem_down_write_slowpath", "down_write_nested",
                "lock_rename", "do_renameat2", "lock_rename"))).isNull();
        // the asking function only once: nothing shows who holds the lock
        assertThat(LockRecursion.retaken(frames("schedule", "__mutex_lock", "mutex_lock", "dfs_cache_noreq_find",
                "cifs_reconnect", "cifs_demultiplex_thread"))).isNull();
        // not in a lock wait at all
        assertThat(LockRecursion.retaken(frames("schedule", "io_schedule", "folio_wait_bit_common", "filemap_read",
                "filemap_read"))).isNull();
        assertThat(LockRecursion.retaken(frames("schedule", "__mutex_lock", "mutex_lock", "phy_start_aneg",
                "phy_check_link_status", "phy_start_aneg"))).isEqualTo("phy_start_aneg is on its stack twice");
    }

    private static List<Frame> frames(String... fns) {
        return java.util.Arrays.stream(fns).map(Frame::of).toList();
    }
}
