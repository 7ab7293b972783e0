package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Streams one evidence file through every recogniser and returns what it held. Memory is bounded by the model's
 * caps, not by the file's size. Which formats were found is recorded on the evidence, so an unrecognised file can
 * be told apart from a healthy one.
 */
public final class EvidenceReader {
    /** The formats {@link #read} understands, for error messages. */
    public static final String UNDERSTOOD = "kernel logs (dmesg, dmesg -T, syslog, journalctl -k, /dev/kmsg, "
            + "vmcore-dmesg), hung-task/lockup/RCU/OOM reports, sysrq-t/w dumps, crash bt/ps/task output, "
            + "/proc stack text or a /proc-shaped directory, Go goroutine dumps";

    private EvidenceReader() {
    }

    /** Reads a whole stream; {@code source} names it in evidence and messages. */
    public static Evidence read(InputStream in, String source) throws IOException {
        Evidence evidence = new Evidence();
        List<LineSink> sinks = List.of(
                new KernelEventSink(evidence, source),
                new TraceSink(evidence, source),
                new GoroutineSink(evidence, source));
        BoundedLineReader reader = new BoundedLineReader(in);
        long lineNo = 0;
        String raw;
        String lastPrefix = "none";
        while ((raw = reader.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && reader.looksBinary()) {
                throw new UnrecognisedEvidenceException(source + ": binary data, not text evidence (understood: "
                        + UNDERSTOOD + ")");
            }
            LogLine line = KernelLogPrefix.strip(raw, lineNo);
            if (!line.prefix().equals(lastPrefix)) {
                lastPrefix = line.prefix();
                if (!lastPrefix.equals("none") && !lastPrefix.equals("kmsg-dict")) {
                    evidence.addFormat(lastPrefix);
                }
            }
            for (LineSink sink : sinks) {
                sink.accept(line);
            }
        }
        for (LineSink sink : sinks) {
            sink.finish();
        }
        if (reader.truncatedLines() > 0) {
            evidence.warn(source + ": " + reader.truncatedLines() + " line(s) longer than "
                    + BoundedLineReader.MAX_LINE + " bytes were cut");
        }
        return evidence;
    }
}
