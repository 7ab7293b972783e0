package dev.hangdoctor.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Repeats of one kind of warning come out as one line with a count and the first places they differ. */
class WarningsTest {

    @Test
    void warningsThatDifferOnlyInNumbersAreOneLineWithACount() {
        Warnings w = new Warnings();
        for (int line = 100; line <= 1000; line += 100) {
            w.add("big.log: the log spans a reboot (line " + line + "); only the last boot was diagnosed");
        }
        w.add("big.log: 2 line(s) longer than 65536 bytes were cut");
        assertThat(w.lines()).containsExactly(
                "big.log: the log spans a reboot (line 100); only the last boot was diagnosed"
                        + " (10 times; then line 200, line 300, line 400, ...)",
                "big.log: 2 line(s) longer than 65536 bytes were cut");
    }

    @Test
    void aSingleWarningAndRepeatsOfTheSameTextStayAsTheyAre() {
        Warnings w = new Warnings();
        w.add("a.log: binary data from byte 12 on");
        w.add("a.log: binary data from byte 12 on");
        w.add("b.log: nothing");
        assertThat(w.lines()).containsExactly("a.log: binary data from byte 12 on", "b.log: nothing");
    }

    @Test
    void foldingOneSetIntoAnotherKeepsTheCounts() {
        Warnings a = new Warnings();
        Warnings b = new Warnings();
        a.add("x: reboot (line 1)");
        b.add("x: reboot (line 2)");
        b.add("x: reboot (line 3)");
        a.addAll(b);
        assertThat(a.lines()).containsExactly("x: reboot (line 1) (3 times; then line 2, line 3)");
    }
}
