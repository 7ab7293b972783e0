package dev.hangdoctor.parse;

/**
 * Where the kernel put a task's name (comm) in one of its own lines. Any local user sets a name (prctl
 * PR_SET_NAME, /proc/self/comm: up to 15 bytes of anything but NUL), so a name may hold a log stamp, a frame, an
 * event's words, a quote or a JSON carrier's head: none of it is the kernel's. The stages that look into a line
 * before it is parsed (splitting a line that holds several records, turning on the decoding of a mail or a page)
 * must not look inside a name, and the recognisers of lines must not take a line that starts with a name for the
 * line its name imitates.
 *
 * <p>A name is found by the kernel's own words around it, never by the name: its end is the kernel's delimiter
 * after it, looked for within the widest a name can print ({@link #WIDEST}: 15 bytes, each shown as \xNN by
 * /dev/kmsg), where the last one is the kernel's (a name may hold the delimiter, but nothing after the name is the
 * user's).
 */
final class KernelNames {
    /** The widest a name prints: 15 bytes, each escaped as "\xNN" by /dev/kmsg. */
    static final int WIDEST = 60;

    private KernelNames() {
    }

    /** Where the names of a line stand: from the first name's start to the last name's end. */
    record Span(int start, int end) {
    }

    /**
     * Where the names the kernel printed in the record that starts at {@code m} (its message, after any log prefix)
     * in {@code s[m, end)} stand, or null when the record is none of the lines that carry a name. Nothing inside the
     * span can be another record's start or a mark of a mail's or a page's encoding.
     */
    static Span names(String s, int m, int end) {
        return names(s, m, end, false);
    }

    /**
     * {@code anchored}: only lines whose name-bearing words start the message (a soft lockup's after a tag of the
     * watchdog's own at most), not words found further into a line after something else (prose, another tool's
     * prefix), which the caller still has to take off.
     */
    static Span names(String s, int m, int end, boolean anchored) {
        if (m >= end) {
            return null;
        }
        int lead = leadingNameEnd(s, m, end);
        if (lead >= 0) {
            return new Span(m, lead);
        }
        return namesPastLeading(s, m, end, anchored);
    }

    /** {@link #names} of a line that starts with no name ({@link #leadingNameEnd} is -1). */
    private static Span namesPastLeading(String s, int m, int end, boolean anchored) {
        int at = -1;
        int stop = -1;
        switch (s.charAt(m)) {
            case 'I', 'i' -> {
                // kernel/hung_task.c: "INFO: task %s:%d blocked for more than %ld seconds." and the 6.16+ blocker
                // report "INFO: task %s:%d is blocked on a mutex likely owned by task %s:%d."
                if (RawText.startsWith(s, m, end, "INFO: task ") || RawText.startsWith(s, m, end, "info: task ")) {
                    at = m + 11;
                    stop = hungTaskNameEnd(s, at, end);
                }
            }
            case 't' -> {
                // sched_show_task 5.9+: "task:%-15.15s state:%c ..."
                if (RawText.startsWith(s, m, end, "task:")) {
                    at = m + 5;
                    stop = stateAfterName(s, at, end);
                }
            }
            case 'C' -> {
                // lib/dump_stack.c: "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s" (6.11+ adds "UID: %u ")
                if (RawText.startsWith(s, m, end, "CPU: ")) {
                    int comm = RawText.indexOf(s, m, Math.min(end, m + 48), " Comm: ");
                    at = comm < 0 ? -1 : comm + 7;
                    stop = comm < 0 ? -1 : taintAfterName(s, at, end);
                }
            }
            case 'P', 'T' -> {
                Span regs = regsHeaderName(s, m, end);
                if (regs != null) {
                    return regs;
                }
                // crash: "PID: %-7ld  TASK: %s  CPU: %-3s  COMMAND: \"%s\""
                if (RawText.startsWith(s, m, end, "PID: ")) {
                    int cmd = RawText.indexOf(s, m, Math.min(end, m + 80), "COMMAND: \"");
                    at = cmd < 0 ? -1 : cmd + 10;
                    stop = cmd < 0 ? -1 : lastBefore(s, at, end, '"');
                }
            }
            case '[' -> {
                // mm/oom_kill.c dump_task: "[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %5hd %s", the name last
                // (a line whose rest is wider than a name holds more than the row: a page that lost its line breaks)
                int name = oomTaskRowName(s, m, end);
                if (name >= 0 && bytes(s, name, RawText.trimEnd(s, name, end)) <= 15) {
                    return new Span(name, end);
                }
            }
            default -> {
            }
        }
        if (at >= 0 && stop >= at) {
            return new Span(at, stop);
        }
        int psName = crashPsRowName(s, m, end);
        if (psName >= 0) {
            return new Span(psName, end);
        }
        int held = heldLocksName(s, m, end);
        if (held >= 0) {
            return new Span(s.indexOf(" held by ", m) + 9, held);
        }
        int process = processName(s, m, end);
        if (process >= 0) {
            return new Span(s.indexOf(" (", m) + 2, process);
        }
        // kernel/watchdog.c: "BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]", after any prefix of its own
        int lockup = softLockupPhrase(s, m, Math.min(end, m + (anchored ? 24 : 80)));
        if (lockup >= 0) {
            int open = RawText.indexOf(s, lockup, Math.min(end, lockup + 48), "s! [");
            int close = open < 0 ? -1 : pidAfterName(s, open + 4, end, ']');
            return close < 0 ? null : new Span(open + 4, close);
        }
        if (RawText.startsWith(s, m, end, "oom-kill:")) {
            int task = RawText.indexOf(s, m, end, ",task=");
            return task < 0 ? null : new Span(task + 6, oomContextNameEnd(s, task, end));
        }
        return null;
    }

