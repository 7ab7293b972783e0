package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import dev.hangdoctor.model.UffdHandle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names the kernel objects a finding is about, from what a live scan (or its bundle) read: the FUSE connections
 * with unanswered requests (mount point, id N, the daemon and whether it is alive, stopped or gone), the memory
 * cgroups at their limit (path, under_oom, the process their OOM killer would choose), the userfaultfds with
 * pending faults (holder, fd, inode, whether any other process holds them). They become evidence lines, and the
 * rule's remediation placeholders ({@code <N>}, {@code <cgroup>}, {@code <oom-victim-pid>}) are filled with the
 * real values, one line per object. Evidence without these objects (logs, crash) leaves the finding as it was.
 */
final class FindingResources {
    private static final String CONN = "<N>";
    private static final String CGROUP = "<cgroup>";
    private static final String OOM_VICTIM = "<oom-victim-pid>";

    private FindingResources() {
    }

    static Finding describe(Finding f, Evidence ev, WaitGraph graph) {
        // the blocker's own wait says which objects matter beyond the rule's category (a jbd2 cycle under a memory
        // limit); victims' waits do not: a blocker may hold two things, and each has its own finding
        Set<Integer> pids = new LinkedHashSet<>();
        if (f.rootCause() != null) {
            pids.add(f.rootCause().pid());
        }
        List<String> evidence = new ArrayList<>(f.evidence());
        List<String> remediation = f.remediation();
        String blocker = f.blocker();

        if (f.category() == Category.FUSE || waitsOn(pids, graph, ResourceKind.FUSE_REPLY)) {
            Set<Integer> own = fuseConnectionsOf(f, graph);
            List<FuseConnection> conns = ev.fuseConnections().stream()
                    .filter(c -> c.waiting() != null && c.waiting() > 0 && (own.isEmpty() || own.contains(c.id())))
                    .toList();
            // the finding's own connections (its tasks' waits name them); when none does, every connection with
            // unanswered requests: a stack alone does not say which mount its task waits on
            List<String> ids = new ArrayList<>();
            for (FuseConnection c : conns) {
                String id = "FUSE connection " + c.id();
                put(evidence, fuseLine(c, ev), id + " (", id + ":");
                ids.add(Integer.toString(c.id()));
            }
            if (!own.isEmpty()) {
                // the rule's signal listed every waiting connection; another connection's line belongs to its finding
                evidence.removeIf(l -> l.startsWith("FUSE connection ") && ev.fuseConnections().stream()
                        .anyMatch(c -> !own.contains(c.id()) && (l.startsWith("FUSE connection " + c.id() + " (")
                                || l.startsWith("FUSE connection " + c.id() + " at "))));
            }
            remediation = fill(remediation, CONN, ids);
            if (f.rootCause() == null && conns.size() == 1 && conns.get(0).daemonPids().isEmpty()) {
                blocker = "FUSE connection " + conns.get(0).id() + where(conns.get(0))
                        + ": no process holds /dev/fuse for it any more, so nobody will answer";
            } else if (f.rootCause() != null && conns.size() == 1
                    && conns.get(0).daemonPids().contains(f.rootCause().pid())) {
                // the daemon is the blocker: say what is wrong with it
                blocker = "the daemon of FUSE connection " + conns.get(0).id() + where(conns.get(0)) + ": "
                        + daemonState(f.rootCause().pid(), ev.taskOrNull(f.rootCause().pid()), ev, conns.get(0));
            }
        }
        if (f.category() == Category.BLOCK_IO || waitsOn(pids, graph, ResourceKind.BLOCK_IO)) {
            // devices with requests in flight (live scans and bundles): where the I/O the tasks wait for is stuck
            ev.host().sysctls().forEach((k, v) -> {
                if (k.startsWith("block.") && k.endsWith(".inflight")) {
                    evidence.add("block device " + k.substring(6, k.length() - 9) + ": " + v + " in flight");
                }
            });
        }
        if (f.category() == Category.MEMCG_OOM || waitsOn(pids, graph, ResourceKind.MEMORY)) {
            List<MemCgroup> cgs = stuckCgroups(f, ev);
            List<String> paths = new ArrayList<>();
            List<String> victims = new ArrayList<>();
            for (MemCgroup cg : cgs) {
                paths.add(cg.path());
                var choice = OomVictimChooser.choose(cg, ev);
                put(evidence, memcgLine(cg) + choice.map(c -> "; its OOM killer would choose " + TaskRef.of(c.task())
                        + " (" + c.why() + ")").orElse("; no process in it the OOM killer could choose"),
                        "memory cgroup " + cg.path() + ":");
                choice.ifPresent(c -> victims.add(Integer.toString(c.task().pid())));
            }
            remediation = fill(fill(remediation, CGROUP, paths), OOM_VICTIM, victims);
            if (f.rootCause() == null && cgs.size() == 1) {
                blocker = memcgLine(cgs.get(0)) + ": nothing frees memory in it";
            }
        }
        if (f.category() == Category.UFFD || waitsOn(pids, graph, ResourceKind.UFFD)) {
            for (UffdHandle u : ev.uffds()) {
                if (u.pending() != null && u.pending() > 0) {
                    put(evidence, uffdLine(u, ev), "userfaultfd fd " + u.fd() + " of pid " + u.pid() + ":");
                }
            }
        }
        if (evidence.equals(f.evidence()) && remediation == f.remediation() && blocker.equals(f.blocker())) {
            return f;
        }
        return new Finding(f.signature(), f.category(), f.title(), f.confidence(), f.rootCause(), blocker,
                f.rootCauseResource(), f.victims(), f.chain(), evidence, f.explanation(), f.fix(), remediation,
                f.actions());
    }

