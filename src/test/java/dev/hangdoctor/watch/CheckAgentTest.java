package dev.hangdoctor.watch;

import dev.hangdoctor.cli.Main;
import dev.hangdoctor.collect.ProcFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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

    private record Run(int exit, String out) {
    }

    private static Run check(String... args) {
        StringWriter out = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        int rc = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), all);
        return new Run(rc, out.toString());
    }

    private Path startAgent(Path root) throws Exception {
        Path state = tmp.resolve("state");
        WatchConfig cfg = WatchConfig.defaults().withRoot(root).withStateDir(state).withListen("off")
                .withKmsgDevice(null).withInterval(Duration.ofMillis(200)).withStuckAfter(Duration.ofHours(1));
        agent = new WatchAgent(cfg, l -> { }).start();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!agent.healthy() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return state.resolve(CheckSocket.FILE);
    }

    @Test
    void theAgentsOpenIncidentIsTheAnswer() throws Exception {
        Path socket = startAgent(ProcFixtures.copyBundle(tmp.resolve("host")));
        assertThat(socket).exists();
        assertThat(Files.getPosixFilePermissions(socket)).hasSize(2); // rw-------
        // before the first full scan: no incident yet, the agent says so
        assertThat(check("--agent-socket", socket.toString())).isEqualTo(new Run(0, "OK: no hang\n"));
        agent.requestScan();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (agent.tracker().open().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
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
