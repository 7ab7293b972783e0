package dev.hangdoctor.cli;

import dev.hangdoctor.config.DurationText;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** Reads durations the way operators type them: "2s", "500ms", "1.5s", "2m", "0". */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return DurationText.parse(value, "s", "duration");
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (examples: 2s, 500ms, 1m)");
        }
    }
}
