package dev.hangdoctor.parse;

import dev.hangdoctor.diagnose.Diagnoser;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.hangdoctor.parse.TraceFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An NMI backtrace of a CPU spinning on a lock, pasted without the report that asked for it, is that CPU's task,
 * running, with an NMI_BACKTRACE event. Lines from corpus t-016 (github.com/firecracker-microvm/firecracker/issues/5322,
 * the guest's RCU stall line cut off), from lore.kernel.org/r/Zx8ip5avDVafVhtL@dread.disaster.area (6.12 guest, an
 * RCU stall's backtrace of mysqld in the paravirt slow path under kvm_wait) and from
 * lore.kernel.org/r/ZOdjcurhtb7eQNYe@mail-itl (6.1 Xen guest, an RCU stall's backtrace of qrexec-agent in the
 * rwlock slow path, the print lock's stale frame above the handler), and
 * lore.kernel.org/r/f3921d86-d562-2167-680b-07604be7f46f@linux.alibaba.com (6.2, whose unwinder prints no NMI frame:
 * the header line says it), quote marks and the mailer's wraps taken off.
 */
class NmiBacktracesTest {

    private static final String[] FIRECRACKER = {
        "2025-07-21T22:11:28.564769760 [1f073339-55c6-4046-afc6-4fcb1b191134:main] Running Firecracker v1.12.0",
        "DR3: 0000000000000000 DR6: 00000000fffe07f0 DR7: 0000000000000400",
        "[ 942.463237] PKRU: 55555554",
        "[ 942.463237] Call Trace:",
        "[ 942.463238] <NMI>",
        "[ 942.463240] ? show_regs+0x6d/0x80",
        "[ 942.463247] ? nmi_cpu_backtrace+0x90/0x100",
        "[ 942.463249] ? nmi_cpu_backtrace_handler+0x15/0x20",
        "[ 942.463251] ? nmi_handle+0x60/0x160",
        "[ 942.463256] ? default_do_nmi+0x45/0x120",
        "[ 942.463258] ? exc_nmi+0xe9/0x110",
        "[ 942.463258] ? end_repeat_nmi+0xf/0x53",
        "[ 942.463265] ? __pv_queued_spin_lock_slowpath+0xdd/0x370",
        "[ 942.463266] ? __pv_queued_spin_lock_slowpath+0xdd/0x370",
        "[ 942.463267] ? __pv_queued_spin_lock_slowpath+0xdd/0x370",
        "[ 942.463268] </NMI>",
        "[ 942.463268] <IRQ>",
        "[ 942.463269] _raw_spin_lock+0x2d/0x40",
    };

    private static final String[] STALL_HEADER = {
        "[ 1609.240236] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
        "[ 1609.240243] rcu:     5-...!: (0 ticks this GP) idle=a8f4/1/0x4000000000000000 softirq=71287/71287 fqs=1",
        "[ 1609.240249] rcu:     (detected by 2, t=60004 jiffies, g=168077, q=10823 ncpus=16)",
        "[ 1609.240252] Sending NMI from CPU 2 to CPUs 5:",
    };

    private static final String[] MYSQLD = {
        "[ 1609.240277] NMI backtrace for cpu 5",
        "[ 1609.240281] CPU: 5 UID: 1002 PID: 8250 Comm: mysqld Tainted: G W 6.12.0-rc4-g556c97f2ecbf #40",
        "[ 1609.240286] Tainted: [W]=WARN",
        "[ 1609.240288] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.5.1 06/16/2021",
        "[ 1609.240289] RIP: 0010:native_halt+0xe/0x20",
        "[ 1609.240298] RSP: 0018:ffffc0c8c71dbd20 EFLAGS: 00000046",
        "[ 1609.240301] RAX: 0000000000000003 RBX: ffff9ff73fab6580 RCX: 0000000000000008",
        "[ 1609.240303] RDX: ffff9ff7bffaf740 RSI: 0000000000000003 RDI: ffff9ff73fab6580",
        "[ 1609.240304] RBP: ffff9ff73f8b7440 R08: 0000000000000008 R09: 0000000000000074",
        "[ 1609.240306] R10: 0000000000000002 R11: 0000000000000000 R12: 0000000000000000",
        "[ 1609.240307] R13: 0000000000000001 R14: 0000000000000100 R15: 0000000000180000",
        "[ 1609.240311] FS:  00007f9e12600700(0000) GS:ffff9ff73f880000(0000) knlGS:0000000000000000",
        "[ 1609.240313] CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033",
        "[ 1609.240315] CR2: 00007f9d63e00004 CR3: 0000001a0bc04005 CR4: 0000000000770ef0",
        "[ 1609.240319] PKRU: 55555554",
        "[ 1609.240320] Call Trace:",
        "[ 1609.240322]  <NMI>",
        "[ 1609.240325]  ? nmi_cpu_backtrace+0x98/0x110",
        "[ 1609.240330]  ? nmi_cpu_backtrace_handler+0x11/0x20",
        "[ 1609.240334]  ? nmi_handle+0x5c/0x150",
        "[ 1609.240339]  ? default_do_nmi+0x4e/0x120",
        "[ 1609.240343]  ? exc_nmi+0x137/0x1d0",
        "[ 1609.240347]  ? end_repeat_nmi+0xf/0x53",
        "[ 1609.240354]  ? native_halt+0xe/0x20",
        "[ 1609.240357]  ? native_halt+0xe/0x20",
        "[ 1609.240360]  ? native_halt+0xe/0x20",
        "[ 1609.240363]  </NMI>",
        "[ 1609.240364]  <TASK>",
        "[ 1609.240366]  kvm_wait+0x47/0x60",
        "[ 1609.240368]  __pv_queued_spin_lock_slowpath+0x255/0x370",
        "[ 1609.240373]  _raw_spin_lock+0x29/0x30",
        "[ 1609.240376]  raw_spin_rq_lock_nested+0x1c/0x80",
        "[ 1609.240381]  __task_rq_lock+0x3f/0xe0",
        "[ 1609.240384]  try_to_wake_up+0x3cf/0x640",
        "[ 1609.240387]  ? plist_del+0x63/0xc0",
        "[ 1609.240391]  wake_up_q+0x4d/0x90",
        "[ 1609.240394]  futex_wake+0x154/0x180",
        "[ 1609.240400]  do_futex+0xf8/0x1d0",
        "[ 1609.240404]  __x64_sys_futex+0x68/0x1c0",
        "[ 1609.240407]  ? restore_fpregs_from_fpstate+0x3c/0xa0",
        "[ 1609.240411]  do_syscall_64+0x62/0x170",
        "[ 1609.240416]  entry_SYSCALL_64_after_hwframe+0x76/0x7e",
    };

    private static final String[] XEN = {
        "Call Trace:",
        " <NMI>",
        " ? show_trace_log_lvl+0x1d3/0x2ef",
        " ? __raw_write_lock_irqsave+0x3d/0x50",
        " ? nmi_cpu_backtrace.cold+0x1b/0x76",
        " ? queued_write_lock_slowpath+0x64/0x124",
        " ? nmi_cpu_backtrace_handler+0xd/0x20",
        " ? nmi_handle+0x5d/0x120",
        " ? queued_write_lock_slowpath+0x64/0x124",
        " ? default_do_nmi+0x69/0x170",
        " ? exc_nmi+0x13c/0x170",
        " ? end_repeat_nmi+0x16/0x67",
        " ? queued_write_lock_slowpath+0x64/0x124",
        " </NMI>",
        " <TASK>",
        " __raw_write_lock_irqsave+0x3d/0x50",
        " xen_free_irq+0x43/0x170",
        " unbind_from_irqhandler+0x40/0x80",
        " evtchn_release+0x27/0x8e [xen_evtchn]",
        " __fput+0x91/0x250",
        " task_work_run+0x59/0x90",
        " exit_to_user_mode_loop+0x121/0x150",
        " exit_to_user_mode_prepare+0xaf/0xc0",
        " syscall_exit_to_user_mode+0x17/0x40",
        " do_syscall_64+0x67/0x80",
        " entry_SYSCALL_64_after_hwframe+0x63/0xcd",
    };

    /** 6.2: the backtrace starts at the interrupted code; only its header says what printed it. */
    private static final String[] SWIOTLB = {
        "[ 9639.596311] NMI backtrace for cpu 48",
        "[ 9639.596313] CPU: 48 PID: 1215 Comm: kworker/48:1H Kdump: loaded Tainted: G            E      6.2.0-rc6-swiotlb-upstream-bug-repreduce+ #70",
        "[ 9639.596315] Workqueue: kblockd blk_mq_run_work_fn",
        "[ 9639.596319] RIP: 0010:native_queued_spin_lock_slowpath+0x18/0x2c0",
        "[ 9639.596323] RSP: 0018:ffffc90003e5fb38 EFLAGS: 00000002",
        "[ 9639.596325] RAX: 0000000000000001 RBX: ffff88de5e459adc RCX: 0000000000001000",
        "[ 9639.596326] RDX: 0000000000000001 RSI: 0000000000000001 RDI: ffff88de5e459adc",
        "[ 9639.596327] RBP: ffff88de5e459adc R08: 0000000000000000 R09: ffff888102ab6090",
        "[ 9639.596328] R10: ffff88dad2400000 R11: 00000000001fffff R12: 0000000000000293",
        "[ 9639.596329] R13: 000000000730d000 R14: 0000000000200000 R15: ffffffff83540160",
        "[ 9639.596330] FS:  0000000000000000(0000) GS:ffff88dce5000000(0000) knlGS:0000000000000000",
        "[ 9639.596331] CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033",
        "[ 9639.596332] CR2: 00007fc091da0000 CR3: 000000000640a002 CR4: 0000000000770ee0",
        "[ 9639.596334] DR0: 0000000000000000 DR1: 0000000000000000 DR2: 0000000000000000",
        "[ 9639.596334] DR3: 0000000000000000 DR6: 00000000fffe07f0 DR7: 0000000000000400",
        "[ 9639.596335] PKRU: 55555554",
        "[ 9639.596336] Call Trace:",
        "[ 9639.596337]  <TASK>",
        "[ 9639.596338]  _raw_spin_lock_irqsave+0x37/0x40",
        "[ 9639.596341]  swiotlb_do_find_slots+0xef/0x3e0",
        "[ 9639.596344]  swiotlb_tbl_map_single+0xec/0x1f0",
        "[ 9639.596347]  swiotlb_map+0x5c/0x260",
        "[ 9639.596349]  dma_direct_map_sg+0x7a/0x280",
        "[ 9639.596352]  __dma_map_sg_attrs+0x30/0x70",
        "[ 9639.596355]  dma_map_sgtable+0x1d/0x30",
        "[ 9639.596356]  nvme_map_data+0xce/0x370",
        "[ 9639.596359]  nvme_prep_rq.part.0+0x31/0x120",
        "[ 9639.596362]  nvme_queue_rq+0x77/0x1f0",
        "[ 9639.596364]  blk_mq_dispatch_rq_list+0x17e/0x670",
        "[ 9639.596367]  __blk_mq_sched_dispatch_requests+0x129/0x140",
        "[ 9639.596370]  blk_mq_sched_dispatch_requests+0x34/0x60",
        "[ 9639.596372]  __blk_mq_run_hw_queue+0x91/0xb0",
        "[ 9639.596374]  process_one_work+0x1df/0x3b0",
        "[ 9639.596377]  worker_thread+0x49/0x2e0",
        "[ 9639.596379]  ? rescuer_thread+0x390/0x390",
        "[ 9639.596380]  kthread+0xe5/0x110",
        "[ 9639.596382]  ? kthread_complete_and_exit+0x20/0x20",
        "[ 9639.596383]  ret_from_fork+0x1f/0x30",
        "[ 9639.596387]  </TASK>",
    };

    private static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(Arrays.asList(p));
        }
        return all.toArray(new String[0]);
    }

    @Test
    void aCpuCaughtInTheParavirtSlowPathWithItsHeaderCut() throws IOException {
        Task t = spinning(read(FIRECRACKER), "__pv_queued_spin_lock_slowpath");
        assertThat(t.frames().get(t.frames().size() - 1).function()).isEqualTo("_raw_spin_lock");
    }

    /** The one CPU the evidence's backtrace event names, spinning in {@code lock} and read as running. */
    private static Task spinning(Evidence e, String lock) {
        assertThat(e.events(KernelEventKind.NMI_BACKTRACE)).hasSize(1);
        KernelEvent ev = e.events(KernelEventKind.NMI_BACKTRACE).get(0);
        assertThat(ev.field("lock")).isEqualTo(lock);
        Task t = e.task(ev.pid());
        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        return t;
    }

    @Test
    void aNamedTaskUnderItsBacktraceLine() throws IOException {
        assertThat(spinning(read(MYSQLD), "__pv_queued_spin_lock_slowpath").comm()).isEqualTo("mysqld");
    }

    @Test
    void theRwlockSlowPathCountsAndThePrintLocksStaleFrameDoesNot() throws IOException {
        spinning(read(XEN), "queued_write_lock_slowpath");
        // only the stale frame above the handler: nothing the interrupted code spins in
        String[] above = Arrays.copyOfRange(XEN, 0, 8);
        assertThat(read(above).events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
    }

    @Test
    void theHeaderLineSaysItWhereTheUnwinderPrintedNoNmiFrame() throws IOException {
        assertThat(spinning(read(SWIOTLB), "_raw_spin_lock_irqsave").pid()).isEqualTo(1215);
        // the same dump without its header line is a register dump over a running stack, no backtrace
        assertThat(read(Arrays.copyOfRange(SWIOTLB, 1, SWIOTLB.length)).events(KernelEventKind.NMI_BACKTRACE))
                .isEmpty();
        // an operator's SysRq-l asked for it: no detector, nothing to tell what hung
        assertThat(read(concat(new String[] {"[ 9639.596300] sysrq: Show backtrace of all active CPUs"}, SWIOTLB))
                .events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
    }

    @Test
    void theReportThatAskedReadsTheBacktraceItself() throws IOException {
        Evidence e = read(concat(STALL_HEADER, MYSQLD));
        assertThat(e.events(KernelEventKind.RCU_STALL)).isNotEmpty();
        assertThat(e.events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
    }

    @Test
    void aBacktraceOverCodeThatSpinsOnNoLockIsNone() throws IOException {
        // the same CPU's NMI frames over the halt it was interrupted in, the task part cut off
        assertThat(read(Arrays.copyOfRange(MYSQLD, 0, 27)).events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
        // a spinning stack that no backtrace request printed
        assertThat(read(Arrays.copyOfRange(MYSQLD, 27, MYSQLD.length)).events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
    }

    /**
     * Corpus zk-023 (lore 67478d91.050a0220.253251.0061.GAE@google.com), trimmed: kernel/hung_task.c's report of a
     * blocked task, then its all-CPU backtrace (khungtaskd's own CPU, "Sending NMI from CPU 1 to CPUs 0:").
     */
    private static final String[] HUNG_TASK = concat(RegisterDumpsTest.HUNG_TASK_REPORT,
            Arrays.copyOfRange(RegisterDumpsTest.HUNG_TASK_BACKTRACE, 0, 11));

    @Test
    void aCpuTheHungTaskDetectorsBacktraceCaughtSpinningIsNoStall() throws IOException {
        // the blocked task is the report; the CPU was only in a spin lock when khungtaskd asked
        Evidence e = read(concat(HUNG_TASK, MYSQLD));
        assertThat(e.events(KernelEventKind.HUNG_TASK)).isNotEmpty();
        assertThat(e.events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
        // the same where the unwinder printed no NMI frame (the header says it)
        assertThat(read(concat(HUNG_TASK, SWIOTLB)).events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
    }

    @Test
    void aSpinningBacktraceAboveAHungTaskReportIsStillOne() throws IOException {
        // printed before the hung-task report: not the detector's backtrace
        Evidence e = read(concat(MYSQLD, new String[] {""}, RegisterDumpsTest.HUNG_TASK_REPORT));
        assertThat(e.events(KernelEventKind.HUNG_TASK)).isNotEmpty();
        spinning(e, "__pv_queued_spin_lock_slowpath");
    }

    @Test
    void aWatchdogsBacktraceUnderAHungTaskReportKeepsItsReport() throws IOException {
        // an RCU stall reported after the hung task asked for this CPU's backtrace: the stall's rules read it
        Evidence e = read(concat(RegisterDumpsTest.HUNG_TASK_REPORT, STALL_HEADER, MYSQLD));
        assertThat(e.events(KernelEventKind.RCU_STALL)).isNotEmpty();
        assertThat(e.events(KernelEventKind.NMI_BACKTRACE)).isEmpty();
        assertThat(e.task(8250).state()).isEqualTo(TaskState.RUNNING);
    }

    /** What `analyze` finds in the lines, read as a saved report. */
    private static List<Finding> findings(String[] lines) throws IOException {
        Evidence e = read(lines);
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e).findings();
    }

    @Test
    void theBlockedTaskRanksAboveACpuTheDetectorsBacktraceCaughtSpinning() throws IOException {
        List<Finding> f = findings(concat(HUNG_TASK, MYSQLD));
        assertThat(f).isNotEmpty();
        assertThat(f.get(0).rootCause().pid()).isEqualTo(5857);
        assertThat(f).extracting(Finding::signature).doesNotContain("nmi-backtrace-lock-spin");
        // a stall reported under the hung task: its backtrace keeps the stall's meaning
        assertThat(findings(concat(RegisterDumpsTest.HUNG_TASK_REPORT, STALL_HEADER, MYSQLD)).get(0).signature())
                .isEqualTo("rcu-stall");
        // the spinning CPU's backtrace pasted alone: a detector asked, its report is cut (as before)
        assertThat(findings(MYSQLD).get(0).signature()).isEqualTo("nmi-backtrace-lock-spin");
    }
}
