package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.ContainerRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pods and containers a finding's tasks run in, blocker's first, each once: what a Kubernetes user asks first. */
public final class FindingPods {
    /** How many are named; the rest are counted. */
    public static final int MAX_NAMED = 5;

    private FindingPods() {
    }

    /** Distinct containers of the blocker and then the victims. */
    public static List<ContainerRef> of(Finding f) {
        Map<String, ContainerRef> seen = new LinkedHashMap<>();
        List<TaskRef> tasks = new ArrayList<>();
        if (f.rootCause() != null) {
            tasks.add(f.rootCause());
        }
        tasks.addAll(f.victims());
        for (TaskRef t : tasks) {
            ContainerRef c = t.container();
            if (c != null) {
                seen.putIfAbsent(c.containerId() != null ? c.containerId() : "pod:" + c.podUid(), c);
            }
        }
        return new ArrayList<>(seen.values());
    }

    /** One line: "blocker in pod a/b container c (...); victims also in 2 more" — or null when no task is in one. */
    public static String line(Finding f) {
        List<ContainerRef> all = of(f);
        if (all.isEmpty()) {
            return null;
        }
        boolean blockerIn = f.rootCause() != null && f.rootCause().container() != null;
        StringBuilder sb = new StringBuilder(blockerIn ? "blocker in " : "tasks in ");
        for (int i = 0; i < all.size() && i < MAX_NAMED; i++) {
            sb.append(i == 0 ? "" : i == 1 && blockerIn ? "; victims also in " : "; ").append(all.get(i).describe());
        }
        if (all.size() > MAX_NAMED) {
            sb.append("; ").append(all.size() - MAX_NAMED).append(" more");
        }
        return sb.toString();
    }
}
