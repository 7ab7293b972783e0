package dev.hangdoctor.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.time.Duration;
import java.util.List;

/** The OOM guard's {@code guard:} section as written (null = the default); the guard validates and compiles it. */
public record GuardSettings(
        Boolean enabled,
        Boolean dryRun,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> cgroups,
        @JsonDeserialize(using = ConfigScalars.Fraction.class) Double threshold,
        @JsonDeserialize(using = ConfigScalars.Millis.class) Duration horizon,
        @JsonDeserialize(using = ConfigScalars.Millis.class) Duration interval,
        @JsonDeserialize(using = ConfigScalars.Millis.class) Duration cooldown,
        List<ProcessMatch> prefer,
        List<ProcessMatch> avoid,
        List<ProcessMatch> protect) {

    /** One prefer/avoid/protect entry: {@code {comm: REGEX, cgroup: PATTERN, user: NAME-OR-UID}}, any of them. */
    public record ProcessMatch(String comm, String cgroup, String user) {
    }
}
