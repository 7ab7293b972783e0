package dev.hangdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The "guard:" section of the agent's YAML: defaults, every key, and one clear line for each mistake. */
class GuardConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @SuppressWarnings("unchecked")
    private static GuardConfig yaml(String text) throws Exception {
        Map<String, Object> doc = YAML.readValue(text, Map.class);
        return GuardConfig.fromMap((Map<String, Object>) doc.get("guard"));
    }

    @Test
    void defaultsAreSafe() {
        GuardConfig c = GuardConfig.fromMap(null);
        assertThat(c.enabled()).isFalse();
        assertThat(c.dryRun()).isTrue();
        assertThat(c.threshold()).isEqualTo(0.9);
        assertThat(c.horizon()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.cooldown()).isEqualTo(Duration.ofSeconds(1));
        assertThat(GuardConfig.fromMap(Map.of("enabled", true, "cgroups", List.of("/docker/*"))).dryRun())
                .as("enabling alone does not arm it").isTrue();
    }

    @Test
    void readsEveryKey() throws Exception {
        GuardConfig c = yaml("""
                guard:
                  enabled: true
                  dryRun: false
                  cgroups: ["/docker/*", /kubepods/**]
                  threshold: 85%
                  horizon: 0.5s
                  interval: 5ms
                  cooldown: 2s
                  prefer:
                    - comm: "stress.*"
                  avoid:
                    - {cgroup: "/kubepods/**/besteffort*"}
                  protect:
                    - user: postgres
                    - {comm: sshd, user: 0}
                """);
        assertThat(c.enabled()).isTrue();
        assertThat(c.dryRun()).isFalse();
        assertThat(c.cgroups()).extracting(Object::toString).containsExactly("/docker/*", "/kubepods/**");
        assertThat(c.threshold()).isEqualTo(0.85);
        assertThat(c.horizon()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.cooldown()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.prefer()).hasSize(1);
        assertThat(c.avoid()).hasSize(1);
        assertThat(c.protect()).extracting(Object::toString).containsExactly("{user: postgres}",
                "{comm: sshd, user: 0}");
    }

    @Test
    void durationsReadAsOperatorsWriteThem() {
        assertThat(GuardConfig.fromMap(Map.of("horizon", "250ms")).horizon()).isEqualTo(Duration.ofMillis(250));
        assertThat(GuardConfig.fromMap(Map.of("horizon", 20)).horizon()).isEqualTo(Duration.ofMillis(20));
        assertThat(GuardConfig.fromMap(Map.of("interval", "500us")).interval()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(GuardConfig.fromMap(Map.of("cooldown", "1.5s")).cooldown()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void mistakesAreOneClearLine() {
        assertError("guard:\n  enabled: true\n", "guard.cgroups is empty");
        assertError("guard:\n  treshold: 0.9\n", "unknown key guard.treshold (known: avoid, cgroups, ");
        assertError("guard:\n  threshold: 1.5\n", "guard.threshold must be a fraction");
        assertError("guard:\n  threshold: lots\n", "guard.threshold must be a fraction like 0.9 or 90%");
        assertError("guard:\n  horizon: soon\n", "guard.horizon: 'soon' is not a duration");
        assertError("guard:\n  interval: 0ms\n", "guard.interval must be a positive duration");
        assertError("guard:\n  dryRun: maybe\n", "guard.dryRun must be true or false");
        assertError("guard:\n  cgroups: [\"/a/**b\"]\n", "'**' must be a whole path element");
        assertError("guard:\n  protect: [{comm: \"(\"}]\n", "guard.protect[0].comm '(' is not a regex");
        assertError("guard:\n  prefer: [{pid: 3}]\n", "unknown key guard.prefer[0].pid (known: cgroup, comm, user)");
        assertError("guard:\n  avoid: sshd\n", "guard.avoid must be a list");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> yaml(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
