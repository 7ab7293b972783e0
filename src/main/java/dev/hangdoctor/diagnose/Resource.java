package dev.hangdoctor.diagnose;

/** One resource tasks wait on or hold; {@code key} narrows it (a FUSE connection id, a lock address) when known. */
public record Resource(ResourceKind kind, String key) {
    public static Resource of(ResourceKind kind) {
        return new Resource(kind, "");
    }

    /** Whether a holder of {@code held} satisfies a waiter on this resource: same kind, and keys agree when both known. */
    public boolean matches(Resource held) {
        return kind == held.kind() && (key.isEmpty() || held.key().isEmpty() || key.equals(held.key()));
    }

    public String describe() {
        return kind.waitPhrase() + (key.isEmpty() ? "" : " (" + key + ")");
    }
}
