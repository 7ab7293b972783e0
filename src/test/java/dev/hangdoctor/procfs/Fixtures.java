package dev.hangdoctor.procfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real /proc files captured under src/test/resources/proc. */
final class Fixtures {
    private Fixtures() {
    }

    static String text(String rel) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/proc/" + rel)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture /proc/" + rel);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
