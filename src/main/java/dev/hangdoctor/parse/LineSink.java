package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

/**
 * A stateful recogniser fed every line of one evidence file in order. It writes what it recognises into the
 * {@link Evidence} it was made with, and names the formats it saw so the reader can say what the file was.
 */
public interface LineSink {
    /** Takes one line; returns true when the line was part of something this sink recognised. */
    boolean accept(LogLine line);

    /** The file ended: flush any half-built record (a stack cut short still counts, marked truncated). */
    void finish();

    /** True when no multi-line record is open: then a line that {@link #mayStart} turns away changes nothing. */
    default boolean idle() {
        return false;
    }

    /**
     * Cheap test on the raw text of a message, {@code text[from, end)} (prefix and trailing '\r' already off, plain
     * ASCII): false only when {@link #accept} of that message would recognise nothing while the sink is
     * {@link #idle}. It may say true too often, never too seldom.
     */
    default boolean mayStart(String text, int from, int end) {
        return true;
    }
}
