package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * The page `watch` serves at {@code /}: the last hour as a timeline (D-state tasks, load, memory pressure) drawn as
 * inline SVG, the incident list with links into the JSON API, and the last full scan rendered with the HTML report's
 * sections. One self-contained page that reloads itself every few seconds through a meta refresh (no JS needed, no
 * network); every string from the host or the rules is escaped.
 */
public final class DashboardPage {
    /** One bucket of the timeline; load and memory pressure are null where the host did not tell. */
    public record Point(Instant at, int dTasks, Double load1, Double memorySome10) {
    }

    /** One incident as the list shows it. */
    public record IncidentRow(String id, boolean open, String signature, String title, String blocker,
                              Instant openedAt, Instant lastSeenAt, Instant resolvedAt, int stuckTasks,
                              boolean hasBundle) {
    }

    /**
     * Everything the page shows. {@code bucket} is the width of one timeline point; {@code diagnosis} and
     * {@code scannedAt} are null before the first full scan.
     */
    public record View(Instant now, Duration span, Duration bucket, List<Point> timeline, List<IncidentRow> incidents,
                       Diagnosis diagnosis, Instant scannedAt, boolean healthy, int refreshSeconds) {
        public View {
            timeline = List.copyOf(timeline);
            incidents = List.copyOf(incidents);
        }
    }

