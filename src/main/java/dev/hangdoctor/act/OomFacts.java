package dev.hangdoctor.act;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.parse.ProcStat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads, right before choosing, what the OOM killer ranks a cgroup's processes by: VmRSS, VmSwap, VmPTE and
 * oom_score_adj. Fresh values matter: the choice is acted on seconds later.
 */
public final class OomFacts {
    private OomFacts() {
    }

    /** Tasks with comm, flags, start time, VmRSS, VmSwap, VmPTE and oom_score_adj; pids that are gone are left out. */
    public static Evidence read(Path procRoot, List<Integer> pids) {
        Evidence e = new Evidence();
        for (int pid : pids) {
            Path dir = procRoot.resolve(Integer.toString(pid));
            try {
                ProcStat stat = ProcStat.parse(Files.readString(dir.resolve("stat")));
                Task t = new Task(pid).comm(stat == null ? null : stat.comm()).flags(stat == null ? null : stat.flags())
                        .startTime(stat == null ? null : stat.startTime()).tgid(pid);
                // status and oom_score_adj never wait on the target's mmap lock
                for (String line : Files.readAllLines(dir.resolve("status"))) {
                    if (line.startsWith("VmRSS:")) {
                        t.rssKb(kb(line));
                    } else if (line.startsWith("VmSwap:")) {
                        t.swapKb(kb(line));
                    } else if (line.startsWith("VmPTE:")) {
                        t.pageTablesKb(kb(line));
                    }
                }
                t.oomScoreAdj(Integer.parseInt(Files.readString(dir.resolve("oom_score_adj")).trim()));
                e.addTask(t);
            } catch (IOException | RuntimeException ex) {
                // gone since the scan: not a candidate
            }
        }
        return e;
    }

    private static Long kb(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]);
    }
}
