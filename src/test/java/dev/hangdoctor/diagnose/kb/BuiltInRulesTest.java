package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every built-in rule loads cleanly and has a positive and a negative case under kb/cases/. */
class BuiltInRulesTest {
    private static final KnowledgeBase KB = KnowledgeBase.load(List.of());

    static List<String> builtInFiles() {
        return KnowledgeBase.builtInNames();
    }

    @Test
    void builtInsLoadWithoutErrors() {
        assertThat(KB.errors()).isEmpty();
        assertThat(KB.rules()).hasSize(builtInFiles().size());
        assertThat(KB.rules()).extracting(Rule::id).isSorted();
    }

    @Test
    void indexListsEveryBuiltInFile() throws Exception {
        // on the build's classpath kb/ is a directory, so here (unlike in a jar) it can be listed
        java.nio.file.Path dir = java.nio.file.Path.of(KnowledgeBase.class.getClassLoader().getResource("kb/index.txt").toURI()).getParent();
        try (var files = java.nio.file.Files.list(dir)) {
            List<String> yaml = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json")).sorted().toList();
            assertThat(builtInFiles()).containsExactlyInAnyOrderElementsOf(yaml);
        }
    }

    @ParameterizedTest
    @MethodSource("builtInFiles")
    void ruleMatchesItsCases(String file) throws Exception {
        String id = file.substring(0, file.lastIndexOf('.'));
        Rule rule = KB.rule(id).orElseThrow(() -> new AssertionError(file + " does not define rule id " + id));
        assertThat(rule.explanation()).as("explanation of %s", id).isNotBlank();
        assertThat(rule.remediation()).as("remediation of %s", id).isNotEmpty();

        List<CaseFile.Case> cases = CaseFile.load(id);
        assertThat(cases).as("kb/cases/%s.yaml: needs a positive and a negative case", id)
                .anyMatch(CaseFile.Case::match).anyMatch(c -> !c.match());
        for (CaseFile.Case c : cases) {
            Optional<RuleMatch> m = RuleMatcher.match(rule, c.evidence());
            String what = id + " / " + c.name();
            if (!c.match()) {
                assertThat(m).as(what).isEmpty();
                continue;
            }
            assertThat(m).as(what).isPresent();
            RuleMatch match = m.get();
            assertThat(match.confidence()).as(what).isBetween(0.0, 1.0);
            assertThat(match.evidence()).as(what).isNotEmpty();
            if (!c.blockers().isEmpty()) {
                assertThat(match.tasks(Role.BLOCKER)).extracting(Task::pid).as(what + " blockers")
                        .containsExactlyInAnyOrderElementsOf(c.blockers());
            }
            if (!c.victims().isEmpty()) {
                assertThat(match.tasks(Role.VICTIM)).extracting(Task::pid).as(what + " victims")
                        .containsExactlyInAnyOrderElementsOf(c.victims());
            }
            if (c.verdict() != null) {
                assertThat(match.kernelVerdict()).as(what).isEqualTo(KernelVerdict.valueOf(c.verdict()));
            }
            if (c.minConfidence() != null) {
                assertThat(match.confidence()).as(what).isGreaterThanOrEqualTo(c.minConfidence());
            }
            if (c.maxConfidence() != null) {
                assertThat(match.confidence()).as(what).isLessThanOrEqualTo(c.maxConfidence());
            }
        }
    }
}
