package dev.hangdoctor.parse;

import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.StackContext;

/**
 * Reads one stack frame line of any trace hangdoctor understands, so the kernel-log parser and the live
 * `/proc/PID/stack` reader agree on what a frame is:
 * <ul>
 *   <li>x86 3.10 and `/proc/PID/stack`: `[<ffffffff8163a909>] schedule+0x29/0x70`, `[<0>] do_wait+0x156/0x2f0`,
 *       `[<ffffffff...>] ? __schedule+0x...`;</li>
 *   <li>4.x and later: `__schedule+0x3d6/0x8b0`, `? bit_wait+0x50/0x50`,
 *       `ext4_sync_file+0x1f5/0x3a0 [ext4 1b2c...]`, syzbot's `context_switch kernel/sched/core.c:5401 [inline]`,
 *       arm64's `__switch_to+0xf0/0x1c0 (T)`;</li>
 *   <li>arm32 `[<8079ef70>] (__schedule) from [<8079f5d8>] (schedule+0x50/0xa8)` and, since 5.x,
 *       `__schedule from schedule+0x60/0xcc`;</li>
 *   <li>s390 `([<0000000000113d16>] show_trace+0xf6/0x148)` (a frame the unwinder could not vouch for), and `[] ? schedule_timeout+0x1ed/0x2d0` where a web
 *       page ate the address as an HTML tag;</li>
 *   <li>2.6.18 x86_64 `[<ffffffff88582f6d>] :jbd2:jbd2_journal_commit_transaction+0x191/0x1068`;</li>
 *   <li>powerpc `[c000003fce317400] [c000000000b5f9d0] rcu_dump_cpu_stacks+0xd0/0x134`;</li>
 *   <li>crash `bt`: `#2 [ffff9f53ff35bc98] jbd2_journal_commit_transaction at ffffffffc01fe8b0 [jbd2]`.</li>
 * </ul>
 * Returns null for anything else; never throws. The context is always TASK: which stack a frame ran on is told
 * by marker lines around it, which only the caller sees.
 */
public final class FrameLineParser {
    private static final int MAX_SYMBOL = 256;

    private FrameLineParser() {
    }

    /** One frame from a line with its surrounding whitespace already trimmed, or null if it is not a frame. */
    public static Frame parse(String line) {
        if (line == null || line.isEmpty()) {
            return null;
        }
        char c = line.charAt(0);
        if (c == '#') {
            return parseCrash(line);
        }
        if (c == '(' && line.startsWith("([<") && line.endsWith(")")) {
            // s390 (arch/s390/kernel/dumpstack.c): a frame the unwinder could not vouch for is printed
            // "([<%016lx>] %pSR)"
            Frame inner = parse(line.substring(1, line.length() - 1).strip());
            return inner == null ? null
                    : new Frame(inner.function(), inner.location(), inner.module(), true, inner.context());
        }
        int i = 0;
        boolean addressed = false;
        if (line.startsWith("[]")) {
            // "[<ffffffff8163a909>]" after a web page took "<ffffffff8163a909>" for an HTML tag
            i = skipSpaces(line, 2);
            addressed = true;
        } else if (c == '[') {
            if (line.length() >= 4 && line.charAt(1) != '<') {
                return parsePowerpc(line);
            }
            // "[<ffffffff8163a909>]", "[<0>]" and the "[< 0>]" of hand-edited pastes
            if (line.length() < 4) {
                return null;
            }
            int close = line.indexOf(">]", 2);
            if (close < 0 || close > 24) {
                return null;
            }
            i = skipSpaces(line, close + 2);
            addressed = true;
            if (i < line.length() && line.charAt(i) == '(') {
                return parseArm(line, i);
            }
        }
        boolean unreliable = false;
        if (i + 1 < line.length() && line.charAt(i) == '?' && line.charAt(i + 1) == ' ') {
            unreliable = true;
            i = skipSpaces(line, i + 2);
        }
        if (addressed && i < line.length() && line.charAt(i) == ':') {
            // 2.6.18 x86_64 printk_address(): a module's symbol as ":module:name+0x../0x.."
            int second = line.indexOf(':', i + 1);
            if (second < 0 || second - i - 1 < 1 || second - i - 1 > 64) {
                return null;
            }
            Frame f = parseSymbol(line, second + 1, true, unreliable);
            return f == null ? null
                    : new Frame(f.function(), f.location(), line.substring(i + 1, second), unreliable, f.context());
        }
        Frame f = parseSymbol(line, i, addressed, unreliable);
        return f != null || addressed ? f : parseArmFrom(line, i, unreliable);
    }

