package dev.hangdoctor.procfs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PidWchanTest {

    @Test
    void theFunctionATaskInDWaitsIn() {
        // pid 4892 of the 6.18 bundle waits for the hung FUSE daemon; the kernel prints no newline
        assertThat(PidWchan.parse(Fixtures.text("bundle-6.18/proc/4892/task/4892/wchan"))).isEqualTo("fuse_get_req");
    }

    @Test
    void zeroOrNothingIsNoWaitChannel() {
        assertThat(PidWchan.parse("0")).isNull();
        assertThat(PidWchan.parse("")).isNull();
        assertThat(PidWchan.parse(null)).isNull();
        assertThat(PidWchan.parse("do_wait\n")).isEqualTo("do_wait");
    }

    @Test
    void pathUnderAnyProcRoot() {
        assertThat(PidWchan.taskPath(Path.of("bundle/proc"), 7, 9)).isEqualTo(Path.of("bundle/proc/7/task/9/wchan"));
    }
}
