package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Watchdog reports get the task their own dump shows; excerpts of public reports (corpus names per test). */
class LockupTasksTest {

    private static Evidence read(String log) throws IOException {
        return EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "console");
    }

    @Test
    void softLockupTakesTheAnonymousStackThatFollowsIt() throws IOException {
        // corpus b-039 (arm64, e-mail quoted): no "CPU: ... PID:" line, the Call trace follows the message
        Evidence e = read("""
                > watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [irq/268-arm-smm:247]
                > Call trace:
                >  _dev_info+0x7c/0xa0
                >  arm_smmu_evtq_thread+0x1c0/0x230
                >  irq_thread_fn+0x30/0x80
                >  irq_thread+0x128/0x210
                >  kthread+0x134/0x138
                >  ret_from_fork+0x10/0x1c
                > Kernel panic - not syncing: softlockup: hung tasks
                """);
        Task t = e.taskOrNull(247);
        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        assertThat(t.frames()).extracting(Frame::function).startsWith("_dev_info", "arm_smmu_evtq_thread");
        assertThat(e.tasks()).allMatch(x -> x.pid() >= 0);
    }

    @Test
    void theStarvedGracePeriodKthreadIsNoRcuStallsCulprit() throws IOException {
        // corpus q-017 (WSL2 5.15, a self-detected stall on CPU 13 with the starved rcu_sched kthread's dump)
        Evidence e = read("""
                rcu: INFO: rcu_sched self-detected stall on CPU
                rcu:         13-...!: (5327 ticks this GP) idle=5cf/1/0x4000000000000004 softirq=1279/1280 fqs=0
                     (t=6000 jiffies g=4097 q=8)
                rcu: rcu_sched kthread starved for 6000 jiffies! g4097 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x0 ->cpu=12
                rcu:         Unless rcu_sched kthread gets sufficient CPU time, OOM is now expected behavior.
                rcu: RCU grace-period kthread stack dump:
                task:rcu_sched       state:R  running task     stack:    0 pid:   14 ppid:     2 flags:0x00004000
                Call Trace:
                 <TASK>
                 __schedule+0x2cc/0x920
                 schedule+0x69/0xf0
                 schedule_timeout+0x88/0x140
                 rcu_gp_fqs_loop+0xec/0x310
                 rcu_gp_kthread+0x91/0x120
                 kthread+0x124/0x150
                 ret_from_fork+0x1f/0x30
                 </TASK>
                """);
        assertThat(e.events(KernelEventKind.RCU_STALL)).isNotEmpty()
                .noneMatch(s -> Integer.valueOf(14).equals(s.pid()));
        assertThat(e.taskOrNull(14)).isNotNull();
    }

    @Test
    void softLockupWhoseDumpWasElidedKeepsItsStack() throws IOException {
        // corpus b-040 (hv_sock): "..." cuts the CPU header from its Call Trace; an earlier warning's stack stays apart
        Evidence e = read("""
                kworker/1:0/4467 is freeing memory ..., with a lock still held there!
                Call Trace:
                 dump_stack+0x67/0x90
                 kmem_cache_free+0xa5/0x380
                
                watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [kworker/1:0:4467]
                ...
                irq event stamp: 62890
                CPU: 1 PID: 4467 Comm: kworker/1:0 Tainted: G        W         5.2.0+ #39
                Workqueue: events vmbus_onmessage_work [hv_vmbus]
                RIP: 0010:queued_spin_lock_slowpath+0x2b/0x1e0
                ...
                Call Trace:
                 do_raw_spin_lock+0xab/0xb0
                 release_sock+0x19/0xb0
                 vmbus_onmessage_work+0x1d/0x30 [hv_vmbus]
                """);
        assertThat(e.taskOrNull(4467).frames()).extracting(Frame::function)
                .containsExactly("do_raw_spin_lock", "release_sock", "vmbus_onmessage_work");
        assertThat(e.tasks()).anyMatch(x -> x.pid() < 0 && x.frames().get(0).function().equals("dump_stack"));
    }

    @Test
    void hardLockupIsGivenTheTaskOfItsNmiDump() throws IOException {
        // lib/dump_stack.c header after "NMI watchdog: Watchdog detected hard LOCKUP on cpu N" (4.x)
        Evidence e = read("""
                [ 6204.111806] NMI watchdog: Watchdog detected hard LOCKUP on cpu 28
                [ 6204.111832] Modules linked in: virtiofs fuse
                [ 6204.111900] CPU: 28 PID: 254219 Comm: trinity-c33 Not tainted 5.9.0-rc1 #1
                [ 6204.111950] RIP: 0010:native_queued_spin_lock_slowpath+0x1e0/0x280
                [ 6204.112000] Call Trace:
                [ 6204.112010]  _raw_spin_lock+0x3a/0x40
                [ 6204.112020]  fuse_fill_write_pages+0x1a0/0x260 [fuse]
                """);
        KernelEvent lockup = e.events(KernelEventKind.HARD_LOCKUP).get(0);
        assertThat(lockup.pid()).isEqualTo(254219);
        assertThat(lockup.comm()).isEqualTo("trinity-c33");
        assertThat(e.taskOrNull(254219).state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void theIdleTaskIsNoCulprit() throws IOException {
        // corpus b-026 (RHEL 7.3): the lockup ran in an interrupt on swapper, pid 0
        Evidence e = read("""
                [ 1432.242810] Kernel panic - not syncing: Watchdog detected hard LOCKUP on cpu 25
                [ 1432.242829] CPU: 25 PID: 0 Comm: swapper/25 Not tainted 3.10.0-514.el7.x86_64 #1
                [ 1432.242980] Call Trace:
                [ 1432.242991] <NMI> [<ffffffff81685eac>] dump_stack+0x19/0x1b
                [ 1432.243018] [<ffffffff8167f2b3>] panic+0xe3/0x1f2
                """);
        assertThat(e.events(KernelEventKind.HARD_LOCKUP).get(0).pid()).isNull();
    }

    @Test
    void theDetectingCpusOwnDumpIsNotTheStalledTask() throws IOException {
        // kernel/rcu/tree_stall.h: CPU 5 detects CPU 3's stall; only CPU 3's backtrace names the culprit
        Evidence e = read("""
                [ 2077.394266] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
                [ 2077.394270] rcu: \t3-....: (6499 ticks this GP) idle=b3e/1/0x4000000000000000 softirq=412/412 fqs=3212
                [ 2077.394280] \t(detected by 5, t=6502 jiffies, g=1097, q=13 ncpus=8)
                [ 2077.394290] CPU: 5 PID: 77 Comm: kworker/5:1 Not tainted 6.1.0 #1
                [ 2077.394300] NMI backtrace for cpu 3
                [ 2077.394310] CPU: 3 PID: 4242 Comm: spin Not tainted 6.1.0 #1
                """);
        assertThat(e.events(KernelEventKind.RCU_STALL).get(0).pid()).isEqualTo(4242);
    }

    @Test
    void rcuStallIsGivenTheTaskItsCpuDumpShows() throws IOException {
        // corpus b-096 (powerpc skiboot): "Task dump for CPU 101:" and the old sched_show_task line
        Evidence e = read("""
                [  103.057786] INFO: rcu_sched self-detected stall on CPU
                [  103.057792] \t101-...: (1 GPs behind) idle=a0b/140000000000002/0 softirq=288/289 fqs=2099
                [  103.057795] \t (t=2100 jiffies g=-218 c=-219 q=72)
                [  103.057823] Task dump for CPU 101:
                [  103.057825] kopald          R  running task        0   854      2 0x00000804
                [  103.057829] Call Trace:
                """);
        KernelEvent stall = e.events(KernelEventKind.RCU_STALL).get(0);
        assertThat(stall.pid()).isEqualTo(854);
        assertThat(stall.comm()).isEqualTo("kopald");
    }

    @Test
    void aLockupWhoseCallTraceWasCutRunsWhereItsRipLineSays() throws IOException {
        // corpus u-023 (openzfs/zfs, Ubuntu 12.04 Xen PV guest, 3.2): the 3.x two-address RIP line with the Xen
        // kernel's code segment, and the paste ends before the Call Trace
        Evidence e = read("""
                Aug 28 12:17:34 mail-3 kernel: [130936.076081] BUG: soft lockup - CPU#0 stuck for 22s! [z_wr_iss_h/0:14959]
                Aug 28 12:17:34 mail-3 kernel: [130936.076154] RIP: e030:[<ffffffff8165800b>]  [<ffffffff8165800b>] mutex_lock+0x1b/0x40
                Aug 28 12:17:34 mail-3 kernel: [130936.076165] RSP: e02b:ffff88001dfe9d10  EFLAGS: 00000246
                """);
        assertThat(e.taskOrNull(14959).frames()).extracting(Frame::function).containsExactly("mutex_lock");
    }

    @Test
    void aSelfDetectedStallsTaskRunsWhereItsRipLineSays() throws IOException {
        // corpus u-015 (openzfs/zfs, 3.16): the self-detected stall's NMI backtrace, cut after its registers
        Evidence e = read("""
                [865498.595764] INFO: rcu_sched self-detected stall on CPU { 3}  (t=60000 jiffies g=7250499 c=7250498 q=12970)
                [865498.595896] sending NMI to all CPUs:
                [865498.595901] NMI backtrace for cpu 3
                [865498.595903] CPU: 3 PID: 2332 Comm: z_wr_iss/0 Tainted: P           OE 3.16.0 #1
                [865498.595908] task: ffff8800c3fcaee0 ti: ffff8800c3fe0000 task.ti: ffff8800c3fe0000
                [865498.595910] RIP: 0010:[<ffffffff813662d2>]  [<ffffffff813662d2>] __const_udelay+0x12/0x30
                [865498.595914] RSP: 0018:ffff88041ecc3de8  EFLAGS: 00000006
                """);
        assertThat(e.events(KernelEventKind.RCU_STALL).get(0).pid()).isEqualTo(2332);
        assertThat(e.taskOrNull(2332).frames()).extracting(Frame::function).containsExactly("__const_udelay");
    }

    @Test
    void aRipLineDoesNotReplaceTheStackThatFollowsIt() throws IOException {
        // a whole 5.x report: the Call Trace under the registers is the task's stack; and a user-space RIP names nothing
        Evidence e = read("""
                watchdog: BUG: soft lockup - CPU#3 stuck for 26s! [stress:4242]
                RIP: 0010:_raw_spin_lock+0x1c/0x30
                RSP: 0018:ffffb3c0c1e4bd28 EFLAGS: 00000246
                Call Trace:
                 <TASK>
                 do_something+0x10/0x20
                 __x64_sys_ioctl+0x91/0xc0
                 do_syscall_64+0x5b/0x80
                 </TASK>
                watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [app:77]
                RIP: 0033:0x7f1e2a3b4c5d
                """);
        assertThat(e.taskOrNull(4242).frames()).extracting(Frame::function).startsWith("do_something");
        assertThat(e.taskOrNull(77).frames()).isEmpty();
    }

    @Test
    void aTaskTheDumpShowsAsleepIsNotTheOneSpinning() throws IOException {
        // corpus b-087 (LKML, e-mail quoted): the hard LOCKUP line, then a sysrq-t dump's task in D; a sleeping task
        // held no CPU, so the lockup names nobody rather than a task the dump itself says was asleep
        Evidence e = read("""
                > > kernel:NMI watchdog: Watchdog detected hard LOCKUP on cpu 8
                > >\s
                > > == the thread is stuck in the loop ==
                > > [10813.290694] task:trinity-c33     state:D stack:25888 pid:254219 ppid: 87180
                > > flags:0x00004004
                > > [10813.292671] Call Trace:
                > > [10813.293379]  __schedule+0x71d/0x1b50
                > > [10813.296117]  schedule+0xbf/0x270
                """);
        assertThat(e.events(KernelEventKind.HARD_LOCKUP)).singleElement().satisfies(l -> assertThat(l.pid()).isNull());
        assertThat(e.taskOrNull(254219).state()).isEqualTo(TaskState.UNINTERRUPTIBLE);
    }
}
