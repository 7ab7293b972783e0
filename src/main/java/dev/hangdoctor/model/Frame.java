package dev.hangdoctor.model;

import java.util.Objects;

/**
 * One frame of a kernel (or user) stack, as a trace printed it. {@code cut}: the paste ended inside this frame's line
 * (the last line of the input, without the offset its stack's other frames carry), so its name may be cut short.
 */
public record Frame(String function, String location, String module, boolean unreliable, StackContext context,
                    boolean cut) {

    public Frame {
        Objects.requireNonNull(function, "function");
        location = location == null ? "" : location;
        context = context == null ? StackContext.TASK : context;
    }

    public Frame(String function, String location, String module, boolean unreliable, StackContext context) {
        this(function, location, module, unreliable, context, false);
    }

    /** The same frame in another stack context. */
    public Frame in(StackContext other) {
        return new Frame(function, location, module, unreliable, other, cut);
    }

    /** The same frame, counted as reliable. */
    public Frame reliable() {
        return new Frame(function, location, module, false, context, cut);
    }

    /** The same frame, marked as cut at the end of the paste. */
    public Frame cutShort() {
        return new Frame(function, location, module, unreliable, context, true);
    }

    /** A plain, reliable task-context frame with no location: mostly for tests and rules. */
    public static Frame of(String function) {
        return new Frame(function, "", null, false, StackContext.TASK);
    }

    /**
     * A function's name without the compiler's suffixes ("do_shared_fault.isra.62", "sched_show_task.part.21",
     * ".constprop.0", ".cold"): the one function the parsers and the rules mean.
     */
    public static String baseName(String function) {
        int dot = function.indexOf('.');
        return dot > 0 ? function.substring(0, dot) : function;
    }

    @Override
    public String toString() {
        return (unreliable ? "? " : "") + function + location + (module == null ? "" : " [" + module + "]");
    }
}
