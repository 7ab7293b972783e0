package dev.hangdoctor.act;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.TaskRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Compares the diagnosis after the remedies with the one before: each acted-on finding is gone, still there, or changed. */
public final class Verification {
    private Verification() {
    }

    /** One finding's outcome. */
    public record Outcome(String signature, String verdict, String detail) {
    }

    /** {@code actedOn} holds {@link Finding#key()}s; findings after are matched by the tasks they share. */
    public static List<Outcome> compare(Diagnosis before, Diagnosis after, Set<String> actedOn) {
        List<Outcome> out = new ArrayList<>();
        for (Finding f : before.findings()) {
            if (!actedOn.contains(f.key())) {
                continue;
            }
            Set<Integer> stuckBefore = pids(f);
            Finding same = after.findings().stream().filter(a -> a.signature().equals(f.signature()))
                    .filter(a -> pids(a).stream().anyMatch(stuckBefore::contains)).findFirst().orElse(null);
            if (same == null) {
                Set<Integer> stillStuck = after.findings().stream().flatMap(a -> pids(a).stream())
                        .filter(stuckBefore::contains).collect(Collectors.toSet());
                if (stillStuck.isEmpty()) {
                    out.add(new Outcome(f.signature(), "resolved", "the hang is gone; none of its "
                            + stuckBefore.size() + " task(s) is stuck any more"));
                } else {
                    out.add(new Outcome(f.signature(), "changed", "the hang changed: task(s) " + stillStuck
                            + " are stuck in another way"));
                }
            } else {
                Set<Integer> now = pids(same);
                now.retainAll(stuckBefore);
                out.add(new Outcome(f.signature(), "still-there", now.size() + " of its " + stuckBefore.size()
                        + " task(s) still stuck"));
            }
        }
        return out;
    }

    private static Set<Integer> pids(Finding f) {
        Set<Integer> s = f.victims().stream().map(TaskRef::pid).collect(Collectors.toSet());
        if (f.rootCause() != null) {
            s.add(f.rootCause().pid());
        }
        return s;
    }
}
