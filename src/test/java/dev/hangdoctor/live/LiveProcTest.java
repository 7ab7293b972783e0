package dev.hangdoctor.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveProcTest {

    @Test
    void statCommEndsAtTheLastParenthesis() {
        String line = "4242 (a) b (c)) D 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        LiveProc.Stat s = LiveProc.parseStat(line).orElseThrow();
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.comm()).isEqualTo("a) b (c)");
        assertThat(s.state()).isEqualTo('D');
        assertThat(s.ppid()).isEqualTo(1);
        assertThat(s.startTime()).isEqualTo(987654L);
    }

    @Test
    void badStatIsEmptyNotAnException() {
        assertThat(LiveProc.parseStat("")).isEmpty();
        assertThat(LiveProc.parseStat("12 (x")).isEmpty();
        assertThat(LiveProc.parseStat("12 (x) S 1")).isEmpty();
    }

    @Test
    void mountinfoGivesTheFuseConnectionAndUnescapesThePath() {
        LiveProc.Mount m = LiveProc.parseMount("42 27 0:39 / /tmp/a\\040b/mnt rw,nosuid,nodev,relatime - "
                + "fuse.hangdoctor-live hangdoctor-live rw,user_id=0,group_id=0").orElseThrow();
        assertThat(m.minor()).isEqualTo(39);
        assertThat(m.major()).isZero();
        assertThat(m.mountPoint()).isEqualTo("/tmp/a b/mnt");
        assertThat(m.fsType()).isEqualTo("fuse.hangdoctor-live");
        // optional fields before the separator
        assertThat(LiveProc.parseMount("29 1 8:1 / / rw,relatime shared:1 master:2 - ext4 /dev/sda1 rw"))
                .hasValueSatisfying(x -> assertThat(x.fsType()).isEqualTo("ext4"));
    }

    @Test
    void functionsDropOffsetsAndAddresses() {
        String stack = "[<0>] request_wait_answer+0x151/0x210\n[<ffffffffba3da5f5>] wait_iff_congested+0x135/0x150\n"
                + "[<0>] fuse_flush+0x155/0x190 [fuse]\n";
        assertThat(LiveProc.functions(stack)).containsExactly("request_wait_answer", "wait_iff_congested", "fuse_flush");
        assertThat(LiveWait.inOrder(LiveProc.functions(stack), "request_wait_answer", "fuse_flush")).isTrue();
        assertThat(LiveWait.inOrder(LiveProc.functions(stack), "fuse_flush", "request_wait_answer")).isFalse();
    }

    @Test
    void onlyNamesOfGoneOwnersAreStale() {
        assertThat(LiveCleanup.isStale("hangdoctor-test-2147483647-ab", "hangdoctor-test-")).isTrue();
        assertThat(LiveCleanup.isStale("hangdoctor-test-" + ProcessHandle.current().pid() + "-ab", "hangdoctor-test-"))
                .isFalse();
        assertThat(LiveCleanup.isStale("hangdoctor-test-1-ab", "hangdoctor-test-")).isFalse(); // init lives
        assertThat(LiveCleanup.isStale("hangdoctor-test-x", "hangdoctor-test-")).isFalse();
        assertThat(LiveCleanup.isStale("other-2147483647", "hangdoctor-test-")).isFalse();
    }
}
