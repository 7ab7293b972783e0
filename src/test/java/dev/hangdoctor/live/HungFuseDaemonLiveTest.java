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
class HungFuseDaemonLiveTest {

    @BeforeEach
    void needsHost() {
        LivePreconditions.assumeFuseHangs();
    }

    @Test
    void statOnADaemonThatOnlyAnsweredInitSleepsInFuseLookupUntilAbort() throws Exception {
        Path mnt;
        int conn;
        List<OwnedPid> pids;
        try (HungFuseDaemon hang = HungFuseDaemon.start()) {
            mnt = hang.mountPoint();
            conn = hang.connectionId();
            pids = hang.ownPids();
            HungFuseDaemon.Waiter w = hang.waiters().get(0);
            assertThat(w.pid().state()).isEqualTo('S');
            assertThat(LiveProc.functions(w.stack())).containsSubsequence("request_wait_answer", "fuse_lookup");
            assertThat(hang.waiting()).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1));
            assertThat(FuseControl.mountAt(mnt)).hasValueSatisfying(m -> {
                assertThat(m.major()).isZero();
                assertThat(m.minor()).isEqualTo(conn);
            });
            ObservedStacks.record("fuse-hung-daemon", "stat waiting for LOOKUP", w.pid().state(), w.stack());

            assertThat(hang.abort()).isTrue();
            assertThat(w.pid().awaitGone(Duration.ofSeconds(5))).as("waiter released by abort").isTrue();
        }
        assertGone(pids);
        assertNotMounted(mnt);
        assertConnectionGone(conn);
    }

    @Test
    void stoppedDaemonHoldsAClusterOfDStateWaitersThatSigkillCannotFree() {
        Path mnt;
        int conn;
        List<OwnedPid> pids;
        try (HungFuseDaemon hang = HungFuseDaemon.stoppedCluster(8)) {
            mnt = hang.mountPoint();
            conn = hang.connectionId();
            pids = hang.ownPids();
            assertThat(hang.daemonPid().state()).isEqualTo('T');
            assertThat(hang.waiters()).hasSize(8).allSatisfy(w -> {
                assertThat(w.pid().state()).isEqualTo('D');
                assertThat(LiveProc.functions(w.stack())).containsSubsequence("request_wait_answer", "fuse_lookup");
            });
            assertThat(hang.waiting()).hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(8));
            ObservedStacks.record("fuse-stopped-daemon-cluster", "stat interrupted once, killable wait", 'D',
                    hang.waiters().get(0).stack());

            // the daemon read the request, so SIGKILL leaves the waiter in the uninterruptible wait
            OwnedPid first = hang.waiters().get(0).pid();
            first.kill();
            LiveWait.sleep(300);
            assertThat(first.exists()).isTrue();
            assertThat(first.state()).isEqualTo('D');
            ObservedStacks.record("fuse-stopped-daemon-cluster", "stat after SIGKILL", first.state(),
                    LiveProc.stack(first.pid()));
        }
        assertGone(pids);
        assertNotMounted(mnt);
        assertConnectionGone(conn);
    }

    @Test
    void waitersOnTheSameNameQueueBehindOneLookup() {
        List<OwnedPid> pids;
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().waiters(3).sameName(true))) {
            pids = hang.ownPids();
            List<List<String>> stacks = hang.waiters().stream().map(w -> LiveProc.functions(w.stack())).toList();
            assertThat(stacks).filteredOn(f -> f.contains("fuse_lookup")).hasSize(1);
            assertThat(stacks).filteredOn(f -> f.contains("d_alloc_parallel")).hasSize(2);
            hang.waiters().stream().filter(w -> w.stack().contains("d_alloc_parallel")).findFirst()
                    .ifPresent(w -> ObservedStacks.record("fuse-hung-daemon", "second stat of the same name",
                            w.pid().state(), w.stack()));
        }
        assertGone(pids);
    }

    @Test
    void withoutParallelDiropsLookupsQueueOnTheDirectoryInFuseLockInode() {
        List<OwnedPid> pids;
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().waiters(3).serialDirops(true))) {
            pids = hang.ownPids();
            List<List<String>> stacks = hang.waiters().stream().map(w -> LiveProc.functions(w.stack())).toList();
            assertThat(stacks).filteredOn(f -> f.contains("request_wait_answer")).hasSize(1);
            assertThat(stacks).filteredOn(f -> f.contains("fuse_lock_inode")).hasSize(2);
            hang.waiters().stream().filter(w -> w.stack().contains("fuse_lock_inode")).findFirst()
                    .ifPresent(w -> ObservedStacks.record("fuse-hung-daemon", "stat of another name, serial dirops",
                            w.pid().state(), w.stack()));
        }
        assertGone(pids);
    }
}
