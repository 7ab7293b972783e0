package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.StackGroup;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.Frame;

import java.util.List;
import java.util.Locale;

/**
 * The `--markdown` view, for pasting into a ticket: verdict, blocker, victims, chain, what to do, fix links, the top
 * stack groups and the kernel log. Bounded in size (tickets and chat limit a message to about 64 KiB).
 */
public final class MarkdownReport {
    static final int MAX_CHARS = 60_000;
    private static final int MAX_FINDINGS = 5;
    private static final int MAX_VICTIMS_NAMED = 10;
    private static final int MAX_CHAIN = 20;
    private static final int MAX_GROUPS = 5;
    private static final int MAX_FRAMES = 30;
    private static final int MAX_LOG = 30;
    private static final int MAX_LINE = 300;

    private MarkdownReport() {
    }

    public static String render(Diagnosis d) {
        StringBuilder sb = new StringBuilder();
        if (!d.hangFound()) {
            sb.append("## hangdoctor: no hang found\n\n").append(d.taskCount()).append(" task(s) read; no known hang ")
                    .append("pattern and no task blocking others.\n");
        }
        int n = 0;
        for (Finding f : d.findings()) {
            if (n == MAX_FINDINGS) {
                sb.append("\n_").append(d.findings().size() - n).append(" more finding(s); see the full report._\n");
                break;
            }
            finding(sb, f, ++n, d.findings().size());
        }
        stacks(sb, d.stackGroups());
        if (!d.logLines().isEmpty()) {
            sb.append("\n### Kernel log\n\n");
            block(sb, d.logLines().stream().limit(MAX_LOG).map(MarkdownReport::clip).toList(),
                    d.logLines().size() > MAX_LOG ? "… " + (d.logLines().size() - MAX_LOG) + " more line(s)" : null);
        }
        sb.append("\n_Evidence: ").append(text(d.formats().isEmpty() ? "none recognised" : String.join(", ", d.formats())))
                .append("; kernel ").append(text(d.kernelVersion() == null ? "unknown" : d.kernelVersion())).append("; ")
                .append(d.taskCount()).append(" task(s). Diagnosed by hangdoctor._\n");
        if (sb.length() > MAX_CHARS) {
            // whole sections are bounded above; this only guards against pathological line content
            int cut = sb.lastIndexOf("\n", MAX_CHARS - 200);
            sb.setLength(Math.max(0, cut));
            if (fenceCount(sb) % 2 == 1) {
                sb.append("\n```");
            }
            sb.append("\n\n_(report cut at ").append(MAX_CHARS).append(" characters)_\n");
        }
        return sb.toString();
    }

