package dev.hangdoctor.act;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

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

    public KillProcessAction(String id, String finding, ProcessIdentity target, String why, Set<Integer> diagnosed,
                             SafetyGuard guard, Path procRoot) {
        this.id = id;
        this.finding = finding;
        this.target = target;
        this.why = why;
        this.diagnosed = Set.copyOf(diagnosed);
        this.guard = guard;
        this.procRoot = procRoot;
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
        return guard.refuseKill(target, diagnosed);
    }

    @Override
    public String observe() {
        return target.stillAlive(procRoot) ? target.comm() + ":" + target.pid() + " alive" : "pid " + target.pid() + " gone";
    }

    @Override
    public void apply() {
        String refused = guard.refuseKill(target, diagnosed);
        if (refused != null) {
            throw new IllegalStateException("refused: " + refused);
        }
        // the start time was just re-checked; ProcessHandle sends SIGKILL to exactly this pid
        boolean sent = ProcessHandle.of(target.pid()).map(ProcessHandle::destroyForcibly).orElse(false);
        if (!sent) {
            throw new IllegalStateException("could not signal pid " + target.pid() + " (gone?)");
        }
    }
}
