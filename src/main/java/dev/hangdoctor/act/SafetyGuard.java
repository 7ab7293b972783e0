package dev.hangdoctor.act;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rules no remedy may break: never signal pid 1, a kernel thread, hangdoctor itself (or its ancestors, which it
 * would take down with it), or any process outside the set the diagnosis named; never a pid whose start time changed.
 */
public final class SafetyGuard {
    private final Path procRoot;
    private final Set<Integer> protectedPids = new HashSet<>();

    public SafetyGuard(Path procRoot) {
        this.procRoot = procRoot;
        protectedPids.add(1);
        protectedPids.add(2);
        ProcessHandle self = ProcessHandle.current();
        protectedPids.add((int) self.pid());
        Optional<ProcessHandle> p = self.parent();
        while (p.isPresent()) {
            protectedPids.add((int) p.get().pid());
            p = p.get().parent();
        }
    }

    /** Why killing {@code target} is refused, or null when it is allowed. */
    public String refuseKill(ProcessIdentity target, Set<Integer> diagnosed) {
        if (protectedPids.contains(target.pid())) {
            return "pid " + target.pid() + " is " + (target.pid() == 1 ? "init" : "hangdoctor itself or its parent");
        }
        if (target.kernelThread()) {
            return target.comm() + ":" + target.pid() + " is a kernel thread";
        }
        if (!diagnosed.contains(target.pid())) {
            return target.comm() + ":" + target.pid() + " is not one of the processes this diagnosis named";
        }
        ProcessIdentity.Lookup now = ProcessIdentity.lookup(procRoot, target.pid());
        if (now.failure() != null) {
            return target.comm() + ":" + target.pid() + " cannot be checked: " + now.failure();
        }
        if (now.gone()) {
            return target.comm() + ":" + target.pid() + " is gone";
        }
        if (now.identity().startTime() != target.startTime()) {
            return target.comm() + ":" + target.pid() + " is gone and its pid now belongs to another process";
        }
        return null;
    }
}
