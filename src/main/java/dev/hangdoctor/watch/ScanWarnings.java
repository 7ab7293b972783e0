package dev.hangdoctor.watch;

import dev.hangdoctor.collect.ProcTreeReader;

/** Sorts a full scan's warnings into the few kinds a fleet alerts on (the label of hangdoctor_scan_warnings_total). */
final class ScanWarnings {
    /** What a warning says the scan could not do. */
    enum Kind {
        STACKS_UNREADABLE("stacks_unreadable"), FUSECTL_MISSING("fusectl_missing"), TIMEOUT("timeout"),
        TRUNCATED("truncated"), OTHER("other");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private ScanWarnings() {
    }

    /** The kind of one warning line as the collectors word it. */
    static Kind kind(String warning) {
        String w = warning == null ? "" : warning;
        if (w.contains("kernel stacks")) {
            return Kind.STACKS_UNREADABLE;
        }
        if (w.equals(ProcTreeReader.FUSECTL_MISSING)) {
            return Kind.FUSECTL_MISSING;
        }
        if (w.contains("did not answer") || w.contains("deadline") || w.contains("stopped early")) {
            return Kind.TIMEOUT;
        }
        if (w.contains("(cap)") || w.contains("looked at the first") || w.contains("read the first")
                || w.contains("read again only the first") || w.contains(" of its ")) {
            return Kind.TRUNCATED;
        }
        return Kind.OTHER;
    }
}
