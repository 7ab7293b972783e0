package dev.hangdoctor.model;

import java.util.List;

/**
 * One goroutine of a Go program's dump (`goroutine 146 [select, 8817 minutes]:`): the user-space side of a hang,
 * often where an operator starts (a `docker kill` that never returns).
 */
public record Goroutine(long id, String waitReason, Long waitMinutes, List<String> functions, String source) {
    public Goroutine {
        functions = List.copyOf(functions);
    }

    /** The innermost call that is not Go runtime plumbing: what the goroutine is actually doing. */
    public String topUserFunction() {
        for (String f : functions) {
            if (!f.startsWith("runtime.") && !f.startsWith("internal/")) {
                return f;
            }
        }
        return functions.isEmpty() ? "?" : functions.get(0);
    }
}
