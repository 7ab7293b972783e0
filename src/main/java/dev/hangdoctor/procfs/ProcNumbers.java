package dev.hangdoctor.procfs;

/** Decimal fields of /proc and cgroup files: a number, or null for anything else (a file may be cut or garbled). */
public final class ProcNumbers {
    private ProcNumbers() {
    }

    /** The value of {@code s} (surrounding blanks allowed), or null when it is not a long. */
    public static Long parseLong(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The value of {@code s}, or null when it is not an int. */
    public static Integer parseInt(String s) {
        Long v = parseLong(s);
        return v == null || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : v.intValue();
    }
}
