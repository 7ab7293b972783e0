package dev.hangdoctor.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI in a JVM of its own, with the launcher's heap and collector, so that running out of memory or never
 * ending is a property of that process (its exit code, its stderr) and cannot take the test JVM with it. Output goes
 * to files: a large document is then never held by the test.
 */
final class ChildCli {
    /** What the launcher gives the JVM by default (./hangdoctor: -Xmx${HANGDOCTOR_HEAP:-256m}). */
    static final String LAUNCHER_HEAP = "256m";

    record Result(int exit, Path out, String err) {
    }

    private ChildCli() {
    }

    /**
     * Runs {@code hangdoctor ARGS} with {@code heap}, feeding {@code stdin} (null: /dev/null) from another thread,
     * and kills it when it has not ended within {@code limitSeconds} (then the result's exit is -1).
     */
    static Result run(Path work, String heap, InputStream stdin, long limitSeconds, String... args)
            throws IOException, InterruptedException {
        return run(work, heap, stdin, null, limitSeconds, args);
    }

    /** The same with standard input read straight from a file or device (as the shell's {@code < FILE} does). */
    static Result runWithInputFrom(Path work, String heap, File stdin, long limitSeconds, String... args)
            throws IOException, InterruptedException {
        return run(work, heap, null, stdin, limitSeconds, args);
    }

    private static Result run(Path work, String heap, InputStream stdin, File stdinFile, long limitSeconds,
            String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx" + heap, "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(work, "stdout", ".txt");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(stdinFile == null ? new File("/dev/null") : stdinFile);
        }
        Process p = pb.start();
        Thread feeder = null;
        if (stdin != null) {
            feeder = new Thread(() -> feed(stdin, p.getOutputStream()), "child-stdin");
            feeder.setDaemon(true);
            feeder.start();
        }
        int exit;
        if (p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            exit = p.exitValue();
        } else {
            p.destroyForcibly();
            p.waitFor();
            exit = -1;
        }
        if (feeder != null) {
            feeder.join(TimeUnit.SECONDS.toMillis(10));
        }
        return new Result(exit, out, Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Copies until the child stops reading (it may refuse its input early: that is not an error here). */
    private static void feed(InputStream in, OutputStream to) {
        try (in; to) {
            in.transferTo(to);
        } catch (IOException e) {
            // broken pipe: the child ended or closed its input
        }
    }
}
