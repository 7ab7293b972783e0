package dev.hangdoctor.parse;

/**
 * The reader of one family of multi-line trace formats, while a block of that family is open: {@link TraceSink}'s
 * trigger table opens it, then hands it each following line until it turns one away.
 */
abstract class BlockParser {
    /** Where finished tasks go. */
    final TraceTasks out;
    private boolean done;

    BlockParser(TraceTasks out) {
        this.out = out;
    }

    /**
     * The next line of the block: {@code t} stripped, {@code raw} as printed (columns matter to some formats).
     * False ends the block, and the line is offered to the trigger table as a possible start of another.
     */
    abstract boolean extend(String t, String raw, long lineNo);

    /** The block ended: what it built goes to the evidence. */
    abstract void close();

    /** The input ended with the block open: its last line was the input's last (a paste may have been cut there). */
    void closeAtEnd() {
        close();
    }

    /** True once the block saw its own end line (the caller then closes it). */
    final boolean done() {
        return done;
    }

    final void markDone() {
        done = true;
    }

    /** A new block of this family begins. */
    void reset() {
        done = false;
    }
}
