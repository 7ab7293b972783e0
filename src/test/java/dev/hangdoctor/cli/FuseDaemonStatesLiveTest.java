package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangdoctor.live.FuseControl;
import dev.hangdoctor.live.HealthyFuseMount;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.live.OwnedPid;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each state a hung FUSE daemon can be in, on its own, as a real hang: stopped (SIGSTOP, its caller in D), never
 * reading /dev/fuse after INIT, reading every request and answering none (its caller in S), and killed while its
 * /dev/fuse file lives on (a descriptor in flight to a process that never receives it, so no process holds it and
 * the kernel does not abort the connection). Scan diagnoses each with the daemon named as the blocker and what is
 * wrong with it ("gone" when no process holds /dev/fuse), and fix --yes, restricted to this test's caller, ends it.
 * A daemon killed with nothing else holding its device ends its own hang: the kernel aborts the connection on that
 * last close, and scan then names nothing of it. Other engineers' FUSE hangs may be on the machine: every assertion
 * is about this test's pids and connection.
 */
@Tag("live")
class FuseDaemonStatesLiveTest {
    @TempDir
    Path state;

    enum DaemonState {
        STOPPED(new HungFuseDaemon.Spec().nudgeIntoD(true).stopDaemon(true), "is stopped (T)"),
        NEVER_READS(new HungFuseDaemon.Spec().neverRead(true), "never reads /dev/fuse (no thread in fuse_dev_do_read)"),
        NEVER_ANSWERS(new HungFuseDaemon.Spec(), "reads /dev/fuse but never answers"),
        KILLED(new HungFuseDaemon.Spec().keeper(true), "no process holds /dev/fuse for it any more");

        final HungFuseDaemon.Spec spec;
        final String blocker;

        DaemonState(HungFuseDaemon.Spec spec, String blocker) {
            this.spec = spec;
            this.blocker = blocker;
        }
    }

    private static String fuseLine(JsonNode finding, int connection) {
        for (JsonNode e : finding.get("evidence")) {
            if (e.asText().startsWith("FUSE connection " + connection + " ")) {
                return e.asText();
            }
        }
        throw new AssertionError("no evidence line for connection " + connection + " in " + finding);
    }

    @ParameterizedTest
    @EnumSource(DaemonState.class)
    void eachDaemonStateIsDiagnosedWithItsDaemonAndEndedByFix(DaemonState s) throws Exception {
        LivePreconditions.assumeFuseHangs();
        try (HungFuseDaemon hang = HungFuseDaemon.start(s.spec);
             HealthyFuseMount healthy = HealthyFuseMount.startWithReader()) {
            OwnedPid waiter = hang.waiters().get(0).pid();
            if (s == DaemonState.KILLED) {
                assertThat(hang.killDaemon()).as("daemon killed and reaped").isTrue();
                assertThat(waiter.exists()).as("the caller still waits once its daemon is gone").isTrue();
            }
            long passes = healthy.readerPasses();

            CliRun scan = CliRun.of("scan", "--json", "--window", "1s");
            assertThat(scan.exit()).as(scan.err()).isEqualTo(ExitCodes.PROBLEM);
            JsonNode f = SeveralFuseHangsLiveTest.findingWith(scan.json().get("findings"), waiter.pid());
            assertThat(f.get("category").asText()).isEqualTo("fuse");
            assertThat(f.get("blocker").asText()).as("%s", f).contains("FUSE connection " + hang.connectionId())
                    .contains(s.blocker);
            if (s == DaemonState.KILLED) {
                assertThat(f.get("rootCause").isNull()).as("no process is the blocker: %s", f).isTrue();
                assertThat(fuseLine(f, hang.connectionId())).contains("no process holds /dev/fuse for it");
            } else {
                assertThat(f.get("rootCause").get("pid").asInt()).as("%s", f).isEqualTo(hang.daemonPid().pid());
                assertThat(fuseLine(f, hang.connectionId())).contains("daemon fusefs:" + hang.daemonPid().pid());
            }

            CliRun fix = CliRun.of("fix", "--json", "--yes", "--window", "1s", "--state-dir", state.toString(),
                    "--pid", Integer.toString(waiter.pid()));
            assertThat(fix.exit()).as(fix.out() + fix.err()).isEqualTo(ExitCodes.OK);
            assertThat(fix.json().get("plan").toString()).contains("connections/" + hang.connectionId() + "/abort")
                    .doesNotContain("connections/" + healthy.connectionId() + "/abort");
            assertThat(waiter.awaitGone(Duration.ofSeconds(10))).as("the caller returned").isTrue();
            assertThat(healthy.readerFailed()).as("the healthy mount's reader never failed").isFalse();
            assertThat(healthy.awaitReaderBeyond(passes, 10)).as("the healthy mount's reader goes on").isTrue();
        }
    }

    @Test
    void aKilledDaemonWhoseDeviceNobodyElseHoldsEndsItsOwnHang() throws Exception {
        LivePreconditions.assumeFuseHangs();
        try (HungFuseDaemon hang = HungFuseDaemon.start()) {
            OwnedPid waiter = hang.waiters().get(0).pid();
            assertThat(hang.killDaemon()).isTrue();
            // the last close of /dev/fuse aborts the connection: the caller gets ECONNABORTED and returns
            assertThat(waiter.awaitGone(Duration.ofSeconds(10))).as("the caller returned").isTrue();
            assertThat(FuseControl.mounted() ? hang.waiting() : java.util.Optional.of(0L))
                    .as("connection %d drained", hang.connectionId()).hasValue(0L);

            CliRun scan = CliRun.of("scan", "--json", "--window", "1s");
            String findings = scan.json().get("findings").toString();
            assertThat(findings).doesNotContain("\"pid\":" + waiter.pid() + ",")
                    .doesNotContain("\"pid\":" + hang.daemonPid().pid() + ",")
                    .doesNotContain("FUSE connection " + hang.connectionId() + " ");
        }
    }
}
