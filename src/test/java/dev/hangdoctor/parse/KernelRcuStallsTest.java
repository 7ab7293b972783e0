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
}
