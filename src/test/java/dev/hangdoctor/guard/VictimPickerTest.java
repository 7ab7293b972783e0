package dev.hangdoctor.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangdoctor.collect.LiveSource;
import dev.hangdoctor.act.SafetyGuard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice and its re-check right before the kill, on a host-shaped directory. */
class VictimPickerTest {
    @TempDir
    Path dir;

    private GuardHost host;
    private VictimPicker picker;
    private MemoryHierarchy hierarchy;

    private VictimPicker.Pick pick() {
        host = new GuardHost(dir.resolve("host")).cgroup("/c1", 256, 240)
                .process("/c1", 1, "hog", 220, 0, 1000)
                .process("/c1", 2, "memhog", 8, 0, 1000);
        Path proc = host.root().resolve("proc");
        GuardConfig cfg = GuardConfig.builder().enabled(true).cgroup("/c1").build();
        picker = new VictimPicker(proc, cfg, new SafetyGuard(proc), Map.of());
        hierarchy = MemoryHierarchy.find(LiveSource.at(host.root()));
        return picker.pick(hierarchy, hierarchy.dirOf("/c1"), 256L << 20);
    }

    @Test
    void theChoiceCarriesWhatEveryMemberAndTheVictimHold() {
        VictimPicker.Pick p = pick();
        assertThat(p.victim().comm()).isEqualTo("hog");
        // VmRSS + VmPTE (48 kB each) of both members; swap is not in usage
        assertThat(p.membersBytes()).isEqualTo((228L << 20) + 2 * (48 << 10));
        assertThat(p.victimBytes()).isEqualTo((220L << 20) + (48 << 10));
        assertThat(new MemoryCoverage(240L << 20, 0, p.membersBytes(), p.victimBytes()).refusal()).isNull();
    }

    @Test
    void theRecheckPassesWhileTheVictimStillHoldsTheUsage() {
        VictimPicker.Pick p = pick();
        assertThat(picker.recheck(p, 245L << 20, 0)).isNull();
    }

    @Test
    void theRecheckRefusesAVictimThatExitedOrIsExiting() throws Exception {
        VictimPicker.Pick p = pick();
        Path stat = host.root().resolve("proc/" + (GuardHost.PID_BASE + 1) + "/stat");
        String line = Files.readString(stat);
        Files.writeString(stat, line.replace(" 4194560 ", " " + (4194560L | 0x4) + " "));
        assertThat(picker.recheck(p, 245L << 20, 0)).contains("hog:" + (GuardHost.PID_BASE + 1) + " is already exiting");
        Files.writeString(stat, line.replace(" 43796 ", " 99999 ")); // the pid now belongs to another process
        assertThat(picker.recheck(p, 245L << 20, 0)).contains("exited since it was chosen");
        Files.delete(stat);
        Files.delete(stat.resolveSibling("status"));
        Files.delete(stat.resolveSibling("oom_score_adj"));
        Files.delete(stat.getParent());
        assertThat(picker.recheck(p, 245L << 20, 0)).contains("exited since it was chosen");
    }

    @Test
    void theRecheckRefusesAVictimThatNoLongerHoldsTheUsage() throws Exception {
        VictimPicker.Pick p = pick();
        Path status = host.root().resolve("proc/" + (GuardHost.PID_BASE + 1) + "/status");
        // its memory went (the OOM reaper took it) while usage, read now, is still high
        Files.writeString(status, Files.readString(status).replace(String.format("%8d", 220 << 10),
                String.format("%8d", 1 << 10)));
        assertThat(picker.recheck(p, 245L << 20, 0)).startsWith("re-check: the members hold 9 MiB of the 245 MiB");
    }
}
