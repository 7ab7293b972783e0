package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens each seed example's HTML report in headless Chromium (Debian's `chromium` package; .ci/run installs it):
 * the rendered DOM must hold the verdict and the SVG graph with the blocker, and a screenshot per seed is kept under
 * target/report-screenshots/ for a person to look at. Skipped when Chromium is not installed.
 */
class ReportBrowserTest {
    private static final Path OUT = Chromium.SCREENSHOTS;

    @TestFactory
    Stream<DynamicTest> seedReportsRenderInChromium() throws IOException {
        Path browser = Chromium.find();
        Assumptions.assumeTrue(browser != null, "chromium not installed (apt-get install chromium): browser test skipped");
        Files.createDirectories(OUT);
        return Seeds.folders().stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            String name = folder.getFileName().toString();
            Diagnosis d = Seeds.diagnose(folder);
            Path html = OUT.resolve(name + ".html").toAbsolutePath();
            Files.writeString(html, HtmlReport.render(d), StandardCharsets.UTF_8);
            String url = html.toUri().toString();

            String dom = Chromium.dumpDom(browser, url);
            assertThat(dom).contains("<svg", "class=\"node task blocker\"");
            String svg = dom.substring(dom.indexOf("<svg"), dom.indexOf("</svg>"));
            for (Finding f : d.findings()) {
                assertThat(dom).as("verdict").contains(Html.esc(f.title()));
                assertThat(svg).as("blocker drawn").contains(Html.esc(SvgGraph.blockerLabel(f)));
            }
            assertThat(dom).as("the optional script ran").contains(">Expand all</button>");

            Chromium.screenshot(browser, url, OUT.resolve(name + ".png"), 2000);
        }));
    }
}
