package dev.hangdoctor.parse;

import java.util.function.ObjLongConsumer;

/**
 * Kernel lines carried as a quoted field of another program's log record, taken out before any parser sees them:
 * <ul>
 *   <li>logfmt (Go's logrus text format, as containerd, dockerd and Kata write to the journal): Kata's guest console
 *       {@code vmconsole="[  588.820661]  hrtimer_interrupt+0x11d/0x260"}, and a record's {@code msg="..."}; values
 *       are quoted the way Go's {@code %q} quotes ({@code \"}, {@code \\}, {@code \n}, {@code \t}, {@code \x1b},
 *       {@code \u00e9});</li>
 *   <li>JSON records: {@code journalctl -o json} and {@code -o json-pretty} ({@code "MESSAGE":"..."}, older systemd
 *       {@code "MESSAGE" : "..."}), Docker's json-file driver ({@code {"log":"...\n","stream":"stderr","time":...}}),
 *       log shippers' and stores' exports ({@code "message":"..."}, {@code "msg":"..."}); JSON escapes ({@code \"},
 *       {@code \\}, {@code \/}, {@code \n}, {@code \t}, {@code \u001b}).</li>
 * </ul>
 * The field's value, unescaped, with terminal colour sequences taken off, replaces the whole record (the carrier's
 * own time, host and level say nothing about the kernel); a value holding line breaks gives one line each, and a
 * record carried inside another (the Kata agent's JSON inside {@code vmconsole}, a logfmt line inside
 * {@code MESSAGE}) is unwrapped in turn by the caller. A console carried in {@code vmconsole} comes before the
 * record's {@code msg} ("reading guest console"); of JSON keys, {@code MESSAGE} before {@code log} before
 * {@code message} before {@code msg}.
 *
 * <p>Cheap for a big log: the screen passes a line only when one of the {@link #describe keys} stands in it (one scan
 * of the read buffer for '"'), and {@link #unwrap} turns a line without '"' away with one look.
 */
final class LogCarriers {
    /** logfmt keys whose quoted value is a whole line of another program's output, most specific first. */
    private static final String[] LOGFMT = {"vmconsole=\"", "msg=\""};
    /** JSON keys whose string value is a record's message, most specific first. */
    private static final String[] JSON = {"\"MESSAGE\"", "\"log\"", "\"message\"", "\"msg\""};

    private LogCarriers() {
    }

    /** Tells the screen the keys: a line holding one must come to {@link #unwrap}. */
    static void describe(LineScreen.Builder screen) {
        for (String k : LOGFMT) {
            screen.needle(k, '"');
        }
        for (String k : JSON) {
            screen.needle(k, '"');
        }
    }

