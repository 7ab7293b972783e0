package dev.hangdoctor.act;

import dev.hangdoctor.procfs.MountinfoEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The FUSE control file system at /sys/fs/fuse/connections: without it a host's FUSE connections have no waiting
 * counts to read and no abort file to write, so every FUSE hang is invisible and cannot be ended. systemd mounts it
 * at boot (sys-fs-fuse-connections.mount); minimal VMs and containers often do not. The tools that act or watch mount
 * it there the same way when it is missing; scan, which is read-only, only says so.
 */
public final class FuseControlMount {
    /** Where fusectl lives on every distribution. */
    public static final Path CONNECTIONS = Path.of("/sys/fs/fuse/connections");
    private static final long TIMEOUT_SECONDS = 5;

    private FuseControlMount() {
    }

    /** Whether this process's mount namespace has fusectl at {@link #CONNECTIONS}. */
    public static boolean mounted(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("self").resolve("mountinfo"), StandardCharsets.UTF_8)) {
                MountinfoEntry m = MountinfoEntry.parse(line);
                if (m != null && "fusectl".equals(m.fsType()) && CONNECTIONS.toString().equals(m.mountPoint())) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no mountinfo to read: cannot tell, so do not mount blindly
            return true;
        }
        return false;
    }

    /**
     * Mounts fusectl at {@link #CONNECTIONS} when the live host ({@code root} "/") lacks it and the kernel offers
     * it (the directory exists once the fuse module is loaded). Returns one line saying what was done or why not,
     * or null when nothing was needed.
     */
    public static String ensure(Path root) {
        if (!root.toAbsolutePath().normalize().equals(Path.of("/")) || mounted(root.resolve("proc"))) {
            return null;
        }
        if (!Files.isDirectory(CONNECTIONS)) {
            return null; // no fuse module: no FUSE connections to see
        }
        try {
            Process p = new ProcessBuilder("mount", "-t", "fusectl", "fusectl", CONNECTIONS.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "fusectl is not mounted at " + CONNECTIONS + " and mounting it did not finish in "
                        + TIMEOUT_SECONDS + " s: FUSE connections stay invisible";
            }
            String out = new String(p.getInputStream().readNBytes(512), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || !mounted(root.resolve("proc"))) {
                return "fusectl is not mounted at " + CONNECTIONS + " and could not be mounted (" + (out.isEmpty()
                        ? "mount exit " + p.exitValue() : out.lines().findFirst().orElse(out)) + "): FUSE connections"
                        + " stay invisible";
            }
            return "mounted fusectl at " + CONNECTIONS + " (as systemd does at boot): FUSE connections were invisible";
        } catch (IOException e) {
            return "fusectl is not mounted at " + CONNECTIONS + " and could not be mounted (" + e.getMessage()
                    + "): FUSE connections stay invisible";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "fusectl is not mounted at " + CONNECTIONS + ": interrupted while mounting it";
        }
    }
}
