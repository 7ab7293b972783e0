package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens each seed example's HTML report in headless Chromium (Debian's `chromium` package; .ci/run installs it):
 * the rendered DOM must hold the verdict and the SVG graph with the blocker, and a screenshot per seed is kept under
 * target/report-screenshots/ for a person to look at. Skipped when Chromium is not installed.
 */
class ReportBrowserTest {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Path OUT = Path.of("target", "report-screenshots");

    static Path chromium() {
        Path debian = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "chromium"))) {
                return Path.of(dir, "chromium");
            }
        }
        return null;
    }

    @TestFactory
    Stream<DynamicTest> seedReportsRenderInChromium() throws IOException {
        Path browser = chromium();
        Assumptions.assumeTrue(browser != null, "chromium not installed (apt-get install chromium): browser test skipped");
        Files.createDirectories(OUT);
        return Seeds.folders().stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            String name = folder.getFileName().toString();
            Diagnosis d = Seeds.diagnose(folder);
            Path html = OUT.resolve(name + ".html").toAbsolutePath();
            Files.writeString(html, HtmlReport.render(d), StandardCharsets.UTF_8);
            String url = html.toUri().toString();

            String dom = run(browser, List.of("--dump-dom", url));
            assertThat(dom).contains("<svg", "class=\"node task blocker\"");
            String svg = dom.substring(dom.indexOf("<svg"), dom.indexOf("</svg>"));
            for (Finding f : d.findings()) {
                assertThat(dom).as("verdict").contains(Html.esc(f.title()));
                assertThat(svg).as("blocker drawn").contains(Html.esc(SvgGraph.blockerLabel(f)));
            }
            assertThat(dom).as("the optional script ran").contains(">Expand all</button>");

            Path png = OUT.resolve(name + ".png").toAbsolutePath();
            Files.deleteIfExists(png);
            run(browser, List.of("--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars", url));
            assertThat(png).exists();
            assertThat(Files.size(png)).isGreaterThan(10_000);
        }));
    }

    /** Runs Chromium once with a fresh profile, returns its standard output; killed after the timeout. */
    private static String run(Path browser, List<String> extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("hangdoctor-chromium-");
        Path stdout = Files.createTempFile("hangdoctor-chromium-", ".out");
        try {
            List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
            cmd.addAll(extra);
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + extra);
            }
            assertThat(p.exitValue()).as("chromium exit code for " + extra).isZero();
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdout);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