    /**
     * A frame line the unwinder did not vouch for, printed without its offset: {@code ? nfs_do_lookup} (the last
     * line of a paste cut inside it, the offset and maybe part of the name lost). Only the "? " mark makes a bare
     * word a frame, so the caller takes it only among a stack's frames; null for anything else.
     */
    public static Frame parseMarkedName(String line) {
        if (line == null || !line.startsWith("? ")) {
            return null;
        }
        int start = skipSpaces(line, 2);
        int n = line.length();
        if (n - start < 3 || n - start > MAX_SYMBOL) {
            return null;
        }
        char first = line.charAt(start);
        if (!(Character.isLetter(first) || first == '_')) {
            return null;
        }
        for (int k = start; k < n; k++) {
            if (!isSymbolChar(line.charAt(k))) {
                return null;
            }
        }
        return new Frame(line.substring(start), "", null, true, StackContext.TASK);
    }

    /**
     * arm32 since 5.x without CONFIG_BACKTRACE_VERBOSE (arch/arm/kernel/traps.c dump_backtrace_entry:
     * "%s %ps from %pS"): `__schedule from schedule+0x60/0xcc`, `lm90_read [lm90] from hwmon_attr_show+0x..`. The
     * line's frame is the function before "from"; the caller after it, with its offset, vouches for the line.
     */
    private static Frame parseArmFrom(String line, int i, boolean unreliable) {
        int from = line.indexOf(" from ", i);
        if (from <= i) {
            return null;
        }
        int nameEnd = i;
        while (nameEnd < from && isSymbolChar(line.charAt(nameEnd))) {
            nameEnd++;
        }
        char first = line.charAt(i);
        if (nameEnd == i || nameEnd - i > MAX_SYMBOL || !(Character.isLetter(first) || first == '_')) {
            return null;
        }
        String module = null;
        if (nameEnd < from) {
            String between = line.substring(nameEnd, from).strip();
            if (!(between.startsWith("[") && between.endsWith("]") && isModuleName(between.substring(1,
                    between.length() - 1)))) {
                return null;
            }
            module = between.substring(1, between.length() - 1);
        }
        Frame caller = parseSymbol(line, skipSpaces(line, from + 6), false, false);
        if (caller == null || !caller.location().startsWith("+0x") || !caller.location().contains("/0x")) {
            return null;
        }
        return new Frame(line.substring(i, nameEnd), "", module, unreliable, StackContext.TASK);
    }

    /**
     * An arm32 backtrace line with its addresses, {@code [<pc>] (fn) from [<lr>] (caller+0x../0x..)}
     * (arch/arm/kernel/traps.c dump_backtrace_entry): a shape only a kernel dump prints, never a /proc stack.
     */
    static boolean isArmBacktraceLine(String line) {
        if (!line.startsWith("[<")) {
            return false;
        }
        int close = line.indexOf(">]", 2);
        if (close < 0 || close > 24) {
            return false;
        }
        int open = skipSpaces(line, close + 2);
        if (open >= line.length() || line.charAt(open) != '(') {
            return false;
        }
        int end = line.indexOf(')', open);
        return end > 0 && line.startsWith(" from [<", end + 1);
    }

    /** A frame of the address-free `/proc/PID/stack` terminator kind (`0xffffffffffffffff`) that means "end". */
    public static boolean isTerminator(Frame f) {
        return f != null && f.function().equals("0xffffffffffffffff");
    }

