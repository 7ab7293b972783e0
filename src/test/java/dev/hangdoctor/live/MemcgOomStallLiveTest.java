package dev.hangdoctor.live;

import static dev.hangdoctor.live.LiveAssertions.assertGone;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("live")
class MemcgOomStallLiveTest {

    @BeforeEach
    void needsHost() {
        LivePreconditions.assumeMemcgV1Hangs();
    }

    @Test
    void hogOverTheLimitWithOomKillDisabledSleepsInMemcgOomSynchronize() {
        Path dir;
        List<OwnedPid> pids;
        try (MemcgOomStall stall = MemcgOomStall.start()) {
            dir = stall.cgroupDir();
            pids = stall.ownPids();
            assertThat(dir.getFileName().toString()).startsWith("hangdoctor-test-");
            assertThat(stall.stalled()).hasSize(1);
            MemcgOomStall.Member hog = stall.stalled().get(0);
            assertThat(hog.pid().state()).isEqualTo('D');
            assertThat(LiveProc.functions(LiveProc.stack(hog.pid().pid())))
                    .containsSubsequence("mem_cgroup_oom_synchronize", "pagefault_out_of_memory");
            assertThat(stall.underOom()).contains(true);
            assertThat(stall.cgroup().read("memory.oom_control").orElseThrow()).contains("oom_kill_disable 1");
            assertThat(stall.cgroup().pids()).containsAll(pids.stream().map(OwnedPid::pid).toList());
            MemcgOomStall.Member bystander = stall.bystanders().get(0);
            assertThat(bystander.pid().state()).isEqualTo('S');
            ObservedStacks.record("memcg-oom-stall", "hog over the limit", 'D', hog.stack());
            ObservedStacks.record("memcg-oom-stall", "bystander in the same cgroup", 'S', bystander.stack());
            stall.close();
            stall.close(); // idempotent
        }
        assertGone(pids);
        assertThat(Files.exists(dir)).as("cgroup removed").isFalse();
    }

    @Test
    void hogsOfDifferentSizesSettleUntilOneCrossesTheLimit() {
        List<OwnedPid> pids;
        Path dir;
        try (MemcgOomStall stall = MemcgOomStall.start(
                new MemcgOomStall.Spec().limitMiB(32).bystandersMiB(1).hogsMiB(8, 40))) {
            pids = stall.ownPids();
            dir = stall.cgroupDir();
            MemcgOomStall.Member small = stall.hogs().get(0);
            MemcgOomStall.Member big = stall.hogs().get(1);
            assertThat(small.stalled()).isFalse();
            assertThat(small.pid().state()).isEqualTo('S');
            assertThat(big.stalled()).isTrue();
            // VmRSS comes from mm counters, no mmap lock: safe to read on the stalled task
            assertThat(rssKb(big.pid())).isGreaterThan(rssKb(small.pid()));
        }
        assertGone(pids);
        assertThat(Files.exists(dir)).isFalse();
    }

    private static long rssKb(OwnedPid pid) {
        return Long.parseLong(LiveProc.status(pid.pid(), "VmRSS").orElseThrow().replace("kB", "").trim());
    }
}
