package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

/** Recognises the kernel messages that matter to a hang (see {@link dev.hangdoctor.model.KernelEventKind}). */
public final class KernelEventSink implements LineSink {
    private final Evidence evidence;
    private final String source;

    public KernelEventSink(Evidence evidence, String source) {
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
