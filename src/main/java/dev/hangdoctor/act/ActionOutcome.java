package dev.hangdoctor.act;

import java.time.Instant;

/**
 * What became of one action: done, refused (the situation was no longer the diagnosed one), failed (the kernel said
 * no), or only planned (dry run); the state observed before and after, and the action that puts back what it changed.
 *
 * @param detail why it was refused or failed, or null
 * @param after  the state after acting, or null when nothing was attempted
 * @param undo   after a successful action that can be undone, the action that undoes it; otherwise null
 */
public record ActionOutcome(Action action, Status status, String detail, String before, String after, Instant time,
                            Action undo) {
    /** How an action ended. */
    public enum Status {
        DONE, REFUSED, FAILED, DRY_RUN
    }

    /** The result as the audit log and the JSON views write it: "done", "refused: ...", "failed: ...", "dry-run". */
    public String result() {
        return switch (status) {
            case DONE -> "done";
            case REFUSED -> "refused: " + detail;
            case FAILED -> "failed: " + detail;
            case DRY_RUN -> "dry-run";
        };
    }

    public boolean done() {
        return status == Status.DONE;
    }
}
