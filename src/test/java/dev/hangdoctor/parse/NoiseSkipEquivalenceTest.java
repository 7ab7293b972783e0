package dev.hangdoctor.parse;

import dev.hangdoctor.model.Evidence;
import dev.hangdoctor.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The noise fast path of {@link EvidenceReader} must not change what is read: every fixture and example, and random
 * mixes of their lines with noise, give the same evidence with the fast path on and off, whole or in small reads.
 */
class NoiseSkipEquivalenceTest {
    private static final List<String> FIXTURE_DIRS = List.of("src/test/resources/logs", "src/test/resources/traces",
            "src/test/resources/proc/files", "examples");

    /** The real reports of the accuracy corpus: read alone and in the random mixes (quoted mails and pages too). */
    private static final String CORPUS = "src/test/resources/corpus/reports";

    static Stream<Path> evidenceFiles() throws IOException {
        return Stream.concat(files(FIXTURE_DIRS), files(List.of(CORPUS)));
    }

    private static Stream<Path> files(List<String> dirs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String d : dirs) {
            try (Stream<Path> walk = Files.walk(Path.of(d))) {
                walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("README.md"))
                        .filter(p -> !p.getFileName().toString().endsWith(".meta"))
                        .sorted(Comparator.naturalOrder()).forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("evidenceFiles")
    void everyFixtureReadsTheSameWithAndWithoutTheFastPath(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertSame(bytes, file.toString());
    }

    @Test
    void theFixturesFindSomethingAtAll() throws IOException {
        // guards the guard: identical but empty results would prove nothing
        byte[] log = Files.readAllBytes(Path.of("src/test/resources/logs/centos7-oom-hung.log"));
        Evidence e = EvidenceReader.read(new ByteArrayInputStream(log), "x", true);
        assertThat(e.tasks()).isNotEmpty();
        assertThat(e.allEvents()).isNotEmpty();
    }

    @Test
    void randomMixesOfEvidenceAndNoiseReadTheSame() throws IOException {
        Mixer mixer = new Mixer();
        for (int seed = 0; seed < 200; seed++) {
            assertSame(mixer.mix(seed).getBytes(StandardCharsets.UTF_8), "mix seed " + seed);
        }
    }

    @Test
    void aBigLogScreenedAheadOnASecondThreadReadsTheSame() throws IOException {
        // past ScreenAhead.AHEAD_AFTER (here after the first read) the screening moves to a thread of its own: the
        // parsing thread must see the same lines with the same verdicts, across read buffers, spilled lines and
        // reads of a pipe's size
        Mixer mixer = new Mixer();
        StringBuilder b = new StringBuilder();
        for (int seed = 1000; b.length() < 3 << 20; seed++) {
            // mostly noise, as in a real log: the lines the screening thread passes over are the ones that matter
            b.append(mixer.mix(seed)).append('\n').append(mixer.noise(seed, 400)).append('\n');
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        String slow = dump(read(new ByteArrayInputStream(bytes), "big mix", false));
        assertThat(slow).contains("task ");
        assertThat(dump(readAhead(new ByteArrayInputStream(bytes)))).isEqualTo(slow);
        assertThat(dump(readAhead(new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 64 * 1024));
            }
        }))).as("in reads of 64 KiB").isEqualTo(slow);
    }

    private static Object readAhead(InputStream in) throws IOException {
        try {
            return EvidenceReader.read(in, "big mix", true, 256 * 1024);
        } catch (UnrecognisedEvidenceException e) {
            return e.getMessage();
        }
    }

    /** Random mixes of evidence lines (every fixture and report), boot noise and odd lines, pasted every which way. */
    private static final class Mixer {
        private final List<String> evidence = new ArrayList<>();
        private final List<String> noise;
        private final List<String> odd = List.of("", "   ", "\t", "\r", "x", "[    1.000000] ", "[    1.000000] \r",
                "Aug 29 06:32:19 host kernel: ", "[    1.000000] gpu: \u00e9t\u00e9 na\u00efve", "-- Boot 1a2b --",
                "6,1234,5678,-;usb 1-1: new device", " SUBSYSTEM=usb", "[    1.000000] 8021q: adding VLAN 0",
                "[    2.000000] x".repeat(5000), "\u00ff\u00fe", "[    3.000000] --  -", "[    4.000000] task");

        Mixer() throws IOException {
            for (Path p : (Iterable<Path>) evidenceFiles()::iterator) {
                evidence.addAll(Arrays.asList(Files.readString(p, StandardCharsets.UTF_8).split("\n", -1)));
            }
            noise = Files.readAllLines(Path.of("bench/fragments/noise-dmesg.txt"), StandardCharsets.UTF_8);
        }

        /** {@code lines} lines of boot noise. */
        String noise(int seed, int lines) {
            Random r = new Random(seed);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < lines; k++) {
                b.append(noise.get(r.nextInt(noise.size()))).append('\n');
            }
            return b.toString();
        }

        String mix(int seed) {
            Random r = new Random(seed);
            StringBuilder b = new StringBuilder();
            int lines = 50 + r.nextInt(400);
            int at = r.nextInt(evidence.size());
            for (int k = 0; k < lines; k++) {
                int pick = r.nextInt(10);
                String line;
                if (pick < 4) {
                    line = noise.get(r.nextInt(noise.size()));
                } else if (pick < 5) {
                    line = odd.get(r.nextInt(odd.size()));
                } else if (pick < 6) {
                    line = evidence.get(r.nextInt(evidence.size()));
                } else {
                    // runs of consecutive evidence lines keep multi-line blocks whole
                    line = evidence.get(at);
                    at = (at + 1) % evidence.size();
                }
                if (pick >= 5 && r.nextInt(12) == 0) {
                    // a page that lost its line breaks: the next few evidence lines joined with a space
                    StringBuilder joined = new StringBuilder(line);
                    for (int j = 1 + r.nextInt(5); j > 0; j--) {
                        joined.append(' ').append(evidence.get(at));
                        at = (at + 1) % evidence.size();
                    }
                    line = joined.toString();
                }
                if (line.length() > 60 && r.nextInt(6) == 0) {
                    // wrapped or cut at any width, noise lines too: a skipped line may be a wrapped record's head
                    int cut = 40 + r.nextInt(line.length() - 40);
                    line = line.substring(0, cut) + "\n" + line.substring(r.nextBoolean() ? cut : cut + 1);
                }
                b.append(line);
                if (r.nextInt(20) == 0) {
                    b.append('\r');
                }
                if (k < lines - 1 || r.nextBoolean()) {
                    b.append('\n');
                }
            }
            return b.toString();
        }
    }

    @Test
    void linesAcrossBufferEndsAndOverlongLinesReadTheSame() throws IOException {
        byte[] log = Files.readAllBytes(Path.of("examples/seed001-centos7-jbd2-oom/vmcore-dmesg.txt"));
        StringBuilder b = new StringBuilder();
        while (b.length() < 3 * (1 << 20)) {
            b.append(new String(log, StandardCharsets.UTF_8));
            b.append("[    9.000000] ").append("y".repeat(70_000)).append('\n');
        }
        assertSame(b.toString().getBytes(StandardCharsets.UTF_8), "big");
    }

    private static void assertSame(byte[] bytes, String name) throws IOException {
        String slow = dump(read(new ByteArrayInputStream(bytes), name, false));
        assertThat(dump(read(new ByteArrayInputStream(bytes), name, true))).as(name).isEqualTo(slow);
        assertThat(dump(read(new Trickle(bytes, name.hashCode()), name, true))).as(name + " in small reads")
                .isEqualTo(slow);
    }

    static Object read(InputStream in, String name, boolean skip) throws IOException {
        try {
            return EvidenceReader.read(in, name, skip);
        } catch (UnrecognisedEvidenceException e) {
            return e.getMessage();
        }
    }

    /** Everything the evidence holds, as text: tasks with every field, events, goroutines, host, formats, warnings. */
    static String dump(Object read) {
        if (!(read instanceof Evidence)) {
            return "error: " + read;
        }
        Evidence e = (Evidence) read;
        StringBuilder b = new StringBuilder();
        for (Task t : e.tasks()) {
            b.append("task ").append(getters(t)).append('\n');
        }
        e.allEvents().forEach(v -> b.append("event ").append(v).append('\n'));
        e.goroutines().forEach(g -> b.append("goroutine ").append(g).append('\n'));
        b.append("goroutines dropped ").append(e.goroutinesDropped()).append('\n');
        b.append("memcg ").append(e.memCgroups()).append('\n');
        b.append("fuse ").append(e.fuseConnections()).append('\n');
        b.append("uffd ").append(e.uffds()).append('\n');
        b.append("host ").append(getters(e.host())).append('\n');
        b.append("formats ").append(e.formats()).append('\n');
        b.append("warnings ").append(e.warnings()).append('\n');
        return b.toString();
    }

    /** name=value of every public no-argument getter, so fields added later are compared too. */
    private static String getters(Object o) {
        StringBuilder b = new StringBuilder();
        Method[] methods = o.getClass().getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getReturnType() == void.class
                    || m.getDeclaringClass() == Object.class || m.getName().equals("hashCode")) {
                continue;
            }
            try {
                b.append(m.getName()).append('=').append(m.invoke(o)).append(' ');
            } catch (ReflectiveOperationException ex) {
                b.append(m.getName()).append("=!").append(ex.getCause()).append(' ');
            }
        }
        return b.toString();
    }

    /** Hands the bytes out a few at a time, as a pipe may; the first read may be of a given size. */
    static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int first;
        private int pos;

        Trickle(byte[] bytes, long seed) {
            this(bytes, 0, seed);
        }

        /** {@code first}: the size of the first read (0: as random as the others). */
        Trickle(byte[] bytes, int first, long seed) {
            this.bytes = bytes;
            this.first = first;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            int want = first > 0 ? first : 1 + random.nextInt(200);
            first = 0;
            int n = Math.min(Math.min(len, want), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
