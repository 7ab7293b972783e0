package dev.hangdoctor.diagnose.kb;

import java.util.Locale;

/** What a matched task is in a known hang: the one that blocks, one that only suffers, or surrounding context. */
public enum Role {
    BLOCKER, VICTIM, CONTEXT;

    public static Role fromId(String id) {
        String want = id == null ? "" : id.trim().toUpperCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.name().equals(want)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "' (blocker, victim or context)");
    }
}
