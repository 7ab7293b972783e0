package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

/**
 * Hands each cleaned line of one evidence file to every recogniser: takes the log prefix off, notes the prefix
 * style as a format, and starts a new boot when the log spans a reboot.
 */
final class LineDispatch {
    private final Evidence evidence;
    private final String source;
    private final LineSink[] sinks;
    private String lastPrefix = "none";
    private long recognised;
    /** Lines read so far, as the paste's reader sent them on (its double spacing undone): what "next to" means. */
    private long seq;
    private final SkippedLines skipped;
    /** Lines of a log pasted newest first, held to be read oldest first. */
    private final ReversedRun reversed = new ReversedRun();
    private java.util.function.Predicate<String> mayStart = l -> true;
    /** Where each line's prefix ends; shared with {@link #mayStart}'s, which looks at the same line right after. */
    private KernelLogPrefix.Cut cut = new KernelLogPrefix.Cut();

    LineDispatch(Evidence evidence, String source, SkippedLines skipped, LineSink... sinks) {
        this.evidence = evidence;
        this.source = source;
        this.skipped = skipped;
        this.sinks = sinks;
    }

    /**
     * A line the caller looked at in place and found to start nothing: its prefix style counts, and its message is
     * kept as the report's own words (what the user wrote around the paste can name what the kernel does not).
     */
    void noise(String style, String text, int from, int end, long lineNo) {
        noise(style);
        if (end > from) {
            // a blank line is counted when the paste's reader sends it on (it drops a double spacing's)
            seq++;
            if (!evidence.reportTextFull()) {
                evidence.addReportText(text.substring(from, end), lineNo, seq);
            }
        }
    }

    private void noise(String style) {
        if (!style.equals(lastPrefix)) {
            lastPrefix = style;
            addFormat(evidence, style);
        }
    }

    /**
     * Whether a line could start a record (not noise the caller would skip): only such a line begins a held run.
     * {@code p} locates the line's prefix into {@code located} (from 0 to its length): the line's prefix is located
     * here into the same one, so the predicate finds it done.
     */
    void mayStart(java.util.function.Predicate<String> p, KernelLogPrefix.Cut located) {
        mayStart = p;
        cut = located;
    }

    /** No line is held back (see {@link ReversedRun}): a line the caller skips cannot belong after one. */
    boolean idle() {
        return reversed.idle();
    }

    void line(String text, long lineNo) {
        LogLine line = KernelLogPrefix.strip(text, lineNo, cut);
        reversed.accept(text, line, mayStart.test(text), this::dispatch);
    }

    /** After the last line: what a newest-first run still holds goes on. */
    void flush() {
        reversed.flush(this::dispatch);
    }

    private void dispatch(LogLine line, long lineNo) {
        seq++;
        noise(line.prefix());
        if (line.message().startsWith("Linux version ") && evidence.hasTasksOrEvents()
                && !KernelNames.startsWithName(line.message())) {
            // the log spans a reboot: pids and tasks of the boot before mean nothing now (pid 1234 then is not
            // pid 1234 now), so only the last boot is diagnosed
            evidence.newBoot(source + ": the log spans a reboot (line " + lineNo + "); only the last boot was"
                    + " diagnosed");
        }
        boolean any = false;
        for (LineSink sink : sinks) {
            any |= sink.accept(line);
        }
        if (any) {
            recognised++;
            return;
        }
        if (!evidence.reportTextFull()) {
            evidence.addReportText(line.message(), lineNo, seq);
        }
        // judged by the kernel's words: a task's name holding "+0x" makes no line look like a frame; the info lines a
        // dump prints beside its stack ("hardirqs last disabled at (0): [<...>] copy_process+0x762/0x1fd0", a
        // powerpc "LR = ...") are known, not skipped, also where the stack itself was not pasted
        // (looksLikeKernelOutput masks the names itself, and only once a line holds a frame's shape at all)
        if (SkippedLines.looksLikeKernelOutput(line.message()) && !TraceNoise.isInterleaved(line.message().strip())) {
            skipped.add(lineNo, line.message());
        }
    }

    /** After the last line: says what looked like kernel output but was not understood, when others were. */
    void finish() {
        skipped.warn(evidence, source, recognised > 0 && !evidence.isEmpty());
    }

    private static void addFormat(Evidence evidence, String prefix) {
        if (!prefix.equals("none") && !prefix.equals("kmsg-dict")) {
            evidence.addFormat(prefix);
        }
    }
}
