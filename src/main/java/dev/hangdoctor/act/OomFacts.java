package dev.hangdoctor.act;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.procfs.PidOomScoreAdj;
import dev.hangdoctor.procfs.PidStat;
import dev.hangdoctor.procfs.PidStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads, right before choosing, what the OOM killer ranks a cgroup's processes by: VmRSS, VmSwap, VmPTE and
 * oom_score_adj. Fresh values matter: the choice is acted on seconds later. Files are read as bytes, so a process
 * whose name is not UTF-8 is ranked like any other.
 *
 * <p>The reads are plain, not through the timed {@code ProcSource}: the guard calls this on its kill path, three files
 * a member, and a timed read (a hand-off to the reader's pool) measured 240-560 us against 70-120 us for a plain one
 * (/proc/self/status, 5 000 reads each, a loaded 2-core host): about 50-130 ms more before the signal for a cgroup of
 * a hundred processes, while the cgroup fills. stat, status and oom_score_adj are answered without the target's mmap
 * lock (unlike cmdline or environ), so a hung member does not block them.
 */
public final class OomFacts {
    private OomFacts() {
    }

    /**
     * The members read: tasks with comm, flags, start time, VmRSS, VmSwap, VmPTE and oom_score_adj (pids that exited
     * are left out), and one line for each member that is there but could not be read — a choice made without it
     * could pass over the process that should go.
     */
    public record Members(Evidence evidence, List<String> unreadable) {
        public Members {
            unreadable = List.copyOf(unreadable);
        }
    }

    public static Members read(Path procRoot, List<Integer> pids) {
        Evidence e = new Evidence();
        List<String> unreadable = new ArrayList<>();
        for (int pid : pids) {
            Path dir = procRoot.resolve(Integer.toString(pid));
            String file = "stat";
            try {
                byte[] raw = ProcFile.readBytes(PidStat.path(procRoot, pid));
                PidStat.Fields stat = PidStat.parse(raw, 0, raw.length);
                if (stat == null || stat.startTime() == null) {
                    throw new IllegalArgumentException("not a stat line with a start time");
                }
                Task t = new Task(pid).comm(stat.comm()).flags(stat.flags()).startTime(stat.startTime()).tgid(pid);
                // status and oom_score_adj never wait on the target's mmap lock
                file = "status";
                PidStatus status = PidStatus.parse(ProcFile.readBytes(PidStatus.path(procRoot, pid)));
                t.rssKb(status.vmRssKb()).swapKb(status.vmSwapKb()).pageTablesKb(status.vmPteKb());
                file = "oom_score_adj";
                Integer adj = PidOomScoreAdj.parse(ProcFile.read(PidOomScoreAdj.path(procRoot, pid)));
                if (adj == null) {
                    throw new IllegalArgumentException("not an oom_score_adj");
                }
                t.oomScoreAdj(adj);
                e.addTask(t);
            } catch (IOException ex) {
                if (!ProcFile.gone(dir, ex)) {
                    unreadable.add("pid " + pid + ": cannot read " + file + ": " + ex.getMessage());
                }
            } catch (RuntimeException ex) {
                if (!ProcFile.gone(dir)) {
                    unreadable.add("pid " + pid + ": unexpected " + file + ": " + ex.getMessage());
                }
            }
        }
        return new Members(e, unreadable);
    }
}
