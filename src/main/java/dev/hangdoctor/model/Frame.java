package dev.hangdoctor.model;

import java.util.Objects;

/** One frame of a kernel (or user) stack, as a trace printed it. */
public record Frame(String function, String location, String module, boolean unreliable, StackContext context) {

    public Frame {
        Objects.requireNonNull(function, "function");
        location = location == null ? "" : location;
        context = context == null ? StackContext.TASK : context;
    }

    /** A plain, reliable task-context frame with no location: mostly for tests and rules. */
    public static Frame of(String function) {
        return new Frame(function, "", null, false, StackContext.TASK);
    }

    @Override
    public String toString() {
        return (unreliable ? "? " : "") + function + location + (module == null ? "" : " [" + module + "]");
    }
}
