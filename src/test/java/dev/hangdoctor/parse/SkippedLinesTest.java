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
    void aDumpsIrqTraceLinesAreKnownWithoutTheirStack() throws IOException {
        // corpus zd-005: print_irqtrace_events()'s lines and the dump header, the stack not pasted
        Evidence e = read("""
                [   96.554113] irq event stamp: 0
                [   96.557181] hardirqs last  enabled at (0): [<0000000000000000>] 0x0
                [   96.563453] hardirqs last disabled at (0): [<ffffffff81093752>] copy_process+0x762/0x1fd0
                [   96.571623] softirqs last  enabled at (0): [<ffffffff81093752>] copy_process+0x762/0x1fd0
                [   96.579795] softirqs last disabled at (0): [<0000000000000000>] 0x0
                [   96.586062] CPU: 19 PID: 2978 Comm: kworker/u69:1 Tainted: G      D W  OEL    5.4.62-std-debug-alt1 #1
                """);
        assertThat(e.warnings()).noneMatch(w -> w.contains("not understood"));
    }

    @Test
    void aWhollyUnderstoodReportWarnsOfNothing() throws IOException {
        Evidence e = read(TraceFixtures.load("hung-4.18-el8.txt"));
        assertThat(e.tasks()).isNotEmpty();
        assertThat(e.warnings()).noneMatch(w -> w.contains("not understood"));
    }
}
