package dev.hangdoctor.parse;

import java.util.LinkedHashMap;
import java.util.Map;

/** Small allocation-free readers of kernel message text (numbers, "comm:pid" pairs, key=value lists). */
final class KernelMessageText {
    private KernelMessageText() {
    }

    /** The unsigned decimal starting at {@code from}, or -1 when there is none (or it overflows an int). */
    static int intAt(String s, int from) {
        long v = longAt(s, from);
        return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /** The unsigned decimal starting at {@code from}, or -1. */
    static long longAt(String s, int from) {
        if (from < 0) {
            return -1;
        }
        long v = 0;
        int i = from;
        int n = s.length();
        while (i < n && i - from < 18) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            i++;
        }
        return i == from ? -1 : v;
    }

    /** Index just past the decimal digits starting at {@code from}. */
    static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /**
     * Index of the ':' that separates comm from pid in "comm:pid" occupying [from, to): the last one, since a
     * comm may hold colons ("kworker/3:1", "runc:[2:INIT]"). -1 when what follows it is not all digits.
     */
    static int pidColon(String s, int from, int to) {
        int colon = s.lastIndexOf(':', to - 1);
        if (colon < from || colon + 1 >= to) {
            return -1;
        }
        for (int i = colon + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return colon;
    }

    /**
     * "k1=v1,k2=v2,..." into a map; a piece without '=' belongs to the value before it (bitmap lists such as
     * "mems_allowed=0,2" and cgroup paths may hold commas).
     */
    static Map<String, String> commaKeyValues(String s, int from, int to) {
        Map<String, String> out = new LinkedHashMap<>();
        String lastKey = null;
        int i = from;
        while (i < to) {
            int comma = s.indexOf(',', i);
            if (comma < 0 || comma > to) {
                comma = to;
            }
            int eq = s.indexOf('=', i);
            if (eq >= 0 && eq < comma) {
                lastKey = s.substring(i, eq);
                out.put(lastKey, s.substring(eq + 1, comma));
            } else if (lastKey != null) {
                out.put(lastKey, out.get(lastKey) + "," + s.substring(i, comma));
            }
            i = comma + 1;
        }
        return out;
    }

    /** The text between {@code from} and the next space (or the end). */
    static String word(String s, int from) {
        int sp = s.indexOf(' ', from);
        return s.substring(from, sp < 0 ? s.length() : sp);
    }

    /** The value with a trailing "kB" (and any ',' or '.') taken off. */
    static String trimUnit(String v) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ',' || v.charAt(end - 1) == '.')) {
            end--;
        }
        if (end >= 2 && v.regionMatches(true, end - 2, "kB", 0, 2)) {
            end -= 2;
        }
        return v.substring(0, end);
    }
}
