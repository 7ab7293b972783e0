package dev.hangdoctor.watch;

/**
 * The few fields of one /proc/PID/stat (or task/TID/stat) line the cheap sampler needs: comm, state letter,
 * num_threads (field 20) and starttime (field 22, clock ticks since boot; with the tid it names a task across pid
 * reuse). Pure and allocation-light: it runs for every thread every interval.
 */
public record StatLine(String comm, char state, int numThreads, long startTime) {

    /** Parses one stat line; null when it is not one. The comm ends at the last ')', since a name may hold one. */
    public static StatLine parse(String text) {
        if (text == null) {
            return null;
        }
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= text.length()) {
            return null;
        }
        String comm = text.substring(open + 1, close);
        int i = close + 2;
        char state = text.charAt(i);
        // fields after the state: 4 ppid ... 20 num_threads, 21 itrealvalue, 22 starttime
        int field = 3;
        long threads = -1;
        long start = -1;
        int n = text.length();
        while (i < n && field < 22) {
            // skip to the next field
            while (i < n && text.charAt(i) != ' ') {
                i++;
            }
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            field++;
            if (field == 20 || field == 22) {
                long v = 0;
                boolean digits = false;
                while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                    v = v * 10 + (text.charAt(i) - '0');
                    i++;
                    digits = true;
                }
                if (!digits) {
                    return null;
                }
                if (field == 20) {
                    threads = v;
                } else {
                    start = v;
                }
            }
        }
        if (start < 0 || threads < 0) {
            return null;
        }
        return new StatLine(comm, state, (int) Math.min(threads, Integer.MAX_VALUE), start);
    }

    /**
     * The same fields parsed in place from a stat file's bytes, into this reusable holder: the agent reads
     * thousands of stat files a second and builds no String for any of them (comm stays a byte range).
     */
    public static final class Bytes {
        int commFrom;
        int commTo;
        char state;
        int numThreads;
        long startTime;

        /** Parses buf[off, off + len); false when it is not a stat line (the fields are then undefined). */
        boolean parse(byte[] buf, int off, int len) {
            int end = off + len;
            int open = -1;
            for (int i = off; i < end; i++) {
                if (buf[i] == '(') {
                    open = i;
                    break;
                }
            }
            int close = -1;
            for (int i = end - 1; i > open; i--) {
                if (buf[i] == ')') {
                    close = i;
                    break;
                }
            }
            if (open < 0 || close < 0 || close + 2 >= end) {
                return false;
            }
            commFrom = open + 1;
            commTo = close;
            int i = close + 2;
            state = (char) (buf[i] & 0xff);
            int field = 3;
            long threads = -1;
            long start = -1;
            while (i < end && field < 22) {
                while (i < end && buf[i] != ' ') {
                    i++;
                }
                while (i < end && buf[i] == ' ') {
                    i++;
                }
                field++;
                if (field == 20 || field == 22) {
                    long v = 0;
                    int from = i;
                    while (i < end && buf[i] >= '0' && buf[i] <= '9' && i - from < 19) {
                        v = v * 10 + (buf[i] - '0');
                        i++;
                    }
                    if (i == from) {
                        return false;
                    }
                    if (field == 20) {
                        threads = v;
                    } else {
                        start = v;
                    }
                }
            }
            if (start < 0 || threads < 0) {
                return false;
            }
            numThreads = (int) Math.min(threads, Integer.MAX_VALUE);
            startTime = start;
            return true;
        }
    }
}
