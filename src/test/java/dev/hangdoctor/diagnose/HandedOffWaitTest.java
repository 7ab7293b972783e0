package dev.hangdoctor.diagnose;

import dev.hangdoctor.act.RemediationPlanner;
import dev.hangdoctor.act.SafetyGuard;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.hangdoctor.diagnose.UnclassifiedBlockerTest.first;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stuck task whose innermost wait is for work done elsewhere (a completion, a work flush, the automount daemon,
 * async probes, an RCU grace period) is a waiter: alone, it is no blocker, and the finding says what it waits for.
 * Beside a lock waiter whose chain may end at it, it stays the lock's likely holder.
 */
class HandedOffWaitTest {

    /** github.com/moby/moby/issues/44552 (4.19): dockerd deleting a link flushes a netdev work item. */
    private static final String DOCKERD = """
            [ 1600.038458] INFO: task dockerd:3946 blocked for more than 120 seconds.
            [ 1600.045171]       Tainted: G           O      4.19.262-pc64 #1
            [ 1600.051179] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            [ 1600.059193] dockerd         D    0  3946      1 0x00000080
            [ 1600.064849] Call Trace:
            [ 1600.067452]  __schedule+0x2ee/0x870
            [ 1600.071099]  schedule+0x28/0x80
            [ 1600.074400]  schedule_timeout+0x1d8/0x3a0
            [ 1600.078573]  ? check_preempt_wakeup+0x17a/0x220
            [ 1600.083265]  wait_for_completion+0xa8/0x130
            [ 1600.087613]  ? wake_up_q+0x70/0x70
            [ 1600.091172]  __flush_work+0x125/0x1d0
            [ 1600.094993]  ? worker_detach_from_pool+0xa0/0xa0
            [ 1600.099778]  rollback_registered_many+0x184/0x4d0
            [ 1600.104647]  ? skb_queue_tail+0x1b/0x50
            [ 1600.108644]  ? unregister_netdevice_queue+0x26/0x110
            [ 1600.113784]  unregister_netdevice_many+0x1a/0xa0
            [ 1600.118571]  rtnl_delete_link+0x47/0x70
            [ 1600.122568]  rtnl_dellink+0x163/0x2b0
        """;

    @Test
    void aLoneWorkFlushIsAWaiterAndTheFindingSaysForWhat() throws Exception {
        Finding f = first(DOCKERD);
        assertThat(f.signature()).isEqualTo(Diagnoser.UNCLASSIFIED);
        assertThat(f.rootCause()).isNull();
        assertThat(f.blocker()).startsWith("no single task");
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(3946);
        assertThat(f.chain()).singleElement().asString()
                .contains("dockerd:3946 (D) waits for a work item")
                .contains("__flush_work, called from rollback_registered_many")
                .contains("a waiter, not the cause");
    }

