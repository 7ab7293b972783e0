package dev.hangdoctor.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them in flags and config files: "500us", "250ms", "2s", "1.5s", "2m", "1h". */
public final class DurationText {
    private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|h)?");

    private DurationText() {
    }

    /**
     * Parses {@code text}; a bare number is in {@code bareUnit} ("ms" or "s"). Throws IllegalArgumentException with one
     * line naming {@code what} when the text is not a duration.
     */
    public static Duration parse(String text, String bareUnit, String what) {
        Matcher m = P.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (examples: 250ms, 2s, 1m)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? bareUnit : m.group(2);
        double micros = switch (unit) {
            case "us" -> n;
            case "ms" -> n * 1_000;
            case "m" -> n * 60_000_000;
            case "h" -> n * 3_600_000_000.0;
            default -> n * 1_000_000;
        };
        return Duration.ofNanos(Math.round(micros * 1000));
    }
}
