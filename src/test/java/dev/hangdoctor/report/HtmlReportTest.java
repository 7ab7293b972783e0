package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.GraphView;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.FuseConnection;
import dev.hangdoctor.model.MemCgroup;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportTest {

    static String svg(String html) {
        int a = html.indexOf("<svg");
        int b = html.indexOf("</svg>");
        return a < 0 || b < 0 ? "" : html.substring(a, b);
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @TestFactory
    Stream<DynamicTest> everySeedRendersVerdictGraphAndStacks() throws IOException {
        return Seeds.folders().stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            Diagnosis d = Seeds.diagnose(folder);
            assertThat(d.hangFound()).as("the seed examples are hangs").isTrue();
            String html = HtmlReport.render(d);
            assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
            // self-contained: nothing fetched from anywhere
            assertThat(html).doesNotContain("<link", "src=\"http", "@import", "url(http");
            for (Finding f : d.findings()) {
                assertThat(html).contains(Html.esc(f.title()), Html.esc(f.blocker()));
                assertThat(svg(html)).as("the blocker is drawn").contains(Html.esc(SvgGraph.blockerLabel(f)));
            }
            assertThat(svg(html)).contains("class=\"node task blocker\"");
            if (!d.graph().edges().isEmpty()) {
                assertThat(svg(html)).contains("marker-end=\"url(#hd-arrow");
            } else {
                assertThat(html).contains("No waits between tasks in this evidence");
            }
            // the verdict comes before the graph, the graph before the stacks
            assertThat(html.indexOf("id=\"verdict\"")).isLessThan(html.indexOf("id=\"graph\""));
            assertThat(html.indexOf("id=\"graph\"")).isLessThan(html.indexOf("id=\"stacks\""));
            assertThat(count(html, "<details class=\"group")).isEqualTo(d.stackGroups().size());
            assertThat(html.length()).isLessThan(200_000);
        }));
    }

    @Test
    void seed001DrawsTheCycleWithTheBlockerBelowItsVictims() throws IOException {
        Diagnosis d = Seeds.diagnose(Path.of("examples/seed001-centos7-jbd2-oom"));
        String svg = svg(HtmlReport.render(d));
        assertThat(svg).contains("ext4-repro-with-write:27225 R", "jbd2/md127-8:587 D",
                "memory (reclaim under a memory limit)", "class=\"edge held back\"");
        assertThat(nodeY(svg, "ext4-repro-with-write:27225 R")).isGreaterThan(nodeY(svg, "jbd2/md127-8:587 D"));
        assertThat(nodeY(svg, "jbd2/md127-8:587 D")).isGreaterThan(nodeY(svg, "loop0:906 ?"));
        assertThat(svg).doesNotContain("NaN", "Infinity");
    }

    private static double nodeY(String svg, String label) {
        int at = svg.indexOf(">" + Html.esc(label) + "</text>");
        assertThat(at).as(label).isPositive();
        Matcher m = Pattern.compile("y=\"([0-9.]+)\"").matcher(svg.substring(svg.lastIndexOf("<text", at)));
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void hostileNamesRenderAsText() throws IOException {
        Evidence e = Seeds.load(Path.of("examples/seed001-centos7-jbd2-oom"));
        e.taskOrNull(27225).comm("<script>alert(1)</script>");
        e.taskOrNull(587).comm("\"><img src=x onerror=alert(2)>");
        e.addMemCgroup(new MemCgroup("/kubepods/<b>pod</b>", 1, 1L << 30, 1L << 30, false, true, false, 12L, 3L,
                Map.of(), null, List.of(27225)));
        e.addFuseConnection(new FuseConnection(41, 3L, List.of("/mnt/<svg onload=alert(3)>"), "fuse.'x'", List.of()));
        Diagnosis d = Seeds.diagnose(e);
        assertThat(d.findings().get(0).rootCause().comm()).isEqualTo("<script>alert(1)</script>");
        String html = HtmlReport.render(d);
        assertThat(html).doesNotContain("<script>alert", "<img src=x", "<svg onload", "<b>pod");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x",
                "/kubepods/&lt;b&gt;pod&lt;/b&gt;", "/mnt/&lt;svg onload=alert(3)&gt;");
        assertThat(count(html, "<script")).as("only the report's own script").isEqualTo(1);
        assertThat(svg(html)).contains("&lt;script&gt;alert(1)&lt;/script&gt;:27225 R");
        assertThat(html).contains("Memory cgroups", "under_oom", "100%", "FUSE connections", "none found");
    }

    @Test
    void onlyWebLinksBecomeLinks() {
        Finding f = new Finding("sig", Category.OTHER, "t", 0.5, null, "a CPU", null, List.of(), List.of(), List.of(),
                "why", new Finding.Fix(List.of("6.3"), List.of("94dc24c0c59a buffer: fix", "not-a-hash <x>"),
                List.of("javascript:alert(1)", "https://example.org/bug?a=1&b=2"), null), List.of(), List.of());
        String html = HtmlReport.render(diagnosis(List.of(f), GraphView.empty()));
        assertThat(html).doesNotContain("href=\"javascript");
        assertThat(html).contains("javascript:alert(1)", "href=\"https://example.org/bug?a=1&amp;b=2\"",
                "href=\"https://git.kernel.org/linus/94dc24c0c59a\"", "not-a-hash &lt;x&gt;");
        // a finding whose blocker is no task still gets a node in the picture
        assertThat(svg(html)).contains("class=\"node task blocker\"", ">a CPU</text>");
    }

    @Test
    void tenThousandTasksStaySmallAndCollapsed() {
        Evidence e = Seeds.bigHost();
        assertThat(e.tasks()).hasSize(10_000);
        Diagnosis d = Seeds.diagnose(e);
        assertThat(d.stackGroups().size()).isGreaterThan(HtmlReport.MAX_GROUPS);
        long start = System.nanoTime();
        String html = HtmlReport.render(d);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(html.length()).isLessThan(3_000_000);
        assertThat(ms).as("render time in ms").isLessThan(5_000);
        assertThat(count(html, "<details class=\"group")).isEqualTo(HtmlReport.MAX_GROUPS);
        int rest = d.stackGroups().size() - HtmlReport.MAX_GROUPS;
        assertThat(html).contains(rest + " more group(s)");
        // the 5 000 queued writers: one group, 50 names, the rest counted
        assertThat(html).contains("+" + (5000 - HtmlReport.MAX_NAMES) + " more");
        assertThat(html).doesNotContain("writer-4999<");
        // only blocker and victim groups start open
        long open = d.stackGroups().stream().limit(HtmlReport.MAX_GROUPS)
                .filter(g -> "blocker".equals(g.role()) || "victim".equals(g.role())).count();
        assertThat(count(html, "\" open><summary>")).isEqualTo((int) open);
        assertThat(open).isLessThan(10);
        // the graph folds the writers into one node with its count
        assertThat(svg(html)).contains("5000 ×");
        // and the chain folds them into one sentence: a short chain, nothing cut
        int links = d.findings().stream().mapToInt(f -> f.chain().size()).sum();
        assertThat(links).isLessThan(10);
        assertThat(html).contains("5000 tasks like").doesNotContain("more link(s) of the chain not shown");
    }

    @Test
    void emptyDiagnosisRenders() {
        Diagnosis d = Seeds.diagnose(new Evidence());
        String html = HtmlReport.render(d);
        assertThat(html).contains("No hang found", "No waits between tasks in this evidence", "</html>");
        assertThat(html).doesNotContain("<svg");
    }

    @Test
    void graphWithoutBlockersAndLargeGraphsAreBounded() {
        List<GraphView.Node> nodes = new ArrayList<>();
        List<GraphView.Edge> edges = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            nodes.add(new GraphView.Node("n" + i, "task", "t" + i + "\nfn", i == 0 ? "blocker" : "victim", 1,
                    List.of(new TaskRef(i, "t" + i))));
            nodes.add(new GraphView.Node("r" + i, "resource", "res " + i, null, 1, List.of()));
            edges.add(new GraphView.Edge("n" + i, "r" + i, "waits"));
            edges.add(new GraphView.Edge("r" + i, "n" + ((i + 1) % 300), "heldBy")); // one big cycle
        }
        String out = SvgGraph.render(new GraphView(nodes, edges), List.of());
        assertThat(count(out, "<g class=\"node")).isEqualTo(SvgGraph.MAX_NODES);
        assertThat(out).contains((600 - SvgGraph.MAX_NODES) + " more node(s) not drawn").doesNotContain("NaN");
        String cycle = SvgGraph.render(new GraphView(nodes.subList(0, 6), edges.subList(0, 5)), List.of());
        assertThat(cycle).contains("<svg", "t2").doesNotContain("NaN");
    }

    private static Diagnosis diagnosis(List<Finding> findings, GraphView g) {
        return new Diagnosis(findings, List.of(), Map.of(), 0, null, List.of(), List.of(), List.of(), List.of(), g,
                Map.of(), List.of(), List.of());
    }
}
