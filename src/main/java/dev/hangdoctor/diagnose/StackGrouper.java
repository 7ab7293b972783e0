package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;
import dev.hangdoctor.model.TaskState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds tasks with the same state and the same reliable frames into one group (sdb `stacks`, pykdump `hanginfo`), so a
 * dump of thousands of threads reads as a few stories. Groups that hold a blocker come first, then blocked groups by
 * size, then the rest.
 */
public final class StackGrouper {

    private StackGrouper() {
    }

    /**
     * Groups the tasks. {@code roles} maps pids to "blocker"/"victim" from the findings; {@code graph} supplies what
     * each group waits for.
     */
    public static List<StackGroup> group(Collection<Task> tasks, WaitGraph graph, Map<Integer, String> roles) {
        Map<Key, List<Task>> byKey = new LinkedHashMap<>();
        for (Task t : tasks) {
            byKey.computeIfAbsent(Key.of(t), k -> new ArrayList<>()).add(t);
        }
        List<StackGroup> groups = new ArrayList<>();
        Map<StackGroup, Integer> rank = new HashMap<>();
        for (Map.Entry<Key, List<Task>> e : byKey.entrySet()) {
            List<Task> members = e.getValue();
            members.sort(Comparator.comparingInt(Task::pid));
            Task rep = members.get(0);
            String role = null;
            for (Task m : members) {
                String r = roles.get(m.pid());
                if ("blocker".equals(r)) {
                    role = r;
                    break;
                }
                if (r != null) {
                    role = r;
                }
            }
            Resource w = graph == null ? null : graph.waitOf(rep.pid());
            List<TaskRef> refs = members.stream().map(TaskRef::of).toList();
            StackGroup g = new StackGroup(e.getKey().state, rep.frames(), refs, w == null ? null : w.describe(), role);
            groups.add(g);
            int r = "blocker".equals(role) ? 0 : "victim".equals(role) ? 1 : e.getKey().state.isBlocked() ? 2
                    : e.getKey().state == TaskState.RUNNING && !rep.frames().isEmpty() ? 3 : 4;
            rank.put(g, r);
        }
        groups.sort(Comparator.comparingInt((StackGroup g) -> rank.get(g))
                .thenComparing(Comparator.comparingInt(StackGroup::count).reversed()));
        return groups;
    }

    /** Identity of a group: state and the reliable frames' function names. */
    private record Key(TaskState state, List<String> functions) {
        static Key of(Task t) {
            List<String> fns = new ArrayList<>(t.frames().size());
            for (Frame f : t.frames()) {
                if (!f.unreliable()) {
                    fns.add(f.function());
                }
            }
            return new Key(t.state(), fns);
        }
    }
}
