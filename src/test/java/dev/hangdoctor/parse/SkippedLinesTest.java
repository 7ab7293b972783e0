package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A partly understood file says what it left out: how many frame-like lines, and the first of them. */
class SkippedLinesTest {
    private static Evidence read(String text) throws IOException {
        return EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "f");
    }

    @Test
    void strayFramesBesideAReportAreNamedInAWarning() throws IOException {
        // the fixture opens with two frames cut from the stack before it (a paste that began mid-stack)
        Evidence e = read(TraceFixtures.load("hung-5.19-task-markers.txt"));
        assertThat(e.tasks()).isNotEmpty();
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("f: 2 line(s) that look like kernel output were not understood")
                .contains("line 1: ? kthread_complete_and_exit+0x20/0x20", "line 2: ret_from_fork+0x22/0x30"));
    }

    @Test
    void aWhollyUnderstoodReportWarnsOfNothing() throws IOException {
        Evidence e = read(TraceFixtures.load("hung-4.18-el8.txt"));
        assertThat(e.tasks()).isNotEmpty();
        assertThat(e.warnings()).noneMatch(w -> w.contains("not understood"));
    }
}