    private static void finding(StringBuilder sb, Finding f, int n, int total) {
        sb.append(n > 1 ? "\n" : "").append("## ").append(total > 1 ? n + ". " : "").append("Hang: ")
                .append(text(f.title())).append("\n\n");
        sb.append("`").append(inline(f.category() == null ? "other" : f.category().id())).append("` · `")
                .append(inline(f.signature())).append("` · confidence ")
                .append(String.format(Locale.ROOT, "%.2f", f.confidence())).append("\n\n");
        sb.append("**Blocker:** ").append(code(f.blocker()));
        if (f.rootCauseResource() != null) {
            sb.append(" — waits for ").append(text(f.rootCauseResource()));
        }
        sb.append("  \n**Victims:** ");
        if (f.victims().isEmpty()) {
            sb.append("none named in the evidence");
        } else {
            sb.append(f.victims().size()).append(" task(s): ");
            int i = 0;
            for (TaskRef v : f.victims()) {
                if (i == MAX_VICTIMS_NAMED) {
                    sb.append(", +").append(f.victims().size() - MAX_VICTIMS_NAMED).append(" more");
                    break;
                }
                sb.append(i++ == 0 ? "" : ", ").append(code(v.toString()));
            }
        }
        sb.append("\n\n");
        if (f.explanation() != null && !f.explanation().isBlank()) {
            String t = f.explanation().strip();
            int p = t.indexOf("\n\n");
            sb.append("**Why:** ");
            for (CommandSpans.Span s : CommandSpans.backticks((p > 0 ? t.substring(0, p) : t).replaceAll("\\s*\\n\\s*", " "))) {
                sb.append(s.code() ? code(s.text()) : text(s.text()));
            }
            sb.append("\n\n");
        }
        if (!f.chain().isEmpty()) {
            sb.append("**Wait-for chain:**\n\n");
            f.chain().stream().limit(MAX_CHAIN).forEach(c -> sb.append("- ").append(text(clip(c))).append('\n'));
            if (f.chain().size() > MAX_CHAIN) {
                sb.append("- … ").append(f.chain().size() - MAX_CHAIN).append(" more\n");
            }
            sb.append('\n');
        }
        if (!f.remediation().isEmpty()) {
            sb.append("**What to do:**\n\n");
            int i = 0;
            for (String step : f.remediation()) {
                sb.append(++i).append(". ");
                for (CommandSpans.Span s : CommandSpans.split(step)) {
                    sb.append(s.code() ? code(s.text()) : text(s.text()));
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        fix(sb, f.fix());
    }

    private static void fix(StringBuilder sb, Finding.Fix fix) {
        if (fix == null || fix.kernels().isEmpty() && fix.commits().isEmpty() && fix.links().isEmpty()) {
            return;
        }
        sb.append("**Fix:**\n\n");
        fix.kernels().forEach(k -> sb.append("- kernel: ").append(text(k)).append('\n'));
        for (String c : fix.commits()) {
            String hash = c.strip().split("\\s+", 2)[0];
            if (hash.matches("[0-9a-f]{7,40}")) {
                sb.append("- commit [").append(hash).append("](https://git.kernel.org/linus/").append(hash).append(')')
                        .append(text(c.strip().substring(hash.length()))).append('\n');
            } else {
                sb.append("- commit ").append(text(c)).append('\n');
            }
        }
        for (String l : fix.links()) {
            String href = Html.safeHref(l);
            sb.append("- ").append(href == null || href.contains(">") || href.contains(" ") ? text(l) : "<" + href + ">")
                    .append('\n');
        }
        sb.append('\n');
    }

    private static void stacks(StringBuilder sb, List<StackGroup> groups) {
        if (groups.isEmpty()) {
            return;
        }
        int tasks = groups.stream().mapToInt(StackGroup::count).sum();
        sb.append("\n### Stacks (").append(groups.size()).append(" group(s) of ").append(tasks).append(" task(s)")
                .append(groups.size() > MAX_GROUPS ? ", top " + MAX_GROUPS + " shown" : "").append(")\n");
        for (StackGroup g : groups.subList(0, Math.min(MAX_GROUPS, groups.size()))) {
            sb.append("\n**").append(g.role() == null ? "" : "[" + text(g.role()) + "] ").append(g.count()).append("× ")
                    .append(text(g.state().letter())).append("** ").append(code(g.headline())).append(" — ");
            int i = 0;
            for (TaskRef t : g.tasks()) {
                if (i == 5) {
                    sb.append(", +").append(g.tasks().size() - 5).append(" more");
                    break;
                }
                sb.append(i++ == 0 ? "" : ", ").append(code(t.toString()));
            }
            sb.append('\n');
            if (g.waitsFor() != null) {
                sb.append("waits for ").append(text(g.waitsFor())).append('\n');
            }
            sb.append('\n');
            block(sb, g.frames().stream().limit(MAX_FRAMES).map(Frame::toString).map(MarkdownReport::clip).toList(),
                    g.frames().size() > MAX_FRAMES ? "… " + (g.frames().size() - MAX_FRAMES) + " more frame(s)" : null);
        }
    }

    /** A fenced block whose fence is longer than any backtick run inside, so quoted text cannot close it. */
    private static void block(StringBuilder sb, List<String> lines, String tail) {
        int run = 2;
        for (String l : lines) {
            run = Math.max(run, longestBacktickRun(l));
        }
        String fence = "`".repeat(run + 1);
        sb.append(fence).append("text\n");
        lines.forEach(l -> sb.append(l).append('\n'));
        if (tail != null) {
            sb.append(tail).append('\n');
        }
        sb.append(fence).append('\n');
    }

    /** Inline code that survives backticks in the content. */
    static String code(String s) {
        String v = inline(s);
        if (v.isEmpty()) {
            return "`?`";
        }
        String ticks = "`".repeat(longestBacktickRun(v) + 1);
        String pad = v.startsWith("`") || v.endsWith("`") ? " " : "";
        return ticks + pad + v + pad + ticks;
    }

    private static String inline(String s) {
        return s == null ? "" : clip(s.replace('\n', ' ').replace('\r', ' '));
    }

    /**
     * Prose with Markdown's active characters escaped: a task name must not become a link, a heading, emphasis or
     * HTML. Underscores inside a word (task_struct) cannot start emphasis in CommonMark, so they stay readable.
     */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 8);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                sb.append(' ');
            } else if (c == '_') {
                int j = i;
                while (j < n && s.charAt(j) == '_') {
                    j++;
                }
                boolean edge = i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1))
                        || j == n || !Character.isLetterOrDigit(s.charAt(j));
                for (int k = i; k < j; k++) {
                    sb.append(edge ? "\\_" : "_");
                }
                i = j - 1;
            } else if ("\\`*[]<~".indexOf(c) >= 0 || (i == 0 && "#>+-".indexOf(c) >= 0)
                    || (c == '&' && i + 1 < n && (Character.isLetter(s.charAt(i + 1)) || s.charAt(i + 1) == '#'))) {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int longestBacktickRun(String s) {
        int best = 0;
        int cur = 0;
        for (int i = 0; i < s.length(); i++) {
            cur = s.charAt(i) == '`' ? cur + 1 : 0;
            best = Math.max(best, cur);
        }
        return best;
    }

    private static int fenceCount(CharSequence sb) {
        int count = 0;
        String s = sb.toString();
        for (String line : s.split("\n", -1)) {
            if (line.startsWith("```")) {
                count++;
            }
        }
        return count;
    }

    private static String clip(String s) {
        return s.length() <= MAX_LINE ? s : s.substring(0, MAX_LINE - 1) + "…";
    }
}
