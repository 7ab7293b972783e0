package dev.hangdoctor.diagnose;

/** One resource tasks wait on or hold; {@code key} narrows it (a FUSE connection id, a lock address) when known. */
public record Resource(ResourceKind kind, String key) {
    public static Resource of(ResourceKind kind) {
        return new Resource(kind, "");
    }

    /**
     * Whether a holder of {@code held} satisfies a waiter on this resource: same kind, and keys agree when both known.
     * A lock is known held only from the hung-task detector's hint, which names its owner for one waiter and carries
     * no address: it matches that waiter's own hint only, never another lock wait (else every lock waiter would wait
     * for every named owner, and two independent pairs would read as one deadlock).
     */
    public boolean matches(Resource held) {
        if (kind != held.kind()) {
            return false;
        }
        if (kind == ResourceKind.LOCK) {
            return !key.isEmpty() && key.equals(held.key());
        }
        return key.isEmpty() || held.key().isEmpty() || key.equals(held.key());
    }

    public String describe() {
        return kind.waitPhrase() + (key.isEmpty() ? "" : " (" + key + ")");
    }
}
