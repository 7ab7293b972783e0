package dev.hangdoctor.procfs;

import java.util.LinkedHashMap;
import java.util.Map;

/** Flat keyed cgroup files (`key value` a line: memory.oom_control, memory.events, memory.stat, cpu.stat). */
final class FlatKeyed {
    /** Keys kept at most: memory.stat, the longest, has about 70; a garbled file must not grow without bound. */
    private static final int MAX_KEYS = 256;

    private FlatKeyed() {
    }

    /** Each line's number by its key, in file order; lines without a number are skipped. */
    static Map<String, Long> parse(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        int start = 0;
        while (start < text.length() && out.size() < MAX_KEYS) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int sp = text.indexOf(' ', start);
            if (sp > start && sp < end) {
                Long v = ProcNumbers.parseLong(text.substring(sp + 1, end));
                if (v != null) {
                    out.put(text.substring(start, sp), v);
                }
            }
            start = end + 1;
        }
        return out;
    }
}
