package dev.hangdoctor.diagnose.audit;

import dev.hangdoctor.diagnose.kb.Exposure;
import dev.hangdoctor.diagnose.kb.KernelVersion;
import dev.hangdoctor.diagnose.kb.KnowledgeBase;
import dev.hangdoctor.diagnose.kb.Rule;
import dev.hangdoctor.diagnose.kb.VersionRange;
import dev.hangdoctor.model.Evidence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a host before it hangs: which known hangs of the knowledge base its kernel release is exposed to (by the
 * rules' version ranges), which host facts make them likelier, and which settings make any hang worse.
 * Pure: it reads only the evidence (a live scan or a saved bundle) it is given.
 */
public final class Auditor {
    private final KnowledgeBase kb;
    private final SettingsTable settings;

    public Auditor(KnowledgeBase kb, SettingsTable settings) {
        this.kb = kb;
        this.settings = settings;
    }

    /** Audits a host scan: its kernel release, sysctls, cgroups and FUSE connections. */
    public AuditResult audit(Evidence ev) {
        List<String> warnings = new ArrayList<>(kb.errors());
        warnings.addAll(ev.warnings());
        return audit(ev.host().kernelRelease(), AuditFacts.from(ev), warnings);
    }

    /** Audits a release and facts given directly; {@code warnings} are carried into the result first. */
    public AuditResult audit(String release, AuditFacts facts, List<String> warnings) {
        List<String> warn = new ArrayList<>(warnings);
        List<HostExposure> exposures = new ArrayList<>();
        KernelVersion version = null;
        if (release == null || release.isBlank()) {
            warn.add("kernel release unknown (no proc/sys/kernel/osrelease): known hangs by kernel version not checked");
        } else {
            version = KernelVersion.tryParse(release);
            if (version == null) {
                warn.add("kernel release '" + release + "' is not a version hangdoctor understands: "
                        + "known hangs by kernel version not checked");
            }
        }
        Map<String, Rule> ruleOf = new HashMap<>();
        if (version != null) {
            for (Rule r : kb.rules()) {
                HostExposure e = exposure(r, release, version, facts);
                if (e != null) {
                    exposures.add(e);
                    ruleOf.put(r.id(), r);
                }
            }
        }
        Set<String> superseded = new HashSet<>();
        for (HostExposure e : exposures) {
            superseded.addAll(ruleOf.get(e.signature()).supersedes());
        }
        exposures.removeIf(e -> superseded.contains(e.signature()));
        exposures.sort(Comparator.comparing(HostExposure::verdict)
                .thenComparing(e -> ruleOf.get(e.signature()).severity())
                .thenComparing(HostExposure::signature));
        return new AuditResult(release, exposures, riskySettings(facts), warn);
    }

    private static HostExposure exposure(Rule r, String release, KernelVersion v, AuditFacts facts) {
        Exposure x = r.exposure();
        List<VersionRange> affected = x.ranges().isEmpty() ? r.kernelRanges() : x.ranges();
        VersionRange hit = first(affected, v);
        ExposureVerdict verdict = ExposureVerdict.EXPOSED;
        String why;
        if (hit != null) {
            why = release + " is in " + hit + ", the kernels this bug is known in";
        } else {
            hit = first(x.stillReported(), v);
            if (hit == null) {
                return null;
            }
            verdict = ExposureVerdict.STILL_REPORTED;
            why = release + " is past the upstream fix, but in " + hit + ", where the same hang is still reported";
        }
        List<String> factors = new ArrayList<>();
        for (Exposure.RiskFactor f : x.factors()) {
            String value = facts.value(f.fact());
            Long n = value == null ? null : ValueTest.parseLong(value.strip());
            if (n != null && n >= f.atLeast()) {
                factors.add(f.says().replace("{value}", value.strip()));
            }
        }
        return new HostExposure(r.id(), r.category(), r.title(), hit.toString(), verdict, why, x.note(), r.fix(),
                factors);
    }

    private static VersionRange first(List<VersionRange> ranges, KernelVersion v) {
        for (VersionRange range : ranges) {
            if (range.contains(v)) {
                return range;
            }
        }
        return null;
    }

    private List<RiskySetting> riskySettings(AuditFacts facts) {
        List<RiskySetting> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (SettingRule s : settings.rules()) {
            if (reported.contains(s.key())) {
                continue;
            }
            String value = facts.value(s.key());
            if (value != null && s.when().test(value)) {
                reported.add(s.key());
                out.add(new RiskySetting(s.key(), value.strip(), s.risk(), s.recommended(), facts.where(s.key())));
            }
        }
        return out;
    }
}
