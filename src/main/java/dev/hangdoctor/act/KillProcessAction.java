package dev.hangdoctor.act;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sends SIGKILL to one process, named by pid and start time. The guard is asked again right before the signal, so a
 * process that exited (and whose pid was reused) in between is never hit.
 */
public final class KillProcessAction implements Action {
    private final String id;
    private final String finding;
    private final ProcessIdentity target;
    private final String why;
    private final Set<Integer> diagnosed;
    private final SafetyGuard guard;
    private final Path procRoot;
    /** Taken when the target was identified: the JDK refuses to signal it if its start time no longer matches. */
    private final ProcessHandle handle;

    /** Why acting would be wrong now beyond the guard's rules (the target left its cgroup), or null. */
    private final Supplier<String> stillRight;

    public KillProcessAction(String id, String finding, ProcessIdentity target, String why, Set<Integer> diagnosed,
                             SafetyGuard guard, Path procRoot) {
        this(id, finding, target, why, diagnosed, guard, procRoot, () -> null);
    }

    /** @param stillRight checked right before the signal (after the guard): a refusal reason, or null to go on */
    public KillProcessAction(String id, String finding, ProcessIdentity target, String why, Set<Integer> diagnosed,
                             SafetyGuard guard, Path procRoot, Supplier<String> stillRight) {
        this.stillRight = stillRight;
        this.id = id;
        this.finding = finding;
        this.target = target;
        this.why = why;
        this.diagnosed = Set.copyOf(diagnosed);
        this.guard = guard;
        this.procRoot = procRoot;
        this.handle = ProcessHandle.of(target.pid()).orElse(null);
    }

    public ProcessIdentity target() {
        return target;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String finding() {
        return finding;
    }

    @Override
    public String summary() {
        return "kill " + target.comm() + ":" + target.pid() + " (SIGKILL): " + why;
    }

    @Override
    public List<String> touches() {
        return List.of("pid " + target.pid() + " (" + target.comm() + ", start time " + target.startTime() + ")");
    }

    @Override
    public List<String> commands() {
        return List.of("kill -KILL " + target.pid());
    }

    @Override
    public String precheck() {
        String refused = guard.refuseKill(target, diagnosed);
        return refused != null ? refused : stillRight.get();
    }

    @Override
    public String observe() {
        return target.stillAlive(procRoot) ? target.comm() + ":" + target.pid() + " alive" : "pid " + target.pid() + " gone";
    }

    @Override
    public void apply() {
        String refused = precheck();
        if (refused != null) {
            throw new IllegalStateException("refused: " + refused);
        }
        if (!procRoot.toAbsolutePath().normalize().equals(REAL_PROC)) {
            // the identity was read from a copy of a host, but a signal goes to this host's pid: never mix the two
            throw new IllegalStateException("refused: " + target + " was identified under " + procRoot
                    + ", not this host's /proc");
        }
        // the start time was just re-checked in /proc, and the handle taken at identification checks it again in the
        // JDK right before kill(2): a pid reused in between is not signalled
        boolean sent = handle != null && handle.pid() == target.pid() && handle.destroyForcibly();
        if (!sent) {
            throw new IllegalStateException("could not signal pid " + target.pid() + " (gone, or its pid was reused)");
        }
    }

    private static final Path REAL_PROC = Path.of("/proc");
}
