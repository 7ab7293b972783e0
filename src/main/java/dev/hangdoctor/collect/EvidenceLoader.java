package dev.hangdoctor.collect;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.parse.EvidenceReader;
import dev.hangdoctor.parse.UnrecognisedEvidenceException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens evidence named on the command line: a file, `-` for standard input, a /proc-shaped directory, or a
 * directory of evidence files (read one by one; unreadable ones are skipped and said so).
 */
public final class EvidenceLoader {
    private static final int MAX_FILES_IN_DIR = 10_000;

    private EvidenceLoader() {
    }

    /** Loads one argument; throws with a one-line message when it holds nothing usable. */
    public static Evidence load(String arg, InputStream stdin) throws IOException {
        if (arg.equals("-")) {
            return requireRecognised(EvidenceReader.read(stdin, "<stdin>"), "<stdin>");
        }
        Path p = Path.of(arg);
        if (!Files.exists(p)) {
            throw new UnrecognisedEvidenceException(arg + ": no such file or directory");
        }
        if (Files.isDirectory(p)) {
            return loadDirectory(p, arg);
        }
        if (!Files.isReadable(p)) {
            throw new UnrecognisedEvidenceException(arg + ": not readable (permission denied)");
        }
        if (!Files.isRegularFile(p)) {
            // a FIFO or device would block or never end: evidence is files
            throw new UnrecognisedEvidenceException(arg + ": not a regular file");
        }
        if (Files.size(p) == 0) {
            throw new UnrecognisedEvidenceException(arg + ": empty file (understood: " + EvidenceReader.UNDERSTOOD + ")");
        }
        try (InputStream in = Files.newInputStream(p)) {
            return requireRecognised(EvidenceReader.read(in, arg), arg);
        }
    }

    private static Evidence loadDirectory(Path dir, String arg) throws IOException {
        if (ProcTreeReader.looksLikeProc(dir)) {
            return requireRecognised(new ProcTreeReader(dir).read(), arg);
        }
        Evidence all = new Evidence();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 4)) {
            s.filter(p -> !Files.isDirectory(p)).sorted().limit(MAX_FILES_IN_DIR).forEach(files::add);
        }
        int used = 0;
        for (Path f : files) {
            String name = f.toString();
            if (!Files.isRegularFile(f)) {
                // a FIFO or device would block or never end
                all.warn(name + ": skipped, not a regular file");
                continue;
            }
            if (!Files.isReadable(f)) {
                all.warn(name + ": skipped, not readable");
                continue;
            }
            try {
                all.mergeFrom(load(name, InputStream.nullInputStream()));
                used++;
            } catch (UnrecognisedEvidenceException ex) {
                all.warn("skipped " + ex.getMessage());
            } catch (IOException ex) {
                all.warn(name + ": skipped, " + ex.getMessage());
            }
        }
        if (used == 0) {
            throw new UnrecognisedEvidenceException(arg + ": directory holds no readable evidence ("
                    + files.size() + " file(s) looked at; understood: " + EvidenceReader.UNDERSTOOD + ")");
        }
        return all;
    }

    private static Evidence requireRecognised(Evidence e, String name) throws UnrecognisedEvidenceException {
        if (e.isEmpty()) {
            throw new UnrecognisedEvidenceException(name + ": nothing recognised (understood: "
                    + EvidenceReader.UNDERSTOOD + ")");
        }
        return e;
    }
}
