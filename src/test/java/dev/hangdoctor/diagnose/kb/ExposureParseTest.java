package dev.hangdoctor.diagnose.kb;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExposureParseTest {
    private static final String HEAD = """
            id: x
            title: t
            category: fuse
            signals:
              - id: s
                required: true
                frames: [fuse_flush]
            """;

    private static Rule parse(String exposure) {
        return KnowledgeBase.parseRule(HEAD + exposure, false, "test");
    }

    @Test
    void ruleWithoutExposureSectionHasNone() {
        Rule r = parse("");
        assertThat(r.exposure()).isEqualTo(Exposure.NONE);
        assertThat(r.exposure().ranges()).isEmpty();
    }

    @Test
    void exposureSectionIsRead() {
        Rule r = parse("""
                exposure:
                  ranges: ["v < 6.3"]
                  stillReported: ["6.3 <= v < 6.13"]
                  note: fixed upstream in 6.3
                  factors:
                    - fact: fuse.connections
                      says: "{value} FUSE connections"
                    - fact: cgroup.cpu.quota_set
                      atLeast: 10
                      says: many quotas
                """);
        Exposure e = r.exposure();
        assertThat(e.ranges()).extracting(VersionRange::toString).containsExactly("v < 6.3");
        assertThat(e.stillReported()).extracting(VersionRange::toString).containsExactly("6.3 <= v < 6.13");
        assertThat(e.note()).isEqualTo("fixed upstream in 6.3");
        assertThat(e.factors()).containsExactly(new Exposure.RiskFactor("fuse.connections", 1, "{value} FUSE connections"),
                new Exposure.RiskFactor("cgroup.cpu.quota_set", 10, "many quotas"));
        // the diagnosis ignores the exposure section: no kernel ranges, so not constrained
        assertThat(r.kernelVerdict("6.8.0")).isEqualTo(KernelVerdict.NOT_CONSTRAINED);
    }

    @Test
    void mistakesInTheExposureSectionAreErrors() {
        assertThatThrownBy(() -> parse("exposure:\n  range: [\"v < 6.3\"]\n")).hasMessageContaining("unknown key range");
        assertThatThrownBy(() -> parse("exposure:\n  ranges: [\"before 6.3\"]\n")).hasMessageContaining("bad version range");
        assertThatThrownBy(() -> parse("exposure: [1]\n")).hasMessageContaining("'exposure' must be a mapping");
        assertThatThrownBy(() -> parse("exposure:\n  factors:\n    - fact: a\n")).hasMessageContaining("missing 'says'");
        assertThatThrownBy(() -> parse("exposure:\n  factors:\n    - fact: a\n      says: b\n      atLeast: many\n"))
                .hasMessageContaining("atLeast must be a whole number");
    }

    @Test
    void builtInRulesCarryTheirExposure() {
        KnowledgeBase kb = KnowledgeBase.load(List.of());
        assertThat(kb.errors()).isEmpty();
        Rule fuse = kb.rule("fuse-flush-exit-pidns").orElseThrow();
        assertThat(fuse.kernelRanges()).isEmpty();
        assertThat(fuse.exposure().note()).isEqualTo("fixed upstream in 6.3; reports on 6.8 and 6.12");
        assertThat(kb.rule("rhel7-cfs-bandwidth-hard-lockup").orElseThrow().exposure().factors())
                .extracting(Exposure.RiskFactor::fact).contains("cgroup.cpu.quota_set", "cgroup.cpu.throttled_cgroups");
    }
}
