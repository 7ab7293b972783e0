package dev.hangdoctor.guard;

import dev.hangdoctor.config.ConfigYaml;
import dev.hangdoctor.config.GuardSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OOM guard's settings, from the agent's YAML "guard:" section ({@link #from}) or a {@link Builder} in tests.
 * Acting needs an explicit {@code dryRun: false}; a section that only says {@code enabled: true} logs what it would do.
 */
public final class GuardConfig {
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

    /** Reads the YAML "guard:" section as a parsed map (null is the defaults, disabled). */
    public static GuardConfig fromMap(Map<String, Object> section) {
        return from(ConfigYaml.bind(section, GuardSettings.class, "guard"));
    }

    /** Validates and compiles the bound "guard:" section (null is the defaults, disabled). */
    public static GuardConfig from(GuardSettings s) {
        Builder b = new Builder();
        if (s == null) {
            return b.build();
        }
        if (s.enabled() != null) {
            b.enabled(s.enabled());
        }
        if (s.dryRun() != null) {
            b.dryRun(s.dryRun());
        }
        if (s.cgroups() != null) {
            for (String pattern : s.cgroups()) {
                try {
                    b.cgroup(String.valueOf(pattern));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("guard.cgroups: " + e.getMessage());
                }
            }
        }
        if (s.threshold() != null) {
            b.threshold(s.threshold());
        }
        if (s.horizon() != null) {
            b.horizon(s.horizon());
        }
        if (s.interval() != null) {
            b.interval(s.interval());
        }
        if (s.cooldown() != null) {
            b.cooldown(s.cooldown());
        }
        b.prefer.addAll(ProcessRule.listFrom(s.prefer(), "guard.prefer"));
        b.avoid.addAll(ProcessRule.listFrom(s.avoid(), "guard.avoid"));
        b.protect.addAll(ProcessRule.listFrom(s.protect(), "guard.protect"));
        return b.build();
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
