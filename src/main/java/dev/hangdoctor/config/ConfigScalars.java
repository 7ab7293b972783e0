package dev.hangdoctor.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;
import java.time.Duration;

/**
 * The scalar kinds config keys take, as Jackson deserializers over the one text converter of each kind
 * ({@link DurationText}, {@link ByteSizeText}), so a bad value is reported with its key path and line.
 */
public final class ConfigScalars {
    private ConfigScalars() {
    }

    /** A duration whose bare number is seconds ("10s", "1m", "3"). */
    public static final class Seconds extends DurationScalar {
        public Seconds() {
            super("s");
        }
    }

    /** A duration whose bare number is milliseconds ("250ms", "500us", "20"). */
    public static final class Millis extends DurationScalar {
        public Millis() {
            super("ms");
        }
    }

    /** A duration through {@link DurationText}; subclasses fix the unit of a bare number. */
    abstract static class DurationScalar extends Scalar<Duration> {
        private final String bareUnit;

        DurationScalar(String bareUnit) {
            super(Duration.class);
            this.bareUnit = bareUnit;
        }

        @Override
        Duration parse(String text, String key) {
            return DurationText.parse(text, bareUnit, key);
        }
    }

    /** A byte count ("512MiB", "2GiB", "1048576"). */
    public static final class ByteSize extends Scalar<Long> {
        public ByteSize() {
            super(Long.class);
        }

        @Override
        Long parse(String text, String key) {
            return ByteSizeText.parse(text, key);
        }
    }

    /** A fraction in (0, 1] written as "0.9" or "90%" (operators write both). */
    public static final class Fraction extends Scalar<Double> {
        public Fraction() {
            super(Double.class);
        }

        @Override
        Double parse(String text, String key) {
            String s = text.trim();
            try {
                return s.endsWith("%") ? Double.parseDouble(s.substring(0, s.length() - 1).trim()) / 100
                        : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a fraction like 0.9 or 90%, not '" + text + "'");
            }
        }
    }

    /** Reads one scalar as text and converts it; a mapping or list where a scalar belongs is an error too. */
    abstract static class Scalar<T> extends StdScalarDeserializer<T> {
        Scalar(Class<T> type) {
            super(type);
        }

        abstract T parse(String text, String key);

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String key = ConfigYaml.path(p, ctxt);
            if (!p.currentToken().isScalarValue()) {
                throw new ConfigValueException(p, key + " must be a single value");
            }
            try {
                return parse(p.getText(), key);
            } catch (IllegalArgumentException e) {
                throw new ConfigValueException(p, e.getMessage());
            }
        }
    }
}