    @Test
    void fixTakesNoActionOnALoneWaiter(@TempDir Path host) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(DOCKERD.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        Diagnosis d = new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
        RemediationPlanner.Plan plan = new RemediationPlanner(host, new SafetyGuard(host.resolve("proc")), Set.of(),
                null).plan(d, e);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.notes()).singleElement().asString().startsWith(Diagnoser.UNCLASSIFIED + ": no automatic remedy");
    }

    @Test
    void theSameFlushHoldingTheLockAnotherTaskWaitsOnIsItsHolder() throws Exception {
        // lore.kernel.org/r/75e34850-54f5-6d08-e4f9-dd6e1e9ee09d@gmail.com: cleanup_net holds rtnl_mutex while it
        // flushes; the rtnl waiter's chain ends at it (the source reads the mutex owner: PID 8)
        Finding f = first("""
                crash> bt 8
                PID: 8      TASK: ffff9a1072b50000  CPU: 24  COMMAND: "kworker/u192:0"
                 #0 [ffffbfe2c00fbb70] __schedule at ffffffffa7f02bf7
                 #1 [ffffbfe2c00fbc10] schedule at ffffffffa7f031e8
                 #2 [ffffbfe2c00fbc18] schedule_timeout at ffffffffa7f0700e
                 #3 [ffffbfe2c00fbc90] wait_for_completion at ffffffffa7f03b50
                 #4 [ffffbfe2c00fbce0] __flush_work at ffffffffa76a2532
                 #5 [ffffbfe2c00fbd58] rollback_registered_many at ffffffffa7dbcdf4
                 #6 [ffffbfe2c00fbdc0] unregister_netdevice_many at ffffffffa7dbd31e
                 #7 [ffffbfe2c00fbdd0] default_device_exit_batch at ffffffffa7dbd512
                 #8 [ffffbfe2c00fbe40] cleanup_net at ffffffffa7dab970
                 #9 [ffffbfe2c00fbe98] process_one_work at ffffffffa76a17c4
                #10 [ffffbfe2c00fbed8] worker_thread at ffffffffa76a19dd
                #11 [ffffbfe2c00fbf10] kthread at ffffffffa76a7fd3
                #12 [ffffbfe2c00fbf50] ret_from_fork at ffffffffa80001ff

                crash> bt 1369493
                PID: 1369493  TASK: ffff9a03684d9600  CPU: 58  COMMAND: "kworker/58:1"
                 #0 [ffffbfe30d68fd48] __schedule at ffffffffa7f02bf7
                 #1 [ffffbfe30d68fde8] schedule at ffffffffa7f031e8
                 #2 [ffffbfe30d68fdf0] schedule_preempt_disabled at ffffffffa7f0349a
                 #3 [ffffbfe30d68fdf8] __mutex_lock at ffffffffa7f04aed
                 #4 [ffffbfe30d68fe90] addrconf_verify_work at ffffffffa7e8d1aa
                 #5 [ffffbfe30d68fe98] process_one_work at ffffffffa76a17c4
                 #6 [ffffbfe30d68fed8] worker_thread at ffffffffa76a19dd
                 #7 [ffffbfe30d68ff10] kthread at ffffffffa76a7fd3
                 #8 [ffffbfe30d68ff50] ret_from_fork at ffffffffa80001ff
                """);
        assertThat(f.rootCause().pid()).isEqualTo(8);
    }

    @Test
    void aLookupWaitingForTheAutomountDaemonNamesTheDaemon() throws Exception {
        // github.com/systemd/systemd/issues/4886 (aarch64): df stat()s an autofs path whose daemon does not answer
        Finding f = first("""
                Storage:/usr/lib/systemd/system # cat /proc/19999/stack
                [<ffffffc000204ebc>] __switch_to+0x84/0xa0
                [<ffffffc0003fdfe4>] autofs4_wait+0x364/0x710
                [<ffffffc0003fcc14>] autofs4_mount_wait+0x44/0x70
                [<ffffffc0003fccbc>] autofs4_d_manage+0x7c/0x190
                [<ffffffc000389fb0>] follow_managed+0xc0/0x2c8
                [<ffffffc00038c3f8>] lookup_fast+0x148/0x358
                [<ffffffc00038ec60>] path_lookupat+0xf8/0x7a8
                [<ffffffc00038f348>] filename_lookup+0x38/0xf0
                [<ffffffc000390d48>] user_path_at_empty+0x78/0xd0
                [<ffffffc000390dbc>] user_path_at+0x1c/0x28
                [<ffffffc000384514>] vfs_fstatat+0x7c/0xe8
                [<ffffffc000384b98>] SyS_newfstatat+0x38/0x70
                [<ffffffc000203e8c>] __sys_trace_return+0x0/0x4
                [<ffffffffffffffff>] 0xffffffffffffffff
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("automount daemon")
                .contains("autofs4_wait, called from autofs4_d_manage");
    }

    @Test
    void aKernelThreadNeverStartedIsAWaiter() throws Exception {
        // github.com/intel/ethernet-linux-ice/issues/56 (corpus zd-022): the GNSS worker, created and never woken,
        // sleeps in kthread() itself
        Finding f = first("""
                [  248.064851] INFO: task ice-gnss-0000:5:603 blocked for more than 124 seconds.
                [  248.064898] Call Trace:
                [  248.064902]  <TASK>
                [  248.064908]  __schedule+0x474/0x1210
                [  248.064950]  schedule+0x27/0xf0
                [  248.064959]  schedule_preempt_disabled+0x15/0x30
                [  248.064968]  kthread+0xa4/0x220
                [  248.064985]  ret_from_fork+0x273/0x2a0
                [  248.065003]  ret_from_fork_asm+0x1a/0x30
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("its first wake-up")
                .contains("the driver that created the thread");
    }

    @Test
    void aModuleInitWaitingForAsyncProbesIsAWaiter() throws Exception {
        // github.com/spdk/spdk/issues/1295 (5.3 guest): udevd's finit_module waits for the async probes it started
        Finding f = first("""
                [  484.479672] INFO: task systemd-udevd:209 blocked for more than 36.
                [  484.482322]       Not tainted 5.3.0-rc8+ #1
                [  484.483878] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [  484.486789] systemd-udevd   D    0   209    199 0x80004004
                [  484.488860] Call Trace:
                [  484.489864]  __schedule+0x2a8/0x670
                [  484.490660]  schedule+0x33/0xa0
                [  484.491364]  async_synchronize_cookie_domain+0x9c/0x150
                [  484.492468]  ? wait_woken+0x80/0x80
                [  484.493212]  async_synchronize_full+0x17/0x20
                [  484.494127]  do_init_module+0xc1/0x227
                [  484.494889]  load_module+0x244f/0x2c10
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("asynchronous work")
                .contains("called from do_init_module");
    }

    @Test
    void aGracePeriodWaitIsAWaiterBesideATaskWithNoStack() throws Exception {
        // github.com/ophub/amlogic-s9xxx-armbian/issues/101 (aarch64 5.4): the fsnotify mark reaper waits for SRCU;
        // the second hung task's stack is not in the paste
        Finding f = first("""
                [  614.027942] INFO: task kworker/u8:1:188 blocked for more than 491 seconds.
                [  614.030844]       Not tainted 5.4.176-flippy-69+o #379
                [  614.035953] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [  614.043706] kworker/u8:1    D    0   188      2 0x00000028
                [  614.049142] Workqueue: events_unbound fsnotify_mark_destroy_workfn
                [  614.055259] Call trace:
                [  614.057669]  __switch_to+0x114/0x160
                [  614.061214]  __schedule+0x210/0x4e0
                [  614.064662]  schedule+0x3c/0xd0
                [  614.067758]  schedule_timeout+0x174/0x1bc
                [  614.071735]  wait_for_completion+0x90/0x120
                [  614.075874]  __synchronize_srcu.part.0+0x70/0xe0
                [  614.080446]  synchronize_srcu+0xf8/0x14c
                [  614.084327]  fsnotify_mark_destroy_workfn+0x68/0xdc
                [  614.089158]  process_one_work+0x1c8/0x324
                [  614.093124]  worker_thread+0x244/0x450
                [  614.096835]  kthread+0x13c/0x150
                [  614.100026]  ret_from_fork+0x10/0x18
                [  614.103572] INFO: task udevadm:245 blocked for more than 491 seconds.
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(188, 245);
        assertThat(f.chain()).singleElement().asString().contains("grace period")
                .contains("called from fsnotify_mark_destroy_workfn");
    }

    @Test
    void anOpenWaitingForAFanotifyListenerIsAWaiter() throws Exception {
        // github.com/canonical/hotsos/issues/594 (4.4): a permission event an antivirus agent does not answer
        Finding f = first("""
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197400] INFO: task C2 CompilerThre:1582 blocked for more than 120 seconds.
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197429]       Not tainted 4.4.0-142-generic #168-Ubuntu
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197446] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197468] C2 CompilerThre D ffff880234eabaf8     0  1582      1 0x10000000
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197471]  ffff880234eabaf8 ffff88008781fd10 ffff88023627ea40 ffff88022eebea40
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197473]  ffff880234eac000 ffff8800304224c0 ffff88008781fdd8 ffff88008781fd00
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197475]  ffff88022fe2c7d0 ffff880234eabb10 ffffffff8185cb45 0000000000000000
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197476] Call Trace:
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197481]  [<ffffffff8185cb45>] schedule+0x35/0x80
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197484]  [<ffffffff8126321e>] fanotify_handle_event+0x18e/0x2d0
                May  4 07:23:27 DELRHIUCBM002V kernel: [  240.197486]  [<ffffffff8125f795>] ? fsnotify+0x5/0x4b0
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("fanotify listener")
                .contains("antivirus or security agent");
    }

    @Test
    void aLoneTaskWaitingForAServerNoTaskHoldsIsAWaiter() throws Exception {
        // github.com/cea-hpc/robinhood/issues/111 (Lustre 2.12): a scan thread's getxattr waits for the MDS reply
        Finding f = first("""
                cat /proc/5071/task/5099/stack
                [<ffffffffc1191a80>] ptlrpc_set_wait+0x480/0x790 [ptlrpc]
                [<ffffffffc1191e13>] ptlrpc_queue_wait+0x83/0x230 [ptlrpc]
                [<ffffffffc1361f66>] mdc_xattr_common+0x3f6/0x680 [mdc]
                [<ffffffffc1362262>] mdc_getxattr+0x72/0x360 [mdc]
                [<ffffffffc0d6cd5b>] lmv_getxattr+0x15b/0x360 [lmv]
                [<ffffffffc13e2ce0>] ll_xattr_list+0x240/0x670 [lustre]
                [<ffffffffc13e324f>] ll_xattr_get_common.isra.10+0x13f/0x3e0 [lustre]
                [<ffffffffc13e3738>] ll_xattr_get_common_3_11+0x68/0x70 [lustre]
                [<ffffffff81872f92>] generic_getxattr+0x52/0x70
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(5099);
        assertThat(f.chain()).singleElement().asString().contains("network filesystem's server")
                .contains("a waiter, not the cause");
    }

    @Test
    void aKworkerWhoseStackEndsAtItsWorkItemIsNotNamed() throws Exception {
        // github.com/openzfs/zfs/issues/8751: the writeback worker's trace was cut after its first frame
        Finding f = first("""
                May 25 15:13:12 host kernel: INFO: task kworker/u16:1:141 blocked for more than 120 seconds.
                May 25 15:13:12 host kernel:       Tainted: P           O    4.9.0-9-amd64 #1 Debian 4.9.168-1
                May 25 15:13:12 host kernel: "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                May 25 15:13:12 host kernel: kworker/u16:1   D    0   141      2 0x00000000
                May 25 15:13:12 host kernel: Workqueue: writeback wb_workfn (flush-zfs-43)
                May 25 15:13:12 host kernel:  ffff925734829000 0000000000000000 ffff92577555a080 ffff92579fa98980
                May 25 15:13:12 host kernel: Call Trace:
                May 25 15:13:12 host kernel:  [<ffffffffadc15a99>] ? __schedule+0x239/0x6f0
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("runs the work item wb_workfn")
                .contains("where it sleeps is not shown");
    }

    @Test
    void aLoneZfsRangeLockWaitIsAWaiter() throws Exception {
        // github.com/ngi-nix/forge/issues/795 (corpus c-016): the SPL condition variable under ZFS's range lock
        Finding f = first("""
                Jul 27 11:35:35 makemake kernel: INFO: task sbcl:2580730 blocked for more than 1228 seconds.
                Jul 27 11:35:35 makemake kernel:       Tainted: P           O        6.18.10 #1-NixOS
                Jul 27 11:35:35 makemake kernel: "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                Jul 27 11:35:35 makemake kernel: task:sbcl            state:D stack:0     pid:2580730 tgid:2580730 ppid:2384599 task_flags:0x80000 flags:0x00080003
                Jul 27 11:35:35 makemake kernel: Call Trace:
                Jul 27 11:35:35 makemake kernel:  <TASK>
                Jul 27 11:35:35 makemake kernel:  __schedule+0x419/0x1340
                Jul 27 11:35:35 makemake kernel:  ? srso_return_thunk+0x5/0x5f
                Jul 27 11:35:35 makemake kernel:  ? __kmalloc_node_noprof+0x1d7/0x730
                Jul 27 11:35:35 makemake kernel:  schedule+0x27/0xd0
                Jul 27 11:35:35 makemake kernel:  cv_wait_common+0xf0/0x130 [spl]
                Jul 27 11:35:35 makemake kernel:  ? __pfx_autoremove_wake_function+0x10/0x10
                Jul 27 11:35:35 makemake kernel:  zfs_rangelock_enter_impl+0x13f/0x660 [zfs]
                Jul 27 11:35:35 makemake kernel:  zfs_getpage+0x1af/0x360 [zfs]
                Jul 27 11:35:35 makemake kernel:  zpl_read_folio+0x39/0x70 [zfs]
                Jul 27 11:35:35 makemake kernel:  filemap_read_folio+0x3a/0xf0
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.blocker()).startsWith("no single task");
        assertThat(f.victims()).extracting(TaskRef::pid).containsExactly(2580730);
        assertThat(f.chain()).singleElement().asString().contains("a ZFS range lock")
                .contains("zfs_rangelock_enter_impl, called from zfs_getpage").contains("a waiter, not the cause");
    }

    @Test
    void theConditionVariableIsNarrowedToTheZfsWaitThatCallsIt() throws Exception {
        // github.com/openzfs/spl/issues/310 (corpus a-098): cv_wait (__cv_wait) under txg_wait_synced
        Finding f = first("""
                Nov 21 07:09:08 x1 kernel: [252727.075436] INFO: task zpool:13337 blocked for more than 120 seconds.
                Nov 21 07:09:08 x1 kernel: [252727.075800] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                Nov 21 07:09:08 x1 kernel: [252727.076254] zpool           D ffff88103fc539c0     0 13337  13336 0x00000000
                Nov 21 07:09:08 x1 kernel: [252727.076285] Call Trace:
                Nov 21 07:09:08 x1 kernel: [252727.076299]  [<ffffffff81682f39>] schedule+0x29/0x70
                Nov 21 07:09:08 x1 kernel: [252727.076334]  [<ffffffffa01297ad>] cv_wait_common+0xfd/0x1b0 [spl]
                Nov 21 07:09:08 x1 kernel: [252727.076343]  [<ffffffff81076b70>] ? finish_wait+0x80/0x80
                Nov 21 07:09:08 x1 kernel: [252727.076357]  [<ffffffffa01298b5>] __cv_wait+0x15/0x20 [spl]
                Nov 21 07:09:08 x1 kernel: [252727.076420]  [<ffffffffa020f6f3>] txg_wait_synced+0xb3/0x190 [zfs]
                Nov 21 07:09:08 x1 kernel: [252727.076463]  [<ffffffffa01f1180>] dsl_sync_task_group_wait+0x190/0x270 [zfs]
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("a ZFS transaction group to sync")
                .contains("txg_wait_synced, called from dsl_sync_task_group_wait").contains("txg_sync thread");
    }

    @Test
    void aLoneBcachefsClosureSyncIsAWaiter() throws Exception {
        // github.com/koverstreet/bcachefs/issues/648 (corpus a-031)
        Finding f = first("""
                [  +0.000040] INFO: task bcachefs:1360 blocked for more than 122 seconds.
                [  +0.000001]       Not tainted 6.7.3-zen1-2-zen #1
                [  +0.000001] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [  +0.000000] task:bcachefs        state:D stack:0     pid:1360  tgid:1360  ppid:1359   flags:0x00004002
                [  +0.000002] Call Trace:
                [  +0.000001]  <TASK>
                [  +0.000001]  __schedule+0xcaa/0x1950
                [  +0.000002]  ? srso_alias_return_thunk+0x5/0xfbef5
                [  +0.000002]  ? __bch2_time_stats_update+0x11c/0x270 [bcachefs bc7df9d851182d3b23b2da70a497331d07bf91c0]
                [  +0.000023]  schedule+0x32/0xd0
                [  +0.000002]  __closure_sync+0x82/0x160
                [  +0.000001]  bch2_btree_update_start+0x917/0x940 [bcachefs bc7df9d851182d3b23b2da70a497331d07bf91c0]
                [  +0.000021]  ? srso_alias_return_thunk+0x5/0xfbef5
                [  +0.000020]  bch2_btree_split_leaf+0x46/0x310 [bcachefs bc7df9d851182d3b23b2da70a497331d07bf91c0]
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("a closure's outstanding work")
                .contains("__closure_sync, called from bch2_btree_update_start");
    }

    @Test
    void aLoneBtrfsOrderedExtentWaitIsAWaiter() throws Exception {
        // github.com/raspberrypi/firmware/issues/1035 (corpus za-015): an ARM 4.14 stack, "(caller) from (callee)"
        Finding f = first("""
                [Sep11 18:40] INFO: task btrfs-transacti:1357 blocked for more than 120 seconds.
                [  +0.000015]       Not tainted 4.14.69-v7+ #1141
                [  +0.000005] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [  +0.000008] btrfs-transacti D    0  1357      2 0x00000000
                [  +0.000046] [<8079d990>] (__schedule) from [<8079dff8>] (schedule+0x50/0xa8)
                [  +0.000558] [<8079dff8>] (schedule) from [<7f50b754>] (btrfs_start_ordered_extent+0x128/0x158 [btrfs])
                [  +0.000971] [<7f50b754>] (btrfs_start_ordered_extent [btrfs]) from [<7f50bcfc>] (btrfs_wait_ordered_range+0x140/0x18c [btrfs])
                [  +0.000938] [<7f50bcfc>] (btrfs_wait_ordered_range [btrfs]) from [<7f53e2a0>] (__btrfs_wait_cache_io+0x50/0x1e4 [btrfs])
                [  +0.000937] [<7f53e2a0>] (__btrfs_wait_cache_io [btrfs]) from [<7f540d18>] (btrfs_wait_cache_io+0x40/0x48 [btrfs])
                """);
        assertThat(f.rootCause()).isNull();
        assertThat(f.chain()).singleElement().asString().contains("a btrfs ordered extent to finish")
                .contains("called from __btrfs_wait_cache_io");
    }

    @Test
    void aZfsTaskAsleepOnAMutexInsideZilCommitIsNoHandedOffWait() throws Exception {
        // github.com/openzfs/zfs/issues/3835 (corpus i-011): the sleep is the mutex's, zil_commit only its caller
        Evidence e = EvidenceReader.read(new ByteArrayInputStream("""
                [795637.821385] INFO: task exim:768076 blocked for more than 120 seconds.
                [795637.821703]       Tainted: P           ---------------    2.6.32-604.16.2.lve1.3.54.el6.x86_64 #1
                [795637.822305] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
                [795637.822909] exim          D ffff8809a7d9e500     0 768076 768069    0 0x00000000
                [795637.822921] Call Trace:
                [795637.822929]  [<ffffffff81538f86>] __mutex_lock_slowpath+0x96/0x210
                [795637.822939]  [<ffffffff81538aab>] mutex_lock+0x2b/0x50
                [795637.822971]  [<ffffffffa039360c>] zil_commit+0x3c/0x830 [zfs]
                [795637.822979]  [<ffffffff81538a9e>] ? mutex_lock+0x1e/0x50
                """.getBytes(StandardCharsets.UTF_8)), "t");
        assertThat(e.tasks()).filteredOn(t -> t.pid() == 768076).singleElement()
                .satisfies(t -> assertThat(HandedOffWaits.of(t)).isNull());
    }
}
