package dev.hangdoctor.diagnose;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tasks that lie on a wait-for cycle: Tarjan's strongly connected components, iterative (a long chain must not
 * overflow the stack), in time linear in tasks plus edges. A component of two or more tasks is a deadlock cycle.
 */
final class CycleFinder {
    private final Map<Integer, List<Integer>> edges;
    private final Map<Integer, Integer> index = new HashMap<>();
    private final Map<Integer, Integer> low = new HashMap<>();
    private final Set<Integer> onStack = new HashSet<>();
    private final Deque<Integer> stack = new ArrayDeque<>();
    private final Set<Integer> members = new HashSet<>();
    private int next;

    CycleFinder(Collection<Integer> nodes, Map<Integer, List<Integer>> edges) {
        this.edges = edges;
        for (int n : nodes) {
            if (!index.containsKey(n)) {
                visit(n);
            }
        }
    }

    Set<Integer> members() {
        return members;
    }

    private void visit(int root) {
        // each frame: the node and how many of its successors were looked at
        Deque<int[]> work = new ArrayDeque<>();
        enter(root);
        work.push(new int[] {root, 0});
        while (!work.isEmpty()) {
            int[] top = work.peek();
            int v = top[0];
            List<Integer> out = edges.getOrDefault(v, List.of());
            if (top[1] < out.size()) {
                int w = out.get(top[1]++);
                if (!index.containsKey(w)) {
                    enter(w);
                    work.push(new int[] {w, 0});
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) {
                int parent = work.peek()[0];
                low.put(parent, Math.min(low.get(parent), low.get(v)));
            }
            if (low.get(v).equals(index.get(v))) {
                int size = 0;
                Set<Integer> component = new HashSet<>();
                int w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                    size++;
                } while (w != v);
                if (size > 1) {
                    members.addAll(component);
                }
            }
        }
    }

    private void enter(int v) {
        index.put(v, next);
        low.put(v, next);
        next++;
        stack.push(v);
        onStack.add(v);
    }
}
