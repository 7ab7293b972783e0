package dev.hangdoctor.guard;

import dev.hangdoctor.config.DurationText;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OOM guard's settings, from the agent's YAML "guard:" section ({@link #fromMap}) or a {@link Builder} in tests.
 * Acting needs an explicit {@code dryRun: false}; a section that only says {@code enabled: true} logs what it would do.
 */
public final class GuardConfig {
    private static final Set<String> KEYS = Set.of("enabled", "dryRun", "cgroups", "threshold", "horizon", "interval",
            "cooldown", "prefer", "avoid", "protect");

    private final boolean enabled;
    private final boolean dryRun;
    private final List<CgroupGlob> cgroups;
    private final double threshold;
    private final Duration horizon;
    private final Duration interval;
    private final Duration cooldown;
    private final Duration rescan;
    private final List<ProcessRule> prefer;
    private final List<ProcessRule> avoid;
    private final List<ProcessRule> protect;

    private GuardConfig(Builder b) {
        enabled = b.enabled;
        dryRun = b.dryRun;
        cgroups = List.copyOf(b.cgroups);
        threshold = b.threshold;
        horizon = b.horizon;
        interval = b.interval;
        cooldown = b.cooldown;
        rescan = b.rescan;
        prefer = List.copyOf(b.prefer);
        avoid = List.copyOf(b.avoid);
        protect = List.copyOf(b.protect);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("guard.threshold must be a fraction of the limit in (0, 1], not " + threshold);
        }
        positive("horizon", horizon);
        positive("interval", interval);
        positive("rescan", rescan);
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("guard.cooldown must not be negative");
        }
        if (enabled && cgroups.isEmpty()) {
            throw new IllegalArgumentException("guard.cgroups is empty: name the cgroups to guard (e.g. \"/docker/*\")");
        }
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("guard." + key + " must be a positive duration");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the YAML "guard:" section (a map; null is the defaults, disabled). */
    public static GuardConfig fromMap(Map<String, Object> section) {
        Builder b = new Builder();
        if (section == null) {
            return b.build();
        }
        for (String k : section.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("guard: unknown key '" + k + "' (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        Object v;
        if ((v = section.get("enabled")) != null) {
            b.enabled(bool("enabled", v));
        }
        if ((v = section.get("dryRun")) != null) {
            b.dryRun(bool("dryRun", v));
        }
        if ((v = section.get("cgroups")) != null) {
            List<?> list = v instanceof List<?> l ? l : List.of(v);
            for (Object o : list) {
                if (o == null || o instanceof Map || o instanceof List) {
                    throw new IllegalArgumentException("guard.cgroups must be a list of paths or patterns");
                }
                try {
                    b.cgroup(String.valueOf(o));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("guard.cgroups: " + e.getMessage());
                }
            }
        }
        if ((v = section.get("threshold")) != null) {
            b.threshold(fraction(v));
        }
        if ((v = section.get("horizon")) != null) {
            b.horizon(duration("horizon", v));
        }
        if ((v = section.get("interval")) != null) {
            b.interval(duration("interval", v));
        }
        if ((v = section.get("cooldown")) != null) {
            b.cooldown(duration("cooldown", v));
        }
        b.prefer.addAll(ProcessRule.listFrom(section.get("prefer"), "prefer"));
        b.avoid.addAll(ProcessRule.listFrom(section.get("avoid"), "avoid"));
        b.protect.addAll(ProcessRule.listFrom(section.get("protect"), "protect"));
        return b.build();
    }

    private static boolean bool(String key, Object v) {
        if (v instanceof Boolean x) {
            return x;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return s.equals("true");
        }
        throw new IllegalArgumentException("guard." + key + " must be true or false, not '" + v + "'");
    }

    private static double fraction(Object v) {
        String s = String.valueOf(v).trim();
        try {
            // "90%" reads as 0.9: operators write both
            return s.endsWith("%") ? Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100
                    : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("guard.threshold must be a fraction like 0.9 or 90%, not '" + v + "'");
        }
    }

    /** "250ms", "1s", "1.5s", "500us", "2m"; a bare number is milliseconds. */
    static Duration duration(String key, Object v) {
        return DurationText.parse(String.valueOf(v), "ms", "guard." + key);
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public List<CgroupGlob> cgroups() {
        return cgroups;
    }

    public double threshold() {
        return threshold;
    }

    public Duration horizon() {
        return horizon;
    }

    public Duration interval() {
        return interval;
    }

    public Duration cooldown() {
        return cooldown;
    }

    /** How often the cgroup patterns are matched against the hierarchy again (not a YAML key). */
    public Duration rescan() {
        return rescan;
    }

    public List<ProcessRule> prefer() {
        return prefer;
    }

    public List<ProcessRule> avoid() {
        return avoid;
    }

    public List<ProcessRule> protect() {
        return protect;
    }

    @Override
    public String toString() {
        return "guard{enabled=" + enabled + ", dryRun=" + dryRun + ", cgroups=" + cgroups + ", threshold=" + threshold
                + ", horizon=" + horizon.toMillis() + "ms, interval=" + interval.toNanos() / 1000 + "us, cooldown="
                + cooldown.toMillis() + "ms, prefer=" + prefer + ", avoid=" + avoid + ", protect=" + protect + "}";
    }

    /** Settings for tests and for code that builds a guard without YAML; the defaults are the YAML defaults. */
    public static final class Builder {
        private boolean enabled;
        private boolean dryRun = true;
        private final List<CgroupGlob> cgroups = new ArrayList<>();
        private double threshold = 0.9;
        private Duration horizon = Duration.ofMillis(250);
        private Duration interval = Duration.ofMillis(10);
        private Duration cooldown = Duration.ofSeconds(1);
        private Duration rescan = Duration.ofSeconds(1);
        private final List<ProcessRule> prefer = new ArrayList<>();
        private final List<ProcessRule> avoid = new ArrayList<>();
        private final List<ProcessRule> protect = new ArrayList<>();

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        public Builder dryRun(boolean v) {
            dryRun = v;
            return this;
        }

        public Builder cgroup(String pattern) {
            cgroups.add(CgroupGlob.parse(pattern));
            return this;
        }

        public Builder threshold(double v) {
            threshold = v;
            return this;
        }

        public Builder horizon(Duration v) {
            horizon = v;
            return this;
        }

        public Builder interval(Duration v) {
            interval = v;
            return this;
        }

        public Builder cooldown(Duration v) {
            cooldown = v;
            return this;
        }

        public Builder rescan(Duration v) {
            rescan = v;
            return this;
        }

        public Builder prefer(ProcessRule r) {
            prefer.add(r);
            return this;
        }

        public Builder avoid(ProcessRule r) {
            avoid.add(r);
            return this;
        }

        public Builder protect(ProcessRule r) {
            protect.add(r);
            return this;
        }

        /** Validates; throws IllegalArgumentException with one line naming the key. */
        public GuardConfig build() {
            return new GuardConfig(this);
        }
    }
}
