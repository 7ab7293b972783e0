package dev.hangdoctor.parse;

import java.util.function.ObjLongConsumer;

/**
 * Undoes what mail, chat, trackers and web pages do to kernel output before any parser sees a line: quoted-printable
 * soft breaks and {@code =3D}, HTML entities, e-mail quote prefixes ({@code > }, {@code >> }, {@code > > > }),
 * markdown code fences, indentation before a log prefix or an event, prefixes of other tools before the kernel's own
 * ({@code kern.err: ... kernel: }), a whole report collapsed into one line, and lines wrapped by a console or a page.
 *
 * <p>Streams with one line held back at most (a line that may continue on the next), so memory is bounded by the
 * longest line. Each cleaned line goes to the consumer with the number of the input line it started on.
 */
final class PastedText {
    /** A wrapped record's first part is at least this long (a log prefix and a word): shorter lines were not wrapped. */
    private static final int MIN_WRAPPED = 40;
    /** A quoted-printable line soft-broken before any =3D was seen is at least this long (the encoder fills to 76). */
    private static final int QP_MIN_BROKEN = 60;
    /**
     * The narrowest width mail and consoles wrap at: a line whose next word would have fit on a line this wide was
     * not wrapped before that word.
     */
    private static final int NARROWEST_WRAP = 64;
    /**
     * With no cut seen yet, a piece at least this wide was cut by a console (80 columns and wider, no space lost);
     * a narrower one by a mailer, which wraps at 72 to 78 and eats the space at the wrap.
     */
    private static final int CONSOLE_PRIOR = 79;
    /**
     * A line of a prefixed log at least this long may be several records whose line breaks a web page lost; shorter
     * ones are one record each (two records with their prefixes do not fit).
     */
    static final int COLLAPSED = 160;
    /** How far past a record's start the next record is looked for (the longest records, module lists, fit). */
    private static final int RECORD_WINDOW = 8192;

    private final ObjLongConsumer<String> out;
    /** Whether a line may be held back for a continuation: only one the caller would not skip as noise. */
    private final java.util.function.Predicate<String> holdable;
    private final KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();
    private final KernelLogPrefix.Cut heldCut = new KernelLogPrefix.Cut();
    /** The line {@link #nameFirst} was last asked of, and its answer. */
    private String nameFirstOf;
    private boolean nameFirstIs;
    private final LineGutter gutter = new LineGutter();
    /**
     * Quoted-printable was seen: soft breaks are joined and =XX decoded from the first line that shows it on. The
     * decision is made by each line itself, in order, so it does not depend on how the input was split into reads.
     */
    private boolean quotedPrintable;
    /** HTML entities were seen: decoded from the first line holding one on (decided like {@link #quotedPrintable}). */
    private boolean entities;
    /** The current read buffer holds a mark of either: only then must the fast path look for one in each line. */
    private boolean bufferMarked;
    private String softBroken;
    private long softBrokenLine;
    /** A line with a log prefix that may continue on the next line, and its width as published. */
    private String held;
    private long heldLine;
    private int heldWidth;
    private String heldStyle;
    private boolean heldPrefixed;
    /** The header of a procps table whose rows follow on the line being split, and its leading shaped columns. */
    private String[] psHeader;
    private int psLeading;
    /**
     * The held line is one the caller may skip unseen when the next line cannot be its rest ({@link #mayStartWrap}):
     * it is joined only with a line that can.
     */
    private boolean heldOnPeek;
    /** The width of the first wrapped piece joined in this input, and whether pieces of other widths were joined. */
    private int firstWrapWidth;
    private boolean wrapWidthsVary;
    private int sameWidthWraps;
    /** How the line in hand was taken off another tool's output (see {@link #dropOuterPrefix}). */
    private int outer;
    private static final int OUTER_NONE = 0;
    private static final int OUTER_RECORD = 1;
    private static final int OUTER_INSIDE = 2;
    /** Blank lines not yet sent on: whether they are the page's own or a double spacing's is known at the next line. */
    private int pendingBlanks;
    private long pendingBlankLine;
    /** A line with text was seen: only gaps between two such lines say how the page is spaced. */
    private boolean sawText;
    /** The last {@link #GAPS} gaps between lines with text, newest in bit 0: 1 for an odd number of blank lines. */
    private int oddGaps;
    private int gapsSeen;
    /**
     * Double spacing is decided by this many gaps at most: a page copied with a blank line after every line (a
     * paragraph per line) shows only odd gaps; an ordinary report shows a gap of none within its first lines.
     */
    private static final int GAPS = 8;

    /** True when every line is one whole record, as the live host's /dev/kmsg gives them: none was run together. */
    private final boolean wholeRecords;

    PastedText(ObjLongConsumer<String> out, java.util.function.Predicate<String> holdable) {
        this(out, holdable, false);
    }

    PastedText(ObjLongConsumer<String> out, java.util.function.Predicate<String> holdable, boolean wholeRecords) {
        this.out = out;
        this.holdable = holdable;
        this.wholeRecords = wholeRecords;
    }

    /** True when no line is held back: a line the caller skips cannot be the end of one. */
    boolean idle() {
        return held == null && softBroken == null && pendingBlanks == 0;
    }

    /**
     * A line the caller skipped unseen (it passed {@link #passesUnchanged} and no sink could start with it): it
     * counts towards telling a double-spaced page, as it would have in {@link #accept}.
     */
    void skipped(boolean blank, long lineNo) {
        if (blank) {
            // the next line comes through accept (this one is pending), which drops or sends it on
            pendingBlanks = 1;
            pendingBlankLine = lineNo;
        } else {
            noteGap();
        }
    }

    /**
     * Looks at a whole read buffer once, before its lines: when it holds no mark of quoted-printable or entities, no
     * line in it can turn decoding on, and {@link #passesUnchanged} need not look for one line by line.
     */
    void scanBuffer(String text) {
        scanBuffer(showsMarks(text));
    }

    /** The same, with {@link #showsMarks} of the buffer found before (on the thread that screens lines ahead). */
    void scanBuffer(boolean marks) {
        bufferMarked = !(quotedPrintable && entities) && marks;
    }

    /** Whether a read buffer holds a mark of quoted-printable ("=3D") or an HTML entity anywhere. */
    static boolean showsMarks(String text) {
        return holdsQuotedEquals(text) || hasEntityMark(text, 0, text.length());
    }

