package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.LockOwnerHint;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who waits for whom. Every task whose stack shows a wait gets an edge to every task that holds that resource; the
 * blocker is where the edges end (a task waiting on nothing another task holds, or a member of a cycle that can
 * yield). Built once per diagnosis in time linear in tasks times holders of each resource kind.
 */
public final class WaitGraph {
    private final Map<Integer, Task> tasks = new LinkedHashMap<>();
    private final Map<Integer, Resource> waits = new HashMap<>();
    private final Map<Integer, Set<Resource>> holds = new HashMap<>();
    private final Map<Integer, List<Integer>> edges = new HashMap<>();
    private final Map<Integer, List<Integer>> reverse = new HashMap<>();
    /** Tasks on a wait-for cycle, found once (strongly connected components) rather than searched per task. */
    private final Set<Integer> cycles;

    public WaitGraph(Evidence evidence) {
        WaitClassifier classifier = new WaitClassifier(evidence);
        Map<ResourceKind, List<Integer>> holdersByKind = new EnumMap<>(ResourceKind.class);
        for (Task t : evidence.tasks()) {
            if (t.state() == TaskState.DEAD) {
                continue;
            }
            tasks.put(t.pid(), t);
            Resource w = classifier.waitOf(t);
            if (w != null && (t.state().isBlocked() || t.state() == TaskState.RUNNING || t.state() == TaskState.UNKNOWN
                    || (t.state() == TaskState.SLEEPING && w.kind().interruptibleWait()))) {
                waits.put(t.pid(), w);
            }
            Set<Resource> h = classifier.holdsOf(t);
            if (!h.isEmpty()) {
                holds.put(t.pid(), h);
                for (Resource r : h) {
                    holdersByKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(t.pid());
                }
            }
        }
        // the hung-task detector's own word (6.16+: "blocked on a mutex likely owned by task X:PID") beats any guess
        Set<Integer> named = new HashSet<>();
        for (Task t : tasks.values()) {
            for (LockOwnerHint h : t.lockOwnerHints()) {
                if (h.ownerPid() == null || h.ownerPid() == t.pid() || !tasks.containsKey(h.ownerPid())) {
                    continue;
                }
                named.add(t.pid());
                // no address: the owner the hint names is what identifies this lock
                Resource lock = new Resource(ResourceKind.LOCK, h.lockKind() + (h.lockAddress() == null
                        ? " owned by task " + h.ownerPid() : " " + h.lockAddress()));
                waits.put(t.pid(), lock);
                holds.computeIfAbsent(h.ownerPid(), k -> new LinkedHashSet<>()).add(lock);
                holdersByKind.computeIfAbsent(ResourceKind.LOCK, k -> new ArrayList<>()).add(h.ownerPid());
            }
        }
        // then lockdep's lists of held locks, when the kernel printed them: the one other task that holds the lock
        for (Map.Entry<Integer, LockdepHolders.Owner> e : LockdepHolders.find(evidence, tasks, waits, named).entrySet()) {
            Resource lock = new Resource(ResourceKind.LOCK, "lock " + e.getValue().lock());
            waits.put(e.getKey(), lock);
            holds.computeIfAbsent(e.getValue().holder(), k -> new LinkedHashSet<>()).add(lock);
            holdersByKind.computeIfAbsent(ResourceKind.LOCK, k -> new ArrayList<>()).add(e.getValue().holder());
        }
        holdersFromStacks(holdersByKind);
        // holders by exact resource and, per kind, those whose key is unknown (they may hold any of that kind): a
        // waiter looks up only who can match it, so many independent waits cost linear time, not waiters x holders
        Map<Integer, Integer> order = new HashMap<>();
        tasks.keySet().forEach(pid -> order.put(pid, order.size()));
        Map<Resource, List<Integer>> holdersOf = new HashMap<>();
        Map<ResourceKind, List<Integer>> unkeyedHolders = new EnumMap<>(ResourceKind.class);
        Map<ResourceKind, Boolean> keyedHolders = new EnumMap<>(ResourceKind.class);
        for (Map.Entry<Integer, Set<Resource>> e : holds.entrySet()) {
            for (Resource r : e.getValue()) {
                if (r.key().isEmpty()) {
                    unkeyedHolders.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(e.getKey());
                } else {
                    holdersOf.computeIfAbsent(r, k -> new ArrayList<>()).add(e.getKey());
                    keyedHolders.put(r.kind(), true);
                }
            }
        }
        for (Map.Entry<Integer, Resource> e : waits.entrySet()) {
            int waiter = e.getKey();
            Resource r = e.getValue();
            if (r.kind() == ResourceKind.LOCK && r.key().isEmpty()) {
                continue; // a lock wait the detector named no owner for: nobody is known to hold it
            }
            List<Integer> candidates = new ArrayList<>(holdersOf.getOrDefault(r, List.of()));
            candidates.addAll(unkeyedHolders.getOrDefault(r.kind(), List.of()));
            if (r.key().isEmpty() && keyedHolders.containsKey(r.kind())) {
                // an unkeyed wait may be on any keyed resource of its kind
                candidates = holdersByKind.getOrDefault(r.kind(), List.of());
            } else {
                candidates.sort(Comparator.comparingInt(order::get));
            }
            Set<Integer> added = new HashSet<>();
            for (int holder : candidates) {
                if (holder == waiter || !added.add(holder)) {
                    continue;
                }
                if (holds.get(holder).stream().anyMatch(r::matches)) {
                    edges.computeIfAbsent(waiter, k -> new ArrayList<>()).add(holder);
                    reverse.computeIfAbsent(holder, k -> new ArrayList<>()).add(waiter);
                }
            }
        }
        cycles = new CycleFinder(tasks.keySet(), edges).members();
    }

