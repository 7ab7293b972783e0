package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.model.Evidence;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardPageTest {
    private static final Instant NOW = Instant.parse("2025-03-01T11:00:00Z");
    private static final Duration BUCKET = Duration.ofSeconds(5);

    /** An hour of 5 s points: quiet, then from 40 minutes ago a cluster of D tasks, load and memory pressure rising. */
    static List<DashboardPage.Point> hour(boolean psi) {
        List<DashboardPage.Point> out = new ArrayList<>();
        for (int k = 720; k > 0; k--) {
            Instant at = NOW.minusSeconds(k * 5L);
            boolean hang = k < 480;
            out.add(new DashboardPage.Point(at, hang ? 4 + k % 3 : k % 60 == 0 ? 1 : 0, 0.4 + (hang ? 4.0 : 0) + (k % 7) / 10.0,
                    psi ? (hang ? 12.5 : 0.0) : null));
        }
        return out;
    }

    static DashboardPage.IncidentRow incident(String id, boolean open, String signature, String blocker, int agoMin) {
        Instant opened = NOW.minus(Duration.ofMinutes(agoMin));
        return new DashboardPage.IncidentRow(id, open, signature, "A FUSE daemon stopped answering", blocker, opened,
                open ? NOW.minusSeconds(3) : opened.plusSeconds(90), open ? null : opened.plusSeconds(90), 3, open);
    }

    static DashboardPage.View view(Diagnosis d, List<DashboardPage.Point> pts, List<DashboardPage.IncidentRow> rows) {
        return new DashboardPage.View(NOW, Duration.ofHours(1), BUCKET, pts, rows, d, d == null ? null : NOW.minusSeconds(2),
                true, 5);
    }

    @Test
    void showsTheTimelineTheIncidentsAndTheLastScansVerdict() throws Exception {
        Diagnosis d = Seeds.diagnose(Seeds.EXAMPLES.resolve("seed003-fuse-flush-pidns"));
        List<DashboardPage.IncidentRow> rows = List.of(
                incident("20250301T102000Z-1", false, "hung-fuse-daemon", "fused:4242", 40),
                incident("20250301T102100Z-2", true, "fuse-flush-pidns", "fusermount:77", 39));
        String html = DashboardPage.render(view(d, hour(true), rows));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta http-equiv=\"refresh\" content=\"5\">");
        assertThat(html).contains("<title>(1) hangdoctor watch</title>", "1 open incident", "<h2>Last hour <span");
        // the timeline: an SVG with the three strips, drawn, and the incidents' marks
        String tl = html.substring(html.indexOf("<svg class=\"timeline\""), html.indexOf("</svg>", html.indexOf("<svg class=\"timeline\"")));
        assertThat(tl).contains("D-state tasks", "Load (1 min)", "Memory pressure", "class=\"area\"", "class=\"line\"",
                "class=\"mark opened\"", "class=\"mark resolved\"", "−1 h", "−50 min", "now 11:00:00");
        assertThat(HtmlReportTest.count(tl, "class=\"strip ")).isEqualTo(3);
        assertThat(tl).contains("<tspan class=\"v\">12.5%</tspan> now · peak 12.5%");
        // the incidents: open first, linked to the API, bundle only where stored
        int open = html.indexOf("20250301T102100Z-2");
        int resolved = html.indexOf("<code>20250301T102000Z-1</code>");
        assertThat(open).isPositive().isLessThan(resolved);
        assertThat(html).contains("<a href=\"/api/incidents/20250301T102100Z-2\"><code>20250301T102100Z-2</code></a>",
                "<a href=\"/api/incidents/20250301T102100Z-2/bundle\">bundle</a>",
                "<code class=\"who blocker\">fusermount:77</code>", "<span class=\"pill open\">open</span>")
                .doesNotContain("/api/incidents/20250301T102000Z-1/bundle");
        // the last scan, with the report's own sections
        assertThat(html).contains("id=\"verdict\"", "<svg class=\"graph\"", "id=\"stacks\"");
        assertThat(html).contains(Html.esc(d.findings().get(0).title()));
        assertThat(html.indexOf("id=\"timeline\"")).isLessThan(html.indexOf("id=\"incidents\""));
        assertThat(html.indexOf("id=\"incidents\"")).isLessThan(html.indexOf("id=\"verdict\""));
        Path out = Path.of("target", "report-screenshots");
        java.nio.file.Files.createDirectories(out);
        java.nio.file.Files.writeString(out.resolve("dashboard-sample.html"), html);
    }

    @Test
    void beforeTheFirstSampleAndScanItSaysSo() {
        String html = DashboardPage.render(view(null, List.of(), List.of()));
        assertThat(html).contains("No open incident", "no samples yet", "No incidents on record.", "No full scan yet",
                "<svg class=\"timeline\"").doesNotContain("id=\"verdict\"", "class=\"area\"");
    }

    @Test
    void aYoungAgentsMinutesSpanTheWholeWidth() {
        List<DashboardPage.Point> pts = hour(true).subList(720 - 18, 720);
        String html = DashboardPage.render(view(null, pts, List.of()));
        assertThat(html).contains("<h2>Last 2 min <span class=\"muted\">since the agent started;", "−30 s", "−1 min 30 s",
                "text-anchor=\"start\">−2 min</text>");
        String d = html.substring(html.indexOf("<g class=\"strip d\">"));
        d = d.substring(0, d.indexOf("</g>"));
        // 90 s of a 120 s axis: the line starts a quarter of the way in
        assertThat(d).contains("class=\"line\" d=\"M412.0,");
    }

    @Test
    void aKernelWithoutPsiSaysSoInsteadOfDrawingZero() {
        String html = DashboardPage.render(view(null, hour(false), List.of()));
        assertThat(html).contains("no /proc/pressure/memory on this kernel");
        assertThat(HtmlReportTest.count(html, "class=\"area\"")).isEqualTo(2);
    }

    @Test
    void aGapInTheSamplesBreaksTheLine() {
        List<DashboardPage.Point> pts = new ArrayList<>(hour(true));
        pts.subList(200, 400).clear();
        String html = DashboardPage.render(view(null, pts, List.of()));
        String d = html.substring(html.indexOf("<g class=\"strip d\">"));
        d = d.substring(0, d.indexOf("</g>"));
        String area = d.substring(d.indexOf("class=\"area\" d=\""));
        area = area.substring(0, area.indexOf("\"/>"));
        assertThat(HtmlReportTest.count(area, "M")).isEqualTo(2);
    }

    @Test
    void escapesEverythingFromTheHostAndTheRules() {
        Evidence e = Seeds.bigHost();
        e.taskOrNull(27225).comm("<script>alert(1)</script>");
        Diagnosis d = Seeds.diagnose(e);
        List<DashboardPage.IncidentRow> rows = List.of(new DashboardPage.IncidentRow("../../etc\"><script>x()</script>",
                true, "<img src=x onerror=y()>", "<b>title</b>", "<svg onload=z()>", NOW.minusSeconds(30), NOW, null, 1,
                true));
        String html = DashboardPage.render(view(d, hour(true), rows));
        assertThat(html).doesNotContain("<script>alert", "<script>x(", "<img src=x", "<svg onload", "<b>title");
        assertThat(html).contains("&lt;img src=x onerror=y()&gt;", "&lt;svg onload=z()&gt;", "&lt;b&gt;title&lt;/b&gt;");
        // an id that could leave the API's path is shown, never linked
        assertThat(html).doesNotContain("href=\"/api/incidents/..");
        assertThat(HtmlReportTest.count(html, "<script")).as("only the page's own script").isEqualTo(1);
    }

    @Test
    void thePolicyAllowsOnlyThePagesOwnScript() throws Exception {
        String html = DashboardPage.render(view(null, List.of(), List.of()));
        int a = html.indexOf("<script>") + "<script>".length();
        String script = html.substring(a, html.indexOf("</script>", a));
        byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(DashboardPage.contentSecurityPolicy()).startsWith("default-src 'none';")
                .contains("script-src 'sha256-" + java.util.Base64.getEncoder().encodeToString(h) + "'")
                .doesNotContain("unsafe-eval");
    }

    @Test
    void niceScalesAndShortDurations() {
        assertThat(DashboardPage.nice(0.3)).isEqualTo(0.5);
        assertThat(DashboardPage.nice(1)).isEqualTo(1);
        assertThat(DashboardPage.nice(7)).isEqualTo(10);
        assertThat(DashboardPage.nice(120)).isEqualTo(200);
        assertThat(DashboardPage.span(Duration.ofSeconds(5))).isEqualTo("5 s");
        assertThat(DashboardPage.span(Duration.ofMinutes(12))).isEqualTo("12 min");
        assertThat(DashboardPage.span(Duration.ofSeconds(150))).isEqualTo("2 min 30 s");
        assertThat(DashboardPage.span(Duration.ofMinutes(70))).isEqualTo("1 h 10 min");
        assertThat(DashboardPage.when(NOW.minusSeconds(90), NOW)).contains(">10:58:30</time>", "(1 min 30 s ago)");
        assertThat(DashboardPage.when(NOW.minus(Duration.ofDays(2)), NOW)).contains(">2025-02-27 11:00</time>");
    }
}
