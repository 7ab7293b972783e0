package dev.hangdoctor.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.time.Duration;
import java.util.List;

/**
 * The node agent's YAML file as written: every key optional (null = the default), unknown keys refused by
 * {@link ConfigYaml}. The agent's defaults and checks are applied when it turns this into its runtime config.
 */
public record WatchSettings(
        @JsonDeserialize(using = ConfigScalars.Seconds.class) Duration interval,
        @JsonDeserialize(using = ConfigScalars.Seconds.class) Duration stuckAfter,
        String listen,
        String stateDir,
        Integer threadReadsPerInterval,
        Scan scan,
        Kmsg kmsg,
        Retention retention,
        Remediate remediate,
        Api api,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> rules,
        GuardSettings guard) {

    /** {@code scan:} when and how full scans run. */
    public record Scan(
            @JsonDeserialize(using = ConfigScalars.Seconds.class) Duration window,
            @JsonDeserialize(using = ConfigScalars.Seconds.class) Duration deadline,
            @JsonDeserialize(using = ConfigScalars.Seconds.class) Duration rescanEvery,
            @JsonDeserialize(using = ConfigScalars.Seconds.class) Duration cooldown,
            Integer resolveAfter) {
    }

    /** {@code kmsg:} the kernel log followed; device "off" or false for none. */
    public record Kmsg(String device, @JsonDeserialize(using = ConfigScalars.Seconds.class) Duration hold) {
    }

    /** {@code retention:} how many incidents and bytes are kept. */
    public record Retention(Integer maxIncidents, @JsonDeserialize(using = ConfigScalars.ByteSize.class) Long maxBytes) {
    }

    /** {@code remediate:} automatic remedies, per knowledge-base signature. */
    public record Remediate(Boolean enabled,
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> signatures) {
    }

    /** {@code api:} whether the HTTP API may act, and the bearer token's file. */
    public record Api(Boolean allowActions, String tokenFile) {
    }
}