    /**
     * A mutex, semaphore or rt-mutex waiter whose owner nothing names waits for the one other task shown inside the
     * function that asked for the lock, past the lock call (LockHolderStack); with two or more such tasks, for none.
     */
    private void holdersFromStacks(Map<ResourceKind, List<Integer>> holdersByKind) {
        // waiters grouped by where they asked for the lock: a thousand waiters at one call cost one look for its holder
        Map<LockHolderStack.Site, List<Integer>> waitersBySite = new LinkedHashMap<>();
        for (Map.Entry<Integer, Resource> e : waits.entrySet()) {
            if (e.getValue().kind() == ResourceKind.LOCK && e.getValue().key().isEmpty()) {
                LockHolderStack.Site site = LockHolderStack.site(tasks.get(e.getKey()).frames());
                if (site != null) {
                    waitersBySite.computeIfAbsent(site, k -> new ArrayList<>()).add(e.getKey());
                }
            }
        }
        if (waitersBySite.isEmpty()) {
            return;
        }
        Set<String> functions = new HashSet<>();
        waitersBySite.keySet().forEach(site -> functions.add(site.function()));
        // only tasks with one of the sites' functions on their stack are looked at: one pass over the frames
        List<Task> inFunctions = new ArrayList<>();
        for (Task t : tasks.values()) {
            if (t.state() != TaskState.ZOMBIE && t.frames().stream().anyMatch(f -> !f.unreliable()
                    && functions.contains(dev.hangdoctor.model.Frame.baseName(f.function())))) {
                inFunctions.add(t);
            }
        }
        for (Map.Entry<LockHolderStack.Site, List<Integer>> e : waitersBySite.entrySet()) {
            Integer only = null;
            for (Task t : inFunctions) {
                if (!LockHolderStack.inside(t, e.getKey())) {
                    continue;
                }
                if (only != null) {
                    only = null; // two tasks inside: nothing says which one took it
                    break;
                }
                only = t.pid();
            }
            if (only == null) {
                continue;
            }
            Resource lock = new Resource(ResourceKind.LOCK, "taken in " + e.getKey().function());
            for (int waiter : e.getValue()) {
                if (waiter != only) {
                    waits.put(waiter, lock);
                }
            }
            holds.computeIfAbsent(only, k -> new LinkedHashSet<>()).add(lock);
            holdersByKind.computeIfAbsent(ResourceKind.LOCK, k -> new ArrayList<>()).add(only);
        }
    }

    public Resource waitOf(int pid) {
        return waits.get(pid);
    }

    public Set<Resource> holdsOf(int pid) {
        return holds.getOrDefault(pid, Set.of());
    }

    /** The tasks this one waits for (holders of what it waits on). */
    public List<Integer> waitsFor(int pid) {
        return edges.getOrDefault(pid, List.of());
    }

    /** The tasks waiting directly for this one. */
    public List<Integer> waitedOnBy(int pid) {
        return reverse.getOrDefault(pid, List.of());
    }

    /** Every task that, directly or through others, waits for this one. */
    public Set<Integer> transitiveWaiters(int pid) {
        Set<Integer> seen = new LinkedHashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(waitedOnBy(pid));
        while (!todo.isEmpty()) {
            int p = todo.poll();
            if (p != pid && seen.add(p)) {
                todo.addAll(waitedOnBy(p));
            }
        }
        return seen;
    }