    /**
     * The task line an architecture's show_regs()/die() printed before dump_stack's "CPU: %d PID: %d Comm: %s" took
     * over: where its name stands, or null for another line. The pid comes before the name in each, so a name cannot
     * change it; the name ends at the kernel's last delimiter within a name's width.
     * <ul>
     *   <li>x86 2.6.x-3.x "Pid: %d, comm: %.20s %s %s %.*s" (then the taint words, the release; i386 "Pid: %d, comm:
     *       %20s" alone, "Pid: %d, comm: %s %s (%s %.*s) %s" on 2.6.2x);</li>
     *   <li>powerpc "TASK = %p[%d] '%s' THREAD: %p" (ppc32, the merged powerpc up to 3.x; " CPU: %d" after on SMP),
     *       ppc64 2.6 "TASK: %p[%d] '%s' THREAD: %p";</li>
     *   <li>"Process %s (pid: %d, ...)": x86's die() "(pid: %d, threadinfo %p, task %p)" (i386 "ti=%p task=%p ..."),
     *       s390's show_regs() "(pid: %d, task: %p, ksp: %p)", arm's "(pid: %d, stack limit = 0x%p)", mips' and
     *       2.4's "(pid: %d, stackpage=%08lx)".</li>
     * </ul>
     */
    static Span regsHeaderName(String s, int m, int end) {
        if (RawText.startsWith(s, m, end, "Pid: ")) {
            int i = m + 5;
            int d = i;
            while (i < end && RawText.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == d || !RawText.startsWith(s, i, end, ", comm: ")) {
                return null;
            }
            int at = i + 8;
            int taint = lastTaintWords(s, at, end);
            return new Span(at, taint >= at ? taint : taint >= 0 ? at : RawText.trimEnd(s, at, end));
        }
        if (RawText.startsWith(s, m, end, "TASK = ") || RawText.startsWith(s, m, end, "TASK: ")) {
            int i = m + (s.charAt(m + 4) == ':' ? 6 : 7);
            int h = i;
            while (i < end && FrameLineParser.isHexDigit(s.charAt(i))) {
                i++;
            }
            if (i - h < 8 || i - h > 16 || i >= end || s.charAt(i) != '[') {
                return null;
            }
            int d = ++i;
            while (i < end && RawText.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == d || !RawText.startsWith(s, i, end, "] '")) {
                return null;
            }
            int at = i + 3;
            int stop = lastWithin(s, at, at + WIDEST + 1, end, "' THREAD: ");
            if (stop < 0) {
                // ppc64 before 2.6.13: "TASK = %p[%d] '%s' " and " CPU: %d" on SMP, no thread address
                stop = lastWithin(s, at, at + WIDEST + 1, end, "'  CPU: ");
            }
            int last = RawText.trimEnd(s, at, end);
            if (stop < 0 && last > at && last - at <= WIDEST + 1 && s.charAt(last - 1) == '\'') {
                stop = last - 1;
            }
            return stop >= 0 ? new Span(at, stop) : Math.min(end, at + WIDEST + 10) == end ? new Span(at, end) : null;
        }
        if (RawText.startsWith(s, m, end, "Process ")) {
            int at = m + 8;
            int limit = Math.min(end, at + WIDEST + 7);
            int found = -1;
            for (int k = RawText.indexOf(s, at - 1, limit, " (pid: "); k >= 0; k = RawText.indexOf(s, k + 1, limit, " (pid: ")) {
                int j = k + 7;
                while (j < end && RawText.isDigit(s.charAt(j))) {
                    j++;
                }
                if (j > k + 7 && (j == end || s.charAt(j) == ',' || s.charAt(j) == ')')) {
                    found = k;
                }
            }
            return found >= at ? new Span(at, found) : null;
        }
        return null;
    }

