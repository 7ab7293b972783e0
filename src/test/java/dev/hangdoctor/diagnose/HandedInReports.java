package dev.hangdoctor.diagnose;

import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A report's text read and diagnosed as `analyze` does with evidence handed in, for the diagnose tests. */
final class HandedInReports {
    private HandedInReports() {
    }

    /** The text read as handed-in evidence (a saved report: snapshots count, at a lowered confidence). */
    static Evidence read(String report) throws Exception {
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(report.getBytes(StandardCharsets.UTF_8)), "t");
        e.savedReport(true);
        return e;
    }

    /** The built-in knowledge base's diagnosis of the text handed in. */
    static Diagnosis diagnose(String report) throws Exception {
        return new Diagnoser(KnowledgeBase.load(List.of())).diagnose(read(report));
    }

    /** Its first finding; there must be one. */
    static Finding first(String report) throws Exception {
        Diagnosis d = diagnose(report);
        assertThat(d.findings()).isNotEmpty();
        return d.findings().get(0);
    }
}