    /**
     * When {@code line} is one record of another program carrying a line in a known field, sends that line (each of
     * its lines) to {@code out} with {@code lineNo} and returns true; otherwise sends nothing and returns false. A line
     * holding more than the one record (a paste whose line breaks were lost) is left to the caller, which splits it.
     */
    static boolean unwrap(String line, long lineNo, ObjLongConsumer<String> out) {
        if (line.indexOf('"') < 0) {
            return false;
        }
        int[] at = new int[2];
        if (!carrier(line, at)) {
            return false;
        }
        StringBuilder sb = new StringBuilder(line.length() - at[1]);
        int close = unescape(line, at[1], sb);
        if (!restOfRecord(line, at[0], close)) {
            return false;
        }
        String text = withoutControls(sb);
        for (int from = 0; ; ) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                if (from < text.length() || from == 0) {
                    // the line break a record ends with (Docker's "log" field) opens no line of its own
                    out.accept(text.substring(from), lineNo);
                }
                break;
            }
            out.accept(text.substring(from, nl), lineNo);
            from = nl + 1;
        }
        return true;
    }

    /**
     * Finds the carrying field in {@code line}: {@code at[0]} where its key starts (negated, less one, for a JSON key),
     * {@code at[1]} where its value starts past the opening quote. False when no known field holds a value.
     */
    private static boolean carrier(String line, int[] at) {
        for (String k : LOGFMT) {
            for (int i = line.indexOf(k); i >= 0; i = line.indexOf(k, i + 1)) {
                if (i == 0 || line.charAt(i - 1) == ' ' || line.charAt(i - 1) == '\t') {
                    at[0] = i;
                    at[1] = i + k.length();
                    return true;
                }
            }
        }
        for (String k : JSON) {
            for (int i = line.indexOf(k); i >= 0; i = line.indexOf(k, i + 1)) {
                int v = jsonValue(line, i, k.length());
                if (v >= 0) {
                    at[0] = -i - 1;
                    at[1] = v;
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the line around the field (key at {@code key}, value closed at {@code close}) is that one record and no
     * more: a logfmt record is its log prefix (syslog, journal) and {@code key=value} pairs; a JSON record's field
     * stands in an object that holds no second such field, or alone on a line of pretty output.
     */
    private static boolean restOfRecord(String line, int key, int close) {
        int n = line.length();
        int after = Math.min(close + 1, n);
        if (key < 0) {
            // the record is the JSON: the line starts with its object (or array, or a pretty key line) past quote
            // marks and a collector's prefix. A kernel line that merely holds '{"msg":"' (a task's name, which any
            // local user sets: "INFO: task {"msg":"BUG: s:4242 blocked ...") carries nothing and is kept whole
            KernelLogPrefix.Cut start = new KernelLogPrefix.Cut();
            int from = quoteMarksEnd(line);
            KernelLogPrefix.locate(line, from, n, start);
            int first = skipBlanks(line, Math.max(from, start.message));
            char c = first < n ? line.charAt(first) : 0;
            if (c != '{' && c != '[' && c != '"' || KernelNames.leadingNameEnd(line, first, n) >= 0
                    || c == '[' && KernelNames.oomTaskRow(line, first, n)) {
                // nor is a kernel line that starts or ends with a task's name ('{"log":"' invoked oom-killer, the OOM
                // killer's task dump row "[  1234]     0  1234 ... {"msg":"")
                return false;
            }
            String k = line.substring(-key - 1, line.indexOf('"', -key) + 1);
            if (line.indexOf(k, after) >= 0) {
                return false; // records of a JSON log joined on one line
            }
            int i = skipBlanks(line, after);
            return i >= n || line.charAt(i) == ',' || line.charAt(i) == '}';
        }
        KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();
        int from = quoteMarksEnd(line);
        KernelLogPrefix.locate(line, from, n, cut);
        return from <= key && pairs(line, Math.max(from, cut.message), key) && pairs(line, after, n)
                && KernelNames.leadingNameEnd(line, Math.max(from, cut.message), n) < 0;
    }

    /** Past leading whitespace and e-mail quote marks. */
    private static int quoteMarksEnd(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t' || line.charAt(i) == '>')) {
            i++;
        }
        return i;
    }

    /** Whether {@code s[from, to)} is blank-separated logfmt pairs: {@code key=value} or {@code key="..."}. */
    private static boolean pairs(String s, int from, int to) {
        int i = skipBlanks(s, from);
        while (i < to) {
            int k = i;
            while (i < to && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-'
                    || s.charAt(i) == '.')) {
                i++;
            }
            if (i == k || i >= to || s.charAt(i) != '=') {
                return false;
            }
            i++;
            if (i < to && s.charAt(i) == '"') {
                i = closingQuote(s, i + 1, to);
                if (i >= to) {
                    return false;
                }
                i++;
            } else {
                while (i < to && s.charAt(i) != ' ' && s.charAt(i) != '\t' && s.charAt(i) != '"') {
                    i++;
                }
            }
            if (i < to && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                return false;
            }
            i = skipBlanks(s, i);
        }
        return true;
    }

    /** The closing quote of a quoted value from {@code i}, past escapes; {@code to} when there is none. */
    private static int closingQuote(String s, int i, int to) {
        while (i < to && s.charAt(i) != '"') {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, to);
    }

    /**
     * The key at {@code at} stands where a JSON object has a key (after '{' or ',', or first on a line of pretty
     * output) and a string value follows its ':': where that value starts, or -1.
     */
    private static int jsonValue(String line, int at, int keyLength) {
        int b = at - 1;
        while (b >= 0 && (line.charAt(b) == ' ' || line.charAt(b) == '\t')) {
            b--;
        }
        if (b >= 0 && line.charAt(b) != '{' && line.charAt(b) != ',') {
            return -1;
        }
        int i = skipBlanks(line, at + keyLength);
        if (i >= line.length() || line.charAt(i) != ':') {
            return -1;
        }
        i = skipBlanks(line, i + 1);
        return i < line.length() && line.charAt(i) == '"' ? i + 1 : -1;
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Appends the quoted value from {@code from} to its closing quote (or the line's end, where a paste cut it) with
     * its escapes undone and carriage returns dropped; returns where it ended (the closing quote, or the length).
     */
    private static int unescape(String s, int from, StringBuilder sb) {
        int n = s.length();
        int i = from;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c != '\\' || i + 1 >= n) {
                sb.append(c);
                i++;
                continue;
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r', 'a', 'b', 'f', 'v' -> {
                }
                case 'x' -> i = code(s, i, 2, sb);
                case 'u' -> i = code(s, i, 4, sb);
                case 'U' -> i = code(s, i, 8, sb);
                default -> sb.append(e); // \" \\ \/ and anything else stands for itself
            }
        }
        return n;
    }

    /** Appends the character of {@code digits} hex digits at {@code i} (or the text as it is when they are not). */
    private static int code(String s, int i, int digits, StringBuilder sb) {
        if (i + digits > s.length()) {
            sb.append(s, i - 2, s.length());
            return s.length();
        }
        int v = 0;
        for (int k = i; k < i + digits; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                sb.append(s, i - 2, i);
                return i;
            }
            v = v * 16 + d;
        }
        if (Character.isValidCodePoint(v)) {
            sb.appendCodePoint(v);
        }
        return i + digits;
    }

    /** The text without terminal control sequences (ESC [ ... final letter; ESC and one character) or other controls. */
    private static String withoutControls(StringBuilder sb) {
        int n = sb.length();
        StringBuilder out = null;
        for (int i = 0; i < n; i++) {
            char c = sb.charAt(i);
            if (c >= ' ' || c == '\n' || c == '\t') {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n).append(sb, 0, i);
            }
            if (c == 0x1b && i + 1 < n) {
                if (sb.charAt(i + 1) == '[') {
                    int k = i + 2;
                    while (k < n && (sb.charAt(k) < '@' || sb.charAt(k) > '~')) {
                        k++;
                    }
                    i = k;
                } else {
                    i++;
                }
            }
        }
        return out == null ? sb.toString() : out.toString();
    }
}
