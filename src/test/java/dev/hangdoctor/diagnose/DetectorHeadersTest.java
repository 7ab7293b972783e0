package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A category the report's words name (the *-named-in-report fallbacks) stands in for a detector line that is missing,
 * never against one of another kind that is in the evidence.
 */
class DetectorHeadersTest {

    private static Evidence read(String report) throws Exception {
        return HandedInReports.read(report);
    }

    private static Finding first(String report) throws Exception {
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(read(report)).findings().get(0);
    }

    /** lore.kernel.org/r/CACGkMEteDZJVM8j5pir7_Hcn6Oq=tKbcg4DUiEQBGm5Kg9w30w@mail.gmail.com (corpus zl-009), ppc64le. */
    private static final String BALLOON = """
            >   INFO: task kworker/1:1:109 blocked for more than 614 seconds.
            >         Not tainted 5.16.0-rc2-gcc-10.3.0 #21
            >   "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            >   task:kworker/1:1     state:D stack:12496 pid:  109 ppid:     2 flags:0x00000800
            >   Workqueue: events_freezable update_balloon_size_func
            >   Call Trace:
            >   [c000000003cef7c0] [c000000003cef820] 0xc000000003cef820 (unreliable)
            >   [c000000003cef9b0] [c00000000001e238] __switch_to+0x1e8/0x2f0
            >   [c000000003cefa10] [c000000000f0a00c] __schedule+0x2cc/0xb50
            >   [c000000003cefae0] [c000000000f0a8fc] schedule+0x6c/0x140
            >   [c000000003cefb10] [c00000000095b6c4] tell_host+0xe4/0x130
            >   [c000000003cefba0] [c00000000095d234] update_balloon_size_func+0x394/0x3f0
            >   [c000000003cefc70] [c000000000178064] process_one_work+0x2c4/0x5b0
            >   [c000000003cefd10] [c0000000001783f8] worker_thread+0xa8/0x640
            >   [c000000003cefda0] [c000000000185444] kthread+0x1b4/0x1c0
            >   [c000000003cefe10] [c00000000000cee4] ret_from_kernel_thread+0x5c/0x64
            """;

    @Test
    void softLockupInTheWordsDoesNotOutrankAHungTaskReport() throws Exception {
        Finding f = first("> The symptom is soft lockup warnings, eg:\n>\n" + BALLOON);
        assertThat(f.category()).isEqualTo(Category.OTHER);
        assertThat(f.signature()).isEqualTo(Diagnoser.UNCLASSIFIED);
    }

    @Test
    void rcuStallInTheWordsDoesNotOutrankAHungTaskReport() throws Exception {
        Finding f = first("> We get RCU stalls on this guest, eg:\n>\n" + BALLOON);
        assertThat(f.category()).isNotEqualTo(Category.RCU_STALL);
        assertThat(f.signature()).isEqualTo(Diagnoser.UNCLASSIFIED);
    }

    @Test
    void aFilesystemInTheWordsStillSpeaksBesideAHungTaskReport() throws Exception {
        // the hung-task detector reports tasks asleep: a FUSE mount named in the words is a hang it may report
        Finding f = first("> The worker hangs while the guest has an sshfs mount, eg:\n>\n" + BALLOON);
        assertThat(f.signature()).isEqualTo("fuse-named-in-report");
    }

    /** github.com/moby/moby issue 29751 (corpus c-021): the words above a dump whose BUG line was not pasted. */
    private static final String NO_BUG_LINE = """
            here is a stack trace when soft lockup appear:
            Aug  6 22:37:33 atom kernel: [  640.067013] CPU: 0 PID: 2708 Comm: nacl_helper_boo Not tainted 3.15.7-200.fc20.i686+PAE #1
            Aug  6 22:37:33 atom kernel: [  640.067013] Hardware name: ASUSTeK Computer INC. 1005HA/1005HA, BIOS 1601    04/18/2011
            Aug  6 22:37:33 atom kernel: [  640.067013] task: f166f480 ti: e8a9e000 task.ti: e8a9e000
            """;

    @Test
    void withNoDetectorLineTheWordsStillStandIn() throws Exception {
        Finding f = first(NO_BUG_LINE);
        assertThat(f.signature()).isEqualTo("soft-lockup-named-in-report");
        assertThat(DetectorHeaders.contradict(Category.SOFT_LOCKUP, read(NO_BUG_LINE))).isFalse();
    }

    /** An rcu_sched stall's header and CPU line (corpus b-012, github.com/cilium/tetragon). */
    private static final String RCU_HEADER = """
            [  103.087243] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:
            [  103.087558] rcu: \t1-...!: (0 ticks this GP) idle=cf8/0/0x0 softirq=20/20 fqs=0
            [  103.087821] \t(detected by 0, t=38227 jiffies, g=-1127, q=10)
            """;

    @Test
    void eachDetectorReportsItsOwnKinds() throws Exception {
        Evidence hung = read(BALLOON);
        assertThat(DetectorHeaders.contradict(Category.SOFT_LOCKUP, hung)).isTrue();
        assertThat(DetectorHeaders.contradict(Category.RCU_STALL, hung)).isTrue();
        assertThat(DetectorHeaders.contradict(Category.HARD_LOCKUP, hung)).isTrue();
        assertThat(DetectorHeaders.contradict(Category.BLOCK_IO, hung)).isFalse();
        assertThat(DetectorHeaders.contradict(Category.NFS, hung)).isFalse();
        assertThat(DetectorHeaders.contradict(Category.FUSE, hung)).isFalse();
        Evidence rcu = read(RCU_HEADER);
        assertThat(DetectorHeaders.contradict(Category.RCU_STALL, rcu)).isFalse();
        assertThat(DetectorHeaders.contradict(Category.BLOCK_IO, rcu)).isTrue();
        assertThat(DetectorHeaders.contradict(Category.SOFT_LOCKUP, rcu)).isTrue();
        // both detectors in one paste: words naming either kind agree with one of them
        Evidence both = read(RCU_HEADER + BALLOON);
        assertThat(DetectorHeaders.contradict(Category.RCU_STALL, both)).isFalse();
        assertThat(DetectorHeaders.contradict(Category.BLOCK_IO, both)).isFalse();
        assertThat(DetectorHeaders.contradict(Category.SOFT_LOCKUP, both)).isTrue();
    }
}
