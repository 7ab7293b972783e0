package dev.hangdoctor.guard;

import dev.hangdoctor.act.OomFacts;
import dev.hangdoctor.act.ProcFile;
import dev.hangdoctor.act.ProcessIdentity;
import dev.hangdoctor.act.SafetyGuard;
import dev.hangdoctor.diagnose.OomVictimChooser;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.procfs.CgroupProcs;
import dev.hangdoctor.procfs.PidStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Picks the process to kill inside one cgroup (its own processes and its descendants'): protected processes are
 * never candidates; preferred ones are ranked first, then the rest, avoided ones last; within each group the
 * kernel's own OOM ranking decides ({@link OomVictimChooser}), and {@link SafetyGuard} vetoes pid 1, kernel threads
 * and hangdoctor itself, in which case the next in rank is taken.
 */
final class VictimPicker {
    static final int MAX_PIDS = 10_000;
    /** PF_EXITING: the process is already on its way out (killed by someone, the kernel's OOM killer included). */
    private static final long PF_EXITING = 0x00000004L;

    /**
     * The outcome: a victim, or none with the reason (and whether protection was what stopped it); with the resident
     * memory and page tables of every member read (protected ones too) and of the victim, in bytes.
     */
    record Pick(ProcessIdentity victim, String victimCgroup, String why, boolean onlyProtected, long membersBytes,
                long victimBytes) {
        Pick(ProcessIdentity victim, String victimCgroup, String why, boolean onlyProtected) {
            this(victim, victimCgroup, why, onlyProtected, 0, 0);
        }
    }

    private final Path procRoot;
    private final GuardConfig cfg;
    private final SafetyGuard safety;
    private final Map<String, Integer> uids;
    private final boolean needUids;
    /** When each exiting member (pid and start time) was first seen exiting. */
    private final Map<Long, Long> exitingSince = new java.util.HashMap<>();
    /** How long an exiting member holds the guard back: long enough for a killed process to free its memory. */
    private static final long EXITING_GRACE_NANOS = 2_000_000_000L;

    VictimPicker(Path procRoot, GuardConfig cfg, SafetyGuard safety, Map<String, Integer> uids) {
        this.procRoot = procRoot;
        this.cfg = cfg;
        this.safety = safety;
        this.uids = Map.copyOf(uids);
        this.needUids = !uids.isEmpty();
    }

    Pick pick(MemoryHierarchy h, Path dir, long limit) {
        Map<Integer, String> where = members(h, dir);
        OomFacts.Members read = OomFacts.read(procRoot, new ArrayList<>(where.keySet()));
        if (!read.unreadable().isEmpty()) {
            // ranking without a member could pass over the one that should go and kill a bystander instead; the
            // kernel's own OOM killer, which sees every member, is the better judge then
            return new Pick(null, null, read.unreadable().size() + " member(s) could not be read, not choosing: "
                    + read.unreadable().get(0), false);
        }
        Evidence facts = read.evidence();
        long membersBytes = 0;
        for (Task t : facts.tasks()) {
            boolean exiting = t.flags() != null && (t.flags() & PF_EXITING) != 0;
            if (t.rssKb() == null && !t.isKernelThread() && !exiting) {
                // a live process without memory lines (its leader thread exited while others run): its memory is
                // unknown, and ranking without it is ranking without a member
                return new Pick(null, null, "the memory of " + t.comm() + ":" + t.pid() + " cannot be read (no VmRSS"
                        + " in its status), not choosing", false);
            }
            membersBytes += footprint(t);
        }
        List<Integer> prefer = new ArrayList<>();
        List<Integer> plain = new ArrayList<>();
        List<Integer> avoid = new ArrayList<>();
        int shielded = 0;
        long now = System.nanoTime();
        exitingSince.values().removeIf(since -> now - since > 60_000_000_000L);
        for (Task t : facts.tasks()) {
            if (t.flags() != null && (t.flags() & PF_EXITING) != 0 && !t.isKernelThread()) {
                // as the kernel does (oom_evaluate_task): while one member is exiting its memory is coming back,
                // and killing a second one would only add a victim. But only for a while: a process stuck in its
                // exit (a FUSE flush nobody answers) must not switch the guard off for its cgroup for good
                long key = ((long) t.pid() << 32) ^ (t.startTime() == null ? 0 : t.startTime());
                long since = exitingSince.computeIfAbsent(key, k -> now);
                if (now - since < EXITING_GRACE_NANOS) {
                    return new Pick(null, null, t.comm() + ":" + t.pid() + " is already exiting", false);
                }
            }
        }
        for (Map.Entry<Integer, String> e : where.entrySet()) {
            Task t = facts.taskOrNull(e.getKey());
            if (t == null) {
                continue;
            }
            Integer uid = needUids ? uid(e.getKey()) : null;
            if (needUids && uid == null) {
                if (ProcFile.gone(procRoot.resolve(Integer.toString(e.getKey())))) {
                    continue;
                }
                // a user rule may protect it: not knowing its user must not make it fair game
                return new Pick(null, null, "cannot read the user of " + t.comm() + ":" + t.pid() + ", not choosing",
                        false);
            }
            if (any(cfg.protect(), t, e.getValue(), uid)) {
                shielded++;
            } else if (any(cfg.prefer(), t, e.getValue(), uid)) {
                prefer.add(e.getKey());
            } else if (any(cfg.avoid(), t, e.getValue(), uid)) {
                avoid.add(e.getKey());
            } else {
                plain.add(e.getKey());
            }
        }
        String cgPath = h.pathOf(dir);
        String[] tierNames = {"preferred", "", "avoided"};
        List<List<Integer>> tiers = List.of(prefer, plain, avoid);
        for (int i = 0; i < tiers.size(); i++) {
            List<Integer> pool = new ArrayList<>(tiers.get(i));
            while (!pool.isEmpty()) {
                MemCgroup cg = new MemCgroup(cgPath, h.version(), null, limit, false, null, null, null, null, null,
                        null, pool);
                var choice = OomVictimChooser.choose(cg, facts);
                if (choice.isEmpty()) {
                    break;
                }
                Task t = choice.get().task();
                ProcessIdentity id = new ProcessIdentity(t.pid(), t.startTime() == null ? -1 : t.startTime(),
                        t.comm(), t.flags() == null ? 0 : t.flags(), -1);
                String refused = safety.refuseKill(id, Set.of(t.pid()));
                if (refused == null) {
                    String tier = tierNames[i].isEmpty() ? "" : tierNames[i] + ", ";
                    return new Pick(id, where.get(t.pid()), tier + choice.get().why(), false, membersBytes,
                            footprint(t));
                }
                pool.remove(Integer.valueOf(t.pid()));
            }
        }
        if (shielded > 0) {
            return new Pick(null, null, shielded + " process(es) protected, none other may be killed", true);
        }
        return new Pick(null, null, where.isEmpty() ? "no processes in the cgroup"
                : where.size() + " process(es), none may be killed (kernel threads, oom_score_adj -1000, init, self)",
                false);
    }

    /** What killing {@code t} gives back to its cgroup: resident memory and page tables (swap is not in usage). */
    static long footprint(Task t) {
        return ((t.rssKb() == null ? 0 : t.rssKb()) + (t.pageTablesKb() == null ? 0 : t.pageTablesKb())) << 10;
    }

    /**
     * The victim's facts read again right before the kill, with the usage just read: why the choice no longer holds
     * (the victim is gone, exiting or shrank to a bystander's share of the usage), or null when it still does.
     */
    String recheck(Pick pick, long usageBytes, long reclaimableBytes) {
        ProcessIdentity v = pick.victim();
        OomFacts.Members read = OomFacts.read(procRoot, List.of(v.pid()));
        if (!read.unreadable().isEmpty()) {
            return "re-check: " + read.unreadable().get(0);
        }
        Task t = read.evidence().taskOrNull(v.pid());
        if (t == null || t.startTime() == null || t.startTime() != v.startTime()) {
            return "re-check: " + v.comm() + ":" + v.pid() + " exited since it was chosen";
        }
        if (t.flags() != null && (t.flags() & PF_EXITING) != 0) {
            return "re-check: " + v.comm() + ":" + v.pid() + " is already exiting";
        }
        long now = footprint(t);
        long members = Math.max(0, pick.membersBytes() - pick.victimBytes()) + now;
        String refused = new MemoryCoverage(usageBytes, reclaimableBytes, members, now).refusal();
        return refused == null ? null : "re-check: " + refused;
    }

    /**
     * Runs the choosing path once on this process, so its classes are loaded and the first real pick, which may
     * have a few milliseconds to spare, does not pay for that.
     */
    void warmUp(MemoryHierarchy h) {
        int self = (int) ProcessHandle.current().pid();
        Evidence facts = OomFacts.read(procRoot, List.of(self)).evidence();
        MemCgroup cg = new MemCgroup("/", h == null ? 1 : h.version(), null, 1L << 30, false, null, null, null, null,
                null, null, List.of(self));
        OomVictimChooser.choose(cg, facts).ifPresent(c -> safety.refuseKill(new ProcessIdentity(self,
                c.task().startTime() == null ? -1 : c.task().startTime(), c.task().comm(), 0, -1), Set.of(self)));
        any(cfg.protect(), new Task(self).comm("warm-up"), "/", null);
        if (h != null) {
            members(h, h.root().resolve("hangdoctor-warm-up-no-such-cgroup"));
        }
    }

    private boolean any(List<ProcessRule> rules, Task t, String cgroup, Integer uid) {
        for (ProcessRule r : rules) {
            if (r.matches(t.comm(), cgroup, uid, uids)) {
                return true;
            }
        }
        return false;
    }

    /** pid -> the cgroup path it is in, for {@code dir} and every cgroup below it (v2 and hierarchical v1 charge up). */
    private static Map<Integer, String> members(MemoryHierarchy h, Path dir) {
        Map<Integer, String> out = new LinkedHashMap<>();
        Deque<Path> todo = new ArrayDeque<>();
        todo.add(dir);
        int dirs = 0;
        while (!todo.isEmpty() && dirs++ < MemoryHierarchy.MAX_DIRS && out.size() < MAX_PIDS) {
            Path d = todo.poll();
            String path = h.pathOf(d);
            try {
                String procs = Files.readString(CgroupProcs.path(d), StandardCharsets.US_ASCII);
                for (int pid : CgroupProcs.parse(procs, MAX_PIDS - out.size())) {
                    out.putIfAbsent(pid, path);
                }
            } catch (IOException e) {
                continue;
            }
            todo.addAll(MemoryHierarchy.children(d));
        }
        return out;
    }

    /** The real uid from /proc/PID/status, or null. */
    private Integer uid(int pid) {
        try {
            return PidStatus.parse(ProcFile.readBytes(PidStatus.path(procRoot, pid))).uid();
        } catch (IOException e) {
            return null;
        }
    }

    /** Resolves user names in the rules to uids through the host's passwd file; an unknown name is an error. */
    static Map<String, Integer> resolveUsers(Path hostRoot, GuardConfig cfg) {
        Map<String, Integer> out = new HashMap<>();
        List<String> passwd = null;
        for (List<ProcessRule> list : List.of(cfg.protect(), cfg.prefer(), cfg.avoid())) {
            for (ProcessRule r : list) {
                String u = r.user();
                if (u == null || out.containsKey(u)) {
                    continue;
                }
                if (u.chars().allMatch(Character::isDigit)) {
                    out.put(u, Integer.parseInt(u));
                    continue;
                }
                if (passwd == null) {
                    try {
                        // bytes decoded lossily: one GECOS field that is not UTF-8 must not hide every user
                        passwd = List.of(new String(Files.readAllBytes(hostRoot.resolve("etc/passwd")),
                                StandardCharsets.UTF_8).split("\n"));
                    } catch (IOException e) {
                        passwd = List.of();
                    }
                }
                Integer uid = null;
                for (String line : passwd) {
                    String[] f = line.split(":");
                    if (f.length > 2 && f[0].equals(u)) {
                        uid = Integer.parseInt(f[2]);
                        break;
                    }
                }
                if (uid == null) {
                    throw new IllegalArgumentException("guard: unknown user '" + u + "' (not in the host's /etc/passwd;"
                            + " give the uid instead)");
                }
                out.put(u, uid);
            }
        }
        return out;
    }
}
