package dev.hangdoctor.parse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatusTest {

    @Test
    void realStatusOfABlockedTask() {
        ProcStatus s = ProcStatus.parse(Fixtures.text("bundle-6.18/proc/4892/status"));
        assertThat(s.name()).isEqualTo("mk2");
        assertThat(s.voluntaryCtxtSwitches()).isEqualTo(1L);
        assertThat(s.nonvoluntaryCtxtSwitches()).isEqualTo(0L);
        assertThat(s.contextSwitches()).isEqualTo(1L);
        assertThat(s.state()).isEqualTo("D (disk sleep)");
        assertThat(s.tgid()).isEqualTo(4892);
        assertThat(s.pid()).isEqualTo(4892);
        assertThat(s.ppid()).isEqualTo(4889);
        assertThat(s.nsPids()).containsExactly(4892);
        assertThat(s.nsTgids()).containsExactly(4892);
        assertThat(s.sigPnd()).isZero();
        assertThat(s.shdPnd()).isZero();
        assertThat(s.sigBlk()).isZero();
        assertThat(s.vmRssKb()).isNotNull();
        assertThat(s.threads()).isEqualTo(1);
    }

    @Test
    void swapAndPageTablesOfAStalledHog() {
        // what the OOM killer's badness adds to the RSS
        ProcStatus s = ProcStatus.parse(Fixtures.text("bundle-6.18/proc/5213/status"));
        assertThat(s.vmRssKb()).isEqualTo(66548L);
        assertThat(s.vmPteKb()).isEqualTo(180L);
        assertThat(s.vmSwapKb()).isZero();
    }

    @Test
    void zombieHasNoRss() {
        ProcStatus s = ProcStatus.parse(Fixtures.text("bundle-6.18/proc/5049/status"));
        assertThat(s.state()).isEqualTo("Z (zombie)");
        assertThat(s.vmRssKb()).isNull();
        assertThat(s.vmSwapKb()).isNull();
        assertThat(s.vmPteKb()).isNull();
        assertThat(s.threads()).isEqualTo(2);
    }

    @Test
    void killPendingMaskFromSeed003AndNestedPidNamespace() {
        // seed 003 shows ShdPnd 0000000000000100 (SIGKILL) for the stuck thread; NSpid of a task in a nested pid namespace
        ProcStatus s = ProcStatus.parse("Name:\tcat\nState:\tD (disk sleep)\nTgid:\t3005\nNSpid:\t3005\t2\n"
                + "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000100\nSigBlk:\t0000000000000000\n");
        assertThat(s.shdPnd()).isEqualTo(0x100L);
        assertThat(s.nsPids()).containsExactly(3005, 2);
    }

    @Test
    void garbageNeverThrows() {
        ProcStatus s = ProcStatus.parse("SigPnd:\tzz\nNSpid:\n:::\nVmRSS:\tlots kB\n");
        assertThat(s.sigPnd()).isNull();
        assertThat(s.contextSwitches()).isNull();
        assertThat(s.nsPids()).isEmpty();
        assertThat(s.vmRssKb()).isNull();
        assertThat(ProcStatus.parse(null).name()).isNull();
    }
}
