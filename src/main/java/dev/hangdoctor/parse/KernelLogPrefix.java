package dev.hangdoctor.parse;

import java.util.Set;

/**
 * Takes the log prefix off one line of kernel log, whatever tool wrote it, and names the style it found.
 *
 * <p>Styles and the {@code prefix} names reported (users see them as the detected format):
 * <ul>
 *   <li>{@code "dmesg"}: util-linux dmesg and vmcore-dmesg, {@code "[ 3891.873807] msg"}, with the raw level
 *       ({@code "<6>[ 3891.873807] msg"}, {@code dmesg -r}), the delta ({@code "[ 3891.873807 <    0.000012>] "},
 *       {@code dmesg -d}) and the caller id ({@code "[  125.351161][  T140] msg"}, CONFIG_PRINTK_CALLER).</li>
 *   <li>{@code "dmesg -T"}: wall-clock dmesg, {@code "[Sat Aug 29 06:32:19 2020] msg"}, and
 *       {@code --time-format iso} ({@code "2020-08-29T06:32:19,123456+08:00 msg"}).</li>
 *   <li>{@code "dmesg -H"}: human dmesg, {@code "[Aug29 06:32] msg"} / {@code "[  +0.000123] msg"}.</li>
 *   <li>{@code "dmesg -x"}: decoded dmesg, {@code "kern  :info  : [  123.400000] msg"}.</li>
 *   <li>{@code "talosctl dmesg"}: Talos Linux's kernel log, {@code "kern: warning: [2021-01-28T16:39:42.656944804Z]: msg"},
 *       with the node's name or address first where the CLI asked several ({@code "10.1.10.21: kern: ..."}).</li>
 *   <li>{@code "syslog"}: /var/log/messages, kern.log and {@code journalctl -k}'s default output (the two look
 *       alike), {@code "Aug 29 06:32:19 host kernel: msg"}, and rsyslog's RFC 3339 time
 *       ({@code "2020-08-29T06:32:19.123456+08:00 host kernel: msg"}). A {@code "[ 123.456] "} after
 *       {@code "kernel: "} is taken off too and gives the timestamp. Lines of other programs
 *       ({@code "host sshd[123]: msg"}) come back with the text after the tag.</li>
 *   <li>{@code "journalctl"}: the journal's own styles: {@code -o short-monotonic}
 *       ({@code "[ 3891.873807] host kernel: msg"}, no host with {@code --no-hostname}), {@code short-precise}
 *       ({@code "Aug 29 06:32:19.123456 host kernel: msg"}), {@code short-iso}
 *       ({@code "2020-08-29T06:32:19+0800 host kernel: msg"}),
 *       {@code short-full} ({@code "Sat 2020-08-29 06:32:19 CST host kernel: msg"}), {@code short-unix}
 *       ({@code "1598653939.123456 host kernel: msg"}), and its {@code "-- Logs begin at ... --"} /
 *       {@code "-- Boot ... --"} lines, which come back as message "".</li>
 *   <li>{@code "kmsg"}: raw /dev/kmsg records, {@code "6,1234,5678,-;msg"} (prio,seq,usec,flags[,more];msg).
 *       Their dictionary lines ({@code " SUBSYSTEM=pci"}, {@code " DEVICE=+pci:0000:00:01.0"}) come back as
 *       message "" with prefix {@code "kmsg-dict"} so that no parser reads them.</li>
 *   <li>{@code "none"}: anything else; the message is the line.</li>
 * </ul>
 * The message keeps its own leading whitespace ({@code "  ? __schedule+0x..."}): only the prefix and the one
 * space the prefix format itself adds are removed. A trailing '\r' is dropped. Timestamps are seconds since boot
 * where the prefix gives them (dmesg, kmsg, short-monotonic, syslog kernel lines with a dmesg stamp) and null
 * for wall-clock styles.
 *
 * <p>Every line of a log goes through here, so the checks are plain character tests and the only allocation is
 * the final substring and the result.
 */
public final class KernelLogPrefix {
    private static final String DMESG = "dmesg";
    private static final String DMESG_T = "dmesg -T";
    private static final String DMESG_H = "dmesg -H";
    private static final String DMESG_X = "dmesg -x";
    private static final String TALOS = "talosctl dmesg";
    private static final String SYSLOG = "syslog";
    private static final String JOURNAL = "journalctl";
    private static final String KMSG = "kmsg";
    private static final String KMSG_DICT = "kmsg-dict";
    private static final String NONE = "none";

    private KernelLogPrefix() {
    }

    /** Strips one line; never throws, whatever the bytes. */
    public static LogLine strip(String raw, long lineNo) {
        return strip(raw, lineNo, new Cut());
    }

    /**
     * The same, located into {@code cut}: a caller that keeps one {@link Cut} for its lines finds a line another
     * look of its own located just before already done ({@link #locate} remembers its last line).
     */
    static LogLine strip(String raw, long lineNo, Cut cut) {
        if (raw == null) {
            return new LogLine("", null, NONE, lineNo);
        }
        int end = raw.length();
        if (end > 0 && raw.charAt(end - 1) == '\r') {
            end--;
        }
        locate(raw, 0, end, cut);
        String m = cut.message >= end ? "" : cut.message == 0 && end == raw.length() ? raw
                : raw.substring(cut.message, end);
        return new LogLine(m, cut.timestamp(raw), cut.style, lineNo);
    }