    /** Parses from {@code i}: `name+0xoff/0xsize [module buildid]`, `name file.c:12 [inline]` or a raw address. */
    private static Frame parseSymbol(String line, int i, boolean addressed, boolean unreliable) {
        int n = line.length();
        int start = i;
        while (i < n && isSymbolChar(line.charAt(i))) {
            i++;
        }
        int nameEnd = i;
        if (nameEnd == start || nameEnd - start > MAX_SYMBOL) {
            return null;
        }
        char first = line.charAt(start);
        if (!(Character.isLetter(first) || first == '_' || first == '.' || first == '0')) {
            return null;
        }
        String location = "";
        int lost = lostPlus(line, start, i);
        if (lost > 0) {
            // "__switch_to_0x104/0x1c8": a page or a mail client made the '+' an underscore
            int locEnd = scanOffset(line, lost);
            if (locEnd > 0) {
                return new Frame(line.substring(start, lost), "+" + line.substring(lost + 1, locEnd),
                        moduleAfter(line, locEnd), unreliable, StackContext.TASK);
            }
        }
        if (i < n && line.charAt(i) == '+') {
            int locEnd = scanOffset(line, i);
            if (locEnd < 0) {
                return null;
            }
            location = line.substring(i, locEnd);
            i = locEnd;
        } else if (!addressed && !(i < n && line.charAt(i) == ' '
                && (looksLikeSourceRef(line, i + 1) || decodedSourceRef(line, i + 1)))) {
            // a bare word is only a frame when an address or a source reference vouches for it
            return null;
        } else if (i < n && line.charAt(i) != ' ') {
            return null;
        }
        String function = line.substring(start, nameEnd);
        if (function.startsWith("0x") && !isHex(function, 2)) {
            return null;
        }
        String module = moduleAfter(line, i);
        return new Frame(function, location, module, unreliable, StackContext.TASK);
    }

    /**
     * powerpc show_stack(): `[c000003fce317400] [c000000000b5f9d0] rcu_dump_cpu_stacks+0xd0/0x134` (stack pointer,
     * return address, symbol), optionally a module, the ftrace return ` (func+0x..)` and ` (unreliable)`, which the
     * kernel prints on the first frame when it may be a stale link register value.
     */
    private static Frame parsePowerpc(String line) {
        int i = hexInBrackets(line, 0);
        if (i < 0) {
            i = symbolInBrackets(line);
            if (i < 0) {
                return null;
            }
            // i386 before 2.6.20 with symbolic addresses: "[softlockup_tick+170/195] softlockup_tick+0xaa/0xc3"
            Frame f = parseSymbol(line, i + 1, false, false);
            return f == null || f.location().isEmpty() ? null : f;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            return null;
        }
        int second = hexInBrackets(line, i + 1);
        if (second < 0) {
            // 32-bit powerpc before 2.6.2x printed the return address alone: "[c02b9fa0] ide_do_request+0x5b0/0x990"
            Frame f = parseSymbol(line, i + 1, false, false);
            return f == null || f.location().isEmpty() ? null : f;
        }
        i = second;
        if (i >= line.length() || line.charAt(i) != ' ') {
            return null;
        }
        Frame f = parseSymbol(line, i + 1, false, false);
        if (f == null) {
            f = unresolvedPowerpc(line, i + 1);
        }
        if (f == null || f.location().isEmpty() && !f.function().startsWith("0x")) {
            return null;
        }
        return line.endsWith(" (unreliable)")
                ? new Frame(f.function(), f.location(), f.module(), true, f.context()) : f;
    }

