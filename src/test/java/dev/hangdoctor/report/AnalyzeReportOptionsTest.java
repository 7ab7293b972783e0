package dev.hangdoctor.report;

import dev.hangdoctor.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `analyze --html FILE` and `--markdown` through the real command line: files written, exit codes unchanged. */
class AnalyzeReportOptionsTest {
    private static final String SEED = "examples/seed001-centos7-jbd2-oom";

    private static String[] run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(args);
        } finally {
            System.setOut(old);
        }
        return new String[]{String.valueOf(rc), buf.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void htmlWritesTheFileAndStillPrintsTheTerminalView(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report.html");
        String[] r = run("analyze", "--html", out.toString(), SEED);
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).contains("HANG: OOM kill deadlocks ext4/jbd2");
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("<svg");
    }

    @Test
    void markdownReplacesTheTerminalViewAndCombinesWithHtml(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r.html");
        String[] r = run("analyze", "--markdown", "--html", out.toString(), SEED);
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).startsWith("## Hang: ").doesNotContain("HANG:");
        assertThat(out).exists();
        assertThat(run("analyze", "--json", "--markdown", SEED)[0]).isEqualTo("2");
        assertThat(run("analyze", "--html", dir.resolve("no/such/dir/x.html").toString(), SEED)[0]).isEqualTo("2");
    }
}