    /**
     * Where the prefix of the line {@code s[from, end)} ends (a trailing '\r' already left out of {@code end}):
     * fills {@code cut} with the style and the message start, without allocating. {@link #strip} is this plus the
     * substring, so a caller that only needs to look at the message can skip the copy. The same line located into
     * the same {@code cut} again (the same string, from and end: a line's several looks before it is parsed) is not
     * read again: what {@code cut} holds is its answer.
     */
    static void locate(String s, int from, int end, Cut cut) {
        if (s == cut.text && from == cut.from && end == cut.end) {
            return;
        }
        cut.text = null; // (nothing is remembered while it is filled)
        locateAgain(s, from, end, cut);
        cut.text = s;
        cut.from = from;
        cut.end = end;
    }

    private static void locateAgain(String s, int from, int end, Cut cut) {
        cut.style = NONE;
        cut.message = from;
        cut.stampAt = -1;
        cut.usec = -1;
        cut.collector = false;
        if (end <= from) {
            cut.message = end;
            return;
        }
        boolean found = false;
        char c = s.charAt(from);
        if (c == '[') {
            found = stamps(s, from, end, null, true, cut);
        } else if (c == '<') {
            found = levelled(s, from, end, cut);
        } else if (c >= '0' && c <= '9') {
            found = numeric(s, from, end, cut);
        } else if (c >= 'A' && c <= 'Z') {
            found = capitalised(s, from, end, cut);
        } else if (c >= 'a' && c <= 'z') {
            found = decoded(s, from, end, cut);
        } else if (c == '-') {
            found = journalMarker(s, from, end, cut);
        } else if (c == ' ') {
            found = kmsgDictionary(s, from, end, cut);
        }
        if (!found && (c >= 'A' && c <= 'z' || c > 0x7f) && Character.isLetter(c)) {
            cut.stampAt = -1;
            cut.usec = -1;
            cut.collector = false;
            found = bracketLost(s, from, end, cut);
        }
        if (found && cut.message > from && !KMSG.equals(cut.style) && KernelNames.nameFirstAt(s, from, end, cut.dashes)) {
            // the line starts with a task's name (which any local user sets) that looks like a log prefix
            found = false;
            cut.stampAt = -1;
            cut.usec = -1;
            cut.collector = false;
        }
        if (!found) {
            cut.style = NONE;
            cut.message = from;
            cut.stampAt = -1;
            cut.usec = -1;
        }
    }

    /** What {@link #locate} found: the style, where the message starts, and where its timestamp is. */
    static final class Cut {
        String style;
        int message;
        /** The '[' of the first monotonic dmesg stamp, or -1. */
        int stampAt;
        /** A kmsg record's microseconds, or -1. */
        long usec;
        /** The prefix was a log collector's time alone, and what follows it no prefix the kernel's tools print. */
        boolean collector;
        /** Where the next '-' of the text is (a task's name before " invoked oom-killer: " is looked for by it). */
        final KernelNames.NextChar dashes = new KernelNames.NextChar('-');
        /** The line {@link #locate} filled this for last (its string, from and end), or null. */
        private String text;
        private int from;
        private int end;

        private Double timestamp(String s) {
            if (usec >= 0) {
                return usec / 1e6;
            }
            return stampAt >= 0 ? parseSeconds(s, stampAt + 1, s.length()) : null;
        }
    }

    // ---- dmesg stamps: "[ 3891.873807]", "[ 3891.873807 <    0.000012>]", "[Sat Aug 29 06:32:19 2020]",
    //      "[Aug29 06:32]", "[  +0.000123]", and the caller id "[  T140]" that may follow any of them

    private static final int NOT_STAMP = 0;
    private static final int MONOTONIC = 1;
    private static final int CTIME = 2;
    private static final int RELTIME = 3;
    private static final int CALLER = 4;

    /** Which stamp starts at {@code at} (a '['): one of the constants above. */
    private static int stampKind(String s, int at, int end) {
        if (at + 2 >= end) {
            return NOT_STAMP;
        }
        char c = s.charAt(at + 1);
        if (isUpper(c)) {
            return (c == 'T' || c == 'C') && isDigit(s.charAt(at + 2)) ? CALLER : CTIME;
        }
        if (isLower(c) || c > 0x7f && Character.isLetter(c)) {
            return CTIME; // dmesg -T in a locale of its own: "[三 3月 13 03:20:55 2024]", "[mer. mars 13 ...]"
        }
        int i = at + 1;
        while (i < end && s.charAt(i) == ' ') {
            i++;
        }
        if (i >= end) {
            return NOT_STAMP;
        }
        c = s.charAt(i);
        if (isDigit(c)) {
            return MONOTONIC;
        }
        if (c == '+') {
            return RELTIME;
        }
        return c == 'T' || c == 'C' ? CALLER : NOT_STAMP;
    }

