package dev.hangdoctor.diagnose;

import dev.hangdoctor.model.Evidence;

import java.util.List;
import java.util.Map;

/** Turns evidence into a diagnosis: groups stacks, reasons about who waits for whom, matches the knowledge base. */
public final class Diagnoser {

    public Diagnosis diagnose(Evidence evidence) {
        return new Diagnosis(List.of(), List.of(), Map.of(), evidence.tasks().size(),
                evidence.host().kernelRelease(), List.copyOf(evidence.formats()), List.of(), List.of(),
                evidence.warnings());
    }
}
