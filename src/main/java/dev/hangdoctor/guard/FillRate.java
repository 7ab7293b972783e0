package dev.hangdoctor.guard;

/**
 * How fast one cgroup's usage grows, from the samples the guard takes: an exponentially weighted average over about
 * {@code tau}, and the rate of the last interval. The guard uses the larger, so a hog that just started is seen at
 * once and one quiet sample (the hog was not scheduled) does not hide a steady fill.
 */
final class FillRate {
    private final double tauNanos;
    private long lastNanos = Long.MIN_VALUE;
    private long lastBytes;
    private double average;
    private double last;

    FillRate(long tauNanos) {
        this.tauNanos = tauNanos;
    }

    /** Adds the usage read at {@code nanos} (System.nanoTime()). */
    void add(long nanos, long bytes) {
        if (lastNanos == Long.MIN_VALUE) {
            lastNanos = nanos;
            lastBytes = bytes;
            return;
        }
        long dt = nanos - lastNanos;
        if (dt <= 0) {
            return;
        }
        last = (bytes - lastBytes) * 1e9 / dt;
        double alpha = 1 - Math.exp(-dt / tauNanos);
        average += alpha * (last - average);
        lastNanos = nanos;
        lastBytes = bytes;
    }

    /** Bytes per second the usage grows at; negative while it shrinks. */
    double bytesPerSecond() {
        return Math.max(average, last);
    }

    double average() {
        return average;
    }

    /** Forgets the history: after a kill the usage falls as the victim exits, which says nothing about the rest. */
    void reset() {
        lastNanos = Long.MIN_VALUE;
        average = 0;
        last = 0;
    }
}
