package dev.hangdoctor.guard;

/**
 * When the guard must act on a cgroup: pure arithmetic on usage, limit and fill rate. It acts when usage is at or
 * above the threshold and the fill rate reaches the limit within the horizon, or, at any usage, when the limit is
 * less than three polling intervals away: by its next look, give or take a late wake-up, it would be too late. A
 * flat or falling usage (page cache held at the limit, a settled process) is never a reason to kill.
 */
public final class LimitForecast {
    private LimitForecast() {
    }

    /** Seconds until usage reaches the limit at {@code bytesPerSecond}; infinite when it is not growing. */
    public static double secondsToLimit(long usage, long limit, double bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(0, limit - usage) / bytesPerSecond;
    }

    /** Why the guard must act now, or null when it need not. */
    public static String due(long usage, long limit, double bytesPerSecond, double threshold, long horizonNanos,
                             long intervalNanos) {
        if (limit <= 0) {
            return null;
        }
        double eta = secondsToLimit(usage, limit, bytesPerSecond);
        if (!Double.isFinite(eta)) {
            return null;
        }
        double etaNanos = eta * 1e9;
        String rate = Math.round(bytesPerSecond / (1 << 20)) + " MiB/s";
        if (usage >= threshold * limit && etaNanos <= horizonNanos) {
            return "usage " + percent(usage, limit) + " of the limit (threshold " + Math.round(threshold * 100)
                    + "%), full in " + millis(eta) + " at " + rate;
        }
        if (etaNanos <= 3.0 * intervalNanos) {
            return "usage " + percent(usage, limit) + " of the limit, full in " + millis(eta) + " at " + rate
                    + ": sooner than the guard looks again";
        }
        return null;
    }

    private static String percent(long usage, long limit) {
        return Math.round(100.0 * usage / limit) + "%";
    }

    private static String millis(double seconds) {
        return seconds < 0.01 ? String.format(java.util.Locale.ROOT, "%.1f ms", seconds * 1000)
                : Math.round(seconds * 1000) + " ms";
    }
}
