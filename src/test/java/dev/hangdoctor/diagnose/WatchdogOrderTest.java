package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A cause comes before the watchdog message that reports it (excerpts of public reports, corpus names per test). */
class WatchdogOrderTest {

    private static Diagnosis diagnose(String log) throws IOException {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "console");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void softLockupOfTheStalledCpuComesBeforeTheRcuStall() throws IOException {
        // corpus b-101 (old RCU format printed first, then the soft lockups of the same CPU)
        Diagnosis d = diagnose("""
                INFO: rcu_sched self-detected stall on CPU { 0} (t=81782271 jiffies g=123789 c=123788 q=21698007)
                NMI watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [runc:[1:CHILD]:358270]
                NMI watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [runc:[1:CHILD]:358270]
                """);
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.SOFT_LOCKUP, Category.RCU_STALL);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(358270);
    }

    @Test
    void anRcuStallOfAnotherCpuKeepsItsPlace() throws IOException {
        Diagnosis d = diagnose("""
                [  100.000000] INFO: rcu_sched self-detected stall on CPU { 3} (t=6000 jiffies g=5 c=4 q=7)
                [  130.000000] NMI watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [runc:[1:CHILD]:358270]
                """);
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.RCU_STALL, Category.SOFT_LOCKUP);
    }

    @Test
    void aSoftLockupPrintedInsideTheRcuStallDumpComesFirst() throws IOException {
        // corpus o-007 (github.com/harvester/harvester/issues/564): the vCPU thread's lockup of CPU 1 (2471 s) is
        // printed five lines into the stall dump of CPUs 9 and 11, the same second (dmesg -T gives no timestamps)
        Diagnosis d = diagnose("""
                [Thu Mar 25 00:50:20 2021] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:
                [Thu Mar 25 00:50:20 2021] rcu:         9-...!: (0 ticks this GP) idle=850/0/0x0 softirq=354327/354327 fqs=1
                [Thu Mar 25 00:50:20 2021] rcu:         11-...!: (0 ticks this GP) idle=dd0/0/0x0 softirq=363050/363050 fqs=1
                [Thu Mar 25 00:50:20 2021]      (detected by 2, t=663225 jiffies, g=890229, q=72)
                [Thu Mar 25 00:50:20 2021] Sending NMI from CPU 2 to CPUs 9:
                [Thu Mar 25 00:50:20 2021] watchdog: BUG: soft lockup - CPU#1 stuck for 2471s! [CPU 0/KVM:31664]
                [Thu Mar 25 00:50:20 2021] NMI backtrace for cpu 9 skipped: idling at native_safe_halt+0xe/0x10
                """);
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.SOFT_LOCKUP, Category.RCU_STALL);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(31664);
    }

    @Test
    void aSoftLockupPrintedLongAfterTheRcuStallFollowsIt() throws IOException {
        // corpus b-074 (cloud-hypervisor guest): the stall of the starved rcu_sched kthread comes 24 s before the
        // first soft lockup; the stall is the report's finding
        Diagnosis d = diagnose("""
                cloud-hypervisor [  740.316315] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:
                cloud-hypervisor [  740.316315] rcu: All QSes seen, last rcu_sched kthread activity 15004 (4295077229-4295062225), jiffies_till_next_fqs=1, root ->qsmask 0x0
                cloud-hypervisor [  740.316315] rcu: rcu_sched kthread starved for 15004 jiffies! g15041 f0x2 RCU_GP_WAIT_FQS(5) ->state=0x0 ->cpu=0
                cloud-hypervisor [  740.316315] rcu:     Unless rcu_sched kthread gets sufficient CPU time, OOM is now expected behavior.
                cloud-hypervisor [  764.649502] watchdog: BUG: soft lockup - CPU#0 stuck for 79s! [systemd:1]
                cloud-hypervisor [  792.664313] watchdog: BUG: soft lockup - CPU#0 stuck for 105s! [systemd:1]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.RCU_STALL, Category.SOFT_LOCKUP);
    }

    /** corpus t-001 (github.com/AMDESE/AMDSEV/issues/221): the SNP guest's RCU stall, which names no task. */
    private static final String GUEST_STALL = """
            [   24.713693] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:
            [   24.715447] rcu: \t9-...0: (1 ticks this GP) idle=9d74/1/0x4000000000000000 softirq=30/30 fqs=2062
            [   24.718017] rcu: \t(detected by 20, t=5252 jiffies, g=-831, q=85 ncpus=24)
            """;

    /** t-001's host: the syslogd wall broadcast of the qemu vCPU thread's soft lockup, 4796 s after its boot. */
    private static final String HOST_LOCKUP = """

            Message from syslogd@ns31614456 at Jul 11 03:12:58 ...
             kernel:[ 4796.249920] watchdog: BUG: soft lockup - CPU#24 stuck for 26s! [qemu-system-x86:263413]
            """;

    @Test
    void aSoftLockupBegunLongAfterAnRcuStallThatNamesNoTaskComesFirst() throws IOException {
        // the stall at 24 s, the lockup begun at 4770 s: the lockup names the task, the stall none
        Diagnosis d = diagnose(GUEST_STALL + "[   24.719390] Sending NMI from CPU 20 to CPUs 9:\n" + HOST_LOCKUP);
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.SOFT_LOCKUP, Category.RCU_STALL);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(263413);
    }

    @Test
    void aStampedSoftLockupAfterAnUnstampedRcuStallComesFirst() throws IOException {
        // the guest's lines as dmesg -T prints them (wall clock, no time since boot) and the host's broadcast with
        // its dmesg stamp: two logs on two clocks, their order in the paste says nothing
        Diagnosis d = diagnose(GUEST_STALL.replaceAll("\\[ +24\\.[0-9]+\\]", "[Thu Jul 11 01:52:24 2024]")
                + HOST_LOCKUP);
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.SOFT_LOCKUP, Category.RCU_STALL);
    }

    @Test
    void aSoftLockupBegunWhileTheStallCouldStillBeWarningFollowsIt() throws IOException {
        // the lockup begun 60 s after the stall warning (RCU warns again within three stall timeouts of a grace
        // period still stalled): one episode, the first message leads
        Diagnosis d = diagnose(GUEST_STALL
                + "[  110.249920] watchdog: BUG: soft lockup - CPU#23 stuck for 26s! [qemu-system-x86:263413]\n");
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.RCU_STALL, Category.SOFT_LOCKUP);
    }

    @Test
    void aLaterStallWarningJoinsTheEpisodes() throws IOException {
        // the stall warned of again after the lockup began: the stall may be its cause, time decides
        Diagnosis d = diagnose(GUEST_STALL + GUEST_STALL.replace("   24.7", " 4780.7")
                + "[ 4796.249920] watchdog: BUG: soft lockup - CPU#23 stuck for 26s! [qemu-system-x86:263413]\n");
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.RCU_STALL, Category.SOFT_LOCKUP);
    }

    @Test
    void theMemcgChargeLoopExplainsTheSoftLockupOfItsCharger() throws IOException {
        // corpus b-082 (linux-mm): the charger loops in memcg reclaim after the OOM kill and soft-locks the CPU
        Diagnosis d = diagnose("""
                [   64.125436] Memory cgroup out of memory: Killed process 808 (repro) total-vm:10444kB, anon-rss:2048kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:56kB oom_score_adj:0
                [   92.054231] watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [repro:806]
                [   92.054300] CPU: 0 PID: 806 Comm: repro Not tainted 5.6.0-rc5+ #136
                [   92.054400] Call Trace:
                [   92.054410]  shrink_node+0x2f4/0x430
                [   92.054420]  do_try_to_free_pages+0xdb/0x3a0
                [   92.054430]  try_to_free_mem_cgroup_pages+0xf6/0x1d0
                [   92.054440]  try_charge+0x28a/0x770
                [   92.054450]  mem_cgroup_try_charge+0x82/0x1f0
                [   92.054460]  handle_mm_fault+0x5e5/0xa60
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.MEMCG_OOM, Category.SOFT_LOCKUP);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(806);
        assertThat(d.findings().get(0).victims()).noneMatch(v -> v.pid() == 806);
    }

    @Test
    void theFirstWatchdogMessageLeadsWhenNothingLinksThem() throws IOException {
        // corpus b-086 (core scheduling): soft lockups first, then an RCU stall and hard lockups on other CPUs
        Diagnosis d = diagnose("""
                [  186.527883] watchdog: BUG: soft lockup - CPU#86 stuck for 22s! [uperf:5551]
                [  187.547884] rcu: INFO: rcu_sched self-detected stall on CPU
                [  187.553760] rcu: \t40-....: (14997 ticks this GP) idle=49a/1/0x4000000000000002 softirq=1711/1711 fqs=7279
                [  187.564685] NMI watchdog: Watchdog detected hard LOCKUP on cpu 14
                """);
        assertThat(d.findings()).extracting(Finding::category)
                .containsExactly(Category.SOFT_LOCKUP, Category.RCU_STALL, Category.HARD_LOCKUP);
    }

    @Test
    void aSoftLockupAndAnRcuStallRunIntoOneLineLeadWithTheLockup() throws IOException {
        // corpus m-004 (echse-net.eu, Proxmox 9 guests): the page ran the two guest messages into one line, no stamps
        Diagnosis d = diagnose("""
                BUG: soft lockup - CPU#X stuck for XXs!rcu: INFO: rcu_preempt detected stalls on CPUs/tasks
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.SOFT_LOCKUP, Category.RCU_STALL);
    }

    @Test
    void withoutTimestampsTheLineOrderDecides() throws IOException {
        // corpus b-086's messages without their stamps: the RCU stall printed first keeps its place
        Diagnosis d = diagnose("""
                rcu: INFO: rcu_sched self-detected stall on CPU
                rcu: \t40-....: (14997 ticks this GP) idle=49a/1/0x4000000000000002 softirq=1711/1711 fqs=7279
                watchdog: BUG: soft lockup - CPU#86 stuck for 22s! [uperf:5551]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.RCU_STALL, Category.SOFT_LOCKUP);
    }

    @Test
    void aRetypedTailOfStallSoftAndHardLockupOfOneCpuLeadsWithTheHardLockup() throws IOException {
        // corpus w-021 (github.com/ElektraInitiative/libelektra issue 160): the admin's retyped console tail before
        // the machine froze, no stamps, the stall's CPU lines left out as "..."
        Diagnosis d = diagnose("""
                INFO: rcu_sched detected stalls on CPUs/tasks:
                ...
                rcu_sched kthread starved for 7770 jiffies
                watchdog: BUG soft lockup - CPU#2 stuck for 22s! [docker-gen]
                ... (many repetitions)
                NMI watchdog: Watchdog detected hard LOCKUP on cpu 2
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.HARD_LOCKUP);
    }

    @Test
    void aHardLockupOfAnotherCpuDoesNotOvertakeASoftLockup() throws IOException {
        Diagnosis d = diagnose("""
                watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [uperf:5551]
                NMI watchdog: Watchdog detected hard LOCKUP on cpu 14
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.SOFT_LOCKUP, Category.HARD_LOCKUP);
    }
    @Test
    void anRcuStallAndASoftLockupOfOneCpuButTwoTasksKeepTheirTimeOrder() throws IOException {
        // corpus v-009 (linux-nfs, LTP exportfs): the stall dumps exportfs:1008 on CPU 0; the soft lockup of CPU 0
        // names exportfs:1180, another task (another run, on another machine): the CPU switched tasks between the
        // two, so they are two episodes and the stall, printed first, leads
        Diagnosis d = diagnose("""
                [  326.587135] rcu: INFO: rcu_preempt self-detected stall on CPU
                [  326.587168] rcu: \t0-....: (5249 ticks this GP) idle=cf74/1/0x4000000000000000 softirq=7256/7256 fqs=2484
                [  326.587187] \t(t=5250 jiffies g=4009 q=388 ncpus=2)
                [  326.587191] NMI backtrace for cpu 0
                [  326.587192] CPU: 0 PID: 1008 Comm: exportfs Not tainted 5.19.0 #4
                [  326.587199] Call Trace:
                [  326.587212]  <IRQ>
                [  326.587216]  dump_stack_lvl+0x45/0x5e
                [  326.587231]  nmi_cpu_backtrace.cold+0x30/0x76
                [  326.587241]  nmi_trigger_cpumask_backtrace+0x10c/0x140
                [  326.587517]  </TASK>
                [ 7972.371206] watchdog: BUG: soft lockup - CPU#0 stuck for 44s! [exportfs:1180]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.RCU_STALL, Category.SOFT_LOCKUP);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(1008);
    }

    @Test
    void aSoftLockupOfTheTaskTheStallDumpedLeadsIt() throws IOException {
        // corpus r-020 (arm64 kcompactd4): the stall's task dump and the later soft lockup name one task on CPU 65
        Diagnosis d = diagnose("""
                [32380.382030] rcu: INFO: rcu_sched self-detected stall on CPU
                [32380.388373] rcu:     65-....: (3920456 ticks this GP) idle=b2e/1/0x4000000000000002 softirq=1073098/1073098 fqs=1552284
                [32380.405448] Task dump for CPU 65:
                [32380.409429] task:kcompactd4      state:R  running task     stack:    0 pid:  925 ppid:     2 flags:0x0000002a
                [32407.273314] watchdog: BUG: soft lockup - CPU#65 stuck for 22s! [kcompactd4:925]
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.SOFT_LOCKUP, Category.RCU_STALL);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(925);
    }

    @Test
    void aSoftLockupInTheMemcgOomKillersOwnReportIsTheLockup() throws IOException {
        // corpus v-023 (cgroups list, 56,000 tasks in one memory cgroup): the charger runs the OOM killer, whose task
        // list printed line by line (dump_header -> mem_cgroup_scan_tasks -> dump_task) keeps its CPU 23 s: the kill
        // itself loops, no charger waits at the limit, so the soft lockup leads
        Diagnosis d = diagnose("""
                watchdog: BUG: soft lockup - CPU#2 stuck for 23s! [VM Thread:1503066]
                CPU: 2 PID: 1503066 Comm: VM Thread Kdump: loaded Tainted: G
                Hardware name: Huawei Cloud OpenStack Nova, BIOS
                RIP: 0010:console_unlock+0x343/0x540
                Call Trace:
                 vprintk_emit+0x193/0x280
                 printk+0x52/0x6e
                 dump_task+0x114/0x130
                 mem_cgroup_scan_tasks+0x76/0x100
                 dump_header+0x1fe/0x210
                 oom_kill_process+0xd1/0x100
                 out_of_memory+0x125/0x570
                 mem_cgroup_out_of_memory+0xb5/0xd0
                 try_charge+0x720/0x770
                 mem_cgroup_try_charge+0x86/0x180
                 mem_cgroup_try_charge_delay+0x1c/0x40
                 do_anonymous_page+0xb5/0x390
                 handle_mm_fault+0xc4/0x1f0
                """);
        assertThat(d.findings()).extracting(Finding::category).startsWith(Category.SOFT_LOCKUP);
        assertThat(d.findings().get(0).rootCause().pid()).isEqualTo(1503066);
        assertThat(d.findings()).extracting(Finding::category).contains(Category.MEMCG_OOM);
    }
}
