package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams one evidence file through every recogniser and returns what it held. Memory is bounded by the model's
 * caps, not by the file's size. Which formats were found is recorded on the evidence, so an unrecognised file can
 * be told apart from a healthy one.
 */
public final class EvidenceReader {
    /** The formats {@link #read} understands, for error messages. */
    public static final String UNDERSTOOD = "kernel logs (dmesg, dmesg -T, syslog, journalctl -k, /dev/kmsg, "
            + "vmcore-dmesg), hung-task/lockup/RCU/OOM reports, sysrq-t/w dumps, crash bt/ps/task output, "
            + "/proc stack text or a /proc-shaped directory, perf report -g call graphs, perf script samples, "
            + "tab-separated stack tables, Go goroutine dumps";

    private EvidenceReader() {
    }

    /**
     * The source name of the live host's kernel log: its records come one to a line, each one whole message, so no
     * line is read as records a paste ran together.
     */
    public static final String LIVE_KMSG = "/dev/kmsg";

    /** Reads a whole stream; {@code source} names it in evidence and messages. */
    public static Evidence read(InputStream in, String source) throws IOException {
        return read(in, source, true);
    }

    /**
     * With {@code skipNoise}, a line is first looked at in place: while no sink has a record open, a line that no
     * sink could start a record with (the {@link LineScreen} built from {@link LineSink#describe}) is counted and its
     * prefix style noted, but never decoded. The result is the same either way (a test holds the two paths to that);
     * false is for that test.
     */
    static Evidence read(InputStream in, String source, boolean skipNoise) throws IOException {
        return read(in, source, skipNoise, ScreenAhead.AHEAD_AFTER);
    }

    /** The same, with the screening going to a thread of its own once {@code aheadAfter} bytes were read. */
    static Evidence read(InputStream in, String source, boolean skipNoise, long aheadAfter) throws IOException {
        return read(in, source, skipNoise, aheadAfter, new ReadStats());
    }

    /** The same, counting into {@code stats} how many lines went the slow way and how many were screened away. */
    static Evidence read(InputStream in, String source, boolean skipNoise, long aheadAfter, ReadStats stats)
            throws IOException {
        Evidence evidence = new Evidence();
        KernelEventSink kernel = new KernelEventSink(evidence, source);
        SkippedLines skipped = new SkippedLines();
        TraceSink traces = new TraceSink(evidence, source, skipped);
        GoroutineSink goroutines = new GoroutineSink(evidence, source);
        RegisterDumps registers = new RegisterDumps();
        LineDispatch dispatch = new LineDispatch(evidence, source, skipped, kernel, traces, goroutines, registers);
        LineScreen.Builder described = LineScreen.builder();
        for (LineSink sink : new LineSink[] {kernel, traces, goroutines, registers}) {
            sink.describe(described);
        }
        EventTriggers.describe(described);
        LogCarriers.describe(described);
        // the screen remembers places in the read buffer; a held line is looked at with a screen of its own
        LineScreen heldScreen = described.build();
        KernelLogPrefix.Cut heldCut = new KernelLogPrefix.Cut();
        // a line is held back for a possible continuation where the fast path below would not skip it; one it
        // would skip if the next line cannot be its rest (PastedText.mayStartWrap, a look at that line's first
        // character) is joined only with a line that can: both paths join the same lines
        java.util.function.Predicate<String> notSkipped = l -> {
            if (!(kernel.idle() && traces.idle() && goroutines.idle() && dispatch.idle())) {
                return true;
            }
            KernelLogPrefix.locate(l, 0, l.length(), heldCut);
            int from = heldCut.message;
            return heldScreen.maybe(l, from, l.length());
        };
        // a run of a log pasted newest first is held from a line the fast path would not skip, and while it is held
        // nothing is skipped: both paths hold the same lines. Whether a line may start a run is its own matter: a run
        // held is no reason (else every stamped line after one held line would be held in turn, and a big log would
        // go the slow way from there on)
        java.util.function.Predicate<String> mayStartRun = l -> {
            if (!(kernel.idle() && traces.idle() && goroutines.idle())) {
                return true;
            }
            KernelLogPrefix.locate(l, 0, l.length(), heldCut);
            return heldScreen.maybe(l, heldCut.message, l.length());
        };
        dispatch.mayStart(mayStartRun, heldCut);
        PastedText pasted = new PastedText(dispatch::line, notSkipped, LIVE_KMSG.equals(source));
        LineScreener screener = new LineScreener(Utf16Input.utf8(in), described.build());
        BoundedLineReader reader = screener.reader();
        long lineNo = 0;
        long screened = 0;
        long kept = 0;
        String buffer = null;
        try (ScreenAhead lines = new ScreenAhead(screener, skipNoise, aheadAfter)) {
            for (ScreenedLines batch = lines.next(); batch != null; batch = lines.next()) {
                String text = batch.text;
                if (text != buffer) {
                    // a line spilled across two reads has a string of its own, and the read buffer after it is new
                    buffer = text;
                    pasted.scanBuffer(batch.marked);
                }
                for (int i = 0; i < batch.count; i++) {
                    lineNo++;
                    if (skipNoise && batch.noise[i]) {
                        // a record with a prefix of its own is no held line's rest: that line goes on first
                        pasted.releaseHeldBefore(text, batch.start[i], trimmedEnd(text, batch.start[i], batch.end[i]));
                    }
                    // the sinks' idle() is called by their classes, not through the interface: this runs for every line
                    if (skipNoise && kernel.idle() && traces.idle() && goroutines.idle() && dispatch.idle()
                            && batch.ascii[i]) {
                        int start = batch.start[i];
                        int end = trimmedEnd(text, start, batch.end[i]);
                        if (pasted.passesUnchanged(text, start, end) && batch.noise[i]) {
                            dispatch.noise(batch.style[i], text, batch.message[i], end, lineNo);
                            pasted.skipped(end == start, lineNo);
                            screened++;
                            continue;
                        }
                    }
                    if (batch.noise[i]) {
                        kept++; // noise to the screen, but a record is open or a line held
                    }
                    pasted.accept(batch.decode(i), lineNo);
                }
            }
        }
        stats.lines = lineNo;
        stats.screened = screened;
        stats.parsed = lineNo - screened;
        stats.kept = kept;
        pasted.finish();
        dispatch.flush();
        if (reader.binaryFrom() == 0) {
            throw new UnrecognisedEvidenceException(source + ": binary data, not text evidence (understood: "
                    + UNDERSTOOD + ")");
        }
        for (LineSink sink : new LineSink[] {kernel, traces, goroutines}) {
            sink.finish();
        }
        dispatch.finish();
        LockupTasks.attribute(evidence, source, registers.runningAt(), traces.sightings());
        registers.attribute(evidence, source);
        NmiBacktraces.attribute(evidence, source, registers.backtraceLines());
        if (reader.binaryFrom() > 0) {
            String why = source + ": binary data from byte " + reader.binaryFrom() + " on ("
                    + (BoundedLineReader.MAX_BINARY_RUN >> 20) + " MiB without text); the rest was not read";
            if (evidence.isEmpty()) {
                throw new UnrecognisedEvidenceException(why + ", and nothing before it was recognised (understood: "
                        + UNDERSTOOD + ")");
            }
            evidence.warn(why);
        }
        if (reader.truncatedLines() > 0) {
            evidence.warn(source + ": " + reader.truncatedLines() + " line(s) longer than "
                    + BoundedLineReader.MAX_LINE + " bytes were cut");
        }
        return evidence;
    }

    /** A line's end without the CR of a CRLF. */
    private static int trimmedEnd(String text, int start, int end) {
        return end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
    }
}