    /**
     * Android vendor kernels print the wall clock after the monotonic seconds, inside the same brackets:
     * "[   79.822916 / 05-03 18:11:50.340]". {@code at} is the space after the seconds; the index after the ']', or -1.
     */
    private static int wallClockEnd(String s, int at, int end) {
        if (at + 3 >= end || s.charAt(at + 2) != ' ') {
            return -1;
        }
        boolean clock = false;
        for (int i = at + 3; i < end && i < at + 32; i++) {
            char c = s.charAt(i);
            if (c == ']') {
                return clock ? i + 1 : -1;
            }
            clock |= c == ':';
            if (!isDigit(c) && c != ':' && c != '-' && c != '.' && c != ' ') {
                return -1;
            }
        }
        return -1;
    }

    /** Index just after the stamp of that kind at {@code at}, or -1 when it is not well formed. */
    private static int stampEnd(String s, int at, int end, int kind) {
        switch (kind) {
            case MONOTONIC: {
                int i = at + 1;
                while (i < end && s.charAt(i) == ' ') {
                    i++;
                }
                int digits = i;
                while (i < end && isDigit(s.charAt(i))) {
                    i++;
                }
                if (i == digits || i >= end || s.charAt(i) != '.') {
                    return -1;
                }
                // the fraction may be empty: some consoles print "[  240.] "
                i++;
                while (i < end && isDigit(s.charAt(i))) {
                    i++;
                }
                if (i >= end) {
                    return -1;
                }
                if (s.charAt(i) == ' ' && i + 1 < end && s.charAt(i + 1) == '<') {
                    return deltaEnd(s, i, end);
                }
                if (s.charAt(i) == ' ' && i + 1 < end && s.charAt(i + 1) == '/') {
                    return wallClockEnd(s, i, end);
                }
                return s.charAt(i) == ']' ? i + 1 : -1;
            }
            case RELTIME: {
                // "[  +0.000123]" / "[ +12.000000]"
                int close = s.indexOf(']', at);
                return close < 0 || close > end || close - at > 16 ? -1 : close + 1;
            }
            case CTIME: {
                int b = at + 1;
                // "[Www Mmm dd hh:mm:ss yyyy]", the day space-padded (%e), optionally " <delta>" (dmesg -T -d)
                if (b + 25 <= end && s.charAt(b + 3) == ' ' && s.charAt(b + 7) == ' ' && s.charAt(b + 10) == ' '
                        && s.charAt(b + 13) == ':' && s.charAt(b + 16) == ':' && s.charAt(b + 19) == ' '
                        && isDigit(s.charAt(b + 20)) && isDigit(s.charAt(b + 23))) {
                    int i = b + 24;
                    if (s.charAt(i) == ' ' && i + 1 < end && s.charAt(i + 1) == '<') {
                        return deltaEnd(s, i, end);
                    }
                    return s.charAt(i) == ']' ? i + 1 : -1;
                }
                // "[Mmm dd hh:mm]" (dmesg -H at a new minute), the day as %e: "Aug29" or "Aug 9"
                if (b + 12 <= end && isLower(s.charAt(b + 1)) && isLower(s.charAt(b + 2)) && s.charAt(b + 5) == ' '
                        && s.charAt(b + 8) == ':' && s.charAt(b + 11) == ']' && isDigit(s.charAt(b + 4))) {
                    return b + 12;
                }
                int year = humanTimeEnd(s, b, end);
                if (year < 0 || year >= end) {
                    return -1;
                }
                if (s.charAt(year) == ' ' && year + 1 < end && s.charAt(year + 1) == '<') {
                    return deltaEnd(s, year, end);
                }
                return s.charAt(year) == ']' ? year + 1 : -1;
            }
            case CALLER: {
                int i = at + 1;
                while (i < end && s.charAt(i) == ' ') {
                    i++;
                }
                if (i >= end || (s.charAt(i) != 'T' && s.charAt(i) != 'C')) {
                    return -1;
                }
                int digits = ++i;
                while (i < end && isDigit(s.charAt(i))) {
                    i++;
                }
                return i == digits || i >= end || s.charAt(i) != ']' ? -1 : i + 1;
            }
            default:
                return -1;
        }
    }

