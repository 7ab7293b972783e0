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
}
