package dev.hangdoctor.parse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatTest {

    @Test
    void realLineOfABlockedTask() {
        ProcStat s = ProcStat.parse(Fixtures.text("bundle-6.18/proc/4892/stat"));
        assertThat(s.pid()).isEqualTo(4892);
        assertThat(s.comm()).isEqualTo("mk2");
        assertThat(s.state()).isEqualTo('D');
        assertThat(s.ppid()).isEqualTo(4889);
        assertThat(s.flags()).isEqualTo(4194368L);
        assertThat(s.startTime()).isEqualTo(43795L);
        assertThat(s.processor()).isEqualTo(0);
    }

    @Test
    void zombieLeader() {
        ProcStat s = ProcStat.parse(Fixtures.text("bundle-6.18/proc/5049/task/5049/stat"));
        assertThat(s.comm()).isEqualTo("z");
        assertThat(s.state()).isEqualTo('Z');
        assertThat(s.ppid()).isEqualTo(5042);
    }

    @Test
    void commRunsToTheLastParenthesis() {
        // same fields as the live line above, under a name holding ") S" and spaces
        ProcStat s = ProcStat.parse("4892 (a) S (x y) D 4889 4875 3753 0 -1 4194368 29 0 0 0 0 0 0 0 20 0 1 0 43795");
        assertThat(s.comm()).isEqualTo("a) S (x y");
        assertThat(s.state()).isEqualTo('D');
        assertThat(s.ppid()).isEqualTo(4889);
        assertThat(s.startTime()).isEqualTo(43795L);
        assertThat(s.processor()).isNull();
    }

    @Test
    void notAStatLine() {
        assertThat(ProcStat.parse("")).isNull();
        assertThat(ProcStat.parse(null)).isNull();
        assertThat(ProcStat.parse("abc (x) S")).isNull();
        assertThat(ProcStat.parse("12 (x)")).isNull();
        assertThat(ProcStat.parse("12 x) S (")).isNull();
    }
}
