package dev.hangdoctor.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped alert rules and Alertmanager example, checked and unit-tested by Prometheus' own tools. */
class AlertRulesTest {
    private static final Path RULES = PromTools.deployDir().resolve("prometheus/hangdoctor-rules.yaml");

    @Test
    void rulesAreValid() throws Exception {
        Path promtool = PromTools.require("promtool");
        PromTools.Run r = PromTools.run(null, List.of(promtool.toString(), "check", "rules", RULES.toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 7 rules found");
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Path promtool = PromTools.require("promtool");
        PromTools.Run r = PromTools.run(null, List.of(promtool.toString(), "test", "rules",
                RULES.resolveSibling("hangdoctor-rules.test.yaml").toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void alertmanagerExampleIsValidAndRoutesBySignatureAndCategory() throws Exception {
        Path amtool = PromTools.require("amtool");
        String config = PromTools.deployDir().resolve("alertmanager/alertmanager.yml").toString();
        PromTools.Run check = PromTools.run(null, List.of(amtool.toString(), "check-config", config));
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(route(amtool, config, "alertname=HangdoctorHangOpen", "category=fuse",
                "signature=fuse-daemon-hung", "kernel=6.1.0-13-amd64")).isEqualTo("storage-oncall");
        assertThat(route(amtool, config, "alertname=HangdoctorHangOpen", "category=memcg-oom")).isEqualTo("platform-oncall");
        assertThat(route(amtool, config, "alertname=HangdoctorHangOpen", "category=rcu-stall")).isEqualTo("kernel-team");
        assertThat(route(amtool, config, "alertname=HangdoctorGuardKilled")).isEqualTo("platform-oncall");
        assertThat(route(amtool, config, "alertname=HangdoctorAgentDown")).isEqualTo("node-ops");
    }

    private static String route(Path amtool, String config, String... labels) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(amtool.toString(), "config", "routes", "test",
                "--config.file=" + config));
        cmd.addAll(List.of(labels));
        PromTools.Run r = PromTools.run(null, cmd);
        // amtool prints a warning line about --alertmanager.url beside the receiver
        return r.output().lines().filter(l -> !l.startsWith("Warning:")).findFirst().orElse("").trim();
    }
}
