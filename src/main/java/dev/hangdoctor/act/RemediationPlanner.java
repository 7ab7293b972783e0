package dev.hangdoctor.act;

import dev.hangdoctor.collect.LiveSource;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.OomVictimChooser;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.diagnose.kb.RemedyIds;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.UffdHandle;
import dev.hangdoctor.procfs.FuseConnectionDir;
import dev.hangdoctor.procfs.MountinfoEntry;
import dev.hangdoctor.procfs.ProcSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns each finding of a live diagnosis into the safest remedy its knowledge-base rule allows, or into advice when
 * the rule allows none (NFS server gone, block I/O stall, rwsem writer: no blind kill). Every remedy is tied to the
 * resources the finding's own tasks use; anything ambiguous is refused with the reason, never guessed.
 */
public final class RemediationPlanner {
    private final Path hostRoot;
    /** The host's files, read with a timeout. */
    private final ProcSource host;
    private final SafetyGuard guard;
    private final Set<String> wanted;
    private final Integer connection;

    /**
     * @param wanted     remedy ids the operator asked for (--action); empty: each finding's least destructive one
     * @param connection a FUSE connection the operator named (--connection), or null
     */
    public RemediationPlanner(Path hostRoot, SafetyGuard guard, Set<String> wanted, Integer connection) {
        this.hostRoot = hostRoot;
        this.host = LiveSource.at(hostRoot);
        this.guard = guard;
        this.wanted = Set.copyOf(wanted);
        this.connection = connection;
    }

    /** The plan: actions to take, and for each finding without one, why not. */
    public record Plan(List<Action> actions, List<String> notes) {
        public Plan {
            actions = List.copyOf(actions);
            notes = List.copyOf(notes);
        }
    }

    public Plan plan(Diagnosis d, Evidence e) {
        return plan(d.findings(), e);
    }

