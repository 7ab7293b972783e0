package dev.hangdoctor.live;

import java.util.ArrayList;
import java.util.List;

/** Runs every cleanup step even when earlier ones fail, then reports all failures at once. */
final class Teardown {

    /** A cleanup step that may throw anything. */
    interface Step {
        void run() throws Exception;
    }

    private final String owner;
    private final List<String> failures = new ArrayList<>();
    private final List<Throwable> causes = new ArrayList<>();

    Teardown(String owner) {
        this.owner = owner;
    }

    void step(String what, Step step) {
        try {
            step.run();
        } catch (Throwable t) {
            failures.add(what + ": " + t);
            causes.add(t);
        }
    }

    /** A step whose failure is a boolean. */
    void check(String what, boolean ok) {
        if (!ok) {
            failures.add(what);
        }
    }

    void finish() {
        if (failures.isEmpty()) {
            return;
        }
        IllegalStateException e = new IllegalStateException("teardown of " + owner + " incomplete: " + failures);
        causes.forEach(e::addSuppressed);
        throw e;
    }
}
