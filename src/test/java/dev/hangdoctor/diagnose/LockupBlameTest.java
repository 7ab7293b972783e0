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
}
