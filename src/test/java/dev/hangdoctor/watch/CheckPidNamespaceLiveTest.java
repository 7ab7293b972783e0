package dev.hangdoctor.watch;

import dev.hangdoctor.deploy.PromTools;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * node-problem-detector runs `check` in a pid namespace of its own. There a scan of /proc sees nothing of the host:
 * during a live FUSE hang `check` must still say HANG (from the agent) or, with no agent, UNKNOWN — never "OK".
 */
@Tag("live")
class CheckPidNamespaceLiveTest {
    @TempDir
    Path state;

    private WatchAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private static PromTools.Run checkInNewPidNamespace(Path socket) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-p", "-f", "--mount-proc", java.toString(),
                "-cp", System.getProperty("java.class.path"), "dev.hangdoctor.cli.Main", "check", "--window", "500ms",
                "--agent-socket", socket.toString()));
        return PromTools.run(null, cmd);
    }

    @Test
    void checkInItsOwnPidNamespaceAsksTheAgentAndNeverGuessesOk() throws Exception {
        LivePreconditions.assumeFuseHangs();
        Assumptions.assumeTrue(PromTools.run(null, List.of("unshare", "-p", "-f", "--mount-proc", "true")).exit() == 0,
                "unshare -p cannot make a pid namespace here");
        WatchLiveTest.assumeFewThreads();
        WatchConfig cfg = WatchConfig.defaults().withStateDir(state).withListen("off")
                .withInterval(Duration.ofSeconds(1)).withStuckAfter(Duration.ofSeconds(3))
                .withScan(Duration.ofSeconds(1), Duration.ofSeconds(2), 2);
        agent = new WatchAgent(cfg, l -> { }).start();
        Path socket = state.resolve(CheckSocket.FILE);
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().waiters(2))) {
            long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (agent.tracker().open().stream().noneMatch(i -> i.signature().equals("fuse-daemon-hung"))
                    && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            PromTools.Run withAgent = checkInNewPidNamespace(socket);
            assertThat(withAgent.exit()).as(withAgent.output()).isEqualTo(1);
            assertThat(withAgent.output()).startsWith("HANG ");

            PromTools.Run noAgent = checkInNewPidNamespace(state.resolve("no-agent.sock"));
            assertThat(noAgent.exit()).as(noAgent.output()).isEqualTo(2);
            assertThat(noAgent.output()).startsWith("UNKNOWN: no agent at ").doesNotContain("OK");
        }
    }
}
