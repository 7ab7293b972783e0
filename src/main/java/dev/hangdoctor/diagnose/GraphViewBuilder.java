package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Draws the findings' part of the wait graph: only tasks the findings name, victims with one stack folded together. */
final class GraphViewBuilder {
    private GraphViewBuilder() {
    }

    static GraphView build(List<Finding> findings, WaitGraph graph) {
        Map<Integer, String> role = new LinkedHashMap<>();
        for (Finding f : findings) {
            for (TaskRef v : f.victims()) {
                role.putIfAbsent(v.pid(), "victim");
            }
        }
        for (Finding f : findings) {
            if (f.rootCause() != null) {
                role.put(f.rootCause().pid(), "blocker");
            }
        }
        // fold tasks that share role, wait and stack into one node
        Map<String, List<Task>> folded = new LinkedHashMap<>();
        Map<Integer, String> nodeOf = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> e : role.entrySet()) {
            Task t = graph.task(e.getKey());
            if (t == null) {
                continue;
            }
            String key = "blocker".equals(e.getValue()) ? "t" + t.pid() : foldKey(t, e.getValue(), graph);
            folded.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            nodeOf.put(t.pid(), key);
        }
        List<GraphView.Node> nodes = new ArrayList<>();
        Set<GraphView.Edge> edges = new LinkedHashSet<>();
        Map<Resource, String> resourceIds = new LinkedHashMap<>();
        // fold keys are long strings; the picture gets short stable ids
        Map<String, String> ids = new LinkedHashMap<>();
        folded.keySet().forEach(k -> ids.put(k, "n" + ids.size()));
        nodeOf.replaceAll((pid, key) -> ids.get(key));
        for (Map.Entry<String, List<Task>> e : folded.entrySet()) {
            List<Task> ts = e.getValue();
            Task rep = ts.get(0);
            String label = ts.size() == 1 ? TaskRef.of(rep) + " " + rep.state().letter() : ts.size() + " × "
                    + (rep.comm() == null ? "?" : rep.comm()) + " " + rep.state().letter();
            label += "\n" + Frames.significantTop(rep.frames());
            nodes.add(new GraphView.Node(ids.get(e.getKey()), "task", label, role.get(rep.pid()), ts.size(),
                    ts.stream().map(TaskRef::of).toList()));
        }
        for (Map.Entry<String, List<Task>> e : folded.entrySet()) {
            Task rep = e.getValue().get(0);
            Resource w = graph.waitOf(rep.pid());
            if (w == null) {
                continue;
            }
            String rid = resourceIds.computeIfAbsent(w, r -> "r" + resourceIds.size());
            edges.add(new GraphView.Edge(ids.get(e.getKey()), rid, "waits"));
            for (int h : graph.waitsFor(rep.pid())) {
                String hid = nodeOf.get(h);
                if (hid != null) {
                    edges.add(new GraphView.Edge(rid, hid, "heldBy"));
                }
            }
        }
        for (Map.Entry<Resource, String> r : resourceIds.entrySet()) {
            nodes.add(new GraphView.Node(r.getValue(), "resource", r.getKey().describe(), null, 1, List.of()));
        }
        return new GraphView(nodes, new ArrayList<>(edges));
    }

    private static String foldKey(Task t, String role, WaitGraph graph) {
        StringBuilder sb = new StringBuilder(role).append('|').append(t.state()).append('|');
        Resource w = graph.waitOf(t.pid());
        sb.append(w == null ? "-" : w.toString()).append('|');
        for (Frame f : t.frames()) {
            if (!f.unreliable()) {
                sb.append(f.function()).append(',');
            }
        }
        return sb.toString();
    }
}
