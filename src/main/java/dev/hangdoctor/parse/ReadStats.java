package dev.hangdoctor.parse;

/**
 * How {@link EvidenceReader} went through one input: how many lines it screened away in place (never decoded) and how
 * many it sent down the slow path (decoded and handed to the paste reader and the recognisers in full). A big log is
 * read at grep's pace only while the slow path's share stays small; one piece of held state that never lets go sends
 * every later line the slow way, which the results do not show but these counts do.
 */
final class ReadStats {
    /** Lines read in all. */
    long lines;
    /** Lines looked at in place and skipped as noise. */
    long screened;
    /** Lines decoded and parsed in full. */
    long parsed;
    /**
     * Of those, lines the screen found to be noise that went the slow way all the same: mostly because a recogniser
     * had a record open or a line was held (for its rest, or in a newest-first run), else because the paste reader
     * must see the line (a quote mark, indentation, a listing's number). Where held state that does not let go
     * shows first, apart from the lines that are evidence themselves.
     */
    long kept;

    /** The slow path's share of all lines, 0 to 1. */
    double parsedShare() {
        return lines == 0 ? 0 : (double) parsed / lines;
    }

    /** The share of all lines that were noise to the screen but parsed in full, 0 to 1. */
    double keptShare() {
        return lines == 0 ? 0 : (double) kept / lines;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d lines: %d screened, %d parsed (%.2f %%), of them %d noise"
                + " kept by held state (%.2f %%)", lines, screened, parsed, 100 * parsedShare(), kept, 100 * keptShare());
    }
}
