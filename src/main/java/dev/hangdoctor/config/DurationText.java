package dev.hangdoctor.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in flags and config files: "500us", "250ms", "2s", "1.5s", "2m", "1h", and
 * compound, largest unit first, as Go and Prometheus write them: "1m30s", "1h2m", "2s500ms".
 */
public final class DurationText {
    private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|h)?");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s|m|h)");
    private static final java.util.List<String> ORDER = java.util.List.of("h", "m", "s", "ms", "us");

    private DurationText() {
    }

    /**
     * Parses {@code text}; a bare number is in {@code bareUnit} ("ms" or "s"). Throws IllegalArgumentException with one
     * line naming {@code what} when the text is not a duration.
     */
    public static Duration parse(String text, String bareUnit, String what) {
        String t = text == null ? "" : text.trim();
        Matcher m = P.matcher(t);
        if (!m.matches()) {
            return compound(t, text, what);
        }
        return Duration.ofNanos(Math.round(micros(Double.parseDouble(m.group(1)),
                m.group(2) == null ? bareUnit : m.group(2)) * 1000));
    }

    /** "1m30s": parts with units, each unit at most once, largest first. */
    private static Duration compound(String t, String text, String what) {
        Matcher p = PART.matcher(t);
        int at = 0;
        int lastUnit = -1;
        double micros = 0;
        while (at < t.length() && p.find(at) && p.start() == at) {
            int unit = ORDER.indexOf(p.group(2));
            if (unit <= lastUnit) {
                break; // "30s1m" or "1s1s": not a duration
            }
            lastUnit = unit;
            micros += micros(Double.parseDouble(p.group(1)), p.group(2));
            at = p.end();
        }
        if (at != t.length() || lastUnit < 0) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (examples: 250ms, 2s, 1m30s)");
        }
        return Duration.ofNanos(Math.round(micros * 1000));
    }

    private static double micros(double n, String unit) {
        return switch (unit) {
            case "us" -> n;
            case "ms" -> n * 1_000;
            case "m" -> n * 60_000_000;
            case "h" -> n * 3_600_000_000.0;
            default -> n * 1_000_000;
        };
    }
}