    /** Plans for these findings only (the CLI's --pid narrows a host's findings to the ones an operator means). */
    public Plan plan(List<Finding> findings, Evidence e) {
        List<Action> actions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Finding f : findings) {
            List<String> candidates = f.actions().stream().filter(a -> wanted.isEmpty() || wanted.contains(a)).toList();
            if (f.actions().isEmpty()) {
                notes.add(f.signature() + ": no automatic remedy (a blind kill would not end this hang and could make it"
                        + " worse); do: " + String.join("; ", f.remediation()));
                continue;
            }
            if (candidates.isEmpty()) {
                notes.add(f.signature() + ": none of the requested actions applies (this finding allows: "
                        + String.join(", ", f.actions()) + ")");
                continue;
            }
            List<String> why = new ArrayList<>();
            boolean planned = false;
            for (String id : candidates) {
                List<Action> a = switch (id) {
                    case RemedyIds.FUSE_ABORT -> fuseAborts(f, e, why, actions, notes);
                    case RemedyIds.MEMCG_RAISE_LIMIT -> raiseLimit(f, e, why).stream().toList();
                    case RemedyIds.MEMCG_KILL_OOM_VICTIM -> killOomVictim(f, e, why).stream().toList();
                    case RemedyIds.UFFD_KILL_OWNER -> killUffdOwner(f, e, why).stream().toList();
                    default -> List.<Action>of();
                };
                if (!a.isEmpty()) {
                    actions.addAll(a);
                    planned = true;
                    break; // least destructive first: one remedy per finding
                }
            }
            if (!planned) {
                notes.add(f.signature() + ": no remedy can be taken safely: " + String.join("; ", why));
            }
        }
        return new Plan(actions, notes);
    }

    /** The finding's tasks, and the processes (thread groups) they belong to. */
    public static Set<Integer> pidsOf(Finding f, Evidence e) {
        Set<Integer> pids = new LinkedHashSet<>();
        List<TaskRef> refs = new ArrayList<>(f.victims());
        if (f.rootCause() != null) {
            refs.add(f.rootCause());
        }
        for (TaskRef r : refs) {
            if (r.pid() < 0) {
                continue;
            }
            pids.add(r.pid());
            Task t = e.taskOrNull(r.pid());
            if (t != null && t.tgid() != null) {
                pids.add(t.tgid());
            }
        }
        return pids;
    }

    /**
     * The connections to abort for a FUSE finding: the one its daemon serves or its tasks are tied to (their calls,
     * files, cwd); or, when the tasks do not say, every connection that is provably stuck (requests waiting at both
     * ends of the scan's window and still now, none drained) - each said why in the notes. A connection another
     * finding's abort already covers is not planned twice.
     */
    private List<Action> fuseAborts(Finding f, Evidence e, List<String> why, List<Action> planned, List<String> notes) {
        // waiting > 0 at the scan and still now: a busy healthy mount drains between the two, a hung one does not
        List<FuseConnection> stuck = e.fuseConnections().stream()
                .filter(c -> c.waiting() != null && c.waiting() > 0 && waitingNow(c.id()) > 0).toList();
        if (connection != null) {
            stuck = stuck.stream().filter(c -> c.id() == connection).toList();
            if (stuck.isEmpty()) {
                why.add("FUSE connection " + connection + " has no waiting request");
                return List.of();
            }
        }
        if (stuck.isEmpty()) {
            why.add("no FUSE connection has a waiting request");
            return List.of();
        }
        Set<Integer> tied = tiedConnections(f, e);
        Set<Integer> own = stuck.stream().anyMatch(c -> tied.contains(c.id())) ? tied : servedConnections(f, e);
        List<FuseConnection> chosen = stuck.stream().filter(c -> own.contains(c.id())).toList();
        String reason = null;
        if (stuck.size() == 1) {
            chosen = stuck;
        } else if (chosen.isEmpty()) {
            chosen = stuck.stream().filter(c -> c.notDraining() && waitingNow(c.id()) >= c.waitingAfter()).toList();
            if (chosen.isEmpty()) {
                why.add("several FUSE connections have waiting requests (" + ids(stuck) + "), the blocked tasks do not"
                        + " say which they wait on, and none is provably stuck (no second count across the window);"
                        + " choose one with --connection N");
                return List.of();
            }
            reason = "the blocked tasks do not say which connection they wait on; connection(s) " + ids(chosen)
                    + " made no progress across the scan's window (waiting never fell) and still wait now, so each"
                    + " is stuck and is aborted";
        } else if (chosen.size() > 1) {
            // the daemon serves several stuck connections: only those proved stuck across the window
            List<FuseConnection> proved = chosen.stream()
                    .filter(c -> c.notDraining() && waitingNow(c.id()) >= c.waitingAfter()).toList();
            if (proved.isEmpty()) {
                why.add("the finding's daemon serves several FUSE connections with waiting requests (" + ids(chosen)
                        + ") and none is provably stuck (no second count across the window); choose one with"
                        + " --connection N");
                return List.of();
            }
            reason = "the finding's daemon serves connections " + ids(chosen) + "; " + ids(proved) + " made no"
                    + " progress across the scan's window and still wait now";
            chosen = proved;
        }
        List<Action> out = new ArrayList<>();
        Path connections = FuseConnectionDir.all(host.sys());
        for (FuseConnection c : chosen) {
            boolean already = planned.stream().anyMatch(a -> a instanceof FuseAbortAction x && x.connectionId() == c.id());
            if (already) {
                continue;
            }
            String reused = numberReused(c);
            if (reused != null) {
                why.add(reused);
                continue;
            }
            Object identity = FuseAbortAction.identityOf(connections.resolve(Integer.toString(c.id())));
            if (identity == null) {
                why.add("FUSE connection " + c.id() + " is gone");
                continue;
            }
            out.add(new FuseAbortAction(f.key(), connections, c.id(), identity, c.mountPoints()));
        }
        if (out.isEmpty() && !why.isEmpty()) {
            return List.of();
        }
        if (out.isEmpty()) {
            notes.add(f.signature() + ": connection(s) " + ids(chosen) + " already aborted by another finding's step");
            return List.of();
        }
        if (reason != null) {
            notes.add(f.signature() + ": " + reason);
        }
        return out;
    }

    /** Connections the finding's tasks were tied to by the scan (their calls, files, cwd). */
    private static Set<Integer> tiedConnections(Finding f, Evidence e) {
        Set<Integer> own = new LinkedHashSet<>();
        for (int pid : pidsOf(f, e)) {
            Task t = e.taskOrNull(pid);
            if (t != null) {
                own.addAll(t.fuseConnections());
            }
        }
        return own;
    }

    /** The finding's blocker by its own pid and its process's (empty when no task is blamed). */
    private static Set<Integer> blockerPids(Finding f, Evidence e) {
        Set<Integer> pids = new LinkedHashSet<>();
        if (f.rootCause() != null) {
            pids.add(f.rootCause().pid());
            Task t = e.taskOrNull(f.rootCause().pid());
            if (t != null && t.tgid() != null) {
                pids.add(t.tgid());
            }
        }
        return pids;
    }

    /** Connections the finding's blocker holds /dev/fuse for. */
    private static Set<Integer> servedConnections(Finding f, Evidence e) {
        Set<Integer> own = new LinkedHashSet<>();
        // the kernel names the connection a /dev/fuse descriptor serves: the blocker's own, by pid or process
        Set<Integer> blocker = blockerPids(f, e);
        for (FuseConnection c : e.fuseConnections()) {
            if (c.daemonPids().stream().anyMatch(blocker::contains)) {
                own.add(c.id());
            }
        }
        return own;
    }

    private static String ids(List<FuseConnection> cs) {
        return String.join(", ", cs.stream().map(c -> Integer.toString(c.id())).toList());
    }

    /**
     * Why connection {@code c}'s number now belongs to another mount, or null: our mountinfo shows device 0:N mounted,
     * but at none of the mount points the scan saw (a daemon in another mount namespace may be missing from ours:
     * no answer then, and the connection's own identity is what the action checks).
     */
    private String numberReused(FuseConnection c) {
        if (c.mountPoints().isEmpty()) {
            return null;
        }
        // timed: reading mountinfo takes the mount namespace's lock, which an unmount stuck on a hung mount can hold
        ProcSource.Read mountinfo = host.read(MountinfoEntry.path(host.proc(), "self"));
        if (!mountinfo.ok()) {
            return null;
        }
        List<String> now = new ArrayList<>();
        for (MountinfoEntry m : MountinfoEntry.parseAll(mountinfo.text())) {
            if (m.major() == 0 && m.minor() == c.id()) {
                now.add(m.mountPoint());
            }
        }
        if (now.isEmpty() || now.stream().anyMatch(c.mountPoints()::contains)) {
            return null;
        }
        return "FUSE connection " + c.id() + " is now mounted at " + String.join(", ", now) + ", not at "
                + String.join(", ", c.mountPoints()) + " as the scan saw: its number belongs to another mount";
    }

    private long waitingNow(int id) {
        try {
            Long w = FuseConnectionDir.parseWaiting(Files.readString(
                    FuseConnectionDir.waiting(FuseConnectionDir.of(hostRoot.resolve("sys"), id))));
            return w == null ? 0 : w;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The memory cgroup the hang is about: the blocker's own, never a victim's (a writer of a healthy container queued
     * behind another container's deadlock must not lose memory or a process), and only when that cgroup shows it is
     * at its limit: under_oom, or usage within 2 % (at least 1 MiB) of the limit.
     */
    private Optional<MemCgroup> cgroupOf(Finding f, Evidence e, List<String> why) {
        Set<Integer> blocker = blockerPids(f, e);
        if (f.rootCause() == null && f.victims().stream().allMatch(v -> sameCgroup(v.pid(), f.victims().get(0).pid(), e))) {
            // a rule of sufferers only (tasks stuck at one cgroup's limit): they are the hang, all in one cgroup
            f.victims().forEach(v -> blocker.add(v.pid()));
        }
        if (blocker.isEmpty()) {
            why.add("no blocking task names the cgroup to act on");
            return Optional.empty();
        }
        MemCgroup found = null;
        for (MemCgroup c : e.memCgroups()) {
            boolean mine = c.pids().stream().anyMatch(blocker::contains);
            for (int p : blocker) {
                Task t = e.taskOrNull(p);
                mine |= t != null && c.path().equals(t.memoryCgroup());
            }
            if (mine && (found == null || c.path().length() > found.path().length())) {
                found = c; // the innermost limited cgroup that holds the blocker
            }
        }
        if (found == null) {
            why.add("the blocker is in no memory cgroup with a limit");
            return Optional.empty();
        }
        if (!atLimit(found)) {
            why.add("cgroup " + found.path() + " is not at its limit (usage " + found.usageBytes() + " of "
                    + found.limitBytes() + ")");
            return Optional.empty();
        }
        return Optional.of(found);
    }

    private static boolean sameCgroup(int a, int b, Evidence e) {
        Task ta = e.taskOrNull(a);
        Task tb = e.taskOrNull(b);
        return ta != null && tb != null && ta.memoryCgroup() != null && ta.memoryCgroup().equals(tb.memoryCgroup());
    }

    static boolean atLimit(MemCgroup c) {
        if (Boolean.TRUE.equals(c.underOom())) {
            return true;
        }
        if (c.usageBytes() == null || c.limitBytes() == null || c.unlimited()) {
            return false;
        }
        long margin = Math.max(c.limitBytes() / 50, 1L << 20);
        return c.usageBytes() >= c.limitBytes() - margin;
    }

    private Optional<Action> raiseLimit(Finding f, Evidence e, List<String> why) {
        Optional<MemCgroup> cg = cgroupOf(f, e, why);
        if (cg.isEmpty()) {
            return Optional.empty();
        }
        MemCgroup c = cg.get();
        if (c.unlimited() || c.limitBytes() == null) {
            why.add("cgroup " + c.path() + " has no limit to raise");
            return Optional.empty();
        }
        Path dir = CgroupDirs.memoryDir(hostRoot, c);
        if (dir == null) {
            why.add("cgroup " + c.path() + " was not found under " + hostRoot.resolve("sys/fs/cgroup"));
            return Optional.empty();
        }
        return Optional.of(new MemcgRaiseLimitAction(host, f.key(), dir, c.path(), c.version(), c.limitBytes(),
                MemcgRaiseLimitAction.raisedLimit(c.limitBytes())));
    }

    private Optional<Action> killOomVictim(Finding f, Evidence e, List<String> why) {
        Optional<MemCgroup> cg = cgroupOf(f, e, why);
        if (cg.isEmpty()) {
            return Optional.empty();
        }
        MemCgroup c = cg.get();
        OomFacts.Members members = OomFacts.read(hostRoot.resolve("proc"), c.pids());
        if (!members.unreadable().isEmpty()) {
            why.add("cannot rank the processes of cgroup " + c.path() + " without all of them: "
                    + String.join("; ", members.unreadable()));
            return Optional.empty();
        }
        Optional<OomVictimChooser.Choice> choice = OomVictimChooser.choose(c, members.evidence());
        if (choice.isEmpty()) {
            why.add("no process of cgroup " + c.path() + " is one the OOM killer may choose");
            return Optional.empty();
        }
        Task t = choice.get().task();
        Optional<ProcessIdentity> id = identify(t.pid(), t.comm(), e, why);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String refused = guard.refuseKill(id.get(), Set.copyOf(c.pids()));
        if (refused != null) {
            why.add(refused);
            return Optional.empty();
        }
        int pid = id.get().pid();
        return Optional.of(new KillProcessAction(RemedyIds.MEMCG_KILL_OOM_VICTIM, f.key(), id.get(),
                "the process the kernel's OOM killer would choose in cgroup " + c.path() + " (" + choice.get().why() + ")",
                Set.copyOf(c.pids()), guard, hostRoot.resolve("proc"),
                () -> CgroupMembership.refuseOutside(host, pid, c.path())));
    }

    /**
     * The process holding {@code pid} now, only when it is the one the scan saw (same start time): a pid reused
     * between the diagnosis and the plan names another process. Exited and unreadable are told apart in {@code why}.
     */
    private Optional<ProcessIdentity> identify(int pid, String comm, Evidence e, List<String> why) {
        ProcessIdentity.Lookup now = ProcessIdentity.lookup(hostRoot.resolve("proc"), pid);
        String who = comm == null ? "pid " + pid : comm + ":" + pid;
        if (now.gone()) {
            why.add(who + " exited meanwhile");
            return Optional.empty();
        }
        if (now.failure() != null) {
            why.add(who + " cannot be identified: " + now.failure());
            return Optional.empty();
        }
        Task scanned = e.taskOrNull(pid);
        String differs = now.identity().differsFrom(scanned == null ? null : scanned.startTime());
        if (differs != null) {
            why.add(differs);
            return Optional.empty();
        }
        return Optional.of(now.identity());
    }

    private Optional<Action> killUffdOwner(Finding f, Evidence e, List<String> why) {
        Set<Integer> pids = pidsOf(f, e);
        for (UffdHandle u : e.uffds()) {
            if (u.pending() == null || u.pending() == 0 || !pids.contains(u.pid())) {
                continue;
            }
            List<Integer> others = e.uffds().stream()
                    .filter(o -> o.pid() != u.pid() && u.inode() != null && u.inode().equals(o.inode()))
                    .map(UffdHandle::pid).distinct().toList();
            if (!others.isEmpty()) {
                why.add("pid(s) " + others + " also hold this userfaultfd and may still serve it; not killing");
                return Optional.empty();
            }
            Optional<ProcessIdentity> id = identify(u.pid(), null, e, why);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            String refused = guard.refuseKill(id.get(), pids);
            if (refused != null) {
                why.add(refused);
                return Optional.empty();
            }
            return Optional.of(new KillProcessAction(RemedyIds.UFFD_KILL_OWNER, f.key(), id.get(),
                    "it owns the memory registered with userfaultfd fd " + u.fd() + " (" + u.pending()
                            + " fault(s) pending) and no live process serves it", pids, guard, hostRoot.resolve("proc")));
        }
        why.add("no userfaultfd with pending faults belongs to the finding's processes");
        return Optional.empty();
    }
}
