package dev.hangdoctor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hangdoctor.diagnose.Diagnoser;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import dev.hangdoctor.parse.UnrecognisedEvidenceException;
import dev.hangdoctor.report.HtmlReport;
import dev.hangdoctor.report.JsonReport;
import dev.hangdoctor.report.MarkdownReport;
import dev.hangdoctor.report.TerminalReport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What `analyze FILE` does, on any bytes: read, diagnose with the built-in knowledge base, render every view.
 * Nothing may throw but the documented {@link UnrecognisedEvidenceException}, every view renders, and one input
 * takes well under a second (the bound here is loose so a loaded CI machine does not fail it).
 */
class PipelineFuzzTest {
    private static final KnowledgeBase KB = KnowledgeBase.load(java.util.List.of());
    private static final Duration BOUND = Duration.ofSeconds(5);

    static {
        // the first input would otherwise also pay for loading every class of the pipeline, which under Jazzer's
        // hooks means instrumenting each one (seconds on a loaded machine): the bound is about one input's work
        try {
            analyze(("[ 4080.123456] INFO: task jbd2/md127-8:587 blocked for more than 120 seconds.\n"
                    + "[ 4080.123700] jbd2/md127-8    D ffff9f53ff35bbf0     0   587      2 0x00000000\n"
                    + "[ 4080.123800] Call Trace:\n"
                    + "[ 4080.123900]  [<ffffffff8163a909>] schedule+0x29/0x70\n").getBytes(StandardCharsets.US_ASCII),
                    Duration.ofDays(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "3m")
    void analyze(byte[] data) throws IOException {
        analyze(data, BOUND);
    }

    private static void analyze(byte[] data, Duration bound) throws IOException {
        long start = System.nanoTime();
        Evidence evidence;
        try {
            evidence = EvidenceReader.read(new ByteArrayInputStream(data), "fuzz");
        } catch (UnrecognisedEvidenceException ex) {
            assertThat(ex.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        Diagnosis d = new Diagnoser(KB).diagnose(evidence);
        assertThat(JsonReport.render(d)).startsWith("{");
        assertThat(new TerminalReport(false).render(d)).isNotEmpty();
        assertThat(new TerminalReport(true).render(d)).isNotEmpty();
        assertThat(HtmlReport.render(d)).contains("</html>");
        assertThat(MarkdownReport.render(d)).isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
    }
}
