package dev.hangdoctor.diagnose;

import java.util.List;

/**
 * The wait-for graph as a picture wants it: tasks (identical victims folded into one node with a count) and the
 * resources they wait on, with "waits" edges from tasks to resources and "heldBy" edges from resources to holders.
 */
public record GraphView(List<Node> nodes, List<Edge> edges) {
    public GraphView {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    public static GraphView empty() {
        return new GraphView(List.of(), List.of());
    }

    /** kind: "task" or "resource"; role: "blocker", "victim" or null; count > 1 for a folded group of tasks. */
    public record Node(String id, String kind, String label, String role, int count, List<TaskRef> tasks) {
        public Node {
            tasks = List.copyOf(tasks);
        }
    }

    /** kind: "waits" (task to resource) or "heldBy" (resource to task). */
    public record Edge(String from, String to, String kind) {
    }
}