    /**
     * Puts the full description of an object in place of the short line a rule's live-object signal printed for it
     * (RuleMatcher's "FUSE connection 40 (...): ...", "memory cgroup /x: ...", "userfaultfd fd 3 of pid 9: ..."),
     * or at the end when no signal named it.
     */
    private static void put(List<String> evidence, String line, String... shortPrefixes) {
        for (int i = 0; i < evidence.size(); i++) {
            for (String p : shortPrefixes) {
                if (evidence.get(i).startsWith(p)) {
                    evidence.set(i, line);
                    return;
                }
            }
        }
        if (!evidence.contains(line)) {
            evidence.add(line);
        }
    }

    private static boolean waitsOn(Set<Integer> pids, WaitGraph graph, ResourceKind kind) {
        for (int pid : pids) {
            Resource w = graph.waitOf(pid);
            if (w != null && w.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    private static String where(FuseConnection c) {
        return c.mountPoints().isEmpty() ? "" : " at " + String.join(", ", c.mountPoints());
    }

    /** "FUSE connection 40 at /mnt (fuse.x): 8 request(s) waiting; daemon fusefs:515 is stopped (T) ...". */
    static String fuseLine(FuseConnection c, Evidence ev) {
        StringBuilder b = new StringBuilder("FUSE connection ").append(c.id()).append(where(c));
        if (c.fsType() != null) {
            b.append(" (").append(c.fsType()).append(')');
        }
        b.append(": ").append(c.waiting()).append(" request(s) waiting; ");
        if (c.daemonPids().isEmpty()) {
            return b.append("no process holds /dev/fuse for it: its daemon is dead").toString();
        }
        List<String> daemons = new ArrayList<>();
        for (int pid : c.daemonPids()) {
            daemons.add(daemonState(pid, ev.taskOrNull(pid), ev, c));
        }
        return b.append(String.join("; ", daemons)).toString();
    }

    /**
     * What is wrong with a daemon, from its own threads: stopped, dead, blocked itself, never reading /dev/fuse (no
     * thread in fuse_dev_do_read, so requests stay pending), or reading and never answering (a thread waits for the
     * next request while the read ones stay unanswered).
     */
    static String daemonState(int pid, Task t, Evidence ev, FuseConnection c) {
        if (t == null) {
            return "daemon pid " + pid + " is gone";
        }
        String who = "daemon " + TaskRef.of(t);
        String drained = c.notDraining() ? " (" + c.waiting() + " request(s) waiting, " + c.waitingAfter()
                + " after the window: none answered)" : "";
        return switch (t.state()) {
            case STOPPED -> who + " is stopped (T): it reads no request until it gets SIGCONT";
            case TRACED -> who + " is stopped by a tracer (t)";
            case ZOMBIE, DEAD -> who + " is dead (" + t.state().letter() + ")";
            case UNINTERRUPTIBLE -> who + " is itself blocked (D) in " + Frames.whereSleeping(t.frames());
            default -> readsDevFuse(pid, ev) == null ? who + " is alive (" + t.state().letter() + ") but does not answer"
                    : readsDevFuse(pid, ev) ? who + " reads /dev/fuse but never answers" + drained
                    : who + " never reads /dev/fuse (no thread in fuse_dev_do_read)" + drained;
        };
    }

    /** Whether a thread of the process waits in fuse_dev_do_read; null when no thread's stack was read. */
    private static Boolean readsDevFuse(int pid, Evidence ev) {
        boolean anyStack = false;
        for (Task x : ev.tasks()) {
            if (x.pid() == pid || (x.tgid() != null && x.tgid() == pid)) {
                anyStack |= !x.frames().isEmpty();
                if (Frames.indexOf(x.frames(), "fuse_dev_do_read") >= 0) {
                    return true;
                }
            }
        }
        return anyStack ? Boolean.FALSE : null;
    }

    /** The connections the finding's tasks wait on or serve, as the wait graph keyed them. */
    private static Set<Integer> fuseConnectionsOf(Finding f, WaitGraph graph) {
        Set<Integer> pids = new LinkedHashSet<>();
        if (f.rootCause() != null) {
            pids.add(f.rootCause().pid());
        }
        f.victims().forEach(v -> pids.add(v.pid()));
        Set<Integer> out = new LinkedHashSet<>();
        for (int pid : pids) {
            List<Resource> rs = new ArrayList<>(graph.holdsOf(pid));
            Resource w = graph.waitOf(pid);
            if (w != null) {
                rs.add(w);
            }
            for (Resource r : rs) {
                if (r.kind() == ResourceKind.FUSE_REPLY && r.key().startsWith("connection ")) {
                    out.add(Integer.parseInt(r.key().substring("connection ".length())));
                }
            }
        }
        return out;
    }

    /**
     * The memory cgroups the finding's tasks are stuck in: every cgroup under OOM, and for tasks outside those the
     * innermost cgroup with a limit that holds them (cgroup v2 has no under_oom).
     */
    private static List<MemCgroup> stuckCgroups(Finding f, Evidence ev) {
        Set<Integer> pids = new LinkedHashSet<>();
        if (f.rootCause() != null) {
            pids.add(f.rootCause().pid());
        }
        f.victims().forEach(v -> pids.add(v.pid()));
        Set<MemCgroup> out = new LinkedHashSet<>();
        for (MemCgroup cg : ev.memCgroups()) {
            if (Boolean.TRUE.equals(cg.underOom())) {
                out.add(cg);
            }
        }
        for (int pid : pids) {
            Task t = ev.taskOrNull(pid);
            if (t == null || t.memoryCgroup() == null || out.stream().anyMatch(c -> within(t.memoryCgroup(), c))) {
                continue;
            }
            MemCgroup best = null;
            for (MemCgroup cg : ev.memCgroups()) {
                if (!cg.unlimited() && cg.limitBytes() != null && within(t.memoryCgroup(), cg)
                        && (best == null || cg.path().length() > best.path().length())) {
                    best = cg;
                }
            }
            if (best != null) {
                out.add(best);
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean within(String path, MemCgroup cg) {
        return path.equals(cg.path()) || path.startsWith(cg.path().endsWith("/") ? cg.path() : cg.path() + "/");
    }

    private static String memcgLine(MemCgroup cg) {
        StringBuilder b = new StringBuilder("memory cgroup ").append(cg.path());
        List<String> parts = new ArrayList<>();
        if (cg.underOom() != null) {
            parts.add("under_oom " + (cg.underOom() ? 1 : 0));
        }
        if (cg.oomKillDisable() != null) {
            parts.add("oom_kill_disable " + (cg.oomKillDisable() ? 1 : 0));
        }
        if (cg.usageBytes() != null && cg.limitBytes() != null) {
            parts.add(String.format(Locale.ROOT, "usage %d of limit %d MiB", cg.usageBytes() >> 20,
                    cg.limitBytes() >> 20));
        }
        return parts.isEmpty() ? b.toString() : b.append(" (").append(String.join(", ", parts)).append(')').toString();
    }

    /** "userfaultfd fd 3 of uffdorphan:416 (inode 299418): 1 fault(s) pending; no other live process holds it ...". */
    static String uffdLine(UffdHandle u, Evidence ev) {
        Task owner = ev.taskOrNull(u.pid());
        StringBuilder b = new StringBuilder("userfaultfd fd ").append(u.fd()).append(" of ")
                .append(owner == null ? "pid " + u.pid() : TaskRef.of(owner).toString());
        if (u.inode() != null) {
            b.append(" (inode ").append(u.inode()).append(')');
        }
        b.append(": ").append(u.pending()).append(" fault(s) pending; ");
        if (u.inode() == null) {
            return b.append("the evidence does not say whether another process holds it").toString();
        }
        Set<String> others = new LinkedHashSet<>();
        for (UffdHandle o : ev.uffds()) {
            Task t = ev.taskOrNull(o.pid());
            boolean alive = t == null || (t.state() != TaskState.ZOMBIE && t.state() != TaskState.DEAD);
            if (o.pid() != u.pid() && u.inode().equals(o.inode()) && alive) {
                others.add(t == null ? "pid " + o.pid() : TaskRef.of(t).toString());
            }
        }
        if (others.isEmpty()) {
            return b.append("no other live process holds it, so no handler will serve the fault(s)").toString();
        }
        return b.append("also held by ").append(String.join(", ", others))
                .append(" (same inode): check whether that handler still reads it").toString();
    }

    /**
     * Each remediation line with the placeholder becomes one line per value; with no value it stays as written, for
     * the operator to fill.
     */
    private static List<String> fill(List<String> lines, String placeholder, List<String> values) {
        if (values.isEmpty()) {
            return lines;
        }
        List<String> out = new ArrayList<>();
        boolean changed = false;
        for (String line : lines) {
            if (!line.contains(placeholder)) {
                out.add(line);
                continue;
            }
            changed = true;
            for (String v : values) {
                // cgroup paths start with '/': "/sys/fs/cgroup/memory/<cgroup>/..." must not get "//"
                String value = placeholder.equals(CGROUP) && line.contains("/" + placeholder) && v.startsWith("/")
                        ? v.substring(1) : v;
                out.add(line.replace(placeholder, value));
            }
        }
        return changed ? out : lines;
    }
}
