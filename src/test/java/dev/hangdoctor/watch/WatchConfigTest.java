package dev.hangdoctor.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WatchConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreSafe() {
        WatchConfig c = WatchConfig.defaults();
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.stuckAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.listenAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(c.listenAddress().getPort()).isEqualTo(9462);
        assertThat(c.remediate()).isFalse();
        assertThat(c.allowActions()).isFalse();
        assertThat(c.remediates("hung-fuse-daemon")).isFalse();
        assertThat(c.kmsgDevice()).isEqualTo(Path.of("/dev/kmsg"));
    }

    @Test
    void readsEveryKeyFromYaml() throws Exception {
        Path f = dir.resolve("watch.yaml");
        Files.copy(Path.of("src/test/resources/watch/watch.yaml"), f);
        WatchConfig c = WatchConfig.load(f);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.stuckAfter()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.listenAddress().getPort()).isZero();
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/hangdoctor-state"));
        assertThat(c.threadReadsPerInterval()).isEqualTo(2000);
        assertThat(c.scanWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.scanDeadline()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.rescanEvery()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.cooldown()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.resolveAfter()).isEqualTo(3);
        assertThat(c.kmsgDevice()).isNull();
        assertThat(c.kmsgHold()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.maxIncidents()).isEqualTo(50);
        assertThat(c.maxBytes()).isEqualTo(64L << 20);
        assertThat(c.remediates("fuse-daemon-hung")).isTrue();
        assertThat(c.remediates("centos7-jbd2-oom-getblk-deadlock")).isFalse();
        assertThat(c.allowActions()).isTrue();
        assertThat(c.tokenFile()).isEqualTo(Path.of("/etc/hangdoctor/token"));
        assertThat(c.rules()).containsExactly(Path.of("/etc/hangdoctor/rules"));
        assertThat(c.guard().enabled()).isFalse();
    }

    @Test
    void emptyFileGivesDefaults() throws Exception {
        Path f = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThat(WatchConfig.load(f)).isEqualTo(WatchConfig.defaults());
    }

    @Test
    void typosAreErrorsNotSilentDefaults() {
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("intervall", "1s")))
                .hasMessageContaining("unknown key intervall");
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("api", Map.of("allowAction", true))))
                .hasMessageContaining("unknown key api.allowAction");
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("remediate", Map.of("enabled", "yes please"))))
                .hasMessageContaining("remediate.enabled");
    }

    @Test
    void actingApiNeedsATokenFile() {
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("api", Map.of("allowActions", true))))
                .hasMessageContaining("tokenFile");
    }

    @Test
    void badNumbersAreRefused() {
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("stuckAfter", "200ms"))).hasMessageContaining("at least 1 s");
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("interval", "soon"))).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("listen", "localhost"))).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> WatchConfig.fromMap(Map.of("retention", Map.of("maxBytes", "lots"))))
                .hasMessageContaining("not a size");
    }

    @Test
    void unitsAndOverrides() {
        assertThat(WatchConfig.fromMap(Map.of("scan", Map.of("cooldown", "2m"))).cooldown()).isEqualTo(Duration.ofMinutes(2));
        assertThat(WatchConfig.fromMap(Map.of("interval", 3)).interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(WatchConfig.fromMap(Map.of("retention", Map.of("maxBytes", "2GiB"))).maxBytes()).isEqualTo(2L << 30);
        assertThat(WatchConfig.fromMap(Map.of("retention", Map.of("maxBytes", 1024))).maxBytes()).isEqualTo(1024);
        WatchConfig c = WatchConfig.defaults().withListen("off").withRemediation(true, Set.of("x"));
        assertThat(c.listenAddress()).isNull();
        assertThat(c.remediates("x")).isTrue();
        assertThat(WatchConfig.fromMap(Map.of("rules", List.of("a", "b"))).rules()).hasSize(2);
    }

    @Test
    void mistakesInTheFileNameFileLineAndKey() throws Exception {
        assertFileError("scan:\n  window: 1s\n  deadline: soon\n",
                "watch.yaml:3: scan.deadline: 'soon' is not a duration");
        assertFileError("retention:\n  maxIncidents: many\n",
                "watch.yaml:2: retention.maxIncidents must be a whole number, not 'many'");
        assertFileError("scan: 5\n", "watch.yaml:1: scan must be a mapping");
        assertFileError("interval: 1s\ninterval: 2s\n", "watch.yaml:2: not valid YAML: Duplicate field 'interval'");
        assertFileError("guard:\n  enabled: true\n  cgroups: [/a]\n  protect:\n    - {comm: sshd, pid: 3}\n",
                "watch.yaml:5: unknown key guard.protect[0].pid (known: cgroup, comm, user)");
        assertFileError("- 1\n", "watch.yaml:1: the top level must be a mapping");
        assertFileError("interval: 1s\napi:\n  allowAction: true\n",
                "watch.yaml:3: unknown key api.allowAction (known: allowActions, tokenFile)");
    }

    private void assertFileError(String yaml, String message) throws Exception {
        Path f = Files.writeString(dir.resolve("watch.yaml"), yaml);
        assertThatThrownBy(() -> WatchConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + message.substring("watch.yaml".length()))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unknownRemediationSignaturesAreRefusedWithTheNearestKnownOnes() {
        WatchConfig c = WatchConfig.fromMap(Map.of("remediate",
                Map.of("enabled", true, "signatures", List.of("fuse-daemon-hung", "hung-fuse-daemon"))));
        List<String> known = List.of("fuse-daemon-hung", "fuse-flush-exit-pidns", "rcu-stall", "soft-lockup");
        assertThatThrownBy(() -> c.checkSignatures(known)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("remediate.signatures: unknown signature 'hung-fuse-daemon' (nearest known: "
                        + "fuse-daemon-hung");
        WatchConfig.fromMap(Map.of("remediate", Map.of("signatures", "rcu-stall"))).checkSignatures(known);
    }

    @Test
    void theAgentRefusesAnUnknownRemediationSignatureAtStart() {
        WatchConfig c = WatchConfig.defaults().withStateDir(dir.resolve("state")).withListen("off")
                .withKmsgDevice(null).withRemediation(true, Set.of("hung-fuse-daemon"));
        assertThatThrownBy(() -> new WatchAgent(c, line -> { }).close())
                .hasMessageStartingWith("remediate.signatures: unknown signature 'hung-fuse-daemon' (nearest known: "
                        + "fuse-daemon-hung, ");
    }

    @Test
    void aBadGuardSectionStopsTheAgentAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WatchConfig.fromMap(java.util.Map.of("guard",
                java.util.Map.of("enabled", true, "threshold", "lots"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
    }
}
