package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangdoctor.cli.Main;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import dev.hangdoctor.live.MemcgOomStall;
import dev.hangdoctor.live.OwnedPid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running agent (1 s interval, 3 s threshold) on real hangs: the incident opens within 15 s of the hang's onset
 * and resolves once the hang is ended. Other hangs on the host (other tests' leftovers) are told apart by pid.
 */
@Tag("live")
class WatchLiveTest {
    private static final Duration BOUND = Duration.ofSeconds(15);

    @TempDir
    Path state;

    private WatchAgent agent;
    // written by the agent's threads while a failing assertion joins it: a copy-on-write list iterates safely
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    /**
     * A full scan reads processes in pid order within its deadline; next to a process with thousands of threads it
     * may stop before it reaches the hang this test made, and the incident cannot open in time. Such a host is not a
     * fair place for the latency bound (the cost bench runs there instead).
     */
    static void assumeFewThreads() {
        long threads = 0;
        try (var procs = java.nio.file.Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String status;
                try {
                    status = java.nio.file.Files.readString(p.resolve("status"));
                } catch (java.io.IOException e) {
                    continue; // exited meanwhile
                }
                int i = status.indexOf("\nThreads:");
                if (i >= 0) {
                    threads += Long.parseLong(status.substring(i + 9, status.indexOf('\n', i + 1)).trim());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(threads < 5000,
                "host has " + threads + " threads: a full scan may not reach this test's hang within its deadline");
    }

    private void startAgent() throws Exception {
        startAgent(cfg -> cfg);
    }

    private void startAgent(java.util.function.UnaryOperator<WatchConfig> more) throws Exception {
        assumeFewThreads();
        WatchConfig cfg = WatchConfig.defaults().withStateDir(state).withListen("off")
                .withInterval(Duration.ofSeconds(1)).withStuckAfter(Duration.ofSeconds(3))
                .withScan(Duration.ofSeconds(1), Duration.ofSeconds(2), 2);
        agent = new WatchAgent(more.apply(cfg), log::add).start();
    }

    private ObjectNode awaitIncident(Predicate<ObjectNode> mine, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            for (ObjectNode o : agent.tracker().list()) {
                if (mine.test(o)) {
                    return o;
                }
            }
            Thread.sleep(200);
        }
        String seen;
        synchronized (log) {
            seen = String.join("\n", log);
        }
        throw new AssertionError("no incident within " + within.toSeconds() + " s; last sample: " + agent.lastSample()
                + "; full scans: " + agent.fullScans() + "; agent log:\n" + seen
                + "\nincidents: " + agent.tracker().list());
    }

    private ObjectNode awaitResolved(String id, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            ObjectNode o = agent.tracker().get(id);
            if (o != null && o.get("state").asText().equals("resolved")) {
                return o;
            }
            Thread.sleep(200);
        }
        String seen;
        synchronized (log) {
            seen = String.join("\n", log);
        }
        throw new AssertionError("incident " + id + " not resolved within " + within.toSeconds() + " s; agent log:\n"
                + seen + "\nincident: " + agent.tracker().get(id));
    }

    private static Predicate<ObjectNode> involving(Set<Integer> pids) {
        return o -> {
            for (var p : o.get("stuckPids")) {
                if (pids.contains(p.asInt())) {
                    return true;
                }
            }
            return o.get("rootCause").isObject() && pids.contains(o.get("rootCause").get("pid").asInt());
        };
    }

    @Test
    void hungFuseDaemonIsAnIncidentWithinTheBoundAndResolvesAfterFix() throws Exception {
        LivePreconditions.assumeFuseHangs();
        startAgent();
        Instant onset = Instant.now();
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().waiters(2))) {
            Set<Integer> pids = new HashSet<>();
            hang.ownPids().forEach(p -> pids.add(p.pid()));
            ObjectNode inc = awaitIncident(involving(pids), BOUND.plusSeconds(5));
            Instant opened = Instant.parse(inc.get("openedAt").asText());
            assertThat(Duration.between(onset, opened)).as("onset to incident").isLessThanOrEqualTo(BOUND);
            System.out.println("watch: FUSE hang onset to incident " + Duration.between(onset, opened).toMillis() + " ms");
            assertThat(inc.get("category").asText()).isEqualTo("fuse");
            assertThat(state.resolve("incidents").resolve(inc.get("id").asText()).resolve("bundle/proc")).isDirectory();

            StringWriter out = new StringWriter();
            int rc = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "fix", "--yes",
                    "--window", "500ms", "--action", "fuse-abort", "--connection", Integer.toString(hang.connectionId()),
                    "--state-dir", state.resolve("fix").toString());
            assertThat(rc).as(out.toString()).isZero();
            for (HungFuseDaemon.Waiter w : hang.waiters()) {
                assertThat(w.pid().awaitGone(Duration.ofSeconds(10))).isTrue();
            }
            Instant fixed = Instant.now();
            ObjectNode done = awaitResolved(inc.get("id").asText(), Duration.ofSeconds(40));
            System.out.println("watch: FUSE fix to resolved " + Duration.between(fixed,
                    Instant.parse(done.get("resolvedAt").asText())).toMillis() + " ms");
            assertThat(done.get("resolvedAt").isNull()).isFalse();
        }
    }

    /**
     * The busy host: four real hangs at once (a stopped FUSE daemon with a stat waiting, a FUSE flush in a dying pid
     * namespace, an orphaned userfaultfd, a memcg OOM stall) are four incidents, each within the bound and each with
     * its own stuck pids; ending one resolves its incident while the other three stay open; ending the rest resolves
     * them.
     */
    @Test
    void fourHangsAtOnceAreFourIncidentsEachResolvedOnItsOwn() throws Exception {
        LivePreconditions.assumePidnsFuseHangs();
        LivePreconditions.assumeUffdHangs();
        LivePreconditions.assumeMemcgV1Hangs();
        startAgent();
        Instant onset = Instant.now();
        try (HungFuseDaemon stat = HungFuseDaemon.start(new HungFuseDaemon.Spec().nudgeIntoD(true).stopDaemon(true));
             dev.hangdoctor.live.FuseFlushPidns flush = dev.hangdoctor.live.FuseFlushPidns.start();
             dev.hangdoctor.live.OrphanUffd uffd = dev.hangdoctor.live.OrphanUffd.start();
             dev.hangdoctor.live.MemcgOomStall memcg = dev.hangdoctor.live.MemcgOomStall.start()) {
            List<Integer> stuck = List.of(stat.waiters().get(0).pid().pid(), flush.stuckPid().pid(), uffd.pid().pid(),
                    memcg.stalled().get(0).pid().pid());
            List<String> ids = new ArrayList<>();
            for (int pid : stuck) {
                ObjectNode inc = awaitIncident(involving(Set.of(pid)), BOUND.plusSeconds(10));
                Instant opened = Instant.parse(inc.get("openedAt").asText());
                System.out.println("watch: busy host, pid " + pid + " onset to incident "
                        + Duration.between(onset, opened).toMillis() + " ms");
                ids.add(inc.get("id").asText());
            }
            assertThat(ids).as("one incident per hang").doesNotHaveDuplicates();

            fix(stuck.get(0));
            awaitResolved(ids.get(0), Duration.ofSeconds(40));
            for (String other : ids.subList(1, ids.size())) {
                assertThat(agent.tracker().get(other).get("state").asText()).as(other).isNotEqualTo("resolved");
            }
            for (int i = 1; i < stuck.size(); i++) {
                fix(stuck.get(i));
            }
            for (String other : ids.subList(1, ids.size())) {
                awaitResolved(other, Duration.ofSeconds(40));
            }
        }
    }

    private void fix(int pid) {
        StringWriter out = new StringWriter();
        int rc = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "fix", "--yes",
                "--window", "500ms", "--pid", Integer.toString(pid), "--state-dir", state.resolve("fix").toString());
        assertThat(rc).as(out.toString()).isZero();
    }

    /**
     * A fix asked through the API for this test's incident (a finding with a blocker: the hung daemon) takes the
     * knowledge base's remedy, fuse-abort of the daemon's own connection, and the hang ends. The agent's own
     * auto-remediation is left off: it would act on other hangs of the host too.
     */
    @Test
    void aFixAskedThroughTheApiEndsTheHungFuseDaemon() throws Exception {
        LivePreconditions.assumeFuseHangs();
        Path token = java.nio.file.Files.writeString(state.resolve("token"), "live-test-token\n");
        java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        startAgent(cfg -> cfg.withListen("127.0.0.1:0").withActions(true, token));
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().waiters(2))) {
            Set<Integer> pids = new HashSet<>();
            hang.ownPids().forEach(p -> pids.add(p.pid()));
            ObjectNode inc = awaitIncident(involving(pids), BOUND.plusSeconds(5));
            // only an incident keyed by this test's daemon: a fix for it is planned against the finding with that
            // blocker, so it never reaches another test's mount
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    inc.get("key").asText().contains("|pid:" + hang.daemonPid().pid() + "@"),
                    "another FUSE hang of this host was diagnosed as the same finding: " + inc.get("key"));
            String id = inc.get("id").asText();
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://"
                            + WatchAgent.hostPort(agent.apiAddress()) + "/api/incidents/" + id + "/fix"))
                            .header("Authorization", "Bearer live-test-token")
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ObjectNode acted = awaitAction(id, Duration.ofSeconds(30));
            var action = acted.get("actions").get(0);
            org.junit.jupiter.api.Assumptions.assumeFalse(action.get("result").asText()
                    .contains("choose one with --connection"), "another FUSE hang on this host makes it ambiguous: "
                    + action);
            assertThat(action.get("action").asText()).as("%s", acted).isEqualTo("fuse-abort");
            assertThat(action.get("result").asText()).isEqualTo("done");
            assertThat(action.get("commands").get(0).asText())
                    .isEqualTo("echo 1 > /sys/fs/fuse/connections/" + hang.connectionId() + "/abort");
            // the hang is over when its waiters return; the incident itself may stay open while other FUSE hangs
            // of the host are folded into the same finding
            for (HungFuseDaemon.Waiter w : hang.waiters()) {
                assertThat(w.pid().awaitGone(Duration.ofSeconds(10))).as("waiter %s returned", w.pid()).isTrue();
            }
        }
    }

    private ObjectNode awaitAction(String id, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            ObjectNode o = agent.tracker().get(id);
            if (o != null && o.get("actions").size() > 0) {
                return o;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no action on incident " + id + " within " + within.toSeconds() + " s; agent log:\n"
                + String.join("\n", List.copyOf(log)));
    }

    @Test
    void memcgOomStallIsAnIncidentWithinTheBoundAndResolvesWhenEnded() throws Exception {
        LivePreconditions.assumeMemcgV1Hangs();
        startAgent();
        Instant onset = Instant.now();
        String id;
        try (MemcgOomStall hang = MemcgOomStall.start()) {
            Set<Integer> pids = new HashSet<>();
            hang.ownPids().forEach(p -> pids.add(p.pid()));
            ObjectNode inc = awaitIncident(involving(pids).or(o -> o.get("category").asText().equals("memcg-oom")
                    && o.get("summary").asText().contains(hang.cgroupDir().getFileName().toString())),
                    BOUND.plusSeconds(5));
            Instant opened = Instant.parse(inc.get("openedAt").asText());
            assertThat(Duration.between(onset, opened)).as("onset to incident").isLessThanOrEqualTo(BOUND);
            System.out.println("watch: memcg hang onset to incident " + Duration.between(onset, opened).toMillis() + " ms");
            assertThat(inc.get("category").asText()).isEqualTo("memcg-oom");
            id = inc.get("id").asText();
            for (OwnedPid p : hang.ownPids()) {
                assertThat(p.exists()).isTrue();
            }
        }
        awaitResolved(id, Duration.ofSeconds(40));
    }
}
