package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PidStatTest {
    // pid 4892 of the 6.18 bundle (src/test/resources/proc/bundle-6.18), a task in D behind a hung FUSE daemon
    private static final String D_TASK = "4892 (mk2) D 4889 4875 3753 0 -1 4194368 29 0 0 0 7 3 0 0 20 0 1 0 43795"
            + " 10944512 174 18446744073709551615 94358313906176 94358313907281 140723902063776 0 0 0 0 6 0 1 0 0 17 0"
            + " 0 0 0 0 0 94358313917904 94358313918616 94358741233664 140723902069299 140723902069305"
            + " 140723902069305 140723902070770 0";

    @Test
    void readsEveryFieldHangdoctorUses() {
        assertThat(PidStat.parse(D_TASK)).isEqualTo(
                new PidStat.Fields(4892, "mk2", 'D', 4889, 4194368L, 7L, 3L, 1, 43795L, 0));
    }

    @Test
    void commMayHoldParenthesesAndSpaces() {
        String line = D_TASK.replace("(mk2)", "(a) S (b c)").replace(" 20 0 1 0 43795", " 20 0 12 0 43795");
        PidStat.Fields s = PidStat.parse(line);
        assertThat(s.comm()).isEqualTo("a) S (b c");
        assertThat(s.state()).isEqualTo('D');
        assertThat(s.numThreads()).isEqualTo(12);
    }

    @Test
    void aNameThatIsNotUtf8IsDecodedLossilyNotRefused() {
        byte[] raw = D_TASK.replace("(mk2)", "(mk\u00ff)").getBytes(StandardCharsets.ISO_8859_1);
        PidStat.Fields s = PidStat.parse(raw, 0, raw.length);
        assertThat(s.comm()).isEqualTo("mk\ufffd");
        assertThat(s.startTime()).isEqualTo(43795L);
    }

    @Test
    void aLineCutShortKeepsWhatItHoldsAndLeavesTheRestAbsent() {
        PidStat.Fields s = PidStat.parse("12 (x) S 1 2");
        assertThat(s.ppid()).isEqualTo(1);
        assertThat(s.flags()).isNull();
        assertThat(s.startTime()).isNull();
        assertThat(s.numThreads()).isNull();
    }

    @Test
    void garbageIsNull() {
        for (String bad : new String[] {null, "", "12 (x", "12 (x)", "abc (x) S", "12 x) S (", "(x) S 1"}) {
            assertThat(PidStat.parse(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    @Test
    void theCursorReadsTheSameFieldsInPlace() {
        String line = D_TASK.replace("(mk2)", "(a) S (b c)").replace(" 20 0 1 0 43795", " 20 0 12 0 43795");
        byte[] raw = ("xx" + line + "\nyy").getBytes(StandardCharsets.UTF_8);
        PidStat.Cursor b = new PidStat.Cursor();
        assertThat(b.parse(raw, 2, line.length() + 1)).isTrue();
        assertThat(b.comm(raw)).isEqualTo("a) S (b c");
        assertThat(b.state()).isEqualTo('D');
        assertThat(b.numThreads()).isEqualTo(12);
        assertThat(b.startTime()).isEqualTo(43795);
        assertThat(b.utime()).isEqualTo(7);
        assertThat(b.parseThroughStartTime(raw, 2, line.length() + 1)).isTrue();
        assertThat(b.comm(raw)).isEqualTo("a) S (b c");
        assertThat(b.numThreads()).isEqualTo(12);
        assertThat(b.startTime()).isEqualTo(43795);
        for (String bad : new String[] {"", "12 (x", "12 x) S"}) {
            byte[] r = bad.getBytes(StandardCharsets.UTF_8);
            assertThat(b.parse(r, 0, r.length)).as(bad).isFalse();
        }
        byte[] shortLine = "12 (x) S 1 2".getBytes(StandardCharsets.UTF_8);
        assertThat(b.parse(shortLine, 0, shortLine.length)).isTrue();
        assertThat(b.startTime()).isEqualTo(PidStat.ABSENT);
    }

    @Test
    void namesTheFilesUnderAnInjectedRoot() {
        Path root = Path.of("bundle/proc");
        assertThat(PidStat.path(root, 7)).isEqualTo(Path.of("bundle/proc/7/stat"));
        assertThat(PidStat.taskPath(root, 7, 9)).isEqualTo(Path.of("bundle/proc/7/task/9/stat"));
    }

    @Test
    void aZombieLeader() {
        PidStat.Fields s = PidStat.parse(Fixtures.text("bundle-6.18/proc/5049/task/5049/stat"));
        assertThat(s.comm()).isEqualTo("z");
        assertThat(s.state()).isEqualTo('Z');
        assertThat(s.ppid()).isEqualTo(5042);
    }
}
