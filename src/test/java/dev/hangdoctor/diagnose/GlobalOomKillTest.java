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
 * A system-wide OOM kill handed in as the evidence of a "hang" is said for what it is (the host ran out of memory,
 * whom the kernel killed and what it held), with little confidence, never over another reading, never for a memory
 * cgroup's OOM, and never in a live scan or the node agent, whose kernel log holds such old kills too.
 */
class GlobalOomKillTest {

    /** github.com/redis/redis issue 2136 (3.13, Xen): the invoker's dump, cut before the kill line */
    private static final String CRON_INVOKER = """
            [605806.165743] cron invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0
            [605806.165748] cron cpuset=/ mems_allowed=0
            [605806.165750] CPU: 7 PID: 1401 Comm: cron Not tainted 3.13.0-29-generic #53-Ubuntu
            [605806.165751] Hardware name: Xen HVM domU, BIOS 4.2.amazon 06/02/2014
            [605806.165761] Call Trace:
            [605806.165768]  [<ffffffff8171a214>] dump_stack+0x45/0x56
            [605806.165771]  [<ffffffff81714b4f>] dump_header+0x7f/0x1f1
            [605806.165774]  [<ffffffff81151a7e>] oom_kill_process+0x1ce/0x330
            [605806.165778]  [<ffffffff812d35e5>] ? security_capable_noaudit+0x15/0x20
            [605806.165780]  [<ffffffff811521b4>] out_of_memory+0x414/0x450
            [605806.165783]  [<ffffffff8115843c>] __alloc_pages_nodemask+0xa5c/0xb80
            [605806.165786]  [<ffffffff811964e3>] alloc_pages_current+0xa3/0x160
            [605806.165789]  [<ffffffff8114e677>] __page_cache_alloc+0x97/0xc0
            [605806.165792]  [<ffffffff81150085>] filemap_fault+0x185/0x410
            [605806.165795]  [<ffffffff811749af>] __do_fault+0x6f/0x530
            [605806.165798]  [<ffffffff81178b52>] handle_mm_fault+0x492/0xf10
            """;

    /** github.com/redis/redis issue 2174 (2.6.32 alios6): the kill lines only, as 2.6-4.18 word them */
    private static final String REDIS_KILLED = """
            Nov 29 01:00:04 localhost kernel: Out of memory: Kill process 21578 (redis-server) score 555 or sacrifice child
            Nov 29 01:00:04 localhost kernel: Killed process 21578, UID 503, (redis-server) total-vm:9100804kB, anon-rss:9066596kB, file-rss:64kB
            """;

    /**
     * github.com/greenbone/greenbone-container-images issue 18 (5.x): a global OOM whose victim runs in a docker
     * container: the cpuset and task_memcg are the container's, the constraint says the OOM was the host's
     */
    private static final String CONTAINER_VICTIM_GLOBAL = """
            Sep 18 14:11:05 ITSM02 kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=docker-65dd470fde11d33d27a502c2e9aef0d0d01dc287d15746f68807275f63050d52.scope,mems_allowed=0,global_oom,task_memcg=/system.slice/docker-1def25045ac5ffb3f939d482581ed9ce4050d5ad08c31c4f0b86d57008537e0b.scope,task=redis-server,pid=3496,uid=100
            Sep 18 14:11:05 ITSM02 kernel: Out of memory: Killed process 3496 (redis-server) total-vm:19497288kB, anon-rss:12841672kB, file-rss:0kB, shmem-rss:0kB, UID:100 pgtables:33344kB oom_score_adj:0
            Sep 18 14:11:06 ITSM02 kernel: oom_reaper: reaped process 3496 (redis-server), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB
            """;

    /** github.com/harvester/harvester issue 2419 (5.3 SLE): a memory cgroup's OOM reaches out_of_memory too */
    private static final String MEMCG_INVOKER = """
            Jun 23 10:10:34 hv kernel: CPU 2/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=872
            Jun 23 10:10:34 hv kernel: CPU: 3 PID: 10612 Comm: CPU 2/KVM Tainted: G          I    X    5.3.18-150300.59.63-default #1 SLE15-SP3
            Jun 23 10:10:34 hv kernel: Hardware name: Dell Inc. PowerEdge R440/04JN2K, BIOS 2.13.3 12/17/2021
            Jun 23 10:10:34 hv kernel: Call Trace:
            Jun 23 10:10:34 hv kernel:  dump_stack+0x66/0x8b
            Jun 23 10:10:34 hv kernel:  dump_header+0x4a/0x200
            Jun 23 10:10:34 hv kernel:  oom_kill_process+0xe8/0x130
            Jun 23 10:10:34 hv kernel:  out_of_memory+0x105/0x510
            Jun 23 10:10:34 hv kernel:  mem_cgroup_out_of_memory+0xb5/0xd0
            Jun 23 10:10:34 hv kernel:  try_charge+0x7c0/0x800
            Jun 23 10:10:34 hv kernel:  ? __alloc_pages_nodemask+0x15d/0x320
            Jun 23 10:10:34 hv kernel:  mem_cgroup_try_charge+0x70/0x190
            Jun 23 10:10:34 hv kernel:  mem_cgroup_try_charge_delay+0x1c/0x40
            Jun 23 10:10:34 hv kernel:  __handle_mm_fault+0x969/0x1260
            """;

