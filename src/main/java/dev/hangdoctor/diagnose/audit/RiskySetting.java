package dev.hangdoctor.diagnose.audit;

import java.util.List;

/** A host setting whose current value makes a hang worse; {@code where} names the cgroups for per-cgroup settings. */
public record RiskySetting(String key, String value, String risk, String recommended, List<String> where) {
    public RiskySetting {
        where = List.copyOf(where);
    }
}
