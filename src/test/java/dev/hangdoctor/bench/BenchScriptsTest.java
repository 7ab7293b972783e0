package dev.hangdoctor.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every script in bench/ still works: each one found there is run in its tiny mode ({@code BENCH_TINY=1}: sizes and
 * durations of seconds) and must end with exit 0 and print its figures, so that no bench can rot unnoticed. A
 * script that cannot run on this machine (not root, no gcc, no v1 memory controller) says why and exits 77, which
 * counts as skipped. The scripts start the built jar through ./hangdoctor, so this runs in the verify phase, after
 * `package` (the pom's bench-scripts execution).
 */
class BenchScriptsTest {
    /** Exit status of a script that cannot run here (automake's convention for a skipped test). */
    private static final int SKIPPED = 77;
    /** Only a hung script reaches this: tiny runs take seconds. */
    private static final long LIMIT_SECONDS = 300;
    /** What each known bench prints when it measured something (a new script must at least exit 0). */
    private static final Map<String, String> PRINTS = Map.of(
            "gen-log.sh", " bytes, ",
            "log-throughput.sh", "speed vs grep:",
            "read-pace.sh", "pace vs grep",
            "scan-vs-ps.sh", "(c) hangdoctor scan --window 0s, whole process",
            "watch-cost.sh", "agent CPU:",
            "agent-scan-cost.sh", "agent scan CPU:",
            "guard-rate.sh", "RESULT guard ");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyBenchRunsInItsTinyMode() throws IOException {
        Path bench = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("bench");
        List<Path> scripts;
        try (Stream<Path> s = Files.list(bench)) {
            scripts = s.filter(p -> p.getFileName().toString().endsWith(".sh")).sorted().toList();
        }
        assertThat(scripts).isNotEmpty();
        return scripts.stream().map(s -> DynamicTest.dynamicTest(s.getFileName().toString(), () -> run(s)));
    }

    private void run(Path script) throws IOException, InterruptedException {
        String name = script.getFileName().toString();
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        if (name.equals("gen-log.sh")) {
            cmd.addAll(List.of("1", tmp.resolve("gen.log").toString())); // the only bench that needs arguments
        }
        Path out = tmp.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(script.getParent().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("BENCH_TINY", "1");
        Process p = pb.start();
        boolean ended = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            // SIGTERM first: the scripts' traps stop their own helpers; then what is left of what this test started
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(ended).as(name + " did not end within " + LIMIT_SECONDS + " s:\n" + output).isTrue();
        Assumptions.assumeFalse(p.exitValue() == SKIPPED, () -> name + " cannot run here: " + output.strip());
        assertThat(p.exitValue()).as(name + " failed:\n" + output).isZero();
        assertThat(output).as(name).contains(PRINTS.getOrDefault(name, ""));
    }
}
