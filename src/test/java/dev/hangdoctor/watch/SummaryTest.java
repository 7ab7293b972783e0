package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTest {
    @Test
    void shortLinesStay() {
        assertThat(Summary.fit("OK: no hang", 80)).isEqualTo("OK: no hang");
    }

    @Test
    void longLinesAreCutOnACharacterBoundaryWithinTheBytes() {
        String s = "HANG fuse: " + "é".repeat(60) + " blocks 3 tasks";
        String cut = Summary.fit(s, 80);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(80);
        assertThat(cut).endsWith("...").doesNotContain("\uFFFD");
        assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(cut);
    }

    @Test
    void controlCharactersNeverBreakTheLine() {
        assertThat(Summary.fit("HANG x: bad\nname\t:1", 80)).isEqualTo("HANG x: bad?name?:1");
    }
}
