package dev.hangdoctor.diagnose.kb;

import java.util.List;

/**
 * What an audit of a host (not of a hang) says about a rule: which kernels carry the bug ({@code ranges}; when empty
 * the rule's kernel ranges), which kernels are past the upstream fix yet still have reports of the same hang
 * ({@code stillReported}), a short note on where it is fixed, and host facts that make it more likely to strike.
 * Kept apart from {@code kernel:} because those ranges also weigh a diagnosis, and a version still reported after
 * its fix must not lower the confidence of a hang that is plainly there.
 */
public record Exposure(List<VersionRange> ranges, List<VersionRange> stillReported, String note,
                       List<RiskFactor> factors) {

    public Exposure {
        ranges = ranges == null ? List.of() : List.copyOf(ranges);
        stillReported = stillReported == null ? List.of() : List.copyOf(stillReported);
        factors = factors == null ? List.of() : List.copyOf(factors);
    }

    /** No exposure section: the rule's kernel ranges alone decide. */
    public static final Exposure NONE = new Exposure(List.of(), List.of(), null, List.of());

    /**
     * A host fact that makes the hang likelier: the numeric fact named {@code fact} (a sysctl key such as
     * "cgroup.cpu.quota_set", or one the audit derives) is at least {@code atLeast}. {@code says} is shown with
     * "{value}" replaced by the fact's value.
     */
    public record RiskFactor(String fact, long atLeast, String says) {
    }
}
