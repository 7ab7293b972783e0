package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

/** Reads Go goroutine dumps (`goroutine 146 [select, 8817 minutes]:` and the frames under it). */
public final class GoroutineSink implements LineSink {
    private final Evidence evidence;
    private final String source;

    public GoroutineSink(Evidence evidence, String source) {
        this.evidence = evidence;
        this.source = source;
    }

    @Override
    public boolean accept(LogLine line) {
        return false;
    }

    @Override
    public void finish() {
    }
}
