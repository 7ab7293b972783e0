package dev.hangdoctor.cli;

import dev.hangdoctor.live.FuseControl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the product on a host without fusectl, emulated for the product alone: a fresh private mount namespace
 * (`unshare -m`, private propagation) where /sys/fs/fuse/connections is unmounted, so the host's own mounts never
 * change and every other process keeps seeing what it saw.
 */
public final class WithoutFusectl {

    private WithoutFusectl() {
    }

    /** The command line: unshare, unmount fusectl inside, then exec the product's JVM with {@code args}. */
    public static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /**
     * As {@link #command}, but the product runs in a new user namespace (root mapped to root) with a mount namespace
     * of its own, like an unprivileged container: the kernel refuses it the fusectl mount (fusectl cannot be mounted
     * from a user namespace other than the initial one), kernel stacks and /dev/kmsg, so the product may not mount
     * what it misses and must say so.
     */
    public static List<String> commandInUserNamespace(String... args) {
        return command(List.of("unshare", "-Urm"), args);
    }

    private static List<String> command(List<String> wrapper, String... args) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "umount " + FuseControl.CONNECTIONS + " 2>/dev/null; exec \"$@\"", "sh"));
        cmd.addAll(wrapper);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a one-shot command (scan, fix) to its end; returns its stdout (stderr goes to the test's). */
    public static String run(String... args) throws Exception {
        List<String> cmd = command(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("product did not finish: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
