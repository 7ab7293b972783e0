package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.GraphView;
import dev.hangdoctor.diagnose.TaskRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws the wait-for graph as inline SVG with a layered layout computed here: each node's row is its longest path
 * to a sink, so the blockers sit at the bottom and their victims above; cycles are broken at the edge that enters
 * the holder of what a blocker waits for, which keeps the blocker's own wait pointing down.
 * Findings whose blocker is not a task in the graph (a stack with no pid, a CPU in an interrupt) get a node of
 * their own, labelled with {@link Finding#blocker()}.
 */
final class SvgGraph {
    static final int MAX_NODES = 80;
    private static final int MAX_LINE = 46;
    private static final double CHAR_W = 7.3;
    private static final double LINE_H = 17;
    private static final double ROW_GAP = 58;
    private static final double COL_GAP = 30;
    private static final double MARGIN = 16;
    private static final double LEGEND_W = 500;

    private SvgGraph() {
    }

    /** A drawn node: position and size filled in by the layout. */
    private static final class N {
        final String id;
        final boolean resource;
        final String role;
        final int count;
        final List<String> lines;
        final String title;
        /** A blocker described in words: its lines are one sentence, not a name and a frame. */
        boolean prose;
        final List<Integer> out = new ArrayList<>();
        final List<Integer> in = new ArrayList<>();
        int rank;
        int row;
        double order;
        double x;
        double y;
        double w;
        double h;

        N(String id, boolean resource, String role, int count, List<String> lines, String title) {
            this.id = id;
            this.resource = resource;
            this.role = role;
            this.count = count;
            this.lines = lines;
            this.title = title;
        }
    }

    private record E(int from, int to, String kind) {
    }

    /** The first line of the label the graph gives a finding's blocker (what a reader looks for in the picture). */
    static String blockerLabel(Finding f) {
        if (f.rootCause() != null && f.rootCause().pid() >= 0) {
            return f.rootCause().toString();
        }
        return wrap(f.blocker(), 3).get(0);
    }

    /** The SVG element, or a paragraph saying there is nothing to draw. */
    static String render(GraphView g, List<Finding> findings) {
        List<N> nodes = new ArrayList<>();
        List<E> edges = new ArrayList<>();
        int omitted = build(g, findings, nodes, edges);
        if (nodes.isEmpty()) {
            return "<p class=\"muted\">No waits between tasks in this evidence.</p>\n";
        }
        Set<Integer> back = breakCycles(nodes, edges, findings);
        rank(nodes, edges, back);
        order(nodes, edges, back);
        double[] size = place(nodes, back.isEmpty() ? 0 : ROW_GAP / 2);
        StringBuilder sb = new StringBuilder();
        draw(sb, nodes, edges, back, size);
        boolean anyWait = edges.stream().anyMatch(e -> e.kind().equals("waits"));
        if (!anyWait) {
            sb.append("<p class=\"muted\">No waits between tasks in this evidence.</p>\n");
        }
        if (omitted > 0) {
            sb.append("<p class=\"muted\">").append(omitted)
                    .append(" more node(s) not drawn; the JSON output (--json) has the whole graph.</p>\n");
        }
        return sb.toString();
    }

    /** Picks the nodes to draw (blockers and what is near them first) and adds blockers the graph has no node for. */
    private static int build(GraphView g, List<Finding> findings, List<N> nodes, List<E> edges) {
        Map<String, GraphView.Node> byId = new LinkedHashMap<>();
        g.nodes().forEach(n -> byId.putIfAbsent(n.id(), n));
        Map<String, List<String>> adj = new LinkedHashMap<>();
        for (GraphView.Edge e : g.edges()) {
            if (byId.containsKey(e.from()) && byId.containsKey(e.to())) {
                adj.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
                adj.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
            }
        }
        // breadth-first from the blockers so a cut keeps the part of the picture that explains the hang
        Set<String> keep = new java.util.LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        byId.values().stream().filter(n -> "blocker".equals(n.role())).forEach(n -> queue.add(n.id()));
        while (!queue.isEmpty() && keep.size() < MAX_NODES) {
            String id = queue.poll();
            if (keep.add(id)) {
                adj.getOrDefault(id, List.of()).forEach(queue::add);
            }
        }
        for (String id : byId.keySet()) {
            if (keep.size() >= MAX_NODES) {
                break;
            }
            keep.add(id);
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, Integer> resourceByLabel = new LinkedHashMap<>();
        for (GraphView.Node n : g.nodes()) {
            if (!keep.contains(n.id()) || index.containsKey(n.id())) {
                continue;
            }
            boolean res = "resource".equals(n.kind());
            List<String> lines = new ArrayList<>();
            for (String l : (n.label() == null ? "?" : n.label()).split("\n", -1)) {
                lines.add(clip(l));
            }
            if (lines.size() > 3) {
                lines = new ArrayList<>(lines.subList(0, 3));
            }
            index.put(n.id(), nodes.size());
            if (res) {
                resourceByLabel.putIfAbsent(n.label(), nodes.size());
            }
            nodes.add(new N(n.id(), res, n.role(), Math.max(1, n.count()), lines, title(n)));
        }
        for (GraphView.Edge e : g.edges()) {
            Integer a = index.get(e.from());
            Integer b = index.get(e.to());
            if (a != null && b != null && !a.equals(b)) {
                E edge = new E(a, b, e.kind());
                if (!edges.contains(edge)) {
                    edges.add(edge);
                }
            }
        }
        Set<Integer> pidsDrawn = new HashSet<>();
        g.nodes().forEach(n -> n.tasks().forEach(t -> pidsDrawn.add(t.pid())));
        int k = 0;
        for (Finding f : findings) {
            boolean drawn = f.rootCause() != null && f.rootCause().pid() >= 0 && pidsDrawn.contains(f.rootCause().pid());
            if (drawn || f.blocker() == null || nodes.size() >= MAX_NODES + 4) {
                continue;
            }
            int bi = nodes.size();
            N b = new N("b" + k++, false, "blocker", 1, wrap(f.blocker(), 3), f.blocker());
            b.prose = true;
            nodes.add(b);
            if (f.rootCauseResource() != null) {
                Integer ri = resourceByLabel.get(f.rootCauseResource());
                if (ri == null) {
                    ri = nodes.size();
                    resourceByLabel.put(f.rootCauseResource(), ri);
                    nodes.add(new N("b" + k++, true, null, 1, List.of(clip(f.rootCauseResource())),
                            f.rootCauseResource()));
                }
                edges.add(new E(bi, ri, "waits"));
            }
        }
        for (int i = 0; i < edges.size(); i++) {
            nodes.get(edges.get(i).from()).out.add(i);
            nodes.get(edges.get(i).to()).in.add(i);
        }
        return (int) byId.keySet().stream().filter(id -> !keep.contains(id)).count();
    }

    private static String title(GraphView.Node n) {
        StringBuilder sb = new StringBuilder(n.label() == null ? "" : n.label().replace('\n', ' '));
        if (n.tasks().size() > 1) {
            sb.append(" — ");
            int i = 0;
            for (TaskRef t : n.tasks()) {
                if (i == 20) {
                    sb.append(", +").append(n.tasks().size() - 20).append(" more");
                    break;
                }
                sb.append(i++ == 0 ? "" : ", ").append(t);
            }
        }
        return sb.toString();
    }

    /**
     * Depth-first search from a fixed root order; an edge into a node still on the stack closes a cycle and is drawn
     * as a back edge. Starting at the holders of what blockers wait for makes the cut fall on that "held by" edge.
     */
    private static Set<Integer> breakCycles(List<N> nodes, List<E> edges, List<Finding> findings) {
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if ("blocker".equals(nodes.get(i).role)) {
                for (int ei : nodes.get(i).out) {
                    for (int ej : nodes.get(edges.get(ei).to()).out) {
                        roots.add(edges.get(ej).to());
                    }
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).in.isEmpty()) {
                roots.add(i);
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            roots.add(i);
        }
        int[] state = new int[nodes.size()]; // 0 new, 1 on stack, 2 done
        Set<Integer> back = new HashSet<>();
        for (int r : roots) {
            if (state[r] != 0) {
                continue;
            }
            // iterative DFS: frames of (node, next out-edge position)
            Deque<int[]> stack = new ArrayDeque<>();
            stack.push(new int[]{r, 0});
            state[r] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                N n = nodes.get(top[0]);
                if (top[1] == n.out.size()) {
                    state[top[0]] = 2;
                    stack.pop();
                    continue;
                }
                int ei = n.out.get(top[1]++);
                int to = edges.get(ei).to();
                if (state[to] == 1) {
                    back.add(ei);
                } else if (state[to] == 0) {
                    state[to] = 1;
                    stack.push(new int[]{to, 0});
                }
            }
        }
        return back;
    }

    /** rank = longest path to a sink over forward edges; rows count down from the highest rank. */
    private static void rank(List<N> nodes, List<E> edges, Set<Integer> back) {
        int[] outLeft = new int[nodes.size()];
        for (int i = 0; i < edges.size(); i++) {
            if (!back.contains(i)) {
                outLeft[edges.get(i).from()]++;
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (outLeft[i] == 0) {
                ready.add(i);
            }
        }
        while (!ready.isEmpty()) {
            int v = ready.poll();
            for (int ei : nodes.get(v).in) {
                if (back.contains(ei)) {
                    continue;
                }
                int u = edges.get(ei).from();
                nodes.get(u).rank = Math.max(nodes.get(u).rank, nodes.get(v).rank + 1);
                if (--outLeft[u] == 0) {
                    ready.add(u);
                }
            }
        }
        int max = nodes.stream().mapToInt(n -> n.rank).max().orElse(0);
        nodes.forEach(n -> n.row = max - n.rank);
    }

    /** Within each row, order by the mean position of neighbours (two sweeps down and up); ties keep input order. */
    private static void order(List<N> nodes, List<E> edges, Set<Integer> back) {
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).order = i;
        }
        int rows = nodes.stream().mapToInt(n -> n.row).max().orElse(0) + 1;
        for (int sweep = 0; sweep < 4; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int r = down ? 1 : rows - 2; down ? r < rows : r >= 0; r += down ? 1 : -1) {
                List<N> row = rowOf(nodes, r);
                for (N n : row) {
                    double sum = 0;
                    int cnt = 0;
                    for (int ei : down ? n.in : n.out) {
                        if (back.contains(ei)) {
                            continue;
                        }
                        E e = edges.get(ei);
                        N other = nodes.get(down ? e.from() : e.to());
                        sum += other.order;
                        cnt++;
                    }
                    if (cnt > 0) {
                        n.order = sum / cnt;
                    }
                }
                row.sort(Comparator.comparingDouble(n -> n.order));
                for (int k = 0; k < row.size(); k++) {
                    row.get(k).order = k;
                }
            }
        }
    }

    private static List<N> rowOf(List<N> nodes, int r) {
        List<N> row = new ArrayList<>();
        for (N n : nodes) {
            if (n.row == r) {
                row.add(n);
            }
        }
        row.sort(Comparator.comparingDouble(n -> n.order));
        return row;
    }

    /** Sizes nodes from their text and centres each row below {@code top}; returns {width, height} of the drawing. */
    private static double[] place(List<N> nodes, double top) {
        int rows = nodes.stream().mapToInt(n -> n.row).max().orElse(0) + 1;
        for (N n : nodes) {
            int longest = n.lines.stream().mapToInt(String::length).max().orElse(1);
            n.w = Math.max(130, Math.min(MAX_LINE * CHAR_W + 30, longest * CHAR_W + (n.resource ? 44 : 28)));
            n.h = 14 + LINE_H * n.lines.size();
        }
        double[] rowW = new double[rows];
        double[] rowH = new double[rows];
        for (int r = 0; r < rows; r++) {
            List<N> row = rowOf(nodes, r);
            double w = 0;
            for (N n : row) {
                w += n.w + (w > 0 ? COL_GAP : 0);
                rowH[r] = Math.max(rowH[r], n.h);
            }
            rowW[r] = w;
        }
        double width = 0;
        for (double w : rowW) {
            width = Math.max(width, w);
        }
        // back edges enter their target from above the top row: leave them room
        double y = MARGIN + top;
        for (int r = 0; r < rows; r++) {
            double x = MARGIN + (width - rowW[r]) / 2;
            for (N n : rowOf(nodes, r)) {
                n.x = x;
                n.y = y + (rowH[r] - n.h) / 2;
                x += n.w + COL_GAP;
            }
            y += rowH[r] + ROW_GAP;
        }
        return new double[]{width + 2 * MARGIN, y - ROW_GAP + MARGIN};
    }

    private static void draw(StringBuilder sb, List<N> nodes, List<E> edges, Set<Integer> back, double[] size) {
        double lanes = back.size() * 14 + (back.isEmpty() ? 0 : 24);
        double w = Math.max(size[0] + lanes, LEGEND_W);
        // a small graph is centred over the legend's width
        double shift = (w - size[0] - lanes) / 2;
        nodes.forEach(n -> n.x += shift);
        // back edges leave the bottom row downwards before turning: keep the legend below them
        double bottom = size[1] + (back.isEmpty() ? 0 : ROW_GAP / 2);
        double h = bottom + 22;
        sb.append("<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"wait-for graph\" ")
                .append("width=\"").append(num(w)).append("\" height=\"").append(num(h))
                .append("\" viewBox=\"0 0 ").append(num(w)).append(' ').append(num(h)).append("\">\n");
        sb.append("<defs>");
        marker(sb, "hd-arrow", "#57606a");
        marker(sb, "hd-arrow-held", "#8c959f");
        sb.append("</defs>\n");
        // edges first so nodes paint over their ends
        int lane = 0;
        for (int i = 0; i < edges.size(); i++) {
            E e = edges.get(i);
            N a = nodes.get(e.from());
            N b = nodes.get(e.to());
            boolean held = e.kind().equals("heldBy");
            String cls = held ? "edge held" : "edge waits";
            String mk = held ? "hd-arrow-held" : "hd-arrow";
            double sx = a.x + a.w / 2;
            double sy = a.y + a.h;
            double tx = b.x + b.w / 2;
            double ty = b.y;
            sb.append("<path class=\"").append(cls).append(back.contains(i) ? " back" : "").append("\" d=\"");
            if (back.contains(i)) {
                // around the right side, through the gaps between rows, so it crosses no node
                double x = shift + size[0] + 10 + lane++ * 14;
                double down = sy + ROW_GAP / 2 - (lane % 3) * 5;
                double up = ty - ROW_GAP / 2 + (lane % 3) * 5;
                sb.append("M").append(num(sx)).append(',').append(num(sy))
                        .append(" V").append(num(down)).append(" H").append(num(x))
                        .append(" V").append(num(up)).append(" H").append(num(tx))
                        .append(" V").append(num(ty - 1));
            } else {
                double mid = (ty - sy) / 2;
                sb.append("M").append(num(sx)).append(',').append(num(sy))
                        .append(" C").append(num(sx)).append(',').append(num(sy + mid)).append(' ')
                        .append(num(tx)).append(',').append(num(ty - mid)).append(' ')
                        .append(num(tx)).append(',').append(num(ty - 1));
            }
            sb.append("\" marker-end=\"url(#").append(mk).append(")\"><title>")
                    .append(held ? "held by" : "waits for").append("</title></path>\n");
        }
        for (N n : nodes) {
            node(sb, n);
        }
        double ly = h - 8;
        sb.append("<g class=\"legend\"><rect class=\"task blocker\" x=\"").append(num(MARGIN)).append("\" y=\"")
                .append(num(ly - 10)).append("\" width=\"12\" height=\"12\" rx=\"2\"/><text x=\"")
                .append(num(MARGIN + 17)).append("\" y=\"").append(num(ly)).append("\">blocker</text>")
                .append("<rect class=\"task victim\" x=\"").append(num(MARGIN + 80)).append("\" y=\"")
                .append(num(ly - 10)).append("\" width=\"12\" height=\"12\" rx=\"2\"/><text x=\"")
                .append(num(MARGIN + 97)).append("\" y=\"").append(num(ly)).append("\">victim</text>")
                .append("<rect class=\"resource\" x=\"").append(num(MARGIN + 155)).append("\" y=\"")
                .append(num(ly - 10)).append("\" width=\"12\" height=\"12\" rx=\"6\"/><text x=\"")
                .append(num(MARGIN + 172)).append("\" y=\"").append(num(ly)).append("\">resource</text>")
                .append("<text x=\"").append(num(MARGIN + 240)).append("\" y=\"").append(num(ly))
                .append("\">solid arrow: waits for · dashed: held by</text></g>\n");
        sb.append("</svg>\n");
    }

    private static void marker(StringBuilder sb, String id, String colour) {
        sb.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" ")
                .append("markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">")
                .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(colour).append("\"/></marker>");
    }

    private static void node(StringBuilder sb, N n) {
        String cls = n.resource ? "resource" : "task" + (n.role == null ? "" : " " + Html.esc(n.role));
        sb.append("<g class=\"node ").append(cls).append("\" data-id=\"").append(Html.esc(n.id)).append("\"><title>");
        Html.esc(sb, n.title).append("</title>");
        if (n.resource) {
            double x = n.x;
            double y = n.y;
            double c = 12;
            sb.append("<polygon class=\"resource\" points=\"")
                    .append(num(x + c)).append(',').append(num(y)).append(' ')
                    .append(num(x + n.w - c)).append(',').append(num(y)).append(' ')
                    .append(num(x + n.w)).append(',').append(num(y + n.h / 2)).append(' ')
                    .append(num(x + n.w - c)).append(',').append(num(y + n.h)).append(' ')
                    .append(num(x + c)).append(',').append(num(y + n.h)).append(' ')
                    .append(num(x)).append(',').append(num(y + n.h / 2)).append("\"/>");
        } else {
            if (n.count > 1) {
                // a folded group: a second card behind hints at the many tasks
                rect(sb, "task shadow " + (n.role == null ? "" : Html.esc(n.role)), n.x + 5, n.y + 5, n.w, n.h);
            }
            rect(sb, cls, n.x, n.y, n.w, n.h);
        }
        double ty = n.y + 7 + 13;
        for (int i = 0; i < n.lines.size(); i++) {
            String tcls = i == 0 && !n.resource ? "label head" : n.resource ? "label res"
                    : n.prose ? "label prose" : "label frame";
            sb.append("<text class=\"").append(tcls).append("\" x=\"").append(num(n.x + n.w / 2)).append("\" y=\"")
                    .append(num(ty + i * LINE_H)).append("\" text-anchor=\"middle\">");
            Html.esc(sb, n.lines.get(i)).append("</text>");
        }
        if (n.count > 1) {
            String badge = n.count + " ×";
            double bw = badge.length() * 7 + 12;
            sb.append("<rect class=\"badge\" x=\"").append(num(n.x + n.w - bw + 6)).append("\" y=\"")
                    .append(num(n.y - 9)).append("\" width=\"").append(num(bw)).append("\" height=\"18\" rx=\"9\"/>")
                    .append("<text class=\"badge\" x=\"").append(num(n.x + n.w - bw / 2 + 6)).append("\" y=\"")
                    .append(num(n.y + 4)).append("\" text-anchor=\"middle\">").append(Html.esc(badge)).append("</text>");
        }
        sb.append("</g>\n");
    }

    private static void rect(StringBuilder sb, String cls, double x, double y, double w, double h) {
        sb.append("<rect class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h)).append("\" rx=\"6\"/>");
    }

    static List<String> wrap(String text, int maxLines) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : (text == null ? "?" : text.strip()).split("\\s+")) {
            if (cur.length() > 0 && cur.length() + 1 + word.length() > MAX_LINE) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(cur.length() > 0 ? " " : "").append(word);
        }
        lines.add(cur.toString());
        if (lines.size() > maxLines) {
            List<String> cut = new ArrayList<>(lines.subList(0, maxLines));
            cut.set(maxLines - 1, clip(cut.get(maxLines - 1) + " " + lines.get(maxLines) + "…"));
            lines = cut;
        }
        lines.replaceAll(SvgGraph::clip);
        return lines;
    }

    private static String clip(String s) {
        return s.length() <= MAX_LINE ? s : s.substring(0, MAX_LINE - 1) + "…";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
