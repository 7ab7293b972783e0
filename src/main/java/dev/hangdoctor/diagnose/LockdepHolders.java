package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.HeldLock;
import dev.hangdoctor.model.Task;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds the lock a task sleeps on, read from lockdep's held-lock lists (kernels built with lockdep print them
 * under a hung-task report: "Showing all locks held in the system:"). Lockdep records a lock when a task asks for it,
 * so a sleeper lists the lock it waits for last, at the function its stack asked in; the task that holds it lists
 * it too, with locks it took after it, or last while it sleeps on something else.
 */
final class LockdepHolders {

    /** The waits a held-lock list can explain: sleeping locks. */
    static final Set<ResourceKind> LOCK_WAITS = EnumSet.of(ResourceKind.LOCK, ResourceKind.RWSEM,
            ResourceKind.MMAP_LOCK, ResourceKind.SUPERBLOCK);

    /** The one task that holds the lock a waiter asked for, and which lock that is. */
    record Owner(int holder, String lock) {
    }

    private LockdepHolders() {
    }

    /**
     * For each task in {@code waits} asleep on a lock (except {@code named}, whose owner the report named): the
     * one other task that holds it, when exactly one lister does and it is in the evidence.
     */
    static Map<Integer, Owner> find(Evidence ev, Map<Integer, Task> tasks, Map<Integer, Resource> waits,
            Set<Integer> named) {
        if (ev.heldLockPids().isEmpty()) {
            return Map.of();
        }
        Map<String, List<Integer>> listers = new HashMap<>();
        for (int pid : ev.heldLockPids()) {
            for (HeldLock l : ev.heldLocks(pid)) {
                if (l.instance() != null) {
                    List<Integer> list = listers.computeIfAbsent(l.instance(), k -> new ArrayList<>());
                    if (!list.contains(pid)) {
                        list.add(pid);
                    }
                }
            }
        }
        Map<Integer, Owner> out = new HashMap<>();
        for (Map.Entry<Integer, Resource> e : waits.entrySet()) {
            int waiter = e.getKey();
            if (named.contains(waiter) || !LOCK_WAITS.contains(e.getValue().kind())) {
                continue;
            }
            List<HeldLock> asked = last(ev.heldLocks(waiter));
            if (asked.isEmpty() || asked.get(0).instance() == null || !askedHere(asked, tasks.get(waiter))) {
                continue; // its last lock is one it took: it sleeps on something lockdep did not record
            }
            String lock = asked.get(0).instance();
            Integer holder = null;
            for (int p : listers.getOrDefault(lock, List.of())) {
                if (p == waiter || !holds(ev.heldLocks(p), lock, tasks.get(p), waits.get(p))) {
                    continue;
                }
                if (holder != null) {
                    holder = null; // two holders (readers of an rw-semaphore): none is the one
                    break;
                }
                holder = p;
            }
            if (holder != null && tasks.containsKey(holder)) {
                out.put(waiter, new Owner(holder, lock));
            }
        }
        return out;
    }

    /** Whether a lister holds the lock rather than asks for it. */
    private static boolean holds(List<HeldLock> list, String lock, Task t, Resource wait) {
        List<HeldLock> last = last(list);
        if (last.isEmpty() || !lock.equals(last.get(0).instance())) {
            return true; // it took other locks after this one: it got it
        }
        if (t == null) {
            return false; // listed last and no stack to tell: it may be asking for it as well
        }
        return wait == null || !LOCK_WAITS.contains(wait.kind()) || !askedHere(last, t);
    }

    /** Whether the task's stack is in a function that asked for this entry (its "at:"; a repeated entry's inlined callers). */
    private static boolean askedHere(List<HeldLock> entry, Task t) {
        return t != null && entry.stream().anyMatch(l -> l.at() != null && Frames.indexOf(t.frames(), l.at()) >= 0);
    }

    /** The entries of the highest number: the lock taken (or asked for) last, with its repeats for inlined callers. */
    private static List<HeldLock> last(List<HeldLock> list) {
        int top = list.stream().mapToInt(HeldLock::index).max().orElse(-1);
        return list.stream().filter(l -> l.index() == top).toList();
    }
}
