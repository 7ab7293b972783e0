package dev.hangdoctor.act;

import java.util.List;

/**
 * One remedy, planned against a diagnosis and taken only with --yes. It says before anything happens what it will
 * touch and the exact steps (as shell commands an operator could type), checks right before acting that the situation
 * is still the one diagnosed, and reports what it did.
 */
public interface Action {
    /** The knowledge base's remedy id (fuse-abort, memcg-raise-limit, ...). */
    String id();

    /** The finding (signature) this remedy ends. */
    String finding();

    /** One line: what it does and why. */
    String summary();

    /** What it touches: files it writes, pids it signals. */
    List<String> touches();

    /** The exact steps, as shell commands. */
    List<String> commands();

    /** Why acting now would be wrong (the situation changed since the diagnosis), or null when it is still right. */
    String precheck();

    /** State worth recording before and after (values of the files it reads or writes). */
    String observe();

    /**
     * Re-checks {@link #precheck} right before acting (throwing "refused: ..." when the situation changed), then takes
     * the action; throws with a one-line message when the kernel refuses.
     */
    void apply() throws Exception;

    /**
     * After a successful {@link #apply}, the action that puts back what it changed, run like any other (its precheck
     * says when putting back would be wrong now); null when there is nothing to put back (a signal, an abort).
     */
    default Action undo() {
        return null;
    }
}
