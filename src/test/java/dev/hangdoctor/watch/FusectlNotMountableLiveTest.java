package dev.hangdoctor.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangdoctor.cli.WithoutFusectl;
import dev.hangdoctor.collect.ProcTreeReader;
import dev.hangdoctor.live.FuseControl;
import dev.hangdoctor.live.HungFuseDaemon;
import dev.hangdoctor.live.LivePreconditions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A host without fusectl where the product may not mount it: scan, fix and the agent run in a user namespace with a
 * mount namespace of their own ({@link WithoutFusectl#commandInUserNamespace}), where fusectl is unmounted and the
 * kernel refuses to mount it again. The FUSE hang is real and made by the test. The product must not stay silently
 * blind: one line on stderr, the JSON warning, the agent's scan-warnings metric, the refused mount in the audit log,
 * and the hung caller still reported from what the kernel shows without fusectl.
 */
@Tag("live")
class FusectlNotMountableLiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFUSED = "fusectl is not mounted at /sys/fs/fuse/connections and could not be"
            + " mounted";

    @TempDir
    Path dir;

    @Test
    void scanFixAndTheAgentSayTheyAreBlindWhereFusectlMayNotBeMounted() throws Exception {
        boolean hostHadIt = assumeFuseHangsAndUserNamespaces();
        // the caller nudged into D: without stacks and waiting counts its state is what the kernel still shows
        try (HungFuseDaemon hang = HungFuseDaemon.start(new HungFuseDaemon.Spec().nudgeIntoD(true))) {
            int waiter = hang.waiters().get(0).pid().pid();

            // scan is read-only: it does not try to mount, it says it is blind, once, and why stacks are missing
            Run scan = run("scan", "--json", "--window", "1s");
            JsonNode s = JSON.readTree(scan.out);
            assertThat(linesAbout(scan.err, "fusectl")).as(scan.err)
                    .containsExactly("hangdoctor: warning: " + ProcTreeReader.FUSECTL_MISSING);
            assertThat(linesAbout(scan.err, "kernel stacks")).as(scan.err).singleElement().asString()
                    .contains("user namespace").doesNotContain("run as root");
            assertThat(strings(s.get("warnings"))).contains(ProcTreeReader.FUSECTL_MISSING);
            assertThat(s.get("findings").toString()).as("the stuck caller is still reported")
                    .contains("\"pid\":" + waiter);

            // fix --yes tries the mount, the kernel refuses it: one line, the JSON field, the audit log
            Path fixState = dir.resolve("fix");
            Run fix = run("fix", "--json", "--yes", "--window", "1s", "--state-dir", fixState.toString(),
                    "--pid", Integer.toString(waiter));
            assertThat(JSON.readTree(fix.out).get("fusectl").asText()).startsWith(REFUSED)
                    .endsWith("FUSE connections stay invisible");
            assertThat(linesAbout(fix.err, "fusectl")).as(fix.err).singleElement().asString()
                    .startsWith("hangdoctor: " + REFUSED);
            assertMountRefusedIn(fixState.resolve("audit.jsonl"));

            // the agent: the same line at start, the audit log, the metric, the API's warning, and the incident
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path state = dir.resolve("agent");
            Path config = Files.writeString(dir.resolve("watch.yaml"), String.join("\n",
                    "interval: 1s", "stuckAfter: 3s", "listen: \"127.0.0.1:" + port + "\"",
                    "scan: {window: 1s, resolveAfter: 2}", ""));
            Path log = dir.resolve("agent.log");
            Process agent = new ProcessBuilder(WithoutFusectl.commandInUserNamespace("watch", "--config",
                    config.toString(), "--state-dir", state.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await("the agent started", Duration.ofSeconds(60), () -> read(log).contains("watching:"), log);
                assertThat(linesAbout(read(log), "fusectl")).as(read(log)).singleElement().asString()
                        .contains("hangdoctor: " + REFUSED);
                assertMountRefusedIn(state.resolve("audit.jsonl"));
                await("the scan-warnings metric counts fusectl_missing", Duration.ofSeconds(30),
                        () -> fusectlMissingCount(port) >= 1, log);
                JsonNode[] diagnosis = new JsonNode[1];
                await("a full scan naming caller " + waiter, Duration.ofSeconds(60), () -> {
                    diagnosis[0] = diagnosis(port);
                    return diagnosis[0] != null && diagnosis[0].get("findings").toString()
                            .contains("\"pid\":" + waiter);
                }, log);
                assertThat(strings(diagnosis[0].get("warnings"))).contains(ProcTreeReader.FUSECTL_MISSING);
                assertThat(fusectlMissingCount(port)).as("counted at start and by the full scan")
                        .isGreaterThanOrEqualTo(2);
            } finally {
                stop(agent);
            }
        }
        assertThat(FuseControl.mounted()).as("the host's own mounts are untouched").isEqualTo(hostHadIt);
    }

    /**
     * The hard kind on current kernels: the caller sleeps in S and only the connection's waiting count (fusectl)
     * shows that nothing drains. Where that count and the stacks are both refused, scan either still finds the caller
     * or says, in its JSON and in one stderr line, that FUSE waiting requests are not counted.
     */
    @Test
    void aCallerAsleepBehindAHungConnectionIsFoundOrTheScanSaysItCannotCountWaitingRequests() throws Exception {
        boolean hostHadIt = assumeFuseHangsAndUserNamespaces();
        try (HungFuseDaemon hang = HungFuseDaemon.start()) {
            int waiter = hang.waiters().get(0).pid().pid();
            Run scan = run("scan", "--json", "--window", "1s");
            JsonNode s = JSON.readTree(scan.out);
            boolean found = s.get("findings").toString().contains("\"pid\":" + waiter);
            boolean saysBlind = strings(s.get("warnings")).contains(ProcTreeReader.FUSECTL_MISSING)
                    && linesAbout(scan.err, "fusectl").equals(
                    List.of("hangdoctor: warning: " + ProcTreeReader.FUSECTL_MISSING));
            assertThat(found || saysBlind).as("caller %d neither found nor the blindness said:%n%s%n%s", waiter,
                    scan.err, s.get("findings")).isTrue();
        }
        assertThat(FuseControl.mounted()).as("the host's own mounts are untouched").isEqualTo(hostHadIt);
    }

    private record Run(String out, String err) {
    }

    private static List<String> linesAbout(String text, String word) {
        return text.lines().filter(l -> l.contains(word)).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The mount's intent before it and its refusal after it, as every audited change is recorded. */
    private static void assertMountRefusedIn(Path audit) {
        assertThat(linesAbout(read(audit), "\"action\":\"fusectl-mount\"")).as(read(audit)).satisfiesExactly(
                l -> assertThat(l).contains("\"result\":\"attempting\"")
                        .contains("\"before\":\"fusectl not mounted at /sys/fs/fuse/connections\""),
                l -> assertThat(l).contains("\"result\":\"failed: could not be mounted")
                        .contains("\"after\":\"fusectl not mounted at /sys/fs/fuse/connections\""));
    }

    /** hangdoctor_scan_warnings_total{kind="fusectl_missing"} as the agent's /metrics shows it; -1 when absent. */
    private static double fusectlMissingCount(int port) {
        String prefix = "hangdoctor_scan_warnings_total{kind=\"fusectl_missing\"} ";
        try {
            return get(port, "/metrics").lines().filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The agent's last full diagnosis from its API; null before the first. */
    private static JsonNode diagnosis(int port) {
        try {
            JsonNode d = JSON.readTree(get(port, "/api/diagnosis")).get("diagnosis");
            return d == null || d.isNull() ? null : d;
        } catch (Exception e) {
            return null;
        }
    }

    private Run run(String... args) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(WithoutFusectl.commandInUserNamespace(args))
                .redirectError(err.toFile()).start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("product finished").isTrue();
            return new Run(new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } finally {
            stop(p);
        }
    }

    /** Skips where FUSE hangs or user namespaces cannot be made; returns whether the host has fusectl now. */
    private static boolean assumeFuseHangsAndUserNamespaces() {
        LivePreconditions.assumeFuseHangs();
        assumeTrue(Files.isDirectory(FuseControl.CONNECTIONS), "fuse module not loaded");
        assumeTrue(userNamespacesWork(), "user namespaces not available (unshare -Urm)");
        return FuseControl.mounted();
    }

    private static boolean userNamespacesWork() {
        try {
            Process p = new ProcessBuilder("unshare", "-Urm", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Ends the process started here (and, through its pid, nothing else). */
    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        return WatchWithoutFusectlLiveTest.read(file);
    }

    private static void await(String what, Duration within, BooleanSupplier done, Path log)
            throws InterruptedException {
        WatchWithoutFusectlLiveTest.await(what, within, done, log);
    }
}
