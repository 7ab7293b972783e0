package dev.hangdoctor.diagnose.kb;

import java.util.Locale;

/** How bad a known hang is for the host: critical ones take the host or a filesystem down. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromId(String id) {
        String want = id == null ? "" : id.trim().toUpperCase(Locale.ROOT);
        for (Severity s : values()) {
            if (s.name().equals(want)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + id + "' (critical, high, medium, low or info)");
    }
}
