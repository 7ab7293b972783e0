package dev.hangdoctor.parse;

/**
 * The first words of the kernel messages that start a hang report (hung task, lockups, RCU stall, OOM kill, panic),
 * found where pasting moved them: after indentation, after another tool's prefix, or in the middle of a line that
 * holds a whole report.
 */
final class EventTriggers {
    /** Messages that open a report; each is unmistakable wherever it stands in a line. */
    private static final String[] OPENERS = {
        "INFO: task ", "INFO: rcu_", "rcu: INFO: rcu_", "BUG: soft lockup", "NMI watchdog: ", "watchdog: BUG: ",
        "Watchdog detected hard LOCKUP", "NMI Watchdog detected LOCKUP", "NMI watchdog detected lockup", "Memory cgroup out of memory: ", "Out of memory: ", "Out of memory and no killable", "Killed process ",
        "Kernel panic - not syncing: ", "oom-kill:", "Call Trace:", "Call trace:",
        // fs/xfs/kmem.c's allocation retry warning ("XFS: comm(pid) possible memory allocation deadlock ..."): XFS
        // messages about a mount print "XFS (dev): ", so "XFS: " is the mount-less kind, rare outside that warning
        "XFS: ",
        // the RCU stall report's line about its grace-period kthread (rcu_check_gp_kthread_starvation, 4.x on; "rcu: "
        // before it since 5.0), pasted without the stall's header line above it
        "rcu: rcu_sched kthread starved for ", "rcu: rcu_preempt kthread starved for ", "rcu: rcu_bh kthread starved for ",
        "rcu_sched kthread starved for ", "rcu_preempt kthread starved for ", "rcu_bh kthread starved for ",
    };

    /** Openers that never occur inside another opener's message: where a second report starts in one line. */
    private static final String[] REPEATABLE = {
        "INFO: task ", "INFO: rcu_", "BUG: soft lockup", "Call Trace:", "Call trace:", "Kernel panic - not syncing: ",
        "rcu_sched kthread starved for ", "rcu_preempt kthread starved for ", "rcu_bh kthread starved for ",
    };

    /** The longest opener: a line at least this long is no opener cut short. */
    private static final int LONGEST = longest();

    private EventTriggers() {
    }

    private static int longest() {
        int n = 0;
        for (String o : OPENERS) {
            n = Math.max(n, o.length());
        }
        return n;
    }