    /**
     * The return address that %pS could not name, printed as `0x` and hex digits: powerpc show_stack's first line
     * is often `[c0000000062c37d0] [c0000000062c3830] 0xc0000000062c3830 (unreliable)` (a stale link register
     * slot pointing into the stack itself). Nothing or a ` (` tail may follow; null for anything else.
     */
    private static Frame unresolvedPowerpc(String line, int i) {
        if (!line.startsWith("0x", i)) {
            return null;
        }
        int end = i + 2;
        while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
            end++;
        }
        if (end - i - 2 < 4 || end - i - 2 > 16 || end < line.length() && !line.startsWith(" (", end)) {
            return null;
        }
        return new Frame(line.substring(i, end), "", null, false, StackContext.TASK);
    }

    /** The index after a leading `[name+dec/dec]` followed by a space, or -1. */
    private static int symbolInBrackets(String line) {
        int close = line.indexOf(']');
        if (close < 5 || close > MAX_SYMBOL || close + 1 >= line.length() || line.charAt(close + 1) != ' ') {
            return -1;
        }
        int plus = line.lastIndexOf('+', close);
        int slash = line.indexOf('/', plus);
        if (plus < 2 || slash < plus + 2 || slash > close - 2) {
            return -1;
        }
        for (int k = 1; k < plus; k++) {
            if (!isSymbolChar(line.charAt(k))) {
                return -1;
            }
        }
        for (int k = plus + 1; k < close; k++) {
            if (k != slash && !isDigit(line.charAt(k))) {
                return -1;
            }
        }
        return close + 1;
    }

    /** The index after `[hex]` at {@code from} (8 to 16 hex digits), or -1. */
    private static int hexInBrackets(String line, int from) {
        if (from >= line.length() || line.charAt(from) != '[') {
            return -1;
        }
        int close = line.indexOf(']', from);
        if (close - from - 1 < 8 || close - from - 1 > 16 || !isHex(line.substring(from + 1, close), 0)) {
            return -1;
        }
        return close + 1;
    }

    /**
     * crash: `#N [stackaddr] name at addr [module]`, optionally `name+off` (bt -s) and `(via x)` / ` *` tails; on
     * arm32 `#N [<pc>] (name) from [<lr>]`.
     */
    private static Frame parseCrash(String line) {
        int n = line.length();
        int i = 1;
        int digits = i;
        while (i < n && isDigit(line.charAt(i))) {
            i++;
        }
        if (i == digits || i >= n || line.charAt(i) != ' ') {
            return null;
        }
        i = skipSpaces(line, i);
        if (i < n && line.charAt(i) == '[') {
            int close = line.indexOf(']', i);
            if (close < 0) {
                return null;
            }
            i = skipSpaces(line, close + 1);
            if (i < n && line.charAt(i) == '(') {
                // crash on arm32 (arm.c): "#0 [<c0a1f8c0>] (__schedule) from [<c0a1d054>]", a module as "(name [mod])"
                return parseArm(line, i);
            }
        }
        int at = line.indexOf(" at ", i);
        if (at < 0) {
            return null;
        }
        String name = line.substring(i, at).trim();
        int sp = name.indexOf(' ');
        if (sp > 0) {
            name = name.substring(0, sp); // "stext_lock (via drain_cpu_caches)"
        }
        if (name.isEmpty() || name.length() > MAX_SYMBOL) {
            return null;
        }
        String location = "";
        int plus = name.indexOf('+');
        if (plus > 0) {
            location = name.substring(plus);
            name = name.substring(0, plus);
        }
        int addrStart = skipSpaces(line, at + 4);
        int addrEnd = addrStart;
        while (addrEnd < n && isHexDigit(line.charAt(addrEnd))) {
            addrEnd++;
        }
        if (addrEnd == addrStart) {
            return null;
        }
        String module = moduleAfter(line, addrEnd);
        return new Frame(name, location, module, false, StackContext.TASK);
    }

    /** arm32: `[<pc>] (function) from [<lr>] (caller+0x50/0xa8)`: the line's frame is the first function. */
    private static Frame parseArm(String line, int open) {
        int close = line.indexOf(')', open);
        if (close < 0) {
            return null;
        }
        String inner = line.substring(open + 1, close).trim();
        String module = null;
        int sp = inner.indexOf(' ');
        if (sp > 0) {
            module = moduleAfter(inner, sp);
            inner = inner.substring(0, sp);
        }
        int plus = inner.indexOf('+');
        String location = "";
        if (plus > 0) {
            location = inner.substring(plus);
            inner = inner.substring(0, plus);
        }
        if (inner.isEmpty() || !isSymbolChar(inner.charAt(0))) {
            return null;
        }
        return new Frame(inner, location, module, false, StackContext.TASK);
    }

    /** End of `+0x135/0x150` (or crash's decimal `+24`) starting at the '+', or -1 when malformed. */
    private static int scanOffset(String line, int plus) {
        int n = line.length();
        int i = plus + 1;
        if (line.startsWith("0x", i)) {
            i += 2;
            int h = i;
            while (i < n && isHexDigit(line.charAt(i))) {
                i++;
            }
            if (i == h || i < n && Character.isLetter(line.charAt(i))) {
                int typed = typedIntoOffset(line, h);
                if (typed > 0 || i == h) {
                    return typed;
                }
            }
            if (i < n && line.charAt(i) == '/') {
                int s = i + 1;
                if (line.startsWith("0x", s)) {
                    int j = s + 2;
                    int h2 = j;
                    while (j < n && isHexDigit(line.charAt(j))) {
                        j++;
                    }
                    if (j > h2) {
                        i = j;
                    }
                }
            }
            return i;
        }
        int d = i;
        while (i < n && isDigit(line.charAt(i))) {
            i++;
        }
        return i == d ? -1 : i;
    }

    /**
     * An offset a copy typed letters into ({@code __schedule+0xversion2d1/0x870}: a word pasted over the digits),
     * vouched for by the size after it: letters and hex digits, then {@code /0x<hex>} ending the field. Returns the
     * index past the size, or -1. The frame's function is what matters to a diagnosis, and losing the line would
     * cut the stack it stands in.
     */
    private static int typedIntoOffset(String line, int from) {
        int n = line.length();
        int i = from;
        while (i < n && i - from < 24 && Character.isLetterOrDigit(line.charAt(i))) {
            i++;
        }
        if (!line.startsWith("/0x", i)) {
            return -1;
        }
        int h = i + 3;
        int j = h;
        while (j < n && isHexDigit(line.charAt(j))) {
            j++;
        }
        return j > h && (j == n || line.charAt(j) == ' ') ? j : -1;
    }

    /**
     * Where a symbol run {@code [start, end)} followed by "/0x.." ends in "_0x<hex>" (the frame's '+' turned into an
     * underscore): the index of that underscore, or -1. No kernel symbol is followed by "/0x".
     */
    private static int lostPlus(String line, int start, int end) {
        if (end >= line.length() || !line.startsWith("/0x", end)) {
            return -1;
        }
        int u = line.lastIndexOf("_0x", end - 1);
        if (u <= start || u + 3 >= end) {
            return -1;
        }
        for (int k = u + 3; k < end; k++) {
            if (!isHexDigit(line.charAt(k))) {
                return -1;
            }
        }
        return u;
    }

    /** `kernel/sched/core.c:5401`: what syzbot-symbolised traces print after an offset-less inline frame. */
    private static boolean looksLikeSourceRef(String line, int i) {
        int sp = line.indexOf(' ', i);
        int end = sp < 0 ? line.length() : sp;
        int colon = line.lastIndexOf(':', end - 1);
        if (colon <= i || colon + 1 >= end) {
            return false;
        }
        for (int k = colon + 1; k < end; k++) {
            if (!isDigit(line.charAt(k))) {
                return false;
            }
        }
        return line.lastIndexOf('.', colon) > i;
    }

    /**
     * scripts/decode_stacktrace.sh's output (what the kernel test robot and many LKML reports paste): the offset
     * replaced by the source lines in parentheses, `schedule (arch/x86/include/asm/preempt.h:85 kernel/sched/core.c:6746)`,
     * `io_schedule_timeout (kernel/sched/core.c:6551)`.
     */
    private static boolean decodedSourceRef(String line, int i) {
        if (i >= line.length() || line.charAt(i) != '(') {
            return false;
        }
        int end = i + 1;
        while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != ')') {
            end++;
        }
        int colon = line.lastIndexOf(':', end - 1);
        if (colon <= i + 1 || colon + 1 >= end) {
            return false;
        }
        for (int k = colon + 1; k < end; k++) {
            if (!isDigit(line.charAt(k))) {
                return false;
            }
        }
        int dot = line.lastIndexOf('.', colon);
        return dot > i + 1 && (line.charAt(dot + 1) == 'c' || line.charAt(dot + 1) == 'h' || line.charAt(dot + 1) == 'S'
                || line.charAt(dot + 1) == 'r');
    }

    /** The module of a `[ext4]` or `[ext4 1b2c...]` suffix anywhere after {@code from}; `[inline]` is not one. */
    private static String moduleAfter(String line, int from) {
        int open = line.indexOf(" [", from);
        while (open >= 0) {
            int close = line.indexOf(']', open + 2);
            if (close < 0) {
                return null;
            }
            String inner = line.substring(open + 2, close).trim();
            int sp = inner.indexOf(' ');
            String name = sp < 0 ? inner : inner.substring(0, sp);
            if (!name.isEmpty() && !name.equals("inline") && isModuleName(name)) {
                return name;
            }
            open = line.indexOf(" [", close);
        }
        return null;
    }

    private static boolean isModuleName(String s) {
        for (int k = 0; k < s.length(); k++) {
            char ch = s.charAt(k);
            if (!(Character.isLetterOrDigit(ch) || ch == '_' || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean isSymbolChar(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'
                || ch == '.' || ch == '$';
    }

    static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }

    static boolean isHexDigit(char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    }

    private static boolean isHex(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int k = from; k < s.length(); k++) {
            if (!isHexDigit(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
