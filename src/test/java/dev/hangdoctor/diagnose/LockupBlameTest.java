package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Lockup reports name their culprit in the message itself; that task is the blocker even without a stack. */
class LockupBlameTest {

    private static Diagnosis diagnose(String log) throws Exception {
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(
                EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "t"));
    }

    @Test
    void softLockupBlamesTheTaskInBrackets() throws Exception {
        // github.com/madMAx43v3r/chia-plotter issue 535
        Diagnosis d = diagnose("Message from syslogd@plot-071 at Jun 17 13:06:42 ...\n"
                + " kernel:[405108.698255] watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [chia_plot:29632]\n");
        assertThat(d.findings().get(0).category()).isEqualTo(Category.SOFT_LOCKUP);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(29632);
    }

    @Test
    void hardLockupOnAnyKernelIsItsOwnCategory() throws Exception {
        // github.com/Open-CAS/ocf issue 408 (syslog)
        Diagnosis d = diagnose("Oct 11 05:39:13 chi412 kernel: NMI watchdog: Watchdog detected hard LOCKUP on cpu 79\n");
        assertThat(d.findings().get(0).category()).isEqualTo(Category.HARD_LOCKUP);
    }

    @Test
    void rcuStallPastedWithoutItsFirstLineBlamesTheTaskItDumps() throws Exception {
        // sonic-buildimage issue 20368: the paste starts at the stall's "(t=" line, then the CPU's task dump
        Diagnosis d = diagnose("[  572.183244] \t(t=5297 jiffies g=165593 q=95908 ncpus=4)\n"
                + "[  572.183248] CPU: 1 PID: 36 Comm: kworker/u8:2 Tainted: G           O       6.1.0-11-2-amd64 #1"
                + "  Debian 6.1.38-4\n"
                + "[  572.183255] Workqueue: netns cleanup_net\n");
        assertThat(d.findings().get(0).category()).isEqualTo(Category.RCU_STALL);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(36);
    }

    @Test
    void rcuStallsBlockedTaskListAloneNamesTheTaskHoldingTheGracePeriod() throws Exception {
        // hvisor report (6.x): only the "Tasks blocked on" line of the stall was pasted
        Diagnosis d = diagnose("[  471.816490] rcu:     Tasks blocked on level-0 rcu_node (CPUs 0-1): P454/1:b..l P433\n");
        assertThat(d.findings().get(0).category()).isEqualTo(Category.RCU_STALL);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(454);
    }

    /** lore.kernel.org/r/dae8ea77-2bc1-8ee9-b94b-207e2c8e1b8d@google.com: a CPU spins on lru_lock; crash shows its owner. */
    private static final String LRU_LOCK_SPIN = "watchdog: Watchdog detected hard LOCKUP on cpu 173\n"
            + "RIP: 0010:native_queued_spin_lock_slowpath+0x255/0x2a0\n"
            + "Call Trace:\n"
            + "\t_raw_spin_lock_irqsave+0x31/0x40\n"
            + "\tfolio_lruvec_lock_irqsave+0x5f/0x90\n"
            + "\tfolio_batch_move_lru+0x91/0x150\n"
            + "\tlru_add_drain_per_cpu+0x1c/0x40\n"
            + "\tprocess_one_work+0x17d/0x350\n"
            + "\tworker_thread+0x27b/0x3a0\n"
            + "\tkthread+0xe8/0x120\n"
            + "\n"
            + "lruvec->lru_lock owner:\n"
            + "\n";

    private static String runningInCrash(int pid, String comm, String where) {
        return "PID: " + pid + "     TASK: ffff888139214d40  CPU: 40   COMMAND: \"" + comm + "\"\n"
                + " #0 [fffffe0000945e60] crash_nmi_callback at ffffffffa567a555\n"
                + " #1 [fffffe0000945e68] nmi_handle at ffffffffa563b171\n"
                + " #2 [fffffe0000945eb0] default_do_nmi at ffffffffa6575920\n"
                + " #3 [fffffe0000945ed0] exc_nmi at ffffffffa6575af4\n"
                + " #4 [fffffe0000945ef0] end_repeat_nmi at ffffffffa6601dde\n"
                + "    [exception RIP: " + where + "+403]\n"
                + "    RIP: ffffffffa597df53  RSP: ffffc90006fb7c28  RFLAGS: 00000002\n"
                + "    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018\n"
                + "    <NMI exception stack>\n"
                + " #5 [ffffc90006fb7c28] " + where + " at ffffffffa597df53\n"
                + " #6 [ffffc90006fb7cf8] shrink_active_list at ffffffffa597f788\n"
                + " #7 [ffffc90006fb7da8] balance_pgdat at ffffffffa5986db0\n"
                + " #8 [ffffc90006fb7ec0] kswapd at ffffffffa5987354\n"
                + " #9 [ffffc90006fb7ef8] kthread at ffffffffa5748238\n"
                + "crash>\n";
    }

    @Test
    void aLockupSpinningOnALockBlamesTheOneTaskShownRunningElsewhere() throws Exception {
        Diagnosis d = diagnose(LRU_LOCK_SPIN + runningInCrash(2865, "kswapd0", "isolate_lru_folios"));
        Finding f = d.findings().get(0);
        assertThat(f.category()).isEqualTo(Category.HARD_LOCKUP);
        assertThat(f.rootCause().pid()).isEqualTo(2865);
        assertThat(f.blocker()).contains("isolate_lru_folios");
        assertThat(f.chain()).anyMatch(l -> l.contains("likely holds it"));
    }

    @Test
    void twoTasksRunningElsewhereLeaveTheHolderUnnamed() throws Exception {
        Diagnosis d = diagnose(LRU_LOCK_SPIN + runningInCrash(2865, "kswapd0", "isolate_lru_folios")
                + runningInCrash(2866, "kswapd1", "isolate_lru_folios"));
        assertThat(d.findings().get(0).category()).isEqualTo(Category.HARD_LOCKUP);
        assertThat(d.findings().get(0).rootCause()).isNull();
    }

    @Test
    void aCpuShownIdleHoldsNoLock() throws Exception {
        Diagnosis d = diagnose(LRU_LOCK_SPIN + runningInCrash(0, "swapper/40", "intel_idle"));
        assertThat(d.findings().get(0).rootCause()).isNull();
    }

    /**
     * lore.kernel.org/r/CAOUHufbkhMZYz20aM_3rHZ3OcK4m2puji2FGpUpn_-DevGk3Kg@mail.gmail.com (corpus zc-021, quote marks
     * taken off, stacks cut): the lockup names fio on CPU 466 spinning on the lruvec lock in an NVMe interrupt; the
     * all-CPU backtrace shows fio on CPU 75 inside MGLRU's isolate_folios, the lock's holder.
     */
    private static final String LRUVEC_SPIN_NAMED = "watchdog: Watchdog detected hard LOCKUP on cpu 466\n"
            + fioDumpHeader(466, 3103929, "native_queued_spin_lock_slowpath+0x2b4/0x300") + """
               ? watchdog_hardlockup_check+0x1b4/0x3a0
               ? native_queued_spin_lock_slowpath+0x2b4/0x300
               </NMI>
               <IRQ>
               _raw_spin_lock_irqsave+0x5b/0x70
               folio_lruvec_lock_irqsave+0x62/0x90
               folio_batch_move_lru+0x9d/0x160
               folio_rotate_reclaimable+0xab/0xf0
               folio_end_writeback+0x60/0x90
               nvme_irq+0x92/0xe0 [nvme]

            """;

    private static final String FIO_HOLDER = "NMI backtrace for cpu 75\n"
            + fioDumpHeader(75, 3095650, "folio_inc_gen+0x142/0x430") + """
               ? nmi_cpu_backtrace+0xc5/0x130
               ? nmi_cpu_backtrace_handler+0x11/0x20
               ? folio_inc_gen+0x142/0x430
               </NMI>
               <TASK>
               isolate_folios+0x954/0x1630
               evict_folios+0xa5/0x8c0
               try_to_shrink_lruvec+0x1be/0x320
               shrink_one+0x10f/0x1d0

            """;

    /** The report's dump_stack header of a fio task (its release wrapped by the mailer) down to the NMI's first frame. */
    private static String fioDumpHeader(int cpu, int pid, String rip) {
        return "CPU: " + cpu + " PID: " + pid + " Comm: fio Not tainted\n"
                + "6.10.0-rc3-trnct_nvme_lruvecresched_sirq_inode_mglru #32\n"
                + "RIP: 0010:" + rip + "\n"
                + "Call Trace:\n"
                + "   <NMI>\n"
                + "   ? show_regs+0x69/0x80\n";
    }

    @Test
    void aNamedLockupTaskSpinningOnALockIsAWaiterOfTheOneTaskRunningElsewhere() throws Exception {
        Finding f = diagnose(LRUVEC_SPIN_NAMED + FIO_HOLDER).findings().get(0);
        assertThat(f.category()).isEqualTo(Category.HARD_LOCKUP);
        assertThat(f.rootCause().pid()).isEqualTo(3095650);
        assertThat(f.victims()).extracting(TaskRef::pid).contains(3103929);
        assertThat(f.chain()).anyMatch(l -> l.contains("likely holds it"));
    }

    @Test
    void aNamedLockupTaskSpinningAloneStaysTheBlocker() throws Exception {
        assertThat(diagnose(LRUVEC_SPIN_NAMED).findings().get(0).rootCause().pid()).isEqualTo(3103929);
        // two candidates elsewhere: the evidence does not say which one holds the lock
        Finding f = diagnose(LRUVEC_SPIN_NAMED + FIO_HOLDER + runningInCrash(2865, "kswapd0", "isolate_lru_folios"))
                .findings().get(0);
        assertThat(f.rootCause().pid()).isEqualTo(3103929);
    }
}
