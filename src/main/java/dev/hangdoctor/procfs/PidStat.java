package dev.hangdoctor.procfs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * /proc/PID/stat and /proc/PID/task/TID/stat: the one parser of a stat line, over raw bytes. {@code comm} lies
 * between the first '(' and the LAST ')' (a name may hold ')' or spaces) and is decoded lossily, since a name is
 * bytes and need not be UTF-8. A field the kernel did not print (old kernels print fewer) reads as absent, never 0.
 */
public final class PidStat {
    // 1-based field numbers from proc(5); field 3 (state) is the first after comm
    static final int PPID = 4;
    static final int FLAGS = 9;
    static final int UTIME = 14;
    static final int STIME = 15;
    static final int NUM_THREADS = 20;
    static final int STARTTIME = 22;
    static final int PROCESSOR = 39;

    /** A field's value when the line did not hold it as a number. */
    public static final long ABSENT = Long.MIN_VALUE;

    private PidStat() {
    }

    /** The stat file of a process under a proc root ("/proc" live, a bundle's proc/ otherwise). */
    public static Path path(Path procRoot, int pid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("stat");
    }

    /** The stat file of one thread of a process. */
    public static Path taskPath(Path procRoot, int pid, int tid) {
        return procRoot.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)).resolve("stat");
    }

    /** One parsed line; the numbers are null when the line was cut short. */
    public record Fields(int pid, String comm, char state, Integer ppid, Long flags, Long utime, Long stime,
                         Integer numThreads, Long startTime, Integer processor) {
    }

    /** Parses a stat line read as text; null when it is not one. */
    public static Fields parse(String text) {
        if (text == null) {
            return null;
        }
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        return parse(raw, 0, raw.length);
    }

    /** Parses a stat line from {@code buf[off, off + len)}; null when it is not one. */
    public static Fields parse(byte[] buf, int off, int len) {
        Cursor c = new Cursor();
        if (!c.parse(buf, off, len) || c.pid == ABSENT || c.pid > Integer.MAX_VALUE || c.pid < Integer.MIN_VALUE) {
            return null;
        }
        return new Fields((int) c.pid, c.comm(buf), c.state, asInt(c.ppid), asLong(c.flags), asLong(c.utime),
                asLong(c.stime), asInt(c.numThreads), asLong(c.startTime), asInt(c.processor));
    }

    private static Long asLong(long v) {
        return v == ABSENT ? null : v;
    }

    private static Integer asInt(long v) {
        return v == ABSENT || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : (int) v;
    }

    /**
     * The parse in place, into a reusable holder: the agent reads thousands of stat files a second and builds no
     * object for any of them (comm stays a byte range of the caller's buffer).
     */
    public static final class Cursor {
        long pid;
        int commFrom;
        int commTo;
        char state;
        long ppid;
        long flags;
        long utime;
        long stime;
        long numThreads;
        long startTime;
        long processor;

        /** Parses buf[off, off + len); false when it is not a stat line (the fields are then undefined). */
        public boolean parse(byte[] buf, int off, int len) {
            return parse(buf, off, len, PROCESSOR);
        }

        /**
         * Parses only as far as starttime (field 22): state, num_threads and starttime are all the sampler needs,
         * and the seventeen fields after it would cost a walk over half the line for every thread every interval.
         */
        public boolean parseThroughStartTime(byte[] buf, int off, int len) {
            return parse(buf, off, len, STARTTIME);
        }

        private boolean parse(byte[] buf, int off, int len, int lastField) {
            int end = off + len;
            int open = -1;
            for (int i = off; i < end; i++) {
                if (buf[i] == '(') {
                    open = i;
                    break;
                }
            }
            if (open < 0) {
                return false;
            }
            int close = -1;
            for (int i = end - 1; i > open; i--) {
                if (buf[i] == ')') {
                    close = i;
                    break;
                }
            }
            if (close < 0) {
                return false;
            }
            int p = off;
            while (p < open && isSpace(buf[p])) {
                p++;
            }
            int q = open;
            while (q > p && isSpace(buf[q - 1])) {
                q--;
            }
            pid = number(buf, p, q);
            commFrom = open + 1;
            commTo = close;
            ppid = ABSENT;
            flags = ABSENT;
            utime = ABSENT;
            stime = ABSENT;
            numThreads = ABSENT;
            startTime = ABSENT;
            processor = ABSENT;
            int i = close + 1;
            int field = 2;
            while (field < lastField) {
                while (i < end && isSpace(buf[i])) {
                    i++;
                }
                if (i >= end) {
                    break;
                }
                int from = i;
                while (i < end && !isSpace(buf[i])) {
                    i++;
                }
                field++;
                switch (field) {
                    case 3 -> state = (char) (buf[from] & 0xff);
                    case NUM_THREADS -> numThreads = number(buf, from, i);
                    case STARTTIME -> startTime = number(buf, from, i);
                    default -> {
                        // the sampler's walk (to starttime) leaves the fields only the full parse needs
                        if (lastField == PROCESSOR) {
                            switch (field) {
                                case PPID -> ppid = number(buf, from, i);
                                case FLAGS -> flags = number(buf, from, i);
                                case UTIME -> utime = number(buf, from, i);
                                case STIME -> stime = number(buf, from, i);
                                case PROCESSOR -> processor = number(buf, from, i);
                                default -> { }
                            }
                        }
                    }
                }
            }
            return field >= 3;
        }

        /** The process id before the comm, or {@link #ABSENT}. */
        public long pid() {
            return pid;
        }

        /** Where comm starts in the parsed buffer. */
        public int commFrom() {
            return commFrom;
        }

        /** Where comm ends (exclusive) in the parsed buffer. */
        public int commTo() {
            return commTo;
        }

        /** comm decoded lossily: a name is bytes, and a byte that is not UTF-8 must not fail the read. */
        public String comm(byte[] buf) {
            return new String(buf, commFrom, commTo - commFrom, StandardCharsets.UTF_8);
        }

        /** The state letter (field 3). */
        public char state() {
            return state;
        }

        /** num_threads (field 20), or {@link #ABSENT}. */
        public long numThreads() {
            return numThreads;
        }

        /** starttime (field 22, clock ticks since boot), or {@link #ABSENT}. */
        public long startTime() {
            return startTime;
        }

        /** utime (field 14, clock ticks), or {@link #ABSENT}. */
        public long utime() {
            return utime;
        }

        /** stime (field 15, clock ticks), or {@link #ABSENT}. */
        public long stime() {
            return stime;
        }
    }

    /** What the regex class \\s matches. */
    private static boolean isSpace(byte c) {
        // most bytes are digits, above ' ': one comparison rules them out (\t \n \v \f \r are 9 to 13)
        return c <= ' ' && (c == ' ' || c >= '\t' && c <= '\r');
    }

    /** A decimal number with an optional sign in buf[from, to), or {@link #ABSENT} (also on overflow). */
    private static long number(byte[] buf, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (buf[i] == '-' || buf[i] == '+')) {
            negative = buf[i] == '-';
            i++;
        }
        if (i >= to) {
            return ABSENT;
        }
        // 18 digits cannot overflow a long: only longer numbers pay for the check
        boolean mayOverflow = to - i > 18;
        long v = 0;
        for (; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9 || mayOverflow && v > (Long.MAX_VALUE - d) / 10) {
                return ABSENT;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