    /** The last {@code w} that starts in {@code s[from, limit)} and lies wholly in {@code s[from, end)}, or -1. */
    private static int lastWithin(String s, int from, int limit, int end, String w) {
        int found = -1;
        int to = Math.min(end, limit + w.length());
        for (int i = RawText.indexOf(s, from, to, w); i >= 0 && i < limit; i = RawText.indexOf(s, i + 1, to, w)) {
            found = i;
        }
        return found;
    }

    /**
     * "[  15617]     0 15617   521030 ...": a bracketed pid and at least six numbers after it (uid, tgid, total_vm,
     * rss, then page-table and swap counts, oom_score_adj: seven on 5.x, eight on 4.x, fewer on none).
     */
    static boolean oomTaskRow(String s, int m, int end) {
        return oomTaskRowName(s, m, end) >= 0;
    }

    /** Where the name of an OOM task dump row starts (after its last number), or -1 for another line. */
    private static int oomTaskRowName(String s, int m, int end) {
        int i = RawText.skipWhitespace(s, m + 1, end);
        int digits = i;
        while (i < end && RawText.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == digits || i >= end || s.charAt(i) != ']') {
            return -1;
        }
        i++;
        for (int k = 0; ; k++) {
            int from = RawText.skipWhitespace(s, i, end);
            if (from == i) {
                return k >= 6 ? i : -1;
            }
            int j = from;
            if (j < end && s.charAt(j) == '-') {
                j++;
            }
            int d = j;
            while (j < end && RawText.isDigit(s.charAt(j))) {
                j++;
            }
            if (j == d || j < end && s.charAt(j) != ' ') {
                return k >= 6 ? from : -1; // the name (which may start with digits) after the numbers
            }
            i = j;
        }
    }

    /**
     * The end of the name a line starts with: sched_show_task's older task lines ("%-15.15s %c ..." before 5.9,
     * "%-13.13s %c ..." on 2.6.18) and mm/oom_kill.c's "%s invoked oom-killer: gfp_mask=...". -1 for other lines.
     */
    static int leadingNameEnd(String s, int m, int end) {
        int invoked = invokedAt(s, m, end);
        if (invoked >= 0) {
            return invoked;
        }
        int old = oldTaskNameEnd(s, m, end);
        return old >= 0 ? old : otherLeadingNameEnd(s, m, end);
    }

