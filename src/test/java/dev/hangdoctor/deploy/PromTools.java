package dev.hangdoctor.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus' own command-line tools (promtool, amtool from Debian's packages) on the shipped files. */
public final class PromTools {
    private PromTools() {
    }

    /** The tool's path on PATH; the test is skipped with one line saying so when it is not installed. */
    public static Path require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Assumptions.abort(tool + " is not installed (Debian: apt-get install prometheus prometheus-alertmanager;"
                + " .ci/run installs it)");
        return null;
    }

    /** Exit code and combined output of one run, at most 60 s. */
    public record Run(int exit, String output) {
    }

    /** Runs the command with stdin from {@code stdin} (null: none). */
    public static Run run(String stdin, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
        Process p = pb.start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(cmd + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** The repository's deploy/ folder (tests run from the project directory). */
    public static Path deployDir() {
        Path d = Path.of("deploy").toAbsolutePath();
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("deploy/ not found from " + Path.of("").toAbsolutePath());
        }
        return d;
    }
}
