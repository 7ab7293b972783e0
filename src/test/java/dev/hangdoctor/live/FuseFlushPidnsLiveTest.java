package dev.hangdoctor.live;

import static dev.hangdoctor.live.LiveAssertions.assertConnectionGone;
import static dev.hangdoctor.live.LiveAssertions.assertGone;
import static dev.hangdoctor.live.LiveAssertions.assertNotMounted;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("live")
class FuseFlushPidnsLiveTest {

    @BeforeEach
    void needsHost() {
        LivePreconditions.assumePidnsFuseHangs();
    }

    @Test
    void namespaceInitWaitsInZapPidNsForAMemberStuckInFuseFlushWithSigkillPending() throws Exception {
        Path mnt;
        int conn;
        List<OwnedPid> pids;
        try (FuseFlushPidns hang = FuseFlushPidns.start()) {
            mnt = hang.mountPoint();
            conn = hang.connectionId();
            pids = hang.ownPids();
            OwnedPid init = hang.initPid();
            OwnedPid stuck = hang.stuckPid();

            assertThat(LiveProc.status(init.pid(), "NSpid").orElseThrow()).endsWith("\t1");
            assertThat(LiveProc.functions(hang.initStack())).containsSubsequence("zap_pid_ns_processes", "do_exit");
            assertThat(stuck.state()).isEqualTo('D');
            assertThat(LiveProc.functions(hang.stuckStack()))
                    .containsSubsequence("request_wait_answer", "fuse_flush", "filp_flush");
            assertThat(LiveProc.status(stuck.pid(), "ShdPnd")).contains("0000000000000100");
            assertThat(hang.waiting()).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1));
            assertThat(hang.daemonPid().exists()).as("daemon outside the namespace survives").isTrue();
            ObservedStacks.record("fuse-flush-pidns", "namespace init (NSpid 1)", init.state(), hang.initStack());
            ObservedStacks.record("fuse-flush-pidns", "member closing a FUSE file, ShdPnd 0000000000000100",
                    'D', hang.stuckStack());

            // kill -9 changes nothing: the signal is already pending
            stuck.kill();
            LiveWait.sleep(300);
            assertThat(stuck.state()).isEqualTo('D');

            assertThat(hang.abort()).isTrue();
            assertThat(stuck.awaitGone(Duration.ofSeconds(5))).as("stuck member ends on abort").isTrue();
            assertThat(init.awaitGone(Duration.ofSeconds(5))).as("init ends on abort").isTrue();
        }
        assertGone(pids);
        assertNotMounted(mnt);
        assertConnectionGone(conn);
    }
}
