package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;
import dev.hangdoctor.diagnose.Finding;
import dev.hangdoctor.diagnose.StackGroup;
import dev.hangdoctor.diagnose.TaskRef;
import dev.hangdoctor.model.Frame;

import java.util.List;
import java.util.Map;

/** The terminal view of a diagnosis: the verdict first (what hangs, who blocks, why, what to do), then the evidence. */
public final class TerminalReport {
    private static final int MAX_GROUPS = 12;
    private static final int MAX_FRAMES = 14;
    private static final int MAX_NAMED = 6;
    private static final int WIDTH = 116;

    private final boolean colour;

    public TerminalReport(boolean colour) {
        this.colour = colour;
    }

    public String render(Diagnosis d) {
        StringBuilder sb = new StringBuilder();
        if (!d.hangFound()) {
            sb.append(c("32;1", "No hang found.")).append(' ')
                    .append(d.taskCount()).append(" task(s) read");
            appendStates(sb, d.tasksByState());
            sb.append(".\n");
        }
        int n = 0;
        for (Finding f : d.findings()) {
            n++;
            verdict(sb, f, n, d.findings().size());
        }
        if (d.hangFound()) {
            sb.append('\n').append(c("1", "Wait-for chain")).append('\n');
            boolean any = false;
            for (Finding f : d.findings()) {
                for (String line : f.chain()) {
                    sb.append("  ").append(line).append('\n');
                    any = true;
                }
            }
            if (!any) {
                sb.append("  (no task waits on another in this evidence)\n");
            }
        }
        stacks(sb, d);
        if (!d.logLines().isEmpty()) {
            sb.append('\n').append(c("1", "Kernel log")).append('\n');
            d.logLines().forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        if (!d.history().isEmpty()) {
            sb.append('\n').append(c("1", "History (kernel messages about hangs that are over; not a hang now)"))
                    .append('\n');
            d.history().forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        if (!d.goroutines().isEmpty()) {
            sb.append('\n').append(c("1", "Stuck goroutines (user-space callers)")).append('\n');
            d.goroutines().forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        sb.append('\n').append(c("2", "Evidence: " + (d.formats().isEmpty() ? "none recognised" : String.join(", ", d.formats()))
                + "; kernel " + (d.kernelVersion() == null ? "unknown" : d.kernelVersion()) + "; "
                + d.taskCount() + " task(s)")).append('\n');
        return sb.toString();
    }

    private void verdict(StringBuilder sb, Finding f, int n, int total) {
        String head = (total > 1 ? n + ". " : "") + "HANG: " + f.title();
        sb.append(c("31;1", head)).append(c("2", "  [" + f.category().id() + ", " + f.signature() + ", confidence "
                + f.confidence() + "]")).append('\n');
        sb.append("  blocker: ").append(c("1", f.blocker()));
        if (f.rootCauseResource() != null) {
            sb.append(" — waits for ").append(f.rootCauseResource());
        }
        sb.append('\n');
        if (!f.victims().isEmpty()) {
            sb.append("  victims: ").append(f.victims().size()).append(" task(s): ").append(names(f.victims())).append('\n');
        }
        String pods = dev.hangdoctor.diagnose.FindingPods.line(f);
        if (pods != null) {
            sb.append("  pods:    ").append(wrap(pods, 11)).append('\n');
        }
        if (f.explanation() != null && !f.explanation().isBlank()) {
            sb.append("  why:     ").append(wrap(firstParagraph(f.explanation()), 11)).append('\n');
        }
        int i = 0;
        for (String step : f.remediation()) {
            sb.append(i == 0 ? "  do:      " : "           ").append(++i).append(". ").append(wrap(step, 14)).append('\n');
        }
        Finding.Fix fix = f.fix();
        if (fix != null && (!fix.kernels().isEmpty() || !fix.commits().isEmpty() || !fix.links().isEmpty())) {
            StringBuilder fx = new StringBuilder();
            if (!fix.kernels().isEmpty()) {
                fx.append(String.join(", ", fix.kernels()));
            }
            if (!fix.commits().isEmpty()) {
                fx.append(fx.length() > 0 ? "; " : "").append("commits ").append(String.join(", ", fix.commits()));
            }
            if (!fix.links().isEmpty()) {
                fx.append(fx.length() > 0 ? "; " : "").append(String.join(" ", fix.links()));
            }
            sb.append("  fixed:   ").append(wrap(fx.toString(), 11)).append('\n');
        }
        if (!f.evidence().isEmpty()) {
            sb.append("  seen:    ").append(f.evidence().get(0)).append('\n');
            f.evidence().stream().skip(1).limit(7).forEach(e -> sb.append("           ").append(e).append('\n'));
        }
    }

    private void stacks(StringBuilder sb, Diagnosis d) {
        List<StackGroup> groups = d.stackGroups();
        if (groups.isEmpty()) {
            return;
        }
        int tasks = groups.stream().mapToInt(StackGroup::count).sum();
        sb.append('\n').append(c("1", "Stacks")).append(c("2", " (" + groups.size() + " group(s) of " + tasks + " task(s))"))
                .append('\n');
        int shown = 0;
        for (StackGroup g : groups) {
            if (shown == MAX_GROUPS) {
                sb.append("  ... ").append(groups.size() - shown).append(" more group(s); --json has them all\n");
                break;
            }
            shown++;
            String role = g.role() == null ? "" : "[" + g.role() + "] ";
            String code = "blocker".equals(g.role()) ? "31;1" : "victim".equals(g.role()) ? "33" : "0";
            sb.append("  ").append(c(code, role + g.count() + "× " + g.state().letter() + " " + g.headline()))
                    .append("  ").append(names(g.tasks())).append('\n');
            if (g.waitsFor() != null) {
                sb.append("      waits for ").append(g.waitsFor()).append('\n');
            }
            int k = 0;
            for (Frame f : g.frames()) {
                if (k++ == MAX_FRAMES) {
                    sb.append("      ... ").append(g.frames().size() - MAX_FRAMES).append(" more\n");
                    break;
                }
                sb.append("      ").append(f).append('\n');
            }
        }
    }

    private static void appendStates(StringBuilder sb, Map<String, Integer> byState) {
        if (!byState.isEmpty()) {
            sb.append(" (");
            boolean first = true;
            for (Map.Entry<String, Integer> e : byState.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
                first = false;
            }
            sb.append(')');
        }
    }

    private static String names(List<TaskRef> refs) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (TaskRef r : refs) {
            if (i == MAX_NAMED) {
                sb.append(", +").append(refs.size() - MAX_NAMED).append(" more");
                break;
            }
            sb.append(i++ == 0 ? "" : ", ").append(r);
        }
        return sb.toString();
    }

    /** Wraps prose at {@link #WIDTH} columns, continuation lines indented to {@code indent}; words are never split. */
    static String wrap(String text, int indent) {
        StringBuilder out = new StringBuilder();
        int col = indent;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (col > indent && col + 1 + word.length() > WIDTH) {
                out.append('\n').append(" ".repeat(indent));
                col = indent;
            } else if (col > indent) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }

    private static String firstParagraph(String text) {
        String t = text.strip();
        int p = t.indexOf("\n\n");
        return (p > 0 ? t.substring(0, p) : t).replaceAll("\\s*\n\\s*", " ");
    }

    private String c(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
