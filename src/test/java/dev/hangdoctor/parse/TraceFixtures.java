package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Frame;
import dev.hangdoctor.model.Task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Feeds fixture text to the trace sinks directly, taking dmesg prefixes off the way the log-prefix stripper will. */
final class TraceFixtures {
    private static final Pattern DMESG = Pattern.compile("^\\[\\s*\\d+\\.\\d+\\] ?");

    private TraceFixtures() {
    }

    static String load(String name) throws IOException {
        try (InputStream in = TraceFixtures.class.getResourceAsStream("/traces/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Evidence parseFixture(String name) throws IOException {
        return parse(load(name), name);
    }

    static Evidence parse(String text, String source) {
        Evidence e = new Evidence();
        List<LineSink> sinks = List.of(new TraceSink(e, source), new GoroutineSink(e, source));
        long n = 0;
        for (String raw : text.split("\n", -1)) {
            n++;
            Matcher m = DMESG.matcher(raw);
            String msg = m.find() ? raw.substring(m.end()) : raw;
            LogLine line = new LogLine(msg, null, "none", n);
            for (LineSink s : sinks) {
                s.accept(line);
            }
        }
        sinks.forEach(LineSink::finish);
        return e;
    }

    /** The lines read as one evidence file, the way `analyze` reads a paste (every stage, the noise fast path on). */
    static Evidence read(String... lines) throws IOException {
        byte[] b = String.join("\n", lines).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return EvidenceReader.read(new java.io.ByteArrayInputStream(b), "t");
    }

    /** The task's frames' function names, innermost first. */
    static List<String> functions(Task t) {
        return t.frames().stream().map(Frame::function).toList();
    }
}
