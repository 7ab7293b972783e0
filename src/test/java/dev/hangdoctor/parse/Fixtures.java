package dev.hangdoctor.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures under src/test/resources/proc. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String rel) {
        try {
            return Path.of(Fixtures.class.getResource("/proc/" + rel).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String rel) {
        try {
            return Files.readString(path(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
