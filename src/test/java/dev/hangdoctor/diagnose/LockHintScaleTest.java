package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hung-task detector's lock-owner hints (6.16+) carry no lock address: each names one owner, so a hint joins its
 * waiter to that owner only. Many hinted tasks stay a sparse graph (the timeouts only guard against a hang).
 */
class LockHintScaleTest {

    /** kernel/hung_task.c (6.16+): each waiter's report with its stack and the hint naming its owner, then the owner's. */
    private static String pairs(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int waiter = 10_000 + 2 * i;
            int owner = waiter + 1;
            report(sb, "writer" + i, waiter, "schedule_preempt_disabled+0x15/0x30", "__mutex_lock.constprop.0+0x3c6/0x6c0",
                    "mutex_lock+0x1c/0x30", "ext4_buffered_write_iter+0x2f/0x100");
            sb.append("[ 4302.448228] INFO: task writer").append(i).append(':').append(waiter)
                    .append(" is blocked on a mutex likely owned by task holder").append(i).append(':').append(owner)
                    .append(".\n");
            report(sb, "holder" + i, owner, "io_schedule+0x46/0x70", "folio_wait_bit_common+0x13d/0x350",
                    "filemap_fault+0x5e5/0xa40", "__do_fault+0x36/0x130");
        }
        return sb.toString();
    }

    private static void report(StringBuilder sb, String comm, int pid, String... frames) {
        sb.append("[ 4302.440000] INFO: task ").append(comm).append(':').append(pid)
                .append(" blocked for more than 122 seconds.\n");
        sb.append("[ 4302.440000]       Not tainted 6.16.0 #1\n");
        sb.append("[ 4302.440000] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n");
        sb.append("[ 4302.440000] task:").append(comm).append(" state:D stack:0     pid:").append(pid).append("  tgid:")
                .append(pid).append("  ppid:1      task_flags:0x400100 flags:0x00004002\n");
        sb.append("[ 4302.440000] Call Trace:\n[ 4302.440000]  <TASK>\n");
        sb.append("[ 4302.440000]  __schedule+0x4a1/0x1040\n[ 4302.440000]  schedule+0x23/0xc0\n");
        for (String f : frames) {
            sb.append("[ 4302.440000]  ").append(f).append('\n');
        }
        sb.append("[ 4302.440000]  </TASK>\n");
    }

    private static Evidence read(String log) throws Exception {
        return EvidenceReader.read(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "t");
    }

    @Test
    void twoIndependentPairsStayApart() throws Exception {
        WaitGraph g = new WaitGraph(read(pairs(2)));
        assertThat(g.waitsFor(10_000)).containsExactly(10_001);
        assertThat(g.waitsFor(10_002)).containsExactly(10_003);
        assertThat(g.waitsFor(10_001)).isEmpty();
        assertThat(g.inCycle(10_000)).isFalse();
        assertThat(g.inCycle(10_001)).isFalse();
        Diagnosis d = new Diagnoser(KnowledgeBase.load(java.util.List.of())).diagnose(read(pairs(2)));
        assertThat(String.join("\n", d.findings().stream().flatMap(f -> f.chain().stream()).toList()))
                .doesNotContain("deadlock");
    }

    @Test
    void aRealCycleOfHintsIsStillACycle() throws Exception {
        String log = String.join("\n",
                "[ 1.0] INFO: task a:100 is blocked on a mutex likely owned by task b:200.",
                "[ 1.0] INFO: task b:200 is blocked on a mutex likely owned by task a:100.",
                "[ 1.0] INFO: task a:100 blocked for more than 122 seconds.",
                "[ 1.0] INFO: task b:200 blocked for more than 122 seconds.");
        WaitGraph g = new WaitGraph(read(log));
        assertThat(g.inCycle(100)).isTrue();
        assertThat(g.inCycle(200)).isTrue();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fiveHundredHintedTasksFinish() throws Exception {
        Diagnosis d = new Diagnoser(KnowledgeBase.load(java.util.List.of())).diagnose(read(pairs(250)));
        assertThat(d.taskCount()).isEqualTo(500);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void fiveThousandHintedTasksFinish() throws Exception {
        Diagnosis d = new Diagnoser(KnowledgeBase.load(java.util.List.of())).diagnose(read(pairs(2_500)));
        assertThat(d.taskCount()).isEqualTo(5_000);
    }
}
