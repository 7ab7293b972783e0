package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatLineTest {
    // pid 4892 of the 6.18 bundle (src/test/resources/proc/bundle-6.18), a task in D behind a hung FUSE daemon
    private static final String D_TASK = "4892 (mk2) D 4889 4875 3753 0 -1 4194368 29 0 0 0 0 0 0 0 20 0 1 0 43795"
            + " 10944512 174 18446744073709551615 94358313906176 94358313907281 140723902063776 0 0 0 0 6 0 1 0 0 17 0"
            + " 0 0 0 0 0 94358313917904 94358313918616 94358741233664 140723902069299 140723902069305"
            + " 140723902069305 140723902070770 0";

    @Test
    void readsStateThreadsAndStartTime() {
        StatLine s = StatLine.parse(D_TASK);
        assertThat(s).isEqualTo(new StatLine("mk2", 'D', 1, 43795));
    }

    @Test
    void commMayHoldParenthesesAndSpaces() {
        String line = D_TASK.replace("(mk2)", "(a) S (b c)").replace(" 20 0 1 0 43795", " 20 0 12 0 43795");
        StatLine s = StatLine.parse(line);
        assertThat(s.comm()).isEqualTo("a) S (b c");
        assertThat(s.state()).isEqualTo('D');
        assertThat(s.numThreads()).isEqualTo(12);
    }

    @Test
    void garbageIsNull() {
        assertThat(StatLine.parse(null)).isNull();
        assertThat(StatLine.parse("")).isNull();
        assertThat(StatLine.parse("12 (x) S 1 2")).isNull();
        assertThat(StatLine.parse("12 (x")).isNull();
    }

    @Test
    void theBytesParserReadsTheSameFieldsInPlace() {
        String line = D_TASK.replace("(mk2)", "(a) S (b c)").replace(" 20 0 1 0 43795", " 20 0 12 0 43795");
        byte[] raw = ("xx" + line + "\nyy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        StatLine.Bytes b = new StatLine.Bytes();
        assertThat(b.parse(raw, 2, line.length() + 1)).isTrue();
        assertThat(new String(raw, b.commFrom, b.commTo - b.commFrom)).isEqualTo("a) S (b c");
        assertThat(b.state).isEqualTo('D');
        assertThat(b.numThreads).isEqualTo(12);
        assertThat(b.startTime).isEqualTo(43795);
        for (String bad : new String[] {"", "12 (x) S 1 2", "12 (x", "12 x) S"}) {
            byte[] r = bad.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(b.parse(r, 0, r.length)).as(bad).isFalse();
        }
    }
}
