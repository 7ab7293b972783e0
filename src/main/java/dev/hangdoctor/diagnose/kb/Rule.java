package dev.hangdoctor.diagnose.kb;

import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Finding;

import java.util.List;

/**
 * One known hang from the knowledge base: what reveals it (signals), which kernels have it, why it happens and
 * what ends it. {@code supersedes} names more generic rules this one explains better, so a report can drop them
 * when both match. {@code source} is the file the rule came from. {@code exposure} says how an audit of a healthy
 * host reads the rule (never null). A {@code fallback} rule is only reported when no other rule is;
 * {@code maxConfidence} (or null) caps what a rule may claim, for rules resting on a report's words rather than on
 * what the kernel printed. A {@code handedInOnly} rule matches only evidence handed in as the report of a hang (analyze
 * of files), never a live scan or the node agent: what it reads is no hang of its own, only the likeliest story of
 * what a user called one.
 */
public record Rule(
        String id,
        String title,
        Category category,
        Severity severity,
        List<VersionRange> kernelRanges,
        boolean kernelRequired,
        List<Signal> signals,
        String explanation,
        Finding.Fix fix,
        List<String> remediation,
        List<String> supersedes,
        String source,
        Exposure exposure,
        List<String> actions,
        boolean needsDuration,
        boolean fallback,
        Double maxConfidence,
        boolean handedInOnly) {

    public Rule {
        exposure = exposure == null ? Exposure.NONE : exposure;
        actions = actions == null ? List.of() : List.copyOf(actions);
        kernelRanges = List.copyOf(kernelRanges);
        signals = List.copyOf(signals);
        remediation = List.copyOf(remediation);
        supersedes = List.copyOf(supersedes);
    }

    /** A rule without an exposure section (the shape rules had before `hangdoctor audit`). */
    public Rule(String id, String title, Category category, Severity severity, List<VersionRange> kernelRanges,
                boolean kernelRequired, List<Signal> signals, String explanation, Finding.Fix fix,
                List<String> remediation, List<String> supersedes, String source) {
        this(id, title, category, severity, kernelRanges, kernelRequired, signals, explanation, fix, remediation,
                supersedes, source, Exposure.NONE, List.of(), false, false, null, false);
    }

    /** Where the rule places this kernel release. */
    public KernelVerdict kernelVerdict(String release) {
        if (kernelRanges.isEmpty()) {
            return KernelVerdict.NOT_CONSTRAINED;
        }
        KernelVersion v = KernelVersion.tryParse(release);
        if (v == null) {
            return KernelVerdict.UNKNOWN;
        }
        for (VersionRange r : kernelRanges) {
            if (r.contains(v)) {
                return KernelVerdict.IN_RANGE;
            }
        }
        return KernelVerdict.OUT_OF_RANGE;
    }
}
