package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PidStatusTest {
    @Test
    void realUidIsTheFirstOfTheFour() {
        // Uid: real, effective, saved set, filesystem (a setuid program differs in the second)
        PidStatus s = PidStatus.parse(Fixtures.text("bundle-6.18/proc/4892/status"));
        assertThat(s.uid()).isZero();
        assertThat(PidStatus.parse("Name:\tsudo\nUid:\t1000\t0\t0\t0\n").uid()).isEqualTo(1000);
    }

    @Test
    void aNameThatIsNotUtf8CostsOnlyTheName() throws IOException {
        // a process may call itself any bytes (prctl PR_SET_NAME); the uid decides the guard's user rules
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write("Name:\tdb".getBytes(StandardCharsets.US_ASCII));
        raw.write(new byte[] {(byte) 0xff, (byte) 0xfe});
        raw.write("\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t33\t33\t33\t33\nVmRSS:\t  240 kB\n"
                .getBytes(StandardCharsets.US_ASCII));
        PidStatus s = PidStatus.parse(raw.toByteArray());
        assertThat(s.name()).startsWith("db").hasSize(4);
        assertThat(s.uid()).isEqualTo(33);
        assertThat(s.vmRssKb()).isEqualTo(240L);
    }

    @Test
    void pathsUnderAnyProcRoot() {
        Path root = Path.of("bundle/proc");
        assertThat(PidStatus.path(root, 7)).isEqualTo(Path.of("bundle/proc/7/status"));
        assertThat(PidStatus.taskPath(root, 7, 9)).isEqualTo(Path.of("bundle/proc/7/task/9/status"));
    }

    @Test
    void realStatusOfABlockedTask() {
        PidStatus s = PidStatus.parse(Fixtures.text("bundle-6.18/proc/4892/status"));
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
        PidStatus s = PidStatus.parse(Fixtures.text("bundle-6.18/proc/5213/status"));
        assertThat(s.vmRssKb()).isEqualTo(66548L);
        assertThat(s.vmPteKb()).isEqualTo(180L);
        assertThat(s.vmSwapKb()).isZero();
    }

    @Test
    void zombieHasNoRss() {
        PidStatus s = PidStatus.parse(Fixtures.text("bundle-6.18/proc/5049/status"));
        assertThat(s.state()).isEqualTo("Z (zombie)");
        assertThat(s.vmRssKb()).isNull();
        assertThat(s.vmSwapKb()).isNull();
        assertThat(s.vmPteKb()).isNull();
        assertThat(s.threads()).isEqualTo(2);
    }

    @Test
    void killPendingMaskFromSeed003AndNestedPidNamespace() {
        // seed 003 shows ShdPnd 0000000000000100 (SIGKILL) for the stuck thread; NSpid of a task in a nested pid namespace
        PidStatus s = PidStatus.parse("Name:\tcat\nState:\tD (disk sleep)\nTgid:\t3005\nNSpid:\t3005\t2\n"
                + "SigPnd:\t0000000000000000\nShdPnd:\t0000000000000100\nSigBlk:\t0000000000000000\n");
        assertThat(s.shdPnd()).isEqualTo(0x100L);
        assertThat(s.nsPids()).containsExactly(3005, 2);
    }

    @Test
    void garbageNeverThrows() {
        PidStatus s = PidStatus.parse("SigPnd:\tzz\nNSpid:\n:::\nVmRSS:\tlots kB\n");
        assertThat(s.sigPnd()).isNull();
        assertThat(s.contextSwitches()).isNull();
        assertThat(s.nsPids()).isEmpty();
        assertThat(s.vmRssKb()).isNull();
        assertThat(PidStatus.parse((String) null).name()).isNull();
    }
}
