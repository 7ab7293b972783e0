package dev.hangdoctor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `scan` shows its diagnosis the way `analyze` does: terminal, --json, --markdown, --html FILE. */
class ScanOutputTest {
    @TempDir
    Path dir;

    /** A saved bundle stands in for the host (the hidden --root points scan at it). */
    private static final String HOST = "examples/seed002-firecracker-uffd";

    @Test
    void htmlAndMarkdownOfALiveStyleScan() throws Exception {
        Path page = dir.resolve("scan.html");
        CliRun r = CliRun.of("scan", "--root", HOST, "--window", "0s", "--markdown", "--html", page.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
        assertThat(r.out()).contains("Userfaultfd faults nobody serves");
        assertThat(Files.readString(page)).contains("<svg", "id=\"verdict\"", "uffdorphan:17063");
    }

    @Test
    void jsonAndMarkdownTogetherIsAUsageError() {
        CliRun r = CliRun.of("scan", "--root", HOST, "--json", "--markdown");
        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--json and --markdown cannot be combined");
    }
}
