package dev.hangdoctor.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One published hang report of the corpus: its verbatim text and the source's own conclusion from the .meta beside it. */
record CorpusReport(Path text, Map<String, String> meta) {

    static final Path DIR = Path.of("src/test/resources/corpus/reports");

    /** Every report of the corpus, in file-name order. */
    static List<CorpusReport> all() {
        List<CorpusReport> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList()) {
                out.add(new CorpusReport(p, readMeta(metaOf(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static Path metaOf(Path text) {
        String name = text.getFileName().toString();
        return text.resolveSibling(name.substring(0, name.length() - ".txt".length()) + ".meta");
    }

    /** `key: value` lines; a missing file gives an empty map (CorpusFormatTest says which). */
    static Map<String, String> readMeta(Path meta) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!Files.isRegularFile(meta)) {
            return m;
        }
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("#")) {
                    m.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    String name() {
        String n = text.getFileName().toString();
        return n.substring(0, n.length() - ".txt".length());
    }

    String category() {
        return meta.getOrDefault("category", "");
    }

    /** The culprit's pid when the source names it, else null. */
    Integer blocker() {
        String b = meta.get("blocker");
        return b == null || b.isBlank() ? null : Integer.valueOf(b.split("\\s")[0]);
    }

    List<String> shapes() {
        return Arrays.stream(meta.getOrDefault("shape", "").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    String body() {
        try {
            // the reports are UTF-8 text, but a stray byte must not stop the scoring
            return new String(Files.readAllBytes(text), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