    /**
     * Where the name ends in the other lines the kernel starts with a task's name: arch/x86/mm/fault.c
     * show_signal_msg() "%s[%d]: segfault at %lx ip %px sp %px error %lx", mm/page_alloc.c warn_alloc()
     * "%s: page allocation failure: order:%u, mode:%#x(%pGg), ..." (2.6.x warn_alloc_failed(): "%s: page allocation
     * failure. order:%d, mode:0x%x"), kernel/cgroup/cpuset.c "%s cpuset=%s mems_allowed=%*pbl" (under the OOM
     * killer's first line). The last such words within a name's width are the kernel's; -1 for other lines. None
     * of these lines is read as an event or a stack: the name in them must not make one.
     */
    static int otherLeadingNameEnd(String s, int m, int end) {
        int limit = Math.min(end - 3, m + WIDEST + 1);
        // a line of its own is searched with the JDK's searches (most lines asked hold no ": " in reach at all); a
        // line inside a larger text (a read buffer) with a scan that stops at its end
        boolean alone = end == s.length();
        int found = -1;
        for (int k = alone ? s.indexOf(": ", m) : RawText.indexOf(s, m, limit + 2, ": "); k >= 0 && k < limit;
                k = alone ? s.indexOf(": ", k + 1) : RawText.indexOf(s, k + 1, limit + 2, ": ")) {
            char d = s.charAt(k + 2);
            if (d == 'p' && RawText.startsWith(s, k, end, ": page allocation failure")) {
                found = k;
            } else if (d == 's' && k > m && s.charAt(k - 1) == ']' && RawText.startsWith(s, k, end, ": segfault at ")) {
                int open = k - 2;
                while (open >= m && RawText.isDigit(s.charAt(open))) {
                    open--;
                }
                if (open >= m && open < k - 2 && s.charAt(open) == '[') {
                    found = open;
                }
            }
        }
        if (found < 0) {
            for (int k = alone ? s.indexOf(" cpuset=", m) : RawText.indexOf(s, m, limit + 8, " cpuset="); k >= 0
                    && k < limit; k = alone ? s.indexOf(" cpuset=", k + 1) : RawText.indexOf(s, k + 1, limit + 8, " cpuset=")) {
                if (RawText.contains(s, k + 8, end, " mems_allowed=")) {
                    found = k;
                }
            }
        }
        return found >= m && bytes(s, m, found) <= 15 ? found : -1;
    }

    /** mm/oom_kill.c "%s invoked oom-killer: gfp_mask=...": where " invoked" stands after the name, or -1. */
    static int invokedAt(String s, int m, int end) {
        int invoked = invokedPhrase(s, m, Math.min(end, m + WIDEST + 21));
        if (invoked < 0 && RawText.startsWith(s, m, end, "invoked oom-killer: ")) {
            invoked = m - 1;
        }
        // (at m itself when a paste took the name for its quote mark or fence: the line is still the OOM killer's)
        return invoked >= m - 1 && RawText.startsWith(s, invoked + 21, end, "gfp_mask=") ? Math.max(m, invoked) : -1;
    }

    /** An older task line ("%-15.15s %c ..."): where its name field ends (the space before the state), or -1. */
    static int oldTaskNameEnd(String s, int m, int end) {
        int e = RawText.trimEnd(s, m, end);
        if (!TaskLineParser.endsLikeOldTaskLine(s, m, e)) {
            return -1;
        }
        int lead = RawText.skipWhitespace(s, m, e);
        int state = TaskLineParser.oldStateAt(s.substring(lead, e));
        return state < 0 ? -1 : Math.max(m, lead + state - 1);
    }

    /**
     * The message with the names the kernel printed in it blanked out (each character U+0001), for choosing which
     * reader a line goes to by the kernel's own words: a name holding "+0x", "/proc/" or "Call Trace:" chooses none.
     * The message itself when it holds no name.
     */
    static String masked(String m) {
        return masked(m, names(m, 0, m.length()));
    }

    /**
     * The same, for a message the caller already found to be neither the OOM killer's "%s invoked oom-killer:" line
     * ({@link #invokedAt} -1) nor an older task line ({@link #oldTaskNameEnd} -1): those two looks are not repeated.
     */
    static String maskedNeitherInvokedNorOld(String m) {
        int other = otherLeadingNameEnd(m, 0, m.length());
        return masked(m, other >= 0 ? new Span(0, other) : m.isEmpty() ? null : namesPastLeading(m, 0, m.length(), false));
    }

    private static String masked(String m, Span span) {
        if (span == null || span.end() <= span.start()) {
            return m;
        }
        char[] c = m.toCharArray();
        java.util.Arrays.fill(c, span.start(), Math.min(c.length, span.end()), '\u0001');
        return new String(c);
    }

    /**
     * Whether a name-first line ({@link #leadingNameEnd}) starts right at {@code from}: its name field is no wider
     * than a name prints (15 bytes, "%-15.15s" padded to exactly that; a \xNN escape is one byte). A log prefix,
     * a tag or a second stamp before {@code from} then belongs to the name, not to the log.
     */
    static boolean nameFirstAt(String s, int from, int end) {
        return nameFirstAt(s, from, end, null);
    }

