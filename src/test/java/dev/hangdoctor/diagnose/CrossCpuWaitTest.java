package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.hangdoctor.diagnose.UnclassifiedBlockerTest.first;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A locked-up CPU spinning until the others answer (the CPU stopper's multi_cpu_stop, a cross-CPU call) is a victim
 * when the report shows another CPU locked up elsewhere; alone, it stays the one the watchdog names.
 */
class CrossCpuWaitTest {

    /** lore.kernel.org/r/296c2b3f-6748-158f-b85d-2952165c0588@google.com (arm64, DAMON vs CPU hotplug). */
    private static final String STOPPER = """
            watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [migration/0:957]
            CPU: 0 PID: 957 Comm: migration/0 Kdump: loaded Tainted:
            Stopper: multi_cpu_stop+0x0/0x1e8 <- __stop_cpus.constprop.0+0x5c/0xb0
            pstate: 61400009 (nZCv daif +PAN -UAO -TCO +DIT -SSBS BTYPE=--)
            pc : rcu_momentary_dyntick_idle+0x4c/0xa0
            lr : multi_cpu_stop+0x10c/0x1e8
            sp : ffff800086013d60
            Call trace:
             rcu_momentary_dyntick_idle+0x4c/0xa0
             multi_cpu_stop+0x10c/0x1e8
             cpu_stopper_thread+0xdc/0x1c0
             smpboot_thread_fn+0x140/0x190
             kthread+0xec/0x100
             ret_from_fork+0x10/0x20

            """;

    private static final String LOOPER = """
            watchdog: BUG: soft lockup - CPU#18 stuck for 26s! [kdamond.0:408949]
            CPU: 18 PID: 408949 Comm: kdamond.0 Kdump: loaded Tainted:
            pstate: 61400009 (nZCv daif +PAN -UAO -TCO +DIT -SSBS BTYPE=--)
            pc : damon_mkold_pmd_entry+0x138/0x1d8
            lr : damon_mkold_pmd_entry+0x68/0x1d8
            sp : ffff8000c384bb00
            Call trace:
             damon_mkold_pmd_entry+0x138/0x1d8
             walk_pmd_range.isra.0+0x1ac/0x3a8
             walk_pud_range+0x120/0x190
             walk_pgd_range+0x170/0x1b8
             __walk_page_range+0x184/0x198
             walk_page_range+0x124/0x1f0
             damon_va_prepare_access_checks+0xb4/0x1b8
             kdamond_fn+0x11c/0x690
             kthread+0xec/0x100
             ret_from_fork+0x10/0x20
            """;

    @Test
    void theStopperWaitsForTheCpuThatLoops() throws Exception {
        Finding f = first(STOPPER + LOOPER);
        assertThat(f.category()).isEqualTo(Category.SOFT_LOCKUP);
        assertThat(f.rootCause().pid()).isEqualTo(408949);
        assertThat(f.victims()).extracting(TaskRef::pid).contains(957);
        assertThat(f.chain()).anyMatch(l -> l.startsWith("migration/0:957 (R) spins in multi_cpu_stop")
                && l.contains("kdamond.0:408949"));
    }

    @Test
    void theStopperAloneIsStillTheOneTheWatchdogNames() throws Exception {
        Finding f = first(STOPPER);
        assertThat(f.rootCause().pid()).isEqualTo(957);
        assertThat(f.chain()).noneMatch(l -> l.contains("spins in"));
    }

    @Test
    void aStopperThreadWithoutAStackIsTheVictimOfTheOtherLockedUpCpu() throws Exception {
        // corpus b-100 (a kubeasz node, syslog lines only): CPU 19's stopper and CPU 34's runc child, again and again
        Finding f = first("""
                Aug 25 21:55:29 localhost kernel: NMI watchdog: BUG: soft lockup - CPU#19 stuck for 22s! [migration/19:104]
                Aug 25 21:55:45 localhost kernel: NMI watchdog: BUG: soft lockup - CPU#34 stuck for 22s! [runc:[1:CHILD]:185318]
                Aug 25 21:55:57 localhost kernel: NMI watchdog: BUG: soft lockup - CPU#19 stuck for 22s! [migration/19:104]
                """);
        assertThat(f.rootCause().pid()).isEqualTo(185318);
        assertThat(f.victims()).extracting(TaskRef::pid).contains(104);
        assertThat(f.chain()).anyMatch(l -> l.startsWith("migration/19:104 (R) spins in the CPU stopper thread"));
        // alone, it is still the one the watchdog names
        assertThat(first("""
                Aug 25 21:55:29 localhost kernel: NMI watchdog: BUG: soft lockup - CPU#19 stuck for 22s! [migration/19:104]
                """).rootCause().pid()).isEqualTo(104);
    }

    private static Task running(String... functions) {
        return new Task(1).state(TaskState.RUNNING).frames(Arrays.stream(functions).map(Frame::of).toList());
    }

    @Test
    void theWaitIsReadPastItsLoopHelpersOnly() {
        // the stopper's loop as printed under the watchdog (the stack above, without the Stopper: line)
        assertThat(CrossCpuWaits.of(running("rcu_momentary_dyntick_idle", "multi_cpu_stop", "cpu_stopper_thread",
                "smpboot_thread_fn", "kthread"))).isEqualTo("multi_cpu_stop");
        // corpus r-003 (arm64 5.10, crash bt of migration/90): multi_cpu_stop's own frame is not printed
        assertThat(CrossCpuWaits.of(running("rcu_momentary_dyntick_idle", "cpu_stopper_thread", "smpboot_thread_fn",
                "kthread"))).isEqualTo("rcu_momentary_dyntick_idle");
        // a cross-CPU call spinning for its targets (kernel/smp.c)
        assertThat(CrossCpuWaits.of(running("smp_call_function_many_cond", "on_each_cpu_cond_mask",
                "flush_tlb_mm_range"))).isEqualTo("smp_call_function_many_cond");
        // the function the stopper ran, looping itself, is no wait for others; nor is a loop that only called
        // smp_call_function_many long before
        assertThat(CrossCpuWaits.of(running("take_cpu_down", "multi_cpu_stop", "cpu_stopper_thread"))).isNull();
        assertThat(CrossCpuWaits.of(running("damon_mkold_pmd_entry", "walk_pmd_range.isra.0",
                "smp_call_function_many"))).isNull();
    }
}
