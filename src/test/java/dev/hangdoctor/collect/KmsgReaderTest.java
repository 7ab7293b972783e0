package dev.hangdoctor.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class KmsgReaderTest {

    @TempDir
    Path dir;

    static Path records() {
        try {
            return Path.of(KmsgReaderTest.class.getResource("/kmsg/records.txt").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KmsgReader.Options quick() {
        return KmsgReader.Options.defaults().withQuiet(Duration.ofMillis(100)).withFirstLine(Duration.ofSeconds(2));
    }

    @Test
    void returnsAfterTheQuietPeriodWhileTheWriterStaysOpen() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("kmsg"));
        List<String> want = Files.readAllLines(records());
        // O_RDWR opens a FIFO without waiting for a reader and keeps it open: the reader never sees EOF
        try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
            KmsgReader.Pending pending = new KmsgReader(fifo, quick()).start();
            // one record per write, as /dev/kmsg hands them out
            for (String line : want) {
                writer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            long t0 = System.nanoTime();
            KmsgReader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> pending.await(Long.MAX_VALUE));
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1500);
            assertThat(r.stop()).isEqualTo(KmsgReader.Stop.CAUGHT_UP);
            assertThat(r.warning()).isNull();
            assertThat(r.lines()).isEqualTo(want);
            assertThat(r.text()).isEqualTo(Files.readString(records()));
        }
    }

    @Test
    void joinsLinesSplitAcrossReadsAndStopsAtTheLineCap() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("kmsg"));
        try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
            writer.write("6,1,10,-;first ha".getBytes(StandardCharsets.UTF_8));
            writer.write("lf\n SUBSYSTEM=acpi\n6,2,20,-;second\n6,3,30,-;third\n".getBytes(StandardCharsets.UTF_8));
            KmsgReader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(3),
                    () -> new KmsgReader(fifo, quick().withMaxLines(3)).read());
            assertThat(r.lines()).containsExactly("6,1,10,-;first half", " SUBSYSTEM=acpi", "6,2,20,-;second");
            assertThat(r.stop()).isEqualTo(KmsgReader.Stop.CAP);
            assertThat(r.warning()).contains("cap");
        }
    }

    @Test
    void waitsNoLongerThanTheFirstLineWaitWhenNothingComes() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("kmsg"));
        try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
            long t0 = System.nanoTime();
            KmsgReader.Result r = new KmsgReader(fifo, quick().withFirstLine(Duration.ofMillis(300))).read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(250L, 1500L);
            assertThat(r.lines()).isEmpty();
            assertThat(r.stop()).isEqualTo(KmsgReader.Stop.CAUGHT_UP);
        }
    }

    @Test
    void aWriterThatNeverOpensCostsOnlyTheFirstLineWait() throws Exception {
        // opening a FIFO nobody writes blocks in open(): that must happen off the caller's thread too
        Path fifo = ProcFixtures.fifo(dir.resolve("kmsg"));
        try {
            KmsgReader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(3),
                    () -> new KmsgReader(fifo, quick().withFirstLine(Duration.ofMillis(200))).read());
            assertThat(r.lines()).isEmpty();
        } finally {
            ProcFixtures.release(fifo);
        }
    }

    @Test
    void theTotalCapHoldsAgainstAnEndlessWriter() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("kmsg"));
        try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
            Thread chatter = new Thread(() -> {
                try {
                    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                        writer.write(("6," + i + ",0,-;message " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        Thread.sleep(10);
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
            chatter.setDaemon(true);
            chatter.start();
            long t0 = System.nanoTime();
            KmsgReader.Result r = new KmsgReader(fifo, quick().withTotal(Duration.ofMillis(500))).read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            chatter.interrupt();
            assertThat(ms).isBetween(400L, 1500L);
            assertThat(r.stop()).isEqualTo(KmsgReader.Stop.CAP);
            assertThat(r.lines()).isNotEmpty().allMatch(l -> l.startsWith("6,"));
        }
    }

    @Test
    void anUnreadableDeviceIsAWarningNotAnException() {
        KmsgReader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(3),
                () -> new KmsgReader(dir.resolve("no-such-kmsg"), quick()).read());
        assertThat(r.lines()).isEmpty();
        assertThat(r.stop()).isEqualTo(KmsgReader.Stop.FAILED);
        assertThat(r.warning()).contains("not readable");
        assertThat(r.toEvidence().warnings()).singleElement().asString().contains("/dev/kmsg");
    }

    @Test
    void aPlainFileEnds() throws Exception {
        KmsgReader.Result r = new KmsgReader(records(), quick()).read();
        assertThat(r.stop()).isEqualTo(KmsgReader.Stop.END);
        assertThat(r.lines()).hasSize(43).startsWith("6,201,105756,-;ACPI: PCI Root Bridge [PC00] (domain 0000 [bus 00])");
        assertThat(r.toEvidence().warnings()).isEmpty();
    }

    @Test
    void followDeliversTheBacklogThenNewLinesUntilClosed() throws Exception {
        Path fifo = ProcFixtures.fifo(dir.resolve("kmsg"));
        List<String> got = new CopyOnWriteArrayList<>();
        try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
            writer.write("6,1,10,-;old\n".getBytes(StandardCharsets.UTF_8));
            KmsgReader.Follower f = new KmsgReader(fifo, quick()).follow(got::add);
            waitFor(() -> got.size() == 1);
            writer.write("6,2,20,-;new\n".getBytes(StandardCharsets.UTF_8));
            waitFor(() -> got.size() == 2);
            f.close();
            writer.write("6,3,30,-;after close\n".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(200);
            assertThat(got).containsExactly("6,1,10,-;old", "6,2,20,-;new");
            assertThat(f.failure()).isNull();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long until = System.nanoTime() + 3_000_000_000L;
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 3 s").isLessThan(until);
            Thread.sleep(10);
        }
    }

    @Test
    void savesUnderTheBundleRoot() throws Exception {
        KmsgReader.Result r = new KmsgReader(records(), quick()).read();
        assertThat(KmsgReader.save(r, dir.resolve("b"))).isNull();
        assertThat(Files.readString(dir.resolve("b").resolve(KmsgReader.SAVED_FILE))).isEqualTo(Files.readString(records()));
    }
}