    /**
     * The same, for the log prefix reader, which asks it up to three times of every line with a prefix (a 1 GB log's
     * 16 million lines): {@code dashes} remembers where the text's next '-' is, so that a line with none where the
     * phrase would stand (most lines) costs no search at all.
     */
    static boolean nameFirstAt(String s, int from, int end, NextChar dashes) {
        int widestEnd = Math.min(end, from + WIDEST + 21);
        if (dashes == null || dashes.within(s, from + 12, widestEnd)) {
            // only as far as a name reaches, 15 characters at most unless they hold a "\xNN" escape (a name is 15
            // bytes, and a character is at least one)
            int widest = RawText.indexOf(s, from, Math.min(end, from + 15), '\\') >= 0 ? WIDEST : 15;
            int invoked = invokedPhrase(s, from, Math.min(end, from + widest + 21));
            if (invoked > from && RawText.startsWith(s, invoked + 21, end, "gfp_mask=")) {
                return bytes(s, from, invoked) <= 15;
            }
        }
        int name = oldTaskNameEnd(s, from, end);
        if (name >= 0 && bytes(s, from, name) <= 15) {
            return true;
        }
        // (not for the log prefix reader, which asks this of every line: it asks for these where a prefix is rare)
        return dashes == null && otherLeadingNameEnd(s, from, end) >= 0;
    }

    /**
     * Where " invoked oom-killer: " lies wholly in {@code s[from, limit)}, or -1: found by its '-' (rare in the first
     * columns of a log line), not by its first character, a space.
     */
    private static int invokedPhrase(String s, int from, int limit) {
        for (int dash = RawText.indexOf(s, from + 12, limit, '-'); dash >= 0 && dash + 9 <= limit;
                dash = RawText.indexOf(s, dash + 1, limit, '-')) {
            if (RawText.startsWith(s, dash - 12, limit, " invoked oom-killer: ")) {
                return dash - 12; // the phrase has its '-' 12 characters in
            }
        }
        return -1;
    }

    /** Where "soft lockup - CPU#" lies wholly in {@code s[from, limit)}, or -1: found by its rare '#'. */
    private static int softLockupPhrase(String s, int from, int limit) {
        for (int hash = RawText.indexOf(s, from + 17, limit, '#'); hash >= 0; hash = RawText.indexOf(s, hash + 1, limit, '#')) {
            if (RawText.startsWith(s, hash - 17, limit, "soft lockup - CPU#")) {
                return hash - 17;
            }
        }
        return -1;
    }

    /** Where the next occurrence of one character is in a text read forward line by line: one search per occurrence. */
    static final class NextChar {
        private final char c;
        private String text;
        private int searchedFrom;
        private int at = -1;

        NextChar(char c) {
            this.c = c;
        }

        /** Whether {@code s[from, to)} holds the character. */
        boolean within(String s, int from, int to) {
            if (s != text || from < searchedFrom || at >= 0 && at < from) {
                text = s;
                searchedFrom = from;
                at = s.indexOf(c, from);
            }
            return at >= 0 && at < to;
        }
    }

