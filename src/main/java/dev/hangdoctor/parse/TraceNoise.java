package dev.hangdoctor.parse;

/**
 * The lines traces interleave with their frames, which must neither end a stack nor become frames: register
 * dumps ({@code RIP: 0010:...}, {@code RAX: ...}, crash's {@code ORIG_RAX: ... CS: 0010 SS: 0018}), {@code Code:},
 * raw stack words (3.10 {@code ffff881030e3bc10 0000000000000046 ...}, crash {@code bt -f}
 * {@code ffff9f53ff35bc90: ffff9f53ff35be38 ...}), crash {@code bt -l} source lines, and the info lines
 * {@code sched_show_task()}/{@code dump_stack()} print between a header and its stack.
 */
final class TraceNoise {
    /** The info lines sched_show_task()/dump_stack()/show_regs() print around a stack, not between its frames. */
    private static final String[] INFO_PREFIXES = {
        "Workqueue:", "Hardware name:", "Tainted:", "Not tainted", "\"echo 0 >", "Sched_ext:", "Stopper:",
        "Modules linked in:", "irq event stamp:", "hardirqs last", "softirqs last", "Stack:",
    };
    /** Lines an unwinder prints between two frames of one stack (besides registers and stack words). */
    private static final String[] BETWEEN_FRAMES_PREFIXES = {
        "Code:", "Exception stack(",
        // mips show_stacktrace(): "Stack : 00000003 00000001 ..."
        "Stack : ",
        // powerpc show_stack() at an exception frame: "--- interrupt: 901 at func+0x../0x.." and "    LR = func+0x..";
        // before 5.x "--- Exception: 901 at func+0x../0x.."
        "--- interrupt: ", "--- Exception: ", "LR = ",
        // arm64 __show_regs(): "pstate: 60400005 (nZCv ...)", "pc : func+0x../0x..", "lr : ...", "sp : ..."
        "pstate: ", "pc : ", "lr : ", "sp : ",
        // powerpc show_regs(): "NIP [c000000000beea10] func+0x../0x..", "LR [...] func+0x../0x.."
        "NIP [", "LR [",
        // i386 show_regs() and show_registers() among the registers: "EIP is at __read_lock_failed+0x8/0x14"
        "EIP is at ",
        // s390 show_registers() (arch/s390/kernel/dumpstack.c), "Krnl" for the kernel's, "User" for user space's:
        // "Krnl PSW : <mask> <addr> (fn+0x../0x..)", "Krnl GPRS: " and three more rows of words, "Krnl Code: " and the
        // disassembly
        "Krnl PSW : ", "Krnl GPRS: ", "Krnl Code: ", "User PSW : ", "User GPRS: ", "User Code: ",
    };

    private TraceNoise() {
    }

    /** Lines tolerated anywhere inside a kernel stack block. */
    static boolean isInterleaved(String t) {
        return isBetweenFrames(t) || startsWithAny(t, INFO_PREFIXES);
    }

    /**
     * Lines only a kernel dump prints, between the frames of one stack: registers (x86 {@code RIP:}/{@code R10:},
     * arm32's {@code r10:c0c531a4 r9:...} that arch/arm/kernel/traps.c dump_backtrace_stm() prints after a frame,
     * arm64's {@code x29: ...}), stack words, {@code Exception stack(...)}, powerpc's exception markers. A stack read
     * without its header goes on through them; unlike the info lines, none of them starts another task's report.
     */
    static boolean isBetweenFrames(String t) {
        char c = t.charAt(0);
        if (c >= 'A' && c <= 'Z' && isRegisterLine(t)) {
            return true;
        }
        if (startsWithAny(t, BETWEEN_FRAMES_PREFIXES)) {
            return true;
        }
        if ((c == 'r' || c == 'x') && t.length() > 3 && FrameLineParser.isDigit(t.charAt(1)) && t.indexOf(':') > 0
                && t.indexOf(':') < 5) {
            return true; // arm32 " r10:c0c531a4 r9:00000002 ...", arm64 "x29: ffff000033603a30 x28: ..."
        }
        if ((c == '#' || c == '>') && t.length() > 1 && isWordsLine(t.substring(1))) {
            return true; // s390 show_code(): the instruction before the PSW's marked '#', the PSW's own '>'
        }
        if (c == 'R' && t.startsWith("R:") && t.contains(" T:") && t.contains(" IO:")) {
            return true; // s390 show_registers(): the PSW's bits, "R:0 T:1 IO:1 EX:1 Key:0 M:1 W:0 P:0 AS:3 CC:2 PM:0"
        }
        return isWordsLine(t);
    }