    /**
     * A soft-broken line's other '=' are all escapes ("=E3=82=BD"): text outside ASCII encoded, with no '=' of its
     * own to show as "=3D".
     */
    private static boolean onlyEscapesBefore(String line) {
        int last = line.length() - 1;
        for (int i = line.indexOf('='); i >= 0 && i < last; i = line.indexOf('=', i + 1)) {
            if (i + 2 >= last || upperHex(line.charAt(i + 1)) < 0 || upperHex(line.charAt(i + 2)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code text} shows quoted-printable anywhere; found by its '=', which single-character search finds fastest. */
    private static boolean holdsQuotedEquals(String text) {
        return quotedPrintableMark(text, 0, text.length());
    }

    /** True when {@code s[from, end)} shows quoted-printable or holds an HTML entity. */
    private static boolean showsEncoding(String s, int from, int end) {
        return quotedPrintableMark(s, from, end) || hasEntityMark(s, from, end);
    }

    /**
     * Whether {@code s[from, end)} (a line, or a buffer of lines) holds an escape that only quoted-printable writes:
     * {@code =3D} (an '=' of the text); {@code =20} or {@code =09} that ends a line after nothing or a quote mark
     * (RFC 2045 makes an encoder escape white space at a line's end: a quoted blank line is {@code >=20}); {@code =09}
     * that starts a line's text (a mailer that escapes tabs: {@code > > =09_raw_spin_lock+0x31/0x40}); two escapes
     * that spell one UTF-8 character ({@code =EF=BC=9A}). Plain text holds "=20" or "=09" only after a word
     * ("timeout=20"), which none of these take.
     */
    static boolean quotedPrintableMark(String s, int from, int end) {
        for (int a = s.indexOf('=', from); a >= 0 && a + 2 < end; a = s.indexOf('=', a + 1)) {
            char h = s.charAt(a + 1);
            char l = s.charAt(a + 2);
            if (h == '3' && l == 'D') {
                return true;
            }
            if (h == '2' && l == '0' || h == '0' && l == '9') {
                char before = a == from ? '\n' : s.charAt(a - 1);
                boolean lineStart = before == '\n' || before == '>' || before == ' ' || before == '\t';
                boolean lineEnd = a + 3 == end || s.charAt(a + 3) == '\n' || s.charAt(a + 3) == '\r';
                if (lineStart && (lineEnd || l == '9' && a + 3 < end && !isHexOrSpace(s.charAt(a + 3)))) {
                    return true;
                }
            }
            if (h >= 'C' && h <= 'F' && upperHex(l) >= 0 && a + 5 < end && s.charAt(a + 3) == '='
                    && s.charAt(a + 4) >= '8' && s.charAt(a + 4) <= 'B' && upperHex(s.charAt(a + 5)) >= 0) {
                return true; // a UTF-8 lead byte escaped, then a continuation byte escaped
            }
        }
        return false;
    }

    private static boolean isHexOrSpace(char c) {
        return upperHex(c) >= 0 || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** An HTML entity's start ({@code &gt;}, {@code &lt;}, {@code &amp;}, {@code &#}) inside {@code s[from, end)}. */
    private static boolean hasEntityMark(String s, int from, int end) {
        for (int a = s.indexOf('&', from); a >= 0 && a < end; a = s.indexOf('&', a + 1)) {
            if (startsWithin(s, a + 1, end, "gt;") || startsWithin(s, a + 1, end, "lt;")
                    || startsWithin(s, a + 1, end, "amp;") || startsWithin(s, a + 1, end, "#")) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithin(String s, int at, int end, String p) {
        return at + p.length() <= end && s.startsWith(p, at);
    }

    /**
     * True when {@code s[from, end)} is a line this stage passes through unchanged and whole (so the caller may
     * look at it in place): nothing held, no decoding on or turned on by this line, and its first character starts
     * no quote, fence or indent.
     */
    boolean passesUnchanged(String s, int from, int end) {
        if (!idle() || quotedPrintable || entities) {
            return false;
        }
        if (from >= end) {
            return true;
        }
        if (bufferMarked && showsEncoding(s, from, end)) {
            return false;
        }
        char c = s.charAt(from);
        if (gutter.active() || RawText.isDigit(c) && gutter.numbered(s, from, end)
                || (c == '-' || c == '*') && gutter.listed(s, from, end)) {
            return false; // a listing's line number or list mark, which comes off in accept
        }
        if (s.charAt(end - 1) == '=') {
            return false; // may be a quoted-printable soft break, which turns decoding on
        }
        return c != '>' && c != ' ' && c != '\t' && c != '`' && c != '~' && c != '&';
    }

    /**
     * Before a line the caller would skip but for the line held here for a possible rest: when that line is a record
     * with a log prefix of its own (so no wrap's rest) and nothing but the held line is pending, sends the held line
     * on as {@link #accept} would on seeing it, and returns true; the caller then looks at its line as usual. Without
     * this a log read in place would go the slow way from its first long line that is held until a short one comes.
     */
    boolean releaseHeldBefore(String s, int from, int end) {
        if (held == null || softBroken != null || pendingBlanks != 0) {
            return false;
        }
        KernelLogPrefix.locate(s, from, end, cut);
        if ("none".equals(cut.style) || cut.collector) {
            // no prefix: may be the held line's rest; a log collector's time alone: accept takes it off as another
            // tool's prefix and reads the record under it, which the caller's look in place does not
            return false;
        }
        String h = held;
        held = null;
        if (!passesUnchanged(s, from, end)) {
            held = h;
            return false;
        }
        split(h, heldLine, heldStyle, heldWidth);
        return true;
    }

    /** Takes one input line (without its newline). */
    void accept(String raw, long lineNo) {
        if (LogCarriers.unwrap(raw, lineNo, this::accept)) {
            return; // another program's record carrying kernel lines: each goes on as a line of its own
        }
        String line = raw;
        if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
            line = line.substring(0, line.length() - 1);
        }
        line = plainSpaces(line);
        // a line the caller could have skipped as noise (looked at in place) must not be held back for a
        // continuation unless the caller's own predicate says so, or both ways of reading would differ; judged as
        // the caller would if the line held now is not continued here (the caller may have skipped that one)
        String before = held;
        held = null;
        boolean skippable = passesUnchanged(line, 0, line.length()) && !keptByPrefixStyle(line);
        held = before;
        long at = lineNo;
        // a mark inside a task's name (which any local user sets) turns no decoding on: it is the name's own
        KernelNames.Span names = quotedPrintable && entities || line.indexOf('=') < 0 && line.indexOf('&') < 0 ? null
                : namesIn(line);
        if (!quotedPrintable && line.length() >= QP_MIN_BROKEN && line.length() <= 77 && line.endsWith("=")
                && onlyEscapesBefore(line) && (names == null || names.end() < line.length())) {
            // a quoted-printable soft break (lines of at most 76 characters ending in '=') before any =3D was seen
            quotedPrintable = true;
        }
        if (!quotedPrintable && outsideNames(line, names, PastedText::quotedPrintableMark)) {
            quotedPrintable = true; // "=" is written "=3D" (or another mark): this line and the rest are encoded
        }
        if (quotedPrintable) {
            if (softBroken != null && line.isEmpty()) {
                // no encoder breaks a line softly before nothing: a page that put a blank line after every line
                // (a paragraph per line) split the soft break from its rest ("... freezing. Whi=", "", "le")
                return;
            }
            if (softBroken != null) {
                line = softBroken + line;
                at = softBrokenLine;
                softBroken = null;
            }
            if (line.endsWith("=") && !line.endsWith("==")) {
                softBroken = line.substring(0, line.length() - 1);
                softBrokenLine = at;
                return;
            }
            // "=C2=A0" is a no-break space (a mail client's, between the timestamp and a frame): a space once decoded
            line = plainSpaces(decodeQuotedPrintable(line));
        }
        if (!entities && outsideNames(line, names, PastedText::hasEntityMark)) {
            entities = true;
        }
        if (entities && line.indexOf('&') >= 0) {
            line = decodeEntities(line);
        }
        int width = line.length();
        line = unquote(line);
        // a line the kernel starts with a task's name ("  12          D ...") has no listing's number to take off
        String numberless = nameFirst(line) ? line : gutter.strip(line);
        if (numberless != line && KernelNames.names(line, 0, line.length()) != null) {
            // the kernel's own line that starts with a number and carries a name ("2 locks held by x/8:", a crash ps
            // row): the number is the kernel's, whatever the name holds
            numberless = line;
        }
        if (numberless != line) {
            width -= line.length() - numberless.length(); // the numbers came after any wrap
            line = unquote(numberless);
        }
        if (line.length() >= COLLAPSED && !kmsgRecord(line)) {
            line = unquoteInside(line);
        }
        if (line.isBlank()) {
            // held back until the next line says whether it is the page's blank line or a double spacing's; a line
            // held for its rest stays held, as a double-spaced page puts the rest of a wrap after a blank line; but
            // not one the caller could have skipped unseen, which a blank line ends there
            if (held != null && heldOnPeek) {
                String h = held;
                held = null;
                split(h, heldLine, heldStyle, heldWidth);
            }
            if (pendingBlanks++ == 0) {
                pendingBlankLine = at;
            }
            return;
        }
        if (pendingBlanks > 0 && held != null && completesCutSymbol(held, line)) {
            // a mailer broke a frame's symbol and put blank lines between its pieces ("(show_stac", "", "k+0x10/0x14)"):
            // the blank lines are the break's, not the page's
            pendingBlanks = 0;
            String joined = held + line.strip();
            long from = heldLine;
            held = null;
            emitOrHold(joined, from, width, heldStyle, heldPrefixed, true);
            return;
        }
        releaseBlanks();
        int first = RawText.skipWhitespace(line, 0, line.length());
        if (line.startsWith("```", first) || line.startsWith("~~~", first)) {
            // a fence (three or more marks) is no evidence, but a paste may start right after it on the same line
            // ("```    49.87% ...", a page that lost its line breaks); a word glued to the fence is its info string
            // ("```text")
            int n = line.length();
            char mark = line.charAt(first);
            int after = first;
            while (after < n && line.charAt(after) == mark) {
                after++;
            }
            while (after < n && line.charAt(after) != ' ' && line.charAt(after) != '\t') {
                after++;
            }
            line = after < n ? line.substring(after) : "";
        }
        String whole = line;
        line = dropOuterPrefix(line);
        String head = outer == OUTER_INSIDE ? whole.substring(0, whole.length() - line.length()) : null;
        KernelLogPrefix.locate(line, 0, line.length(), cut);
        String style = cut.style;
        if (held != null) {
            // the rest of a wrapped line is taken whole: an event's words inside it ("cgroup out of memory: Killed
            // process") are the held record's own
            if ("none".equals(style) && outer != OUTER_RECORD && continues(whole, width)
                    && (!heldOnPeek || restMayStartWith(held.charAt(0), raw.isEmpty() ? '\n' : raw.charAt(0)))) {
                boolean midWord = joinsMidWord(held, heldWidth, whole);
                noteWrap(heldWidth);
                String joined = held + (midWord ? "" : " ") + (midWord ? whole : whole.stripLeading());
                at = heldLine;
                held = null;
                emitOrHold(joined, at, width, heldStyle, heldPrefixed, true);
                return;
            }
            String h = held;
            held = null;
            split(h, heldLine, heldStyle, heldWidth);
        }
        if (head != null && holdsWord(head)) {
            // the prose before kernel output on one line (a page that lost its line breaks) is the report's own
            // words: it goes on as a line of its own, where it may name what the kernel's output does not. What
            // stands before the first stamped record may hold records without a stamp of their own (a /proc/PID/stack
            // dump, a hung-task report quoted above the dmesg lines): it is split as any line holding many
            String words = head.stripTrailing();
            split(words, at, "none", words.length());
        }
        // a record of a prefixed log, also when another tool's prefix came off it ("kern.err: ... kernel: msg")
        boolean prefixed = !"none".equals(style) || outer == OUTER_RECORD;
        emitOrHold(line, at, width, style, prefixed, !skippable);
    }

    /**
     * Where the kernel printed a task's name in this line (after quote marks and a log prefix), or null. A task line's
     * padded name field wider than a name prints was encoded by the page (its spaces as "&amp;nbsp;"): its marks are
     * the page's.
     */
    private KernelNames.Span namesIn(String line) {
        int from = 0;
        while (from < line.length() && (line.charAt(from) == '>' || line.charAt(from) == ' ' || line.charAt(from) == '\t')) {
            from++;
        }
        KernelLogPrefix.locate(line, from, line.length(), cut);
        KernelNames.Span names = KernelNames.names(line, cut.message, line.length());
        return names == null || line.startsWith("task:", cut.message)
                && KernelNames.bytes(line, names.start(), names.end()) > 15 ? null : names;
    }

    /** A test over {@code s[from, end)}. */
    private interface Mark {
        boolean in(String s, int from, int end);
    }

    /** Whether {@code mark} stands in {@code line} outside the task names the kernel printed in it (their own). */
    private static boolean outsideNames(String line, KernelNames.Span names, Mark mark) {
        return names == null ? mark.in(line, 0, line.length())
                : mark.in(line, 0, names.start()) || mark.in(line, names.end(), line.length());
    }

    /** Sends on the blank lines before a line with text, less a double spacing's; records the gap they made. */
    private void releaseBlanks() {
        int gap = pendingBlanks;
        pendingBlanks = 0;
        boolean counted = sawText;
        sawText = true;
        if (!counted) {
            sendBlanks(gap);
            return;
        }
        if (gap > 0) {
            oddGaps = (oddGaps << 1 | (gap & 1)) & ((1 << GAPS) - 1);
            gapsSeen++;
        } else {
            noteGap();
        }
        int seen = Math.min(gapsSeen, GAPS);
        int mask = (1 << seen) - 1;
        // every gap so far (up to the last GAPS) odd: one blank line was added after each line, so 2k+1 blanks
        // were k of the page's own
        boolean doubled = gap > 0 && (oddGaps & mask) == mask;
        sendBlanks(doubled ? (gap - 1) / 2 : gap);
    }

    /** A gap of no blank line between two lines with text. */
    private void noteGap() {
        if (sawText) {
            oddGaps = (oddGaps << 1) & ((1 << GAPS) - 1);
            gapsSeen++;
        }
        sawText = true;
    }

    private void sendBlanks(int n) {
        if (n > 0 && held != null) {
            String h = held; // a blank line of the page's own ends a wrapped line
            held = null;
            split(h, heldLine, heldStyle, heldWidth);
        }
        for (int i = 0; i < n; i++) {
            out.accept("", pendingBlankLine + i);
        }
    }

    /**
     * Spaces a web page or a mailer put in as other characters: no-break spaces (from {@code &nbsp;} in indentation
     * and runs of spaces), figure and narrow no-break spaces become plain spaces; a byte-order mark or zero-width
     * space (a file saved by a Windows editor, a chat's copy) is dropped. Lines without them come back as they are.
     */
    static String plainSpaces(String line) {
        int n = line.length();
        int i = 0;
        while (i < n && !oddSpace(line.charAt(i))) {
            i++;
        }
        if (i == n) {
            return line;
        }
        StringBuilder b = new StringBuilder(n).append(line, 0, i);
        for (; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\u00a0' || c == '\u2007' || c == '\u202f') {
                b.append(' ');
            } else if (c != '\ufeff' && c != '\u200b') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean oddSpace(char c) {
        return c >= '\u00a0' && (c == '\u00a0' || c == '\u2007' || c == '\u202f' || c == '\ufeff' || c == '\u200b');
    }

    /** The input ended: whatever is held goes out as it is. */
    void finish() {
        if (softBroken != null) {
            String s = softBroken;
            softBroken = null;
            accept(s, softBrokenLine);
        }
        if (held != null) {
            String h = held;
            held = null;
            split(h, heldLine, heldStyle, heldWidth);
        }
        sendBlanks(pendingBlanks);
        pendingBlanks = 0;
    }

    /**
     * Holds a line back when it may be the first part of a wrapped record: a line of a prefixed log (each of whose
     * records has a prefix, so a line without one that follows is its rest), or any line that ends in a frame's
     * address whose symbol went to the next line. {@code safe}: the caller cannot have skipped the line unseen.
     */
    private void emitOrHold(String line, long at, int width, String style, boolean prefixed, boolean safe) {
        // the width that counts is the one the wrapping tool saw: a quoted line's marks included
        // a prefixed record ending in a frame's address lost its symbol to a wrap however short it is ("[  487.012677]
        // [<ffffffff811ec148>]" / "mem_cgroup_out_of_memory+0x308/0x350"); not when a task's name ends the line
        boolean head = !line.isEmpty() && (prefixed ? (Math.max(line.length(), width) >= MIN_WRAPPED
                || endsInFrameAddress(line) && !endsInName(line)) && !"kmsg-dict".equals(style)
                : (endsInFrameAddress(line) || EventTriggers.cutOpenerAtEnd(line, 0, line.length()) >= 0)
                        && !endsInName(line));
        boolean seen = safe || holdable.test(line);
        if (head && (seen || !"none".equals(style))) {
            heldOnPeek = !seen;
            held = line;
            heldStyle = style;
            heldPrefixed = prefixed;
            heldLine = at;
            heldWidth = width;
            return;
        }
        split(line, at, style, width);
    }

    /**
     * Whether the line ends in a task's name the kernel printed last (the OOM killer's task dump row, a process's
     * "(name)"): a name that ends like a frame's address or a report's first words cut off is no wrap.
     */
    private boolean endsInName(String line) {
        KernelLogPrefix.locate(line, 0, line.length(), heldCut);
        KernelNames.Span names = KernelNames.names(line, RawText.skipWhitespace(line, heldCut.message, line.length()),
                line.length());
        return names != null && names.end() >= RawText.trimEnd(line, 0, line.length()) - 1;
    }

    // ---- quoting

    /**
     * Takes off e-mail quote marks ({@code >}, any depth, with the spaces between them and one space after the last) and the indentation before
     * them. A crash {@code ps} row that starts with its active-task mark ({@code >  1234 ...}) is left whole.
     */
    static String unquote(String line) {
        int i = RawText.skipWhitespace(line, 0, line.length());
        if (i >= line.length() || line.charAt(i) != '>') {
            return line;
        }
        if (CrashLineParser.parsePsRow(line.strip()) != null) {
            return line;
        }
        int n = line.length();
        while (i < n && line.charAt(i) == '>') {
            i++;
            if (i < n && line.charAt(i) == ' ') {
                int j = i + 1;
                while (j < n && line.charAt(j) == ' ') {
                    j++;
                }
                // "> > >", ">  > " (a reply to a reply whose own marks were indented): spaces between marks belong
                // to the quoting; one space before text too, the rest is the text's own indentation
                if (j < n && line.charAt(j) == '>') {
                    i = j;
                    continue;
                }
                i++;
                break;
            }
        }
        return line.substring(i);
    }

    /** A /dev/kmsg record ("6,1234,5678,-;msg") is one message, whose text is left as the kernel wrote it. */
    private boolean kmsgRecord(String line) {
        KernelLogPrefix.locate(line, 0, line.length(), cut);
        return cut.style.startsWith("kmsg");
    }

    /** Quote marks inside a line this many at least, this close on average, are an e-mail's whose line breaks were lost. */
    private static final int INSIDE_MARKS = 4;
    private static final int INSIDE_MARK_SPACING = 100;

    /**
     * Takes off the quote marks of an e-mail reply whose line breaks a page lost ("... kernel: [109294.459832] BUG: soft
     * > lockup - CPU#4 stuck for 22s! [docker:2374] > Jan 21 22:52:40 ourserver kernel: ..."): one mark (or a reply's
     * "> >", "&gt;&gt;") after every lost break, so at least {@value #INSIDE_MARKS} of them, {@value #INSIDE_MARK_SPACING}
     * characters apart at most on average (a mailer's line). Kernel text holds such a mark seldom: the hung-task
     * message's "echo 0 > /proc/..." once a report. Lines without them come back as they are.
     */
    static String unquoteInside(String line) {
        int count = 0;
        int first = -1;
        int last = -1;
        for (int at = line.indexOf(" >"); at >= 0; at = line.indexOf(" >", at + 2)) {
            if (insideMarkEnd(line, at + 1) >= 0) {
                count++;
                first = first < 0 ? at : first;
                last = at;
            }
        }
        if (count < INSIDE_MARKS || (last - first) / (count - 1) > INSIDE_MARK_SPACING) {
            return line;
        }
        StringBuilder b = new StringBuilder(line.length());
        int from = 0;
        for (int at = line.indexOf(" >"); at >= 0; at = line.indexOf(" >", at + 2)) {
            int end = insideMarkEnd(line, at + 1);
            if (end >= 0) {
                b.append(line, from, at);
                from = end; // the space after the marks (or the line's end) stays
                at = Math.max(at, end - 2);
            }
        }
        return b.append(line, from, line.length()).toString();
    }

    /** For '>' at {@code i} after a space: where a quote mark's run ("&gt;", "&gt;&gt;", "&gt; &gt;") ends at a space or the line's end, or -1. */
    private static int insideMarkEnd(String line, int i) {
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == '>') {
                i++;
            }
            if (i >= n) {
                return n;
            }
            if (line.charAt(i) != ' ') {
                return -1;
            }
            if (i + 1 < n && line.charAt(i + 1) == '>') {
                i++;
                continue;
            }
            return i;
        }
    }

    /**
     * A line whose kernel message starts after something no parser knows: indentation before a log prefix or an
     * event, another tool's prefix before syslog's {@code kernel:} tag or before a dmesg stamp, or text before an
     * event's first words. Returns the line from where the kernel's own output starts; otherwise unchanged.
     */
    private String dropOuterPrefix(String line) {
        outer = OUTER_NONE;
        int n = line.length();
        int i = RawText.skipWhitespace(line, 0, n);
        if (i >= n) {
            return line;
        }
        if (nameFirst(line)) {
            // a line the kernel starts with a task's name: its blanks are the name's, not a record's indentation
            return line;
        }
        KernelLogPrefix.locate(line, i, n, cut);
        if (cut.collector) {
            // a collector's time before another tool's line (a glog prefix, a serial console's, prose): that line
            // is read as if it came alone
            String rest = line.substring(cut.message);
            String inner = dropOuterPrefix(rest);
            if (outer != OUTER_NONE) {
                return inner;
            }
            outer = OUTER_RECORD;
            return rest;
        }
        if (!"none".equals(cut.style) || EventTriggers.startsAt(line, i, n)) {
            outer = i == 0 ? OUTER_NONE : OUTER_RECORD;
            return i == 0 ? line : line.substring(i);
        }
        if (KernelNames.names(line, i, n, true) != null) {
            // a kernel line that carries a task's name: whatever the name holds (a tag, a stamp, an event's words)
            // is the name's, not another tool's prefix or a record after prose
            outer = i == 0 ? OUTER_NONE : OUTER_RECORD;
            return i == 0 ? line : line.substring(i);
        }
        outer = OUTER_RECORD;
        int stampEnd = foreignClockStamp(line, i, n);
        if (stampEnd > 0) {
            return line.substring(stampEnd);
        }
        int tag = line.indexOf("kernel:", i);
        if (tag >= i && tag - i < 96) {
            // a page that lost its line breaks: the report's words, then the log's first record with its own syslog
            // prefix ("here is a stack trace when soft lockup appear: ``` Aug  6 22:37:33 atom kernel: [ ...]"); the
            // words are the report's, not another tool's prefix
            int record = n - i >= COLLAPSED ? prefixedRecordAfter(line, i + 1, Math.min(n, tag + 8)) : -1;
            if (record > 0 && record < tag && holdsWord(line.substring(i, record))) {
                outer = OUTER_INSIDE;
                return line.substring(record);
            }
            int from = tag + 7;
            return line.substring(from < n && line.charAt(from) == ' ' ? from + 1 : from);
        }
        // kernel output after other text: a record of its own, unless the line is the rest of a wrapped one
        outer = OUTER_INSIDE;
        int stamp = EventTriggers.embeddedStamp(line, i + 1);
        if (stamp > 0) {
            return line.substring(stamp);
        }
        int record = n - i >= COLLAPSED / 2 ? prefixedRecordAfter(line, i + 1, n) : -1;
        if (record > 0) {
            return line.substring(record); // records of a log whose line breaks were lost, after prose
        }
        int event = EventTriggers.find(line, i + 1);
        if (event > 0 && !(n - i < COLLAPSED && quotedInProse(line, i, event))) {
            return line.substring(event);
        }
        outer = OUTER_NONE;
        return line;
    }

    /**
     * {@link KernelNames#nameFirstAt} of the whole line, asked of one line twice (before its listing number and
     * before another tool's prefix come off): the second time, unless the line changed in between, is answered from
     * the first.
     */
    private boolean nameFirst(String line) {
        if (line != nameFirstOf) {
            nameFirstOf = line;
            nameFirstIs = KernelNames.nameFirstAt(line, 0, line.length());
        }
        return nameFirstIs;
    }

    /** Whether {@code s} holds a word of three letters: prose, not a stray mark or number. */
    private static boolean holdsWord(String s) {
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = Character.isLetter(s.charAt(i)) ? run + 1 : 0;
            if (run == 3) {
                return true;
            }
        }
        return false;
    }

    /**
     * dmesg -T in a locale whose day and month names are not English ("[Пт май 11 19:03:39 2018] "): a bracket
     * at the line's start holding a clock time hh:mm:ss. Returns where the message starts after it, or -1.
     */
    private static int foreignClockStamp(String line, int from, int n) {
        if (line.charAt(from) != '[') {
            return -1;
        }
        int close = line.indexOf(']', from);
        if (close < 0 || close >= n || close - from > 48) {
            return -1;
        }
        boolean named = false;
        for (int k = from + 1; k < close; k++) {
            named |= Character.isLetter(line.charAt(k));
        }
        if (!named) {
            return -1; // crash's "[0 16:55:33.313]" last-run stamp is no log prefix: day and month names make one
        }
        for (int k = from + 1; k + 7 < close + 1; k++) {
            if (RawText.isDigit(line.charAt(k)) && RawText.isDigit(line.charAt(k + 1)) && line.charAt(k + 2) == ':'
                    && RawText.isDigit(line.charAt(k + 3)) && line.charAt(k + 5) == ':' && RawText.isDigit(line.charAt(k + 6))) {
                return close + 1 < n && line.charAt(close + 1) == ' ' ? close + 2 : close + 1;
            }
        }
        return -1;
    }

    /**
     * For a line with no log prefix that the caller would skip: true when it may hold kernel output after
     * something else (another tool's prefix, prose), so it must come through {@link #accept}.
     */
    static boolean mayHoldEmbedded(String s, int from, int end) {
        // a dmesg -T stamp the log prefix reader does not know (a day not padded, a locale's names): accept reads
        // the message after it
        return from < end && s.charAt(from) == '[' && foreignClockStamp(s, from, end) > 0
                || RawText.contains(s, from, end, "kernel:") || EventTriggers.findIn(s, from, end) >= 0
                || EventTriggers.embeddedStamp(s, from + 1, end) >= 0 || EventTriggers.holdsFrameMark(s, from, end)
                || EventTriggers.nextFrame(s, from, end) >= 0 || EventTriggers.cutOpenerAtEnd(s, from, end) >= 0
                || end - from >= COLLAPSED / 2 && (prefixedRecordAfter(s, from, end) >= 0
                        || psRowAfter(s, from, end) >= 0 || CollapsedPsRows.headerAfter(s, from, end) >= 0);
    }

    // ---- one line holding many records

    /**
     * Sends a line out, split where a second record starts inside it: a dmesg stamp, a hung-task header, a second
     * frame of a trace, or (in a line that was at least {@link #COLLAPSED} wide as published, so may hold records
     * whose line breaks a page lost) the next record's own prefix.
     */
    private void split(String line, long at, String style, int width) {
        // a live host's /dev/kmsg record is one message however long: a report's opener inside it is that message's
        // text, which a local user may choose (a path the kernel quotes), no record whose line break a page lost
        boolean collapsed = !wholeRecords && Math.max(line.length(), width) >= COLLAPSED;
        if (!"none".equals(style) && !collapsed) {
            // each record of a prefixed log has its own line, but for a trace whose line breaks a page lost between
            // some of its frames: "[8556407.426092] [] schedule+0x29/0x70[8556407.426137] [] xfs_ail_push_all_sync+..."
            int from = 0;
            for (int next = "dmesg".equals(style) ? EventTriggers.stampAfterFrame(line, 1) : -1; next > from;
                    next = EventTriggers.stampAfterFrame(line, next + 1)) {
                out.accept(line.substring(from, next).stripTrailing(), at);
                from = next;
            }
            out.accept(from == 0 ? line : line.substring(from), at);
            return;
        }
        int from = 0;
        int n = line.length();
        psHeader = null;
        while (from < n) {
            int next = nextRecord(line, from, collapsed);
            if (next < 0) {
                break;
            }
            out.accept(untagged(line.substring(from, next).stripTrailing()), at);
            from = next;
        }
        out.accept(from == 0 ? line : untagged(line.substring(from)), at);
    }

    /**
     * In a line holding a procps table whose line breaks were lost ({@link CollapsedPsRows}): where the piece at
     * {@code message} ends because the table's header or its next row starts. The header the line showed is kept
     * ({@link #psHeader}) while the pieces after it are its rows. -1 when no table starts or goes on here.
     */
    private int psTableAfter(String line, int message, int limit) {
        int end = Math.min(limit, line.length());
        String[] header = CollapsedPsRows.headerAt(line, message, end);
        if (header != null) {
            int leading = CollapsedPsRows.leading(header);
            int rows = CollapsedPsRows.afterHeader(header, line, message, end);
            psHeader = leading > 0 && rows < end && CollapsedPsRows.fitsFrom(header, leading, line, rows, end)
                    ? header : null;
            psLeading = leading;
            return psHeader == null ? -1 : rows;
        }
        if (psHeader != null && CollapsedPsRows.fitsFrom(psHeader, psLeading, line, message, end)) {
            return CollapsedPsRows.nextRow(psHeader, psLeading, line, message, end);
        }
        psHeader = null;
        int at = CollapsedPsRows.headerAfter(line, message + 1, end);
        if (at < 0) {
            return -1;
        }
        String[] next = CollapsedPsRows.headerAt(line, at, end);
        int leading = CollapsedPsRows.leading(next);
        int rows = CollapsedPsRows.afterHeader(next, line, at, end);
        // a header with its rows after it on the line; a header alone ends no piece
        return leading > 0 && rows < end && CollapsedPsRows.fitsFrom(next, leading, line, rows, end) ? at : -1;
    }

    /** A piece split off at syslog's bare tag goes on without it, as a line of its own would. */
    private static String untagged(String piece) {
        return piece.startsWith("kernel: ") ? piece.substring(8) : piece;
    }

    /** Where a record other than the one at {@code from} starts (after that record's own prefix), or -1. */
    private int nextRecord(String line, int from, boolean collapsed) {
        // a piece split off at syslog's bare tag is read without it ({@link #untagged}): its own dmesg stamp after
        // the tag starts no record of another ("kernel: [  330.027687] RBP: ...")
        int start = line.startsWith("kernel: ", from) && from + 8 < line.length() ? from + 8 : from;
        KernelLogPrefix.locate(line, start, line.length(), cut);
        int limit = Math.min(line.length(), cut.message + RECORD_WINDOW);
        // a task's name (which any local user sets) is no record's start, whatever it holds: the searches begin
        // after the last name the kernel printed in the record in hand
        KernelNames.Span names = KernelNames.names(line, cut.message, limit);
        int message = names == null ? cut.message : Math.max(cut.message, names.end() - 1);
        // each search stops at the nearest boundary another found: a line of many short records costs its length,
        // not its length times its records; a record longer than the window is not looked into past it
        int stamp = EventTriggers.embeddedStamp(line, message + 1, limit);
        if (stamp >= 0) {
            limit = stamp;
        }
        int frame = EventTriggers.nextFrame(line, message, limit);
        if (frame >= 0) {
            limit = frame;
        }
        if (line.length() >= COLLAPSED / 2) {
            // rows of `ps aux` or `ps ax` joined on one line (a row of `ps aux` is about this wide)
            int row = psRowAfter(line, message, limit);
            if (row >= 0) {
                limit = row;
            }
            // any procps table joined on one line with its header: the header, then each row, on lines of their own
            int table = psTableAfter(line, message, limit);
            if (table >= 0) {
                limit = table;
            }
        }
        if (collapsed) {
            int record = prefixedRecordAfter(line, message, limit);
            if (record >= 0) {
                limit = record;
            }
            int command = procCommandAfter(line, message, limit);
            if (command >= 0) {
                limit = command;
            }
            int rip = ripLineAfter(line, message, limit);
            if (rip >= 0) {
                limit = rip;
            }
            // syslog's tag without its time and host, as articles quote the kernel's lines ("... in either of the
            // following formats: kernel: nfs: server <name> not responding, still trying kernel: nfs: ...")
            int tag = RawText.indexOf(line, message, limit, " kernel: ");
            if (tag >= 0 && tag + 9 < line.length() && line.charAt(tag + 9) != ' ') {
                limit = tag + 1;
            }
        }
        String piece = line.substring(from, limit);
        int event = EventTriggers.findRepeatable(piece, message - from);
        if (event >= 0 && !collapsed && quotedInProse(piece, message - from, event)) {
            event = -1;
        }
        if (event >= 0) {
            return from + event;
        }
        return limit < line.length() && limit < message + RECORD_WINDOW ? limit : -1;
    }

    /**
     * A hung-task header a writer quotes as inline code in a sentence of a line of its own ("Note several of them have
     * `INFO: task longhorn:31535 blocked for more than 120 seconds.`"): the markdown code span after other words says
     * the line talks about the message, it holds no record. A kernel line starts after a log prefix, quote marks or
     * indentation; a header after words with no code span before it (another tool's columns, a title naming the
     * message) is still read, and so is a line a page collapsed. The detector's blocker line ("INFO: task sync:344225
     * &lt;reader&gt; blocked on an rw-semaphore likely owned by task ...") is read even so: it is printed only for a
     * task found hung, and a writer who quotes it quotes what their own host printed.
     */
    private static boolean quotedInProse(String piece, int message, int event) {
        if (!piece.startsWith("INFO: task ", event) || event == 0 || piece.charAt(event - 1) != '`'
                || blockerLine(piece, event)) {
            return false;
        }
        for (int k = message; k < event - 1; k++) {
            if (Character.isLetter(piece.charAt(k))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the "INFO: task " at {@code event} goes on as the blocker line: " blocked on a" within a comm's reach. */
    private static boolean blockerLine(String piece, int event) {
        int on = piece.indexOf(" blocked on a", event + 11);
        return on > 0 && on - event < 11 + 64 + 24;
    }

    /**
     * A shell command reading a task's /proc file ("# cat /proc/123558/wchan", "$ cat /proc/1/stack") after
     * {@code message} in a line whose breaks a page lost: where it starts (its prompt, if one stands right before
     * it), so each file's output stays with its own command. -1 when there is none.
     */
    static int procCommandAfter(String line, int message, int limit) {
        int end = Math.min(limit, line.length());
        for (int at = RawText.indexOf(line, message + 1, end, "cat /proc/"); at > 0;
                at = RawText.indexOf(line, at + 1, end, "cat /proc/")) {
            int d = at + 10;
            int digits = d;
            while (d < end && RawText.isDigit(line.charAt(d))) {
                d++;
            }
            if (d == digits || d >= end || line.charAt(d) != '/' || line.charAt(at - 1) != ' ') {
                continue;
            }
            int start = at >= 2 && (line.charAt(at - 2) == '#' || line.charAt(at - 2) == '$') ? at - 2 : at;
            if (start > message) {
                return start;
            }
        }
        return -1;
    }

    /**
     * x86's RIP line (__show_regs: "RIP: %04x:%pS", the code segment then the function) after {@code message} in a line
     * whose breaks a page lost ("... `echo l > /proc/sysrq-trigger` ``` RIP: 0010:nvWriteGpEntry+0xf0/0x370
     * [nvidia_modeset] nvPushKickoff+0x28/0x50 ..."): where it starts, so the register line and the stack under it
     * are lines of their own. -1 when there is none.
     */
    static int ripLineAfter(String line, int message, int limit) {
        int end = Math.min(limit, line.length());
        for (int at = RawText.indexOf(line, message + 1, end, "RIP: "); at > 0;
                at = RawText.indexOf(line, at + 1, end, "RIP: ")) {
            if (line.charAt(at - 1) == ' ' && at + 9 < end && line.charAt(at + 9) == ':'
                    && upperOrLowerHex(line, at + 5, at + 9)) {
                return at;
            }
        }
        return -1;
    }

    private static boolean upperOrLowerHex(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The first row of {@link #psAuxRowAfter} or {@link #psTtyRowAfter} after {@code message}, or -1. */
    static int psRowAfter(String line, int message, int limit) {
        int aux = psAuxRowAfter(line, message, limit);
        int tty = psTtyRowAfter(line, message, aux >= 0 ? aux : limit);
        return tty >= 0 ? tty : aux;
    }

    /**
     * Rows of procps' BSD default layout (`ps ax`, `ps r -e`: "  PID TTY      STAT   TIME COMMAND") whose line
     * breaks a page lost ("... COMMAND 442 ? D 0:00 [z_unlinked_drai] 10102 ? D 0:01 [z_unlinked_drai] ..."): a
     * pid (not after a number: inside a `ps aux` row, RSS, TTY, STAT and START look alike), the terminal, the state
     * letters and the minutes:seconds of CPU time. The first such row after
     * {@code message} that is not where the piece starts, or -1.
     */
    static int psTtyRowAfter(String line, int message, int limit) {
        int end = Math.min(limit, line.length());
        if (!hasTerminalColumn(line, message, end)) {
            return -1; // the cheap look first: a terminal "?", "pts/N" or "ttyN" between spaces
        }
        java.util.regex.Matcher m = PS_TTY_ROW.matcher(line);
        m.region(Math.min(message + 1, end), end);
        return m.find() ? m.start(1) : -1;
    }

    /** Whether {@code s[from, end)} holds " ? " or " pts/" or " tty": a process's terminal column. */
    private static boolean hasTerminalColumn(String s, int from, int end) {
        return RawText.contains(s, from, end, " ? ") || RawText.contains(s, from, end, " pts/")
                || RawText.contains(s, from, end, " tty");
    }

    private static final java.util.regex.Pattern PS_TTY_ROW = java.util.regex.Pattern.compile(
            "(?<=\\s)(?<!\\s[0-9]{1,12} {1,16})([0-9]{1,7}) +(?:\\?|pts/[0-9]+|tty[A-Za-z0-9]*) +[DRSTZIXWt][<NsLl+]* +[0-9]+:[0-5][0-9] ");

    /**
     * `ps aux` / `ps -ef`-like rows whose line breaks a page lost ("root 20592 0.0 0.0 4220 656 pts/2 S+ 21:36 0:00
     * ./test root 20593 ..."): a user, a pid, %CPU and %MEM with their decimal point, VSZ, RSS, the terminal and the
     * state letters. The first such row after {@code message} that is not where the piece starts, or -1.
     */
    static int psAuxRowAfter(String line, int message, int limit) {
        int end = Math.min(limit, line.length());
        if (!hasCpuMemPair(line, message, end)) {
            return -1; // the cheap look first: most long lines hold no "0.0 0.0"
        }
        java.util.regex.Matcher m = PS_AUX_ROW.matcher(line);
        m.region(Math.min(message + 1, end), end);
        return m.find() ? m.start(1) : -1;
    }

    /** Whether {@code s[from, end)} holds two numbers with one decimal each, a space apart ("0.0 0.1"). */
    private static boolean hasCpuMemPair(String s, int from, int end) {
        for (int p = from + 1; p + 5 < end; p++) {
            if (s.charAt(p) == '.' && RawText.isDigit(s.charAt(p - 1)) && RawText.isDigit(s.charAt(p + 1))
                    && s.charAt(p + 2) == ' ') {
                int q = RawText.skipWhitespace(s, p + 2, end);
                while (q < end && RawText.isDigit(s.charAt(q))) {
                    q++;
                }
                if (q + 2 < end && q > p + 3 && s.charAt(q) == '.' && RawText.isDigit(s.charAt(q + 1))
                        && s.charAt(q + 2) == ' ') {
                    return true;
                }
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern PS_AUX_ROW = java.util.regex.Pattern.compile(
            "(?<=\\s)([a-z_][a-z0-9_.+-]{0,31}) +[0-9]+ +[0-9]+\\.[0-9] +[0-9]+\\.[0-9] +[0-9]+ +[0-9]+ +\\S+ +[DRSTZIXWt][<NsLl+]* ");

    /**
     * In a line at least {@link #COLLAPSED} long, the first place after {@code message} where a record with a log
     * prefix starts after a space ("... R15: 00000000ffffffff Mar 25 16:49:08 host kernel: fusermount D ..."): a
     * page lost the line breaks between records. -1 when there is none.
     */
    static int prefixedRecordAfter(String line, int message, int end) {
        KernelLogPrefix.Cut at = new KernelLogPrefix.Cut();
        for (int p = line.indexOf(' ', message) + 1; p > 0 && p < end; p = line.indexOf(' ', p) + 1) {
            char c = line.charAt(p);
            // dmesg -T's time: English day names, or a locale's ("[三 3月 13 03:20:55 2024]", "[mer. mars 13 ...")
            boolean wallClock = c == '[' && p + 1 < end && Character.isLetter(line.charAt(p + 1));
            if (c == ' ' || c == '[' && !wallClock || !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || wallClock)) {
                continue; // dmesg's seconds stamps are found by EventTriggers.embeddedStamp; dmesg -T's are here
            }
            KernelLogPrefix.locate(line, p, end, at);
            // another program's syslog record in the middle of a line is no evidence ("... Aug 29 06:32:19 2020,
            // runc:[2:INIT],call handle_mm_fault ..." reads as one): only the kernel's own records split a line
            boolean tagged = "syslog".equals(at.style) || "journalctl".equals(at.style);
            if (!"none".equals(at.style) && !"kmsg-dict".equals(at.style) && at.message > p
                    && (!tagged || RawText.contains(line, p, at.message, "kernel"))) {
                return p;
            }
        }
        return -1;
    }

    // ---- wrapped lines

    /**
     * For the caller's look in place at a line it would skip as noise: true when the line ({@code s[from, end)} of
     * log prefix {@code style}) may still be the first part of a wrapped record, so it must come through
     * {@link #accept}. {@code next} is the first character of the next line, or -1 when it is not known yet.
     */
    static boolean mayStartWrap(String style, String s, int from, int end, int next) {
        return end - from >= MIN_WRAPPED && !"none".equals(style) && !"kmsg-dict".equals(style)
                && (next < 0 || restMayStartWith(s.charAt(from), (char) next));
    }

    /**
     * Whether a line starting with {@code first} may be the rest of a wrapped line starting with {@code headFirst}:
     * not an empty line, and not one that starts as the prefixed records of the log do (the same month, a '[').
     */
    private static boolean restMayStartWith(char headFirst, char first) {
        return first != headFirst && first != '\n' && first != '\r';
    }

    /** Whether the caller's look in place keeps a line (its message may hold kernel output after other text). */
    private boolean keptByPrefixStyle(String line) {
        KernelLogPrefix.locate(line, 0, line.length(), cut);
        return ("none".equals(cut.style) || line.length() >= COLLAPSED) && mayHoldEmbedded(line, cut.message, line.length());
    }

    /**
     * Whether {@code line} (with no log prefix of its own: every record of a prefixed log has one) is the rest of the
     * held line. A wrap is told by what it leaves, whatever the width: the next word could not have fit on the held
     * line, and the line is not a record in its own right (an event, a task line, a frame) unless the held line ends
     * where a frame's address stands alone or a console cut it mid-word. Only a console's cut leaves a space at the
     * start of the rest; a mailer eats it.
     */
    private boolean continues(String line, int width) {
        if (line.isEmpty() || line.startsWith("...")) {
            return false;
        }
        boolean console = consoleCut(heldWidth);
        boolean spaced = line.charAt(0) == ' ' || line.charAt(0) == '\t';
        // a mailer breaks at one space of a run ("Tainted: G      D W  OEL"): the run's other spaces start the rest,
        // which is no frame or mark of a stack of its own ("  ? schedule+0x29/0x70", " <TASK>")
        int lead = RawText.skipWhitespace(line, 0, line.length());
        boolean runBroken = spaced && !console && !"none".equals(heldStyle) && line.charAt(0) == ' ' && lead < line.length()
                && Character.isLetterOrDigit(line.charAt(lead)) && FrameLineParser.parse(line.substring(lead)) == null;
        if (spaced && !console && !runBroken) {
            return false;
        }
        int word = RawText.skipWhitespace(line, 0, line.length());
        if (word >= line.length() || heldWidth + 1 + firstWordLength(line, word) <= NARROWEST_WRAP) {
            return false; // the word would have fit: the held line ended there
        }
        if (startsWithShellCommand(line, word)) {
            return false; // the user's next command after the output ("$ ls -l /var/crash"): the output ended there
        }
        if (!heldPrefixed) {
            int opener = EventTriggers.cutOpenerAtEnd(held, 0, held.length());
            if (opener >= 0) {
                // a line held for a report's first words cut at its end: the rest is the line that completes them
                String words = held.substring(opener).stripTrailing() + ' ' + line.substring(word);
                return EventTriggers.startsAt(words, 0, words.length());
            }
            // a line held only for its frame address: the rest is that frame's symbol
            return !spaced && line.indexOf("+0x") > 0 && line.indexOf("+0x") < firstWordLength(line, 0);
        }
        if (EventTriggers.startsAt(line, word, line.length()) || line.startsWith("Call Trace", word)
                || line.startsWith("task:", word)) {
            return false;
        }
        return spaced && console || FrameLineParser.parse(line) == null || endsInFrameAddress(held)
                || endsInsideSymbol(held) || endsInRegisterLabel(held)
                || (console && !Character.isWhitespace(held.charAt(held.length() - 1))) || heldMessageEmpty();
    }

    /**
     * Whether {@code line} ends in an arm64 register label whose value a wrap took to the next line: __show_regs
     * prints "pc : %pS", "lr : %pS", "sp : %016llx" and "x9 : ..." with a space before the colon
     * ("... [1950261.733382] pc :" then "__kmalloc_track_caller+0xc4/0x280").
     */
    static boolean endsInRegisterLabel(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        if (end < 5 || line.charAt(end - 1) != ':' || line.charAt(end - 2) != ' ') {
            return false;
        }
        int word = end - 2;
        int start = word;
        while (start > 0 && Character.isLetterOrDigit(line.charAt(start - 1))) {
            start--;
        }
        return word - start >= 2 && word - start <= 3 && Character.isLowerCase(line.charAt(start))
                && (start == 0 || line.charAt(start - 1) == ' ');
    }

    /**
     * Whether {@code line} at {@code from} is a command typed at a shell's prompt: a bare prompt, "$ " or "# ", or one
     * that names the user and host ("root@node1:~# ", "[root@node1 ~]$ "), then a command word. No kernel line's
     * rest starts so; the user's next command after pasted output does.
     */
    static boolean startsWithShellCommand(String line, int from) {
        int n = line.length();
        int i = from;
        if (i < n && line.charAt(i) != '$' && line.charAt(i) != '#') {
            // user@host, "[" user@host dir "]" or user@host:dir, then the prompt's mark
            int at = line.indexOf('@', i);
            int sp = line.indexOf(' ', i);
            if (at <= i || sp >= 0 && sp < at && line.charAt(i) != '[') {
                return false;
            }
            int mark = i;
            while (mark < n && line.charAt(mark) != '$' && line.charAt(mark) != '#') {
                mark++;
            }
            if (mark >= n || mark - i > 80 || mark + 1 < n && line.charAt(mark + 1) != ' ') {
                return false;
            }
            char before = line.charAt(mark - 1);
            if (!(before == ']' && line.charAt(i) == '[' || line.indexOf(':', at) > at && line.indexOf(':', at) < mark
                    && line.charAt(i) != '[')) {
                return false;
            }
            i = mark;
        }
        if (i >= n || i + 2 >= n || line.charAt(i + 1) != ' ') {
            return false;
        }
        char c = line.charAt(i + 2);
        return Character.isLetter(c) || c == '/' || c == '.';
    }

    /**
     * The held record's message is nothing, or only a frame's '?': the wrap broke the line right after its prefix
     * (a long host name pushed the frame past the width), so the frame on the next line is that record's.
     */
    private boolean heldMessageEmpty() {
        KernelLogPrefix.locate(held, 0, held.length(), heldCut);
        int m = RawText.skipWhitespace(held, heldCut.message, held.length());
        return m >= held.length() || held.charAt(m) == '?' && RawText.skipWhitespace(held, m + 1, held.length()) >= held.length();
    }

    private static int firstWordLength(String line, int from) {
        int sp = line.indexOf(' ', from);
        return (sp < 0 ? line.length() : sp) - from;
    }

    /**
     * True when a piece of {@code width} was cut by a console (at its width, mid-word) rather than wrapped by a
     * mailer (at a space). Learnt from the pieces joined so far: a console cuts every piece at one width, a mailer's
     * pieces vary; before there are enough, a width of 80 columns or more is a console's.
     */
    private boolean consoleCut(int width) {
        if (firstWrapWidth == 0) {
            return width >= CONSOLE_PRIOR;
        }
        return !wrapWidthsVary && width == firstWrapWidth && (width >= CONSOLE_PRIOR || sameWidthWraps >= 1);
    }

    private void noteWrap(int width) {
        if (firstWrapWidth == 0) {
            firstWrapWidth = width;
        } else if (width == firstWrapWidth) {
            sameWidthWraps++;
        } else {
            wrapWidthsVary = true;
        }
    }

    /** A frame's symbol, in arm's parentheses or not: {@code (show_stack+0x10/0x14)}, {@code phy_error+0x24/0x64}. */
    private static final java.util.regex.Pattern FRAME_SYMBOL = java.util.regex.Pattern.compile(
            "\\(?[A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-fA-F]+/0x[0-9a-fA-F]+\\)?");

    /**
     * Whether {@code held} ends inside a frame's symbol and {@code next}, one word, is the rest of it: the last word of
     * {@code held} is no symbol of its own (an arm {@code (name} not closed, or a name with no complete offset) and the
     * two make one ({@code (dump_stack+0xd4} and {@code /0x108)}, {@code phy_er} and {@code ror+0x24/0x64}).
     */
    static boolean completesCutSymbol(String held, String next) {
        String rest = next.strip();
        if (rest.isEmpty() || rest.indexOf(' ') >= 0 || rest.indexOf('\t') >= 0) {
            return false;
        }
        int sp = Math.max(held.lastIndexOf(' '), held.lastIndexOf('\t'));
        String piece = held.substring(sp + 1);
        return !piece.isEmpty() && piece.indexOf(')') < 0 && !wholeSymbol(piece) && wholeSymbol(piece + rest);
    }

    /** A frame's symbol whole: its offset and size, and both parentheses or none. */
    private static boolean wholeSymbol(String s) {
        return FRAME_SYMBOL.matcher(s).matches() && (s.charAt(0) == '(') == (s.charAt(s.length() - 1) == ')');
    }

    /** A console cuts at its width inside a word; a mail or web page wraps at a space, which the wrap ate. */
    private boolean joinsMidWord(String held, int width, String next) {
        char last = held.charAt(held.length() - 1);
        char first = next.charAt(0);
        if (Character.isWhitespace(last) || Character.isWhitespace(first)) {
            return true; // the space is there already
        }
        if ((last == ':' && RawText.isDigit(first)) || last == '+' || last == '/' || last == '_' || first == '+'
                || endsInsideSymbol(held)) {
            return true; // inside a token ("flags:" then "0x00004000", "func" then "+0x1a/0x40"): no mailer breaks there
        }
        return consoleCut(width);
    }

    /**
     * True when {@code line} ends in a frame's symbol cut short: a word with no {@code /0x} size after a frame's
     * address ({@code [<ffffffffa02b6fc9>] xfs_iunpin_}, {@code [<...>] ? __lookup_mn}). Only a console cuts there,
     * at its width inside the word, whatever that width is.
     */
    static boolean endsInsideSymbol(String line) {
        int sp = line.lastIndexOf(' ');
        if (sp < 0 || sp == line.length() - 1) {
            return false;
        }
        for (int k = sp + 1; k < line.length(); k++) {
            char c = line.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '+')) {
                return false;
            }
        }
        return endsInFrameAddress(line.substring(0, sp)); // a whole symbol has "/0x<size>": '/' is no word character
    }

    /**
     * True when {@code line} ends in a frame's address with no symbol after it ({@code [<ffffffff8105a3c1>]},
     * {@code [<0>] ?}, powerpc's {@code [c000000000b5f9d0]}, arm's {@code from [<8079f5d8>]}): a wrap took the symbol
     * to the next line.
     */
    static boolean endsInFrameAddress(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        if (end > 0 && line.charAt(end - 1) == '?') {
            end--;
            while (end > 0 && line.charAt(end - 1) == ' ') {
                end--;
            }
        }
        if (end < 3 || line.charAt(end - 1) != ']') {
            return false;
        }
        int open = line.lastIndexOf('[', end - 1);
        if (open < 0) {
            return false;
        }
        int from = open + 1;
        int to = end - 1;
        boolean angled = from < to && line.charAt(from) == '<' && line.charAt(to - 1) == '>';
        if (angled) {
            from++;
            to--;
        }
        if (to <= from || (!angled && to - from < 8)) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (Character.digit(line.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    // ---- decoding

    static String decodeQuotedPrintable(String line) {
        if (line.indexOf('=') < 0) {
            return line;
        }
        StringBuilder sb = new StringBuilder(line.length());
        int n = line.length();
        byte[] run = new byte[n / 3 + 1];
        for (int i = 0; i < n; i++) {
            // a run of escaped bytes is one piece of text: UTF-8 (a mail's Chinese, Japanese, an em dash) when it
            // reads as UTF-8, else one character a byte (ISO-8859-1)
            int k = 0;
            while (i + 2 < n && line.charAt(i) == '=' && upperHex(line.charAt(i + 1)) >= 0
                    && upperHex(line.charAt(i + 2)) >= 0) {
                run[k++] = (byte) (upperHex(line.charAt(i + 1)) * 16 + upperHex(line.charAt(i + 2)));
                i += 3;
            }
            if (k > 0) {
                sb.append(bytesAsText(run, k));
                i--;
                continue;
            }
            sb.append(line.charAt(i));
        }
        return sb.toString();
    }

    private static String bytesAsText(byte[] b, int n) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private static int upperHex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    static String decodeEntities(String line) {
        StringBuilder sb = new StringBuilder(line.length());
        int n = line.length();
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            int semi = c == '&' ? line.indexOf(';', i) : -1;
            if (semi > i && semi - i <= 8) {
                String name = line.substring(i + 1, semi);
                int code = entity(name);
                int again = code == '&' ? line.indexOf(';', semi + 1) : -1;
                if (again > semi + 1 && again - semi <= 8 && entity(line.substring(semi + 1, again)) >= 0) {
                    // a page that escaped text already holding entities ("&amp;nbsp;"): kernel output has none
                    code = entity(line.substring(semi + 1, again));
                    semi = again;
                }
                if (code >= 0) {
                    sb.append((char) code);
                    i = semi + 1;
                    continue;
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }

    private static int entity(String name) {
        switch (name) {
            case "gt":
                return '>';
            case "lt":
                return '<';
            case "amp":
                return '&';
            case "quot":
                return '"';
            case "apos":
                return '\'';
            case "nbsp":
                return ' ';
            default:
                break;
        }
        if (name.length() > 1 && name.charAt(0) == '#') {
            try {
                int v = name.charAt(1) == 'x' || name.charAt(1) == 'X' ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1));
                return v > 0 && v < 0x10000 ? v : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
