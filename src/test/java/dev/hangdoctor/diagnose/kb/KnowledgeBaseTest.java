package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.diagnose.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnowledgeBaseTest {

    private static Path fixtureDir() throws Exception {
        return Path.of(KnowledgeBaseTest.class.getClassLoader().getResource("kb/bad").toURI());
    }

    @Test
    void badFilesGiveOneClearLineEachAndGoodRulesStillLoad() throws Exception {
        Path dir = fixtureDir();
        KnowledgeBase kb = KnowledgeBase.load(List.of(dir));

        assertThat(kb.errors()).hasSize(6);
        assertThat(kb.errors()).anySatisfy(e -> assertThat(e).startsWith(dir.resolve("empty.yaml") + ": empty file"));
        assertThat(kb.errors()).anySatisfy(e -> assertThat(e).startsWith(dir.resolve("invalid-yaml.yaml") + ": invalid YAML at line "));
        assertThat(kb.errors()).anySatisfy(e -> assertThat(e).isEqualTo(dir.resolve("missing-id.yaml") + ": rule: missing 'id'"));
        assertThat(kb.errors()).anySatisfy(e -> assertThat(e)
                .startsWith(dir.resolve("unknown-category.yaml") + ": unknown category 'btrfs' (one of jbd2, memcg-oom"));
        assertThat(kb.errors()).anySatisfy(e -> assertThat(e)
                .startsWith(dir.resolve("unknown-role.yaml") + ": unknown role 'culprit'"));
        assertThat(kb.errors()).anySatisfy(e -> assertThat(e)
                .startsWith(dir.resolve("bad-range.yaml") + ": bad version range '3.10.0-862.el7 until 3.10.0-1160.el7'"));
        assertThat(kb.errors()).allSatisfy(e -> assertThat(e).doesNotContain("\n"));

        // the site's own rule is added, the JSON override replaces the built-in, every other built-in stays
        assertThat(kb.rule("site-zfs-txg-wait")).get().extracting(Rule::category).isEqualTo(Category.OTHER);
        assertThat(kb.rule("soft-lockup")).get().satisfies(r -> {
            assertThat(r.title()).isEqualTo("Soft lockup (site override)");
            assertThat(r.source()).endsWith("soft-lockup-override.json");
        });
        assertThat(kb.rules()).hasSize(KnowledgeBase.builtInNames().size() + 1);
        assertThat(kb.rules()).extracting(Rule::id).isSorted();
    }

    @Test
    void builtInsParsedAheadServeEveryLoadAndSiteRulesStillReplaceThem(@TempDir Path tmp) throws Exception {
        KnowledgeBase.preloadBuiltIns();
        KnowledgeBase.preloadBuiltIns(); // a second start is a no-op
        KnowledgeBase plain = KnowledgeBase.load(List.of());
        assertThat(plain.errors()).isEmpty();
        assertThat(plain.rules()).hasSize(KnowledgeBase.builtInNames().size());
        assertThat(KnowledgeBase.load(List.of()).rules()).isEqualTo(plain.rules());
        Rule builtIn = plain.rules().get(0);
        Path site = Files.createDirectory(tmp.resolve("site"));
        Files.writeString(site.resolve("mine.yaml"), """
                id: %s
                title: site's own
                category: other
                signals:
                  - id: x
                    required: true
                    comm: "^stuck$"
                """.formatted(builtIn.id()));
        KnowledgeBase withSite = KnowledgeBase.load(List.of(site));
        assertThat(withSite.errors()).isEmpty();
        assertThat(withSite.rule(builtIn.id()).orElseThrow().title()).isEqualTo("site's own");
        assertThat(KnowledgeBase.load(List.of()).rule(builtIn.id()).orElseThrow().title()).isEqualTo(builtIn.title());
    }

    @Test
    void missingDirectoryIsAnErrorNotAFailure(@TempDir Path tmp) {
        KnowledgeBase kb = KnowledgeBase.load(List.of(tmp.resolve("nope")));
        assertThat(kb.errors()).containsExactly(tmp.resolve("nope") + ": not a directory");
        assertThat(kb.rules()).hasSize(KnowledgeBase.builtInNames().size());
    }

    @Test
    void laterDirectoryWinsAndSameDirectoryDuplicatesAreReported(@TempDir Path tmp) throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        String rule = """
                id: site-rule
                title: %s
                category: other
                signals:
                  - id: x
                    required: true
                    comm: "^stuck$"
                """;
        Files.writeString(a.resolve("1.yaml"), rule.formatted("from a"));
        Files.writeString(b.resolve("1.yaml"), rule.formatted("from b, first"));
        Files.writeString(b.resolve("2.yaml"), rule.formatted("from b, second"));
        KnowledgeBase kb = KnowledgeBase.load(List.of(a, b));
        assertThat(kb.rule("site-rule")).get().extracting(Rule::title).isEqualTo("from b, second");
        assertThat(kb.errors()).singleElement().asString()
                .startsWith(b.resolve("2.yaml") + ": id 'site-rule' is also used by " + b.resolve("1.yaml"));
    }

    @Test
    void reportWordsRulesSayHowMuchTheyMayClaim() {
        Rule r = parse("""
                id: t
                title: t
                category: fuse
                fallback: true
                maxConfidence: 0.35
                signals:
                  - id: named
                    required: true
                    text: '\\bsshfs\\b'
                """);
        assertThat(r.fallback()).isTrue();
        assertThat(r.maxConfidence()).isEqualTo(0.35);
        assertThat(r.handedInOnly()).isFalse();
        assertThat(parse("""
                id: t
                title: t
                category: other
                handedInOnly: true
                signals:
                  - id: kill
                    required: true
                    events: [OOM_KILLED]
                """).handedInOnly()).isTrue();
        assertThat(r.signals().get(0).text().pattern().matcher("my sshfs mount hangs").find()).isTrue();
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                maxConfidence: 1.5
                signals:
                  - id: named
                    required: true
                    text: sshfs
                """)).hasMessageContaining("maxConfidence must be a number above 0 and at most 1");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: named
                    required: true
                    text: sshfs
                    events: [HUNG_TASK]
                """)).hasMessageContaining("mixes task, event and live-object tests");
    }

    @Test
    void strictAboutTyposAndMeaninglessSignals() {
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    required: true
                    frame: [request_wait_answer]
                """)).hasMessageContaining("unknown key frame");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    frames: [request_wait_answer]
                """)).hasMessageContaining("needs at least one signal with 'required: true' or 'oneOf'");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    required: true
                    frames: [request_wait_answer]
                    events: [HUNG_TASK]
                """)).hasMessageContaining("mixes task, event and live-object tests");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    required: true
                    events: [HUNG_TASKS]
                """)).hasMessageContaining("unknown event kind 'HUNG_TASKS'");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    required: true
                    comm: "(["
                """)).hasMessageContaining("bad regular expression");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    required: true
                    states: [Q]
                    frames: [a]
                """)).hasMessageContaining("unknown task state 'Q'");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    oneOf: g
                    alternativeOf: y
                    frames: [a]
                  - id: y
                    oneOf: g
                    frames: [b]
                """)).hasMessageContaining("alternativeOf 'y' is not an earlier signal of this rule");
        assertThatThrownBy(() -> parse("""
                id: t
                title: t
                category: fuse
                signals:
                  - id: x
                    required: true
                    frames: [a]
                  - id: y
                    absent: true
                    alternativeOf: x
                    frames: [b]
                """)).hasMessageContaining("'absent' cannot be combined");
    }

    @Test
    void jsonOfTheSameShapeIsAccepted() {
        Rule r = KnowledgeBase.parseRule("""
                {"id": "j", "title": "t", "category": "nfs",
                 "kernel": {"ranges": ["v < 5.4"], "required": true},
                 "signals": [{"id": "s", "required": true, "anyFrame": ["rpc_wait_bit_killable"], "states": ["D"]}]}
                """, true, "inline.json");
        assertThat(r.kernelRequired()).isTrue();
        assertThat(r.signals().get(0).task().anyFrame()).containsExactly("rpc_wait_bit_killable");
        assertThat(r.severity()).isEqualTo(Severity.HIGH);
    }

    private static Rule parse(String yaml) {
        return KnowledgeBase.parseRule(yaml, false, "inline.yaml");
    }
}
