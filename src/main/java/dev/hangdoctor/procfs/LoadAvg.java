package dev.hangdoctor.procfs;

import java.nio.file.Path;

/**
 * /proc/loadavg: `0.33 0.09 0.03 1/92 5014`, the 1, 5 and 15 minute load averages (tasks running or in D),
 * runnable/total scheduling entities and the last pid handed out.
 */
public final class LoadAvg {
    private LoadAvg() {
    }

    /** The file under a proc root. */
    public static Path path(Path procRoot) {
        return procRoot.resolve("loadavg");
    }

    /** The 1-minute load average, or null when the text does not start with a number. */
    public static Double load1(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        int sp = s.indexOf(' ');
        try {
            return Double.parseDouble(sp < 0 ? s : s.substring(0, sp));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The last field, the pid most recently handed out to a new task (process or thread), or -1. */
    public static long lastPid(String text) {
        if (text == null) {
            return -1;
        }
        String s = text.strip();
        int sp = s.lastIndexOf(' ');
        if (sp < 0 || s.indexOf('/') < 0 || s.length() - sp - 1 > 9) {
            return -1;
        }
        long v = 0;
        for (int i = sp + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return sp + 1 < s.length() ? v : -1;
    }
}
