package dev.hangdoctor.watch;

import dev.hangdoctor.collect.ProcFixtures;
import dev.hangdoctor.watch.CheckFixture.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `check` asks the running agent over its check socket, and scans by itself only when no agent answers. */
class CheckAgentTest {
    @TempDir
    Path tmp;

    private WatchAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private static Run check(String... args) {
        return CheckFixture.jvmCheck(args);
    }

    private Path startAgent(Path root) throws Exception {
        agent = CheckFixture.startAgent(root, tmp.resolve("state"));
        return tmp.resolve("state").resolve(CheckSocket.FILE);
    }

    @Test
    void theAgentsOpenIncidentIsTheAnswer() throws Exception {
        Path socket = startAgent(ProcFixtures.copyBundle(tmp.resolve("host")));
        assertThat(socket).exists();
        assertThat(Files.getPosixFilePermissions(socket)).hasSize(2); // rw-------
        // before the first full scan: no incident yet, the agent says so
        assertThat(check("--agent-socket", socket.toString())).isEqualTo(new Run(0, "OK: no hang\n"));
        CheckFixture.awaitIncident(agent);
        int open = agent.tracker().open().size();
        assertThat(open).isPositive();
        // --root points at an empty host: a scan of its own would say OK, so a HANG comes from the agent
        Run r = check("--agent-socket", socket.toString(), "--root", tmp.resolve("empty").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("HANG ").endsWith("\n").doesNotContain("\n\n");
        assertThat(r.out().strip().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(80);
        if (open > 1) {
            assertThat(r.out()).contains("more");
        }
        // and --no-agent scans by itself: that empty root has no hang
        Files.createDirectories(tmp.resolve("empty"));
        assertThat(check("--no-agent", "--window", "0", "--root", tmp.resolve("empty").toString()).exit()).isZero();
    }

    @Test
    void withoutAnAgentCheckScansByItself() throws Exception {
        Path notASocket = Files.writeString(tmp.resolve("check.sock"), "");
        Run r = check("--agent-socket", notASocket.toString(), "--window", "200ms",
                "--root", "src/test/resources/proc/bundle-6.18");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("HANG ");
        Run none = check("--agent-socket", tmp.resolve("absent.sock").toString(), "--window", "0",
                "--root", tmp.resolve("nothing").toString());
        assertThat(none.exit()).isZero();
    }

    @Test
    void anAgentThatIsNotSamplingIsNoAnswer() {
        assertThat(CheckClient.parse("- agent not sampling (last sample 90000 ms ago)")).isNull();
        assertThat(CheckClient.parse("1 HANG fuse: fusefs:7 blocks 2 tasks [fuse-daemon-hung]"))
                .isEqualTo(new CheckClient.Answer(1, "HANG fuse: fusefs:7 blocks 2 tasks [fuse-daemon-hung]"));
        assertThat(CheckClient.parse("0 OK: no hang")).isEqualTo(new CheckClient.Answer(0, "OK: no hang"));
        assertThat(CheckClient.parse("garbage")).isNull();
        assertThat(CheckClient.parse("")).isNull();
    }
}
