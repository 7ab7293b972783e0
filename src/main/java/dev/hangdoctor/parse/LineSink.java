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

    /** True when no multi-line record is open: then a line that {@link #describe} rules out changes nothing. */
    default boolean idle() {
        return false;
    }

    /**
     * Tells {@code screen} what a message (prefix and trailing '\r' off) must look like for {@link #accept} to
     * recognise anything while the sink is {@link #idle}: the noise pre-check lets only such messages through. It may
     * describe too much, never too little. A sink that says nothing gets every line.
     */
    default void describe(LineScreen.Builder screen) {
        screen.row(null, (s, from, end) -> true);
    }
}
