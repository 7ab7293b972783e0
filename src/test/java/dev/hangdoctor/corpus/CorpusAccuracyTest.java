package dev.hangdoctor.corpus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accuracy as a gate: every published report of the corpus goes through `analyze --json` and the first finding is
 * compared with the source's own conclusion. The bar (bar.properties) is raised as the parsers improve, never lowered.
 */
class CorpusAccuracyTest {

    private static final Path BAR = Path.of("src/test/resources/corpus/bar.properties");
    private static CorpusScore score;

    @BeforeAll
    static void runCorpus() {
        score = new CorpusScore(CorpusReport.all().stream().map(CorpusVerdict::of).toList());
        System.out.print(score.summary());
    }

    private static Properties bar() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(BAR, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void firstFindingNamesTheSourcesCategory() throws IOException {
        double min = Double.parseDouble(bar().getProperty("category"));
        assertThat(score.categoryPercent()).as("first finding's category right, percent of the corpus").isGreaterThanOrEqualTo(min);
    }

    @Test
    void blockerIsTheCulpritTheSourceNames() throws IOException {
        double min = Double.parseDouble(bar().getProperty("blocker"));
        assertThat(score.blockerPercent()).as("blocker right, percent of the reports naming one").isGreaterThanOrEqualTo(min);
    }

    @Test
    void kernelEvidenceIsNeverNothingRecognised() throws IOException {
        int max = Integer.parseInt(bar().getProperty("maxUnrecognised"));
        List<String> names = score.unrecognised().stream().map(v -> v.report().name()).toList();
        assertThat(names).as("answered exit 2 although they hold a kernel stack or hang message")
                .hasSizeLessThanOrEqualTo(max);
    }
}
