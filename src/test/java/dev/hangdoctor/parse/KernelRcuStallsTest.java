package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.KernelEvent;
import dev.hangdoctor.model.KernelEventKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stall report pasted from one of its later lines (kernel/rcu/tree_stall.h, kernel/rcu/tree.c before 4.20):
 * "All QSes seen", the grace-period kthread's starvation lines, an expedited stall's "blocking rcu_node structures".
 */
class KernelRcuStallsTest {
    private final Evidence evidence = new Evidence();
    private final KernelEventSink sink = new KernelEventSink(evidence, "kern.log");
    private long lineNo;

    private void feed(String raw) {
        sink.accept(KernelLogPrefix.strip(raw, ++lineNo));
    }

    private List<KernelEvent> stalls() {
        sink.finish();
        return evidence.events(KernelEventKind.RCU_STALL);
    }

    @Test
    void allQsesSeenWithoutItsHeaderIsAStall() {
        // corpus l-025 (OP-TEE on QEMU arm, 4.x: no "rcu: " before it, no timestamp)
        feed("All QSes seen, last rcu_sched kthread activity 52542 (33804--18738), jiffies_till_next_fqs=1, root ->qsmask 0x0");
        List<KernelEvent> events = stalls();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).fields()).containsEntry("kind", "detected").doesNotContainKey("flavor");
    }

    @Test
    void theGracePeriodKthreadsLinesAloneAreAStall() {
        // syzbot reports as quoted on public lists (6.x, "rcu: " before each line)
        feed("rcu: \tUnless rcu_preempt kthread gets sufficient CPU time, OOM is now expected behavior.");
        assertThat(stalls()).hasSize(1);
    }

    @Test
    void aTimerWakeupLineOrAnExpeditedStallsNodeLineAloneIsAStall() {
        feed("rcu: rcu_preempt kthread timer wakeup didn't happen for 10501 jiffies! g24761 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x402");
        sink.finish();
        assertThat(evidence.events(KernelEventKind.RCU_STALL)).hasSize(1);
        Evidence other = new Evidence();
        KernelEventSink s = new KernelEventSink(other, "kern.log");
        s.accept(KernelLogPrefix.strip("[    6.601802] rcu: blocking rcu_node structures (internal RCU debug):", 1));
        s.finish();
        assertThat(other.events(KernelEventKind.RCU_STALL)).extracting(e -> e.fields().get("kind"))
                .containsExactly("expedited");
    }

    @Test
    void proseNamingTheLinesIsNoStall() {
        feed("All QSes seen is what the log said");
        feed("Unless you have a kernel with the fix, it hangs");
        assertThat(stalls()).isEmpty();
    }
    @Test
    void aTaskDumpForACpuWithoutItsStallHeaderIsAStallOfThatCpu() {
        // corpus zb-016 (dCache/dcache issue 3787): the paste starts below the stall's lines
        feed("[101631.116581]  [<ffffffffa080761e>] ? system_call_fast_compare_end+0xc/0xb7");
        feed("[101631.116582] Task dump for CPU 1:");
        feed("[101631.116584] java            R  running task        0 18387      1 0x00000008");
        List<KernelEvent> events = stalls();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).cpu()).isEqualTo(1);
        assertThat(events.get(0).fields()).containsEntry("cpus", "1").containsEntry("from", "task-dump")
                .doesNotContainKey("flavor");
    }

    @Test
    void aTaskDumpUnderItsStallHeaderIsThatReportsAndMakesNoSecondStall() {
        // corpus h-021 (moby/moby issue 34293, 4.x): the header, the per-CPU lines, then the dump of CPU 0
        feed("Jul 28 04:24:10 kernel: INFO: rcu_sched detected stalls on CPUs/tasks:");
        feed("Jul 28 04:24:10 kernel:         0-...: (1 GPs behind) idle=fcd/140000000000001/0 softirq=392901330/392901331 fqs=0");
        feed("Jul 28 04:24:10 kernel:         (detected by 2, t=8043 jiffies, g=269718727, c=269718726, q=4790)");
        feed("Jul 28 04:24:10 kernel: Task dump for CPU 0:");
        feed("Jul 28 04:24:10 kernel: dockerd         R  running task        0  1455      1 0x00000008");
        List<KernelEvent> events = stalls();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).fields()).containsEntry("flavor", "rcu_sched").doesNotContainKey("from");
    }

    @Test
    void aTaskDumpAfterACsdLockReportIsNoRcuStall() {
        // kernel/smp.c csd_lock_wait_toolong calls dump_cpu_task for the CPU that does not answer right after its
        // own lines; the csd lines are a customer's log quoted on LKML in the thread of Juergen Gross's patch "kernel/smp:
        // add more data to CSD lock debugging", the dump line the one dump_cpu_task prints for that CPU
        feed("smp: csd: Detected non-responsive CSD lock (#1) on CPU#18, waiting 5000000046 ns for CPU#06"
                + " do_flush_tlb_all+0x0/0x30(          (null)).");
        feed("smp: \tcsd: CSD lock (#1) unresponsive.");
        feed("smp: \tcsd: cnt(0000000): 0000->0000 queue");
        feed("Task dump for CPU 6:");
        assertThat(stalls()).isEmpty();
    }

    @Test
    void onlyTheKernelsOwnLineMakesAStall() {
        // the function quoted in a reply, or the words inside prose, are no dump
        feed("void dump_cpu_task(int cpu) { pr_info(\"Task dump for CPU %d:\\n\", cpu); }");
        feed("Task dump for CPU 3: see the attached file");
        feed("Task dump for CPU x:");
        assertThat(stalls()).isEmpty();
    }
}
