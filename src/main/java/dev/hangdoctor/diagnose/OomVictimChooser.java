package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;

import java.util.Optional;

/**
 * Picks the process the kernel's memcg OOM killer would kill inside one cgroup, the way mm/oom_kill.c's
 * oom_badness() ranks them: resident pages + swap entries + page-table pages, plus oom_score_adj scaled to the
 * cgroup's limit; a process with oom_score_adj -1000 or no memory (a kernel thread) is never chosen.
 * /proc/PID/oom_score is no substitute: it scales adj to the whole host's memory, not the cgroup's limit.
 * Like the kernel's mem_cgroup_scan_tasks() it looks at the cgroup's child cgroups too (a pod's limit covers the
 * processes of its containers' cgroups).
 */
public final class OomVictimChooser {
    private static final int OOM_SCORE_ADJ_MIN = -1000;

    private OomVictimChooser() {
    }

    /** The chosen process with its badness in pages; empty when no process of the cgroup is eligible or known. */
    public record Choice(Task task, long points, String why) {
    }

    public static Optional<Choice> choose(MemCgroup cg, Evidence evidence) {
        long limitPages = cg.limitBytes() == null || cg.unlimited() ? 0 : cg.limitBytes() / 4096;
        Choice best = null;
        for (Task t : members(cg, evidence)) {
            int pid = t.pid();
            if (t.isKernelThread() || t.rssKb() == null) {
                continue;
            }
            int adj = t.oomScoreAdj() == null ? 0 : t.oomScoreAdj();
            if (adj == OOM_SCORE_ADJ_MIN) {
                continue;
            }
            long pages = t.rssKb() / 4 + (t.swapKb() == null ? 0 : t.swapKb() / 4)
                    + (t.pageTablesKb() == null ? 0 : t.pageTablesKb() / 4);
            long points = pages + (long) adj * (limitPages / 1000);
            if (best == null || points > best.points || (points == best.points && pid < best.task.pid())) {
                String why = "rss " + t.rssKb() / 1024 + " MiB"
                        + (t.swapKb() != null && t.swapKb() > 0 ? ", swap " + t.swapKb() / 1024 + " MiB" : "")
                        + ", oom_score_adj " + adj + ", badness " + points + " pages";
                best = new Choice(t, points, why);
            }
        }
        return Optional.ofNullable(best);
    }

    /** The processes (thread-group leaders) of the cgroup and of every cgroup below it. */
    static java.util.Collection<Task> members(MemCgroup cg, Evidence evidence) {
        java.util.Map<Integer, Task> out = new java.util.TreeMap<>();
        for (int pid : cg.pids()) {
            Task t = evidence.taskOrNull(pid);
            if (t != null) {
                out.put(pid, t);
            }
        }
        String top = cg.path();
        for (Task t : evidence.tasks()) {
            String p = t.memoryCgroup();
            boolean leader = t.tgid() == null || t.tgid() == t.pid();
            if (leader && p != null && (p.equals(top) || top.equals("/") || p.startsWith(top + "/"))) {
                out.putIfAbsent(t.pid(), t);
            }
        }
        return out.values();
    }
}
