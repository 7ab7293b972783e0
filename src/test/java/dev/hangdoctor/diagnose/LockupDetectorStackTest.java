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
 * A stack that runs through a lockup detector's own callback is that detector's report even when its message line
 * was not pasted: the lockup is read from the frames, less surely than from the kernel's own words.
 */
class LockupDetectorStackTest {

    /**
     * syzbot, arm64 6.16 (extid=40bf00346c3fe40f90f2): the softlockup_panic dump; panic() never returns, so its
     * return address is named after the function that follows watchdog_timer_fn, softlockup_fn+0x0
     */
    private static final String SOFTLOCKUP_PANIC_DUMP = """
            [   28.402010][    C0] Call trace:
            [   28.402616][    C0]  show_stack+0x2c/0x3c (C)
            [   28.403440][    C0]  __dump_stack+0x30/0x40
            [   28.404226][    C0]  dump_stack_lvl+0x30/0x12c
            [   28.405041][    C0]  dump_stack+0x1c/0x28
            [   28.405796][    C0]  panic+0x2bc/0x7ac
            [   28.406498][    C0]  softlockup_fn+0x0/0x120
            [   28.407308][    C0]  __hrtimer_run_queues+0x3ec/0xb78
            [   28.408244][    C0]  hrtimer_interrupt+0x2b8/0xb50
            [   28.409119][    C0]  arch_timer_handler_virt+0x74/0x88
            [   28.410058][    C0]  handle_percpu_devid_irq+0x174/0x308
            [   28.411034][    C0]  generic_handle_domain_irq+0xe0/0x140
            [   28.412032][    C0]  gic_handle_irq+0x6c/0x190
            [   28.412871][    C0]  call_on_irq_stack+0x24/0x30
            [   28.413727][    C0]  do_interrupt_handler+0xd4/0x138
            [   28.414644][    C0]  el1_interrupt+0x34/0x54
            [   28.415456][    C0]  el1h_64_irq_handler+0x18/0x24
            [   28.416359][    C0]  el1h_64_irq+0x6c/0x70
            [   28.417119][    C0]  queued_spin_lock_slowpath+0x138/0xaec (P)
            [   28.418204][    C0]  do_raw_spin_lock+0x2a8/0x2cc
            [   28.419055][    C0]  _raw_spin_lock_bh+0x50/0x60
            [   28.419902][    C0]  sockopt_lock_sock+0x9c/0x144
            """;

    private static Diagnosis diagnose(String report) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void aSoftLockupPanicsReturnIntoTheNextFunctionIsStillTheDetector() throws Exception {
        Finding f = diagnose(SOFTLOCKUP_PANIC_DUMP).findings().get(0);
        assertThat(f.category()).isEqualTo(Category.SOFT_LOCKUP);
        assertThat(f.confidence()).isLessThanOrEqualTo(0.6);
    }

    @Test
    void theKernelsOwnLineIsSurerThanTheStackAlone() throws Exception {
        // the same report's BUG line (its terminal wrap joined again)
        Finding f = diagnose("[   28.336626][    C0] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [swapper/0:1]\n"
                + SOFTLOCKUP_PANIC_DUMP).findings().get(0);
        assertThat(f.category()).isEqualTo(Category.SOFT_LOCKUP);
        assertThat(f.confidence()).isGreaterThan(diagnose(SOFTLOCKUP_PANIC_DUMP).findings().get(0).confidence());
    }

    @Test
    void aHardLockupsNmiDumpWithoutItsLine() throws Exception {
        // github.com/coreos/bugs issue 2655 (corpus c-012): the NMI backtrace through watchdog_overflow_callback
        Finding f = diagnose("""
                <4>[1401585.395821]  [<ffffffff8b129665>] watchdog_overflow_callback+0xd5/0xe0
                <4>[1401585.395822]  [<ffffffff8b16cf7f>] __perf_event_overflow+0x7f/0x1c0
                <4>[1401585.395822]  [<ffffffff8b178a44>] perf_event_overflow+0x14/0x20
                <4>[1401585.395822]  [<ffffffff8b00c884>] intel_pmu_handle_irq+0x1e4/0x4a0
                <4>[1401585.395825]  [<ffffffff8b005a3d>] perf_event_nmi_handler+0x2d/0x50
                <4>[1401585.395825]  [<ffffffff8b0320f6>] nmi_handle+0x66/0x120
                <4>[1401585.395825]  [<ffffffff8b032674>] default_do_nmi+0x44/0x110
                <4>[1401585.395826]  [<ffffffff8b03282c>] do_nmi+0xec/0x140
                <4>[1401585.395826]  [<ffffffff8b5d6721>] end_repeat_nmi+0x1a/0x1e
                <4>[1401585.395826]  [<ffffffff8b0ca613>] ? native_queued_spin_lock_slowpath+0x113/0x1a0
                """).findings().get(0);
        assertThat(f.category()).isEqualTo(Category.HARD_LOCKUP);
        assertThat(f.confidence()).isLessThanOrEqualTo(0.6);
    }

    @Test
    void aDumpOfTheSameSpinlockByAnotherCheckIsNoLockup() throws Exception {
        // the same syzbot report, earlier: spinlock debugging's own dump of the lock the CPU later spun on
        Diagnosis d = diagnose("""
                [    2.513136][    T1] BUG: spinlock recursion on CPU#0, swapper/0/1
                [    2.513196][    T1] Call trace:
                [    2.513199][    T1]  show_stack+0x2c/0x3c (C)
                [    2.513209][    T1]  __dump_stack+0x30/0x40
                [    2.513222][    T1]  dump_stack_lvl+0xd8/0x12c
                [    2.513235][    T1]  dump_stack+0x1c/0x28
                [    2.513247][    T1]  spin_dump+0x104/0x1ec
                [    2.513259][    T1]  do_raw_spin_lock+0x1e0/0x2cc
                [    2.513273][    T1]  _raw_spin_lock_bh+0x50/0x60
                [    2.513284][    T1]  sockopt_lock_sock+0x9c/0x144
                """);
        assertThat(d.findings()).extracting(Finding::category)
                .doesNotContain(Category.SOFT_LOCKUP, Category.HARD_LOCKUP);
    }
}