    /** Every task this one waits for, directly or through others. */
    public Set<Integer> transitiveHolders(int pid) {
        Set<Integer> seen = new LinkedHashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(waitsFor(pid));
        while (!todo.isEmpty()) {
            int p = todo.poll();
            if (p != pid && seen.add(p)) {
                todo.addAll(waitsFor(p));
            }
        }
        return seen;
    }

    /**
     * True when the task sleeps on a kernel lock (a mutex, a semaphore, an rw-semaphore, an mmap lock, a superblock's
     * s_umount) whose owner the evidence does not give: no task shown holds it, the hung-task detector named no
     * owner, its own stack does not show it took that lock already, and no task waits for it. Such a task is one of
     * the waiters, never the cause: whoever holds its lock is not in the text.
     */
    public boolean waitsOnUnknownOwner(int pid) {
        Resource w = waits.get(pid);
        Task t = tasks.get(pid);
        if (t == null || w == null || !waitedOnBy(pid).isEmpty() || !waitsFor(pid).isEmpty() || inCycle(pid)) {
            return false;
        }
        if (w.kind() != ResourceKind.LOCK && w.kind() != ResourceKind.RWSEM && w.kind() != ResourceKind.MMAP_LOCK
                && w.kind() != ResourceKind.SUPERBLOCK) {
            return false;
        }
        return t.lockOwnerHints().stream().noneMatch(h -> h.ownerPid() != null)
                && LockRecursion.retaken(t.frames()) == null;
    }

    /** True when the task waits, through others, for itself: a deadlock cycle. */
    public boolean inCycle(int pid) {
        return cycles.contains(pid);
    }

    /**
     * Picks the root cause among candidates: the one most others wait for; in a cycle the member whose own wait can
     * be ended from outside (memory, an external server, a daemon) rather than one of the cycle's sleeping waiters;
     * a task named by pid before an anonymous one.
     */
    public Task rootCause(Collection<Task> candidates) {
        Comparator<Task> order = Comparator
                .comparingInt((Task t) -> t.pid() >= 0 ? 1 : 0)
                .thenComparingInt(t -> yieldable(t) ? 1 : 0)
                .thenComparingInt(t -> transitiveWaiters(t.pid()).size())
                .thenComparingInt(t -> t.state().isBlocked() ? 0 : 1)
                .thenComparingInt(t -> -t.pid());
        return candidates.stream().max(order).orElse(null);
    }

    /** Without hints, the tasks where chains end and others pile up behind. */
    public List<Task> sinks() {
        List<Task> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int waiter : waits.keySet()) {
            for (int h : chainEnd(waiter)) {
                if (seen.add(h)) {
                    out.add(tasks.get(h));
                }
            }
        }
        return out;
    }

    private Set<Integer> chainEnd(int start) {
        Set<Integer> ends = new LinkedHashSet<>();
        Set<Integer> visited = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            int p = todo.poll();
            if (!visited.add(p)) {
                continue;
            }
            List<Integer> next = waitsFor(p);
            if (next.isEmpty() || inCycle(p)) {
                ends.add(p);
            }
            todo.addAll(next);
        }
        return ends;
    }

    /** Whether ending this task's own wait is in an operator's hands (more memory, a server, a daemon, a CPU). */
    private boolean yieldable(Task t) {
        Resource w = waits.get(t.pid());
        if (w == null) {
            return true;
        }
        return switch (w.kind()) {
            case MEMORY, FUSE_REPLY, UFFD, HOST_PAGE, NFS_SERVER, NINEP_SERVER, NETFS_SERVER, BLOCK_IO, CPU -> true;
            default -> false;
        };
    }

    /** A shortest path of waits from one task to another, as pids (inclusive), or empty. */
    public List<Integer> path(int from, int to) {
        Map<Integer, Integer> prev = new HashMap<>();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.add(from);
        prev.put(from, from);
        while (!todo.isEmpty()) {
            int p = todo.poll();
            if (p == to && p != from) {
                break;
            }
            for (int n : waitsFor(p)) {
                if (!prev.containsKey(n) || (n == to && n == from)) {
                    prev.put(n, p);
                    todo.add(n);
                }
            }
        }
        if (!prev.containsKey(to) || (from == to)) {
            return List.of();
        }
        List<Integer> path = new ArrayList<>();
        for (int p = to; p != from; p = prev.get(p)) {
            path.add(0, p);
        }
        path.add(0, from);
        return path;
    }

    public Task task(int pid) {
        return tasks.get(pid);
    }
}