    private static boolean startsWithAny(String t, String[] prefixes) {
        for (String p : prefixes) {
            if (t.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Lines tolerated between a header and the first frame only. */
    static boolean isHeaderNoise(String t) {
        // "flags:0x...": the last field of sched_show_task's "task:... ppid:N flags:0x%08lx" line, which a mailer
        // wrapped onto a line of its own
        // "Last syscall: 54": ppc32's show_regs() right under its "TASK = ..." line
        return t.startsWith("task: ") || t.startsWith("RIP ") || t.startsWith("Showing busy") || t.startsWith("flags:0x")
                || t.startsWith("Last syscall: ");
    }

    /** Lines tolerated inside a crash {@code bt}. */
    static boolean isCrashInterleaved(String t) {
        char c = t.charAt(0);
        if (c >= 'A' && c <= 'Z' && isRegisterLine(t)) {
            return true;
        }
        if (c == '/' && endsWithLineNumber(t)) {
            return true; // bt -l
        }
        if (t.startsWith("...") || t.startsWith("…") || t.startsWith("bt: ")) {
            return true; // hand-elided frame words, crash warnings
        }
        return isWordsLine(t);
    }

    /**
     * {@code RIP: 0010:func+0x..}, {@code RSP: 0018:...}, {@code R10: ...}, {@code ORIG_RAX: ...}: an upper-case
     * register name and a colon. Headers that look the same ({@code INFO:}, {@code CPU:}, {@code PID:}) are not.
     */
    static boolean isRegisterLine(String t) {
        int colon = t.indexOf(':');
        if (colon < 2 || colon > 8 || colon + 1 >= t.length() || t.charAt(colon + 1) != ' ') {
            return false;
        }
        for (int k = 0; k < colon; k++) {
            char ch = t.charAt(k);
            if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')) {
                return false;
            }
        }
        String name = t.substring(0, colon);
        return !(name.equals("INFO") || name.equals("CPU") || name.equals("PID") || name.equals("TASK")
                || name.equals("COMMAND") || name.equals("STATE") || name.equals("BUG") || name.equals("WARNING"));
    }

    /**
     * Raw stack words: a hex word of 8+ digits (optionally {@code addr:}) followed by another hex word; or arm32's
     * dump_mem() rows under "Exception stack(...)", the address's low 16 bits then the words
     * ({@code 1d20: e929f000 ecfd7000 ...}, blanks for words before the range).
     */
    static boolean isWordsLine(String t) {
        int i = hexRun(t, 0);
        if (i < 8 && !(i == 4 && i < t.length() && t.charAt(i) == ':')) {
            return false;
        }
        if (i < t.length() && t.charAt(i) == ':') {
            i++;
        }
        if (i == t.length()) {
            return false;
        }
        int s = FrameLineParser.skipSpaces(t, i);
        if (s == i) {
            return false;
        }
        return hexRun(t, s) - s >= 8;
    }

    private static int hexRun(String t, int from) {
        int i = from;
        while (i < t.length() && FrameLineParser.isHexDigit(t.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean endsWithLineNumber(String t) {
        int colon = t.lastIndexOf(": ");
        if (colon < 0) {
            return false;
        }
        String n = t.substring(colon + 2).strip();
        return TaskLineParser.parseIntOrNull(n) != null;
    }
}
