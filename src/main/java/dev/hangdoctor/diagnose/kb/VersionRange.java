package dev.hangdoctor.diagnose.kb;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of kernel versions written as ops people write it: "A <= v <= B", "A <= v < B", "v < B", "v >= A",
 * "A < v", "v == A". Either bound may be absent.
 */
public final class VersionRange {
    private static final Pattern TWO_SIDED =
            Pattern.compile("^\\s*(\\S+)\\s*(<=|<)\\s*v\\s*(<=|<)\\s*(\\S+)\\s*$");
    private static final Pattern RIGHT = Pattern.compile("^\\s*v\\s*(<=|<|>=|>|==|=)\\s*(\\S+)\\s*$");
    private static final Pattern LEFT = Pattern.compile("^\\s*(\\S+)\\s*(<=|<|>=|>|==|=)\\s*v\\s*$");

    private final String text;
    private final KernelVersion low;
    private final boolean lowInclusive;
    private final KernelVersion high;
    private final boolean highInclusive;

    private VersionRange(String text, KernelVersion low, boolean lowInclusive, KernelVersion high, boolean highInclusive) {
        this.text = text;
        this.low = low;
        this.lowInclusive = lowInclusive;
        this.high = high;
        this.highInclusive = highInclusive;
    }

    /** Parses a range; throws IllegalArgumentException with a message naming what is wrong. */
    public static VersionRange parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("empty version range");
        }
        Matcher m = TWO_SIDED.matcher(s);
        if (m.matches()) {
            KernelVersion lo = version(m.group(1), s);
            KernelVersion hi = version(m.group(4), s);
            if (lo.compareTo(hi) > 0) {
                throw new IllegalArgumentException("version range '" + s + "' is empty: " + lo + " is above " + hi);
            }
            return new VersionRange(s.trim(), lo, m.group(2).equals("<="), hi, m.group(3).equals("<="));
        }
        m = RIGHT.matcher(s);
        if (m.matches()) {
            return oneSided(s, m.group(1), version(m.group(2), s));
        }
        m = LEFT.matcher(s);
        if (m.matches()) {
            // "A <= v" is "v >= A"
            String op = switch (m.group(2)) {
                case "<=" -> ">=";
                case "<" -> ">";
                case ">=" -> "<=";
                case ">" -> "<";
                default -> m.group(2);
            };
            return oneSided(s, op, version(m.group(1), s));
        }
        throw new IllegalArgumentException("bad version range '" + s
                + "' (write it like \"3.10.0-862.el7 <= v <= 3.10.0-1160.el7\", \"v < 5.4\" or \"v >= 6.3\")");
    }

    private static VersionRange oneSided(String s, String op, KernelVersion v) {
        return switch (op) {
            case "<=" -> new VersionRange(s.trim(), null, false, v, true);
            case "<" -> new VersionRange(s.trim(), null, false, v, false);
            case ">=" -> new VersionRange(s.trim(), v, true, null, false);
            case ">" -> new VersionRange(s.trim(), v, false, null, false);
            default -> new VersionRange(s.trim(), v, true, v, true);
        };
    }

    private static KernelVersion version(String v, String range) {
        try {
            return KernelVersion.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad version range '" + range + "': " + e.getMessage());
        }
    }

    public boolean contains(KernelVersion v) {
        if (low != null) {
            int c = v.compareTo(low);
            if (c < 0 || (c == 0 && !lowInclusive)) {
                return false;
            }
        }
        if (high != null) {
            int c = v.compareTo(high);
            if (c > 0 || (c == 0 && !highInclusive)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
