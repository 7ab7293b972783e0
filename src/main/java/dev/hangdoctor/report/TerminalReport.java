package dev.hangdoctor.report;

import dev.hangdoctor.diagnose.Diagnosis;

/** The terminal view of a diagnosis: verdict first, then the evidence. */
public final class TerminalReport {
    private final boolean colour;

    public TerminalReport(boolean colour) {
        this.colour = colour;
    }

    public String render(Diagnosis d) {
        return d.hangFound() ? "hang found\n" : "no hang found\n";
    }
}
