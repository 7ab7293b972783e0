package dev.hangdoctor.act;

import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.diagnose.kb.RemedyIds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two memory cgroups stalled at once on one host: findings of one signature with no blocking task (the cgroup is the
 * blocker). fix --pid acted on one of them; the other, someone else's, is neither judged nor reported by verification.
 */
class VerificationTest {

    private static Finding stall(int pid, String cgroup) {
        return new Finding("memcg-oom-kill-disabled", Category.MEMCG_OOM, "memcg OOM stall", 0.9, null,
                "memory cgroup " + cgroup + " (under_oom 1): nothing frees memory in it", null,
                List.of(new TaskRef(pid, "memhog")), List.of(), List.of(), "", null, List.of(),
                List.of(RemedyIds.MEMCG_RAISE_LIMIT));
    }

    private static Diagnosis of(Finding... findings) {
        return new Diagnosis(List.of(findings), List.of(), Map.of(), 0, null, List.of(), List.of(), List.of(),
                List.of(), null, Map.of(), List.of(), List.of());
    }

    @Test
    void twoStalledCgroupsHaveTwoKeys() {
        assertThat(stall(41, "/a").key()).isNotEqualTo(stall(42, "/b").key()).startsWith("memcg-oom-kill-disabled@");
    }

    @Test
    void onlyTheHangActedOnIsVerified() {
        Finding mine = stall(41, "/a");
        Finding theirs = stall(42, "/b");
        List<Verification.Outcome> out = Verification.compare(of(mine, theirs), of(theirs), Set.of(mine.key()));
        assertThat(out).singleElement().satisfies(o -> assertThat(o.verdict()).isEqualTo("resolved"));
    }
}
