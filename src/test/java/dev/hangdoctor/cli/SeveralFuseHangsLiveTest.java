package dev.hangdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangdoctor.live.HealthyFuseMount;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three FUSE hangs at once on one host, each a `stat` waiting on its own daemon: one daemon stopped (SIGSTOP, its
 * waiter in D), one that reads every request and answers none (its waiter in S), one that never reads /dev/fuse
 * after INIT (the request stays pending), beside a healthy mount. Scan ties
 * each waiter to its own connection (the path of its stat call against the mounts) and makes one finding per
 * connection with that connection's daemon as the blocker and what is wrong with it; fix ends both without
 * --connection, and the healthy mount lives. Other engineers' FUSE hangs may exist on the machine: assertions are
 * about this test's pids, and fix is restricted to them with --pid.
 */
@Tag("live")
class SeveralFuseHangsLiveTest {
    @TempDir
    Path state;

    /** The one finding naming {@code pid} as a victim (fails unless exactly one does). */
    static JsonNode findingWith(JsonNode findings, int pid) {
        List<JsonNode> hits = new ArrayList<>();
        for (JsonNode f : findings) {
            for (JsonNode v : f.get("victims")) {
                if (v.get("pid").asInt() == pid) {
                    hits.add(f);
                }
            }
        }
        assertThat(hits).as("findings naming %d among %s", pid, findings).hasSize(1);
        return hits.get(0);
    }

    @Test
    void eachConnectionIsItsOwnFindingWithItsDaemonNamedAndFixEndsBoth() throws Exception {
        LivePreconditions.assumeFuseHangs();
        try (HungFuseDaemon stopped = HungFuseDaemon.start(new HungFuseDaemon.Spec().nudgeIntoD(true).stopDaemon(true));
             HungFuseDaemon silent = HungFuseDaemon.start();
             HungFuseDaemon deaf = HungFuseDaemon.start(new HungFuseDaemon.Spec().neverRead(true));
             HealthyFuseMount healthy = HealthyFuseMount.start()) {
            int waiterA = stopped.waiters().get(0).pid().pid();
            int waiterB = silent.waiters().get(0).pid().pid();
            int waiterC = deaf.waiters().get(0).pid().pid();

            CliRun scan = CliRun.of("scan", "--json", "--window", "1s");
            assertThat(scan.exit()).as(scan.err()).isEqualTo(ExitCodes.PROBLEM);
            JsonNode findings = scan.json().get("findings");
            JsonNode a = findingWith(findings, waiterA);
            JsonNode b = findingWith(findings, waiterB);
            assertThat(a).isNotSameAs(b);
            assertThat(a.get("category").asText()).isEqualTo("fuse");
            assertThat(a.get("rootCause").get("pid").asInt()).isEqualTo(stopped.daemonPid().pid());
            assertThat(a.get("blocker").asText()).contains("FUSE connection " + stopped.connectionId())
                    .contains("is stopped (T)");
            assertThat(b.get("rootCause").get("pid").asInt()).isEqualTo(silent.daemonPid().pid());
            assertThat(b.get("blocker").asText()).contains("FUSE connection " + silent.connectionId())
                    .contains("reads /dev/fuse but never answers");
            JsonNode c = findingWith(findings, waiterC);
            assertThat(c.get("rootCause").get("pid").asInt()).isEqualTo(deaf.daemonPid().pid());
            assertThat(c.get("blocker").asText()).contains("FUSE connection " + deaf.connectionId())
                    .contains("never reads /dev/fuse (no thread in fuse_dev_do_read)");

            CliRun fix = CliRun.of("fix", "--json", "--yes", "--window", "1s", "--state-dir", state.toString(),
                    "--pid", Integer.toString(waiterA), "--pid", Integer.toString(waiterB), "--pid",
                    Integer.toString(waiterC));
            assertThat(fix.exit()).as(fix.out() + fix.err()).isEqualTo(ExitCodes.OK);
            assertThat(fix.json().get("plan").toString()).contains("connections/" + stopped.connectionId() + "/abort")
                    .contains("connections/" + silent.connectionId() + "/abort")
                    .contains("connections/" + deaf.connectionId() + "/abort");
            assertThat(stopped.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(silent.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(deaf.waiters().get(0).pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            assertThat(Files.readString(healthy.file())).isEqualTo(HealthyFuseMount.CONTENT);
            assertThat(healthy.daemonPid().exists()).isTrue();
        }
    }
}
