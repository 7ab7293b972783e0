package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.audit.AuditResult;
import dev.hangdoctor.diagnose.audit.ExposureVerdict;
import dev.hangdoctor.diagnose.audit.HostExposure;
import dev.hangdoctor.diagnose.audit.RiskySetting;
import dev.hangdoctor.diagnose.Finding;

/** The terminal view of an audit: the kernel, each exposure, each risky setting, and a closing verdict line. */
public final class AuditTextView {
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[1;33m";
    private static final String GREEN = "\u001b[32m";
    private static final String RESET = "\u001b[0m";

    private final boolean colour;

    public AuditTextView(boolean colour) {
        this.colour = colour;
    }

    public String render(AuditResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append("kernel: ").append(r.kernelRelease() == null ? "unknown" : r.kernelRelease()).append("\n\n");
        if (r.exposures().isEmpty()) {
            sb.append("known hangs: none of the knowledge base's version ranges holds this kernel\n");
        } else {
            sb.append("known hangs this kernel is exposed to: ").append(r.exposures().size()).append('\n');
            for (HostExposure e : r.exposures()) {
                String mark = e.verdict() == ExposureVerdict.EXPOSED ? paint(RED, "exposed") : paint(YELLOW, "still reported");
                sb.append("  ").append(mark).append("  ").append(e.signature()).append(" (").append(e.category().id())
                        .append(")\n");
                line(sb, "what", e.title());
                line(sb, "why", e.why());
                if (e.note() != null) {
                    line(sb, "note", e.note());
                }
                String fix = fix(e.fix());
                if (!fix.isEmpty()) {
                    line(sb, "fixed", fix);
                }
                for (String f : e.factors()) {
                    line(sb, "here", f);
                }
            }
        }
        sb.append('\n');
        if (r.settings().isEmpty()) {
            sb.append("settings: none of the checked settings makes a hang worse\n");
        } else {
            sb.append("settings that make a hang worse: ").append(r.settings().size()).append('\n');
            for (RiskySetting s : r.settings()) {
                sb.append("  ").append(paint(RED, "risky")).append("  ").append(s.key()).append(" = ").append(s.value());
                if (!s.where().isEmpty()) {
                    sb.append(" (in ").append(String.join(", ", s.where())).append(')');
                }
                sb.append('\n');
                line(sb, "why", s.risk());
                line(sb, "instead", s.recommended());
            }
        }
        sb.append('\n');
        if (r.problemFound()) {
            sb.append(paint(RED, "host at risk: " + r.exposures().size() + " known hang(s), " + r.settings().size()
                    + " risky setting(s)")).append('\n');
        } else {
            sb.append(paint(GREEN, "nothing found: no known hang for this kernel, no risky setting")).append('\n');
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String text) {
        sb.append("      ").append(label).append(':').append(" ".repeat(Math.max(1, 9 - label.length())))
                .append(text.replace('\n', ' ')).append('\n');
    }

    private static String fix(Finding.Fix f) {
        StringBuilder fx = new StringBuilder();
        if (!f.kernels().isEmpty()) {
            fx.append(String.join(", ", f.kernels()));
        }
        if (!f.commits().isEmpty()) {
            fx.append(fx.length() > 0 ? "; " : "").append("commits ").append(String.join(", ", f.commits()));
        }
        if (!f.links().isEmpty()) {
            fx.append(fx.length() > 0 ? "; " : "").append(String.join(" ", f.links()));
        }
        return fx.toString();
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