    /**
     * dmesg -T's time in whatever locale printed it (util-linux formats it with strftime's {@code "%a %b %e %H:%M:%S
     * %Y"}): from {@code from}, the day and month names as two words of letters of any script, which may hold digits
     * or a dot ({@code "三 3月"}, {@code "Пт май"}, {@code "mer. mars"}), possibly padded with more spaces, then the
     * day of the month (one or two digits), {@code hh:mm:ss} and a four-digit year. Returns the index just past the
     * year, or -1. Bracketed prose has no such run of fields, so it is not taken for a stamp.
     */
    static int humanTimeEnd(String s, int from, int end) {
        int i = from;
        for (int word = 0; word < 2; word++) {
            int start = i;
            boolean letter = false;
            while (i < end && i - from < 24) {
                char c = s.charAt(i);
                if (Character.isLetter(c)) {
                    letter = true;
                } else if (!(c == '.' || isDigit(c))) {
                    break;
                }
                i++;
            }
            if (!letter || i - start > 12 || i >= end || s.charAt(i) != ' ') {
                return -1;
            }
            while (i < end && s.charAt(i) == ' ') {
                i++;
            }
        }
        int day = i;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == day || i - day > 2 || i + 14 > end || s.charAt(i) != ' ') {
            return -1;
        }
        int t = i + 1;
        if (isDigit(s.charAt(t)) && isDigit(s.charAt(t + 1)) && s.charAt(t + 2) == ':' && isDigit(s.charAt(t + 3))
                && isDigit(s.charAt(t + 4)) && s.charAt(t + 5) == ':' && isDigit(s.charAt(t + 6))
                && isDigit(s.charAt(t + 7)) && s.charAt(t + 8) == ' ' && isDigit(s.charAt(t + 9))
                && isDigit(s.charAt(t + 10)) && isDigit(s.charAt(t + 11)) && isDigit(s.charAt(t + 12))) {
            return t + 13;
        }
        return -1;
    }

    /**
     * A dmesg -T line whose opening '[' a copy lost ({@code "Wed May 31 00:03:20 2023] INFO: task ..."}, the first
     * line of a selection started one character late): the time as {@link #humanTimeEnd} reads it, then "]".
     */
    private static boolean bracketLost(String s, int from, int end, Cut cut) {
        int year = humanTimeEnd(s, from, end);
        if (year < 0 || year >= end || s.charAt(year) != ']') {
            return false;
        }
        int msg = year + 1 < end && s.charAt(year + 1) == ' ' ? year + 2 : year + 1;
        if (msg < end && s.charAt(msg) == '[' && stamps(s, msg, end, DMESG_T, false, cut)) {
            return true;
        }
        return message(afterLevelName(s, msg, end), DMESG_T, cut);
    }

    /** After " <" of a delta: the index past ">]", or -1. */
    private static int deltaEnd(String s, int from, int end) {
        int gt = s.indexOf(">]", from);
        return gt < 0 || gt + 2 > end || gt - from > 24 ? -1 : gt + 2;
    }

    /**
     * One or more dmesg stamps from {@code at}: dmesg may print several time formats and the caller id one after
     * the other ("[Jan13 04:31] [Tue Jan 13 04:31:07 2026] [T10489] msg"). The style is named after the first;
     * the first monotonic stamp gives the timestamp. Null when {@code at} holds no stamp. With {@code journal},
     * "host kernel: " after a monotonic stamp marks journalctl -o short-monotonic.
     */
    private static boolean stamps(String s, int at, int end, String forcedStyle, boolean journal, Cut cut) {
        int i = at;
        String style = forcedStyle;
        int ts = -1;
        boolean any = false;
        for (int n = 0; n < 4 && i < end && s.charAt(i) == '['; n++) {
            int kind = stampKind(s, i, end);
            if (kind == NOT_STAMP || (kind == CALLER && !any)) {
                break;
            }
            int after = stampEnd(s, i, end, kind);
            if (after < 0) {
                break;
            }
            if (kind == MONOTONIC && ts < 0) {
                ts = i;
            }
            if (style == null) {
                style = kind == MONOTONIC ? DMESG : kind == CTIME && after - i > 14 ? DMESG_T : DMESG_H;
            }
            if (any && (KernelNames.nameFirstAt(s, i, end, cut.dashes) || KernelNames.otherLeadingNameEnd(s, i, end) >= 0)) {
                break; // a task's name that looks like a stamp, at the start of a line the kernel starts with one
            }
            any = true;
            i = after;
            if (i + 1 < end && s.charAt(i) == ' ' && s.charAt(i + 1) == '[' && stampKind(s, i + 1, end) != NOT_STAMP
                    && stampEnd(s, i + 1, end, stampKind(s, i + 1, end)) > 0) {
                i++;
            }
        }
        if (!any) {
            return false;
        }
        int msg = i < end && s.charAt(i) == ' ' ? i + 1 : i;
        if (ts >= 0) {
            msg = afterBrokenStamp(s, afterRtCpu(s, msg, end), end);
        }
        if (KernelNames.nameFirstAt(s, msg, end, cut.dashes)) {
            // a line the kernel starts with a task's name: a level name or a tag there is the name's
            cut.stampAt = ts;
            return message(msg, style, cut);
        }
        int level = afterLevelName(s, msg, end);
        if (level != msg && KernelNames.otherLeadingNameEnd(s, msg, end) >= 0) {
            level = msg; // a name that looks like a level name ("ERR: x[5565]: segfault at 0 ...")
        }
        msg = level;
        cut.stampAt = ts;
        if (journal && ts >= 0 && style == DMESG) {
            int kernel = journalKernelTag(s, msg, end);
            if (kernel >= 0) {
                return message(kernel, JOURNAL, cut);
            }
        }
        return message(msg, style, cut);
    }

    /**
     * PREEMPT_RT kernels of the 5.0 to 5.9 series ("printk: add processor number to output" in the RT patch set)
     * print the CPU after the time as three digits, a colon and a space: {@code [  205.253023] 001: rcu: INFO: ...}.
     * The index past it, or {@code from} when there is none.
     */
    private static int afterRtCpu(String s, int from, int end) {
        if (from + 5 < end && isDigit(s.charAt(from)) && isDigit(s.charAt(from + 1)) && isDigit(s.charAt(from + 2))
                && s.charAt(from + 3) == ':' && s.charAt(from + 4) == ' ') {
            return from + 5;
        }
        return from;
    }

    /**
     * A second stamp that lost its opening bracket after a whole one, {@code [ 363.490265] 363.490244] INFO: task ...}
     * (a console retyped from a screen, two records run together): the index past it and its space, or {@code from}.
     * Only digits, one dot with 6 digits after it, and "] " make one, so a message of its own is never taken for it.
     */
    private static int afterBrokenStamp(String s, int from, int end) {
        int i = from;
        while (i < end && i - from < 8 && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == from || i >= end || s.charAt(i) != '.') {
            return from;
        }
        int frac = ++i;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
        }
        return i - frac == 6 && i + 1 < end && s.charAt(i) == ']' && s.charAt(i + 1) == ' ' ? i + 2 : from;
    }

    /**
     * journalctl -o short-monotonic puts "host kernel: " after the time: the message starts after it. Only
     * "kernel" is taken as the tag, so a dmesg line such as "usb usb1: ..." is not mistaken for one.
     */
    private static int journalKernelTag(String s, int from, int end) {
        if (s.startsWith("kernel: ", from)) {
            // --no-hostname; unless the kernel's line starts with a task's name that is "kernel: x" (as
            // KernelNames.nameFirstAt decides for the OOM killer's line before this is asked)
            return KernelNames.otherLeadingNameEnd(s, from, end) >= 0 ? -1 : from + 8;
        }
        // one pass up to the first space: a host name holds none of ":[(=", and most messages show one of them
        // ("ACPI: ...", "usb 1-1: ...") within a few characters, long before any space
        int sp = from;
        while (sp < end) {
            char c = s.charAt(sp);
            if (c == ' ') {
                break;
            }
            if (c == ':' || c == '[' || c == '(' || c == '=') {
                return -1;
            }
            sp++;
        }
        if (sp <= from || sp + 8 > end || !s.startsWith("kernel:", sp + 1)) {
            return -1;
        }
        if (KernelNames.names(s, from, end, true) != null) {
            return -1; // the kernel's own line with a task's name in it ("Process kernel: x (pid: 8, ..."): no host
        }
        int after = sp + 8;
        if (after == end) {
            return after;
        }
        return s.charAt(after) == ' ' ? after + 1 : -1;
    }

    // ---- "<6>[ 3891.873807] " (dmesg -r, kernel console with loglevel)

    private static boolean levelled(String s, int b, int end, Cut cut) {
        int i = b + 1;
        while (i < end && i < b + 5 && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == b + 1 || i + 1 >= end || s.charAt(i) != '>' || s.charAt(i + 1) != '[') {
            return false;
        }
        return stamps(s, i + 1, end, null, false, cut);
    }

    // ---- lines starting with a digit: kmsg records, ISO times, short-unix

    private static boolean numeric(String s, int b, int end, Cut cut) {
        int i = b;
        while (i < end && isDigit(s.charAt(i)) && i - b < 20) {
            i++;
        }
        if (i >= end) {
            return false;
        }
        char c = s.charAt(i);
        if (c == ',') {
            return kmsg(s, i, end, cut);
        }
        if (c == '-' && i - b == 4) {
            return iso(s, b, end, cut);
        }
        if (c == '.' && i - b >= 9) {
            // journalctl -o short-unix: "1598653939.123456 host kernel: msg"
            int j = i + 1;
            while (j < end && isDigit(s.charAt(j))) {
                j++;
            }
            if (j - i == 7 && j < end && s.charAt(j) == ' ') {
                return hostAndTag(s, j + 1, end, JOURNAL, cut);
            }
        }
        if (c == '.' && i - b <= 8) {
            // a dmesg stamp whose opening '[' a copy lost ("6616.650482] task:ThreadPoolForeg state:D ...", a mail
            // client's line that began "[ 6616.650482]"): seconds, six digits of microseconds, "] "
            int j = i + 1;
            while (j < end && isDigit(s.charAt(j))) {
                j++;
            }
            if (j - i == 7 && j + 1 < end && s.charAt(j) == ']' && s.charAt(j + 1) == ' ') {
                cut.stampAt = b - 1; // the stamp is read from the character after its '['
                return message(afterLevelName(s, j + 2, end), DMESG, cut);
            }
        }
        return c == '.' && talos(s, b, end, cut); // the node's address first: "10.1.10.21: kern: ..."
    }

    // ---- talosctl dmesg: "kern: warning: [2021-01-28T16:39:42.656944804Z]: msg", machined's "%s: %7s: [%s]: %s"
    //      (facility, priority right-aligned to seven, RFC 3339 time), with the node first when the CLI asked several

    private static final String[] PRIORITIES = {"warning", "notice", "emerg", "alert", "debug", "info", "crit", "err"};
    /** The longest node name taken before the facility. */
    private static final int NODE_MAX = 64;

    private static boolean talos(String s, int b, int end, Cut cut) {
        if (talosRecord(s, b, end, cut)) {
            return true;
        }
        int limit = Math.min(end - 1, b + NODE_MAX);
        for (int i = b; i < limit; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i > b && s.charAt(i + 1) == ' ' && talosRecord(s, i + 2, end, cut);
            }
            if (c == ' ' || c == '[') {
                return false;
            }
        }
        return false;
    }

    private static boolean talosRecord(String s, int b, int end, Cut cut) {
        int i = b;
        while (i < end && isLower(s.charAt(i)) && i - b < 8) {
            i++;
        }
        if (i == b || i + 1 >= end || s.charAt(i) != ':' || s.charAt(i + 1) != ' ') {
            return false;
        }
        i = RawText.skipWhitespace(s, i + 1, end);
        String level = null;
        for (String p : PRIORITIES) {
            if (s.startsWith(p, i)) {
                level = p;
                break;
            }
        }
        if (level == null || !s.startsWith(": [", i + level.length())) {
            return false;
        }
        int close = RawText.indexOf(s, i + level.length() + 3, Math.min(end, i + level.length() + 48), "]: ");
        if (close < 0 || !isDigit(s.charAt(i + level.length() + 3))) {
            return false;
        }
        return message(close + 3, TALOS, cut);
    }

    /** "6,1234,5678,-;msg" and "6,1234,5678,-,caller=T123;msg". */
    private static boolean kmsg(String s, int firstComma, int end, Cut cut) {
        int i = firstComma + 1;
        int seqStart = i;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == seqStart || i >= end || s.charAt(i) != ',') {
            return false;
        }
        i++;
        int usecStart = i;
        long usec = 0;
        while (i < end && isDigit(s.charAt(i)) && i - usecStart < 19) {
            usec = usec * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (i == usecStart || i >= end || (s.charAt(i) != ',' && s.charAt(i) != ';')) {
            return false;
        }
        int semi = i;
        if (s.charAt(i) == ',') {
            // flags and optional fields: short, no spaces
            int limit = Math.min(end, i + 64);
            semi = -1;
            for (int j = i + 1; j < limit; j++) {
                char c = s.charAt(j);
                if (c == ';') {
                    semi = j;
                    break;
                }
                if (c == ' ') {
                    return false;
                }
            }
            if (semi < 0) {
                return false;
            }
        }
        cut.usec = usec;
        return message(semi + 1, KMSG, cut);
    }

    /**
     * "2020-08-29T06:32:19..." : dmesg --time-format iso ("...,123456+08:00 msg": a comma before the fraction),
     * journalctl -o short-iso ("+0800" or "+08:00" without a fraction; "+0800" with one), or rsyslog's RFC 3339
     * ("2020-08-29T06:32:19.123456+08:00 host kernel: msg", which the newest journalctl short-iso-precise also
     * prints: called syslog).
     */
    private static boolean iso(String s, int b, int end, Cut cut) {
        if (end - b < 20 || s.charAt(b + 7) != '-' || s.charAt(b + 10) != 'T' || s.charAt(b + 13) != ':'
                || s.charAt(b + 16) != ':') {
            return false;
        }
        int i = b + 19;
        boolean fraction = false;
        boolean comma = false;
        if (s.charAt(i) == '.' || s.charAt(i) == ',') {
            comma = s.charAt(i) == ',';
            fraction = true;
            i++;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i >= end) {
            return false;
        }
        boolean colonZone = false;
        char z = s.charAt(i);
        if (z == 'Z') {
            i++;
        } else if (z == '+' || z == '-') {
            int zs = i + 1;
            i = zs;
            while (i < end && (isDigit(s.charAt(i)) || s.charAt(i) == ':')) {
                if (s.charAt(i) == ':') {
                    colonZone = true;
                }
                i++;
            }
            if (i - zs < 2) {
                return false;
            }
        }
        if (i >= end || s.charAt(i) != ' ') {
            return false;
        }
        if (comma) {
            return message(i + 1, DMESG_T, cut);
        }
        String style = fraction && colonZone ? SYSLOG : JOURNAL;
        // a Talos node's record after the collector's time ("10.1.10.21: kern: warning: [...]: msg") has the shape of
        // a host and a tag too: it is machined's record, whose prefix comes off with the collector's
        if ((z == 'Z' || fraction) && (!hostAndTagShape(s, i + 1, end) || talos(s, i + 1, end, new Cut()))) {
            // a log collector's export or `kubectl logs --timestamps` / `docker logs -t`: an RFC 3339 time, then
            // the line as the collector read it: the kernel's message, or a record with a prefix of its own
            // ("[  123.456] msg", "Mar 25 16:49:08 host kernel: msg"), which comes off too
            int inner = RawText.skipWhitespace(s, i + 1, end);
            if (s.startsWith("kernel:", inner)) {
                inner = RawText.skipWhitespace(s, inner + 7, end); // a tag with no host (syslogd's console message)
            }
            locateAgain(s, inner, end, cut);
            if (!NONE.equals(cut.style)) {
                return true;
            }
            cut.collector = true;
            return message(inner > i + 1 && s.charAt(inner - 1) == ':' ? inner : i + 1, JOURNAL, cut);
        }
        return hostAndTag(s, i + 1, end, style, cut);
    }

    /**
     * "host tag: msg" (the second word ends with ':', as "kernel:" or "systemd[1]:") or a host-less "kernel: msg";
     * "Call Trace:" is the kernel's own.
     */
    private static boolean hostAndTagShape(String s, int from, int end) {
        if (s.startsWith("kernel: ", from) || s.startsWith("Call Trace:", from)) {
            return s.startsWith("kernel: ", from);
        }
        if (from < end && s.charAt(from) == '[') {
            return false; // a dmesg stamp, no host name ("[ 123.456] BUG: soft lockup ...")
        }
        int first = s.indexOf(' ', from);
        if (first < 0 || first >= end || !hostName(s, from, first)) {
            return false;
        }
        int second = s.indexOf(' ', first + 1);
        int tagEnd = second < 0 || second > end ? end : second;
        return tagEnd > first + 1 && s.charAt(tagEnd - 1) == ':';
    }

    /**
     * Whether {@code s[from, to)} may be a host name (letters, digits, '-', '.', '_', an IPv6 address's ':'): a
     * markdown heading's "#" before "BUG: soft lockup" is none.
     */
    private static boolean hostName(String s, int from, int to) {
        boolean alnum = false;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (Character.isLetterOrDigit(c)) {
                alnum = true;
            } else if (c != '-' && c != '.' && c != '_' && c != ':') {
                return false;
            }
        }
        return alnum;
    }

    // ---- lines starting with a capital: syslog/journal "Aug 29 06:32:19", short-full "Sat 2020-08-29"

    private static boolean capitalised(String s, int b, int end, Cut cut) {
        if (end - b < 16 || !isLower(s.charAt(b + 1)) || !isLower(s.charAt(b + 2)) || s.charAt(b + 3) != ' ') {
            return false;
        }
        // "Aug 29 06:32:19 " / "Aug  1 06:32:19 " / "Aug 29 06:32:19.123456 ", and "Aug 1 06:32:19 " where a web
        // page collapsed the padding of the day
        int d = s.charAt(b + 5) == ' ' && isDigit(s.charAt(b + 4)) ? b + 5 : b + 6;
        if (s.charAt(d) == ' ' && s.charAt(d + 3) == ':' && s.charAt(d + 6) == ':' && isDigit(s.charAt(d - 1))
                && isDigit(s.charAt(d + 8))) {
            char c = s.charAt(d + 9);
            if (c == ' ') {
                return hostAndTag(s, d + 10, end, SYSLOG, cut);
            }
            if (c == '.') {
                int i = d + 10;
                while (i < end && isDigit(s.charAt(i))) {
                    i++;
                }
                if (i > d + 10 && i < end && s.charAt(i) == ' ') {
                    return hostAndTag(s, i + 1, end, JOURNAL, cut);
                }
            }
            return false;
        }
        // journalctl -o short-full: "Sat 2020-08-29 06:32:19 CST host kernel: msg"
        if (end - b > 25 && isDigit(s.charAt(b + 4)) && s.charAt(b + 8) == '-' && s.charAt(b + 11) == '-'
                && s.charAt(b + 14) == ' ' && s.charAt(b + 17) == ':' && s.charAt(b + 20) == ':'
                && s.charAt(b + 23) == ' ') {
            int zone = s.indexOf(' ', b + 24);
            if (zone > b + 24 && zone - (b + 24) <= 8 && zone < end) {
                return hostAndTag(s, zone + 1, end, JOURNAL, cut);
            }
        }
        return false;
    }

    /**
     * After a syslog-style time: "host tag: msg". The tag has no space and ends with ':'; for the kernel a
     * dmesg stamp may follow ("kernel: [ 123.456] msg"), taken as the timestamp.
     */
    private static boolean hostAndTag(String s, int from, int end, String style, Cut cut) {
        int hostEnd = s.indexOf(' ', from);
        if (hostEnd <= from || hostEnd >= end) {
            return false;
        }
        int tagStart = hostEnd + 1;
        if (s.charAt(hostEnd - 1) == ':') {
            // busybox and router syslogds write no host name: "Nov 18 10:34:27 kernel: msg"
            tagStart = from;
        } else {
            // BusyBox syslogd's "-S"-less records put facility.level before the tag: "Sep 13 14:34:10 ccgx user.warn
            // kernel: [43500.179307] msg"
            int level = facilityLevelEnd(s, tagStart, end);
            if (level > 0) {
                tagStart = level + 1;
            }
        }
        int tagEnd = tagStart;
        while (tagEnd < end && s.charAt(tagEnd) != ' ') {
            tagEnd++;
        }
        if (tagEnd == tagStart || s.charAt(tagEnd - 1) != ':') {
            // no "tag:": keep what follows the host name; a remote syslog server may receive the kernel's
            // console lines with their dmesg stamp and no tag ("Aug 30 05:34:55 10.20.22.1 [139221.2][  T817] msg")
            if (tagStart < end && s.charAt(tagStart) == '[' && stamps(s, tagStart, end, style, false, cut)) {
                return true;
            }
            return message(tagStart, style, cut);
        }
        int msg = tagEnd < end ? tagEnd + 1 : tagEnd;
        // "kernel:", or a host name glued to it by a template that lost the space ("netdata-parent-1kernel:")
        if (tagEnd - tagStart >= 7 && s.startsWith("kernel:", tagEnd - 7) && msg < end && s.charAt(msg) == '['
                && msg + 1 < end && (s.charAt(msg + 1) == ' ' || isDigit(s.charAt(msg + 1)))) {
            if (stamps(s, msg, end, style, false, cut)) {
                return true;
            }
        }
        return message(msg, style, cut);
    }

    private static final Set<String> LEVEL_WORDS = Set.of("emerg", "alert", "crit", "err", "error", "warn", "warning",
            "notice", "info", "debug");

    /**
     * Where a syslog "facility.level " word starting at {@code from} ends (its space), or -1: the facility in lower
     * case ("kern", "user", "daemon", "local0"), the level one of syslog's names.
     */
    private static int facilityLevelEnd(String s, int from, int end) {
        int i = from;
        while (i < end && i - from < 9 && (isLower(s.charAt(i)) || isDigit(s.charAt(i)))) {
            i++;
        }
        if (i == from || i >= end || s.charAt(i) != '.') {
            return -1;
        }
        int dot = i++;
        while (i < end && i - dot <= 8 && isLower(s.charAt(i))) {
            i++;
        }
        return i < end && s.charAt(i) == ' ' && LEVEL_WORDS.contains(s.substring(dot + 1, i)) ? i : -1;
    }

    // ---- "kern  :info  : [  123.400000] msg" (dmesg -x: "%-6s:%-6s: ")

    private static boolean decoded(String s, int b, int end, Cut cut) {
        if (end - b < 15 || s.charAt(b + 6) != ':' || s.charAt(b + 13) != ':' || s.charAt(b + 14) != ' ') {
            return talos(s, b, end, cut);
        }
        for (int i = b; i < b + 6; i++) {
            char c = s.charAt(i);
            if (!isLower(c) && c != ' ') {
                return false;
            }
        }
        for (int i = b + 7; i < b + 13; i++) {
            char c = s.charAt(i);
            if (!isLower(c) && c != ' ') {
                return false;
            }
        }
        int at = b + 15;
        if (at < end && s.charAt(at) == '[' && stamps(s, at, end, DMESG_X, false, cut)) {
            return true;
        }
        return message(at, DMESG_X, cut);
    }

    // ---- "-- Logs begin at Sat 2020-08-29 06:32:19 CST, end at ... --", "-- Boot 1a2b... --", "-- No entries --"

    private static boolean journalMarker(String s, int b, int end, Cut cut) {
        if (end - b >= 6 && s.startsWith("-- ", b) && s.charAt(end - 1) == '-' && s.charAt(end - 2) == '-'
                && s.charAt(end - 3) == ' ' && Character.isUpperCase(s.charAt(b + 3))) {
            return message(end, JOURNAL, cut);
        }
        return false;
    }

    // ---- " SUBSYSTEM=pci" / " DEVICE=+pci:0000:00:01.0": /dev/kmsg dictionary continuation lines

    private static boolean kmsgDictionary(String s, int b, int end, Cut cut) {
        if (s.startsWith(" SUBSYSTEM=", b) || s.startsWith(" DEVICE=", b)) {
            return message(end, KMSG_DICT, cut);
        }
        return false;
    }

    // ---- helpers

    /**
     * A console or log viewer that writes the record's level by name after the stamp ("[41819967.871466]  EMERG: BUG:
     * soft lockup ...", XenServer's dom0 log): the message starts after it. Only the levels no kernel message starts
     * with: "INFO:" and "WARNING:" begin the kernel's own words ("INFO: task", "WARNING: CPU:").
     */
    private static int afterLevelName(String s, int from, int end) {
        int i = from;
        while (i < end && s.charAt(i) == ' ') {
            i++;
        }
        if (i >= end || LEVEL_FIRSTS.indexOf(s.charAt(i)) < 0) {
            return from; // most messages: one look instead of one per level name
        }
        for (String level : LEVEL_NAMES) {
            if (s.startsWith(level, i) && i + level.length() < end && s.charAt(i + level.length()) == ' ') {
                return i + level.length() + 1;
            }
        }
        return from;
    }

    private static final String[] LEVEL_NAMES = {"EMERG:", "ALERT:", "CRIT:", "ERR:"};
    private static final String LEVEL_FIRSTS = "EAC";

    private static boolean message(int from, String style, Cut cut) {
        cut.message = from;
        cut.style = style;
        return true;
    }

    /** "  3891.873807" up to the first character that is neither digit nor '.', as seconds. */
    private static Double parseSeconds(String s, int from, int to) {
        int i = from;
        while (i < to && s.charAt(i) == ' ') {
            i++;
        }
        long secs = 0;
        long frac = 0;
        long scale = 1;
        int digits = 0;
        while (i < to && isDigit(s.charAt(i))) {
            if (digits++ < 12) {
                secs = secs * 10 + (s.charAt(i) - '0');
            }
            i++;
        }
        if (i < to && s.charAt(i) == '.') {
            i++;
            while (i < to && isDigit(s.charAt(i))) {
                if (scale < 1_000_000_000L) {
                    frac = frac * 10 + (s.charAt(i) - '0');
                    scale *= 10;
                }
                i++;
            }
        }
        return secs + (double) frac / scale;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }
}
