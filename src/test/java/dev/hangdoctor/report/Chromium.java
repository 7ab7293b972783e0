package dev.hangdoctor.report;

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

/** Headless Chromium (Debian's `chromium` package) for the browser tests: one fresh profile per run, killed on timeout. */
public final class Chromium {
    public static final long TIMEOUT_SECONDS = 60;
    /** Where browser tests keep their screenshots for a person to look at. */
    public static final Path SCREENSHOTS = Path.of("target", "report-screenshots");

    private Chromium() {
    }

    /** The browser, or null when it is not installed. */
    public static Path find() {
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

    /** The DOM after the page loaded and its scripts ran. */
    public static String dumpDom(Path browser, String url) throws IOException, InterruptedException {
        return run(browser, List.of("--dump-dom", url));
    }

    /** Saves a screenshot of the page (1280 px wide) and checks it is not blank. */
    public static void screenshot(Path browser, String url, Path png, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(browser, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1280," + height, "--hide-scrollbars",
                url));
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }

    /** Runs Chromium once with a fresh profile, returns its standard output; killed after the timeout. */
    public static String run(Path browser, List<String> extra) throws IOException, InterruptedException {
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
