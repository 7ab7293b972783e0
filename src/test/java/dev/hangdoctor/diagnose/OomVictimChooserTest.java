package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.MemCgroup;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OomVictimChooserTest {

    private static Task process(Evidence ev, int pid, String cgroup, long rssKb, Integer adj) {
        return ev.addTask(new Task(pid).tgid(pid).comm("p" + pid).state(TaskState.SLEEPING).memoryCgroup(cgroup)
                .rssKb(rssKb).swapKb(0L).pageTablesKb(100L).oomScoreAdj(adj));
    }

    private static MemCgroup cgroup(String path, long limitMiB, List<Integer> pids) {
        return new MemCgroup(path, 1, limitMiB << 20, limitMiB << 20, false, true, true, 1L, 0L, Map.of(), null, pids);
    }

    @Test
    void largestResidentSetWins() {
        Evidence ev = new Evidence();
        process(ev, 10, "/pod", 1024, 0);
        process(ev, 11, "/pod", 40 * 1024, 0);
        process(ev, 12, "/pod", 8 * 1024, 0);
        OomVictimChooser.Choice c = OomVictimChooser.choose(cgroup("/pod", 32, List.of(10, 11, 12)), ev).orElseThrow();
        assertThat(c.task().pid()).isEqualTo(11);
        assertThat(c.points()).isEqualTo(40 * 256 + 25);
        assertThat(c.why()).contains("rss 40 MiB").contains("oom_score_adj 0");
    }

    @Test
    void scoreAdjIsScaledToTheCgroupLimitAndMinus1000IsNeverChosen() {
        Evidence ev = new Evidence();
        process(ev, 10, "/pod", 1024, 500); // 256 + 25 + 500 * (8192 / 1000) pages
        process(ev, 11, "/pod", 10 * 1024, 0); // 2560 + 25: bigger in memory, smaller in badness
        process(ev, 12, "/pod", 30 * 1024, -1000);
        OomVictimChooser.Choice c = OomVictimChooser.choose(cgroup("/pod", 32, List.of(10, 11, 12)), ev).orElseThrow();
        assertThat(c.task().pid()).isEqualTo(10);
        assertThat(c.points()).isEqualTo(256 + 25 + 500 * 8);
    }

    @Test
    void processesOfChildCgroupsCountAndKernelThreadsDoNot() {
        Evidence ev = new Evidence();
        process(ev, 10, "/pod", 1024, 0);
        process(ev, 20, "/pod/container", 16 * 1024, 0);
        process(ev, 30, "/podx", 64 * 1024, 0); // a sibling whose name only starts the same
        ev.addTask(new Task(2).tgid(2).comm("kthreadd").flags(0x00208040L).memoryCgroup("/pod").rssKb(99999L));
        OomVictimChooser.Choice c = OomVictimChooser.choose(cgroup("/pod", 32, List.of(10, 2)), ev).orElseThrow();
        assertThat(c.task().pid()).isEqualTo(20);
    }

    @Test
    void nothingEligibleIsEmpty() {
        Evidence ev = new Evidence();
        process(ev, 10, "/pod", 1024, -1000);
        assertThat(OomVictimChooser.choose(cgroup("/pod", 32, List.of(10)), ev)).isEmpty();
    }
}
