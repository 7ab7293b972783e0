package dev.hangdoctor.diagnose.audit;

import dev.hangdoctor.diagnose.Category;
import dev.hangdoctor.diagnose.Finding;

import java.util.List;

/**
 * One known hang this host's kernel is exposed to: the rule, the range its release falls in and why that matters,
 * where the bug is fixed, and the host facts that make it likelier ({@code factors}, in words).
 */
public record HostExposure(
        String signature,
        Category category,
        String title,
        String range,
        ExposureVerdict verdict,
        String why,
        String note,
        Finding.Fix fix,
        List<String> factors) {

    public HostExposure {
        factors = List.copyOf(factors);
        fix = fix == null ? new Finding.Fix(List.of(), List.of(), List.of(), null) : fix;
    }
}