    /** access.redhat.com/solutions/6958243 (3.10 RHEL 7): a memory cgroup's kill, its invoker in cpuset=/ */
    private static final String MEMCG_TASK_IN = """
            Nov 1 16:11:42 lab kernel: s1-agent invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0
            Nov 1 16:11:42 lab kernel: s1-agent cpuset=/ mems_allowed=0-1
            Nov 1 16:11:42 lab kernel: Task in /agent killed as a result of limit of /agent
            Nov 1 16:11:42 lab kernel: memory: usage 1048576kB, limit 1048576kB, failcnt 1559756
            """;

    private static Evidence read(String report) throws Exception {
        return EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
    }

    private static Diagnosis diagnose(Evidence e) {
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    private static Diagnosis handedIn(String report) throws Exception {
        Evidence e = read(report);
        e.savedReport(true);
        return diagnose(e);
    }

    private static List<String> signatures(Diagnosis d) {
        return d.findings().stream().map(Finding::signature).toList();
    }

    @Test
    void theInvokersDumpThroughThePageAllocatorIsTheHostRunningOutOfMemory() throws Exception {
        Diagnosis d = handedIn(CRON_INVOKER);
        assertThat(signatures(d)).containsExactly("global-oom-kill");
        Finding f = d.findings().get(0);
        assertThat(f.category()).isEqualTo(Category.OTHER);
        assertThat(f.confidence()).isLessThanOrEqualTo(0.3);
        assertThat(f.evidence()).anyMatch(l -> l.contains("cron invoked oom-killer"));
    }

    @Test
    void theKillLinesSayWhomItKilledAndWhatItHeld() throws Exception {
        Finding f = handedIn(REDIS_KILLED).findings().get(0);
        assertThat(f.signature()).isEqualTo("global-oom-kill");
        assertThat(f.evidence()).anyMatch(l -> l.contains("Kill process 21578 (redis-server) score 555"));
        assertThat(f.evidence()).anyMatch(l -> l.contains("anon-rss:9066596kB"));
    }

    @Test
    void aContainersVictimOfTheHostsOomIsStillTheHosts() throws Exception {
        Finding f = handedIn(CONTAINER_VICTIM_GLOBAL).findings().get(0);
        assertThat(f.signature()).isEqualTo("global-oom-kill");
        assertThat(f.evidence()).anyMatch(l -> l.contains("anon-rss:12841672kB"));
    }

    @Test
    void aMemoryCgroupsOomIsNotTheHosts() throws Exception {
        Diagnosis d = handedIn(MEMCG_INVOKER);
        assertThat(signatures(d)).doesNotContain("global-oom-kill");
        assertThat(d.findings()).extracting(Finding::category).containsOnly(Category.MEMCG_OOM);
        assertThat(signatures(handedIn(MEMCG_TASK_IN))).doesNotContain("global-oom-kill");
    }

    @Test
    void anInvokerCutBeforeItsStackSaysNoScope() throws Exception {
        // github.com/eclipse-openj9/openj9 issue 4050: a pod's task invoked the killer; the cut leaves no frame or
        // line that says whose memory ran out
        Diagnosis d = handedIn("""
                Feb 20 08:18:28 BE-PLW-K8S-0004 kernel: [580439.225918] JIT Compilation invoked oom-killer: gfp_mask=0x24000c0, order=0, oom_score_adj=952
                Feb 20 08:18:28 BE-PLW-K8S-0004 kernel: [580439.225921] JIT Compilation cpuset=19ff0ec7aacf066ea447b5f378a2ec7668bbe57a2b3a0ab4e1c5d36220a606fa mems_allowed=0
                Feb 20 08:18:28 BE-PLW-K8S-0004 kernel: [580439.225926] CPU: 3 PID: 120669 Comm: JIT Compilation Not tainted 4.4.0-119-generic #143-Ubuntu
                Feb 20 08:18:28 BE-PLW-K8S-0004 kernel: [580439.225936] Call Trace:
                Feb 20 08:18:28 BE-PLW-K8S-0004 kernel: [580439.225968]  [<ffffffff81400443>] dump_stack+0x63/0x90
                """);
        assertThat(signatures(d)).doesNotContain("global-oom-kill");
    }

    @Test
    void aLiveScanOrTheNodeAgentNeverReadsOldKillsAsAFinding() throws Exception {
        // what a live scan or the agent read: the same kernel lines in the host's log, not a report handed in
        assertThat(diagnose(read(CRON_INVOKER)).findings()).isEmpty();
        Evidence live = read(REDIS_KILLED);
        live.live(true);
        assertThat(diagnose(live).findings()).isEmpty();
        // a live scan's bundle analysed later keeps its live mark: still no finding
        Evidence bundle = read(CONTAINER_VICTIM_GLOBAL);
        bundle.live(true);
        bundle.savedReport(true);
        assertThat(diagnose(bundle).findings()).isEmpty();
    }

    @Test
    void anotherReadingOfTheEvidenceKeepsItsPlace() throws Exception {
        // the stack of ReportWordsTest without its hung-task line, beside the 2.6.32 kill lines: the stack's own
        // reading stands, the OOM kill does not speak over it
        String stackOnly = ReportWordsTest.RPI_FUSE_WRITEBACK.substring(ReportWordsTest.RPI_FUSE_WRITEBACK.indexOf('\n') + 1);
        assertThat(signatures(handedIn(REDIS_KILLED + stackOnly))).containsExactly("fuse-page-wait");
    }
}
