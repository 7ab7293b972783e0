package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.diagnose.Frames;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tasks have a frame of each function, built once per evidence so that a rule looks only at tasks that
 * can match instead of re-reading 100 000 stacks per signal. Keys drop compiler suffixes ("do_shared_fault.isra.62"
 * is "do_shared_fault") and name a system call's entry by its call ("__x64_sys_mprotect" is "sys_mprotect"); unreliable ("?") frames are left out, as {@code FramePattern} ignores them too, unless the
 * stack has nothing else ({@code Frames.evidence}).
 */
public final class EvidenceIndex {
    private final Evidence evidence;
    private final List<Task> tasks;
    private final Map<String, List<Task>> byFunction = new HashMap<>();
    /** Tasks whose stack ends in a frame the paste cut inside its name, by that cut name. */
    private final Map<String, List<Task>> byCutName = new HashMap<>();

    private EvidenceIndex(Evidence evidence) {
        this.evidence = evidence;
        this.tasks = List.copyOf(evidence.tasks());
        Set<String> seen = new HashSet<>();
        for (Task t : tasks) {
            seen.clear();
            for (Frame f : Frames.evidence(t.frames())) {
                if (f.unreliable()) {
                    continue;
                }
                String key = key(f.function());
                if (f.cut()) {
                    byCutName.computeIfAbsent(f.function(), k -> new ArrayList<>(1)).add(t);
                }
                if (seen.add(key)) {
                    byFunction.computeIfAbsent(key, k -> new ArrayList<>(4)).add(t);
                }
            }
        }
    }

    public static EvidenceIndex of(Evidence evidence) {
        return new EvidenceIndex(evidence);
    }

    public Evidence evidence() {
        return evidence;
    }

    /** Every task, in evidence order. */
    public List<Task> tasks() {
        return tasks;
    }

    /** Tasks with a reliable frame of this function (any compiler suffix), or of a name cut short that begins it. */
    public List<Task> tasksWith(String function) {
        List<Task> exact = byFunction.getOrDefault(key(function), List.of());
        if (byCutName.isEmpty()) {
            return exact;
        }
        List<Task> all = null;
        for (Map.Entry<String, List<Task>> e : byCutName.entrySet()) {
            if (function.startsWith(e.getKey()) && !function.equals(e.getKey())) {
                if (all == null) {
                    all = new ArrayList<>(exact);
                }
                all.addAll(e.getValue());
            }
        }
        return all == null ? exact : all;
    }

    /**
     * Tasks that may match a frame pattern ("a|b" alternatives, "prefix*"): a superset the caller still checks.
     */
    public java.util.Collection<Task> tasksWithAny(String pattern) {
        if (pattern.indexOf('|') < 0 && !pattern.endsWith("*")) {
            return tasksWith(pattern);
        }
        java.util.Set<Task> union = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (String alt : pattern.split("\\|")) {
            if (alt.endsWith("*")) {
                String prefix = alt.substring(0, alt.length() - 1);
                byFunction.forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        union.addAll(v);
                    }
                });
                byCutName.forEach((k, v) -> {
                    if (prefix.startsWith(k)) {
                        union.addAll(v);
                    }
                });
            } else {
                union.addAll(tasksWith(alt));
            }
        }
        return union;
    }

    static String key(String function) {
        // a system call's entry under any wrapper's name is one key ("SyS_mprotect" is "sys_mprotect")
        return Frames.syscallName(Frame.baseName(function));
    }
}