    /** True when {@code s[from, end)} starts with one of the openers. */
    static boolean startsAt(String s, int from, int end) {
        for (String o : OPENERS) {
            if (RawText.startsWith(s, from, end, o)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code s[from, end)} is the start of an opener cut short ("BUG: soft" of "BUG: soft lockup"): a mailer
     * or a console wrapped the message inside its first words, and the next line may hold the rest.
     */
    static boolean cutOpener(String s, int from, int end) {
        if (end - from > LONGEST + 8) {
            return false; // most lines: too long to be an opener cut short, even with trailing spaces
        }
        while (end > from && s.charAt(end - 1) == ' ') {
            end--;
        }
        int n = end - from;
        if (n < 8) {
            return false;
        }
        char first = s.charAt(from);
        for (String o : OPENERS) {
            if (n < o.length() && o.charAt(0) == first && o.regionMatches(0, s, from, n)) {
                return true;
            }
        }
        return false;
    }

    /** Fewer characters of an opener at a line's end ("INFO: t") begin too many sentences to say. */
    private static final int MIN_CUT_AT_END = 8;

    /**
     * Where an opener cut short ends {@code s[from, end)} after other text ("gke-node-6rg7  INFO: task", "with error
     * `watchdog: BUG: soft"): a mailer or a page wrapped the line inside the message's first words, so the next line
     * may complete it. The cut part stands at a word's start and holds at least {@value #MIN_CUT_AT_END} characters;
     * -1 when there is none. Looks only at the line's last {@link #LONGEST} characters.
     */
    static int cutOpenerAtEnd(String s, int from, int end) {
        while (end > from && s.charAt(end - 1) == ' ') {
            end--;
        }
        for (int p = Math.max(from, end - LONGEST); p <= end - MIN_CUT_AT_END; p++) {
            char before = p == from ? ' ' : s.charAt(p - 1);
            if (before != ' ' && before != '`' && before != '"' && before != '\'' && before != '(' && before != '\t') {
                continue;
            }
            int n = end - p;
            char first = s.charAt(p);
            for (String o : OPENERS) {
                if (n < o.length() && o.charAt(0) == first && o.regionMatches(0, s, p, n)) {
                    return p;
                }
            }
        }
        return -1;
    }

    /** Tells {@code screen} of openers cut short: the lines {@link #cutOpener} looks for. */
    static void describe(LineScreen.Builder screen) {
        screen.rowStarting(EventTriggers::cutOpener, OPENERS);
    }

    /** The first opener at or after {@code from}, or -1. */
    static int find(String s, int from) {
        int best = -1;
        for (String o : OPENERS) {
            int at = s.indexOf(o, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** The first opener wholly inside {@code s[from, end)}, or -1. */
    static int findIn(String s, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if ((c == 'I' || c == 'r' || c == 'B' || c == 'N' || c == 'w' || c == 'W' || c == 'M' || c == 'O'
                    || c == 'K' || c == 'o' || c == 'C' || c == 'X') && startsAt(s, i, end)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where a second record starts in a line that holds several (a report collapsed into one line), looking after
     * {@code message} (the start of the first record's message): an opener, or a frame that follows another frame
     * (`[<addr>]` not after "from", crash's "#N [").
     */
    static int findRepeatable(String s, int message) {
        int best = -1;
        for (String o : REPEATABLE) {
            int at = s.indexOf(o, message + 1);
            while (at > 0) {
                // "watchdog: BUG: soft lockup", "rcu: INFO: rcu_sched" are one opener: the record starts at the tag,
                // unless the tag starts the record in hand
                int tag = s.startsWith("watchdog: ", at - 10) ? at - 10 : s.startsWith("rcu: ", at - 5) ? at - 5 : at;
                if (tag == at || tag > message) {
                    at = tag;
                    break;
                }
                at = s.indexOf(o, at + 1);
            }
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        int frame = s.indexOf("[<", message);
        if (frame >= 0) {
            int second = s.indexOf("[<", frame + 2);
            while (second >= 0 && s.startsWith("from ", second - 5)) {
                second = s.indexOf("[<", second + 2);
            }
            if (second > 0 && (best < 0 || second < best)) {
                best = second;
            }
        }
        int row = perfRow(s, message);
        if (row > message && (best < 0 || row < best)) {
            best = row;
        }
        int crash = crashFrame(s, message);
        if (crash >= 0) {
            int second = crashFrame(s, crash + 2);
            if (second > 0 && (best < 0 || second < best)) {
                best = second;
            }
        }
        return best;
    }

    /**
     * A perf report row without overhead columns ("comm [kernel.kallsyms] [k] sym") starting after {@code from}:
     * the index of its comm, or -1. Each row is a record of its own when a paste collapsed them into one line.
     */
    private static int perfRow(String s, int from) {
        for (int k = s.indexOf(" [k] ", from); k > from; k = s.indexOf(" [k] ", k + 1)) {
            int dso = s.lastIndexOf(' ', k - 1);
            if (dso <= from || (s.charAt(dso + 1) != '[' && s.charAt(dso + 1) != '/')) {
                continue;
            }
            int comm = dso;
            while (comm > from && s.charAt(comm - 1) == ' ') {
                comm--;
            }
            int start = s.lastIndexOf(' ', comm - 1) + 1;
            int before = start - 1;
            while (before > from && s.charAt(before) == ' ') {
                before--;
            }
            // a histogram line's overhead columns ("49.87%  0.00%  comm ...") belong to its row
            if (start > from && start < comm && s.charAt(before) != '%') {
                return start;
            }
        }
        return -1;
    }

    /** A crash `bt` frame "#12 [ffff...]" starting at or after {@code from}: the index of its '#', or -1. */
    private static int crashFrame(String s, int from) {
        return crashFrame(s, from, s.length());
    }

    private static int crashFrame(String s, int from, int end) {
        // searched within the line: a line looked at in place lies in a whole read buffer, which may hold no '#'
        int at = RawText.indexOf(s, from, end, '#');
        while (at >= 0) {
            int i = at + 1;
            while (i < s.length() && RawText.isDigit(s.charAt(i))) {
                i++;
            }
            if (i > at + 1 && i + 1 < s.length() && s.charAt(i) == ' ' && s.charAt(i + 1) == '['
                    && (at == 0 || s.charAt(at - 1) == ' ')) {
                return at;
            }
            at = RawText.indexOf(s, at + 1, end, '#');
        }
        return -1;
    }

    /** A dmesg stamp "[ 123.456789]" at or after {@code from}: the index of its '[', or -1. */
    static int embeddedStamp(String s, int from) {
        return embeddedStamp(s, from, s.length());
    }

    /** A dmesg stamp wholly inside {@code s[from, end)}: the index of its '[', or -1. */
    static int embeddedStamp(String s, int from, int end) {
        int n = Math.min(end, s.length());
        for (int at = from; at < n; at++) {
            if (s.charAt(at) != '[') {
                continue;
            }
            int i = at + 1;
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int digits = i;
            while (i < n && RawText.isDigit(s.charAt(i))) {
                i++;
            }
            if (i > digits && i < n && s.charAt(i) == '.') {
                int frac = ++i;
                while (i < n && RawText.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i - frac >= 3 && i < n && s.charAt(i) == ']') {
                    return at;
                }
            }
        }
        return -1;
    }

    /**
     * A dmesg stamp from {@code from} on that directly follows a frame's offset ("schedule+0x29/0x70[8556407.426137]",
     * "xfs_unmountfs+0x68/0x190 [xfs] [8556407.426165]"): the start of a record whose line break was lost, since the
     * kernel prints its stamp only at a line's start. Its '[', or -1.
     */
    static int stampAfterFrame(String s, int from) {
        for (int at = embeddedStamp(s, from); at >= 0; at = embeddedStamp(s, at + 1)) {
            int i = at;
            while (i > 0 && s.charAt(i - 1) == ' ') {
                i--;
            }
            if (i > 0 && s.charAt(i - 1) == ']') { // the frame's module tag, "[xfs]"
                int open = s.lastIndexOf('[', i - 1);
                boolean module = open > 0 && open + 1 < i - 1;
                for (int k = open + 1; module && k < i - 1; k++) {
                    module = isSymbolChar(s.charAt(k));
                }
                if (!module) {
                    continue;
                }
                i = open;
                while (i > 0 && s.charAt(i - 1) == ' ') {
                    i--;
                }
            }
            if (endsInOffset(s, i)) {
                return at;
            }
        }
        return -1;
    }

    /** Whether {@code s[0, end)} ends in a frame's offset and size: "+0x29/0x70". */
    private static boolean endsInOffset(String s, int end) {
        int i = end;
        while (i > 0 && isHex(s.charAt(i - 1))) {
            i--;
        }
        if (i == end || i < 3 || !s.startsWith("/0x", i - 3)) {
            return false;
        }
        int size = i - 3;
        i = size;
        while (i > 0 && isHex(s.charAt(i - 1))) {
            i--;
        }
        return i < size && i >= 3 && s.startsWith("+0x", i - 3);
    }

    /** True when {@code s[from, end)} holds a frame address "[<" or a crash frame "#N [". */
    static boolean holdsFrameMark(String s, int from, int end) {
        return RawText.contains(s, from, end, "[<") || crashFrame(s, from, end) >= 0;
    }

    /**
     * In a line holding at least two frames of a trace ("Call Trace: ? __schedule+0x2c7/0x740 schedule+0x4a/0xb0",
     * a trace whose line breaks were lost), where the first frame after {@code message} starts, with the address
     * brackets and '?' printed before its symbol ("[<ffffffff8106a0d3>] ? ", "[c000000fe3f8f9d0] [c0000000001234]
     * "); -1 when the line holds fewer than two frames or none after its start.
     */
    static int nextFrame(String s, int message, int end) {
        int lead = message;
        while (lead < end && (s.charAt(lead) == ' ' || s.charAt(lead) == '\t')) {
            lead++;
        }
        int first = -1;
        // within the line (a frame's offset needs its digits after "+0x" there anyway): a line looked at in place
        // lies in a whole read buffer, which may hold no "+0x" for a megabyte
        for (int plus = RawText.indexOf(s, message, end, "+0x"); plus >= 0;
                plus = RawText.indexOf(s, plus + 3, end, "+0x")) {
            int start = frameStart(s, message, plus, end);
            if (start < 0) {
                continue;
            }
            if (first < 0) {
                first = start;
                continue;
            }
            // words before the first frame ("Call Trace:") are a record of their own, unless they are a register
            // line's label, whose function the frame is ("RIP: 0010:nvWriteGpEntry+0xf0/0x370"); else the second
            // frame starts one
            return first > lead && !registerLabel(s, lead, first) ? first : start;
        }
        return -1;
    }

    /**
     * Whether {@code s[from, to)} is the label of a register line that names the function running, as __show_regs
     * prints it: x86's "RIP: 0010:" (the code segment), arm64's "pc : " and "lr : ", arm's and i386's older "PC is at "
     * and "EIP is at ".
     */
    private static boolean registerLabel(String s, int from, int to) {
        int n = to - from;
        if (n == 10 && s.startsWith("RIP: ", from) && s.charAt(from + 9) == ':') {
            for (int k = from + 5; k < from + 9; k++) {
                if (!isHex(s.charAt(k))) {
                    return false;
                }
            }
            return true;
        }
        return n == 5 && (s.startsWith("pc : ", from) || s.startsWith("lr : ", from))
                || n == 9 && s.startsWith("PC is at ", from) || n == 10 && s.startsWith("EIP is at ", from);
    }

    /**
     * For "+0x" at {@code plus}: when it is a frame's offset ("sym+0xOFF/0xSIZE", optionally ".isra.0" in the
     * symbol), where the frame starts (its symbol, or the '?' and address brackets before it); else -1.
     */
    private static int frameStart(String s, int from, int plus, int n) {
        int i = plus + 3;
        int hex = i;
        while (i < n && isHex(s.charAt(i))) {
            i++;
        }
        if (i == hex || i + 3 > n || !s.startsWith("/0x", i)) {
            return -1;
        }
        int sym = plus;
        while (sym > from && isSymbolChar(s.charAt(sym - 1))) {
            sym--;
        }
        if (sym == plus || (sym > from && s.charAt(sym - 1) != ' ' && s.charAt(sym - 1) != ']'
                && s.charAt(sym - 1) != ':' && s.charAt(sym - 1) != '>')) {
            return -1;
        }
        int start = moduleColonStart(s, from, sym);
        // back over "? " and up to two address brackets: "[<ffffffff8106a0d3>] ? ", "[c0000000] [c0000000] ", "[] "
        for (int k = 0; k < 4; k++) {
            int j = start;
            while (j > from && s.charAt(j - 1) == ' ') {
                j--;
            }
            if (j > from && s.charAt(j - 1) == '?') {
                start = j - 1;
                continue;
            }
            if (j > from && s.charAt(j - 1) == ']') {
                int open = s.lastIndexOf('[', j - 1);
                if (open >= from && isAddress(s, open + 1, j - 1)) {
                    start = open;
                    continue;
                }
            }
            break;
        }
        return start;
    }

    /**
     * 2.6.18's x86_64 trace names a module's symbol ":jbd:journal_commit_transaction+0x543/0x1066": where that
     * ":module:" begins before the symbol at {@code sym}, or {@code sym} when there is none.
     */
    private static int moduleColonStart(String s, int from, int sym) {
        if (sym - 2 < from || s.charAt(sym - 1) != ':') {
            return sym;
        }
        int m = sym - 1;
        while (m > from && isSymbolChar(s.charAt(m - 1))) {
            m--;
        }
        boolean opened = m > from && m < sym - 1 && s.charAt(m - 1) == ':';
        return opened && (m - 1 == from || s.charAt(m - 2) == ' ' || s.charAt(m - 2) == ']') ? m - 1 : sym;
    }

    /** An address as traces print it between brackets: empty (a web page ate it), "<ffff...>", "ffff...". */
    private static boolean isAddress(String s, int from, int end) {
        int i = from;
        if (i < end && s.charAt(i) == '<') {
            i++;
            end = end > i && s.charAt(end - 1) == '>' ? end - 1 : end;
        }
        for (; i < end; i++) {
            if (!isHex(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isSymbolChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }
}
