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
}