    /** How many bytes the kernel wrote for {@code s[from, to)}: UTF-8, a \xNN escape one byte. */
    static int bytes(String s, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 3 < to && s.charAt(k + 1) == 'x' && Character.digit(s.charAt(k + 2), 16) >= 0
                    && Character.digit(s.charAt(k + 3), 16) >= 0) {
                k += 3;
                n++;
            } else {
                n += c < 0x80 || c == '\ufffd' ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
        }
        return n;
    }

    /** Whether the message starts with a task's name (see {@link #leadingNameEnd}). */
    static boolean startsWithName(String m) {
        return leadingNameEnd(m, 0, m.length()) >= 0;
    }

    private static int hungTaskNameEnd(String s, int from, int end) {
        int limit = Math.min(end, from + WIDEST + 40);
        int blocked = RawText.indexOf(s, from, limit, " blocked for more than ");
        if (blocked >= 0) {
            return blocked;
        }
        // the blocker report: the waiter's name, then the owner's after " by task " (the rest is a pid and a role)
        int on = RawText.indexOf(s, from, limit, " blocked on a");
        if (on < 0) {
            return -1;
        }
        int by = RawText.indexOf(s, on, Math.min(end, on + WIDEST + 64), " by task ");
        return by < 0 ? Math.min(end, on + WIDEST) : pidAfterName(s, by + 9, end, '\0');
    }

    /** The end of a 5.9+ task line's name: the last " state:" within a name's width, followed by its letter. */
    private static int stateAfterName(String s, int from, int end) {
        int found = -1;
        int limit = Math.min(end, from + WIDEST + 7);
        for (int i = RawText.indexOf(s, from, limit, " state:"); i >= 0; i = RawText.indexOf(s, i + 1, limit, " state:")) {
            found = i;
        }
        return found;
    }

    /** The end of dump_stack's name: the last " Tainted: " or " Not tainted" within a name's width. */
    private static int taintAfterName(String s, int from, int end) {
        int found = lastTaintWords(s, from, end);
        return found < 0 ? end : found; // a line cut inside the name: nothing after it is another record
    }

    /**
     * Where dump_stack's taint words (" Tainted: ", " Not tainted") after a name starting at {@code from} stand: the
     * last within a name's width (the name may hold them; a blank name puts them right at {@code from - 1}), or -1.
     */
    static int lastTaintWords(String s, int from, int end) {
        int limit = Math.min(end, from + WIDEST + 13);
        int found = -1;
        for (String w : new String[] {" Tainted: ", " Not tainted"}) {
            for (int i = RawText.indexOf(s, Math.max(0, from - 1), limit, w); i >= 0;
                    i = RawText.indexOf(s, i + 1, limit, w)) {
                found = Math.max(found, i);
            }
        }
        return found;
    }

    /**
     * "Killed process %d (%s) total-vm:...", "Kill process %d (%s) score %u or sacrifice child", "oom_reaper: reaped
     * process %d (%s), now anon-rss:...", after "Out of memory: " or "Memory cgroup out of memory: ": the name ends
     * at the last ')' within a name's width (the kernel's words after it hold none).
     */
    private static int processName(String s, int m, int end) {
        // the line's first words before the search for "process " (most lines asked are none of these)
        if (!(RawText.startsWith(s, m, end, "Killed ") || RawText.startsWith(s, m, end, "Kill ")
                || RawText.startsWith(s, m, end, "Out of memory: ") || RawText.startsWith(s, m, end, "Memory cgroup ")
                || RawText.startsWith(s, m, end, "oom_reaper: "))) {
            return -1;
        }
        int p = RawText.indexOf(s, m, Math.min(end, m + 64), "process ");
        if (p < 0) {
            return -1;
        }
        int i = p + 8;
        while (i < end && RawText.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == p + 8 || !RawText.startsWith(s, i, end, " (")) {
            return -1;
        }
        // the last ')' the kernel's own words follow (a line that holds more records may hold more ')' after)
        int window = Math.min(end, i + 2 + WIDEST + 1);
        int found = -1;
        for (int k = i + 2; k < window; k++) {
            if (s.charAt(k) == ')' && (RawText.trimEnd(s, k + 1, end) == k + 1 || RawText.startsWith(s, k + 1, end, " total-vm:")
                    || RawText.startsWith(s, k + 1, end, ", now ") || RawText.startsWith(s, k + 1, end, " score ")
                    || RawText.startsWith(s, k + 1, end, ", UID ") || RawText.startsWith(s, k + 1, end, " vsz:"))) {
                found = k;
            }
        }
        return found >= 0 ? found : window == end ? end : -1;
    }

    /**
     * crash's {@code ps} row, "%7ld %7ld %3s %s %3s %4.1f %7ld %6ld %s" after the active task's '>': where the name
     * starts after pid, ppid, cpu, task, state, %mem, vsz and rss, or -1 for another line.
     */
    static int crashPsRowName(String s, int m, int end) {
        int i = m;
        if (i < end && (s.charAt(i) == '>' || s.charAt(i) == '-')) {
            i++;
        }
        for (int field = 0; field < 8; field++) {
            int from = RawText.skipWhitespace(s, i, end);
            if (from == i && i > m && field > 0) {
                return -1;
            }
            int j = from;
            while (j < end && s.charAt(j) != ' ' && s.charAt(j) != '\t') {
                j++;
            }
            if (j == from || !psField(field, s, from, j)) {
                return -1;
            }
            i = j;
        }
        int name = RawText.skipWhitespace(s, i, end);
        return name > i && name < end ? name : -1;
    }

    private static boolean psField(int field, String s, int from, int to) {
        switch (field) {
            case 0, 1, 6, 7 -> {
                return allDigits(s, from, to);
            }
            case 2 -> {
                return to - from == 1 && s.charAt(from) == '-' || allDigits(s, from, to);
            }
            case 3 -> {
                return RawText.isHexWord(s, from, to);
            }
            case 4 -> {
                return to - from == 2 && (Character.isUpperCase(s.charAt(from)) && Character.isUpperCase(s.charAt(from + 1))
                        || s.startsWith("??", from));
            }
            default -> {
                int dot = RawText.indexOf(s, from, to, '.');
                return dot > from && dot < to - 1 && allDigits(s, from, dot) && allDigits(s, dot + 1, to);
            }
        }
    }

    private static boolean allDigits(String s, int from, int to) {
        if (to <= from || to - from > 12) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (!RawText.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * kernel/locking/lockdep.c lockdep_print_held_locks(): "%d lock%s held by %s/%d:" and "no locks held by %s/%d.":
     * where the name ends (the last '/' that the pid and the closing mark follow, within a name's width), or -1.
     */
    static int heldLocksName(String s, int m, int end) {
        int i = m;
        while (i < end && RawText.isDigit(s.charAt(i))) {
            i++;
        }
        int words;
        if (i > m && RawText.startsWith(s, i, end, " lock held by ")) {
            words = i + 14;
        } else if (i > m && RawText.startsWith(s, i, end, " locks held by ")) {
            words = i + 15;
        } else if (i == m && RawText.startsWith(s, m, end, "no locks held by ")) {
            words = m + 17;
        } else {
            return -1;
        }
        int found = lastBeforePid(s, words, end, '/', ":.", true);
        return found >= 0 ? found : Math.min(end, words + WIDEST + 1) == end ? end : -1;
    }

    /** mm/oom_kill.c: "oom-kill:constraint=...,task=%s,pid=%d,uid=%d": the name ends at the last ",pid=". */
    private static int oomContextNameEnd(String s, int task, int end) {
        int limit = Math.min(end, task + 6 + WIDEST + 5);
        int found = -1;
        for (int i = RawText.indexOf(s, task + 6, limit, ",pid="); i >= 0; i = RawText.indexOf(s, i + 1, limit, ",pid=")) {
            found = i;
        }
        return found < 0 ? end : found;
    }

    /** The last {@code c} within a name's width from {@code from}, or the end when the line stops in the name. */
    private static int lastBefore(String s, int from, int end, char c) {
        int limit = Math.min(end, from + WIDEST + 1);
        for (int i = limit - 1; i >= from; i--) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return limit == end ? end : -1;
    }

    /**
     * "%s:%d" then {@code close} (or anything, when {@code close} is NUL): the last ':' followed by digits within a
     * name's width; the line's end when it stops in the name.
     */
    private static int pidAfterName(String s, int from, int end, char close) {
        int found = close == '\0' ? lastPidColon(s, from, end, null, true)
                : lastPidColon(s, from, end, String.valueOf(close), false);
        return found >= 0 ? found : Math.min(end, from + WIDEST + 1) == end ? end : -1;
    }

    /**
     * The colon before the pid of a "%s:%d" that starts at {@code from}: the last colon within a name's width that
     * digits follow, the digits ending the text ({@code mayEnd}) or standing before one of {@code followers} (any
     * character when null). A name holds colons and digits ("kworker/u66:17", ":1"), the kernel's own colon is the
     * last. -1 when there is none.
     */
    static int lastPidColon(String s, int from, int end, String followers, boolean mayEnd) {
        return lastBeforePid(s, from, end, ':', followers, mayEnd);
    }

    /** {@link #lastPidColon} for any separator between a name and its pid ("%s/%d" of lockdep's lines too). */
    private static int lastBeforePid(String s, int from, int end, char separator, String followers, boolean mayEnd) {
        int limit = Math.min(end, from + WIDEST + 1);
        int found = -1;
        for (int i = RawText.indexOf(s, from, limit, separator); i >= 0; i = RawText.indexOf(s, i + 1, limit, separator)) {
            int j = i + 1;
            while (j < end && RawText.isDigit(s.charAt(j))) {
                j++;
            }
            if (j > i + 1 && (j == end ? mayEnd : followers == null || followers.indexOf(s.charAt(j)) >= 0)) {
                found = i;
            }
        }
        return found;
    }
}
