package dev.hangdoctor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.Rule;

import static org.assertj.core.api.Assertions.assertThat;

/** A user's rule file, whatever it holds, is either a rule or an IllegalArgumentException saying what is wrong. */
class RuleParserFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void yamlRule(byte[] data) {
        parse(FuzzInput.text(data), false);
    }

    @FuzzTest(maxDuration = "1m")
    void jsonRule(byte[] data) {
        parse(FuzzInput.text(data), true);
    }

    private static void parse(String text, boolean json) {
        Rule r;
        try {
            r = KnowledgeBase.parseRule(text, json, "fuzz.yaml");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(r.id()).isNotEmpty();
        assertThat(r.signals()).isNotEmpty();
    }
}
