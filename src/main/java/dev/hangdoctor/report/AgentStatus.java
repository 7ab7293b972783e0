package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent's API shows of its state: health for {@code /healthz}, the last sample and diagnosis for
 * {@code /api/diagnosis}. The agent builds it from its own sample type, so the views need nothing from {@code watch}.
 *
 * @param sample    null until the first sample
 * @param scannedAt null until the first full scan
 * @param diagnosis null until the first full scan
 */
public record AgentStatus(boolean healthy, long lastSampleAgeMs, int openIncidents, SampleCounts sample,
                          Instant scannedAt, Diagnosis diagnosis) {

    /**
     * The counts of one cheap sample.
     *
     * @param byState tasks per state letter, in the order they are shown
     * @param load1   null where /proc/loadavg could not be read
     * @param triggers why the sample asked for a full scan, one reason each
     */
    public record SampleCounts(int tasks, Map<String, Integer> byState, int stuckTasks, int fuseWaiting,
                               int memcgsUnderOom, long uffdPending, Double load1, List<String> triggers) {
        public SampleCounts {
            byState = Collections.unmodifiableMap(new LinkedHashMap<>(byState));
            triggers = List.copyOf(triggers);
        }
    }
}
