package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;

import java.util.Set;

/**
 * Stacks a profiler sampled (perf report -g, perf script) show where the CPU was at each sample, which for a task
 * going to sleep is on its way into the scheduler but is not proof that it stayed there: a finding built only on
 * such stacks stands, with less confidence.
 */
final class SampledStacks {
    /** A finding whose tasks were all sampled by a profiler rather than read while asleep. */
    private static final double SAMPLED = 0.8;

    private SampledStacks() {
    }

    /** True when every task of {@code pids} that the evidence holds has a sampled stack (and there is one). */
    static boolean only(Set<Integer> pids, Evidence evidence) {
        boolean any = false;
        for (int pid : pids) {
            Task t = evidence.taskOrNull(pid);
            if (t == null) {
                continue;
            }
            if (!t.sampled()) {
                return false;
            }
            any = true;
        }
        return any;
    }

    static double confidence(double c) {
        return c * SAMPLED;
    }

    static String warning(Set<String> rules) {
        return "the stacks behind " + String.join(", ", rules) + " were sampled by perf: they show where the CPU was"
                + " at each sample, not surely where the tasks sleep; confidence lowered";
    }
}
