package dev.hangdoctor.watch;

import dev.hangdoctor.report.DashboardPage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last hour of cheap samples for the dashboard: D-state task count, 1-minute load and memory PSI (some avg10),
 * one slot per bucket in a ring allocated once. A bucket is the sample interval, or {@link #SPAN}/{@link #MAX_POINTS}
 * when the interval is shorter, so memory stays fixed whatever the interval. Samples that share a bucket keep their
 * maximum: a hang's spike must not be averaged away by the quiet seconds around it.
 */
public final class Timeline {
    /** How far back the dashboard looks. */
    public static final Duration SPAN = Duration.ofHours(1);
    /** Most buckets kept: 5 s buckets for an hour. */
    static final int MAX_POINTS = 720;

    private final long bucketMillis;
    private final long[] bucket;
    private final int[] dTasks;
    private final double[] load1;
    private final double[] memory;
    private int head;
    private int size;

    public Timeline(Duration interval) {
        long floor = SPAN.toMillis() / MAX_POINTS;
        this.bucketMillis = Math.max(floor, Math.max(1, interval.toMillis()));
        // one more slot than the span needs: the newest bucket is usually still filling
        int capacity = (int) Math.min(MAX_POINTS, (SPAN.toMillis() + bucketMillis - 1) / bucketMillis) + 1;
        this.bucket = new long[capacity];
        this.dTasks = new int[capacity];
        this.load1 = new double[capacity];
        this.memory = new double[capacity];
    }

    /** Width of one point on the timeline. */
    public Duration bucket() {
        return Duration.ofMillis(bucketMillis);
    }

    /** Slots allocated; never grows. */
    int capacity() {
        return bucket.length;
    }

    /** Records one sample; values that were not readable are null (NaN inside). */
    public synchronized void add(Instant at, int d, Double load, Double memorySome10) {
        long b = Math.floorDiv(at.toEpochMilli(), bucketMillis);
        double l = load == null ? Double.NaN : load;
        double m = memorySome10 == null ? Double.NaN : memorySome10;
        if (size > 0) {
            int last = (head + size - 1) % bucket.length;
            if (bucket[last] == b) {
                dTasks[last] = Math.max(dTasks[last], d);
                load1[last] = max(load1[last], l);
                memory[last] = max(memory[last], m);
                return;
            }
            if (b < bucket[last]) {
                // the wall clock stepped back: the old points would draw out of order
                size = 0;
                head = 0;
            }
        }
        int slot;
        if (size < bucket.length) {
            slot = (head + size) % bucket.length;
            size++;
        } else {
            slot = head;
            head = (head + 1) % bucket.length;
        }
        bucket[slot] = b;
        dTasks[slot] = d;
        load1[slot] = l;
        memory[slot] = m;
    }

    /** The points of the last {@link #SPAN} before {@code now}, oldest first, each at its bucket's start. */
    public synchronized List<DashboardPage.Point> points(Instant now) {
        long from = Math.floorDiv(now.minus(SPAN).toEpochMilli(), bucketMillis);
        List<DashboardPage.Point> out = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            int i = (head + k) % bucket.length;
            if (bucket[i] < from) {
                continue;
            }
            out.add(new DashboardPage.Point(Instant.ofEpochMilli(bucket[i] * bucketMillis), dTasks[i],
                    Double.isNaN(load1[i]) ? null : load1[i], Double.isNaN(memory[i]) ? null : memory[i]));
        }
        return out;
    }

    private static double max(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        return Double.isNaN(b) ? a : Math.max(a, b);
    }

    @Override
    public synchronized String toString() {
        return "Timeline[bucket " + bucketMillis + " ms, " + size + "/" + bucket.length + " points]";
    }
}
