package dev.hangdoctor.act;

import dev.hangdoctor.collect.LiveSource;
import dev.hangdoctor.procfs.MountinfoEntry;
import dev.hangdoctor.procfs.ProcSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
        // timed: reading mountinfo takes the mount namespace's lock, which an unmount stuck on a hung FUSE mount can
        // hold, and this runs on the way to ending that very hang; decoded lossily, so one mount point that is not
        // UTF-8 does not hide fusectl
        ProcSource.Read r = LiveSource.at(proc).read(MountinfoEntry.path(proc, "self"));
        if (!r.ok()) {
            return true; // no mountinfo to read: cannot tell, so do not mount blindly
        }
        try {
            for (MountinfoEntry m : MountinfoEntry.parseAll(r.text())) {
                if ("fusectl".equals(m.fsType()) && CONNECTIONS.toString().equals(m.mountPoint())) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            return true;
        }
        return false;
    }

    /**
     * Mounts fusectl at {@link #CONNECTIONS} when the live host ({@code root} "/") lacks it and the kernel offers
     * it (the directory exists once the fuse module is loaded). The mount changes the host, so it runs like a remedy,
     * through the {@link ActionRunner}: the intent goes to the audit log before the mount and the result after it ({@code audit} opens it, only
     * when a mount is needed; when it cannot be opened the mount is not attempted, since an unrecorded change is not
     * one to make). Returns one line saying what was done or why not, or null when nothing was needed.
     */
    public static String ensure(Path root, Callable<AuditLog> openAudit) {
        if (!root.toAbsolutePath().normalize().equals(Path.of("/")) || mounted(root.resolve("proc"))) {
            return null;
        }
        if (!Files.isDirectory(CONNECTIONS)) {
            return null; // no fuse module: no FUSE connections to see
        }
        Mount mount = new Mount(root.resolve("proc"));
        List<String> unrecorded = new ArrayList<>();
        ActionRunner runner;
        try {
            runner = new ActionRunner(openAudit.call(), ActionRunner.Intent.REQUIRED, Duration.ZERO, unrecorded::add);
        } catch (Exception e) {
            return notMounted("the audit log cannot record it (" + e.getMessage() + ")");
        }
        ActionOutcome o = runner.run(mount);
        return switch (o.status()) {
            case DONE -> "mounted fusectl at " + CONNECTIONS + " (as systemd does at boot): FUSE connections were"
                    + " invisible" + (unrecorded.isEmpty() ? ""
                    : "; the audit log could not record the result (" + unrecorded.get(0) + ")");
            case REFUSED -> o.detail().equals(ActionRunner.NO_INTENT)
                    ? notMounted("the audit log cannot record it (" + String.join("; ", unrecorded) + ")")
                    : null; // mounted meanwhile (another agent, systemd): nothing left to do
            default -> "fusectl is not mounted at " + CONNECTIONS + " and " + o.detail()
                    + ": FUSE connections stay invisible";
        };
    }

    private static String notMounted(String why) {
        return "fusectl is not mounted at " + CONNECTIONS + " and was not mounted: " + why
                + ": FUSE connections stay invisible";
    }

    /** The mount as an audited step: what it touches and the command an operator would type. */
    static final class Mount implements Action {
        private final Path proc;

        Mount(Path proc) {
            this.proc = proc;
        }

        @Override
        public String id() {
            return "fusectl-mount";
        }

        @Override
        public String finding() {
            // not one finding's remedy: every FUSE finding, present or to come, needs it
            return "fusectl-missing";
        }

        @Override
        public String summary() {
            return "mount the FUSE control file system at " + CONNECTIONS + " (as systemd does at boot) so FUSE"
                    + " connections' waiting counts can be read and a hung one aborted";
        }

        @Override
        public List<String> touches() {
            return List.of(CONNECTIONS.toString());
        }

        @Override
        public List<String> commands() {
            return List.of("mount -t fusectl fusectl " + CONNECTIONS);
        }

        @Override
        public String precheck() {
            return mounted(proc) ? "fusectl is already mounted at " + CONNECTIONS : null;
        }

        @Override
        public String observe() {
            return mounted(proc) ? "fusectl mounted at " + CONNECTIONS : "fusectl not mounted at " + CONNECTIONS;
        }

        @Override
        public void apply() throws Exception {
            String refused = precheck();
            if (refused != null) {
                throw new IllegalStateException("refused: " + refused);
            }
            Process p = new ProcessBuilder("mount", "-t", "fusectl", "fusectl", CONNECTIONS.toString())
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("mounting it did not finish in " + TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException("interrupted while mounting it");
            }
            String out = new String(p.getInputStream().readNBytes(512), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || !mounted(proc)) {
                throw new IOException("could not be mounted (" + (out.isEmpty() ? "mount exit " + p.exitValue()
                        : out.lines().findFirst().orElse(out)) + ")");
            }
        }
    }
}