    static final int MAX_INCIDENTS = 100;
    private static final int MAX_MARKS = 50;
    /** The narrowest time axis: a minute-old agent still gets a readable scale. */
    private static final Duration MIN_SHOWN = Duration.ofMinutes(2);
    private static final long[] TICKS = {10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
            3_600_000, 7_200_000, 21_600_000};
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,64}");
    private static final String CSS = HtmlReport.css() + resource("report/dashboard.css");
    private static final String SCRIPT = "\n" + HtmlReport.script();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    // timeline geometry, in SVG user units
    private static final double W = 1100;
    private static final double LEFT = 196;
    private static final double RIGHT = 40;
    private static final double TOP = 6;
    private static final double STRIP = 58;
    private static final double GAP = 16;

    private DashboardPage() {
    }

    /**
     * The page's Content-Security-Policy: no network, inline styles, and only the page's own script (by hash), so
     * markup that slipped through escaping still could not run.
     */
    public static String contentSecurityPolicy() {
        return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '" + sha256(SCRIPT)
                + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public static String render(View v) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        long open = v.incidents().stream().filter(IncidentRow::open).count();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"hangdoctor\">\n")
                .append("<meta http-equiv=\"refresh\" content=\"").append(Math.max(1, v.refreshSeconds())).append("\">\n")
                .append("<title>").append(open > 0 ? "(" + open + ") " : "").append("hangdoctor watch</title>\n<style>\n")
                .append(CSS).append("</style>\n</head>\n<body>\n");
        header(sb, v, open);
        sb.append("<main class=\"wrap\">\n");
        timeline(sb, v);
        incidents(sb, v, open);
        scan(sb, v);
        sb.append("</main>\n<footer class=\"wrap muted\">hangdoctor watch. Times are UTC. This page reloads every ")
                .append(Math.max(1, v.refreshSeconds())).append(" s; the same data is at <a href=\"/api/diagnosis\">")
                .append("/api/diagnosis</a>, <a href=\"/api/incidents\">/api/incidents</a> and ")
                .append("<a href=\"/metrics\">/metrics</a>.</footer>\n<script>").append(SCRIPT)
                .append("</script>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void header(StringBuilder sb, View v, long open) {
        sb.append("<header class=\"top ").append(open > 0 ? "hang" : "ok").append("\"><div class=\"wrap\">")
                .append("<span class=\"brand\">hangdoctor watch</span>");
        if (open > 0) {
            sb.append("<span class=\"status hang\">").append(open).append(" open incident").append(open > 1 ? "s" : "")
                    .append("</span>");
        } else {
            sb.append("<span class=\"status ok\">No open incident</span>");
        }
        if (!v.healthy()) {
            sb.append("<span class=\"status stale\">samples are late</span>");
        }
        sb.append("<span class=\"meta\">");
        if (v.diagnosis() != null && v.diagnosis().kernelVersion() != null) {
            sb.append("kernel ");
            Html.esc(sb, v.diagnosis().kernelVersion()).append(" · ");
        }
        sb.append("last full scan ").append(v.scannedAt() == null ? "none yet" : when(v.scannedAt(), v.now()))
                .append(" · now ").append(CLOCK.format(v.now())).append(" UTC</span></div></header>\n");
    }

    // ---- timeline ----

    private record Series(String cls, String name, String unit, ToDoubleFunction<Point> value, double floor,
                          String missing) {
    }

    private static final List<Series> SERIES = List.of(
            new Series("d", "D-state tasks", "", p -> p.dTasks(), 1, null),
            new Series("load", "Load (1 min)", "", p -> p.load1() == null ? Double.NaN : p.load1(), 1,
                    "load average not readable"),
            new Series("mem", "Memory pressure", "%", p -> p.memorySome10() == null ? Double.NaN : p.memorySome10(), 1,
                    "no /proc/pressure/memory on this kernel (PSI needs 4.20+ and psi enabled)"));

    private static void timeline(StringBuilder sb, View v) {
        long bucketMs = Math.max(1, v.bucket().toMillis());
        long fullMs = Math.max(1, v.span().toMillis());
        // a young agent has minutes, not an hour: draw what there is across the width instead of a sliver at the end
        long spanMs = fullMs;
        if (!v.timeline().isEmpty()) {
            long have = Duration.between(v.timeline().get(0).at(), v.now()).toMillis() + bucketMs;
            spanMs = Math.min(fullMs, Math.max(MIN_SHOWN.toMillis(), have));
        }
        sb.append("<section id=\"timeline\"><h2>Last ");
        if (spanMs < fullMs) {
            sb.append(span(Duration.ofMillis(spanMs))).append(" <span class=\"muted\">since the agent started; ");
        } else {
            sb.append(fullMs == 3_600_000 ? "hour" : span(v.span())).append(" <span class=\"muted\">");
        }
        sb.append("one point per ").append(span(v.bucket())).append(", the highest value seen in it; ")
                .append("memory pressure is PSI <code>some avg10</code></span></h2>\n")
                .append("<div class=\"graph-box timeline-box\">\n");
        double plotW = W - LEFT - RIGHT;
        double axis = TOP + SERIES.size() * (STRIP + GAP) - GAP;
        double h = axis + 34;
        sb.append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"")
                .append("timeline of D-state tasks, load and memory pressure\" width=\"").append(num(W))
                .append("\" height=\"").append(num(h)).append("\" viewBox=\"0 0 ").append(num(W)).append(' ')
                .append(num(h)).append("\">\n");
        Instant start = v.now().minusMillis(spanMs);
        // vertical grid and the time axis, counted back from now in round steps
        long step = TICKS[TICKS.length - 1];
        for (long t : TICKS) {
            if (spanMs / t <= 6) {
                step = t;
                break;
            }
        }
        for (long ago = 0; ago <= spanMs; ago += step) {
            double x = LEFT + plotW * (spanMs - ago) / spanMs;
            sb.append("<line class=\"grid\" x1=\"").append(num(x)).append("\" y1=\"").append(num(TOP))
                    .append("\" x2=\"").append(num(x)).append("\" y2=\"").append(num(axis)).append("\"/>");
            boolean edge = x - LEFT < 30;
            if (edge && ago != spanMs) {
                continue;
            }
            sb.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(axis + 14)).append("\" text-anchor=\"")
                    .append(ago == 0 ? "end" : edge ? "start" : "middle").append("\">")
                    .append(ago == 0 ? "now " + CLOCK.format(v.now()) : "−" + span(Duration.ofMillis(ago)))
                    .append("</text>");
        }
        sb.append('\n');
        for (int s = 0; s < SERIES.size(); s++) {
            strip(sb, SERIES.get(s), v.timeline(), start, spanMs, bucketMs, TOP + s * (STRIP + GAP), plotW);
        }
        marks(sb, v, start, spanMs, plotW, axis);
        double ly = axis + 29;
        sb.append("<g class=\"legend\"><line class=\"mark opened\" x1=\"").append(num(LEFT)).append("\" y1=\"")
                .append(num(ly - 8)).append("\" x2=\"").append(num(LEFT)).append("\" y2=\"").append(num(ly + 2))
                .append("\"/><text x=\"").append(num(LEFT + 6)).append("\" y=\"").append(num(ly))
                .append("\">incident opened</text><line class=\"mark resolved\" x1=\"").append(num(LEFT + 110))
                .append("\" y1=\"").append(num(ly - 8)).append("\" x2=\"").append(num(LEFT + 110)).append("\" y2=\"")
                .append(num(ly + 2)).append("\"/><text x=\"").append(num(LEFT + 116)).append("\" y=\"").append(num(ly))
                .append("\">incident resolved</text></g>\n</svg>\n</div>\n</section>\n");
    }

    private static void strip(StringBuilder sb, Series s, List<Point> pts, Instant start, long spanMs, long bucketMs,
                              double top, double plotW) {
        double bottom = top + STRIP;
        double max = 0;
        double now = Double.NaN;
        for (Point p : pts) {
            double val = s.value().applyAsDouble(p);
            if (!Double.isNaN(val)) {
                max = Math.max(max, val);
                now = val;
            }
        }
        double scale = nice(Math.max(s.floor(), max));
        if (s.unit().equals("%")) {
            scale = Math.min(scale, 100);
        }
        sb.append("<g class=\"strip ").append(s.cls()).append("\">");
        sb.append("<text class=\"name\" x=\"0\" y=\"").append(num(top + 16)).append("\">").append(s.name())
                .append("</text><text class=\"now\" x=\"0\" y=\"").append(num(top + 38)).append("\">");
        if (Double.isNaN(now)) {
            sb.append("–");
        } else {
            sb.append("<tspan class=\"v\">").append(value(now, s)).append("</tspan> now · peak ").append(value(max, s));
        }
        sb.append("</text><rect class=\"plot\" x=\"").append(num(LEFT)).append("\" y=\"").append(num(top))
                .append("\" width=\"").append(num(plotW)).append("\" height=\"").append(num(STRIP)).append("\"/>")
                .append("<line class=\"grid\" x1=\"").append(num(LEFT)).append("\" y1=\"").append(num(top + STRIP / 2))
                .append("\" x2=\"").append(num(LEFT + plotW)).append("\" y2=\"").append(num(top + STRIP / 2)).append("\"/>")
                .append("<text x=\"").append(num(LEFT + plotW + 6)).append("\" y=\"").append(num(top + 10)).append("\">")
                .append(scale(scale, s)).append("</text><text x=\"").append(num(LEFT + plotW + 6)).append("\" y=\"")
                .append(num(bottom)).append("\">0</text>");
        if (Double.isNaN(now)) {
            String why = pts.isEmpty() ? "no samples yet" : s.missing();
            sb.append("<text class=\"empty\" x=\"").append(num(LEFT + plotW / 2)).append("\" y=\"")
                    .append(num(top + STRIP / 2 + 4)).append("\" text-anchor=\"middle\">");
            Html.esc(sb, why).append("</text></g>\n");
            return;
        }
        // a step per bucket, the highest value over its width; a bucket with no sample (or no value) breaks the line
        Steps steps = new Steps(bottom);
        long prevBucket = 0;
        for (Point p : pts) {
            double val = s.value().applyAsDouble(p);
            long b = p.at().toEpochMilli();
            if (b + bucketMs <= start.toEpochMilli()) {
                continue;
            }
            // one bucket without a sample is the loop's timing jitter, not a gap worth showing
            if (Double.isNaN(val) || b - prevBucket > 2 * bucketMs) {
                steps.end();
            }
            if (Double.isNaN(val)) {
                continue;
            }
            double x0 = Math.max(LEFT, x(b, start, spanMs, plotW));
            double x1 = Math.min(LEFT + plotW, Math.max(x0 + 1, x(b + bucketMs, start, spanMs, plotW)));
            steps.step(x0, x1, bottom - Math.min(1, val / scale) * (STRIP - 2));
            prevBucket = b;
        }
        steps.end();
        if (steps.line.length() > 0) {
            sb.append("<path class=\"area\" d=\"").append(steps.area.toString().strip()).append("\"/>")
                    .append("<path class=\"line\" d=\"").append(steps.line.toString().strip()).append("\"/>");
        }
        sb.append("</g>\n");
    }

    /** A step line and the area under it, run by run; equal neighbours merge into one horizontal stretch. */
    private static final class Steps {
        final StringBuilder area = new StringBuilder();
        final StringBuilder line = new StringBuilder();
        private final double bottom;
        private double runStart = Double.NaN;
        private double y;
        private double x;

        Steps(double bottom) {
            this.bottom = bottom;
        }

        void step(double x0, double x1, double yNew) {
            if (Double.isNaN(runStart)) {
                runStart = x0;
                area.append(" M").append(num(x0)).append(',').append(num(bottom)).append(" V").append(num(yNew));
                line.append(" M").append(num(x0)).append(',').append(num(yNew));
            } else if (!num(yNew).equals(num(y))) {
                String h = " H" + num(x) + " V" + num(yNew);
                area.append(h);
                line.append(h);
            }
            y = yNew;
            x = x1;
        }

        void end() {
            if (Double.isNaN(runStart)) {
                return;
            }
            area.append(" H").append(num(x)).append(" V").append(num(bottom)).append(" H").append(num(runStart))
                    .append(" Z");
            line.append(" H").append(num(x));
            runStart = Double.NaN;
        }
    }

    /** Dashed lines where incidents opened and resolved within the window, newest {@value #MAX_MARKS} at most. */
    private static void marks(StringBuilder sb, View v, Instant start, long spanMs, double plotW, double axis) {
        int n = 0;
        for (IncidentRow r : v.incidents()) {
            if (n >= MAX_MARKS) {
                break;
            }
            boolean drawn = false;
            if (r.openedAt() != null && !r.openedAt().isBefore(start) && !r.openedAt().isAfter(v.now())) {
                mark(sb, "opened", r, r.openedAt(), x(r.openedAt().toEpochMilli(), start, spanMs, plotW), axis);
                drawn = true;
            }
            if (r.resolvedAt() != null && !r.resolvedAt().isBefore(start) && !r.resolvedAt().isAfter(v.now())) {
                mark(sb, "resolved", r, r.resolvedAt(), x(r.resolvedAt().toEpochMilli(), start, spanMs, plotW), axis);
                drawn = true;
            }
            n += drawn ? 1 : 0;
        }
    }

    private static void mark(StringBuilder sb, String kind, IncidentRow r, Instant at, double x, double axis) {
        sb.append("<line class=\"mark ").append(kind).append("\" x1=\"").append(num(x)).append("\" y1=\"")
                .append(num(TOP)).append("\" x2=\"").append(num(x)).append("\" y2=\"").append(num(axis))
                .append("\"><title>incident ");
        Html.esc(sb, r.id()).append(' ').append(kind).append(" at ").append(CLOCK.format(at)).append(" UTC: ");
        Html.esc(sb, r.signature()).append("</title></line>\n");
    }

    private static double x(long epochMs, Instant start, long spanMs, double plotW) {
        return LEFT + (epochMs - start.toEpochMilli()) * plotW / spanMs;
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v}. */
    static double nice(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= v - 1e-9) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** A reading as the kernel prints it: load with two decimals, PSI with one, counts whole. */
    private static String value(double v, Series s) {
        return switch (s.cls()) {
            case "d" -> Long.toString(Math.round(v));
            case "load" -> String.format(Locale.ROOT, "%.2f", v);
            default -> String.format(Locale.ROOT, "%.1f", v) + s.unit();
        };
    }

    /** A scale's top: no decimals it does not need. */
    private static String scale(double v, Series s) {
        String n = v == Math.rint(v) ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
        return n + s.unit();
    }

    // ---- incidents ----

    private static void incidents(StringBuilder sb, View v, long open) {
        List<IncidentRow> rows = new ArrayList<>(v.incidents());
        // open first, then newest first
        rows.sort(Comparator.comparing((IncidentRow r) -> !r.open())
                .thenComparing(IncidentRow::openedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        sb.append("<section id=\"incidents\"><h2>Incidents <span class=\"muted\">").append(open).append(" open, ")
                .append(rows.size() - open).append(" resolved on record</span></h2>\n");
        if (rows.isEmpty()) {
            sb.append("<p class=\"empty-note\">No incidents on record.</p>\n</section>\n");
            return;
        }
        sb.append("<table class=\"incidents\"><thead><tr><th>state</th><th>incident</th><th>signature</th>")
                .append("<th>blocker</th><th>first seen</th><th>last seen</th><th>stuck</th><th>details</th>")
                .append("</tr></thead><tbody>\n");
        for (IncidentRow r : rows.subList(0, Math.min(rows.size(), MAX_INCIDENTS))) {
            row(sb, r, v.now());
        }
        sb.append("</tbody></table>\n");
        if (rows.size() > MAX_INCIDENTS) {
            sb.append("<p class=\"more\">").append(rows.size() - MAX_INCIDENTS)
                    .append(" older incident(s) not shown; <a href=\"/api/incidents\">/api/incidents</a> has them all.</p>\n");
        }
        sb.append("</section>\n");
    }

    private static void row(StringBuilder sb, IncidentRow r, Instant now) {
        boolean linkable = r.id() != null && ID.matcher(r.id()).matches();
        sb.append("<tr class=\"").append(r.open() ? "open" : "resolved").append("\"><td><span class=\"pill ")
                .append(r.open() ? "open\">open" : "resolved\">resolved").append("</span></td><td>");
        if (linkable) {
            sb.append("<a href=\"/api/incidents/").append(r.id()).append("\"><code>").append(r.id()).append("</code></a>");
        } else {
            Html.esc(sb.append("<code>"), r.id()).append("</code>");
        }
        if (r.title() != null) {
            Html.esc(sb.append("<span class=\"title\">"), r.title()).append("</span>");
        }
        sb.append("</td><td><code class=\"sig\">");
        Html.esc(sb, r.signature()).append("</code></td><td>");
        if (r.blocker() == null) {
            sb.append("<span class=\"muted\">–</span>");
        } else {
            Html.esc(sb.append("<code class=\"who blocker\">"), r.blocker()).append("</code>");
        }
        sb.append("</td><td class=\"when\">").append(r.openedAt() == null ? "–" : when(r.openedAt(), now))
                .append("</td><td class=\"when\">");
        if (r.resolvedAt() != null) {
            sb.append("resolved ").append(when(r.resolvedAt(), now));
        } else {
            sb.append(r.lastSeenAt() == null ? "–" : when(r.lastSeenAt(), now));
        }
        sb.append("</td><td>").append(r.stuckTasks()).append("</td><td class=\"links\">");
        if (linkable) {
            String base = "/api/incidents/" + r.id();
            sb.append("<a href=\"").append(base).append("\">JSON</a><a href=\"").append(base)
                    .append("/diagnosis.txt\">text</a>");
            if (r.hasBundle()) {
                sb.append("<a href=\"").append(base).append("/report.html\">report</a>");
                sb.append("<a href=\"").append(base).append("/bundle\">bundle</a>");
            }
        }
        sb.append("</td></tr>\n");
    }

    // ---- last scan ----

    private static void scan(StringBuilder sb, View v) {
        if (v.diagnosis() == null) {
            sb.append("<h2 class=\"scan\">Last full scan</h2>\n<p class=\"empty-note\">No full scan yet: the agent runs ")
                    .append("one when a task, a FUSE request, a memory cgroup or a userfaultfd has looked stuck for ")
                    .append("the configured time, or when the kernel reports a hang.</p>\n");
            return;
        }
        sb.append("<h2 class=\"scan\">Last full scan <span class=\"muted\">")
                .append(v.scannedAt() == null ? "" : when(v.scannedAt(), v.now())).append("</span></h2>\n");
        HtmlReport.sections(sb, v.diagnosis());
    }

    // ---- text ----

    /** A time as the page shows it: the clock today, the date otherwise, and how long ago. */
    static String when(Instant t, Instant now) {
        long ago = Duration.between(t, now).toSeconds();
        String clock = DATE.format(t).substring(0, 10).equals(DATE.format(now).substring(0, 10))
                ? CLOCK.format(t) : DATE.format(t);
        return "<time datetime=\"" + t + "\">" + clock + "</time>" + (ago >= 0
                ? " <span class=\"muted\">(" + span(Duration.ofSeconds(ago)) + " ago)</span>" : "");
    }

    /** 42 s, 5 min, 1 h 10 min. */
    static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return d.toMillis() < 1000 && d.toMillis() > 0 ? d.toMillis() + " ms" : s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 || s >= 600 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        }
        long m = s / 60 % 60;
        return s / 3600 + " h" + (m == 0 ? "" : " " + m + " min");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String sha256(String s) {
        return InlineScripts.sha256(s);
    }

    private static String resource(String name) {
        try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
