package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The noise pre-check may let through too much, never too little: every line that a fresh recogniser takes must
 * pass it, on every fixture, example and corpus report; and it must turn plain boot-log lines away.
 */
class LineScreenTest {
    private static final List<String> DIRS = List.of("src/test/resources/logs", "src/test/resources/traces",
            "src/test/resources/proc/files", "src/test/resources/corpus/reports", "src/test/resources/pasted",
            "examples");

    private static LineScreen screen() {
        LineScreen.Builder b = LineScreen.builder();
        Evidence e = new Evidence();
        new KernelEventSink(e, "t").describe(b);
        new TraceSink(e, "t").describe(b);
        new GoroutineSink(e, "t").describe(b);
        EventTriggers.describe(b);
        return b.build();
    }

    /** True when a recogniser with nothing open takes {@code raw} as the start of something. */
    private static boolean anySinkTakes(String raw) {
        Evidence e = new Evidence();
        LogLine line = KernelLogPrefix.strip(raw, 1);
        return new KernelEventSink(e, "t").accept(line) | new TraceSink(e, "t").accept(line)
                | new GoroutineSink(e, "t").accept(line);
    }

    @Test
    void everyLineARecogniserTakesPassesTheScreen() throws IOException {
        List<String> missed = new ArrayList<>();
        int taken = 0;
        for (Path file : files()) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            LineScreen screen = screen();
            KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();
            // in place, as the reader asks: one string, lines in order (the needles remember their places)
            for (int from = 0; from < text.length(); ) {
                int nl = text.indexOf('\n', from);
                int end = nl < 0 ? text.length() : nl;
                int z = end > from && text.charAt(end - 1) == '\r' ? end - 1 : end;
                KernelLogPrefix.locate(text, from, z, cut);
                String line = text.substring(from, z);
                if (anySinkTakes(line)) {
                    taken++;
                    if (!screen.maybe(text, cut.message, z)) {
                        missed.add(file.getFileName() + ": " + line);
                    }
                }
                from = end + 1;
            }
        }
        assertThat(taken).as("lines taken").isGreaterThan(2_000);
        assertThat(missed).isEmpty();
    }

    @Test
    void plainBootLogLinesAreTurnedAway() {
        LineScreen screen = screen();
        String[] noise = {
            "ACPI: PM-Timer IO Port: 0x608", "EXT4-fs (vda1): mounted filesystem with ordered data mode",
            "pci 0000:00:01.0: [8086:7000] type 00 class 0x060100", "random: crng init done",
            "systemd[1]: Started Journal Service.", "e1000: Intel(R) PRO/1000 Network Driver",
            "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'",
        };
        for (String n : noise) {
            assertThat(screen.maybe(n, 0, n.length())).as(n).isFalse();
        }
    }

    @Test
    void bootLinesLikeTraceRowsAreTurnedAwayButTheRowsStillPass() {
        LineScreen screen = screen();
        String[] noise = {
            "CPU topo: Max. logical packages:   1", "CPU topo: Allowing 2 present CPUs plus 0 hotplug CPUs",
            "PCI-DMA: Using software bounce buffering for IO (SWIOTLB)",
            "00:00: ttyS0 at I/O 0x3f8 (irq = 26, base_baud = 115200) is a 16550A",
        };
        for (String n : noise) {
            assertThat(screen.maybe(n, 0, n.length())).as(n).isFalse();
        }
        String[] rows = {
            "CPU 22: 7.75 secs", "kjournald D 0000D823 2860 654 15 680 618 (L-TLB)",
            "kjournald     D 00000000 2860   654     15           680   618 (NOTLB)", "1015:", "1015", "===1015===",
            ">  1234      2   3  ffff880139ad8000  UN   0.1  123456   7890  kworker/3:1",
            "1234      2   3  ffff880139ad8000  UN   0.1  123456   7890  kworker/3:1", "4 D 0 1234 2 0 80 0 - 0 -"
                + " ? 00:00:00 kworker", "1000     1234  0.0  0.1  12345  6789 ?        D    10:00   0:00 cp",
        };
        for (String r : rows) {
            assertThat(screen.maybe(r, 0, r.length())).as(r).isTrue();
        }
    }

    @Test
    void aNeedleCountsOnlyInsideTheLineAskedAbout() {
        // "+0x" of the second line must not make the first pass, nor the first line's make the third pass
        String buffer = "plain words here\nschedule+0x29/0x70\nmore plain words\n";
        LineScreen screen = screen();
        int second = buffer.indexOf("schedule");
        int third = buffer.indexOf("more");
        assertThat(screen.maybe(buffer, 0, second - 1)).isFalse();
        assertThat(screen.maybe(buffer, second, third - 1)).isTrue();
        assertThat(screen.maybe(buffer, third, buffer.length() - 1)).isFalse();
    }

    @Test
    void twoScreensFromOneBuilderKeepTheirOwnPlaces() {
        LineScreen.Builder b = LineScreen.builder().needle("+0x", '+');
        LineScreen one = b.build();
        LineScreen two = b.build();
        String buffer = "a b\nfn+0x1/0x2\n";
        assertThat(one.maybe(buffer, 0, 3)).isFalse();
        assertThat(two.maybe("fn+0x1/0x2", 0, 10)).isTrue();
        assertThat(one.maybe(buffer, 4, buffer.length() - 1)).isTrue();
    }

    @Test
    void endingsMatchTheirFixedCharactersOnly() {
        LineScreen screen = LineScreen.builder().ending(" 0x????????", null).build();
        assertThat(screen.maybe("bash S 0000 0 1 0x00000080", 0, 26)).isTrue();
        assertThat(screen.maybe("bash S 0000 0 1 0y00000080", 0, 26)).isFalse();
        assertThat(screen.maybe("0x1", 0, 3)).isFalse();
    }

    @Test
    void edgesOfWhitespaceAreLookedPast() {
        LineScreen screen = LineScreen.builder().prefix("Call Trace:").build();
        String indented = "   Call Trace:  ";
        assertThat(screen.maybe(indented, 0, indented.length())).isTrue();
        assertThat(screen.maybe("   ", 0, 3)).isFalse();
    }

    private static List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String d : DIRS) {
            if (!Files.isDirectory(Path.of(d))) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(Path.of(d))) {
                walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".meta"))
                        .filter(p -> !p.toString().endsWith(".md")).sorted().forEach(out::add);
            }
        }
        return out;
    }
}
