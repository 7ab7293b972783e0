package dev.hangdoctor.watch;

import dev.hangdoctor.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the tests of `check` share: the JVM's own check in this process, and a real agent on a given host root. */
final class CheckFixture {
    /** Exit code and stdout of one check. */
    record Run(int exit, String out) {
    }

    private CheckFixture() {
    }

    /** `hangdoctor check ARGS` in this JVM. */
    static Run jvmCheck(String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        int rc = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), all.toArray(String[]::new));
        return new Run(rc, out.toString());
    }

    /** An agent sampling {@code root} every 200 ms with its state in {@code state}, once it is healthy. */
    static WatchAgent startAgent(Path root, Path state) throws Exception {
        WatchConfig cfg = WatchConfig.defaults().withRoot(root).withStateDir(state).withListen("off")
                .withKmsgDevice(null).withInterval(Duration.ofMillis(200)).withStuckAfter(Duration.ofHours(1));
        WatchAgent agent = new WatchAgent(cfg, l -> { }).start();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!agent.healthy() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return agent;
    }

    /** Asks the agent for a full scan and waits (at most 20 s) until it has an open incident. */
    static void awaitIncident(WatchAgent agent) throws InterruptedException {
        agent.requestScan();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (agent.tracker().open().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }
}
