package dev.hangdoctor.diagnose.audit;

import java.util.List;

/** What `hangdoctor audit` found: the kernel release, the known hangs it is exposed to and the risky settings. */
public record AuditResult(String kernelRelease, List<HostExposure> exposures, List<RiskySetting> settings,
                          List<String> warnings) {
    public AuditResult {
        exposures = List.copyOf(exposures);
        settings = List.copyOf(settings);
        warnings = List.copyOf(warnings);
    }

    /** True when the host is exposed to a known hang or has a setting that makes one worse. */
    public boolean problemFound() {
        return !exposures.isEmpty() || !settings.isEmpty();
    }
}
