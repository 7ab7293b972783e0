package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A finding built only on stacks perf sampled stands, with less confidence than the same stack read asleep. */
class SampledStacksTest {
    /** io_uring workers faulting on userfaultfd memory, as a linux-fsdevel report gave them (perf report rows). */
    private static final String[] CHAIN = {"ret_from_fork_asm", "ret_from_fork", "io_wq_worker",
        "io_worker_handle_work", "io_write", "hugetlb_fault", "hugetlb_handle_userfault", "handle_userfault",
        "schedule", "__schedule"};

    private static Diagnosis diagnose(String report) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(e);
    }

    @Test
    void aSampledStackGivesTheSameFindingWithLessConfidenceAndSaysWhy() throws Exception {
        StringBuilder perf = new StringBuilder();
        StringBuilder proc = new StringBuilder();
        for (String f : CHAIN) {
            perf.append("iou-wrk-44588  [kernel.kallsyms]  [k] ").append(f).append('\n');
        }
        for (int k = CHAIN.length - 1; k >= 0; k--) {
            proc.append("[<0>] ").append(CHAIN[k]).append("+0x10/0x20\n");
        }
        Diagnosis sampled = diagnose(perf.toString());
        Diagnosis asleep = diagnose(proc.toString());
        assertThat(sampled.findings()).isNotEmpty();
        assertThat(asleep.findings()).isNotEmpty();
        assertThat(sampled.findings().get(0).category()).isEqualTo(asleep.findings().get(0).category())
                .isEqualTo(Category.UFFD);
        assertThat(sampled.findings().get(0).confidence()).isLessThan(asleep.findings().get(0).confidence());
        assertThat(sampled.warnings()).anyMatch(w -> w.contains("sampled by perf"));
        assertThat(asleep.warnings()).noneMatch(w -> w.contains("sampled by perf"));
    }
}
