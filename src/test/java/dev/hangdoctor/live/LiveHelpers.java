package dev.hangdoctor.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the C helpers of src/test/c into target/live-helpers on first use in a JVM, again only when the source
 * is newer than the binary; a compile error fails loudly with gcc's output.
 */
public final class LiveHelpers {

    private static final Map<String, Path> BUILT = new HashMap<>();

    private LiveHelpers() {
    }

    /** The project directory (surefire sets {@code basedir}; the working directory otherwise). */
    public static Path baseDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** Where the helper binaries go. */
    public static Path outputDir() {
        return baseDir().resolve("target").resolve("live-helpers");
    }

    /** The helper binary {@code name}, compiled from src/test/c/{@code name}.c if needed. */
    public static synchronized Path path(String name) {
        Path built = BUILT.get(name);
        if (built != null) {
            return built;
        }
        Path source = baseDir().resolve("src/test/c").resolve(name + ".c");
        Path binary = outputDir().resolve(name);
        try {
            if (!Files.isRegularFile(source)) {
                throw new IllegalStateException("no helper source " + source);
            }
            if (!Files.isExecutable(binary)
                    || Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) < 0) {
                compile(source, binary);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot build helper " + name + ": " + e, e);
        }
        BUILT.put(name, binary);
        return binary;
    }

    private static void compile(Path source, Path binary) throws IOException {
        Files.createDirectories(binary.getParent());
        // build beside and rename, so a concurrent user never executes a half-written file
        Path tmp = binary.resolveSibling(binary.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-pthread", "-o", tmp.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output;
        try {
            if (!gcc.waitFor(60, TimeUnit.SECONDS)) {
                gcc.destroyForcibly();
                throw new IllegalStateException("gcc timed out on " + source);
            }
            output = new String(gcc.getInputStream().readAllBytes());
        } catch (InterruptedException e) {
            gcc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + source, e);
        }
        if (gcc.exitValue() != 0) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException("gcc failed on " + source + ":\n" + output);
        }
        Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
